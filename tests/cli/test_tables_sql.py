"""`gongkai materialize`, `gongkai tables` and `gongkai sql` on the hand-worked raw root.

Output is checked with typer's CliRunner on `pipelines.cli.main.app`; exit statuses
of errors (GongkaiError → 2) are checked through `main.main()`, the console entry
point, which is what turns them into one line on stderr.
"""

import csv
import hashlib
import io
import json
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

import tests.support.ledger_fixtures as F
from pipelines.cli import main
from schemas import vocabulary as v

pytestmark = pytest.mark.slow  # whole pipeline runs

main._register()
runner = CliRunner()


@pytest.fixture(scope="module")
def loaded(tmp_path_factory):
    """The clean hand-worked ledgers, materialized for 2021–2023 through `gongkai materialize`."""
    tmp = tmp_path_factory.mktemp("cli")
    raw = F.write_hand_worked(tmp / "raw")
    warehouse = tmp / "wh" / "gongkai.duckdb"
    with pytest.MonkeyPatch.context() as mp:
        F.pii_env(mp, tmp)
        mp.setenv("GONGKAI_RAW_DIR", str(raw))
        mp.setenv("GONGKAI_WAREHOUSE", str(warehouse))
        mp.setenv("COLUMNS", "200")
        result = runner.invoke(main.app, ["materialize", "--years", "2021-2023"])
        yield {"raw": raw, "warehouse": warehouse, "materialize": result, "tmp": tmp}


@pytest.fixture
def env(loaded, monkeypatch):
    F.pii_env(monkeypatch, loaded["tmp"])
    monkeypatch.setenv("GONGKAI_RAW_DIR", str(loaded["raw"]))
    monkeypatch.setenv("GONGKAI_WAREHOUSE", str(loaded["warehouse"]))
    monkeypatch.setenv("COLUMNS", "200")
    return loaded


def invoke(*args: str):
    result = runner.invoke(main.app, list(args))
    return result


def run_main(monkeypatch, capsys, *args: str) -> tuple[int, str, str]:
    """The real entry point: its exit status and one-line errors."""
    monkeypatch.setattr(sys, "argv", ["gongkai", *args])
    with pytest.raises(SystemExit) as exc:
        main.main()
    out, err = capsys.readouterr()
    code = exc.value.code
    return (0 if code is None else code), out, err


def tables_json(agency: str, year: int) -> dict:
    result = invoke("tables", "--year", str(year), "--agency", agency, "--format", "json")
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def zeros_app() -> dict:
    return {r: dict.fromkeys(v.APPLICATION_COLUMN_KEYS, 0) for r in v.APPLICATION_ROW_KEYS}


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


# -------------------------------------------------------------- materialize


def test_materialize_clean_ledgers_exits_0(env):
    result = env["materialize"]
    assert result.exit_code == 0, (result.output, result.exception)
    assert str(env["warehouse"]) in result.stdout.replace("\n", "")
    assert env["warehouse"].exists()


def test_materialize_with_quarantined_rows_exits_1(tmp_path, monkeypatch):
    raw = F.write_hand_worked(tmp_path / "raw")
    F.add_quarantined_rows(raw)
    F.pii_env(monkeypatch, tmp_path)
    warehouse = tmp_path / "wh" / "gongkai.duckdb"
    result = invoke("materialize", "--year", "2022", "--raw", str(raw), "--warehouse", str(warehouse))
    assert result.exit_code == 1, (result.output, result.exception)
    assert "隔离 quarantined 3" in result.stdout
    # … but the year is loaded, marked incomplete where it must be
    obj = tables_json_at(warehouse, F.B, 2022)
    assert obj["complete"] is False and obj["quarantined_rows"] == 1
    assert tables_json_at(warehouse, F.A, 2022)["complete"] is True


def tables_json_at(warehouse: Path, agency: str, year: int) -> dict:
    result = invoke("tables", "--year", str(year), "--agency", agency, "--format", "json", "--warehouse", str(warehouse))
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


# ------------------------------------------------------------------- tables


