"""Record-level facts: each record behind the statutory tables of a year, with the cells it counts in.

The cells come from the same per-record membership (`*_hits` and `*_cells` of tables.py) whose aggregation
is the tables, so the records `gongkai explain` lists for a cell are exactly what the cell counts: their
number is the cell (the sum of their amounts, for the fee amount of table P). A record that counts in no
cell of the year has no row for it. No personal data (frames.py, APPLICATION_RECORD).

A hit names its record by its position in the ledger (`_r`, tables.indexed): the ledger given here must be
the very frame the hits were computed from.

At national size a year has millions of such records, so they are held compactly (`Listing`) until a piece
of agencies is written: cells as numbers, repeated strings (file, category, …) as categoricals, one copy,
sorted once; each piece is a slice of it, turned into the stored format (frames.*_RECORD) on its own.
"""

from collections.abc import Callable
from dataclasses import dataclass

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
CELL_IDS = {n: cell for cell, n in ORDER.items()}  # a cell's number → its id
# string columns with few distinct values: held as categoricals until a piece is written (4 bytes a row)
FEW = {"agency_code", "category", "doc_action", "applicant_type", "outcome", "proceeding", "result", "source_file", "source_sheet"}


def cell_id(table: str, first: str, second: str) -> pl.Expr:
    return pl.concat_str(pl.lit(f"{table}."), pl.col(first), pl.lit("."), pl.col(second))


@dataclass(frozen=True)
class Listing:
    """One ledger's record facts, compact. `cells`: one row per record and year it counts in — `_a` (its
    agency's position in the agency index), year, `_r` (the record's position in the ledger) and `_o` (its
    cell numbers, in ORDER) — sorted by `_a`, year, `_r`. `own`: those records' own columns, sorted by `_r`."""

    cells: pl.DataFrame
    own: pl.DataFrame
    schema: pl.Schema

    def piece(self, index: pl.DataFrame) -> pl.DataFrame:
        """The record facts (`schema`) of a contiguous range of tables.agency_index, by agency, year and ledger order."""
        first = index.item(0, "_a") if index.height else 0
        positions = self.cells.get_column("_a")
        lo, hi = (positions.search_sorted(a, side="left") for a in (first, first + index.height))
        rows = self.cells.slice(lo, hi - lo)
        wanted = rows.get_column("_r")
        at = self.own.get_column("_r").search_sorted(wanted, side="left")
        found = at < self.own.height
        own = self.own.select(pl.all().gather(at.filter(found)))
        if (
            not found.all()
            or not (own.get_column("_r") == wanted).all()
            or not _same_agencies(rows.get_column("_a") - first, own.get_column("agency_code"), index)
        ):
            # a defect, not a data problem: the ledger given is not the frame the hits were numbered on
            raise RuntimeError("record facts: the hits do not match the ledger's records (numbered on another frame?)")
        return (
            pl.concat([rows, own.drop("_r")], how="horizontal")
            .with_columns(pl.col("_o").list.eval(pl.element().replace_strict(CELL_IDS, return_dtype=pl.String)).alias("cells"))
            .select(list(self.schema))
            .cast(self.schema)
        )


def _same_agencies(position: pl.Series, code: pl.Series, index: pl.DataFrame) -> bool:
    """Whether each record's own agency (`code`, categorical) is the agency its hits were counted for (`position`
    in `index`, sorted). Compared on integers: within a run of one position the category must not change, and
    only each run's first record is compared as text (a piece has a few thousand runs, not millions of rows)."""
    ids = code.to_physical()
    first = position != position.shift(1, fill_value=-1)
    if not (first | (ids == ids.shift(1))).all():
        return False
    return bool((code.filter(first).cast(pl.String) == index.get_column("agency_code").gather(position.filter(first))).all())


def application_membership(hits: pl.DataFrame) -> pl.LazyFrame:
    """`hits`: tables.application_hits, collected (what table A counts), with the derived cells they count in."""
    return tables.application_cells(hits).select("agency_code", "year", "_r", "row_key", "column_key")


def appeal_membership(hits: pl.DataFrame) -> pl.LazyFrame:
    """`hits`: tables.appeal_hits, collected (what table R counts), with the `total` they count in."""
    return tables.appeal_cells(hits).select("agency_code", "year", "_r", "group_key", "result")


