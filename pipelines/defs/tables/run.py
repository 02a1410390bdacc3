"""Compute one year's statutory tables into the tables store: what the statutory_tables asset does and what
`gongkai bench` times (one code path, so the bench measures the production work)."""

import logging
from dataclasses import dataclass
from pathlib import Path

import dagster as dg
import polars as pl

from pipelines.defs.calendar import workdays
from pipelines.defs.ingest import lake
from pipelines.defs.tables import inputs, store
from pipelines.defs.tables.compute import iter_year
from pipelines.settings import Settings

SMALL = ("check_result", "agency_year", "incomplete_reason", "application_deadline")  # collected for checks and metadata


@dataclass(frozen=True)
class YearRun:
    agencies: pl.DataFrame  # the lake's agency list
    facts: dict[str, pl.DataFrame | pl.LazyFrame]  # the stored year: SMALL tables collected, the others scanned
    small: dict[str, pl.DataFrame]  # the SMALL tables (the same frames as in `facts`)
    recomputed: int  # agencies whose tables were computed in this run (the others were kept as stored)


def previous_year(folder: Path, warehouse: Path, year: int) -> dict[str, pl.DataFrame | pl.LazyFrame] | None:
    """Year − 1 for A4 and P1: an agency's loaded published report where there is one (what it actually
    reported), else what gongkai computed for that year. Scans: compute_year reads only the cells it needs."""
    from pipelines.defs.published.load import published_previous
    from pipelines.defs.tables import frames

    computed = store.scan_year(folder, year - 1) or {}
    published = published_previous(warehouse, year - 1)
    out: dict[str, pl.DataFrame | pl.LazyFrame] = {}
    for name, schema in (("fact_application", frames.APPLICATION), ("fact_proactive", frames.PROACTIVE)):
        parts = []
        pub = published.get(name)
        if pub is not None and pub.height:
            parts.append(pub.lazy().select(list(schema)).cast(schema))
        if name in computed:
            comp = computed[name]
            parts.append(comp.filter(~pl.col("agency_code").is_in(pub.get_column("agency_code").unique().implode())) if pub is not None and parts else comp)
        if parts:
            out[name] = pl.concat(parts)
    return out or None


def compute_and_store_year(cfg: Settings, year: int, log: logging.Logger | None = None) -> YearRun:
    """Recompute the agencies whose inputs changed since the year was stored (all of them the first time)
    and write them to the tables store; `log` hears the calendar's problems and a missing year − 1."""
    say = log or logging.getLogger(__name__)
    folder = cfg.tables_dir
    # the agency list is small; the ledgers are streamed from the lake
    agencies = lake.read(cfg.lake_dir, "agencies")
    records: dict[str, pl.DataFrame | pl.LazyFrame] = {"agencies": agencies} | {
        k: lake.scan(cfg.lake_dir, k) for k in ("disclosures", "applications", "appeals")
    }
    gen = lake.current(cfg.lake_dir)
    if gen is None:
        raise dg.Failure("尚未导入台账 / no validated ledgers yet: materialize validated_ledgers first")
    today = cfg.today()
    calendar = workdays.load(cfg.raw_dir)
    for problem in calendar.problems:
        say.warning(problem)
    now = inputs.agency_inputs(gen, folder, cfg.warehouse, year, today, calendar.fingerprint)
    redo, gone = inputs.stale(store.read_inputs(folder, year), now)
    if redo is None or redo.len() or gone.len():
        previous = previous_year(folder, cfg.warehouse, year)
        if previous is None:
            say.info(f"{year - 1} neither materialized nor published: A4 and P1 are not applicable for {year}")
        if (gen / "submissions.parquet").exists():
            records["submissions"] = lake.scan(cfg.lake_dir, "submissions")
        rejected = lake.read(cfg.lake_dir, "rejected") if (gen / "rejected.parquet").exists() else None
        # written piece by piece as computed; only the redone agencies' buckets are rewritten, the other
        # agencies' facts are linked as they are
        pieces = iter_year(
            records, lake.read(cfg.lake_dir, "quarantine"), year, previous=previous, only=redo, rejected=rejected, today=today, calendar=calendar
        )
        store.write_year(folder, year, pieces, now, replace=None if redo is None else pl.concat([redo, gone]))
    # else: nothing this year depends on changed since it was computed
    scans = store.scan_year(folder, year) or {}
    small = {name: scans[name].collect() for name in SMALL}
    facts: dict[str, pl.DataFrame | pl.LazyFrame] = {**scans, **small}
    return YearRun(agencies, facts, small, agencies.height if redo is None else redo.len())
