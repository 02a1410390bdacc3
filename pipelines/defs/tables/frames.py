"""The long ("fact") shape of the statutory tables, shared by tables, checks, warehouse and reports.

One row per agency-year and cell; zeros are stored, so every agency-year has
every cell (10 proactive, 25 × 7 application, 15 appeal cells).
"""

import polars as pl

KEY = {"agency_code": pl.String, "year": pl.Int32}

PROACTIVE = KEY | {"item": pl.String, "metric": pl.String, "value": pl.Float64}
APPLICATION = KEY | {"row_key": pl.String, "column_key": pl.String, "value": pl.Int64}
APPEAL = KEY | {"group_key": pl.String, "result": pl.String, "value": pl.Int64}
CHANNEL = KEY | {"channel": pl.String, "value": pl.Int64}

# One row per agency-year × relation: the outcome of every consistency check.
CHECK_RESULT = KEY | {"check_id": pl.String, "severity": pl.String, "status": pl.String, "message": pl.String}


def empty(schema: dict) -> pl.DataFrame:
    return pl.DataFrame(schema=schema)
