"""The long ("fact") shape of the statutory tables, shared by tables, checks, warehouse and reports.

One row per agency-year and cell; zeros are stored, so every agency-year has
every cell (10 proactive, 25 × 7 application, 15 appeal cells).
"""

import polars as pl
from polars._typing import PolarsDataType

# pl.Schema rather than dict: what `cast` and `DataFrame(schema=)` are typed to take
KEY = pl.Schema({"agency_code": pl.String, "year": pl.Int32})


def keyed(cells: dict[str, PolarsDataType]) -> pl.Schema:
    """An agency-year fact: KEY, then the given columns."""
    return pl.Schema([*KEY.items(), *cells.items()])


PROACTIVE = keyed({"item": pl.String, "metric": pl.String, "value": pl.Float64})
APPLICATION = keyed({"row_key": pl.String, "column_key": pl.String, "value": pl.Int64})
APPEAL = keyed({"group_key": pl.String, "result": pl.String, "value": pl.Int64})
CHANNEL = keyed({"channel": pl.String, "value": pl.Int64})

# One row per agency-year × relation: the outcome of every consistency check.
CHECK_RESULT = keyed({"check_id": pl.String, "severity": pl.String, "status": pl.String, "message": pl.String})


def empty(schema: pl.Schema) -> pl.DataFrame:
    return pl.DataFrame(schema=schema)


# Why an agency-year is incomplete: one row per agency-year, reason, ledger kind and file (tables/completeness.py).
INCOMPLETE_REASON = keyed({"reason": pl.String, "kind": pl.String, "detail_zh": pl.String, "detail_en": pl.String, "path": pl.String, "rows": pl.Int64})
