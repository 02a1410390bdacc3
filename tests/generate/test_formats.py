"""The messiness of real exports is really in the files."""

import datetime as dt
import re

import openpyxl
import polars as pl
import pytest

from tests.support import oracle


def _csv_files(manifest):
    return [f for f in manifest["files"] if f["format"] == "csv"]


def test_every_csv_decodes_in_its_declared_encoding(sample_root, manifest):
    seen = set()
    for f in _csv_files(manifest):
        data = (sample_root / f["path"]).read_bytes()
        data.decode(f["encoding"])  # raises if wrong
        seen.add(f["encoding"])
        if f["encoding"] == "utf-8-sig":
            assert data.startswith(b"\xef\xbb\xbf"), f["path"]
        elif f["encoding"] == "utf-8":
            assert not data.startswith(b"\xef\xbb\xbf"), f["path"]
        else:
            assert f["encoding"] == "gbk"
            with pytest.raises(UnicodeDecodeError):
                data.decode("utf-8")  # really GBK, not UTF-8 that happens to be ASCII
    assert seen == {"utf-8", "utf-8-sig", "gbk"}


def test_gbk_file_holds_the_chinese_header_as_gbk_bytes(sample_root):
    data = (sample_root / "disclosures/2022/鄌郚镇_主动公开台账_2022.csv").read_bytes()
    assert data.startswith("序号,索引号,统一社会信用代码,标题,发布日期".encode("gbk"))
    assert "鄌郚".encode("gbk") in data and b"\r\n" in data  # WPS on Windows: CRLF


def test_every_format_is_present(manifest):
    formats = {(f["kind"], f["format"]) for f in manifest["files"]}
    for kind in ("disclosures", "applications"):
        assert {(kind, "csv"), (kind, "xlsx"), (kind, "parquet")} <= formats
    assert ("appeals", "xlsx") in formats and ("appeals", "csv") in formats


def test_xlsx_has_required_suffixes_date_cells_and_one_serial_number(sample_root):
    book = openpyxl.load_workbook(sample_root / "disclosures/2022/自然资源局_主动公开台账_2022.xlsx", read_only=True)
    sheet = book.worksheets[0]
    assert sheet.title == "主动公开台账"
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:4] == ("索引号（必填）", "统一社会信用代码（必填）", "标题（必填）", "发布日期（必填）")
    assert rows[0][-1] == "备注"
    dates = [r[3] for r in rows[1:]]
    serials = [d for d in dates if isinstance(d, (int, float))]
    assert len(serials) == 1 and 44562 <= serials[0] <= 44926  # a 2022 day as Excel counts it
    assert all(isinstance(d, dt.datetime) for d in dates if d not in serials)


def test_every_date_spelling_and_full_width_digits_appear(sample_root, manifest):
    text = "\n".join((sample_root / f["path"]).read_bytes().decode(f["encoding"]) for f in _csv_files(manifest))
    for pattern in (r",2022-03-\d\d,", r",2022/3/\d{1,2},", r",2022\.03\.\d\d,", r",2022年3月\d{1,2}日,", r",202203\d\d,"):
        assert re.search(pattern, text), pattern
    assert re.search("[０-９]{4}", text)  # e.g. ２０２２.０５.１２
    parquet = pl.read_parquet(sample_root / "disclosures/2022/市场监管局_主动公开台账_2022.parquet")
    assert parquet.schema["published_on"] == pl.Date and parquet.schema["amount_yuan"] == pl.Float64


def test_yes_no_spellings(sample_root, manifest):
    spellings = set()
    for f in manifest["files"]:
        if f["kind"] != "applications":
            continue
        for _, cells in oracle.read_cells(sample_root, f["path"], "applications", f["encoding"]):
            value = cells.get("extended")
            if value not in (None, ""):
                spellings.add(value)
    assert {"是", "否", "Y", "N", "true", "false", 1, 0} <= spellings


def test_coded_values_use_labels_aliases_and_old_outcome_labels(checked):
    raws = [(r.kind, k, v) for r in checked for k, v in r.raw.items() if isinstance(v, str)]
    outcomes = {v for kind, k, v in raws if k == "outcome"}
    # short labels, and the pre-2019 labels a few clerks still type
    assert {"予以公开", "部分公开", "信息不存在", "非本机关政府信息", "同意公开", "同意部分公开"} <= outcomes
    assert any(v.startswith("（") or v[0].isdigit() for v in outcomes)  # numbered labels copied from the form
    channels = {v for kind, k, v in raws if k == "channel"}
    assert {"wechat", "微信公众号", "政府信息公开专栏"} <= channels
    assert {"行政复议", "行政诉讼（未经复议直接起诉）", "行政诉讼（复议后起诉）"} <= {v for _, k, v in raws if k == "proceeding"}
