"""The bundled sample county end to end: generate → materialize every year → the warehouse matches the
generator's own ground truth cell by cell, the quarantine holds exactly its deliberate bad rows, and
鄌郚镇 2022 matches its published report."""

import json

import pytest

from pipelines.defs.generate.sample import YEARS, generate_sample
from pipelines.defs.warehouse.read import agency_year_tables
from pipelines.defs.warehouse.warehouse import query
from pipelines.run import materialize_years
from pipelines.settings import settings

pytestmark = pytest.mark.slow  # whole pipeline runs

TANGWU = "11370725MB28501425"


@pytest.fixture(scope="module")
def sample(tmp_path_factory):
    root = tmp_path_factory.mktemp("sample")
    generate_sample(root / "raw")
    cfg = settings(raw=root / "raw", warehouse=root / "warehouse" / "gongkai.duckdb")
    materialize_years(cfg, list(YEARS))
    return cfg, json.loads((root / "raw" / "MANIFEST.json").read_text(encoding="utf-8"))


def test_quarantine_is_exactly_the_deliberate_bad_rows(sample):
    cfg, manifest = sample
    got = sorted(query(cfg.warehouse, 'SELECT path, "row", rule FROM quarantine').rows())
    assert got == sorted((b["path"], b["row"], b["rule"]) for b in manifest["bad_rows"])
    files = query(cfg.warehouse, 'SELECT count(*) AS n, sum("rows") AS r, sum(accepted) AS a, sum(quarantined) AS q FROM ledger_file').row(0, named=True)
    assert files["r"] == files["a"] + files["q"] and files["q"] == len(manifest["bad_rows"])


def test_every_agency_year_matches_the_generators_truth(sample):
    cfg, manifest = sample
    assert len(manifest["truth"]) == 14 * len(YEARS)
    for truth in manifest["truth"]:
        obj = agency_year_tables(cfg.warehouse, truth["agency_code"], truth["year"])
        where = f"{truth['agency_name']} {truth['year']}"
        assert obj["applications"] == truth["applications"], where
        assert obj["appeals"] == truth["appeals"], where
        for item, metrics in truth["proactive"]["table"].items():
            for metric, value in metrics.items():
                if metric in obj["proactive"][item]:
                    expected = round(value, 4) if metric == "amount_wan_yuan" else value  # 万元, four decimals
                    assert obj["proactive"][item][metric] == pytest.approx(expected), f"{where} {item}.{metric}"
        assert {k: n for k, n in obj["channels"].items() if k != "total"} == truth["proactive"]["channels"], where
        assert obj["channels"]["total"] == truth["proactive"]["total"], where
        assert obj["fees_yuan"] == pytest.approx(truth["application_fees_yuan"]), where
        # our attribution is never less strict than the generator's: an agency-year it knows is incomplete is so here too
        if not truth["complete"]:
            assert obj["complete"] is False, where
        assert all(c["status"] == "pass" for c in obj["checks"] if c["id"] != "P1"), (where, obj["checks"])


def test_tangwu_2022_matches_its_published_report(sample):
    cfg, _ = sample
    obj = agency_year_tables(cfg.warehouse, TANGWU, 2022)
    assert obj["agency_name"] == "昌乐县鄌郚镇人民政府" and obj["complete"] is True
    assert obj["channels"] == {"portal_column": 11, "wechat": 368, "total": 379}
    assert all(v == 0 for cols in obj["applications"].values() for v in cols.values())
    assert all(v == 0 for res in obj["appeals"].values() for v in res.values())
    assert all(v == 0 for metrics in obj["proactive"].values() for v in metrics.values())
    assert obj["fees_yuan"] == 0
    assert {c["id"]: c["status"] for c in obj["checks"]} == {"A1": "pass", "A2": "pass", "A3": "pass", "A4": "pass", "R1": "pass", "P1": "pass", "N1": "pass"}


def test_the_undeclared_ledger_makes_exactly_one_agency_year_incomplete_and_the_overview_shows_it(sample):
    cfg, manifest = sample
    honghe = "11370725MB2850159U"  # 红河镇: no case in 2023, and the register does not say so
    reasons = query(cfg.warehouse, "SELECT agency_code, year, reason, kind FROM incomplete_reason WHERE reason = 'ledger_missing'").rows()
    assert reasons == [(honghe, 2023, "ledger_missing", "appeals")]
    obj = agency_year_tables(cfg.warehouse, honghe, 2023)
    assert obj["complete"] is False and obj["missing_ledgers"] == ["appeals"] and obj["quarantined_rows"] == 0
    assert any("复议诉讼台账" in r for r in obj["incomplete_reasons"])
    assert [(r["reason"], r["kind"]) for r in obj["incomplete"]] == [("ledger_missing", "appeals")] and "复议诉讼台账" in obj["incomplete"][0]["text"]
    # the other reasons are the deliberate bad rows' (quarantined_rows): no file rejected, no year in progress
    others = query(cfg.warehouse, "SELECT DISTINCT reason FROM incomplete_reason WHERE reason <> 'ledger_missing'").rows()
    assert others == [("quarantined_rows",)]
    page = (cfg.warehouse.parent / "reports" / "overview" / "昌乐县" / "2023.html").read_text(encoding="utf-8")
    assert 'data-missing="复议诉讼台账"' in page and "缺报/未报送" in page
    # nothing read was passed over in silence: every file of the raw root is in the accounting
    files = query(cfg.warehouse, "SELECT path, status FROM ledger_file").rows()
    assert {p for p, _ in files} == {f["path"] for f in manifest["files"]} and {s for _, s in files} == {"read"}
