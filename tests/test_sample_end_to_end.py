"""The bundled sample county end to end: generate → materialize every year → the warehouse matches the
generator's own ground truth cell by cell, the quarantine holds exactly its deliberate bad rows, and
鄌郚镇 2022 matches its published report."""

import json
from collections import defaultdict
from decimal import ROUND_HALF_UP, Decimal

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


def test_every_fee_cell_in_the_warehouse_is_the_exact_sum_of_its_records(sample):
    """Table P's fee amount (万元, four decimals, rounded half up) against the records behind it, summed exactly
    (Decimal): the warehouse's own check of the sum that doubles once got wrong (108,658.50 元 as 10.8658)."""
    cfg, _ = sample
    exact: dict[tuple, Decimal] = defaultdict(Decimal)
    records = query(cfg.warehouse, "SELECT agency_code, year, amount_yuan FROM fact_proactive_record WHERE list_contains(cells, 'P.admin_fee.amount_wan_yuan')")
    for code, year, amount in records.iter_rows():
        exact[(code, year)] += Decimal(str(amount))
    cells = query(cfg.warehouse, "SELECT agency_code, year, value FROM fact_proactive WHERE item = 'admin_fee' AND metric = 'amount_wan_yuan'")
    assert cells.height == 14 * len(YEARS) and sum(1 for v in exact.values() if v) >= 3  # the sample charges fees
    for code, year, value in cells.iter_rows():
        want = (exact.get((code, year), Decimal(0)) / 10_000).quantize(Decimal("0.0001"), rounding=ROUND_HALF_UP)
        assert Decimal(str(value)) == want, (code, year, value, want)


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


def test_the_sample_has_late_answers_an_over_charged_fee_and_a_due_soon_list(sample, capsys):
    from pipelines.cli.demo import DUE_DAY, DUE_WITHIN, print_deadlines
    from pipelines.defs.compliance.due import as_json, due_list

    cfg, _ = sample
    # 教育和体育局 answered three applications 45 days after receipt. JTJ-2022-002, received Fri 16 Sep 2022 (1–7 Oct
    # off, Sat 8 and Sun 9 Oct worked): 19–23 Sep = 1–5, 26–30 Sep = 6–10, 8–9 Oct = 11–12, 10–14 Oct = 13–17,
    # 17–19 Oct = 18–20: due Wed 19 Oct, answered Mon 31 Oct (20, 21, 24–28, 31 Oct: 28 working days used).
    late = query(
        cfg.warehouse,
        "SELECT application_id, due_on::VARCHAR, closed_on::VARCHAR, working_days_used FROM v_application_deadline WHERE status = 'late' ORDER BY 1",
    )
    assert late.get_column("application_id").to_list() == ["JTJ-2022-002", "JTJ-2022-003", "JTJ-2023-002"]
    assert late.row(0) == ("JTJ-2022-002", "2022-10-19", "2022-10-31", 28)
    per_year = query(cfg.warehouse, "SELECT year, sum(late)::INTEGER FROM v_deadline_agency_year GROUP BY year ORDER BY year")
    assert per_year.rows() == [(2021, 0), (2022, 2), (2023, 1), (2024, 0)]  # 2024: December requests answered in January
    # 13 applications of one person to 自然资源局 in March 2023 allow 3 × 100 元; 400 were charged. The 2022 reply of
    # 县政府 charged by pages (150 元 for one application) is over the by-count limit too: the warning a reviewer dismisses.
    fees = query(cfg.warehouse, "SELECT year, applications, fees_yuan, cap_yuan FROM fee_excess ORDER BY year")
    assert fees.rows() == [(2022, 1, 150.0, 0.0), (2023, 13, 400.0, 300.0)]
    # on the day the 2023 ledgers were exported, 住建局's ZJJ-2023-010 (received Thu 7 Dec 2023: 8 Dec = 1, 11–15 = 2–6,
    # 18–22 = 7–11, 25–29 = 12–16, 1 Jan off, 2–5 Jan = 17–20) is due that very day
    soon = as_json(due_list(cfg.warehouse, DUE_DAY, DUE_WITHIN))
    zjj = query(cfg.warehouse, "SELECT agency_code FROM dim_agency WHERE agency_name = '昌乐县住房和城乡建设局'").item()
    assert soon[0] == {
        "agency_code": zjj,
        "application_id": "ZJJ-2023-010",
        "received_on": "2023-12-07",
        "due_on": "2024-01-05",
        "working_days_left": 0,
        "reason": None,
    }
    assert len(soon) > 1 and all(r["working_days_left"] <= DUE_WITHIN for r in soon)
    print_deadlines(cfg, list(YEARS))
    shown = capsys.readouterr().out
    assert "JTJ-2023-002" in shown and "400" in shown and "ZJJ-2023-010" in shown


def test_gongkai_demo_shows_them(sample):
    from typer.testing import CliRunner

    from pipelines.cli import main

    cfg, _ = sample
    main._register()
    # the sample is already there and loaded: the demo reuses it and prints the deadline findings after the summary
    out = CliRunner().invoke(main.app, ["demo", "--raw", str(cfg.raw_dir), "--warehouse", str(cfg.warehouse)])
    assert out.exit_code == 0, out.output
    assert "逾期答复 / answered after the statutory due date: 3" in out.stdout
    assert "fees above the by-count limit: 2" in out.stdout and "ZJJ-2023-010" in out.stdout
    overview = (cfg.reports_dir / "overview" / "昌乐县" / "2022.html").read_text(encoding="utf-8")
    assert 'id="deadlines"' in overview
