"""Ledgers laid out the way township offices keep them: title rows above the header, a cover sheet first, a
row of column numbers, a 合计 row, old .xls files, and other files beside the ledgers — each read, or refused
out loud, and every row accounted for (rows = accepted + quarantined + total rows, counted by hand here)."""

import datetime as dt
import shutil
from pathlib import Path

import openpyxl
import polars as pl
import pytest

from pipelines.defs.ingest.discover import discover, discover_paths
from pipelines.defs.ingest.ingest import ingest
from tests.support.raw_ledgers import TANGWU, raw_root

FIXTURES = Path(__file__).parent.parent / "fixtures"
HEADER = ["申请编号", "受理机构代码", "收到申请日期", "申请人类型", "答复日期", "处理结果"]
ROWS = [
    ["T-1", TANGWU, "2022-03-05", "自然人", "2022-03-20", "予以公开"],
    ["T-2", TANGWU, "2022-06-01", "商业企业", "", ""],
]
TITLE = "鄌郚镇依申请公开台账（2022年）"
PERIOD = "2022年1月 至 2022年12月"


def _ingest(root: Path):
    return ingest(discover(root), b"k", today=dt.date(2026, 11, 30))


def _file(result, path: str) -> dict:
    return result.files.filter(pl.col("path") == path).row(0, named=True)


def _csv(path: Path, lines: list[list[str]], encoding: str = "utf-8") -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes("\n".join(",".join(cells) for cells in lines).encode(encoding) + b"\n")
    return path


def _xlsx(path: Path, sheets: dict[str, list[list[object]]], merge: dict[str, str] | None = None) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    book = openpyxl.Workbook()
    book.remove(book.active)
    for name, rows in sheets.items():
        sheet = book.create_sheet(name)
        for row in rows:
            sheet.append(row)
        if merge and name in merge:
            sheet.merge_cells(merge[name])
    book.save(path)
    return path


def _conserved(f: dict) -> bool:
    return f["rows"] == f["accepted"] + f["quarantined"] + f["total_rows"]


@pytest.mark.parametrize(
    ("above", "encoding"),
    [
        ([[TITLE]], "utf-8"),  # one title row (one cell: a merged title saved as CSV)
        ([[TITLE, "", "", "", "", ""], [PERIOD], []], "gbk"),  # a title, the period, a blank line; GBK
    ],
)
def test_csv_title_rows_above_the_header_are_passed_over(tmp_path, above, encoding):
    root = raw_root(tmp_path)
    _csv(root / "applications" / "a.csv", [*above, HEADER, *ROWS], encoding)
    result = _ingest(root)
    f = _file(result, "applications/a.csv")
    # two records below the header; nothing quarantined, no total row
    assert (f["status"], f["rows"], f["accepted"], f["quarantined"], f["total_rows"]) == ("read", 2, 2, 0, 0)
    apps = result.records["applications"].sort("application_id")
    assert apps.get_column("application_id").to_list() == ["T-1", "T-2"]
    # the header is on line len(above) + 1, so the records are on the two lines after it
    assert apps.get_column("source_row").to_list() == [len(above) + 2, len(above) + 3]
    assert result.quarantine.is_empty()


@pytest.mark.parametrize("titles", [1, 3])
def test_xlsx_merged_title_rows_and_a_cover_sheet_first(tmp_path, titles):
    root = raw_root(tmp_path)
    above = [[TITLE], [PERIOD], ["填报单位：鄌郚镇"]][:titles]
    rows = [*above, HEADER, [*ROWS[0][:2], dt.date(2022, 3, 5), *ROWS[0][3:]], ROWS[1]]  # a date cell, a text date
    _xlsx(
        root / "applications" / "a.xlsx",
        {"填表说明": [["填表说明"], ["每件申请填一行"]], "台账": rows},
        merge={"台账": "A1:F1"},
    )
    result = _ingest(root)
    f = _file(result, "applications/a.xlsx")
    assert (f["status"], f["rows"], f["accepted"], f["quarantined"], f["total_rows"]) == ("read", 2, 2, 0, 0)
    assert f["sheets"] == f"台账（表头第{titles + 1}行 / header row {titles + 1}）"
    assert "填表说明" in f["note"] and "not a ledger sheet" in f["note"]
    apps = result.records["applications"].sort("application_id")
    assert apps.get_column("source_row").to_list() == [titles + 2, titles + 3]
    assert apps.get_column("source_sheet").to_list() == ["台账", "台账"]


