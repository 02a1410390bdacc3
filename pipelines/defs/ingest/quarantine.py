"""Rejected rows: the file, the row a person sees, the rule, and a message a clerk can act on.

What a row of the quarantine shows of the ledger (the value, the message quoting it, the record id, the agency
code, the sheet) is scrubbed of personal data (pii.scrub) before it is kept anywhere: a clerk who typed an ID
number into the wrong column sees 3707**********123X, and so does anyone reading the warehouse."""

import polars as pl

from pipelines.defs.ingest.pii import personal_values, scrub
from schemas.columns import KINDS, LEDGER_KINDS
from schemas.ledgers import EARLIEST_DATE, RAW, SEP, TODAY
from schemas.rules import FILE_RULES, RULES

# The grain of the quarantine table: one row per rejected raw row.
SCHEMA = {
    "kind": pl.String,
    "path": pl.String,
    "sheet": pl.String,  # the workbook sheet (null for CSV and Parquet)
    "row": pl.Int32,
    "agency_code": pl.String,
    "record_id": pl.String,
    "rule": pl.String,
    "column": pl.String,
    "value": pl.String,
    "message": pl.String,
    "rules": pl.String,  # every rule the row breaks, in order, comma-separated
    "year": pl.Int32,  # the year of the row's own date (a register entry: its year), when readable and plausible
    "end_year": pl.Int32,  # the year it was closed/concluded; null while open, unreadable or implausible
    "superseded": pl.Boolean,  # a later export holds an accepted version of the same record
}
END_COLUMN = {"applications": "closed_on", "appeals": "concluded_on"}


_EMPTY = pl.DataFrame(schema=SCHEMA)


def empty() -> pl.DataFrame:
    return _EMPTY.clear()  # a new frame, ~100× cheaper than building one from the schema (asked for once per file)


def _label(kind: str, column: str) -> str:
    col = KINDS[kind].column(column)
    return next((a for a in col.aliases if not a.isascii()), column)


SHOWN_IN_MESSAGE = 200  # characters of a value quoted in a message (a 2 MB cell is not repeated whole)
KEPT_VALUE = 1000  # characters of a value kept in the quarantine


def _clipped(text: pl.Expr, limit: int) -> pl.Expr:
    return pl.when(text.str.len_chars() > limit).then(pl.concat_str(text.str.slice(0, limit), pl.lit("…"))).otherwise(text)


def message_expr(kind: str, check: str, value: pl.Expr) -> pl.Expr:
    """`zh / en` for one check name, with the row's value filled in (vectorized)."""
    rule_id, column = check.split(SEP)
    rule = RULES[rule_id]
    col = KINDS[kind].column(column)
    fields = {"label": _label(kind, column), "column": column, "allowed": col.allowed}
    zh = rule.zh.format(value="{value}", **fields)
    en = rule.en.format(value="{value}", **fields)
    pieces = f"{zh} / {en}".split("{value}")
    parts: list[pl.Expr] = [pl.lit(pieces[0])]
    # a message is one line: a newline or other control character typed in the cell shows as �
    shown = _clipped(value.fill_null(""), SHOWN_IN_MESSAGE).str.replace_all(r"[\x00-\x1f\x7f]", "\ufffd")
    for piece in pieces[1:]:
        parts += [shown, pl.lit(piece)]
    return pl.concat_str(parts)


def _value(kind: str, column: pl.Expr, available: list[str]) -> pl.Expr:
    """The text of the column a check names, per row: as typed where the frame still has it."""
    cols = [c for c in KINDS[kind].columns if not c.personal]
    expr = pl.lit(None, pl.String)
    for c in cols:
        text = pl.col(c.key + RAW) if c.key + RAW in available else pl.col(c.key)
        expr = pl.when(column == c.key).then(text.cast(pl.String)).otherwise(expr)
    return expr


def from_failures(kind: str, frame: pl.DataFrame, failures: pl.DataFrame, order: dict[str, int]) -> pl.DataFrame:
    """Quarantine rows from pandera's failure cases (`index`, `check`) over `frame`. The values of the personal
    columns of these rows (when `frame` still has them) are masked wherever they recur in them."""
    if failures.is_empty():
        return empty()
    per_row = (
        failures.select(pl.col("index").cast(pl.UInt32).alias("_i"), pl.col("check"))
        .unique()
        .with_columns(pl.col("check").replace_strict(order, return_dtype=pl.Int32).alias("_prio"))
        .sort("_i", "_prio")
        .group_by("_i", maintain_order=True)
        .agg(pl.col("check").first(), pl.col("check").str.split(SEP).list.first().str.join(",").alias("rules"))
    )
    rows = frame.with_row_index("_i").join(per_row, on="_i", how="inner", maintain_order="left")
    # the rejected rows' own personal values only: a handful, not every applicant of the batch
    personal = personal_values(rows)
    column = pl.col("check").str.split(SEP).list.last()
    # scrubbed before the message quotes it (clipped): a number cut in two would escape the masks
    rows = rows.with_columns(column.alias("column")).with_columns(scrub(_value(kind, pl.col("column"), frame.columns), personal).alias("value"))
    message = pl.lit(None, pl.String)
    for check in per_row.get_column("check").unique().to_list():
        message = pl.when(pl.col("check") == check).then(message_expr(kind, check, pl.col("value"))).otherwise(message)
    return _finish(kind, rows.with_columns(message.alias("message"), pl.col("check").str.split(SEP).list.first().alias("rule")), personal)


