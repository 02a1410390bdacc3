"""The consistency relations (勾稽关系) of national-format.md, over fact frames of many agency-years at once.

Every relation is a handful of group-bys on the long frames of `frames`; there is
no Python loop over agencies or rows. Each relation yields one *instance* per
thing it compares (a column for A1/A2/A4, a row for A3, a group for R1, a
document kind for P1, a cell for N1). An instance whose cells are missing or
null (a published report left them blank) is not evaluated: `ok` is null.

- `violations(...)`: the failing instances, with the numbers and a bilingual message.
- `check_results(...)`: one row per agency-year × applicable relation (frames.CHECK_RESULT).

A relation applies to an agency-year when at least one of its instances could be
evaluated there; A4 and P1 also need the same agency's year Y−1, from the same
frames or from `previous_*`.
"""

from collections.abc import Iterable
from typing import NamedTuple

import polars as pl

from pipelines.defs.tables import frames
from schemas import vocabulary as v

# Row/column vocabulary for messages, built from the vocabulary module.
_COL_LABEL = v.APPLICATION_COLUMN_LABELS
_ROW_LABEL = {r.key: f"{r.group}{r.short}" for r in v.APPLICATION_ROWS}
_GROUP_LABEL = {g.key: g.full_label for g in v.APPEAL_GROUPS}
_RESULT_LABEL = {r.key: r.label for r in v.APPEAL_RESULTS}
_ITEM_LABEL = {i.key: i.label for i in v.PROACTIVE_ITEMS}
_METRIC_LABEL = {m.key: m.label for i in v.PROACTIVE_ITEMS for m in i.metrics}
_AMOUNT_METRICS = [m.key for i in v.PROACTIVE_ITEMS for m in i.metrics if m.key == "amount_wan_yuan"]
_RELATION_ORDER = {r.id: i for i, r in enumerate(v.RELATIONS)}
_SEVERITY = {r.id: r.severity for r in v.RELATIONS}

# Form order of rows/columns/cells, so the first failing cell reported is the first a reader meets.
_A_ROW_ORDER = {k: i for i, k in enumerate(v.APPLICATION_ROW_KEYS)}
_A_COL_ORDER = {k: i for i, k in enumerate(v.APPLICATION_COLUMN_KEYS)}
_R_GROUP_ORDER = {k: i for i, k in enumerate(v.APPEAL_GROUP_KEYS)}
_R_RESULT_ORDER = {k: i for i, k in enumerate(v.APPEAL_RESULT_KEYS)}
_P_ORDER = {f"{i}.{m}": n for n, (i, m) in enumerate(v.PROACTIVE_CELLS)}

VIOLATION = frames.keyed(
    {
        "check_id": pl.String,
        "severity": pl.String,
        "table": pl.String,  # P, A or R
        "row_key": pl.String,  # table A row key, table R group key, table P item key
        "column_key": pl.String,  # table A column key, table R result key, table P metric key
        "lhs": pl.Float64,
        "rhs": pl.Float64,
        "detail": pl.String,  # the arithmetic alone, e.g. "3 + 1 = 4 ≠ 2 + 1 = 3"
        "message": pl.String,  # "zh / en", for a reviewer
    }
)


# ----------------------------------------------------------------- helpers


def _num(expr: pl.Expr) -> pl.Expr:
    """A number as a reader writes it: 3, 0.25, or ? when unknown."""
    expr = expr.cast(pl.Float64)
    return (
        pl.when(expr.is_null()).then(pl.lit("?")).when(expr == expr.round(0)).then(expr.cast(pl.Int64).cast(pl.String)).otherwise(expr.round(4).cast(pl.String))
    )


def _label(col: str, mapping: dict[str, str]) -> pl.Expr:
    return pl.col(col).replace_strict(mapping, default=pl.col(col), return_dtype=pl.String)


def _order(col: str, mapping: dict[str, int]) -> pl.Expr:
    return pl.col(col).replace_strict(mapping, default=999, return_dtype=pl.Int64)


