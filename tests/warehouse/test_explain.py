"""`explain` (gongkai explain, the desk's cell page): the records behind a cell, read from the warehouse.

The hand-worked raw root of tests/support/ledger_fixtures.py, computed for 2021–2023 and loaded; each
expected list below is read off the fixture (file and row: the header is row 1 of each CSV file).
"""

import json

import polars as pl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

import tests.support.ledger_fixtures as F
import tests.support.random_ledgers as R
from pipelines.defs.tables.compute import compute_year
from pipelines.defs.warehouse import warehouse as wh
from pipelines.defs.warehouse.explain import explain, explain_on, parse_cell
from pipelines.errors import GongkaiError
from schemas import vocabulary as v

YEARS = (2021, 2022, 2023)
APPS = "applications/"


@pytest.fixture(scope="module")
def loaded(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("explain")
    with pytest.MonkeyPatch.context() as mp:
        F.pii_env(mp, tmp)
        ing = F.ingest_root(F.write_hand_worked(tmp / "raw"))
    agencies = ing.records["agencies"].drop("source_file", "source_sheet", "source_row")
    path = tmp / "wh.duckdb"
    previous = None
    for year in YEARS:
        facts = compute_year(ing.records, ing.quarantine, year, previous=previous)
        wh.load(path, lambda con, year=year, facts=facts: wh.replace_year(con, year, agencies, facts))
        previous = facts
    return path


def where(found: dict) -> list[tuple[str, str, int]]:
    return [(r["record_id"], r["file"], r["row"]) for r in found["records"]]


def test_applications_received_in_2022_by_natural_persons(loaded):
    found = explain(loaded, 2022, F.A, "A.1.natural_person")
    assert found["value"] == 3 and found["cell"] == "A.1.natural_person" and found["agency_code"] == F.A and found["year"] == 2022
    assert where(found) == [
        # A22-03: the re-export (later mtime) replaced the first export's row; its only row is row 2
        ("A22-03", APPS + "a_reexport_2022.csv", 2),
        # A22-04: z_export_2022.csv rows 2 A22-01, 3 A22-02, 4 A22-03, 5 A22-04
        ("A22-04", APPS + "z_export_2022.csv", 5),
        # A22-05: re-listed (closed) in a_2023.csv, the later file, as its 3rd record → row 4
        ("A22-05", APPS + "a_2023.csv", 4),
    ]
    assert {r["kind"] for r in found["records"]} == {"applications"}
    assert found["label"] == "表A 一、本年新收政府信息公开申请数量 · 自然人"


def test_derived_cells_list_the_records_of_their_parts(loaded):
    # 3.7 total of 2022: A21-02 部分公开, A22-01 同意公开, A22-02 重复申请, A22-03 保护第三方合法权益 (closed in 2022)
    closed = explain(loaded, 2022, F.A, "A.3.7.total")
    assert closed["value"] == 4 and [r["record_id"] for r in closed["records"]] == ["A21-02", "A22-01", "A22-02", "A22-03"]
    # row 2 commercial 2022: A21-02, received 2021-12-20 (a_2021.csv row 3), open on 1 Jan 2022
    assert where(explain(loaded, 2022, F.A, "A.2.commercial")) == [("A21-02", APPS + "a_2021.csv", 3)]
    # row 4 of 2022: A22-04 (never closed) and A22-05 (closed 1 Jan 2023)
    assert [r["record_id"] for r in explain(loaded, 2022, F.A, "A.4.total")["records"]] == ["A22-04", "A22-05"]
    # 2023: A22-05 涉及国家秘密 → 3.3.1
    secret = explain(loaded, 2023, F.A, "A.3.3.1.natural_person")
    assert [r["record_id"] for r in secret["records"]] == ["A22-05"]
    assert secret["label"] == "表A 三、本年度办理结果（三）不予公开 1.属于国家秘密 · 自然人"
    assert closed["label"] == "表A 三、本年度办理结果（七）总计 · 总计"
    # 2021: the two pre-2019 labels of 3.4.1 (A21-03 信息不存在, A21-04 非本机关政府信息)
    assert [r["record_id"] for r in explain(loaded, 2021, F.A, "A.3.4.1.total")["records"]] == ["A21-03", "A21-04"]


def test_cases_behind_table_r(loaded):
    # 2022 直接起诉: R3 concluded 2022-09-01 (其他), R5 filed 2021-12-01, concluded 2023 → pending; cases.csv rows 4 and 6
    found = explain(loaded, 2022, F.A, "R.litigation_direct.total")
    assert found["value"] == 2 and where(found) == [("R3", "appeals/cases.csv", 4), ("R5", "appeals/cases.csv", 6)]
    assert [r["record_id"] for r in explain(loaded, 2022, F.A, "R.litigation_direct.pending")["records"]] == ["R5"]
    assert [r["record_id"] for r in explain(loaded, 2022, F.A, "R.review.corrected")["records"]] == ["R2"]
    assert explain(loaded, 2022, F.A, "R.review.upheld") | {"records": None} == {
        "cell": "R.review.upheld",
        "agency_code": F.A,
        "year": 2022,
        "value": 0,  # R1 was upheld in 2021
        "label": "表R 行政复议 · 结果维持",
        "records": None,
    }


def test_items_behind_table_p(loaded):
    # 2021 行政许可: D06, D07 (disclosures_all.csv rows 5 and 6)
    found = explain(loaded, 2021, F.A, "P.license.decisions")
    assert found["value"] == 2 and where(found) == [("D06", "disclosures/disclosures_all.csv", 5), ("D07", "disclosures/disclosures_all.csv", 6)]
    assert isinstance(found["value"], int)
    # 2022: 〔2021〕1号 repealed by D03; in force: 〔2021〕2号 alone, listed by its 制发 item D02 (D04 amends it)
    assert [r["record_id"] for r in explain(loaded, 2022, F.A, "P.normative_document.repealed")["records"]] == ["D03"]
    assert [r["record_id"] for r in explain(loaded, 2022, F.A, "P.normative_document.in_force")["records"]] == ["D02"]
    # 2023: D13 issued; in force 〔2021〕2号 (D02) and 〔2023〕1号 (D13)
    assert [r["record_id"] for r in explain(loaded, 2023, F.A, "P.normative_document.in_force")["records"]] == ["D02", "D13"]
    # the regulation D05 issued 2021, still in force in 2023
    assert [r["record_id"] for r in explain(loaded, 2023, F.A, "P.regulation.in_force")["records"]] == ["D05"]


def test_the_fee_amount_lists_the_items_it_sums(loaded):
    # D10 "12,345" 元 + D11 6000 元 = 18,345 元 = 1.8345 万元
    found = explain(loaded, 2022, F.A, "P.admin_fee.amount_wan_yuan")
    assert found["value"] == pytest.approx(1.8345)
    assert [(r["record_id"], r["amount_yuan"]) for r in found["records"]] == [("D10", 12345.0), ("D11", 6000.0)]


def test_a_zero_cell_and_an_agency_without_records_list_nothing(loaded):
    assert explain(loaded, 2022, F.A, "A.3.3.3.total")["records"] == []
    for cell in ("A.1.total", "R.review.pending", "P.license.decisions"):
        found = explain(loaded, 2022, F.C, cell)
        assert (found["value"], found["records"]) == (0, []), cell


CELLS = (
    [f"A.{r}.{c}" for r in v.APPLICATION_ROW_KEYS for c in v.APPLICATION_COLUMN_KEYS]
    + [f"R.{g}.{r}" for g, r in v.APPEAL_CELLS]
    + [f"P.{i}.{m}" for i, m in v.PROACTIVE_CELLS]
)


def test_every_cell_of_every_agency_year_has_as_many_records_as_its_value(loaded):
    cells = [c for c in CELLS if c != "P.admin_fee.amount_wan_yuan"]
    listed = 0
    con = wh.reader(loaded)  # one connection: explain opens one per call (the same query, explain_on)
    try:
        for year in YEARS:
            for code in (F.A, F.B, F.C):
                for cell in cells:
                    found = explain_on(con, year, code, parse_cell(cell))
                    assert len(found["records"]) == found["value"], (year, code, cell)
                    listed += len(found["records"])
    finally:
        con.close()
    # not vacuous: the fixture's records sit behind many cells (which ones exactly: the tests above)
    assert listed > 100


@pytest.mark.parametrize(
    ("code", "cell", "says"),
    [
        (F.A, "A.9.total", "no such cell: A.9.total"),
        (F.A, "A.1.alien", "no such cell"),
        (F.A, "R.review", "no such cell"),
        (F.A, "P.admin_fee.decisions", "no such cell"),
        (F.A, "X.1.total", "no such cell"),
        (F.UNKNOWN, "A.1.total", f"unknown agency code: {F.UNKNOWN}"),
        (F.INVALID, "A.1.total", "not a valid agency code"),
    ],
)
def test_unknown_cells_and_agencies_are_one_clear_error(loaded, code, cell, says):
    with pytest.raises(GongkaiError, match=says):
        explain(loaded, 2022, code, cell)


def test_a_year_not_loaded_is_an_error(loaded):
    with pytest.raises(GongkaiError, match="not loaded"):
        explain(loaded, 2019, F.A, "A.1.total")


def test_record_facts_hold_no_personal_data(loaded):
    con = wh.reader(loaded)
    try:
        columns = {c for (c,) in con.execute("SELECT column_name FROM duckdb_columns() WHERE table_name LIKE 'fact_%_record'").fetchall()}
        row = con.execute(
            "SELECT applicant_key, cells FROM fact_application_record WHERE agency_code = ? AND year = 2022 AND application_id = 'A22-05'", [F.A]
        ).fetchone()
        # A21-01 and A22-03 carry ID numbers, the others names only: every application has a key
        keyless = con.execute("SELECT count(*) FROM fact_application_record WHERE applicant_key IS NULL").fetchone()[0]
    finally:
        con.close()
    assert not columns & {"applicant_name", "applicant_id_number", "applicant_phone", "applicant_address", "request_summary", "title"}
    assert "applicant_key" in columns
    # A22-05: received 31 Dec 2022, closed 1 Jan 2023 → rows 1 and 4 of 2022, with their totals
    assert len(row[0]) == 32 and row[1] == ["A.1.natural_person", "A.1.total", "A.4.natural_person", "A.4.total"]
    assert keyless == 0


def test_gongkai_explain_in_text_json_and_csv(loaded):
    from pipelines.cli import main

    main._register()
    runner = CliRunner()
    base = ["explain", "--year", "2022", "--agency", F.A, "--warehouse", str(loaded)]
    as_json = runner.invoke(main.app, [*base, "--cell", "A.4.natural_person", "--format", "json"])
    assert as_json.exit_code == 0, as_json.output
    obj = json.loads(as_json.output)
    assert obj["value"] == 2 and [r["record_id"] for r in obj["records"]] == ["A22-04", "A22-05"]
    as_csv = runner.invoke(main.app, [*base, "--cell", "P.admin_fee.amount_wan_yuan", "--format", "csv"])
    lines = as_csv.output.splitlines()
    # disclosures_all.csv: D01 row 2, D02 3, D05 4, D06 5, D07 6, D12 7, D03 8, D04 9, D08 10, D09 11, D10 12, D11 13
    assert lines[0] == "agency_code,year,cell,kind,record_id,file,sheet,row,amount_yuan"
    assert lines[1:] == [
        f"{F.A},2022,P.admin_fee.amount_wan_yuan,disclosures,D10,disclosures/disclosures_all.csv,,12,12345.0",
        f"{F.A},2022,P.admin_fee.amount_wan_yuan,disclosures,D11,disclosures/disclosures_all.csv,,13,6000.0",
    ]
    text = runner.invoke(main.app, [*base, "--cell", "R.litigation_direct.total"]).output
    assert "数值 / value: 2" in text and "R3  appeals/cases.csv 第4行" in text and "R5" in text


def test_gongkai_explain_errors_are_one_line_with_exit_2(loaded, capsys, monkeypatch):
    from pipelines.cli import main

    monkeypatch.setattr("sys.argv", ["gongkai", "explain", "--year", "2022", "--agency", F.A, "--cell", "A.0.total", "--warehouse", str(loaded)])
    with pytest.raises(SystemExit) as exit_:
        main.main()
    assert exit_.value.code == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "A.0.total" in err and "Traceback" not in err


# ------------------------------------------------------- random ledgers, through the warehouse

QUARANTINE_NONE = pl.DataFrame(
    schema={"kind": pl.String, "path": pl.String, "agency_code": pl.String, "year": pl.Int32, "end_year": pl.Int32, "superseded": pl.Boolean}
)


@settings(max_examples=6, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(apps=st.lists(R.application, max_size=20), cases=st.lists(R.case, max_size=10), items=st.lists(R.disclosure, max_size=40))
def test_random_ledgers_explain_every_cell_with_as_many_records_as_its_value(tmp_path_factory, apps, cases, items):
    # R.ledgers: random applications, cases and items of agencies A1, A2 (tests/support/random_ledgers.py); loaded as a
    # year is, then every cell of A1's 2022 explained (the fee amount: the listed items' amounts sum to it)
    records = {"agencies": pl.DataFrame({"agency_code": list(R.AGENCIES), "agency_name": ["甲", "乙"]})} | R.ledgers(apps, cases, items)
    facts = compute_year(records, QUARANTINE_NONE, 2022)
    path = tmp_path_factory.mktemp("random") / "wh.duckdb"
    wh.load(path, lambda con: wh.replace_year(con, 2022, records["agencies"], facts))
    con = wh.reader(path)
    try:
        for cell in CELLS:
            found = explain_on(con, 2022, "A1", parse_cell(cell))
            if cell == "P.admin_fee.amount_wan_yuan":
                assert found["value"] == pytest.approx(round(sum(r["amount_yuan"] for r in found["records"]) / 10_000, 4))
            else:
                assert len(found["records"]) == found["value"], cell
    finally:
        con.close()
