"""鄌郚镇 2022 matches its published report (seed-report-2022.txt), read straight from the files."""

import io

import openpyxl
import polars as pl

from pipelines.defs.generate.county import AGENCIES

from .conftest import TANGWU


def test_tangwu_2022_proactive_items_from_the_gbk_csv(sample_root):
    data = (sample_root / "disclosures/2022/鄌郚镇_主动公开台账_2022.csv").read_bytes()
    frame = pl.read_csv(io.BytesIO(data.decode("gbk").encode("utf-8")), infer_schema=False)
    assert frame.height == 379
    assert frame["统一社会信用代码"].unique().to_list() == [TANGWU]
    assert frame["信息类别"].unique().to_list() == ["其他"]  # every table-P item is zero
    assert frame["文号"].null_count() == 379 and frame["金额（元）"].null_count() == 379
    channels = dict(frame.group_by("发布渠道").len().iter_rows())
    assert channels == {"政府信息公开专栏": 11, "微信公众号": 368}  # 11 + 368 = 379
    years = frame["发布日期"].str.extract(r"^(\d{4})").unique().to_list()
    assert years == ["2022"]
    assert frame["索引号"].n_unique() == 379


def test_tangwu_has_no_applications_in_2021_or_2022(sample_root, manifest):
    book = openpyxl.load_workbook(sample_root / "applications/2022/鄌郚镇_依申请公开台账_2022.xlsx", read_only=True)
    rows = list(book.worksheets[0].iter_rows(values_only=True))
    assert len(rows) == 1 and rows[0][0] == "申请编号（必填）"  # an empty ledger: header only
    assert not (sample_root / "applications/2021/鄌郚镇_依申请公开台账_2021.xlsx").exists()
    # and no other file holds a 鄌郚镇 application received before 2023
    for f in manifest["files"]:
        if f["kind"] == "applications" and f["format"] == "csv":
            text = (sample_root / f["path"]).read_bytes().decode(f["encoding"])
            assert TANGWU not in text, f["path"]
    for path in sample_root.glob("applications/*/*.xlsx"):
        if "鄌郚镇" in path.name and "2023" not in path.name:
            continue
        rows = list(openpyxl.load_workbook(path, read_only=True).worksheets[0].iter_rows(values_only=True))
        # received_on is a date cell, or (once per workbook) a serial number: 44927 is 2023-01-01
        assert all(r[1] != TANGWU or (r[2] >= 44927 if isinstance(r[2], int) else r[2].year >= 2023) for r in rows[1:]), path
    for path in sample_root.glob("applications/*/*.parquet"):
        assert pl.read_parquet(path).filter(pl.col("agency_code") == TANGWU).height == 0


def test_tangwu_has_no_cases_before_2023(sample_root):
    rows = list(openpyxl.load_workbook(sample_root / "appeals/昌乐县复议诉讼台账.xlsx", read_only=True).worksheets[0].iter_rows(values_only=True))
    header = rows[0]
    code, filed = header.index("统一社会信用代码（必填）"), header.index("立案日期（必填）")
    tangwu = [r for r in rows[1:] if r[code] == TANGWU]
    assert len(tangwu) == 1 and tangwu[0][filed].year == 2023


def test_tangwu_2022_truth(manifest):
    t = next(t for t in manifest["truth"] if t["agency_code"] == TANGWU and t["year"] == 2022)
    assert t["agency_name"] == "昌乐县鄌郚镇人民政府" and t["complete"] is True
    assert t["proactive"]["total"] == 379
    assert t["proactive"]["channels"] == {"portal_column": 11, "wechat": 368}
    assert all(v == 0 for item in t["proactive"]["table"].values() for v in item.values())
    assert all(v == 0 for row in t["applications"].values() for v in row.values())
    assert all(v == 0 for group in t["appeals"].values() for v in group.values())
    assert t["application_fees_yuan"] == 0


def test_agencies_csv(sample_root):
    frame = pl.read_csv(sample_root / "agencies.csv", infer_schema=False)
    assert frame.columns == ["agency_code", "agency_name", "division_code", "county", "city", "province", "level"]
    assert frame.height == 14 == len(AGENCIES)
    tangwu = frame.filter(pl.col("agency_name") == "昌乐县鄌郚镇人民政府").row(0, named=True)
    assert tangwu["agency_code"] == TANGWU and tangwu["level"] == "township"
    assert dict(frame.group_by("level").len().iter_rows()) == {"township": 8, "county_government": 1, "county_department": 5}
    assert frame["division_code"].str.contains(r"^370725\d{6}$").all()
