"""Record-level facts: each record behind the statutory tables of a year, with the cells it counts in.

The cells come from the same per-record membership (`*_hits` and `*_cells` of tables.py) whose aggregation
is the tables, so the records `gongkai explain` lists for a cell are exactly what the cell counts: their
number is the cell (the sum of their amounts, for the fee amount of table P). A record that counts in no
cell of the year has no row for it. No personal data (frames.py, APPLICATION_RECORD).
"""

import polars as pl

from pipelines.defs.tables import frames, tables

# The cell syntax of `gongkai explain`: table letter, then the two keys (row keys of A hold dots themselves).
PREFIX = {"applications": "A", "appeals": "R", "disclosures": "P"}


def cell_id(table: str, first: str, second: str) -> pl.Expr:
    return pl.concat_str(pl.lit(f"{table}."), pl.col(first), pl.lit("."), pl.col(second))


def _records(membership: pl.LazyFrame, ledger: tables.Frame, id_column: str, schema: pl.Schema) -> pl.DataFrame:
    """Per agency, year and record: its cells (sorted), joined to the record's own columns."""
    key = ["agency_code", id_column]
    per_record = membership.group_by("agency_code", "year", id_column).agg(pl.col("cell").unique().sort().alias("cells"))
    own = ledger.lazy().select(c for c in schema if c not in ("year", "cells"))
    return per_record.join(own, on=key, how="inner").select(list(schema)).cast(schema).sort("agency_code", "year", id_column).collect(engine="streaming")


def application_records(apps: tables.Frame, hits: pl.DataFrame) -> pl.DataFrame:
    """`hits`: tables.application_hits, collected (what table A counts)."""
    membership = tables.application_cells(hits).select("agency_code", "year", "application_id", cell_id("A", "row_key", "column_key").alias("cell"))
    return _records(membership, apps, "application_id", frames.APPLICATION_RECORD)


def appeal_records(cases: tables.Frame, hits: pl.DataFrame) -> pl.DataFrame:
    """`hits`: tables.appeal_hits, collected (what table R counts)."""
    membership = tables.appeal_cells(hits).select("agency_code", "year", "case_id", cell_id("R", "group_key", "result").alias("cell"))
    return _records(membership, cases, "case_id", frames.APPEAL_RECORD)


def proactive_records(disclosures: tables.Frame, hits: pl.DataFrame) -> pl.DataFrame:
    """`hits`: tables.proactive_hits, collected (what table P counts: decisions, documents, fee items)."""
    membership = hits.lazy().select("agency_code", "year", "item_id", cell_id("P", "item", "metric").alias("cell"))
    return _records(membership, disclosures, "item_id", frames.PROACTIVE_RECORD)
