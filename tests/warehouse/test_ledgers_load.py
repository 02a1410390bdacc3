"""The lake's accounting (ledger_file, quarantine) into the warehouse: loaded when the lake's bytes changed, skipped
when they did not, and never with the county totals computed again for it."""

import duckdb
import pytest

import tests.support.ledger_fixtures as F
from pipelines.defs.ingest import lake
from pipelines.defs.ingest.run import ingest_run
from pipelines.defs.warehouse import assets
from pipelines.defs.warehouse import warehouse as wh
from pipelines.settings import settings


@pytest.fixture
def cfg(tmp_path):
    root = F.write_hand_worked(tmp_path / "raw")
    F.add_quarantined_rows(root)
    return settings(raw=root, warehouse=tmp_path / "wh" / "gongkai.duckdb")


def _in_warehouse(cfg) -> dict[str, list[tuple]]:
    return {
        "ledger_file": wh.query(cfg.warehouse, "SELECT path, status, rows, accepted, quarantined FROM ledger_file ORDER BY path").rows(),
        "quarantine": wh.query(cfg.warehouse, "SELECT path, record_id, rule FROM quarantine ORDER BY ALL").rows(),
    }


def _in_lake(cfg) -> dict[str, list[tuple]]:
    files = lake.read(cfg.lake_dir, "files").select("path", "status", "rows", "accepted", "quarantined").sort("path")
    bad = lake.read(cfg.lake_dir, "quarantine").select("path", "record_id", "rule").sort("path", "record_id", "rule")
    return {"ledger_file": files.rows(), "quarantine": bad.rows()}


def test_loaded_when_the_lake_changed_skipped_when_it_did_not(cfg, monkeypatch):
    ingest_run(cfg)
    # 8 clean files + b_bad.csv, c.csv, cases_2023.csv; quarantined: B-02 (closed before received), C01 (no date), R8
    assert assets.load_ledgers(cfg) == {"ledger_file": 11, "quarantine": 3}
    first = _in_warehouse(cfg)
    assert first == _in_lake(cfg)
    assert sorted(r[1] for r in first["quarantine"]) == ["B-02", "C01", "R8"]
    published = cfg.warehouse.stat()

    # the same lake: nothing written, the published file is the same file
    assert assets.load_ledgers(cfg) == {"ledger_file": 0, "quarantine": 0}
    # an ingestion that changed nothing writes the lake's accounting byte for byte again: still nothing to load
    ingest_run(cfg)
    assert assets.load_ledgers(cfg) == {"ledger_file": 0, "quarantine": 0}
    assert (cfg.warehouse.stat().st_ino, cfg.warehouse.stat().st_mtime_ns) == (published.st_ino, published.st_mtime_ns)

    # B-02 corrected: the accounting changes and is loaded, without computing the county totals again (they read
    # neither table; this build's DDL is in place, so nothing else asks for them)
    F.write_csv(
        cfg.raw_dir / "applications" / "b_bad.csv",
        F.APPLICATION_HEADER,
        [["B-02", F.B, "2022-05-01", "自然人", "钱七", None, "2022-05-06", "予以公开", None]],
        mtime=F.T0 + 100,
    )
    ingest_run(cfg)

    def refresh(con):
        raise AssertionError("the county totals were computed again for a load of the ledger accounting")

    monkeypatch.setattr(wh, "refresh_aggregates", refresh)
    assert assets.load_ledgers(cfg) == {"ledger_file": 11, "quarantine": 2}
    after = _in_warehouse(cfg)
    assert after == _in_lake(cfg)
    assert sorted(r[1] for r in after["quarantine"]) == ["C01", "R8"]
    assert [r[2:] for r in after["ledger_file"] if r[0] == "applications/b_bad.csv"] == [(1, 1, 0)]


def test_a_warehouse_without_this_lakes_fingerprint_is_loaded_again(cfg):
    ingest_run(cfg)
    assets.load_ledgers(cfg)
    # a fingerprint that is not this lake's: loaded again (what the tables hold is trusted to match the fingerprint,
    # as warehouse_build and loaded_input are: only gongkai writes them)
    con = duckdb.connect(str(cfg.warehouse))
    con.execute("DELETE FROM quarantine")
    con.execute("UPDATE loaded_ledgers SET fingerprint = 'other'")
    con.close()
    assert assets.load_ledgers(cfg) == {"ledger_file": 11, "quarantine": 3}
    assert _in_warehouse(cfg) == _in_lake(cfg)
    # a file written before loads kept it: the table is missing and the build is another's. The DDL creates the table
    con = duckdb.connect(str(cfg.warehouse))
    con.execute("DROP TABLE loaded_ledgers")
    con.execute("DELETE FROM quarantine")
    con.execute("UPDATE warehouse_build SET fingerprint = 'older code'")
    con.close()
    assert wh.loaded_ledgers(cfg.warehouse) is None
    assert assets.load_ledgers(cfg) == {"ledger_file": 11, "quarantine": 3}
    assert _in_warehouse(cfg) == _in_lake(cfg)
    assert assets.load_ledgers(cfg) == {"ledger_file": 0, "quarantine": 0}
