"""Tables P, A and R from the tokens of a published report, into the keys of `gongkai tables`.

The reader is driven by row labels (from the vocabulary, matched after `fold`,
without their numbering, and by similarity for misspellings): a label starts a
row, the value tokens after it are its cells. Table A rows must come in form
order, which tells "其他"/"总计" as row labels from the same words as column
headings. A cell that is blank, "/" or not a number has no value (None) and
yields a finding; nothing is invented.
"""

import difflib
import re
from dataclasses import dataclass, field

from pipelines.defs.published.findings import Finding, cell_label, reading
from pipelines.defs.published.text import Document, nfkc
from schemas import vocabulary as v

# ------------------------------------------------------------------ values

_NUMBER = re.compile(r"^([+\-−]?\d+(?:\.\d+)?)(?:件|条|个|次|项|万元|元)?$")
_PLACEHOLDER = re.compile(r"^(?:[/\\—–\-－_]+|无|空|×|x|X)$")


def classify(text: str) -> tuple[str, float | None]:
    """("number", value) | ("blank", None) | ("placeholder", None) | ("text", None)."""
    t = nfkc(text).strip().replace(",", "")
    t = re.sub(r"\s+", "", t)
    if not t:
        return "blank", None
    m = _NUMBER.match(t)
    if m:
        return "number", float(m.group(1).replace("−", "-"))
    if _PLACEHOLDER.match(t):
        return "placeholder", None
    return "text", None


def is_value(text: str) -> bool:
    return classify(text)[0] != "text"


# ------------------------------------------------------------------ labels

_NUMBERING = re.compile(
    r"^(?:\([一二三四五六七八九十\d]{1,3}\)|[一二三四五六七八九十]{1,3}[、.]|\d{1,2}[.、)]|\d{1,2}(?=[^\d.])|第[一二三四五六七八九十\d]{1,3}[项部分条])+"
)


def words(label: str) -> str:
    """A label without its numbering: "（三）不予公开" → "不予公开"; "1、属于国家秘密" → "属于国家秘密"."""
    return _NUMBERING.sub("", v.fold(label))


def _without_note(w: str) -> str:
    return re.sub(r"\(.*\)$", "", w)


def _similar(a: str, b: str) -> float:
    return difflib.SequenceMatcher(None, a, b, autojunk=False).ratio()


_FUZZY = 0.8

# Table A: row words → row key; the (三)…(六) headings → their group prefix.
_A_INDEX = {k: i for i, k in enumerate(v.APPLICATION_ROW_KEYS)}
_A_WORDS: dict[str, str] = {}
for _r in v.APPLICATION_ROWS:
    for _w in (_r.short, _r.label, *[a for a in _r.aliases if len(v.fold(a)) >= 4]):
        for _x in (words(_w), _without_note(words(_w))):
            _A_WORDS.setdefault(_x, _r.key)
_A_GROUPS: dict[str, str] = {}  # "不予公开" → "3.3"
for _r in v.APPLICATION_ROWS:
    if _r.group:
        _A_GROUPS.setdefault(words(_r.group), _r.key.rsplit(".", 1)[0])
_A_GROUP_LABEL = {_r.key.rsplit(".", 1)[0]: _r.group for _r in v.APPLICATION_ROWS if _r.group}
_RESULTS = words(v.RESULTS_HEADING)
_SHORT = 3  # row words this short ("其他", "总计") are also column headings: accept them only close after their predecessor rows
_SHORT_WINDOW = 4


# Column headings of table A (a page break may repeat them): while they are read, "其他"/"总计" are headings.
_A_HEADER_WORDS = {v.fold(x) for x in (*v.APPLICATION_COLUMN_LABELS.values(), v.ORG_GROUP_LABEL, v.APPLICANT_GROUP_LABEL)}