def proactive_membership(hits: pl.DataFrame) -> pl.LazyFrame:
    """`hits`: tables.proactive_hits, collected (what table P counts: decisions, documents, fee items)."""
    return hits.lazy().select("agency_code", "year", "_r", "item", "metric")


@dataclass(frozen=True)
class Kind:
    """A ledger's record facts: how its hits become membership, the table they count in, the stored format."""

    membership: Callable[[pl.DataFrame], pl.LazyFrame]
    letter: str
    table: tables.Table
    schema: pl.Schema

    def numbers(self) -> pl.DataFrame:
        """The table's cells (its key columns) with their numbers in ORDER."""
        rows = [(*cell, ORDER[".".join((self.letter, *cell))]) for cell in self.table.cells]
        return pl.DataFrame(rows, schema={**dict.fromkeys(self.table.keys, pl.String), "_o": pl.UInt32}, orient="row")


KINDS = {
    "disclosures": Kind(proactive_membership, "P", tables.PROACTIVE, frames.PROACTIVE_RECORD),
    "applications": Kind(application_membership, "A", tables.APPLICATION, frames.APPLICATION_RECORD),
    "appeals": Kind(appeal_membership, "R", tables.APPEAL, frames.APPEAL_RECORD),
}


def per_record(kind: Kind, hits: pl.DataFrame, index: pl.DataFrame) -> pl.DataFrame:
    """Listing.cells of `hits`: the agencies of `index` only (the others' records drop out). Only integers
    are sorted or grouped: the cells are numbered as the hits stream, and a record's hits are adjacent once sorted."""
    numbered = (
        kind.membership(hits)
        .join(index.lazy(), on="agency_code")
        .join(kind.numbers().lazy(), on=list(kind.table.keys), how="left")
        .select("_a", "year", "_r", "_o")
        .collect(engine="streaming")
    )
    if numbered.get_column("_o").null_count():
        raise RuntimeError(f"record facts: a hit in no cell of table {kind.letter}")  # a defect of the hits, not data
    numbered = numbered.sort("_a", "year", "_r", "_o")
    # one group per run of the same record and year: grouped by a sorted key, no hashing
    run = numbered.select(pl.struct("_a", "year", "_r").rle_id().set_sorted().alias("_g"))
    return numbered.with_columns(run).group_by("_g", maintain_order=True).agg(pl.col("_a", "year", "_r").first(), "_o").drop("_g")


def listing(kind: Kind, cells: pl.DataFrame, ledger: tables.Frame) -> Listing:
    """The records of `cells` (per_record) with their own columns from `ledger`, read once."""
    wanted = cells.get_column("_r").unique()
    own = (
        tables.indexed(ledger)
        .filter(pl.col("_r").is_in(wanted.implode()))
        .select("_r", *(_compact(c, t) for c, t in kind.schema.items() if c not in ("year", "cells")))
        .collect(engine="streaming")
    )
    if not own.get_column("_r").is_sorted():  # the scan keeps the ledger's order: no copy then
        own = own.sort("_r")
    return Listing(cells, own, kind.schema)


def _compact(column: str, dtype: pl.DataType) -> pl.Expr:
    """A record's own column as held until its piece is written. Strings are copied as they stream: a filtered
    string column still points into the whole scanned buffer (at national size, all 32 million disclosures' ids)."""
    if column in FEW:
        return pl.col(column).cast(pl.Categorical)
    return pl.concat_str(pl.col(column), pl.lit("")) if dtype == pl.String else pl.col(column)


def _all(kind: Kind, ledger: tables.Frame, hits: pl.DataFrame) -> pl.DataFrame:
    index = tables.agency_index(hits.get_column("agency_code"))
    return listing(kind, per_record(kind, hits, index), ledger).piece(index)


def application_records(apps: tables.Frame, hits: pl.DataFrame) -> pl.DataFrame:
    """Every agency's records at once (compute.iter_year lists them a piece of agencies at a time)."""
    return _all(KINDS["applications"], apps, hits)


def appeal_records(cases: tables.Frame, hits: pl.DataFrame) -> pl.DataFrame:
    return _all(KINDS["appeals"], cases, hits)


def proactive_records(disclosures: tables.Frame, hits: pl.DataFrame) -> pl.DataFrame:
    return _all(KINDS["disclosures"], disclosures, hits)
