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

# Record-level facts (tables/records.py): one row per record and report year it counts in, with its cells
# (`A.<row>.<column>`, `R.<group>.<result>`, `P.<item>.<metric>`). No personal data: applicant_key is
# ingestion's keyed hash, and no name, ID number, phone, address or free text (title, request) is kept.
_SOURCE: dict[str, PolarsDataType] = {"source_file": pl.String, "source_sheet": pl.String, "source_row": pl.Int32, "cells": pl.List(pl.String)}
APPLICATION_RECORD = keyed(
    {
        "application_id": pl.String,
        "received_on": pl.Date,
        "correction_requested_on": pl.Date,
        "correction_received_on": pl.Date,
        "closed_on": pl.Date,
        "applicant_type": pl.String,
        "outcome": pl.String,
        "extended": pl.Boolean,
        "third_party_days": pl.Int64,
        "fee_yuan": pl.Float64,
        "applicant_key": pl.String,
        **_SOURCE,
    }
)
APPEAL_RECORD = keyed(
    {
        "case_id": pl.String,
        "application_id": pl.String,
        "proceeding": pl.String,
        "filed_on": pl.Date,
        "concluded_on": pl.Date,
        "result": pl.String,
        **_SOURCE,
    }
)
PROACTIVE_RECORD = keyed(
    {
        "item_id": pl.String,
        "category": pl.String,
        "published_on": pl.Date,
        "doc_number": pl.String,
        "doc_action": pl.String,
        "amount_yuan": pl.Float64,
        **_SOURCE,
    }
)