def _match_row(w: str, after: int, in_header: bool = False) -> str | None:
    """The table A row whose words are `w`, later in the form than row index `after`."""
    key = _A_WORDS.get(w) or _A_WORDS.get(_without_note(w))
    if key is None and len(w) >= 4:
        best = max(((_similar(w, cand), k) for cand, k in _A_WORDS.items() if len(cand) >= 4 and _A_INDEX[k] > after), default=(0, None))
        key = best[1] if best[0] >= _FUZZY else None
    if key is None or _A_INDEX[key] <= after:
        return None
    if len(w) <= _SHORT and (in_header or _A_INDEX[key] > after + _SHORT_WINDOW):
        return None
    return key


def _match_group(w: str) -> tuple[str | None, str]:
    """("3.3", rest) when `w` starts with a (三)…(六) heading; `rest` is the sub-row label glued to it, if any."""
    for gw, g in _A_GROUPS.items():
        if w.startswith(gw):
            return g, words(w[len(gw) :])
    return None, w


# Table P: item words (labels and category aliases) → item key.
_P_WORDS: dict[str, str] = {words(i.label): i.key for i in v.PROACTIVE_ITEMS}
_P_WORDS |= {words(alias): key for alias, key in v.CATEGORY_ALIASES.items() if key in v.PROACTIVE_BY_KEY}

# Table R: group labels and result labels.
_R_GROUP_WORDS: dict[str, str] = {v.fold(a): k for a, k in v.APPEAL_GROUP_ALIASES.items() if len(a) >= 4}
_R_GROUP_WORDS |= {v.fold(g.label): g.key for g in v.APPEAL_GROUPS}
_R_HEADER_WORDS = {v.fold(r.label) for r in v.APPEAL_RESULTS} | {v.fold(g.label) for g in v.APPEAL_GROUPS} | {v.fold(v.LITIGATION_LABEL)}

# Report sections.
_SECTION_WORDS = [(s.key, words(label)) for s in v.SECTIONS for label in (s.label, *s.aliases)]


# --------------------------------------------------------------- results


@dataclass
class Tables:
    proactive: dict[tuple[str, str], float | None] = field(default_factory=dict)
    applications: dict[tuple[str, str], float | None] = field(default_factory=dict)
    appeals: dict[tuple[str, str], float | None] = field(default_factory=dict)
    aggregated: dict[str, dict[str, float | None]] = field(default_factory=dict)  # "3.6" → column → value
    found: set[str] = field(default_factory=set)  # tables found: P, A, R
    findings: list[Finding] = field(default_factory=list)


def sections(doc: Document) -> dict[str, int]:
    """Token index of each section heading found (short tokens only: the intro sentence lists them all)."""
    out: dict[str, int] = {}
    for i, tok in enumerate(doc.tokens):
        w = words(tok.text)
        if not w or len(w) > 30:
            continue
        for key, sw in _SECTION_WORDS:
            if key not in out and sw in w and len(w) <= len(sw) + 6:
                out[key] = i
    return out


def region(doc: Document, secs: dict[str, int], key: str) -> tuple[int, int]:
    order = [s.key for s in v.SECTIONS]
    if key not in secs:
        return 0, len(doc.tokens)
    start = secs[key] + 1
    later = [secs[k] for k in order[order.index(key) + 1 :] if k in secs and secs[k] > secs[key]]
    return start, min(later, default=len(doc.tokens))


def _fit(raw: list[str], n: int) -> list[str]:
    """Drop the blank tokens a merged cell leaves around a row, down to n."""
    vals = list(raw)
    while len(vals) > n and classify(vals[-1])[0] == "blank":
        vals.pop()
    while len(vals) > n and classify(vals[0])[0] == "blank":
        vals.pop(0)
    return vals


