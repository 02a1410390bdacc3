"""Each reader and encoding, header matching, and the row number a person sees."""

import datetime as dt

import openpyxl
import polars as pl
import pytest

from pipelines.defs.ingest.discover import discover, discover_paths
from pipelines.defs.ingest.ingest import ingest
from pipelines.defs.ingest.readers import FileRejected, decode, read_file
from tests.support.raw_ledgers import DEPT, TANGWU, raw_root, write_csv

ROWS = [
    {"索引号": "D-1", "发布机构代码": TANGWU, "标题": "关于春耕的通知", "发布日期": "2022-03-05", "发布渠道": "微信公众号", "信息类别": "其他"},
    {"索引号": "D-2", "发布机构代码": TANGWU, "标题": "镇政府工作报告", "发布日期": "2022年4月1日", "发布渠道": "政府信息公开专栏", "信息类别": "其他"},
]


def _ingest(root):
    return ingest(discover(root), b"k")


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gb18030", "gbk"])
def test_csv_in_every_encoding_reads_the_same(tmp_path, encoding):
    root = raw_root(tmp_path)
    write_csv(root / "disclosures" / "d.csv", ROWS, encoding=encoding)
    result = _ingest(root)
    files = result.files.filter(pl.col("kind") == "disclosures").row(0, named=True)
    assert files["encoding"] == {"utf-8": "utf-8", "utf-8-sig": "utf-8-sig", "gb18030": "gb18030", "gbk": "gb18030"}[encoding]
    assert (files["rows"], files["accepted"], files["quarantined"]) == (2, 2, 0)
    d = result.records["disclosures"].sort("item_id")
    assert d.get_column("title").to_list() == ["关于春耕的通知", "镇政府工作报告"]
    assert d.get_column("channel").to_list() == ["wechat", "portal_column"]
    assert d.get_column("published_on").to_list() == [dt.date(2022, 3, 5), dt.date(2022, 4, 1)]


def test_gbk_bytes_are_not_guessed_as_something_else():
    text, enc = decode("统一社会信用代码,机构名称\n".encode("gbk"))
    assert enc == "gb18030" and text.startswith("统一社会信用代码")


def test_file_in_neither_encoding_is_rejected_whole_with_its_name(tmp_path):
    root = raw_root(tmp_path)
    bad = root / "disclosures" / "garbage.csv"
    bad.parent.mkdir(parents=True)
    # Invalid as UTF-8 and as GB18030 (0xFF is never a GB18030 lead byte).
    bad.write_bytes(b"\xff\xfe\xff\xfe\x00\xff" * 50)
    result = _ingest(root)
    row = result.files.filter(pl.col("path") == "disclosures/garbage.csv").row(0, named=True)
    assert row["error_rule"] == "file_encoding"
    assert row["rows"] is None
    assert "GBK" in row["error"] and "UTF-8" in row["error"]
    with pytest.raises(FileRejected):
        decode(b"\xff\xfe\xff\xfe\x00\xff" * 50)


def test_xlsx_chinese_headers_excel_dates_serials_and_sheet_named_like_the_kind(tmp_path):
    root = raw_root(tmp_path)
    path = root / "applications" / "2022" / "台账.xlsx"
    path.parent.mkdir(parents=True)
    wb = openpyxl.Workbook()
    wb.active.title = "说明"
    wb.active.append(["这张表是填表说明，不是台账"])
    ws = wb.create_sheet("依申请公开台账")
    ws.append(["申请编号（必填）", " 受理机构代码 ", "收到申请日期", "申请人类型", "答复日期", "处理结果", "信息处理费（元）", "是否延期"])
    ws.append(["Y-1", TANGWU, dt.date(2022, 3, 5), "自然人", 44640, "予以公开", 0, "否"])  # 44640 = 2022-03-20
    ws.append(["Y-2", TANGWU, dt.datetime(2022, 12, 30), "商业企业", None, None, None, "Y"])
    wb.save(path)
    result = _ingest(root)
    f = result.files.filter(pl.col("kind") == "applications").row(0, named=True)
    assert (f["path"], f["rows"], f["accepted"], f["quarantined"]) == ("applications/2022/台账.xlsx", 2, 2, 0)
    a = result.records["applications"].sort("application_id")
    assert a.get_column("received_on").to_list() == [dt.date(2022, 3, 5), dt.date(2022, 12, 30)]
    assert a.get_column("closed_on").to_list() == [dt.date(2022, 3, 20), None]
    assert a.get_column("outcome").to_list() == ["3.1", None]
    assert a.get_column("applicant_type").to_list() == ["natural_person", "commercial"]
    assert a.get_column("extended").to_list() == [False, True]
    assert a.get_column("source_row").to_list() == [2, 3]