def test_two_ledger_sheets_are_both_read_and_rows_name_their_sheet(tmp_path):
    root = raw_root(tmp_path)
    bad = ["T-9", TANGWU, "2022-02-30", "自然人", "", ""]  # 30 February
    _xlsx(root / "applications" / "a.xlsx", {"上半年": [HEADER, ROWS[0]], "下半年": [[TITLE], HEADER, ROWS[1], bad]})
    result = _ingest(root)
    f = _file(result, "applications/a.xlsx")
    # 1 row on the first sheet, 2 on the second (one of them bad)
    assert (f["rows"], f["accepted"], f["quarantined"], f["total_rows"]) == (3, 2, 1, 0)
    q = result.quarantine.row(0, named=True)
    assert (q["sheet"], q["row"], q["rule"]) == ("下半年", 4, "date_invalid")


def test_a_numbering_row_under_the_header_is_part_of_the_header(tmp_path):
    root = raw_root(tmp_path)
    _csv(root / "applications" / "a.csv", [[TITLE], HEADER, ["1", "2", "3", "4", "5", "6"], *ROWS])
    _xlsx(root / "applications" / "b.xlsx", {"台账": [HEADER, ["甲", "乙", "丙", "丁", "戊", "己"], ["T-3", TANGWU, "2022-07-01", "自然人", "", ""]]})
    result = _ingest(root)
    assert (_file(result, "applications/a.csv")["rows"], _file(result, "applications/b.xlsx")["rows"]) == (2, 1)
    rows = dict(result.records["applications"].select("application_id", "source_row").iter_rows())
    # a.csv: title 1, header 2, numbers 3, records 4 and 5; b.xlsx: header 1, numbers 2, record 3
    assert rows == {"T-1": 4, "T-2": 5, "T-3": 3}
    assert result.quarantine.is_empty()


def test_a_total_row_is_counted_as_such_not_quarantined(tmp_path):
    root = raw_root(tmp_path)
    _csv(root / "applications" / "a.csv", [["序号", *HEADER], ["1", *ROWS[0]], ["2", *ROWS[1]], ["合 计", "", "", "", "", "", ""]])
    _xlsx(root / "applications" / "b.xlsx", {"台账": [HEADER, ["T-3", TANGWU, "2022-07-01", "自然人", "", ""], ["总计：", None, None, None, None, None]]})
    # a row that says 小计 in its leading cell but *has* a record id is a record (here a bad one: no date)
    _csv(root / "applications" / "c.csv", [["序号", *HEADER], ["小计", "T-5", TANGWU, "", "自然人", "", ""]])
    result = _ingest(root)
    a, b, c = (_file(result, f"applications/{n}") for n in ("a.csv", "b.xlsx", "c.csv"))
    assert (a["rows"], a["accepted"], a["quarantined"], a["total_rows"]) == (3, 2, 0, 1)
    assert (b["rows"], b["accepted"], b["quarantined"], b["total_rows"]) == (2, 1, 0, 1)
    assert (c["rows"], c["accepted"], c["quarantined"], c["total_rows"]) == (1, 0, 1, 0)
    assert result.quarantine.get_column("rule").to_list() == ["value_missing"]
    assert all(_conserved(f) for f in (a, b, c))


def test_total_rows_among_records_whose_leading_cells_hold_the_same_character(tmp_path):
    """Rows holding 计 in a leading cell (审计局, 统计局) are the only ones looked at for a total label: the totals
    among them are found, in place, and the records beside them — with 计 or without — are kept."""
    root = raw_root(tmp_path)
    lines = [
        ["序号", *HEADER],  # line 1
        ["1", "审计-1", *ROWS[0][1:]],  # line 2: a record with 计 in its id
        ["合计", "", "", "", "", "", ""],  # line 3: a total
        ["2", *ROWS[1]],  # line 4: a record without 计 (T-2)
        ["3", "审计-3", *ROWS[0][1:]],  # line 5
        ["总 计", "", "", "", "", "", ""],  # line 6: a total, spaced
    ]
    _csv(root / "applications" / "a.csv", lines)
    result = _ingest(root)
    f = _file(result, "applications/a.csv")
    # by hand: 5 rows below the header = 3 records + 2 totals, nothing quarantined
    assert (f["rows"], f["accepted"], f["quarantined"], f["total_rows"]) == (5, 3, 0, 2)
    rows = dict(result.records["applications"].select("application_id", "source_row").iter_rows())
    assert rows == {"审计-1": 2, "T-2": 4, "审计-3": 5}


