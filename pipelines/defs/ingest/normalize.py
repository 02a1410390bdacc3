"""Give ledger text its types, vectorized: dates, codes, numbers, yes/no.

A value that cannot be read becomes null in its typed column while its text
stays in `<column>__raw`, so validation can tell "missing" from "unreadable"
and show the clerk what was typed.
"""

import polars as pl

from schemas import vocabulary as v
from schemas.columns import KINDS, Column
from schemas.ledgers import RAW

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


def parse_year(expr: pl.Expr) -> pl.Expr:
    """A reporting year as clerks write it: 2022, 2022.0, 2022年, 2022年度, ２０２２."""
    return ascii_text(expr).str.extract(r"^(\d{4})(?:\.0+|\s*年度?)?$", 1).cast(pl.Int32, strict=False)


def parse_bool(expr: pl.Expr) -> pl.Expr:
    folded = v.fold_expr(clean(expr))
    return pl.when(folded.is_in(v.YES_VALUES)).then(True).when(folded.is_in(v.NO_VALUES)).then(False).otherwise(None)


def _typed(col: Column, src: pl.Expr) -> pl.Expr:
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
    if col.type == "year":
        return parse_year(src)
    if col.key == "agency_code":
        return ascii_text(src).str.to_uppercase()
    return ascii_text(src)


IDENTIFIERS = ("agency_code", "division_code", "doc_number")
NON_ASCII = "__non_ascii"


def _is_identifier(col: Column, kind: str) -> bool:
    return col.key in IDENTIFIERS or col.key == KINDS[kind].id_column or col.key.endswith("_id")


def _mapping(src: pl.Expr, distinct: pl.Series, col: Column) -> tuple[pl.Expr, pl.Expr]:
    """(trimmed text, typed value) of `src`, worked out once per distinct value: ledger columns repeat a few
    dates and codes over millions of rows, so parsing the distinct values is most of the saving.
    Where no value changes (nothing to trim; clean agency codes) the result is `src` itself: no lookup per row."""
    parsed = pl.DataFrame({"v": distinct}).select(raw=clean(pl.col("v")), typed=_typed(col, pl.col("v")))

    def mapped(k: str) -> pl.Expr:
        if parsed.schema[k] == pl.String and parsed.get_column(k).equals(distinct):
            return src
        return src.replace_strict(distinct, parsed.get_column(k), default=None, return_dtype=parsed.schema[k])

    return mapped("raw"), mapped("typed")


def normalize(frame: pl.DataFrame, kind: str) -> pl.DataFrame:
    """Typed columns for one kind; `<column>__raw` keeps the trimmed text of every parsed column.

    Two passes over the rows, each one `select` so Polars spreads the columns over the cores: the distinct
    values of the parsed columns (and whether an id column has non-ASCII text), then every column's result."""
    cols = [c for c in KINDS[kind].columns if not c.personal]
    mapped = [c for c in cols if c.type != "text" or c.key == "agency_code"]
    ids = [c for c in cols if c.type == "text" and c.key != "agency_code" and _is_identifier(c, kind)]
    text = {c.key: pl.col(c.key).cast(pl.String) for c in cols}
    facts = frame.select(
        *(text[c.key].unique().drop_nulls().implode() for c in mapped),
        *((text[c.key].str.len_bytes() != text[c.key].str.len_chars()).any().alias(c.key + NON_ASCII) for c in ids),
    )
    out = []
    for col in cols:
        src = text[col.key]
        if col in mapped:
            raw, typed = _mapping(src, facts.get_column(col.key)[0], col)
            if col.type != "text":
                out.append(raw.alias(col.key + RAW))
            out.append(typed.alias(col.key))
        elif col in ids:
            # NFKC only when the column has non-ASCII text (the same record typed with full-width digits is the
            # same record): most id columns are plain ASCII, and NFKC over millions of rows is not free
            ident = clean(src)
            out.append((ident.str.normalize("NFKC").str.strip_chars() if facts.get_column(col.key + NON_ASCII)[0] else ident).alias(col.key))
        else:
            out.append(clean(src).alias(col.key))
    return frame.with_columns(out)
