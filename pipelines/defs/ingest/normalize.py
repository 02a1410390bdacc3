"""Give ledger text its types, vectorized: dates, codes, numbers, yes/no.

A value that cannot be read becomes null in its typed column while its text
stays in `<column>__raw`, so validation can tell "missing" from "unreadable"
and show the clerk what was typed.
"""

import polars as pl

from schemas import vocabulary as v
from schemas.columns import KINDS, Column

RAW = "__raw"
# Excel's day zero; serials 20000–80000 are 1954–2119, far from any other number a date cell holds.
EXCEL_EPOCH = pl.date(1899, 12, 30)
DATE_YMD = r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?(?:[ T]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?$"
DATE_COMPACT = r"^(\d{4})(\d{2})(\d{2})$"
SERIAL = r"^(\d{5})(?:\.0+)?$"


def clean(expr: pl.Expr) -> pl.Expr:
    """Trimmed text; empty → null."""
    text = expr.cast(pl.String).str.strip_chars()
    return pl.when(text == "").then(None).otherwise(text)


def ascii_text(expr: pl.Expr) -> pl.Expr:
    """NFKC: full-width digits and letters (２０２２, ＡＢ) become ASCII."""
    return clean(expr).str.normalize("NFKC").str.strip_chars()


def parse_date(expr: pl.Expr) -> pl.Expr:
    text = ascii_text(expr)

    def iso(pattern: str) -> pl.Expr:
        parts = [text.str.extract(pattern, i) for i in (1, 2, 3)]
        return pl.concat_str(parts[0], parts[1].str.zfill(2), parts[2].str.zfill(2), separator="-")

    ymd = pl.coalesce(iso(DATE_YMD), iso(DATE_COMPACT)).str.to_date("%Y-%m-%d", strict=False)
    serial = text.str.extract(SERIAL, 1).cast(pl.Int32, strict=False)
    from_serial = pl.when(serial.is_between(20000, 80000)).then(EXCEL_EPOCH + pl.duration(days=serial))
    return pl.coalesce(ymd, from_serial.cast(pl.Date))


def parse_code(expr: pl.Expr, values: dict[str, str]) -> pl.Expr:
    return v.fold_expr(clean(expr)).replace_strict(values, default=None, return_dtype=pl.String)


def parse_decimal(expr: pl.Expr) -> pl.Expr:
    text = ascii_text(expr).str.replace_all(r"[,，\s]", "")
    return pl.when(text.str.contains(r"^[+-]?(\d+\.?\d*|\.\d+)$")).then(text).cast(pl.Float64, strict=False)


def parse_int(expr: pl.Expr) -> pl.Expr:
    text = ascii_text(expr)
    return pl.when(text.str.contains(r"^\d+(\.0+)?$")).then(text.str.replace(r"\.0+$", "")).cast(pl.Int64, strict=False)


def parse_bool(expr: pl.Expr) -> pl.Expr:
    folded = v.fold_expr(clean(expr))
    return (
        pl.when(folded.is_in(v.YES_VALUES)).then(True).when(folded.is_in(v.NO_VALUES)).then(False).otherwise(None)
    )


def _typed(col: Column) -> pl.Expr:
    src = pl.col(col.key)
    if col.type == "date":
        return parse_date(src)
    if col.type == "code":
        return parse_code(src, col.values or {})
    if col.type == "decimal":
        return parse_decimal(src)
    if col.type == "int":
        return parse_int(src)
    if col.type == "bool":
        return parse_bool(src)
    if col.key in ("agency_code",):
        return ascii_text(src).str.to_uppercase()
    if col.key.endswith(("_id", "_number", "_code")):
        # identifiers: the same record typed with full-width digits is the same record
        return ascii_text(src)
    return clean(src)


def normalize(frame: pl.DataFrame, kind: str) -> pl.DataFrame:
    """Typed columns for one kind; `<column>__raw` keeps the trimmed text of every parsed column."""
    cols = KINDS[kind].columns
    raws = [clean(pl.col(c.key)).alias(c.key + RAW) for c in cols if c.type != "text" and not c.personal]
    return frame.with_columns(raws).with_columns([_typed(c).alias(c.key) for c in cols if not c.personal])