def test_tables_json_shape_and_hand_worked_values(env):
    obj = tables_json(F.A, 2022)
    assert set(obj) >= {"agency_code", "agency_name", "year", "complete", "proactive", "channels", "applications", "appeals", "checks"}
    assert set(obj) - {"agency_code", "agency_name", "year", "complete", "proactive", "channels", "applications", "appeals", "checks"} <= {
        "fees_yuan",
        "quarantined_rows",
        "incomplete_reasons",
        "missing_ledgers",
        "incomplete",
    }
    assert (obj["incomplete_reasons"], obj["missing_ledgers"], obj["incomplete"]) == ([], [], [])
    assert (obj["agency_code"], obj["agency_name"], obj["year"], obj["complete"]) == (F.A, "昌乐县鄌郚镇人民政府", 2022, True)

    # shape: 25 rows × 7 columns, 3 × 5 appeal numbers, 6 proactive items with their metrics
    assert list(obj["applications"]) == list(v.APPLICATION_ROW_KEYS)
    assert all(list(cols) == list(v.APPLICATION_COLUMN_KEYS) for cols in obj["applications"].values())
    assert list(obj["appeals"]) == ["review", "litigation_direct", "litigation_after_review"]
    assert all(list(res) == ["upheld", "corrected", "other", "pending", "total"] for res in obj["appeals"].values())
    assert sum(len(res) for res in obj["appeals"].values()) == 15
    assert {k: list(m) for k, m in obj["proactive"].items()} == {
        "regulation": ["issued", "repealed", "in_force"],
        "normative_document": ["issued", "repealed", "in_force"],
        "license": ["decisions"],
        "penalty": ["decisions"],
        "enforcement": ["decisions"],
        "admin_fee": ["amount_wan_yuan"],
    }

    # values (derivations in tests/tables/test_tables.py)
    expected = zeros_app()
    for (row, col), n in {
        ("1", "natural_person"): 3,
        ("1", "legal_service"): 1,
        ("1", "other_org"): 1,
        ("1", "total"): 5,
        ("2", "commercial"): 1,
        ("2", "total"): 1,
        ("3.1", "legal_service"): 1,
        ("3.1", "total"): 1,
        ("3.2", "commercial"): 1,
        ("3.2", "total"): 1,
        ("3.3.4", "natural_person"): 1,
        ("3.3.4", "total"): 1,
        ("3.5.2", "other_org"): 1,
        ("3.5.2", "total"): 1,
        ("3.7", "natural_person"): 1,
        ("3.7", "commercial"): 1,
        ("3.7", "legal_service"): 1,
        ("3.7", "other_org"): 1,
        ("3.7", "total"): 4,
        ("4", "natural_person"): 2,
        ("4", "total"): 2,
    }.items():
        expected[row][col] = n
    assert obj["applications"] == expected
    assert obj["proactive"] == {
        "regulation": {"issued": 0, "repealed": 0, "in_force": 1},
        "normative_document": {"issued": 0, "repealed": 1, "in_force": 1},
        "license": {"decisions": 0},
        "penalty": {"decisions": 1},
        "enforcement": {"decisions": 1},
        "admin_fee": {"amount_wan_yuan": 1.8345},  # 12,345 元 + 6,000 元
    }
    assert obj["channels"] == {"portal_column": 3, "wechat": 2, "weibo": 1, "total": 6}
    assert obj["appeals"] == {
        "review": {"upheld": 0, "corrected": 1, "other": 0, "pending": 0, "total": 1},
        "litigation_direct": {"upheld": 0, "corrected": 0, "other": 1, "pending": 1, "total": 2},
        "litigation_after_review": {"upheld": 0, "corrected": 0, "other": 0, "pending": 1, "total": 1},
    }
    # 2021 is loaded, so A4 and P1 apply; everything passes
    assert [c["id"] for c in obj["checks"]] == ["A1", "A2", "A3", "A4", "R1", "P1", "N1"]
    assert {c["status"] for c in obj["checks"]} == {"pass"}
    assert all(c["message"] for c in obj["checks"])
    assert obj["fees_yuan"] == 350.0


def test_tables_json_other_years_and_an_agency_without_records(env):
    a21 = tables_json(F.A, 2021)
    assert a21["applications"]["4"]["commercial"] == 1 and a21["applications"]["1"]["total"] == 4
    assert a21["appeals"]["review"] == {"upheld": 1, "corrected": 0, "other": 0, "pending": 1, "total": 2}
    assert a21["channels"] == {"portal_column": 3, "website": 1, "gazette": 1, "wechat": 1, "total": 6}
    assert [c["id"] for c in a21["checks"]] == ["A1", "A2", "A3", "R1", "N1"]  # no 2020 loaded
    a23 = tables_json(F.A, 2023)
    assert a23["applications"]["2"]["natural_person"] == 2 and a23["applications"]["4"]["total"] == 2
    assert a23["proactive"]["normative_document"] == {"issued": 1, "repealed": 0, "in_force": 2}

    c = tables_json(F.C, 2022)
    assert c["complete"] is True and c["agency_name"] == "昌乐县红河镇人民政府"
    assert c["applications"] == zeros_app()
    assert c["channels"] == {"total": 0}
    assert all(n == 0 for g in c["appeals"].values() for n in g.values())
    assert all(n == 0 for m in c["proactive"].values() for n in m.values())


def test_tables_text_has_the_chinese_labels(env):
    result = invoke("tables", "--year", "2022", "--agency", F.A)
    assert result.exit_code == 0, result.output
    out = result.stdout
    for label in (
        "昌乐县鄌郚镇人民政府",
        "主动公开政府信息6条",
        "二、主动公开政府信息情况",
        "行政规范性文件",
        "三、收到和处理政府信息公开申请情况",
        "一、本年新收政府信息公开申请数量",
        "予以公开",
        "四、结转下年度继续办理",
        "自然人",
        "四、政府信息公开行政复议、行政诉讼情况",
        "尚未审结",
    ):
        assert label in out, label


