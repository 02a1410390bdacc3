"""Text cells of CSV files written for people to open in a spreadsheet.

A cell that begins with =, +, -, @, a tab or a carriage return is run as a formula by Excel and WPS when the CSV
is opened (CSV injection): a record id typed as `=HYPERLINK(…)` or `=cmd|…` would act on the reader's machine.
In files for people (CSV with a BOM: `gongkai sql --out`, `gongkai export`, the nightly due list) such a cell gets
a leading apostrophe, the spreadsheets' own mark for "this is text", so it shows as typed. Output for programs
(CSV into a pipe, JSON, Parquet) is left exactly as stored. XLSX cells are written as strings and need nothing.
"""

import polars as pl

FORMULA_START = r"^[=+\-@\t\r]"


def text(value: str) -> str:
    return "'" + value if value[:1] in ("=", "+", "-", "@", "\t", "\r") else value


def frame(data: pl.DataFrame) -> pl.DataFrame:
    """`text` on every string column, vectorized."""
    strings = [c for c, t in data.schema.items() if t == pl.String]
    return data.with_columns(pl.when(pl.col(c).str.contains(FORMULA_START)).then("'" + pl.col(c)).otherwise(pl.col(c)).alias(c) for c in strings)


def sql(column: str) -> str:
    """`text` as a DuckDB expression on a VARCHAR column (quoted name)."""
    return f"CASE WHEN regexp_matches({column}, '{FORMULA_START}') THEN '''' || {column} ELSE {column} END"
