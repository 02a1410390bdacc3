"""What an operator sees: asset checks per year, what a fresh `make dev` runs."""

import dagster as dg
import pytest

import tests.support.ledger_fixtures as F
from pipelines.defs.automation.schedules import ledger_files_changed, nightly, refresh_after_ingest
from pipelines.defs.ingest.assets import validated_ledgers
from pipelines.defs.tables.assets import statutory_tables
from pipelines.defs.warehouse.assets import warehouse_ledgers, warehouse_year
from pipelines.resources import GongkaiConfig
from pipelines.settings import settings

COMPLETE = dg.AssetCheckKey(dg.AssetKey("statutory_tables"), "complete")
A1 = dg.AssetCheckKey(dg.AssetKey("statutory_tables"), "A1")


@pytest.fixture
def env(monkeypatch, tmp_path):
    F.pii_env(monkeypatch, tmp_path)
    raw = tmp_path / "raw"
    cfg = settings(raw=raw, warehouse=tmp_path / "wh" / "gongkai.duckdb")
    return {"raw": raw, "cfg": cfg, "resources": {"gongkai": GongkaiConfig.from_settings(cfg)}}


def statuses(instance: dg.DagsterInstance, key: dg.AssetCheckKey) -> dict[str | None, str]:
    return {i.partition_key: i.latest_execution_status.value for i in instance.event_log_storage.get_asset_check_partition_info([key])}


@pytest.mark.slow  # whole pipeline runs
def test_checks_keep_a_result_per_year(env):
    """2021 is complete and 2022 is not (one of B's 2022 rows is quarantined): both results stay visible, whichever
    year ran last."""
    F.write_hand_worked(env["raw"])
    # received 2022-05-01, closed 2022-04-01: closed_before_received, a 2022 row of B
    F.write_csv(
        env["raw"] / "applications" / "b_bad.csv",
        F.APPLICATION_HEADER,
        [["B-02", F.B, "2022-05-01", "自然人", None, None, "2022-04-01", "予以公开", None]],
        mtime=F.T0 + 70,
    )
    instance = dg.DagsterInstance.ephemeral()
    assert dg.materialize([validated_ledgers, warehouse_ledgers], resources=env["resources"], instance=instance).success
    for year in ("2022", "2021"):  # 2021 last: its pass must not hide 2022's failure
        result = dg.materialize([statutory_tables, warehouse_year], partition_key=year, resources=env["resources"], instance=instance)
        assert result.success
        evaluations = {e.check_name: e for e in result.get_asset_check_evaluations()}
        assert {e.partition for e in evaluations.values()} == {year}
        assert evaluations["complete"].metadata["year"].value == int(year)
    assert statuses(instance, COMPLETE) == {"2021": "SUCCEEDED", "2022": "FAILED"}
    assert statuses(instance, A1) == {"2021": "SUCCEEDED", "2022": "SUCCEEDED"}


def test_a_fresh_dagster_dev_runs_the_schedule_and_both_sensors():
    from pipelines.definitions import defs

    assert nightly.default_status == dg.DefaultScheduleStatus.RUNNING
    assert ledger_files_changed.default_status == dg.DefaultSensorStatus.RUNNING
    assert refresh_after_ingest.default_status == dg.DefaultSensorStatus.RUNNING
    assert {s.name for s in defs.sensors or []} >= {"ledger_files_changed", "refresh_after_ingest"}


def test_the_file_sensor_waits_for_ledgers(env):
    """Before `make demo` the raw root is empty: no ingestion of nothing (which would only fail)."""
    tick = ledger_files_changed.evaluate_tick(dg.build_sensor_context(instance=dg.DagsterInstance.ephemeral(), resources=env["resources"], cursor=None))
    assert tick.run_requests == [] and "no ledger files" in (tick.skip_message or "")
