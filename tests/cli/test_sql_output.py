"""`gongkai sql` output and limits: CSV for Excel (BOM) or pipes, XLSX, a readable table, DuckDB's hints, refusals,
a statement timeout and a memory limit. On the hand-worked warehouse loaded in-process (2022)."""

import io
import sys
from pathlib import Path

import duckdb
import openpyxl
import polars as pl
import pytest
from typer.testing import CliRunner

import tests.support.ledger_fixtures as F
from pipelines.cli import main
from pipelines.defs.tables.compute import compute_year
from pipelines.defs.warehouse import warehouse as wh

main._register()
runner = CliRunner()
BOM = "\ufeff".encode()
TABLE_A_ROW_1 = "SELECT row_label, natural_person, legal_service, other_org, total FROM v_table_a WHERE agency_code = '{}' AND year = 2022 AND row_key = '1'"


@pytest.fixture(scope="module")
def warehouse(tmp_path_factory) -> Path:
    tmp = tmp_path_factory.mktemp("sql")
    ing = F.ingest_root(F.write_hand_worked(tmp / "raw"))
    facts = compute_year(ing.records, ing.quarantine, 2022)
    agencies = ing.records["agencies"].drop("source_file", "source_sheet", "source_row")
    path = tmp / "wh.duckdb"
    wh.load(path, lambda con: wh.replace_year(con, 2022, agencies, facts))
    return path


@pytest.fixture
def env(warehouse, monkeypatch):
    monkeypatch.setenv("GONGKAI_WAREHOUSE", str(warehouse))
    return warehouse


def run_main(monkeypatch, capsys, *args: str) -> tuple[int, str, str]:
    monkeypatch.setattr(sys, "argv", ["gongkai", *args])
    with pytest.raises(SystemExit) as exc:
        main.main()
    out, err = capsys.readouterr()
    return (0 if exc.value.code is None else exc.value.code), out, err


def test_csv_into_a_file_has_a_bom_and_the_warehouses_values(env, tmp_path):
    out = tmp_path / "a.csv"
    result = runner.invoke(main.app, ["sql", TABLE_A_ROW_1.format(F.A), "--format", "csv", "--out", str(out)])
    assert result.exit_code == 0, result.output
    data = out.read_bytes()
    assert data.startswith(BOM)  # Excel reads UTF-8 only with it
    # hand-worked A 2022, row 1: 3 natural persons, 1 legal service, 1 other organisation, 5 in all
    assert data[len(BOM) :].decode("utf-8").splitlines() == [
        "row_label,natural_person,legal_service,other_org,total",
        "一、本年新收政府信息公开申请数量,3,1,1,5",
    ]
    assert not list(tmp_path.glob(".*part*"))  # the temporary file is gone
    plain = runner.invoke(main.app, ["sql", TABLE_A_ROW_1.format(F.A), "--format", "csv", "--out", str(out), "--no-bom"])
    assert plain.exit_code == 0 and not out.read_bytes().startswith(BOM)


def test_csv_into_a_pipe_is_plain_utf8_and_a_redirected_file_gets_the_bom(env, tmp_path, monkeypatch, capsys):
    piped = runner.invoke(main.app, ["sql", TABLE_A_ROW_1.format(F.A), "--format", "csv"])
    assert piped.exit_code == 0
    assert piped.stdout_bytes.decode("utf-8").splitlines()[1] == "一、本年新收政府信息公开申请数量,3,1,1,5"
    assert not piped.stdout_bytes.startswith(BOM)
    forced = runner.invoke(main.app, ["sql", TABLE_A_ROW_1.format(F.A), "--format", "csv", "--bom"])
    assert forced.stdout_bytes.startswith(BOM)
    # `gongkai sql … --format csv > file.csv`: stdout is a regular file
    target = tmp_path / "redirected.csv"
    with open(target, "w", encoding="utf-8") as fh:
        monkeypatch.setattr(sys, "stdout", fh)
        monkeypatch.setattr(sys, "argv", ["gongkai", "sql", TABLE_A_ROW_1.format(F.A), "--format", "csv"])
        with pytest.raises(SystemExit) as exc:
            main.main()
    assert exc.value.code in (None, 0)
    assert target.read_bytes().startswith(BOM)


def test_a_large_csv_is_streamed_whole(env, tmp_path):
    out = tmp_path / "big.csv"
    # more rows than one batch (10,000) and than the text table's cap (1,000)
    result = runner.invoke(main.app, ["sql", "SELECT range AS n, range * 2 AS twice FROM range(25000)", "--format", "csv", "--out", str(out)])
    assert result.exit_code == 0, result.output
    frame = pl.read_csv(io.BytesIO(out.read_bytes()[len(BOM) :]))
    assert frame.height == 25000 and frame["n"].to_list() == list(range(25000)) and frame["twice"].sum() == 2 * sum(range(25000))


