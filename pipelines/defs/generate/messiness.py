"""How real exports differ: encodings, header spellings, date spellings, yes/no, value aliases.

An export profile is one clerk's (or one CMS's) way of writing a ledger. Records
carry canonical values (keys of schemas.vocabulary, dates, numbers); a profile
turns them into the cells a file holds. Every spelling is drawn from the
vocabulary's own labels and aliases, so a correct reader maps it back.
"""

import datetime as dt
import random
import re
from dataclasses import dataclass

from schemas.columns import Kind
from schemas.vocabulary import (
    APPEAL_GROUPS,
    APPEAL_RESULTS,
    APPLICANT_COLUMNS,
    APPLICATION_ROW_BY_KEY,
    CATEGORY_ALIASES,
    CHANNEL_BY_KEY,
    DOC_ACTION_ALIASES,
    DOC_ACTION_LABELS,
    PROACTIVE_BY_KEY,
    REQUEST_CHANNEL_ALIASES,
    REQUEST_CHANNELS,
)

REQUIRED_SUFFIX = "（必填）"
_FULLWIDTH = str.maketrans("0123456789", "０１２３４５６７８９")


@dataclass(frozen=True)
class Raw:
    """A cell written exactly as given: deliberate bad values."""

    text: str


@dataclass(frozen=True)
class Profile:
    name: str
    format: str  # csv | xlsx | parquet
    encoding: str | None  # csv only: utf-8 | utf-8-sig | gbk
    newline: str  # csv only
    headers: str  # key | zh | zh_alt | zh_required
    date_styles: tuple[tuple[str, int], ...]  # (style, weight); styles: see render_date
    yes_no: tuple[object, object]
    values: str  # key | label | mixed: how coded values are spelled
    fullwidth_rate: float = 0.0  # share of date/number cells typed with full-width digits
    extra_first: str | None = None  # an extra leading column clerks add (序号)
    extra_last: str | None = None  # an extra trailing column (备注)


PROFILES: dict[str, Profile] = {
    # a portal CMS export: UTF-8, English keys, ISO dates, channel keys
    "A": Profile("A", "csv", "utf-8", "\n", "key", (("iso", 1),), ("true", "false"), "key"),
    # WPS on Chinese Windows: GBK, Chinese headers, 2022/3/5 and 2022年3月5日
    "B": Profile("B", "csv", "gbk", "\r\n", "zh", (("slash", 7), ("cn", 3)), ("是", "否"), "label", extra_first="序号"),
    # Excel "CSV UTF-8": BOM, other Chinese aliases, 2022.03.05 and 20220305, some full-width digits
    "C": Profile("C", "csv", "utf-8-sig", "\r\n", "zh_alt", (("dot", 6), ("compact", 3), ("iso", 1)), ("Y", "N"), "mixed", fullwidth_rate=0.04),
    # a hand-kept workbook: Chinese headers with （必填）, date cells, one serial-number date, 1/0
    "D": Profile("D", "xlsx", None, "", "zh_required", (("excel", 1),), (1, 0), "label", extra_last="备注"),
    # a data-platform extract: Parquet with typed columns
    "E": Profile("E", "parquet", None, "", "key", (("native", 1),), (True, False), "label"),
}


def header(profile: Profile, kind: Kind, key: str) -> str:
    col = kind.column(key)
    if profile.headers == "key" or not col.aliases:
        return key
    if profile.headers == "zh_alt":
        name = col.aliases[1] if len(col.aliases) > 1 and "/" not in col.aliases[1] else col.aliases[0]
        return f" {name} " if key == "title" else name  # stray spaces a clerk leaves in one header
    name = col.aliases[0]
    return name + REQUIRED_SUFFIX if profile.headers == "zh_required" and col.required else name


def fullwidth(text: str) -> str:
    return text.translate(_FULLWIDTH)


def render_date(day: dt.date, style: str) -> str | dt.date:
    match style:
        case "iso":
            return day.isoformat()
        case "slash":
            return f"{day.year}/{day.month}/{day.day}"
        case "dot":
            return f"{day.year}.{day.month:02d}.{day.day:02d}"
        case "cn":
            return f"{day.year}年{day.month}月{day.day}日"
        case "compact":
            return day.strftime("%Y%m%d")
    return day  # excel / native: the writer stores a real date


def excel_serial(day: dt.date) -> int:
    """Excel's serial day number (1900 date system)."""
    return (day - dt.date(1899, 12, 30)).days


def _strip_number(label: str) -> str:
    # "1.本机关不掌握相关政府信息" / "（一）予以公开" → what a clerk types
    return re.sub(r"^(（[一二三四五六七]）|\d+\.)", "", label)


def _pick(rng: random.Random, main: str, others: tuple[str, ...], profile: Profile, rate: float = 0.2) -> str:
    if profile.values == "mixed" and others and rng.random() < rate:
        return rng.choice(others)
    return main


def spell(rng: random.Random, profile: Profile, column: str, value: str) -> str:
    """The text a clerk (or CMS) writes for a canonical coded value."""
    match column:
        case "channel":
            ch = CHANNEL_BY_KEY[value]
            return value if profile.values == "key" else _pick(rng, ch.label, ch.aliases, profile)
        case "category":
            label = "其他" if value == "other" else PROACTIVE_BY_KEY[value].category
            others = tuple(a for a, k in CATEGORY_ALIASES.items() if k == value and a != label)
            return _pick(rng, label, others, profile)
        case "doc_action":
            label = DOC_ACTION_LABELS[value]
            others = tuple(a for a, k in DOC_ACTION_ALIASES.items() if k == value and a != label)
            return _pick(rng, label, others, profile, 0.3)
        case "applicant_type":
            col = next(c for c in APPLICANT_COLUMNS if c.key == value)
            return _pick(rng, col.label, col.aliases, profile, 0.3)
        case "request_channel":
            others = tuple(a for a, k in REQUEST_CHANNEL_ALIASES.items() if k == value)
            return _pick(rng, REQUEST_CHANNELS[value], others, profile, 0.3)
        case "proceeding":
            group = next(g for g in APPEAL_GROUPS if g.key == value)
            return group.full_label  # the ledger spelling: 行政复议, 行政诉讼（未经复议直接起诉）, 行政诉讼（复议后起诉）
        case "result":
            res = next(r for r in APPEAL_RESULTS if r.key == value)
            return _pick(rng, res.ledger_value, res.aliases[:1], profile, 0.3)
    raise KeyError(column)


# Labels of the pre-2019 form still typed by clerks (each is an alias in schemas.vocabulary).
PRE2019_OUTCOMES = {"3.1": ("同意公开",), "3.2": ("同意部分公开",), "3.4.1": ("信息不存在", "非本机关政府信息")}
assert all(a in APPLICATION_ROW_BY_KEY[k].aliases for k, v in PRE2019_OUTCOMES.items() for a in v)


def spell_outcome(rng: random.Random, profile: Profile, key: str, pre2019: bool = False) -> str:
    """An outcome as clerks type it: mostly the short label without its numbering,
    sometimes the numbered label or a short form; `pre2019` picks an old-format alias."""
    row = APPLICATION_ROW_BY_KEY[key]
    if pre2019 and key in PRE2019_OUTCOMES:
        return rng.choice(PRE2019_OUTCOMES[key])
    main = _strip_number(row.short)
    if key == "3.2":
        main = "部分公开"  # nobody types the parenthesised note
    roll = rng.random()
    if roll < 0.15:
        return row.short
    if roll < 0.3 and row.aliases:
        return row.aliases[0]
    return main