def _cell(key_col: str, key: str) -> pl.Expr:
    """Inside a group_by: the value of the cell whose `key_col` is `key` (null when absent)."""
    return pl.col("value").filter(pl.col(key_col) == key).first().cast(pl.Float64)


def _sum_of(key_col: str, keys: Iterable[str]) -> tuple[pl.Expr, pl.Expr, pl.Expr]:
    """The sum over cells with `key_col` in keys, and how many of them are non-null: a column `_part` to add before
    the group_by (the value of those cells, null elsewhere), then its sum and count inside it. Masking before
    the group_by is twice as fast as filtering inside it."""
    part = pl.when(pl.col(key_col).is_in(list(keys))).then(pl.col("value")).alias("_part")
    return part, pl.col("_part").sum().cast(pl.Float64), pl.col("_part").count()


def _equal(lhs: pl.Expr, rhs: pl.Expr) -> pl.Expr:
    return (lhs - rhs).abs() < 1e-9


class _Relation(NamedTuple):
    """What one relation compares: a frame with a row per instance, and how to judge and describe each."""

    df: pl.DataFrame
    check_id: str
    table: str
    row_key: pl.Expr
    column_key: pl.Expr
    ok: pl.Expr
    detail: pl.Expr
    zh: pl.Expr
    en: pl.Expr
    order: pl.Expr


def _rows(rel: _Relation, part: pl.DataFrame, texts: tuple[pl.Expr, pl.Expr, pl.Expr]) -> pl.DataFrame:
    return part.select(
        pl.col("agency_code").cast(pl.String),
        pl.col("year").cast(pl.Int32),
        pl.lit(rel.check_id).alias("check_id"),
        pl.lit(rel.table).alias("table"),
        rel.row_key.cast(pl.String).alias("row_key"),
        rel.column_key.cast(pl.String).alias("column_key"),
        pl.col("lhs").cast(pl.Float64),
        pl.col("rhs").cast(pl.Float64),
        pl.col("_ok").alias("ok"),
        texts[0].cast(pl.String).alias("detail"),
        texts[1].cast(pl.String).alias("zh"),
        texts[2].cast(pl.String).alias("en"),
        rel.order.cast(pl.Int64).alias("order"),
    )


def _judged(rel: _Relation) -> tuple[pl.DataFrame, pl.DataFrame]:
    """The relation's instances with their verdict `_ok`, and the failing ones laid out with their messages (null, not
    evaluated, is not a failure: the filter drops it). Messages are written for failing instances only: a national
    year has tens of millions of passing cells."""
    judged = rel.df.with_columns(rel.ok.alias("_ok"))
    return judged, _rows(rel, judged.filter(pl.col("_ok").not_()), (rel.detail, rel.zh, rel.en))


def _finish(rel: _Relation) -> pl.DataFrame:
    """Every instance of the relation."""
    judged, failing = _judged(rel)
    passing = judged.filter(pl.col("_ok").fill_null(True))
    return pl.concat([failing, _rows(rel, passing, (pl.lit(None, pl.String),) * 3)], how="vertical")


def _tally(rel: _Relation) -> tuple[pl.DataFrame, pl.DataFrame]:
    """What check_results needs of the relation: per agency-year, the instances evaluated, failing and not evaluated;
    and the failing instances themselves. The passing ones are only counted, never laid out (the check of a
    national year's tables spent two thirds of its time laying them out)."""
    judged, failing = _judged(rel)
    counts = judged.group_by("agency_code", "year").agg(
        n_eval=pl.col("_ok").is_not_null().sum(), n_fail=pl.col("_ok").not_().sum(), n_skip=pl.col("_ok").is_null().sum()
    )
    counts = counts.select(
        pl.col("agency_code").cast(pl.String), pl.col("year").cast(pl.Int32), pl.lit(rel.check_id).alias("check_id"), "n_eval", "n_fail", "n_skip"
    )
    return counts, failing


