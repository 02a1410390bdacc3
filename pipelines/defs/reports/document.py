"""The report as one document model; the DOCX and HTML renderers only draw it."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from pipelines.defs.reports.context import DRAFT_BANNER, ReportContext
from pipelines.defs.reports.figures import application_sentence, fee_sentence, proactive_sentence
from pipelines.defs.reports.layout import Grid, statutory_grids
from pipelines.defs.reports.narrative import MARKERS, PREAMBLE
from schemas.vocabulary import REPORT_TITLE, SECTIONS

# "（三）政府信息管理情况" on a line of its own reads as a sub-heading
_SUBHEADING = re.compile(r"^[（(]([一二三四五六七八九十]+|\d+)[）)]\s*[^。；;]{1,30}$")


@dataclass(frozen=True)
class Para:
    text: str
    kind: str = "text"  # text | subheading | placeholder | figures


@dataclass
class Section:
    key: str
    heading: str
    blocks: list[Para | Grid] = field(default_factory=list)


@dataclass
class ReportDocument:
    agency_name: str
    year: int
    title: str
    draft_reasons: list[str]
    preamble: list[Para]
    sections: list[Section]
    signature: list[str]

    @property
    def is_draft(self) -> bool:
        return bool(self.draft_reasons)

    @property
    def banner(self) -> str:
        return DRAFT_BANNER

    def grids(self) -> list[Grid]:
        return [b for s in self.sections for b in s.blocks if isinstance(b, Grid)]


def placeholder(title: str) -> Para:
    return Para(f"【待填写：{title}】", "placeholder")


def _paragraph(text: str) -> Para:
    return Para(text, "subheading" if _SUBHEADING.match(text) else "text")


def _with_figures(lines: list[str], figures: dict[str, str], home: str) -> list[Para]:
    """The clerk's lines with markers replaced; figures whose marker is absent go first."""
    out: list[Para] = []
    used = set()
    for line in lines:
        if any(marker in line for marker, _ in figures.values()):
            for name, (marker, sentence) in figures.items():
                if marker in line:
                    used.add(name)
                    line = line.replace(marker, sentence)
            out.append(Para(line, "figures"))
        else:
            out.append(_paragraph(line))
    missing = [Para(sentence, "figures") for name, (marker, sentence) in figures.items() if name not in used and MARKERS[name][1] == home]
    return missing + out


def build_document(ctx: ReportContext) -> ReportDocument:
    tables = ctx.tables
    narrative = ctx.narrative
    figures = {
        "proactive_figures": (MARKERS["proactive_figures"][0], proactive_sentence(tables)),
        "application_figures": (MARKERS["application_figures"][0], application_sentence(tables)),
        "fee_figures": (MARKERS["fee_figures"][0], fee_sentence(ctx.fees_collected_yuan)),
    }
    grids = statutory_grids(tables)
    sections = []
    for spec in SECTIONS:
        section = Section(spec.key, spec.heading)
        lines = narrative.paragraphs(spec.key) if narrative else []
        if spec.key in grids:
            section.blocks.append(grids[spec.key])
            section.blocks += _with_figures(lines, figures, spec.key)  # optional notes under a table
        else:
            section.blocks += _with_figures(lines, figures, spec.key)
            if not lines:
                section.blocks.append(placeholder(spec.title))
        sections.append(section)

    preamble_lines = narrative.paragraphs(PREAMBLE) if narrative else []
    preamble = _with_figures(preamble_lines, figures, PREAMBLE) or [Para(f"本报告所列数据统计期限自{ctx.year}年1月1日起至{ctx.year}年12月31日止。")]
    day = ctx.signed_on
    return ReportDocument(
        agency_name=ctx.agency_name,
        year=ctx.year,
        title=f"{ctx.year}年{REPORT_TITLE}",
        draft_reasons=ctx.reasons(),
        preamble=preamble,
        sections=sections,
        signature=[ctx.agency_name, f"{day.year}年{day.month}月{day.day}日"],
    )