def _cells(out: Tables, table: str, row: str, columns: list[str | None], raw: list[str], *, integer: bool) -> dict[str, float | None]:
    """Values of one row by column (None for a column not mapped); findings for what is not a number."""
    n = len(columns)
    vals = _fit(raw, n)
    where_zh = cell_label(table, row, None)
    where_en = f"table {table} row {row}"
    got: dict[str, float | None] = {c: None for c in columns if c}
    if len(vals) < n:
        if vals:
            out.findings.append(reading("row_incomplete", table, row, None, {"read": [nfkc(x) for x in vals]}, where_zh, where_en, found=len(vals), expected=n))
        else:
            out.findings.append(reading("row_incomplete", table, row, None, {"read": []}, where_zh, where_en, found=0, expected=n))
        return got
    if len(vals) > n:
        out.findings.append(reading("row_extra_cells", table, row, None, {"read": [nfkc(x) for x in vals]}, where_zh, where_en, found=len(vals), expected=n))
        vals = vals[:n]
    for col, text in zip(columns, vals, strict=False):  # a short row: the missing cells are reported below
        if not col:
            continue
        kind, value = classify(text)
        cz, ce = cell_label(table, row, col), f"table {table} {row} {col}"
        if kind == "number" and integer and not value.is_integer():
            out.findings.append(
                Finding("N1", "error", table, row, col, {"value": value}, f"{cz}：{text.strip()} 不是整数 / {ce}: {text.strip()} is not a whole number")
            )
            value = None
        elif kind == "blank":
            out.findings.append(reading("cell_blank", table, row, col, {"text": ""}, cz, ce))
        elif kind == "placeholder":
            out.findings.append(reading("cell_placeholder", table, row, col, {"text": text.strip()}, cz, ce, text=text.strip()))
        elif kind == "text":
            out.findings.append(reading("cell_unreadable", table, row, col, {"text": text.strip()}, cz, ce, text=text.strip()))
        got[col] = value
    return got


# ---------------------------------------------------------------- table P


def read_proactive(doc: Document, secs: dict[str, int], out: Tables, trial: bool) -> None:
    start, end = region(doc, secs, "proactive")
    toks = doc.tokens[start:end]
    seen: set[str] = set()
    i = 0
    while i < len(toks):
        item = _P_WORDS.get(words(toks[i].text))
        i += 1
        if item is None or item in seen:
            continue
        raw = []
        while i < len(toks) and is_value(toks[i].text):
            raw.append(toks[i].text)
            i += 1
        seen.add(item)
        if trial:
            columns = [c.metric or None for c in v.TRIAL_PROACTIVE_COLUMNS[item]]
        else:
            columns = [m.key for m in v.PROACTIVE_BY_KEY[item].metrics]
        got = _cells(out, "P", item, columns, raw, integer=False)
        for metric in (m.key for m in v.PROACTIVE_BY_KEY[item].metrics):
            if metric in got:
                out.proactive[(item, metric)] = got[metric]
    if seen:
        out.found.add("P")
    for item in v.PROACTIVE_ITEMS:
        if seen and item.key not in seen:
            out.findings.append(reading("row_missing", "P", item.key, None, {}, cell_label("P", item.key, None), f"table P {item.key}"))


# ---------------------------------------------------------------- table A


def read_applications(doc: Document, secs: dict[str, int], out: Tables) -> None:
    start, end = region(doc, secs, "applications")
    toks = doc.tokens[start:end]
    columns = list(v.APPLICATION_COLUMN_KEYS)
    n = len(columns)
    rows: dict[str, list[str]] = {}  # row key, or group prefix for an aggregated group row, → raw values
    current: str | None = None
    last = -1  # index of the last row matched (form order)
    in_header = False
    closed = False  # the current row's table row has ended: value tokens now belong to no label yet
    for tok in toks:
        if is_value(tok.text):
            if current is not None and not (closed and rows[current]):
                rows[current].append(tok.text)
            closed = closed or tok.row_end
            continue
        was_closed, closed = closed, closed or tok.row_end
        w = words(tok.text)
        if not w:
            continue
        if w.startswith(_RESULTS):
            w = words(w[len(_RESULTS) :])
            if not w:
                continue
        group, rest = _match_group(w)
        if group is not None and _A_INDEX[f"{group}.1"] > last:
            current = group
            in_header = False
            closed = tok.row_end
            rows[current] = []
            last = _A_INDEX[f"{group}.1"] - 1
            w = rest
            if not w:
                continue
        if w in _A_HEADER_WORDS and w not in _A_WORDS:
            in_header = True
            continue
        key = _match_row(w, last, in_header)
        if key is not None:
            in_header = False
            closed = tok.row_end
            current = key
            rows[current] = []
            last = _A_INDEX[key]
        elif current is not None and not was_closed and len(rows[current]) < n and len(w) <= 12 and current in _A_INDEX:
            rows[current].append(tok.text)  # a short non-number where a cell should be: an unreadable cell
    if not rows:
        return
    out.found.add("A")
    for key, raw in rows.items():
        if key in _A_INDEX:
            for col, val in _cells(out, "A", key, columns, raw, integer=True).items():
                out.applications[(key, col)] = val
        elif any(classify(x)[0] != "blank" for x in _fit(raw, n)):
            # a (三)…(六) heading with numbers of its own: the group given as one row (2019 trial format's (六))
            label = _A_GROUP_LABEL[key]
            vals = _cells(out, "A", key, columns, raw, integer=True)
            out.aggregated[key] = vals
            out.findings.append(
                reading("row_aggregated", "A", key, None, {c: _num(x) for c, x in vals.items()}, f"表A「{label}」", f"table A row {key}", label=label)
            )
    for key in v.APPLICATION_ROW_KEYS:
        if key not in rows and key.rsplit(".", 1)[0] not in out.aggregated:
            out.findings.append(reading("row_missing", "A", key, None, {}, cell_label("A", key, None), f"table A row {key}"))