def _frame(df: pl.DataFrame | None, schema: pl.Schema) -> pl.DataFrame:
    if df is None:
        return frames.empty(schema)
    return df.select([pl.col(c).cast(t) for c, t in schema.items()])


# ---------------------------------------------------------------- relations


def _by_column(app: pl.DataFrame) -> pl.DataFrame:
    """Per agency-year and column of table A, the cells A1 and A2 read: one group_by for both."""
    part, outcomes, n = _sum_of("row_key", v.OUTCOME_KEYS)
    return (
        app.with_columns(part)
        .group_by("agency_code", "year", "column_key")
        .agg(
            v1=_cell("row_key", "1"),
            v2=_cell("row_key", "2"),
            v37=_cell("row_key", "3.7"),
            v4=_cell("row_key", "4"),
            outcomes=outcomes,
            n_outcomes=n,
        )
    )


def _a1(by_column: pl.DataFrame) -> _Relation:
    g = by_column.with_columns(lhs=pl.col("v1") + pl.col("v2"), rhs=pl.col("v37") + pl.col("v4"))
    col = _label("column_key", _COL_LABEL)
    return _Relation(
        g,
        "A1",
        "A",
        pl.lit(None, pl.String),
        pl.col("column_key"),
        _equal(pl.col("lhs"), pl.col("rhs")),
        pl.format(
            "{} + {} = {} ≠ {} + {} = {}",
            _num(pl.col("v1")),
            _num(pl.col("v2")),
            _num(pl.col("lhs")),
            _num(pl.col("v37")),
            _num(pl.col("v4")),
            _num(pl.col("rhs")),
        ),
        pl.format(
            "表A {}列：第一项({})+第二项({})={} ≠ 第三项总计({})+第四项({})={}",
            col,
            _num(pl.col("v1")),
            _num(pl.col("v2")),
            _num(pl.col("lhs")),
            _num(pl.col("v37")),
            _num(pl.col("v4")),
            _num(pl.col("rhs")),
        ),
        pl.format("table A {}: row 1 + row 2 = {} ≠ row 3.7 + row 4 = {}", pl.col("column_key"), _num(pl.col("lhs")), _num(pl.col("rhs"))),
        _order("column_key", _A_COL_ORDER),
    )


def _a2(by_column: pl.DataFrame) -> _Relation:
    g = by_column.with_columns(lhs=pl.col("v37"), rhs=pl.when(pl.col("n_outcomes") == len(v.OUTCOME_KEYS)).then(pl.col("outcomes")))
    col = _label("column_key", _COL_LABEL)
    return _Relation(
        g,
        "A2",
        "A",
        pl.lit("3.7"),
        pl.col("column_key"),
        _equal(pl.col("lhs"), pl.col("rhs")),
        pl.format("{} ≠ {}", _num(pl.col("lhs")), _num(pl.col("rhs"))),
        pl.format("表A {}列：第三项总计({}) ≠ 办理结果各分项之和({})", col, _num(pl.col("lhs")), _num(pl.col("rhs"))),
        pl.format("table A {}: row 3.7 = {} ≠ sum of rows 3.1 … 3.6.3 = {}", pl.col("column_key"), _num(pl.col("lhs")), _num(pl.col("rhs"))),
        _order("column_key", _A_COL_ORDER),
    )


def _a3(app: pl.DataFrame) -> _Relation:
    part, total, n = _sum_of("column_key", v.APPLICANT_KEYS)
    g = app.with_columns(part).group_by("agency_code", "year", "row_key").agg(lhs=_cell("column_key", "total"), rhs=total, n=n)
    g = g.with_columns(rhs=pl.when(pl.col("n") == len(v.APPLICANT_KEYS)).then(pl.col("rhs")))
    return _Relation(
        g,
        "A3",
        "A",
        pl.col("row_key"),
        pl.lit("total"),
        _equal(pl.col("lhs"), pl.col("rhs")),
        pl.format("{} ≠ {}", _num(pl.col("lhs")), _num(pl.col("rhs"))),
        pl.format("表A「{}」行：总计({}) ≠ 六类申请人之和({})", _label("row_key", _ROW_LABEL), _num(pl.col("lhs")), _num(pl.col("rhs"))),
        pl.format("table A row {}: total = {} ≠ sum of the six applicant columns = {}", pl.col("row_key"), _num(pl.col("lhs")), _num(pl.col("rhs"))),
        _order("row_key", _A_ROW_ORDER),
    )


