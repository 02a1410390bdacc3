"""`gongkai tables` as text keeps every column and row group of table A, in an 80-column terminal and in a pipe."""

from pathlib import Path

import pytest
from rich.cells import cell_len
from typer.testing import CliRunner

import pipelines.cli.console as console
import tests.support.ledger_fixtures as F
from pipelines.cli import main
from pipelines.cli.tables import application_row_labels, column_blocks
from pipelines.defs.tables.compute import compute_year
from pipelines.defs.warehouse import warehouse as wh
from schemas import vocabulary as v

main._register()
runner = CliRunner()
GROUPS = ("三、本年度办理结果", "（三）不予公开", "（四）无法提供", "（五）不予处理", "（六）其他处理")
HEADINGS = ("自然人", "商业企业", "科研机构", "社会公益", "法律服务", "其他", "总计")


@pytest.fixture(scope="module")
def warehouse(tmp_path_factory) -> Path:
    tmp = tmp_path_factory.mktemp("tables_text")
    ing = F.ingest_root(F.write_hand_worked(tmp / "raw"))
    facts = compute_year(ing.records, ing.quarantine, 2022)
    path = tmp / "wh.duckdb"
    wh.load(path, lambda con: wh.replace_year(con, 2022, ing.records["agencies"].drop("source_file", "source_sheet", "source_row"), facts))
    return path


def table_a_lines(out: str) -> list[str]:
    lines = out.splitlines()
    start = next(i for i, line in enumerate(lines) if "三、收到和处理政府信息公开申请情况" in line)
    end = next(i for i, line in enumerate(lines) if "四、政府信息公开行政复议" in line)
    return lines[start:end]


def numbers(line: str) -> list[int]:
    return [int(cell) for cell in (c.strip() for c in line.split("│")[2:-1]) if cell]


def test_an_80_column_terminal_wraps_the_columns_instead_of_dropping_them(warehouse, monkeypatch):
    monkeypatch.setattr(console, "is_terminal", lambda stream=None: True)
    monkeypatch.setenv("COLUMNS", "80")
    result = runner.invoke(main.app, ["tables", "--year", "2022", "--agency", F.A, "--warehouse", str(warehouse)])
    assert result.exit_code == 0, result.output
    assert max(cell_len(line) for line in result.stdout.splitlines()) <= 80
    a = table_a_lines(result.stdout)
    header = "".join(line for line in a if line.startswith("┃"))
    assert all(h in header for h in HEADINGS), header
    assert all(any(g in line for line in a) for g in GROUPS)
    # hand-worked A 2022 row 1 (3 natural persons, 1 legal service, 1 other organisation, 5 in all), over the blocks
    row_1 = [numbers(line) for line in a if "一、本年新收政府信息公开申请数量" in line]
    assert len(row_1) == 2 and sum(row_1, []) == [3, 0, 0, 0, 1, 1, 5]
    row_4 = [numbers(line) for line in a if "四、结转下年度继续办理" in line]
    assert sum(row_4, []) == [2, 0, 0, 0, 0, 0, 2]
    assert "（续 / continued）" in "\n".join(a)


def test_a_pipe_gets_one_table_at_full_width(warehouse, monkeypatch):
    monkeypatch.setenv("COLUMNS", "80")  # a pipe has no width: not taken from the terminal's variable
    result = runner.invoke(main.app, ["tables", "--year", "2022", "--agency", F.A, "--warehouse", str(warehouse)])
    assert result.exit_code == 0, result.output
    a = table_a_lines(result.stdout)
    assert "continued" not in "\n".join(a)
    assert [numbers(line) for line in a if "一、本年新收政府信息公开申请数量" in line] == [[3, 0, 0, 0, 1, 1, 5]]
    assert [numbers(line) for line in a if "（七）总计" in line] == [[1, 1, 0, 0, 1, 1, 4]]
    assert all(any(g in line for line in a) for g in GROUPS)
    # table R keeps its five results too
    r = result.stdout.split("四、政府信息公开行政复议、行政诉讼情况")[1]
    assert [numbers(line) for line in r.splitlines() if "未经复议直接起诉" in line] == [[0, 0, 1, 1, 2]]


def test_row_labels_keep_every_row_and_heading_in_form_order():
    labels = application_row_labels()
    assert [key for _, key in labels if key] == list(v.APPLICATION_ROW_KEYS)
    headings = [label.strip() for label, key in labels if key is None]
    assert headings == list(GROUPS)


def test_column_blocks_cover_every_column_once():
    for width in (20, 40, 80, 100, 200):
        blocks = column_blocks(7, width)
        assert [i for b in blocks for i in b] == list(range(7)), width
    assert len(column_blocks(7, 200)) == 1 and len(column_blocks(7, 80)) == 2
