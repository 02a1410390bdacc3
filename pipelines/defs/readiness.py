"""Readiness as reviewers check a report's text before it is published: a narrative that repeats last year's
by more than half, a section 6 that does not state the information-processing fees, a section 5 that says
nothing. Plain text rules, shared by the rendered reports (the clerk's narrative, reports/context.py) and
the published reports gongkai check reads (published/report.py).

Each is a warning with the id `readiness:<key>`: a reviewer who has looked may dismiss it with a reason."""

import re
import unicodedata
from collections.abc import Iterable

from pipelines.defs.findings import WARNING, Finding
from schemas import vocabulary as v

REPEATED = "narrative_repeated"
FEES_NOT_STATED = "fees_not_stated"
PROBLEMS_EMPTY = "problems_empty"

REPEAT_LIMIT = 0.5  # more than half of this year's text (by characters) is last year's, sentence for sentence
SHORTEST_SENTENCE = 6  # characters: shorter pieces ("无", "一是") match across any two reports
SAYS_NOTHING = 8  # characters of words: "无。", "暂无。", "本年度无问题。" under section 5; a real problem takes more

_SENTENCE_END = re.compile(r"[。！？!?；;\n]")
_NOT_CONTENT = re.compile(r"[\W\d_]+")  # punctuation, spaces, digits: what a sentence is not made of


def readiness_id(key: str) -> str:
    return f"readiness:{key}"


def content(text: str) -> str:
    """The words of a text: NFKC, without punctuation, spaces or digits."""
    return _NOT_CONTENT.sub("", unicodedata.normalize("NFKC", text))


def sentences(paragraphs: Iterable[str]) -> list[str]:
    """The sentences of a text as compared across years: words only, so that a year's updated figures and dates
    do not hide a sentence copied from the year before; very short pieces left out."""
    out = []
    for paragraph in paragraphs:
        for piece in _SENTENCE_END.split(paragraph):
            words = content(piece)
            if len(words) >= SHORTEST_SENTENCE:
                out.append(words)
    return out


def repeated_share(this_year: Iterable[str], last_year: Iterable[str]) -> tuple[float, int, int]:
    """(share of this year's text, by characters, in sentences that also stand in last year's; sentences repeated;
    sentences in all). 0 for an empty text."""
    mine = sentences(this_year)
    before = set(sentences(last_year))
    total = sum(len(s) for s in mine)
    same = [s for s in mine if s in before]
    return (sum(len(s) for s in same) / total if total else 0.0), len(same), len(mine)


def states_fees(paragraphs: Iterable[str]) -> bool:
    """Section 6 names the information-processing fee (an amount, or that none was collected)."""
    return any(v.FEE_LABEL in unicodedata.normalize("NFKC", p) for p in paragraphs)


def says_nothing(paragraphs: Iterable[str]) -> bool:
    return len(content("".join(paragraphs))) < SAYS_NOTHING


def _finding(key: str, title: str, detail: str) -> Finding:
    return Finding(readiness_id(key), "readiness", WARNING, title, detail)


def repeated_finding(this_year: list[str], last_year: list[str] | None) -> Finding | None:
    if last_year is None:
        return None
    share, same, total = repeated_share(this_year, last_year)
    if share <= REPEAT_LIMIT:
        return None
    return _finding(
        REPEATED,
        f"文字说明与上年报告重复过半：{share:.0%}（{total}句中{same}句相同） / the text repeats last year's: {share:.0%} ({same} of {total} sentences)",
        "请按本年度情况改写；审核人核实后可忽略 / rewrite it for this year, or the reviewer dismisses it after checking",
    )


def fees_finding(section6: list[str] | None) -> Finding | None:
    if section6 is not None and states_fees(section6):
        return None
    return _finding(
        FEES_NOT_STATED,
        f"第六部分未说明{v.FEE_LABEL}收取情况 / section 6 does not state the information-processing fees",
        f"应写明本年度收取的{v.FEE_LABEL}（未收取也应说明） / state the fees collected in the year, or that none were",
    )


def problems_finding(section5: list[str] | None) -> Finding | None:
    if section5 is not None and not says_nothing(section5):
        return None
    return _finding(
        PROBLEMS_EMPTY,
        "第五部分“存在的主要问题及改进情况”为空 / section 5 (problems and improvements) is empty",
        "应写明本年度存在的主要问题和改进措施 / state the year's main problems and what is done about them",
    )