def _a4(app: pl.DataFrame, before: pl.DataFrame) -> _Relation:
    cur = app.filter(pl.col("row_key") == "2").select("agency_code", "year", "column_key", lhs=pl.col("value").cast(pl.Float64))
    prev = (
        before.filter(pl.col("row_key") == "4")
        .unique(["agency_code", "year", "column_key"], keep="first", maintain_order=True)
        .select("agency_code", year=(pl.col("year") + 1).cast(pl.Int32), column_key="column_key", rhs=pl.col("value").cast(pl.Float64))
    )
    g = cur.join(prev, on=["agency_code", "year", "column_key"], how="inner")
    col = _label("column_key", _COL_LABEL)
    prev_year = (pl.col("year") - 1).cast(pl.String)
    return _Relation(
        g,
        "A4",
        "A",
        pl.lit("2"),
        pl.col("column_key"),
        _equal(pl.col("lhs"), pl.col("rhs")),
        pl.format("{} ≠ {}", _num(pl.col("lhs")), _num(pl.col("rhs"))),
        pl.format("表A {}列：本年第二项“上年结转”({}) ≠ {}年第四项“结转下年度”({})", col, _num(pl.col("lhs")), prev_year, _num(pl.col("rhs"))),
        pl.format("table A {}: row 2 of {} = {} ≠ row 4 of {} = {}", pl.col("column_key"), pl.col("year"), _num(pl.col("lhs")), prev_year, _num(pl.col("rhs"))),
        _order("column_key", _A_COL_ORDER),
    )


def _r1(appeals: pl.DataFrame) -> _Relation:
    parts = [r for r in v.APPEAL_RESULT_KEYS if r != "total"]
    part, total, n = _sum_of("result", parts)
    g = (
        appeals.with_columns(part)
        .group_by("agency_code", "year", "group_key")
        .agg(lhs=_cell("result", "total"), rhs=total, n=n, **{f"v_{r}": _cell("result", r) for r in parts})
    )
    g = g.with_columns(rhs=pl.when(pl.col("n") == len(parts)).then(pl.col("rhs")))
    terms_zh = pl.concat_str([pl.format("{}({})", pl.lit(_RESULT_LABEL[r]), _num(pl.col(f"v_{r}"))) for r in parts], separator="+")
    terms_en = pl.concat_str([pl.format("{} {}", pl.lit(r), _num(pl.col(f"v_{r}"))) for r in parts], separator=" + ")
    return _Relation(
        g,
        "R1",
        "R",
        pl.col("group_key"),
        pl.lit("total"),
        _equal(pl.col("lhs"), pl.col("rhs")),
        pl.format("{} ≠ {}", _num(pl.col("lhs")), _num(pl.col("rhs"))),
        pl.format("表R {}：总计({}) ≠ {}={}", _label("group_key", _GROUP_LABEL), _num(pl.col("lhs")), terms_zh, _num(pl.col("rhs"))),
        pl.format("table R {}: total = {} ≠ {} = {}", pl.col("group_key"), _num(pl.col("lhs")), terms_en, _num(pl.col("rhs"))),
        _order("group_key", _R_GROUP_ORDER),
    )