def whole_file(kind: str, frame: pl.DataFrame, rule_id: str, detail: str) -> pl.DataFrame:
    """Every row of a file rejected for a file-level reason (e.g. required columns missing)."""
    rule = FILE_RULES[rule_id]
    msg = f"{rule.zh.format(detail=detail)} / {rule.en.format(detail=detail)}"
    rows = frame.with_columns(
        pl.lit(rule_id).alias("rule"),
        pl.lit(None, pl.String).alias("column"),
        pl.lit(None, pl.String).alias("value"),
        pl.lit(msg).alias("message"),
        pl.lit(rule_id).alias("rules"),
    )
    return _finish(kind, rows, personal_values(frame))


def _year_of(rows: pl.DataFrame, column: str | None) -> pl.Expr:
    """The year of a date column, where the date is plausible (an implausible year is no year: unknown)."""
    if column is None or rows.schema.get(column) != pl.Date:
        return pl.lit(None, pl.Int32)
    date = pl.col(column)
    plausible = date >= pl.lit(EARLIEST_DATE)
    if TODAY in rows.columns:
        plausible &= date <= pl.col(TODAY)
    return pl.when(plausible).then(date.dt.year())


def record_id(kind: str, columns: list[str]) -> pl.Expr:
    """The record id a person sees: the id, or the parts of the key as typed, joined by "/" (a register entry:
    2022/依申请公开)."""
    key = KINDS[kind].record_key
    texts = [(pl.col(c + RAW) if c + RAW in columns else pl.col(c)).cast(pl.String) for c in key]
    return texts[0] if len(texts) == 1 else pl.concat_str([t.fill_null("") for t in texts], separator="/")


def _finish(kind: str, rows: pl.DataFrame, personal: pl.Series | None = None) -> pl.DataFrame:
    k = KINDS[kind]
    if kind == "submissions" and rows.schema.get("year") == pl.Int32:
        year = pl.when(pl.col("year").is_between(EARLIEST_DATE.year, pl.col(TODAY).dt.year() if TODAY in rows.columns else 9999)).then(pl.col("year"))
    else:
        year = _year_of(rows, k.date_column)
    if kind in END_COLUMN and rows.schema.get(END_COLUMN[kind]) == pl.Date:
        end_year = _year_of(rows, END_COLUMN[kind])
    elif kind in ("disclosures", "submissions"):
        end_year = year
    else:
        end_year = pl.lit(None)
    sheet = pl.col("_sheet") if "_sheet" in rows.columns else pl.lit(None, pl.String)
    return rows.select(
        pl.lit(kind).alias("kind"),
        pl.col("_file").alias("path"),  # already scrubbed: discover.py
        scrub(sheet, personal).alias("sheet"),
        pl.col("_row").cast(pl.Int32).alias("row"),
        scrub(pl.col("agency_code"), personal, identifier=True).alias("agency_code"),
        scrub(record_id(kind, rows.columns), personal, identifier=True).alias("record_id"),
        "rule",
        "column",
        _clipped(scrub(pl.col("value"), personal), KEPT_VALUE).alias("value"),  # scrubbed first: no half a number
        scrub(pl.col("message"), personal).alias("message"),
        "rules",
        year.cast(pl.Int32).alias("year"),
        end_year.cast(pl.Int32).alias("end_year"),
        pl.lit(False).alias("superseded"),
    ).cast(SCHEMA)


def mark_superseded(rows: pl.DataFrame, records, order: dict[str, int]) -> pl.DataFrame:
    """Flag quarantined rows whose record a later export brought in correctly: the correction is what counts,
    so such a row no longer makes its agency-year incomplete (it stays listed, nothing is lost).

    `records` is the ingestion's `Records`: only the quarantined keys are looked up in it."""
    if rows.is_empty():
        return rows
    keys = rows.select("kind", "agency_code", "record_id").unique()
    later = pl.concat(
        [
            records.scan(kind)
            .select(
                pl.lit(kind).alias("kind"),
                "agency_code",
                pl.col(KINDS[kind].id_column).alias("record_id"),
                pl.col("source_file").replace_strict(order, default=None, return_dtype=pl.Int64).alias("_accepted_order"),
            )
            .join(keys.lazy(), on=["kind", "agency_code", "record_id"], how="semi")
            for kind in records
            if kind in LEDGER_KINDS
        ]
    ).collect()
    flagged = (
        rows.with_row_index("_i")
        .with_columns(pl.col("path").replace_strict(order, default=None, return_dtype=pl.Int64).alias("_order"))
        .join(later, on=["kind", "agency_code", "record_id"], how="left")
        .group_by("_i", maintain_order=True)
        .agg((pl.col("_accepted_order") > pl.col("_order")).any().alias("_later"))
    )
    return rows.with_columns(flagged.get_column("_later").fill_null(False).alias("superseded"))
