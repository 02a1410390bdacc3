"""The pipeline, stage by stage through its public functions, and the whole year through Dagster.

Each function runs in its own process (see `child`) and returns `seconds` (the timed work, without
imports) and what it measured. Stages hand over through the pipeline's own lake and tables store,
exactly as the assets do: `seconds` is the stage function itself, `seconds_io` adds reading its input
and writing its output (what the asset does around it).
"""

import statistics
import time
from pathlib import Path

import polars as pl

from pipelines.settings import Settings, settings


def _cfg(work: str) -> Settings:
    return settings(raw=Path(work) / "raw", warehouse=Path(work) / "warehouse" / "gongkai.duckdb")


def ingest(work: str, warm: bool = False) -> dict:
    """discover + ingest (read, normalize, validate, replace re-exports, drop personal data), then the lake.

    Cold: an empty per-file cache (as a first run; the results are written to it). Warm: the cache of the
    cold run, after `data.touch_share` changed 1 % of the files — the incremental nightly run."""
    import shutil

    from pipelines.defs.ingest import lake
    from pipelines.defs.ingest.discover import discover
    from pipelines.defs.ingest.ingest import ingest as run_ingest

    cfg = _cfg(work)
    if not warm:
        shutil.rmtree(cfg.cache_dir, ignore_errors=True)
    t0 = time.perf_counter()
    files = discover(cfg.raw_dir)
    previous = lake.current(cfg.lake_dir) if warm else None  # warm: only the changed files' agencies are redone
    gen = lake.new_generation(cfg.lake_dir)  # as the validated_ledgers asset: records go straight to the lake
    result = run_ingest(files, cfg.pii_key(), cache_dir=cfg.cache_dir, out_dir=gen, previous=previous)
    t1 = time.perf_counter()
    result.quarantine.write_parquet(gen / "quarantine.parquet")
    result.files.write_parquet(gen / "files.parquet")
    lake.publish(cfg.lake_dir, gen)
    t2 = time.perf_counter()
    ledger = result.files.filter(result.files["kind"] != "agencies")
    return {
        "seconds": t1 - t0,
        "seconds_io": t2 - t0,
        "rows": int(ledger["rows"].sum() or 0),
        "files": len(files),
        "files_reused": result.cache_hits,
        "files_read": result.cache_misses,
        "agencies_redone": result.agencies_redone,
        "quarantined": result.quarantine.height,
        "records": {k: result.records.count(k) for k in result.records},
    }


def tables(work: str, year: int) -> dict:
    """compute_year over the lake (as the statutory_tables asset), then the tables store."""
    from pipelines.bench import totals
    from pipelines.defs.ingest import lake
    from pipelines.defs.tables import store
    from pipelines.defs.tables.assets import previous_year
    from pipelines.defs.tables.compute import compute_year

    cfg = _cfg(work)
    folder = cfg.warehouse.parent / "tables"
    t0 = time.perf_counter()
    # as the statutory_tables asset: the agency list read, the ledgers streamed from the lake
    records = {"agencies": lake.read(cfg.lake_dir, "agencies")} | {k: lake.scan(cfg.lake_dir, k) for k in ("disclosures", "applications", "appeals")}
    quarantine = lake.read(cfg.lake_dir, "quarantine")
    t1 = time.perf_counter()
    previous = previous_year(folder, cfg.warehouse, year)
    facts = compute_year(records, quarantine, year, previous=previous)
    t2 = time.perf_counter()
    store.write_year(folder, year, facts)
    t3 = time.perf_counter()
    checks = facts["check_result"]
    return {
        "seconds": t2 - t1,
        "seconds_io": t3 - t0,
        "rows": sum(records[k].select(pl.len()).collect().item() for k in ("disclosures", "applications", "appeals")),
        "agencies": records["agencies"].height,
        "fact_rows": sum(f.height for f in facts.values()),
        "checks_failed": int((checks["status"] == "fail").sum()),
        "totals": totals.from_facts(facts),
    }


def warehouse(work: str, year: int) -> dict:
    """The warehouse_year asset's work: replace the year's rows in a staging copy, publish atomically."""
    from pipelines.defs.warehouse.assets import load_year

    cfg = _cfg(work)
    t0 = time.perf_counter()
    written = load_year(cfg, year)
    seconds = time.perf_counter() - t0
    return {
        "seconds": seconds,
        "seconds_io": seconds,
        "rows": sum(written.values()),
        "written": written,
        "warehouse_mb": round(cfg.warehouse.stat().st_size / 2**20, 1),
    }


def query(work: str, year: int, repeat: int = 7) -> dict:
    """A cross-township query on the published warehouse: county totals for the year (v_county_year)."""
    from pipelines.defs.warehouse.warehouse import reader

    cfg = _cfg(work)
    t0 = time.perf_counter()
    con = reader(cfg.warehouse)
    opened = time.perf_counter() - t0
    times, rows = [], 0
    for _ in range(repeat):
        t = time.perf_counter()
        rows = len(con.execute("SELECT * FROM v_county_year WHERE year = ?", [year]).fetchall())
        times.append(time.perf_counter() - t)
    con.close()
    return {"seconds": statistics.median(times), "first_seconds": times[0], "connect_seconds": opened, "rows": rows, "runs": repeat}


def reports(work: str, year: int, sample: int = 50) -> dict:
    """publish_reports for a sample of agencies (every k-th by code); per-agency time and the extrapolation."""
    import tempfile

    from pipelines.defs.reports.publish import publish_reports
    from pipelines.defs.warehouse.warehouse import query as wh_query

    cfg = _cfg(work)
    codes = wh_query(cfg.warehouse, "SELECT agency_code FROM agency_year WHERE year = ? ORDER BY agency_code", [year])["agency_code"].to_list()
    step = max(1, len(codes) // max(1, sample))
    chosen = codes[::step][:sample]
    with tempfile.TemporaryDirectory(dir=work) as out:
        t0 = time.perf_counter()
        written = publish_reports(cfg.warehouse, year, Path(out), cfg.narratives_dir, agency_codes=chosen)
        seconds = time.perf_counter() - t0
    n = len(written["reports"])
    per = seconds / n if n else 0.0
    return {"seconds": seconds, "rows": n, "agencies": len(codes), "per_agency_seconds": per, "extrapolated_seconds": per * len(codes)}


def end_to_end(work: str, year: int, warm: bool = False) -> dict:
    """materialize_years through Dagster, in process, without the reports (ingest, tables, checks, warehouse).

    Warm: again on the same raw root and instance after 1 % of the files changed (the nightly run)."""
    from pipelines.defs.ingest import changes, lake
    from pipelines.run import materialize_years
    from pipelines.settings import dagster_home

    cfg = _cfg(work)
    dagster_home()
    import dagster  # noqa: F401 - imported before the clock starts, like the CLI does

    import pipelines.definitions  # noqa: F401 - likewise

    t0 = time.perf_counter()
    materialize_years(cfg, [year], include_reports=False)
    seconds = time.perf_counter() - t0
    files = lake.read(cfg.lake_dir, "files")
    ledger = files.filter(files["kind"] != "agencies")
    redone = changes.read_changes(lake.current(cfg.lake_dir)).get("agencies_redone")
    return {"seconds": seconds, "rows": int(ledger["rows"].sum() or 0), "agencies_redone": redone}