def test_a_file_with_no_recognisable_header_is_rejected_naming_its_headers(tmp_path):
    root = raw_root(tmp_path)
    _csv(root / "applications" / "a.csv", [["编号", "日期", "内容"], ["1", "2022-01-01", "x"]])
    _xlsx(root / "applications" / "b.xlsx", {"封面": [["2022年台账"]], "Sheet2": [["编号", "日期"], ["1", "2022-01-01"]]})
    pl.DataFrame({"id": ["1"], "when": ["2022-01-01"]}).write_parquet(root / "applications" / "c.parquet")
    (root / "applications" / "d.csv").write_bytes(b"")
    result = _ingest(root)
    for path, shown in (("a.csv", "编号、日期、内容"), ("b.xlsx", "工作表「Sheet2」：编号、日期"), ("c.parquet", "id、when"), ("d.csv", "文件为空")):
        f = _file(result, f"applications/{path}")
        assert (f["status"], f["error_rule"], f["rows"]) == ("rejected", "header_not_found", None), path
        assert shown in f["error"] and "依申请公开台账" in f["error"], (path, f["error"])
    assert result.records["applications"].is_empty()


def test_an_old_xls_with_a_cover_sheet_title_date_cells_and_a_total_row(tmp_path):
    root = raw_root(tmp_path)
    (root / "applications").mkdir()
    shutil.copy(FIXTURES / "applications_2022.xls", root / "applications" / "鄌郚镇_2022.xls")
    result = _ingest(root)
    f = _file(result, "applications/鄌郚镇_2022.xls")
    # tests/fixtures/make_xls.py: title row 1, header row 2, records on rows 3 and 4, 合计 on row 5
    assert (f["status"], f["rows"], f["accepted"], f["quarantined"], f["total_rows"]) == ("read", 3, 2, 0, 1)
    assert f["sheets"].startswith("依申请公开台账（表头第2行") and "填表说明" in f["note"]
    apps = result.records["applications"].sort("application_id")
    assert apps.get_column("application_id").to_list() == ["X-2022-01", "X-2022-02"]
    assert apps.get_column("received_on").to_list() == [dt.date(2022, 3, 5), dt.date(2022, 6, 1)]
    assert apps.get_column("closed_on").to_list() == [dt.date(2022, 3, 20), None]
    assert apps.get_column("outcome").to_list() == ["3.1", None]
    assert apps.get_column("source_row").to_list() == [3, 4]


def test_other_files_under_a_ledger_folder_are_listed_not_read(tmp_path):
    root = raw_root(tmp_path)
    _csv(root / "applications" / "a.csv", [HEADER, *ROWS])
    folder = root / "applications"
    (folder / "说明.docx").write_bytes(b"PK\x03\x04 not really a document")
    (folder / "台账.et").write_bytes(b"\xd0\xcf\x11\xe0")
    (folder / "~$台账.xlsx").write_bytes(b"\x00" * 10)
    (folder / ".DS_Store").write_bytes(b"\x00")
    result = _ingest(root)
    listed = {r["path"]: r for r in result.files.iter_rows(named=True)}
    assert "applications/.DS_Store" not in listed  # hidden files are left out (docs say so)
    for name, why in (("说明.docx", ".docx"), ("台账.et", "WPS"), ("~$台账.xlsx", "~$")):
        f = listed[f"applications/{name}"]
        assert (f["status"], f["error_rule"], f["rows"]) == ("not_read", "not_a_ledger", None), name
        assert why in f["error"], f["error"]
    assert _file(result, "applications/a.csv")["accepted"] == 2
    # named on the command line, a loose file of another type is listed too
    (only,) = discover_paths([folder / "说明.docx"])
    assert only.not_read


def test_conservation_holds_for_every_file_read(tmp_path):
    root = raw_root(tmp_path)
    _csv(root / "applications" / "a.csv", [[TITLE], HEADER, *ROWS, ["T-3", TANGWU, "1900-01-01", "自然人", "", ""], ["合计", "", "", "", "", ""]])
    _xlsx(root / "applications" / "b.xlsx", {"说明": [["x"]], "台账": [[TITLE], HEADER, ["T-4", TANGWU, "2022-05-05", "外星人", "", ""]]})
    result = _ingest(root)
    # a.csv: 4 rows below the header = 2 accepted + 1 quarantined (1900) + 1 total; b.xlsx: 1 row, quarantined
    expected = {"applications/a.csv": (4, 2, 1, 1), "applications/b.xlsx": (1, 0, 1, 0)}
    got = {
        r["path"]: (r["rows"], r["accepted"], r["quarantined"], r["total_rows"])
        for r in result.files.filter(pl.col("kind") == "applications").iter_rows(named=True)
    }
    assert got == expected