def test_tables_csv_has_every_cell(env):
    result = invoke("tables", "--year", "2022", "--agency", F.A, "--format", "csv")
    assert result.exit_code == 0, result.output
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    by_table = {}
    for r in rows:
        by_table.setdefault(r["table"], []).append(r)
    assert len(by_table["A"]) == 175
    assert len(by_table["R"]) == 15
    assert len(by_table["P"]) == 10
    assert {(r["row_key"], r["column_key"]): r["value"] for r in by_table["A"]}[("4", "natural_person")] == "2"
    assert {r["row_key"]: r["value"] for r in by_table["channels"]} == {"portal_column": "3", "wechat": "2", "weibo": "1", "total": "6"}
    assert all(r["agency_code"] == F.A and r["year"] == "2022" for r in rows)


def test_tables_unknown_or_invalid_agency_exits_2(env, monkeypatch, capsys):
    code, out, err = run_main(monkeypatch, capsys, "tables", "--year", "2022", "--agency", F.UNKNOWN)
    assert code == 2
    assert F.UNKNOWN in err and "Traceback" not in err
    assert len(err.strip().splitlines()) == 1
    code, out, err = run_main(monkeypatch, capsys, "tables", "--year", "2022", "--agency", F.INVALID)
    assert code == 2 and F.INVALID in err
    code, out, err = run_main(monkeypatch, capsys, "tables", "--year", "2022", "--agency", F.A, "--format", "json")
    assert code == 0 and json.loads(out)["agency_code"] == F.A


# ---------------------------------------------------------------------- sql


def test_sql_select_in_every_format(env):
    q = f"SELECT year, value FROM fact_application WHERE agency_code = '{F.A}' AND row_key = '1' AND column_key = 'total' ORDER BY year"
    as_json = invoke("sql", q, "--format", "json")
    assert as_json.exit_code == 0, as_json.output
    assert json.loads(as_json.stdout) == [{"year": 2021, "value": 4}, {"year": 2022, "value": 5}, {"year": 2023, "value": 2}]
    as_csv = invoke("sql", q, "--format", "csv")
    assert as_csv.exit_code == 0
    assert as_csv.stdout.splitlines() == ["year,value", "2021,4", "2022,5", "2023,2"]
    as_text = invoke("sql", q)
    assert as_text.exit_code == 0
    assert "2022" in as_text.stdout and "5" in as_text.stdout and "year" in as_text.stdout
    views = invoke("sql", "SELECT county, year, applications_received FROM v_county_year ORDER BY year", "--format", "json")
    assert json.loads(views.stdout) == [
        {"county": "昌乐县", "year": 2021, "applications_received": 4},
        {"county": "昌乐县", "year": 2022, "applications_received": 6},
        {"county": "昌乐县", "year": 2023, "applications_received": 2},
    ]


@pytest.mark.parametrize(
    "statement",
    [
        "DELETE FROM fact_application",
        "INSERT INTO dim_agency (agency_code, agency_name) VALUES ('X', 'Y')",
        "UPDATE agency_year SET complete = false",
        "CREATE TABLE t AS SELECT 1 AS x",
        "CREATE OR REPLACE VIEW v_agency_year AS SELECT 1 AS x",
        "DROP TABLE fact_appeal",
        "DROP VIEW v_county_year",
        "SELECT 1; DELETE FROM quarantine",
    ],
)
def test_sql_refuses_writes_and_changes_nothing(env, monkeypatch, capsys, statement):
    before = digest(env["warehouse"])
    code, out, err = run_main(monkeypatch, capsys, "sql", statement)
    assert code == 2, (out, err)
    assert err.strip() and "Traceback" not in err
    assert digest(env["warehouse"]) == before
    code, out, _ = run_main(monkeypatch, capsys, "sql", "SELECT count(*) AS n FROM fact_application", "--format", "json")
    assert code == 0 and json.loads(out) == [{"n": 3 * 3 * 175}]


def test_sql_bad_query_exits_2(env, monkeypatch, capsys):
    code, _, err = run_main(monkeypatch, capsys, "sql", "SELECT * FROM no_such_table")
    assert code == 2 and "no_such_table" in err


def test_sql_cannot_write_through_attach_nor_to_files(env, monkeypatch, capsys, tmp_path):
    """Read-only must hold against a second, writable attachment of the same file and against COPY … TO."""
    before = digest(env["warehouse"])
    scratch, dump = tmp_path / "scratch.duckdb", tmp_path / "dump.csv"
    sneaky = (
        f"ATTACH '{scratch}' AS scratch (READ_WRITE); USE scratch; DETACH gongkai; "
        f"ATTACH '{env['warehouse']}' AS w2 (READ_WRITE); DELETE FROM w2.fact_application"
    )
    for statement in (sneaky, f"COPY fact_application TO '{dump}'"):
        code, out, err = run_main(monkeypatch, capsys, "sql", statement)
        assert code == 2, (statement, out, err)
        assert "Traceback" not in err
    assert digest(env["warehouse"]) == before
    assert not scratch.exists() and not dump.exists()
    code, out, _ = run_main(monkeypatch, capsys, "sql", "SELECT count(*) AS n FROM fact_application", "--format", "json")
    assert code == 0 and json.loads(out) == [{"n": 3 * 3 * 175}]
