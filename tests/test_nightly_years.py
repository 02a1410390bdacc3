"""After a change to the ledgers, a run redoes only the agency-years whose inputs changed — and the tables
store and the warehouse end up exactly as a run from scratch on the changed ledgers would leave them."""

import os
import shutil

import dagster as dg
import polars as pl
import pytest

from pipelines.defs.generate.sample import YEARS, generate_sample
from pipelines.defs.ingest.readers import decode
from pipelines.defs.tables import store
from pipelines.defs.warehouse.warehouse import query
from pipelines.run import materialize_years
from pipelines.settings import settings

pytestmark = pytest.mark.slow  # whole pipeline runs

TANGWU = "11370725MB28501425"  # 鄌郚镇
HONGHE = "11370725MB2850159U"  # 红河镇
LATER = 2_000_000_000
COMPARED = (
    "fact_proactive",
    "fact_application",
    "fact_appeal",
    "fact_channel",
    "agency_year",
    "check_result",
    "quarantine",
    "ledger_file",
    "county_year",
    "fact_application_record",
    "fact_appeal_record",
    "fact_proactive_record",
)


def _sorted(frame: pl.DataFrame) -> pl.DataFrame:
    return frame.sort(frame.columns, nulls_last=True)


def _latest(asset: str, year: int) -> dict:
    records = (
        dg.DagsterInstance.get().fetch_materializations(dg.AssetRecordsFilter(asset_key=dg.AssetKey(asset), asset_partitions=[str(year)]), limit=1).records
    )
    return {k: getattr(v, "value", v) for k, v in records[0].asset_materialization.metadata.items()}


def _as_from_scratch(cfg, tmp_path, name):
    """The same raw root (files, names and modification times) materialized from nothing."""
    fresh_raw = tmp_path / name / "raw"
    shutil.copytree(cfg.raw_dir, fresh_raw)  # copy2: modification times kept, so the export order is the same
    fresh = settings(raw=fresh_raw, warehouse=tmp_path / name / "warehouse" / "gongkai.duckdb")
    materialize_years(fresh, list(YEARS), include_reports=False)
    for table in COMPARED:
        got, want = query(cfg.warehouse, f"SELECT * FROM {table}"), query(fresh.warehouse, f"SELECT * FROM {table}")
        assert _sorted(got).equals(_sorted(want)), table
    for year in YEARS:
        got, want = store.read_year(cfg.warehouse.parent / "tables", year), store.read_year(fresh.warehouse.parent / "tables", year)
        for name in want:
            assert _sorted(got[name]).equals(_sorted(want[name])), (year, name)


def _rewrite(path, edit):
    text, encoding = decode(path.read_bytes())
    path.write_bytes(edit(text).encode(encoding))
    os.utime(path, (LATER, LATER))


@pytest.fixture
def county(tmp_path):
    generate_sample(tmp_path / "raw")
    cfg = settings(raw=tmp_path / "raw", warehouse=tmp_path / "warehouse" / "gongkai.duckdb")
    materialize_years(cfg, list(YEARS), include_reports=False)
    return cfg


def test_a_run_with_nothing_changed_recomputes_and_loads_nothing(county):
    materialize_years(county, list(YEARS), include_reports=False)
    for year in YEARS:
        assert _latest("statutory_tables", year)["agencies_recomputed"] == 0
        assert _latest("warehouse_year", year)["agencies_replaced"] == 0


def test_a_corrected_ledger_redoes_its_agency_from_its_year_on(county, tmp_path):
    target = next((county.raw_dir / "disclosures" / "2022").glob("鄌郚镇*.csv"))
    _rewrite(target, lambda t: "\n".join(t.rstrip("\r\n").splitlines()[:-1]) + "\n")
    materialize_years(county, list(YEARS), include_reports=False)
    # 2021 cannot depend on a 2022 row; 2023 does (documents in force, and A4/P1 read 2022)
    assert [_latest("statutory_tables", y)["agencies_recomputed"] for y in YEARS] == [0, 1, 1]
    assert [_latest("warehouse_year", y)["agencies_replaced"] for y in YEARS] == [0, 1, 1]
    got = query(county.warehouse, "SELECT items_published FROM v_agency_year WHERE agency_code = ? AND year = 2022", [TANGWU])
    assert got.item() == 378  # 379 in the published report, less the deleted item
    _as_from_scratch(county, tmp_path, "scratch")


def test_an_agency_leaving_the_register_leaves_every_year(county, tmp_path):
    _rewrite(county.raw_dir / "agencies.csv", lambda t: "".join(line for line in t.splitlines(keepends=True) if HONGHE not in line))
    materialize_years(county, list(YEARS), include_reports=False)
    for year in YEARS:
        assert query(county.warehouse, "SELECT count(*) AS n FROM agency_year WHERE agency_code = ? AND year = ?", [HONGHE, year]).item() == 0
    _as_from_scratch(county, tmp_path, "scratch")
