"""Pandera (polars) schemas of the four ledger kinds: every rule of raw-data.md.

They validate the frame `normalize` makes: typed columns plus `<column>__raw`
text, `_file`/`_row`, `_agency_known` (the agency is in the agencies list) and
`_today` (the day of the run: a date after it is implausible).
Each check is named `<rule id>:<column>` and sits on that column; the order of
RULE_CHECKS is the order in which a row's first broken rule is reported.
"""

import datetime as dt
from collections.abc import Callable

import pandera.polars as pa
import polars as pl
from pandera.api.polars.types import PolarsData

from schemas.codes import valid_expr
from schemas.columns import KINDS, LEDGER_KINDS, Column, Kind

RAW = "__raw"
SEP = ":"

DTYPES = {"text": pl.String, "code": pl.String, "date": pl.Date, "decimal": pl.Float64, "int": pl.Int64, "bool": pl.Boolean, "year": pl.Int32}
TODAY = "_today"  # a column holding the day of the run (ingestion adds it)
PERSONAL = "__personal"  # `<column>__personal`, added by ingestion: the value holds personal data (pii.holds_personal)


def id_columns(kind: Kind) -> tuple[str, ...]:
    """The identifiers a record is kept with (its id, an appeal's link to an application): none may hold personal
    data, since masking one could merge two records."""
    if kind.key not in LEDGER_KINDS:
        return ()
    return (kind.id_column, *(["application_id"] if kind.key == "appeals" else []))


# Plausibility: the Regulations on the Disclosure of Government Information took effect on 1 May 2008, so no
# ledger date is earlier; none is later than the day of the run. No amount in a ledger reaches 10^9 元.
EARLIEST_DATE = dt.date(2008, 5, 1)
MAX_AMOUNT_YUAN = 1e9
MAX_DAYS = 365  # working days: no consultation of a third party takes more than a year of them


def raw(key: str) -> pl.Expr:
    return pl.col(key + RAW)


def name(check: pa.Check) -> str:
    """A row rule's `<rule id>:<column>` (every check of ours is named)."""
    return check.name or ""


def given(col: Column) -> pl.Expr:
    """The clerk typed something (whether or not it could be read)."""
    return (raw(col.key) if col.type != "text" else pl.col(col.key)).is_not_null()


def row_check(rule: str, column: str, ok: pl.Expr) -> pa.Check:
    """A row-level check: `ok` is true for rows that keep the rule (nulls count as kept)."""

    def fn(data: PolarsData) -> pl.LazyFrame:
        return data.lazyframe.select(ok.fill_null(True).alias("ok"))

    return pa.Check(fn, name=f"{rule}{SEP}{column}", ignore_na=False)


def per_value(fn: Callable[[pl.Expr], pl.Expr], expr: pl.Expr) -> pl.Expr:
    """`fn(expr)` worked out once per distinct value, for a row-wise `fn` that gives true or false (never null).

    A batch holds millions of rows but a few thousand agency codes, and the GB 32100 check is ~40 string
    operations per value. (A Python step: as a plain expression Polars would re-run `unique` for each use.)"""

    def run(s: pl.Series) -> pl.Series:
        distinct = s.unique()
        true = distinct.filter(distinct.to_frame().select(fn(pl.col(s.name))).to_series())
        return s.is_in(true.implode(), nulls_equal=True)

    return expr.map_batches(run, return_dtype=pl.Boolean)


def is_duplicated(columns: list[str], screen: str) -> pl.Expr:
    """`pl.struct(columns).is_duplicated()`, screened on a hash of the one column `screen`: record ids are nearly
    all distinct, and hashing one column costs a fraction of comparing every row's whole key. Exact: rows
    with the same key have the same `screen` value, so the screen keeps them all for the full comparison."""

    def run(key: pl.Series) -> pl.Series:
        hashed = key.struct.field(screen).hash()
        if hashed.n_unique() == hashed.len():  # the common case, and quicker to tell than `is_duplicated`
            return pl.repeat(False, hashed.len(), eager=True)
        maybe = hashed.is_duplicated()
        return maybe.scatter(maybe.arg_true(), key.filter(maybe).is_duplicated())

    return pl.struct(*columns).map_batches(run, return_dtype=pl.Boolean)