def _p1(pro: pl.DataFrame, before: pl.DataFrame) -> _Relation:
    docs = pro.filter(pl.col("item").is_in(list(v.DOCUMENT_ITEMS)))
    cur = docs.group_by("agency_code", "year", "item").agg(
        in_force=_cell("metric", "in_force"), issued=_cell("metric", "issued"), repealed=_cell("metric", "repealed")
    )
    prev = (
        before.filter(pl.col("item").is_in(list(v.DOCUMENT_ITEMS)) & (pl.col("metric") == "in_force"))
        .unique(["agency_code", "year", "item"], keep="first", maintain_order=True)
        .select("agency_code", year=(pl.col("year") + 1).cast(pl.Int32), item="item", prev_in_force=pl.col("value").cast(pl.Float64))
    )
    g = cur.join(prev, on=["agency_code", "year", "item"], how="inner").with_columns(
        lhs=pl.col("in_force"), rhs=pl.col("prev_in_force") + pl.col("issued") - pl.col("repealed")
    )
    prev_year = (pl.col("year") - 1).cast(pl.String)
    return _Relation(
        g,
        "P1",
        "P",
        pl.col("item"),
        pl.lit("in_force"),
        _equal(pl.col("lhs"), pl.col("rhs")),
        pl.format(
            "{} ≠ {} + {} − {} = {}", _num(pl.col("lhs")), _num(pl.col("prev_in_force")), _num(pl.col("issued")), _num(pl.col("repealed")), _num(pl.col("rhs"))
        ),
        pl.format(
            "表P {}：现行有效件数({}) ≠ {}年现行有效({})+本年制发({})−本年废止({})={}",
            _label("item", _ITEM_LABEL),
            _num(pl.col("lhs")),
            prev_year,
            _num(pl.col("prev_in_force")),
            _num(pl.col("issued")),
            _num(pl.col("repealed")),
            _num(pl.col("rhs")),
        ),
        pl.format(
            "table P {}: in_force = {} ≠ in_force of {} ({}) + issued ({}) − repealed ({}) = {}",
            pl.col("item"),
            _num(pl.col("lhs")),
            prev_year,
            _num(pl.col("prev_in_force")),
            _num(pl.col("issued")),
            _num(pl.col("repealed")),
            _num(pl.col("rhs")),
        ),
        _order("item", {k: i for i, k in enumerate(v.DOCUMENT_ITEMS)}),
    )


def _n1(app: pl.DataFrame, appeals: pl.DataFrame, pro: pl.DataFrame) -> list[_Relation]:
    whole = "不是非负整数", "is not a whole number ≥ 0"
    a = _Relation(
        app.filter(pl.col("value").is_not_null()).with_columns(lhs=pl.col("value").cast(pl.Float64), rhs=pl.lit(0.0)),
        "N1",
        "A",
        pl.col("row_key"),
        pl.col("column_key"),
        pl.col("lhs") >= 0,
        pl.format("{}", _num(pl.col("lhs"))),
        pl.format("表A「{}」{}：{} {}", _label("row_key", _ROW_LABEL), _label("column_key", _COL_LABEL), _num(pl.col("lhs")), pl.lit(whole[0])),
        pl.format("table A row {} {}: {} {}", pl.col("row_key"), pl.col("column_key"), _num(pl.col("lhs")), pl.lit(whole[1])),
        1000 + _order("row_key", _A_ROW_ORDER) * 10 + _order("column_key", _A_COL_ORDER),
    )
    r = _Relation(
        appeals.filter(pl.col("value").is_not_null()).with_columns(lhs=pl.col("value").cast(pl.Float64), rhs=pl.lit(0.0)),
        "N1",
        "R",
        pl.col("group_key"),
        pl.col("result"),
        pl.col("lhs") >= 0,
        pl.format("{}", _num(pl.col("lhs"))),
        pl.format("表R {}·{}：{} {}", _label("group_key", _GROUP_LABEL), _label("result", _RESULT_LABEL), _num(pl.col("lhs")), pl.lit(whole[0])),
        pl.format("table R {} {}: {} {}", pl.col("group_key"), pl.col("result"), _num(pl.col("lhs")), pl.lit(whole[1])),
        10000 + _order("group_key", _R_GROUP_ORDER) * 10 + _order("result", _R_RESULT_ORDER),
    )
    is_amount = pl.col("metric").is_in(_AMOUNT_METRICS)
    p = _Relation(
        pro.filter(pl.col("value").is_not_null()).with_columns(lhs=pl.col("value").cast(pl.Float64), rhs=pl.lit(0.0)),
        "N1",
        "P",
        pl.col("item"),
        pl.col("metric"),
        (pl.col("lhs") >= 0) & (is_amount | (pl.col("lhs") == pl.col("lhs").floor())),
        pl.format("{}", _num(pl.col("lhs"))),
        pl.format(
            "表P {}·{}：{} {}",
            _label("item", _ITEM_LABEL),
            _label("metric", _METRIC_LABEL),
            _num(pl.col("lhs")),
            pl.when(is_amount).then(pl.lit("为负数")).otherwise(pl.lit(whole[0])),
        ),
        pl.format(
            "table P {} {}: {} {}",
            pl.col("item"),
            pl.col("metric"),
            _num(pl.col("lhs")),
            pl.when(is_amount).then(pl.lit("is negative")).otherwise(pl.lit(whole[1])),
        ),
        pl.concat_str(pl.col("item"), pl.lit("."), pl.col("metric")).replace_strict(_P_ORDER, default=999, return_dtype=pl.Int64),
    )
    return [p, a, r]