def test_xlsx_matches_the_warehouse_and_text_stays_text(env, tmp_path):
    out = tmp_path / "a.xlsx"
    query = f"SELECT *, '=1+1' AS formula_like, '@SUM(A1)' AS at_sign FROM v_table_a WHERE agency_code = '{F.A}' AND year = 2022 ORDER BY row_position"
    result = runner.invoke(main.app, ["sql", query, "--format", "xlsx", "--out", str(out)])
    assert result.exit_code == 0, result.output
    sheet = openpyxl.load_workbook(out).worksheets[0]
    rows = list(sheet.iter_rows(values_only=True))
    expected = wh.query(env, query)
    assert list(rows[0]) == expected.columns
    assert [list(r) for r in rows[1:]] == [list(r) for r in expected.iter_rows()]
    assert len(rows) == 1 + 25
    cell = sheet.cell(row=2, column=expected.columns.index("formula_like") + 1)
    assert (cell.value, cell.data_type) == ("=1+1", "s")  # a string, never a formula
    missing = runner.invoke(main.app, ["sql", "SELECT 1", "--format", "xlsx"])
    assert missing.exit_code != 0


def test_text_is_a_readable_table_capped_with_a_note(env):
    result = runner.invoke(main.app, ["sql", TABLE_A_ROW_1.format(F.A)])
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[0].split() == ["row_label", "natural_person", "legal_service", "other_org", "total"]
    assert lines[2].split() == ["一、本年新收政府信息公开申请数量", "3", "1", "1", "5"]
    assert lines[-1] == "1 行 / rows"
    assert "shape:" not in result.stdout and "┌" not in result.stdout  # not Polars' repr
    assert all(line == line.rstrip() for line in lines)
    capped = runner.invoke(main.app, ["sql", "SELECT range AS n FROM range(10)", "--max-rows", "3"])
    body = capped.stdout.splitlines()
    assert [x.strip() for x in body[2:5]] == ["0", "1", "2"] and "first 3 rows shown, more exist" in body[5]
    assert len(body) == 6


def test_the_text_cap_comes_from_the_environment(env, monkeypatch):
    monkeypatch.setenv("GONGKAI_SQL_MAX_ROWS", "4")
    result = runner.invoke(main.app, ["sql", "SELECT range AS n FROM range(10)"])
    assert "first 4 rows shown" in result.stdout


def test_errors_keep_duckdbs_hint_on_one_line(env, monkeypatch, capsys):
    code, _, err = run_main(monkeypatch, capsys, "sql", "SELECT valu FROM fact_channel")
    assert code == 2
    assert len(err.strip().splitlines()) == 1
    assert 'Candidate bindings: "value"' in err and "Traceback" not in err


def test_reading_a_file_is_refused_as_a_read(env, monkeypatch, capsys):
    for statement in ("SELECT * FROM read_csv('/etc/passwd')", "SELECT * FROM read_text('/etc/hostname')"):
        code, out, err = run_main(monkeypatch, capsys, "sql", statement)
        assert code == 2 and out == ""
        assert "reading files is refused" in err and "不能读取文件" in err
        assert "write" not in err.split("(")[0]  # the sentence itself is about reading


def test_other_refusals_say_what_was_refused(env, monkeypatch, capsys, tmp_path):
    for statement, said in (
        (f"COPY fact_channel TO '{tmp_path / 'x.csv'}'", "writing files is refused"),
        (f"ATTACH '{tmp_path / 'y.duckdb'}' AS y", "attaching databases is refused"),
        ("INSTALL httpfs", "extensions is refused"),
        ("LOAD httpfs", "extensions is refused"),
        ("CREATE SECRET s (TYPE s3, KEY_ID 'a', SECRET 'b')", "secrets are refused"),
        ("DELETE FROM fact_channel", "writes are refused"),
        ("SET memory_limit = '10GB'", "settings cannot be changed"),
    ):
        code, _, err = run_main(monkeypatch, capsys, "sql", statement)
        assert code == 2 and said in err, (statement, err)
    assert not (tmp_path / "x.csv").exists() and not (tmp_path / "y.duckdb").exists()


