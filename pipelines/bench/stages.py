"""The pipeline, stage by stage through the functions its assets call, and the whole year through Dagster.

Each function runs in its own process (see `child`) and returns `seconds` (the timed work, without
imports) and what it measured. Each stage calls the same function as its asset (ingest.run.ingest_run,
tables.run.compute_and_store_year, warehouse.assets.load_year, reports.publish.publish_reports), so the
bench times the production code, reading of its input and writing of its output included; stages hand
over through the pipeline's own lake and tables store.
"""

import statistics
import time
from pathlib import Path

import polars as pl

from pipelines.bench.clock import Clock
from pipelines.settings import Settings, settings


def _cfg(work: str) -> Settings:
    return settings(raw=Path(work) / "raw", warehouse=Path(work) / "warehouse" / "gongkai.duckdb")


def ingest(work: str, warm: bool = False) -> dict:
    """The validated_ledgers asset's work (ingest.run.ingest_run): discover, ingest (read, normalize,
    validate, replace re-exports, drop personal data), write and publish the lake generation.

    Cold: no per-file cache and no lake (a first run; the results are written to both). Warm: the cache and
    lake of the cold run, after `data.touch_share` changed 1 % of the files — the incremental nightly run."""
    import shutil

    from pipelines.defs.ingest.run import ingest_run

    cfg = _cfg(work)
    if not warm:
        shutil.rmtree(cfg.cache_dir, ignore_errors=True)
        shutil.rmtree(cfg.lake_dir, ignore_errors=True)
    with Clock() as clock:
        run = ingest_run(cfg)
    result = run.result
    ledger = result.files.filter(result.files["kind"] != "agencies")
    return clock.times() | {
        "rows": int(ledger["rows"].sum() or 0),
        "files": len(run.files),
        "files_reused": result.cache_hits,
        "files_read": result.cache_misses,
        "agencies_redone": result.agencies_redone,
        "quarantined": result.quarantine.height,
        "records": {k: result.records.count(k) for k in result.records},
    }


def tables(work: str, year: int) -> dict:
    """The statutory_tables asset's work (tables.run.compute_and_store_year): the year from the lake into
    the tables store. The year's stored folder is removed first, so every run computes every agency."""
    import shutil

    from pipelines.bench import totals
    from pipelines.defs.tables import store
    from pipelines.defs.tables.run import compute_and_store_year

    cfg = _cfg(work)
    shutil.rmtree(store.year_dir(cfg.tables_dir, year), ignore_errors=True)
    with Clock() as clock:
        run = compute_and_store_year(cfg, year)
    # counted and summed from the stored scans: collecting the year (the record facts most) for this check
    # would set the stage's peak memory, not the work timed
    checks = run.small["check_result"]
    return clock.times() | {
        "rows": sum(lake_rows(cfg, k) for k in ("disclosures", "applications", "appeals")),
        "agencies": run.agencies.height,
        "recomputed": run.recomputed,
        "fact_rows": sum(int(f.lazy().select(pl.len()).collect().item()) for f in run.facts.values()),
        "checks_failed": int((checks["status"] == "fail").sum()),
        "totals": totals.from_facts(run.facts),
    }


def lake_rows(cfg: Settings, kind: str) -> int:
    from pipelines.defs.ingest import lake

    return int(lake.scan(cfg.lake_dir, kind).select(pl.len()).collect().item())


def warehouse(work: str, year: int) -> dict:
    """The warehouse_year asset's work: replace the year's rows in a staging copy, publish atomically."""
    from pipelines.defs.warehouse.assets import load_year

    cfg = _cfg(work)
    with Clock() as clock:
        written = load_year(cfg, year)
    return clock.times() | {
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

    from pipelines.defs.reports import pool
    from pipelines.defs.reports.publish import publish_reports
    from pipelines.defs.warehouse.warehouse import query as wh_query

    cfg = _cfg(work)
    codes = wh_query(cfg.warehouse, "SELECT agency_code FROM agency_year WHERE year = ? ORDER BY agency_code", [year])["agency_code"].to_list()
    step = max(1, len(codes) // max(1, sample))
    chosen = codes[::step][:sample]
    with tempfile.TemporaryDirectory(dir=work) as out, Clock() as clock:
        written = publish_reports(cfg.warehouse, year, Path(out), cfg.narratives_dir, agency_codes=chosen)
    n = len(written["reports"])
    per = clock.seconds / n if n else 0.0
    # processor time, this process's and its finished worker processes' (clock.py)
    cpu_times = {"cpu_seconds": clock.cpu_seconds, "cpu_per_agency_seconds": clock.cpu_seconds / n if n else 0.0}
    # the processes the sample was rendered with, and those a run of every agency would use: the same when the
    # sample is large enough for the pool (pipelines/defs/reports/pool.py), so the extrapolation holds
    workers = {"workers": pool.worker_count(len(chosen)), "production_workers": pool.worker_count(len(codes))}
    return (
        {"seconds": clock.seconds, "rows": n, "agencies": len(codes), "per_agency_seconds": per, "extrapolated_seconds": per * len(codes)} | workers | cpu_times
    )


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

    with Clock() as clock:
        materialize_years(cfg, [year], include_reports=False)
    files = lake.read(cfg.lake_dir, "files")
    ledger = files.filter(files["kind"] != "agencies")
    redone = changes.read_changes(lake.current(cfg.lake_dir)).get("agencies_redone")
    return clock.times() | {"rows": int(ledger["rows"].sum() or 0), "agencies_redone": redone}