def instances(
    applications: pl.DataFrame | None,
    appeals: pl.DataFrame | None,
    proactive: pl.DataFrame | None,
    *,
    previous_applications: pl.DataFrame | None = None,
    previous_proactive: pl.DataFrame | None = None,
) -> pl.DataFrame:
    """Every relation instance, evaluated (`ok` true/false) or not (`ok` null: a cell is missing)."""
    rels = _relations(applications, appeals, proactive, previous_applications=previous_applications, previous_proactive=previous_proactive)
    out = pl.concat([_finish(r) for r in rels], how="vertical")
    return out.with_columns(_relation_order()).sort(*_FORM_ORDER, nulls_last=True).drop("relation_order")


# Instances of an agency-year in the order a reader meets them.
_FORM_ORDER = ("agency_code", "year", "relation_order", "order", "row_key", "column_key")


def _relation_order() -> pl.Expr:
    return pl.col("check_id").replace_strict(_RELATION_ORDER, return_dtype=pl.Int64).alias("relation_order")


def _relations(
    applications: pl.DataFrame | None,
    appeals: pl.DataFrame | None,
    proactive: pl.DataFrame | None,
    *,
    previous_applications: pl.DataFrame | None = None,
    previous_proactive: pl.DataFrame | None = None,
) -> list[_Relation]:
    app = _frame(applications, frames.APPLICATION)
    rev = _frame(appeals, frames.APPEAL)
    pro = _frame(proactive, frames.PROACTIVE)
    # Y−1 comes from the frames themselves first, then from the previous_* frames.
    app_before = pl.concat([app, _frame(previous_applications, frames.APPLICATION)], how="vertical")
    pro_before = pl.concat([pro, _frame(previous_proactive, frames.PROACTIVE)], how="vertical")
    by_column = _by_column(app)
    return [_a1(by_column), _a2(by_column), _a3(app), _a4(app, app_before), _r1(rev), _p1(pro, pro_before), *_n1(app, rev, pro)]


# ------------------------------------------------------------------ public


def violations(
    applications: pl.DataFrame | None,
    appeals: pl.DataFrame | None,
    proactive: pl.DataFrame | None,
    *,
    previous_applications: pl.DataFrame | None = None,
    previous_proactive: pl.DataFrame | None = None,
) -> pl.DataFrame:
    """One row per failing relation instance (schema VIOLATION), in form order per agency-year."""
    inst = instances(applications, appeals, proactive, previous_applications=previous_applications, previous_proactive=previous_proactive)
    return inst.filter(pl.col("ok").not_()).select(  # null (not evaluated) must not match: filter drops it
        "agency_code",
        "year",
        "check_id",
        pl.col("check_id").replace_strict(_SEVERITY, return_dtype=pl.String).alias("severity"),
        "table",
        "row_key",
        "column_key",
        "lhs",
        "rhs",
        "detail",
        pl.concat_str("zh", pl.lit(" / "), "en").alias("message"),
    )


