"""The bench's stages call the functions the assets call, so `gongkai bench` times the production code.

Each production function is replaced by a spy that records its arguments and stops the stage: a stage that
re-implemented the work instead of calling the function would not reach the spy (and would not raise).
"""

import dagster as dg
import polars as pl
import pytest

from pipelines.bench import stages
from pipelines.resources import GongkaiConfig
from pipelines.settings import settings


class Reached(Exception):
    """Raised by a spy: the stage called the production function."""


def spy(calls: list):
    def record(*args, **kwargs):
        calls.append((args, kwargs))
        raise Reached

    return record


def test_ingest_stage_calls_ingest_run(monkeypatch, tmp_path):
    import pipelines.defs.ingest.run as run

    calls: list = []
    monkeypatch.setattr(run, "ingest_run", spy(calls))
    with pytest.raises(Reached):
        stages.ingest(str(tmp_path))
    ((cfg,), _kw) = calls[0]
    assert cfg.raw_dir == tmp_path / "raw" and cfg.lake_dir == tmp_path / "warehouse" / "lake"


def test_tables_stage_calls_compute_and_store_year(monkeypatch, tmp_path):
    import pipelines.defs.tables.run as run

    calls: list = []
    monkeypatch.setattr(run, "compute_and_store_year", spy(calls))
    with pytest.raises(Reached):
        stages.tables(str(tmp_path), 2022)
    ((cfg, year), _kw) = calls[0]
    assert year == 2022 and cfg.tables_dir == tmp_path / "warehouse" / "tables"


def test_warehouse_stage_calls_load_year(monkeypatch, tmp_path):
    import pipelines.defs.warehouse.assets as wh_assets

    calls: list = []
    monkeypatch.setattr(wh_assets, "load_year", spy(calls))
    with pytest.raises(Reached):
        stages.warehouse(str(tmp_path), 2022)
    ((cfg, year), _kw) = calls[0]
    assert year == 2022 and cfg.warehouse == tmp_path / "warehouse" / "gongkai.duckdb"


def test_reports_stage_calls_publish_reports(monkeypatch, tmp_path):
    import pipelines.defs.reports.publish as publish
    import pipelines.defs.warehouse.warehouse as wh

    calls: list = []
    # 10 agencies, a sample of 5: every 2nd code (step 10 // 5), as the stage's docstring says
    codes = [f"A{i:02d}" for i in range(10)]
    monkeypatch.setattr(wh, "query", lambda *_a, **_k: pl.DataFrame({"agency_code": codes}))
    monkeypatch.setattr(publish, "publish_reports", spy(calls))
    with pytest.raises(Reached):
        stages.reports(str(tmp_path), 2022, sample=5)
    (args, kwargs) = calls[0]
    assert args[1] == 2022 and kwargs["agency_codes"] == ["A00", "A02", "A04", "A06", "A08"]


@pytest.mark.parametrize(
    ("asset_module", "function", "asset", "partition"),
    [
        ("pipelines.defs.ingest.assets", "ingest_run", "validated_ledgers", None),
        ("pipelines.defs.tables.assets", "compute_and_store_year", "statutory_tables", "2022"),
        ("pipelines.defs.warehouse.assets", "load_year", "warehouse_year", "2022"),
    ],
)
def test_the_assets_call_the_same_functions(monkeypatch, tmp_path, asset_module, function, asset, partition):
    """The other half of "one code path": each asset's body goes through the function the bench times."""
    import importlib

    module = importlib.import_module(asset_module)
    calls: list = []
    monkeypatch.setattr(module, function, spy(calls))
    cfg = settings(raw=tmp_path / "raw", warehouse=tmp_path / "wh" / "gongkai.duckdb")
    result = dg.materialize([getattr(module, asset)], partition_key=partition, resources={"gongkai": GongkaiConfig.from_settings(cfg)}, raise_on_error=False)
    assert not result.success and len(calls) == 1
    assert calls[0][0][0].raw_dir == tmp_path / "raw"


def test_the_reports_line_names_the_processes_and_a_sample_too_small_for_the_pool():
    from pipelines.bench.report import _note

    # 0.025 s × 7,026 agencies = 175.65 s, printed rounded to 176 s
    r = {"per_agency_seconds": 0.025, "agencies": 7026, "extrapolated_seconds": 175.65, "workers": 2, "production_workers": 2}
    assert _note("reports", r) == "0.025 s/agency, 2 processes → all 7,026: 176 s"
    small = r | {"workers": 1}
    assert _note("reports", small) == "0.025 s/agency, 1 process (all agencies: 2; sample too small for the pool) → all 7,026: 176 s"
    with_cpu = r | {"cpu_per_agency_seconds": 0.0314}
    assert _note("reports", with_cpu) == "0.025 s/agency, 2 processes (processor 0.031 s/agency) → all 7,026: 176 s"