def _identity_checks(kind: Kind) -> list[pa.Check]:
    code = pl.col("agency_code")
    valid = per_value(valid_expr, code)
    checks = [
        row_check("agency_code_missing", "agency_code", code.is_not_null()),
        row_check("agency_code_invalid", "agency_code", code.is_null() | valid),
    ]
    if kind.key != "agencies":
        checks.append(row_check("agency_unknown", "agency_code", code.is_null() | ~valid | pl.col("_agency_known")))
    rid = kind.id_column
    if rid != "agency_code":
        checks.append(row_check("record_id_missing", rid, given(kind.column(rid))))
    # The same id twice in one file is ambiguous: which row is meant is the clerk's call, not ours.
    key = list(kind.record_key)
    same_file = is_duplicated(list(dict.fromkeys(("_file", "agency_code", *key))), screen=rid)
    unkeyed = pl.any_horizontal(pl.col(k).is_null() for k in key) | pl.col("agency_code").is_null()
    checks.append(row_check("duplicate_record", rid, unkeyed | ~same_file))
    for column in id_columns(kind):  # kept with the record: it must not be the applicant's ID number
        checks.append(row_check("record_id_personal", column, ~pl.col(column + PERSONAL)))
    return checks


def plausible_date(key: str) -> pl.Expr:
    """A readable date between EARLIEST_DATE and the day of the run (null: unreadable or empty)."""
    return pl.col(key).is_between(pl.lit(EARLIEST_DATE), pl.col(TODAY))


_PARSE_RULES: dict[str, tuple[str, Callable[[str], pl.Expr]]] = {
    "date": ("date_invalid", lambda k: pl.col(k).is_not_null()),
    "code": ("value_invalid", lambda k: pl.col(k).is_not_null()),
    "int": ("integer_invalid", lambda k: pl.col(k).is_not_null()),
    "decimal": ("number_invalid", lambda k: pl.col(k).is_not_null() & (pl.col(k) >= 0)),
    "bool": ("yes_no_invalid", lambda k: pl.col(k).is_not_null()),
    "year": ("year_invalid", lambda k: pl.col(k).is_not_null() & pl.col(k).is_between(EARLIEST_DATE.year, pl.col(TODAY).dt.year())),
}
# Values that parse but cannot be true: their own rules, after the parse rules.
_PLAUSIBLE_RULES: dict[str, tuple[str, Callable[[str], pl.Expr]]] = {
    "date": ("date_implausible", plausible_date),
    "decimal": ("amount_implausible", lambda k: pl.col(k) <= MAX_AMOUNT_YUAN),
    "int": ("days_implausible", lambda k: pl.col(k) <= MAX_DAYS),
}


def _column_checks(kind: Kind, required: tuple[str, ...]) -> list[pa.Check]:
    checks = []
    for col in kind.columns:
        if col.personal or col.key == "agency_code":
            continue
        if col.key in required and col.key != kind.id_column:
            checks.append(row_check("value_missing", col.key, given(col)))
        if col.type in _PARSE_RULES:
            rule, readable = _PARSE_RULES[col.type]
            checks.append(row_check(rule, col.key, raw(col.key).is_null() | readable(col.key)))
        if col.type in _PLAUSIBLE_RULES:
            rule, plausible = _PLAUSIBLE_RULES[col.type]
            checks.append(row_check(rule, col.key, pl.col(col.key).is_null() | plausible(col.key)))
    return checks


def _repeal_names_issued_document() -> pa.Check:
    """A repeal must name a doc_number the same agency issued on or before the repeal's date.

    The issue may sit in any file, so ingestion works out each document's first issue across all files and
    hands it over as `_first_issued`; the rule itself is then one comparison per row.
    """
    repeal = (pl.col("doc_action") == "repeal").fill_null(False)
    issued_before = (pl.col("_first_issued") <= pl.col("published_on")).fill_null(False)
    return row_check("repeal_unknown_document", "doc_number", ~repeal | issued_before)


def _disclosure_checks() -> list[pa.Check]:
    is_document = pl.col("category").is_in(["regulation", "normative_document"])
    return [
        row_check("doc_number_missing", "doc_number", ~is_document | pl.col("doc_number").is_not_null()),
        row_check("doc_action_missing", "doc_action", ~is_document | raw("doc_action").is_not_null()),
        row_check("amount_missing", "amount_yuan", (pl.col("category") != "admin_fee") | raw("amount_yuan").is_not_null()),
        _repeal_names_issued_document(),
    ]


