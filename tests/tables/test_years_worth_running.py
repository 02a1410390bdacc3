"""No phantom years: a run after ingestion looks only at the years that records, register entries or
quarantined rows belong to, the years computed before, and the year in progress — a 1900 date does not make
it run every year from 2019, and years with nothing in them get no all-zero report."""

import datetime as dt

from pipelines.defs.ingest import lake
from pipelines.defs.ingest.discover import discover
from pipelines.defs.ingest.ingest import ingest
from pipelines.defs.tables.inputs import worth_running
from pipelines.settings import settings
from tests.support import ledger_fixtures as F

TODAY = dt.date(2026, 11, 30)


def _lake(root, tmp_path):
    cfg = settings(raw=root, warehouse=tmp_path / "warehouse" / "gongkai.duckdb")
    gen = lake.new_generation(cfg.lake_dir)
    result = ingest(discover(root), b"k", out_dir=gen, today=TODAY)
    result.quarantine.write_parquet(gen / "quarantine.parquet")
    lake.publish(cfg.lake_dir, gen)
    return cfg, gen


def test_the_years_with_something_in_them_and_the_year_in_progress(tmp_path):
    root = F.write_hand_worked(tmp_path / "raw")
    # a clerk's slip: received in 1900 (quarantined, no year of its own), and a case closed in 2099 (also)
    F.write_csv(
        root / "applications" / "slip.csv", F.APPLICATION_HEADER, [["S-1", F.A, "1900-01-01", "自然人", "某人", None, None, None, None]], mtime=F.T0 + 99
    )
    F.write_csv(root / "appeals" / "slip.csv", F.APPEAL_HEADER, [["S-2", F.A, None, "行政复议", "2023-05-01", "2099-01-01", "维持"]], mtime=F.T0 + 99)
    cfg, gen = _lake(root, tmp_path)
    # records and register entries of 2021–2023 (the 2099 case is quarantined but belongs to 2023 by its filing)
    assert worth_running(cfg, gen, TODAY) == {2021, 2022, 2023, 2026}


def test_a_year_computed_before_stays_worth_looking_at(tmp_path):
    root = F.write_hand_worked(tmp_path / "raw")
    cfg, gen = _lake(root, tmp_path)
    (cfg.tables_dir / "2024").mkdir(parents=True)  # computed by an earlier run: it may have gone stale since
    assert worth_running(cfg, gen, TODAY) == {2021, 2022, 2023, 2024, 2026}