def test_parquet_with_english_headers_and_typed_columns(tmp_path):
    root = raw_root(tmp_path)
    (root / "appeals").mkdir()
    pl.DataFrame(
        {
            "case_id": ["(2022)鲁0725行初1号"],
            "agency_code": [DEPT],
            "proceeding": ["行政诉讼（未经复议直接起诉）"],
            "filed_on": [dt.date(2022, 5, 1)],
            "concluded_on": [dt.date(2022, 9, 1)],
            "result": ["维持"],
        }
    ).write_parquet(root / "appeals" / "cases.parquet")
    result = _ingest(root)
    c = result.records["appeals"].row(0, named=True)
    assert (c["proceeding"], c["result"], c["filed_on"], c["concluded_on"]) == ("litigation_direct", "upheld", dt.date(2022, 5, 1), dt.date(2022, 9, 1))


def test_row_numbers_count_the_header_and_blank_lines(tmp_path):
    root = raw_root(tmp_path)
    path = root / "disclosures" / "d.csv"
    path.parent.mkdir(parents=True)
    header = "索引号,发布机构代码,标题,发布日期,发布渠道,信息类别\n"
    good = f"D-1,{TANGWU},标题一,2022-01-05,微信,其他\n"
    blank = ",,,,,\n"
    bad = f"D-2,{TANGWU},标题二,2022-02-30,微信,其他\n"  # 30 February
    path.write_text(header + good + blank + bad, encoding="utf-8")
    result = _ingest(root)
    q = result.quarantine.row(0, named=True)
    assert (q["row"], q["rule"], q["column"], q["value"], q["record_id"]) == (4, "date_invalid", "published_on", "2022-02-30", "D-2")
    f = result.files.filter(pl.col("kind") == "disclosures").row(0, named=True)
    assert (f["rows"], f["accepted"], f["quarantined"]) == (2, 1, 1)


def test_missing_required_column_quarantines_every_row_of_the_file(tmp_path):
    root = raw_root(tmp_path)
    write_csv(root / "disclosures" / "d.csv", [{k: v for k, v in r.items() if k != "发布渠道"} for r in ROWS])
    result = _ingest(root)
    assert result.quarantine.get_column("rule").to_list() == ["columns_missing", "columns_missing"]
    assert "channel" in result.quarantine.get_column("message")[0]
    assert result.records["disclosures"].is_empty()


def test_loose_file_kind_is_detected_from_its_header(tmp_path):
    path = write_csv(tmp_path / "somewhere" / "export.csv", ROWS)
    (found,) = discover_paths([path])
    read = read_file(found)
    assert read.kind == "disclosures" and read.frame.height == 2


def test_every_total_label_holds_the_mark_the_readers_look_for():
    """A total row is looked for only in files and cells holding 计 (readers.total_row_mask): a total label
    without it, added to the vocabulary, would never be found."""
    from pipelines.defs.ingest.readers import _TOTAL_CHAR
    from schemas import vocabulary as v

    assert v.FOLDED_TOTAL_ROW_LABELS and all(_TOTAL_CHAR in label for label in v.FOLDED_TOTAL_ROW_LABELS)
