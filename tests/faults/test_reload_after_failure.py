"""A year whose warehouse load failed or was killed is loaded again (issue #11): staleness is judged against what
the warehouse loaded (`loaded_input`), not only against the tables store, by `--changed` and by the nightly
sensor alike; and a killed run's staging copy of the warehouse is cleaned up by the next load."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

import tests.support.ledger_fixtures as F
from pipelines.defs.tables.inputs import stale_years
from pipelines.defs.warehouse import warehouse as wh
from pipelines.errors import GongkaiError
from pipelines.run import materialize_years
from pipelines.settings import settings
from tests.support import warehouse_state
from tests.support.nightly import nightly_years

CURRENT = dt.datetime.now(ZoneInfo("Asia/Shanghai")).year


def _received(cfg, year: int) -> int:
    return wh.query(cfg.warehouse, "SELECT applications_received FROM v_agency_year WHERE agency_code = ? AND year = ?", [F.A, year]).item()


@pytest.mark.slow
def test_a_failed_load_is_loaded_again_by_changed_and_by_the_nightly_sensor(tmp_path, monkeypatch):
    F.pii_env(monkeypatch, tmp_path)
    raw = F.write_hand_worked(tmp_path / "raw")
    cfg = settings(raw=raw, warehouse=tmp_path / "wh" / "gongkai.duckdb")
    materialize_years(cfg, None, include_reports=False)
    assert stale_years(cfg) == []
    before = _received(cfg, 2022)
    # a 2022 application of A arrives; then the 2022 load fails after the tables were stored (disk full)
    F.write_csv(
        raw / "applications" / "late.csv", F.APPLICATION_HEADER, [["N9", F.A, "2022-03-01", "自然人", "周九", None, None, None, None]], mtime=F.T0 + 5000
    )
    real = wh.replace_year

    def full_disk(con, year, *args, **kwargs):
        if year == 2022:
            raise OSError(28, "No space left on device")
        return real(con, year, *args, **kwargs)

    with monkeypatch.context() as m:
        m.setattr(wh, "replace_year", full_disk)
        with pytest.raises(GongkaiError, match="2022"):
            materialize_years(cfg, None, include_reports=False)
    assert _received(cfg, 2022) == before  # the warehouse still holds the old 2022 while the tables store moved on
    # 2022 is stale by the warehouse (its tables are current); 2023 and the year in progress read the year before
    assert stale_years(cfg) == [2022, 2023, CURRENT]
    assert nightly_years(cfg) == ["2022", "2023", str(CURRENT)]
    assert materialize_years(cfg, None, include_reports=False).years == [2022, 2023, CURRENT]
    assert _received(cfg, 2022) == before + 1  # the one late application
    assert stale_years(cfg) == []
    scratch = settings(raw=warehouse_state.copy_raw(raw, tmp_path / "scratch" / "raw"), warehouse=tmp_path / "scratch" / "wh" / "gongkai.duckdb")
    materialize_years(scratch, None, include_reports=False)
    assert warehouse_state.differences(cfg.warehouse, scratch.warehouse) == []


def test_a_killed_runs_staging_copy_and_its_wal_are_cleaned_up_by_the_next_load(tmp_path):
    warehouse = tmp_path / "gongkai.duckdb"
    wh.load(warehouse, lambda con: {})
    # what kill -9 during a load leaves: the staging copy named with the dead run's process id, and its WAL
    left = [tmp_path / ".gongkai.duckdb.staging-4194305", tmp_path / ".gongkai.duckdb.staging-4194305.wal"]
    for path in left:
        path.write_bytes(b"\0" * 1024)
    wh.load(warehouse, lambda con: {})
    assert sorted(p.name for p in tmp_path.iterdir()) == ["gongkai.duckdb", "gongkai.duckdb.lock"]


@pytest.mark.slow
def test_a_failed_load_is_one_line_without_a_traceback_unless_debugging(tmp_path, monkeypatch, capfd):
    import sys

    from pipelines.cli import main

    main._register()
    F.pii_env(monkeypatch, tmp_path)
    raw = F.write_hand_worked(tmp_path / "raw")
    real = wh.replace_year

    def full_disk(con, year, *args, **kwargs):
        if year == 2022:
            raise OSError(28, "No space left on device")
        return real(con, year, *args, **kwargs)

    monkeypatch.setattr(wh, "replace_year", full_disk)
    for debug in ("", "1"):
        monkeypatch.setenv("GONGKAI_DEBUG", debug)
        monkeypatch.setattr(
            sys, "argv", ["gongkai", "materialize", "--years", "2021-2022", "--raw", str(raw), "--warehouse", str(tmp_path / "wh" / "g.duckdb")]
        )
        with pytest.raises(SystemExit) as exc:
            main.main()
        assert exc.value.code == 2
        err = capfd.readouterr().err
        errors = [line for line in err.splitlines() if line.startswith("错误 / error:")]
        assert len(errors) == 1 and "2022" in errors[0] and "No space left on device" in errors[0], err
        if debug:  # the whole story, for whoever debugs
            assert "Stack Trace" in err or "Traceback" in err
        else:
            assert "Stack Trace" not in err and "Traceback" not in err, err


def test_an_ingestion_killed_before_publishing_leaves_nothing_after_the_next_one(tmp_path):
    from pipelines.defs.ingest import lake

    first = lake.new_generation(tmp_path)
    lake.publish(tmp_path, first)
    killed = lake.new_generation(tmp_path)  # written, never made current: the run was killed
    (killed / "records.parquet").write_bytes(b"\0" * 1024)
    second = lake.new_generation(tmp_path)
    lake.publish(tmp_path, second)
    # the new one, and the one before it (a reader may still be on it); not the killed run's
    assert sorted(p.name for p in tmp_path.glob("gen-*")) == sorted([first.name, second.name])
    third = lake.new_generation(tmp_path)
    lake.publish(tmp_path, third)
    assert sorted(p.name for p in tmp_path.glob("gen-*")) == sorted([second.name, third.name])