_SHOWN = 2  # failing instances quoted in a check result's one-line message


def check_results(
    applications: pl.DataFrame | None,
    appeals: pl.DataFrame | None,
    proactive: pl.DataFrame | None,
    *,
    previous_applications: pl.DataFrame | None = None,
    previous_proactive: pl.DataFrame | None = None,
) -> pl.DataFrame:
    """One row per agency-year × applicable relation (frames.CHECK_RESULT): pass, warn or fail, with a one-line message."""
    rels = _relations(applications, appeals, proactive, previous_applications=previous_applications, previous_proactive=previous_proactive)
    tallies = [_tally(r) for r in rels]
    key = ["agency_code", "year", "check_id"]
    # N1 is three relations (tables A, R and P) under one id: their counts add up
    counts = pl.concat([c for c, _ in tallies], how="vertical").group_by(key).agg(pl.col("n_eval", "n_fail", "n_skip").sum())
    # only the failing instances need form order (which ones are quoted): sorting them alone spares a sort of every cell
    shown = (
        pl.concat([f for _, f in tallies], how="vertical")
        .with_columns(_relation_order())
        .sort(*_FORM_ORDER, nulls_last=True)
        .group_by(key, maintain_order=True)
        .agg(zh=pl.col("zh").head(_SHOWN).str.join("；"), en=pl.col("en").head(_SHOWN).str.join("; "))
    )
    g = counts.filter(pl.col("n_eval") > 0).join(shown, on=key, how="left", nulls_equal=True)
    relation_zh = pl.col("check_id").replace_strict({r.id: r.zh for r in v.RELATIONS}, return_dtype=pl.String)
    relation_en = pl.col("check_id").replace_strict({r.id: r.en for r in v.RELATIONS}, return_dtype=pl.String)
    severity = pl.col("check_id").replace_strict(_SEVERITY, return_dtype=pl.String)
    more = pl.col("n_fail") - _SHOWN
    skipped_zh = pl.when(pl.col("n_skip") > 0).then(pl.format("（另有{}项因缺值未核对）", pl.col("n_skip"))).otherwise(pl.lit(""))
    skipped_en = pl.when(pl.col("n_skip") > 0).then(pl.format(" ({} not checked: cells missing)", pl.col("n_skip"))).otherwise(pl.lit(""))
    more_zh = pl.when(more > 0).then(pl.format("；另有{}处", more)).otherwise(pl.lit(""))
    more_en = pl.when(more > 0).then(pl.format("; and {} more", more)).otherwise(pl.lit(""))
    message = (
        pl.when(pl.col("n_fail") == 0)
        .then(pl.format("{}：{}项均满足{} / {}: all {} hold{}", relation_zh, pl.col("n_eval"), skipped_zh, relation_en, pl.col("n_eval"), skipped_en))
        .otherwise(
            pl.format(
                "{}处不符：{}{}{} / {} failing: {}{}{}",
                pl.col("n_fail"),
                pl.col("zh"),
                more_zh,
                skipped_zh,
                pl.col("n_fail"),
                pl.col("en"),
                more_en,
                skipped_en,
            )
        )
    )
    status = pl.when(pl.col("n_fail") == 0).then(pl.lit("pass")).when(severity == "warning").then(pl.lit("warn")).otherwise(pl.lit("fail"))
    out = g.select(
        pl.col("agency_code"),
        pl.col("year"),
        pl.col("check_id"),
        severity.alias("severity"),
        status.alias("status"),
        message.alias("message"),
        pl.col("check_id").replace_strict(_RELATION_ORDER, return_dtype=pl.Int64).alias("_order"),
    )
    return out.sort("agency_code", "year", "_order").drop("_order").select([pl.col(c).cast(t) for c, t in frames.CHECK_RESULT.items()])