def _application_checks() -> list[pa.Check]:
    received, closed = pl.col("received_on"), pl.col("closed_on")
    return [
        row_check("closed_before_received", "closed_on", closed >= received),
        row_check("correction_before_received", "correction_received_on", pl.col("correction_received_on") >= received),
        row_check("outcome_without_closed_on", "outcome", raw("outcome").is_null() | raw("closed_on").is_not_null()),
        row_check("closed_on_without_outcome", "closed_on", raw("closed_on").is_null() | raw("outcome").is_not_null()),
    ]


def _appeal_checks() -> list[pa.Check]:
    return [
        row_check("concluded_before_filed", "concluded_on", pl.col("concluded_on") >= pl.col("filed_on")),
        row_check("result_without_concluded_on", "result", raw("result").is_null() | raw("concluded_on").is_not_null()),
        row_check("concluded_on_without_result", "concluded_on", raw("concluded_on").is_null() | raw("result").is_not_null()),
    ]


def _agency_checks() -> list[pa.Check]:
    return [row_check("division_code_invalid", "division_code", pl.col("division_code").is_null() | pl.col("division_code").str.contains(r"^\d{12}$"))]


# Values required in every row (beyond agency and record id), per kind.
REQUIRED_VALUES = {
    "agencies": ("agency_name",),
    "disclosures": ("title", "published_on", "channel", "category"),
    "applications": ("received_on", "applicant_type"),
    "appeals": ("proceeding", "filed_on"),
    "submissions": ("kind", "status"),
}
_KIND_CHECKS: dict[str, Callable[[], list[pa.Check]]] = {
    "agencies": _agency_checks,
    "disclosures": _disclosure_checks,
    "applications": _application_checks,
    "appeals": _appeal_checks,
    "submissions": list,
}


def _rule_checks(kind_key: str) -> list[pa.Check]:
    kind = KINDS[kind_key]
    return _identity_checks(kind) + _column_checks(kind, REQUIRED_VALUES[kind_key]) + _KIND_CHECKS[kind_key]()


# Every row rule of a kind, in the order in which a row's first broken rule is reported.
RULE_CHECKS: dict[str, list[pa.Check]] = {k: _rule_checks(k) for k in KINDS}
CHECK_ORDER: dict[str, dict[str, int]] = {k: {name(c): i for i, c in enumerate(checks)} for k, checks in RULE_CHECKS.items()}


def schema(kind_key: str, checks: list[pa.Check] | None = None) -> pa.DataFrameSchema:
    """The kind's columns and types, each column with the row rules named after it (all of the kind's by default).

    A rule still sees the whole row; sitting on its column, pandera reports a failure with that column's
    value alone rather than the whole row (whole rows as Python objects were most of the cost of
    validating a file with many bad rows)."""
    kind = KINDS[kind_key]
    checks = RULE_CHECKS[kind_key] if checks is None else checks
    columns = {
        c.key: pa.Column(DTYPES[c.type], checks=[r for r in checks if name(r).split(SEP)[1] == c.key], nullable=True) for c in kind.columns if not c.personal
    }
    if sum(len(c.checks) for c in columns.values()) != len(checks):
        raise ValueError(f"{kind_key}: a rule names a column the kind does not have")
    columns |= {"_file": pa.Column(pl.String), "_row": pa.Column(pl.Int32)}
    return pa.DataFrameSchema(columns, name=kind_key, strict=False)


def rule_checks(s: pa.DataFrameSchema) -> list[pa.Check]:
    """The row rules a schema runs."""
    return [*s.checks, *(c for col in s.columns.values() for c in col.checks)]


SCHEMAS: dict[str, pa.DataFrameSchema] = {k: schema(k) for k in KINDS}

# Rules that need rows of other files (the agencies list, a document issued in an earlier export). The others
# look at one file only, so a file's result can be kept by its content and reused until the file changes.
CROSS_FILE_RULES = ("agency_unknown", "repeal_unknown_document")


def _split(kind_key: str, cross: bool) -> pa.DataFrameSchema:
    return schema(kind_key, [c for c in RULE_CHECKS[kind_key] if (name(c).split(SEP)[0] in CROSS_FILE_RULES) == cross])


FILE_SCHEMAS: dict[str, pa.DataFrameSchema] = {k: _split(k, cross=False) for k in KINDS}
CROSS_FILE_SCHEMAS: dict[str, pa.DataFrameSchema] = {k: _split(k, cross=True) for k in KINDS}