def _num(x):
    return None if x is None else (int(x) if float(x).is_integer() else x)


# ---------------------------------------------------------------- table R


def read_appeals(doc: Document, secs: dict[str, int], out: Tables) -> None:
    start, end = region(doc, secs, "appeals")
    toks = doc.tokens[start:end]
    results = list(v.APPEAL_RESULT_KEYS)
    # Layout 1: one row per group ("行政复议 | 0 | 0 | 0 | 0 | 0").
    by_group: dict[str, list[str]] = {}
    for i, tok in enumerate(toks):
        g = _R_GROUP_WORDS.get(words(tok.text))
        if g is None or g in by_group:
            continue
        raw = []
        for t in toks[i + 1 :]:
            if not is_value(t.text):
                break
            raw.append(t.text)
        if sum(classify(x)[0] != "blank" for x in raw) >= 1 and len(_fit(raw, len(results))) >= len(results):
            by_group[g] = raw
    if len(by_group) == len(v.APPEAL_GROUP_KEYS):
        out.found.add("R")
        for g, raw in by_group.items():
            for res, val in _cells(out, "R", g, results, raw, integer=True).items():
                out.appeals[(g, res)] = val
        return
    # Layout 2 (the form): a two-level header, then the 15 numbers in form order.
    last_header = max((i for i, t in enumerate(toks) if v.fold(t.text) in _R_HEADER_WORDS), default=None)
    if last_header is None:
        return
    raw = []
    for t in toks[last_header + 1 :]:
        if not is_value(t.text):
            break
        raw.append(t.text)
    out.found.add("R")
    columns = [f"{g}|{r}" for g, r in v.APPEAL_CELLS]
    vals = _fit(raw, len(columns))
    if len(vals) < len(columns):
        out.findings.append(
            reading("row_incomplete", "R", None, None, {"read": [nfkc(x) for x in vals]}, "表R", "table R", found=len(vals), expected=len(columns))
        )
        return
    # cell by cell, so each finding names its group and result
    for (g, r), text in zip(v.APPEAL_CELLS, vals[: len(columns)], strict=False):
        out.appeals[(g, r)] = _cells(out, "R", g, [r], [text], integer=True)[r]
    if len(vals) > len(columns):
        out.findings.append(
            reading("row_extra_cells", "R", None, None, {"read": [nfkc(x) for x in vals]}, "表R", "table R", found=len(vals), expected=len(columns))
        )


def read_tables(doc: Document, trial: bool) -> Tables:
    out = Tables()
    secs = sections(doc)
    read_proactive(doc, secs, out, trial)
    read_applications(doc, secs, out)
    read_appeals(doc, secs, out)
    for table, name in (("P", "P"), ("A", "A"), ("R", "R")):
        if table not in out.found and out.found:
            out.findings.append(reading("table_missing", table, None, None, {}, "", "", tbl=name))
    return out
