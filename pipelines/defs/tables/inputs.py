"""What one agency's tables of a year were computed from, as one number, so a run redoes only the
agencies whose inputs changed (and a year none of whose agencies changed is not redone at all).

An agency's input fingerprint for year Y combines:
- its lake fingerprints of every year up to Y (its records by their earliest date, its quarantined rows,
  its register row — pipelines/defs/ingest/changes.py): a row dated after Y cannot change Y's tables,
  a row dated Y or before can (carry-over, documents in force);
- what year Y − 1 gave A4 and P1: its published report of Y − 1 if one is loaded, else what gongkai
  stored for Y − 1 (that year's own fingerprint, or "not computed");
- whether Y is over on the day of the run (a year in progress is incomplete: on 1 January it changes);
- the working-day calendar the due dates are counted on (chinesecalendar and the raw root's calendar.csv);
- the version of the code that computes the tables.
"""

import datetime as dt
import hashlib
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

import polars as pl

from pipelines.defs import versions
from pipelines.defs.ingest import changes
from pipelines.defs.tables import store

if TYPE_CHECKING:
    from pipelines.settings import Settings

FINGERPRINT = pl.Schema({"agency_code": pl.String, "fingerprint": pl.UInt64})


@cache
def code_version() -> int:
    """The tables code (and the polars that runs it) a stored year came from."""
    digest = hashlib.sha256(pl.__version__.encode() + versions.code_version("pipelines.defs.tables.compute", "pipelines.defs.tables.inputs").encode())
    return int.from_bytes(digest.digest()[:8], "little")


def _published(warehouse: Path, year: int) -> pl.DataFrame:
    from pipelines.defs.published.load import published_previous

    parts = [
        frame.select("agency_code", pl.struct(pl.lit(name).alias("_t"), *frame.columns).hash(changes.SEED).alias("h"))
        for name, frame in published_previous(warehouse, year).items()
        if frame.height
    ]
    if not parts:
        return pl.DataFrame(schema={"agency_code": pl.String, "h": pl.UInt64})
    return pl.concat(parts).group_by("agency_code").agg(pl.col("h").bitwise_xor())


def agency_inputs(lake_gen: Path, tables_dir: Path, warehouse: Path, year: int, today: dt.date, calendar: int = 0) -> pl.DataFrame | None:
    """Per registered agency: the fingerprint of everything its tables of `year` depend on, on the day `today`.
    None when the lake has no fingerprints (written by an older gongkai): then everything is redone.
    `calendar` is the fingerprint of the working-day calendar (calendar/workdays.py)."""
    prints = lake_gen / changes.FINGERPRINTS
    if not prints.exists():
        return None
    registered = pl.read_parquet(lake_gen / "agencies.parquet", columns=["agency_code"])
    own = pl.scan_parquet(prints).filter(pl.col("year") <= year).group_by("agency_code").agg(pl.col("h").bitwise_xor()).collect()
    before = store.read_inputs(tables_dir, year - 1)
    before = pl.DataFrame(schema=FINGERPRINT) if before is None else before
    out = (
        registered.join(own, on="agency_code", how="left")
        .join(_published(warehouse, year - 1).rename({"h": "published"}), on="agency_code", how="left")
        .join(before.rename({"fingerprint": "previous"}), on="agency_code", how="left")
    )
    mixed = pl.struct(
        pl.col("h").fill_null(0).alias("ledgers"),
        # a published Y − 1 report wins over the computed one (see tables.run.previous_year)
        pl.coalesce("published", "previous").fill_null(0).alias("year_before"),
        pl.col("published").is_not_null().alias("published_used"),
        pl.lit(year < today.year).alias("year_over"),
        pl.lit(code_version(), pl.UInt64).alias("code"),
        pl.lit(calendar, pl.UInt64).alias("calendar"),
    ).hash(changes.SEED)
    return out.select("agency_code", mixed.alias("fingerprint")).cast(FINGERPRINT).sort("agency_code")


def stale(stored: pl.DataFrame | None, now: pl.DataFrame | None) -> tuple[pl.Series | None, pl.Series]:
    """(agencies to redo — None: all of them —, agencies no longer registered whose rows must go)."""
    if stored is None or now is None:  # nothing to compare with: everything is redone (and rewritten whole)
        return None, pl.Series("agency_code", [], pl.String)
    both = now.join(stored, on="agency_code", how="full", coalesce=True, suffix="_stored")
    redo = both.filter(pl.col("fingerprint").is_not_null() & pl.col("fingerprint").ne_missing(pl.col("fingerprint_stored")))
    gone = both.filter(pl.col("fingerprint").is_null())
    return redo.get_column("agency_code"), gone.get_column("agency_code")


def worth_running(cfg: "Settings", gen: Path, today: dt.date) -> set[int]:
    """The years a run after ingestion may need: those that ledger records (by their own date), register
    entries or quarantined rows belong to, the years already computed (they may have gone stale), and the year
    in progress. Any other year has nothing in it: running it would only make an all-zero report."""
    from schemas.columns import LEDGER_KINDS

    kinds = [*LEDGER_KINDS, "submissions", "quarantine"]
    years = set()
    prints = gen / changes.RECORD_PRINTS
    if prints.exists():
        found = pl.scan_parquet(prints).filter(pl.col("kind").is_in(kinds) & (pl.col("year") != changes.ALL_YEARS)).select("year").unique().collect()
        years |= set(found.get_column("year").to_list())
    if (gen / "quarantine.parquet").exists():
        q = pl.scan_parquet(gen / "quarantine.parquet").filter(~pl.col("superseded")).select("year").drop_nulls().unique().collect()
        years |= set(q.get_column("year").to_list())
    if Path(cfg.tables_dir).is_dir():
        years |= {int(p.name) for p in Path(cfg.tables_dir).iterdir() if p.is_dir() and p.name.isdigit()}
    return years | {today.year}


def stale_years(cfg: "Settings") -> list[int]:
    """The report years whose tables do not match the current lake, or whose warehouse rows do not match the
    tables: what a run after ingestion must redo.

    Among the years worth running (worth_running), from the first stale one on: once a year is stale every
    later one is too (its A4 and P1 read the year before)."""
    from pipelines.defs.calendar import workdays
    from pipelines.defs.ingest import lake
    from pipelines.partitions import yearly

    gen = lake.current(cfg.lake_dir)
    if gen is None:
        return []
    today = cfg.today()
    calendar = workdays.load(cfg.raw_dir)
    wanted = worth_running(cfg, gen, today)
    years = [y for y in (int(k) for k in yearly.get_partition_keys()) if y in wanted and y <= today.year]
    out: list[int] = []
    for year in years:
        if out:
            out.append(year)
            continue
        computed = store.read_inputs(cfg.tables_dir, year)
        redo, gone = stale(computed, agency_inputs(gen, cfg.tables_dir, cfg.warehouse, year, today, calendar.fingerprint))
        if redo is None or redo.len() or gone.len():
            out.append(year)
            continue
        # the tables are current, but the warehouse must hold what they were computed from: a load that failed
        # or was killed (disk full, kill -9) left the year's old rows there while the tables store moved on
        redo, gone = stale(loaded_inputs(cfg.warehouse, year), computed)
        if redo is None or redo.len() or gone.len():
            out.append(year)
    return out


def loaded_inputs(warehouse: Path, year: int) -> pl.DataFrame | None:
    """What the published warehouse loaded for `year`, per agency (None: nothing to compare with)."""
    from pipelines.defs.warehouse import warehouse as wh

    found: pl.DataFrame | None = wh.loaded_inputs(warehouse, year)
    return found