def test_a_runaway_query_is_stopped_by_the_timeout(env, monkeypatch, capsys):
    # a triple cross join of 10^15 rows: runs until killed without a limit
    code, _, err = run_main(monkeypatch, capsys, "sql", "SELECT count(*) FROM range(100000) a, range(100000) b, range(100000) c", "--timeout", "1")
    assert code == 2 and "query stopped after 1 s" in err
    monkeypatch.setenv("GONGKAI_SQL_TIMEOUT", "1")
    code, _, err = run_main(monkeypatch, capsys, "sql", "SELECT count(*) FROM range(100000) a, range(100000) b, range(100000) c")
    assert code == 2 and "query stopped after 1 s" in err


def test_the_memory_limit_is_set_and_holds(env, monkeypatch, capsys):
    probe = duckdb.connect()
    probe.execute("SET memory_limit = '64MB'")
    shown = probe.execute("SELECT current_setting('memory_limit')").fetchone()[0]  # DuckDB's own spelling of 64MB
    probe.close()
    monkeypatch.setenv("GONGKAI_SQL_MEMORY", "64MB")
    code, out, _ = run_main(monkeypatch, capsys, "sql", "SELECT current_setting('memory_limit') AS m", "--format", "csv")
    assert code == 0 and out.splitlines() == ["m", shown]
    # a 400 MB list cannot be built under 64MB
    code, _, err = run_main(monkeypatch, capsys, "sql", "SELECT list(range) FROM range(50000000)")
    assert code == 2 and "more memory than the limit of 64MB" in err
    monkeypatch.setenv("GONGKAI_SQL_MEMORY", "lots")
    code, _, err = run_main(monkeypatch, capsys, "sql", "SELECT 1")
    assert code == 2 and "GONGKAI_SQL_MEMORY" in err


def test_only_the_last_statements_rows_are_shown(env):
    result = runner.invoke(main.app, ["sql", "SELECT 1 AS a; SELECT 2 AS b", "--format", "json"])
    assert result.exit_code == 0, result.output
    import json

    assert json.loads(result.stdout) == [{"b": 2}]
    empty = runner.invoke(main.app, ["sql", "SELECT 1 AS a WHERE false", "--format", "json"])
    assert json.loads(empty.stdout) == []
    header = runner.invoke(main.app, ["sql", "SELECT 1 AS a, 2 AS b WHERE false", "--format", "csv"])
    assert header.stdout.splitlines() == ["a,b"]


def test_a_result_too_wide_for_the_terminal_is_shown_as_records(env, monkeypatch):
    import pipelines.cli.console as console

    monkeypatch.setattr(console, "is_terminal", lambda stream=None: True)
    monkeypatch.setenv("COLUMNS", "80")
    wide = runner.invoke(main.app, ["sql", f"SELECT * FROM v_table_a WHERE agency_code = '{F.A}' AND year = 2022 ORDER BY row_position LIMIT 2"])
    assert wide.exit_code == 0, wide.output
    lines = wide.stdout.splitlines()
    assert lines[0].strip() == "── 1 ──" and "── 2 ──" in [x.strip() for x in lines]
    fields = dict(line.split(maxsplit=1) for line in lines[1:16])
    # every column whole on its own line: hand-worked A 2022 row 1 is 3 + 1 + 1 = 5
    assert fields["row_label"].strip() == "一、本年新收政府信息公开申请数量" and fields["total"].strip() == "5"
    assert fields["other_org"].strip() == "1" and fields["row_label_en"].strip() == "New applications received this year"
    narrow = runner.invoke(main.app, ["sql", "SELECT 1 AS a, 2 AS b"])  # fits: a table still
    assert narrow.stdout.splitlines()[0].split() == ["a", "b"]


def test_a_cell_excel_would_run_as_a_formula_stays_text_in_a_csv_for_people_only(env, tmp_path):
    """CSV injection: an id typed as =HYPERLINK(…) or @SUM(…). In the file for a spreadsheet (BOM) it starts with an
    apostrophe; into a pipe, for programs, it is exactly as stored. Numbers are never touched (-3 stays -3)."""
    query = """SELECT * FROM (VALUES ('=HYPERLINK("http://x","y")', -3), ('@SUM(A1)', 1), ('-1+2', 2), ('ok', 3)) t(id, n)"""
    out = tmp_path / "people.csv"
    assert runner.invoke(main.app, ["sql", query, "--format", "csv", "--out", str(out)]).exit_code == 0
    lines = out.read_bytes()[len(BOM) :].decode("utf-8").splitlines()
    assert lines == ["id,n", '"\'=HYPERLINK(""http://x"",""y"")",-3', "'@SUM(A1),1", "'-1+2,2", "ok,3"]
    piped = runner.invoke(main.app, ["sql", query, "--format", "csv"])
    assert piped.stdout_bytes.decode("utf-8").splitlines()[1:3] == ['"=HYPERLINK(""http://x"",""y"")",-3', "@SUM(A1),1"]
