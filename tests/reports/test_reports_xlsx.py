"""The workbook a township sends up: three sheets, merged headers, numbers as numbers."""

import openpyxl
import pytest

from schemas.vocabulary import APPLICATION_ROW_KEYS
from tests.support.report_expected import APPEALS, application_value


@pytest.fixture(scope="module")
def workbook(sample_files):
    return openpyxl.load_workbook(sample_files["xlsx"])


def find(ws, text):
    for row in ws.iter_rows():
        for cell in row:
            if cell.value == text:
                return cell
    raise AssertionError(f"{text!r} not on sheet {ws.title}")


def span(ws, cell) -> tuple[int, int]:
    """(rows, columns) of the merged range that starts at `cell`, (1, 1) if none."""
    for rng in ws.merged_cells.ranges:
        if rng.min_row == cell.row and rng.min_col == cell.column:
            return rng.max_row - rng.min_row + 1, rng.max_col - rng.min_col + 1
    return 1, 1


def test_three_sheets_named_after_the_sections(workbook):
    assert workbook.sheetnames == ["二、主动公开政府信息情况", "三、收到和处理政府信息公开申请情况", "四、政府信息公开行政复议、行政诉讼情况"]


def test_no_draft_banner_on_a_clean_year(workbook):
    for ws in workbook.worksheets:
        assert all("DRAFT" not in str(c.value) for row in ws.iter_rows() for c in row if c.value)


def test_table_p(workbook):
    ws = workbook["二、主动公开政府信息情况"]
    block = find(ws, "第二十条第（一）项")
    assert span(ws, block) == (1, 4)
    assert span(ws, find(ws, "本年收费金额（单位：万元）")) == (1, 3)
    doc = find(ws, "行政规范性文件")
    assert [ws.cell(doc.row, doc.column + k).value for k in (1, 2, 3)] == [4, 1, 23]
    fee = find(ws, "行政事业性收费")
    assert ws.cell(fee.row, fee.column + 1).value == pytest.approx(1.2345)
    lic = find(ws, "行政许可")
    assert ws.cell(lic.row, lic.column + 1).value == 156 and span(ws, ws.cell(lic.row, lic.column + 1)) == (1, 3)


def test_table_a_merges_and_values(workbook):
    ws = workbook["三、收到和处理政府信息公开申请情况"]
    applicants = find(ws, "申请人情况")
    assert span(ws, applicants) == (1, 7)
    assert span(ws, find(ws, "法人或其他组织")) == (1, 5)
    assert span(ws, find(ws, "自然人")) == (2, 1)
    assert span(ws, find(ws, "总计")) == (2, 1)
    note = ws.cell(applicants.row, 1)
    assert note.value.startswith("（本列数据的勾稽关系为") and span(ws, note) == (3, 3)
    assert span(ws, find(ws, "三、本年度办理结果")) == (22, 1)
    assert span(ws, find(ws, "（三）不予公开")) == (8, 1)
    assert span(ws, find(ws, "（六）其他处理")) == (3, 1)
    assert span(ws, find(ws, "一、本年新收政府信息公开申请数量")) == (1, 3)
    first = find(ws, "一、本年新收政府信息公开申请数量").row
    for i, row_key in enumerate(APPLICATION_ROW_KEYS):
        got = [ws.cell(first + i, 4 + j).value for j in range(7)]
        assert got == [application_value(row_key, j) for j in range(7)], row_key
        assert all(isinstance(v, int) for v in got)


def test_table_r_merges_and_values(workbook):
    ws = workbook["四、政府信息公开行政复议、行政诉讼情况"]
    review = find(ws, "行政复议")
    assert span(ws, review) == (1, 5)
    assert span(ws, find(ws, "行政诉讼")) == (1, 10)
    assert span(ws, find(ws, "未经复议直接起诉")) == (1, 5)
    assert span(ws, find(ws, "复议后起诉")) == (1, 5)
    assert span(ws, ws.cell(review.row + 1, 1)) == (2, 1)
    values = [ws.cell(review.row + 3, 1 + c).value for c in range(15)]
    assert values == list(APPEALS)
