"""The submissions register (报送登记) is read and validated like any ledger: CSV or XLSX, Chinese or English
headers and values, bad rows quarantined with a rule a clerk can act on."""

import datetime as dt

import openpyxl
import polars as pl

from pipelines.defs.ingest.discover import discover
from pipelines.defs.ingest.ingest import ingest
from tests.support import ledger_fixtures as F

TODAY = dt.date(2024, 3, 1)


def test_english_csv_register_and_its_bad_rows(tmp_path):
    root = tmp_path / "raw"
    F.write_agencies(root)
    F.write_csv(
        root / "submissions.csv",
        ["agency_code", "year", "kind", "status"],
        [
            [F.A, "2022", "applications", "handed_in"],  # row 2
            [F.A, "2022.0", "disclosures", "none"],  # row 3: a number cell saved as text
            [F.B, "２０２３年度", "复议诉讼台账", "本年无"],  # row 4: full-width, Chinese
            [F.B, "2022", "applications", "maybe"],  # row 5: value_invalid (status)
            [F.C, "二〇二二", "appeals", "none"],  # row 6: year_invalid
            [F.C, "2025", "appeals", "none"],  # row 7: a year after the day of the run
            [F.UNKNOWN, "2022", "appeals", "none"],  # row 8: agency_unknown
            [F.A, "2022", "依申请公开", "已报送"],  # row 9: the same entry as row 2 in this file: both quarantined
        ],
    )
    result = ingest(discover(root), b"k", today=TODAY)
    got = sorted(result.quarantine.select("row", "rule", "column", "record_id").rows())
    assert got == [
        (2, "duplicate_record", "year", "2022/applications"),
        (5, "value_invalid", "status", "2022/applications"),
        (6, "year_invalid", "year", "二〇二二/appeals"),
        (7, "year_invalid", "year", "2025/appeals"),
        (8, "agency_unknown", "agency_code", "2022/appeals"),
        (9, "duplicate_record", "year", "2022/依申请公开"),
    ]
    register = result.records["submissions"].sort("agency_code", "year")
    assert register.select("agency_code", "year", "kind", "status").rows() == [(F.A, 2022, "disclosures", "none"), (F.B, 2023, "appeals", "none")]
    f = result.files.filter(pl.col("kind") == "submissions").row(0, named=True)
    assert (f["rows"], f["accepted"], f["quarantined"]) == (8, 2, 6)
    # a bad register row belongs to its agency and year
    years = dict(result.quarantine.filter(pl.col("row") == 5).select("agency_code", "year").iter_rows())
    assert years == {F.B: 2022}


def test_xlsx_register_with_a_title_row_and_chinese_headers(tmp_path):
    root = tmp_path / "raw"
    F.write_agencies(root)
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "报送登记"
    sheet.append(["2022年度台账报送登记表"])
    sheet.append(["统一社会信用代码", "单位名称", "年度", "台账类型", "报送情况"])
    sheet.append([F.C, "红河镇", 2022, "依申请公开", "本年无"])
    sheet.append([F.C, "红河镇", 2022, "复议诉讼", "无"])
    book.save(root / "submissions.xlsx")
    result = ingest(discover(root), b"k", today=TODAY)
    assert result.quarantine.is_empty()
    got = result.records["submissions"].sort("kind").select("agency_code", "year", "kind", "status", "source_row").rows()
    assert got == [(F.C, 2022, "appeals", "none", 4), (F.C, 2022, "applications", "none", 3)]
