"""Record-level facts: each record behind the statutory tables of a year, with the cells it counts in.

The cells come from the same per-record membership (`*_hits` and `*_cells` of tables.py) whose aggregation
is the tables, so the records `gongkai explain` lists for a cell are exactly what the cell counts: their
number is the cell (the sum of their amounts, for the fee amount of table P). A record that counts in no
cell of the year has no row for it. No personal data (frames.py, APPLICATION_RECORD).

A hit names its record by its position in the ledger (`_r`, tables.indexed): the ledger given here must be
the very frame the hits were computed from.
"""

import polars as pl

from pipelines.defs.tables import frames, tables

# The cell syntax of `gongkai explain`: table letter, then the two keys (row keys of A hold dots themselves).
PREFIX = {"applications": "A", "appeals": "R", "disclosures": "P"}
# Every cell in the order of the fact tables (form order for A and R, by key for P): the order of `cells`.
ORDER = {
    f"{letter}.{a}.{b}": n
    for n, (letter, (a, b)) in enumerate(
        [("A", c) for c in tables.APPLICATION.cells] + [("R", c) for c in tables.APPEAL.cells] + [("P", c) for c in tables.PROACTIVE.cells]
    )
}


def cell_id(table: str, first: str, second: str) -> pl.Expr:
    return pl.concat_str(pl.lit(f"{table}."), pl.col(first), pl.lit("."), pl.col(second))


def _records(membership: pl.LazyFrame, ledger: tables.Frame, schema: pl.Schema) -> pl.DataFrame:
    """Per year and record (`_r`): its cells in form order, with the record's own columns. Integers all the way:
    no string is grouped or joined on."""
    per_record = (
        membership.with_columns(pl.col("cell").replace_strict(ORDER, return_dtype=pl.UInt32).alias("_o"))
        .sort("_r", "year", "_o")
        .group_by("_r", "year", maintain_order=True)
        .agg(pl.col("cell").alias("cells"), pl.col("agency_code").first().alias("_hit_agency"))
        .collect()
    )
    wanted = per_record.select(pl.col("_r").unique())
    own = (
        tables.indexed(ledger)
        .join(wanted.lazy(), on="_r", how="semi")
        .select("_r", *(c for c in schema if c not in ("year", "cells")))
        .collect(engine="streaming")
    )
    listed = per_record.join(own, on="_r")
    if listed.height != per_record.height or not (listed.get_column("agency_code") == listed.get_column("_hit_agency")).all():
        # a defect, not a data problem: the ledger given is not the frame the hits were numbered on
        raise RuntimeError("record facts: the hits do not match the ledger's records (numbered on another frame?)")
    # by agency (compute.py hands each piece of agencies its own), then year and ledger order
    return listed.sort("agency_code", "year", "_r").select(list(schema)).cast(schema)


def application_records(apps: tables.Frame, hits: pl.DataFrame) -> pl.DataFrame:
    """`hits`: tables.application_hits of `apps`, collected (what table A counts)."""
    membership = tables.application_cells(hits).select("agency_code", "year", "_r", cell_id("A", "row_key", "column_key").alias("cell"))
    return _records(membership, apps, frames.APPLICATION_RECORD)


def appeal_records(cases: tables.Frame, hits: pl.DataFrame) -> pl.DataFrame:
    """`hits`: tables.appeal_hits of `cases`, collected (what table R counts)."""
    membership = tables.appeal_cells(hits).select("agency_code", "year", "_r", cell_id("R", "group_key", "result").alias("cell"))
    return _records(membership, cases, frames.APPEAL_RECORD)


def proactive_records(disclosures: tables.Frame, hits: pl.DataFrame) -> pl.DataFrame:
    """`hits`: tables.proactive_hits of `disclosures`, collected (what table P counts: decisions, documents, fee items)."""
    membership = hits.lazy().select("agency_code", "year", "_r", cell_id("P", "item", "metric").alias("cell"))
    return _records(membership, disclosures, frames.PROACTIVE_RECORD)
