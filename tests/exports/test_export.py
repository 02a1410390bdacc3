"""`gongkai export`: every file opened the way its reader would (polars, openpyxl) and compared to the warehouse."""

import io
import json
import sys
from pathlib import Path

import openpyxl
import polars as pl
import pytest
from typer.testing import CliRunner

import tests.support.ledger_fixtures as F
from pipelines.cli import main
from pipelines.defs.exports import cells
from pipelines.defs.exports.export import LONG_TABLES
from pipelines.defs.tables.compute import compute_year
from pipelines.defs.warehouse import warehouse as wh

main._register()
runner = CliRunner()
BOM = "\ufeff".encode()
HOSTILE = '=HYPERLINK("http://example.invalid","x")'  # an agency name a clerk (or worse) typed


@pytest.fixture(scope="module")
def warehouse(tmp_path_factory) -> Path:
    """The hand-worked ledgers, 2021 and 2022 loaded; agency C renamed to a formula-like text."""
    tmp = tmp_path_factory.mktemp("export")
    ing = F.ingest_root(F.write_hand_worked(tmp / "raw"))
    agencies = ing.records["agencies"].drop("source_file", "source_sheet", "source_row")
    path = tmp / "wh.duckdb"
    previous = None
    for year in (2021, 2022):
        facts = compute_year(ing.records, ing.quarantine, year, previous=previous)
        previous = facts

        def work(con, year=year, facts=facts):
            written = wh.replace_year(con, year, agencies, facts)
            con.execute("UPDATE dim_agency SET agency_name = ? WHERE agency_code = ?", [HOSTILE, F.C])
            return written

        wh.load(path, work)
    return path


def export(warehouse: Path, out: Path, fmt: str, *extra: str):
    result = runner.invoke(main.app, ["export", "--year", "2022", "--format", fmt, "--out", str(out), "--warehouse", str(warehouse), *extra])
    assert result.exit_code == 0, (result.output, result.exception)
    return json.loads((out / "manifest.json").read_text(encoding="utf-8"))


def expected(warehouse: Path, stem: str) -> pl.DataFrame:
    source, order, _ = LONG_TABLES[stem]
    return wh.query(warehouse, f"SELECT * FROM {source} WHERE year = 2022 ORDER BY {order}")


def test_parquet_files_equal_the_warehouse(warehouse, tmp_path):
    manifest = export(warehouse, tmp_path, "parquet")
    assert (manifest["layout"], manifest["layout_version"], manifest["year"], manifest["format"]) == ("gongkai-export", 1, 2022, "parquet")
    assert [f["file"] for f in manifest["files"]] == [f"{stem}.parquet" for stem in LONG_TABLES]
    for f in manifest["files"]:
        got = pl.read_parquet(tmp_path / f["file"])
        want = expected(warehouse, f["file"].split(".")[0])
        assert got.equals(want), f["file"]
        assert f["rows"] == got.height and f["columns"] == got.columns
    # 3 agencies: 3 × 175 cells of table A, 3 × 15 of table R, 3 × 10 of table P
    rows = {f["file"]: f["rows"] for f in manifest["files"]}
    assert (rows["table_a.parquet"], rows["table_r.parquet"], rows["table_p.parquet"], rows["agencies.parquet"]) == (525, 45, 30, 3)
    a = pl.read_parquet(tmp_path / "table_a.parquet").filter((pl.col("agency_code") == F.A) & (pl.col("row_key") == "1"))
    # hand-worked A 2022, row 1: 3 natural persons, 1 legal service, 1 other organisation, 5 in all
    assert dict(zip(a["column_label"], a["value"], strict=True)) == {
        "自然人": 3,
        "商业企业": 0,
        "科研机构": 0,
        "社会公益组织": 0,
        "法律服务机构": 1,
        "其他": 1,
        "总计": 5,
    }


def test_csv_files_have_a_bom_and_equal_the_warehouse(warehouse, tmp_path):
    manifest = export(warehouse, tmp_path, "csv", "--county", "昌乐县")
    assert manifest["county"] == "昌乐县" and manifest["agencies"] == 3
    for f in manifest["files"]:
        data = (tmp_path / f["file"]).read_bytes()
        assert data.startswith(BOM), f["file"]
        want = expected(warehouse, f["file"].split(".")[0])
        got = pl.read_csv(io.BytesIO(data[len(BOM) :]), schema=want.schema)
        # the warehouse's values, but a text Excel would run as a formula starts with an apostrophe (CSV injection)
        assert got.equals(cells.frame(want)), f["file"]
    agencies = pl.read_csv(io.BytesIO((tmp_path / "agencies.csv").read_bytes()[len(BOM) :]), infer_schema=False)
    assert agencies.filter(pl.col("agency_code") == F.C).get_column("agency_name").to_list() == ["'" + HOSTILE]


def test_the_county_workbook_holds_every_cell_and_the_county_total(warehouse, tmp_path):
    manifest = export(warehouse, tmp_path, "xlsx")
    assert [f["file"] for f in manifest["files"]] == ["昌乐县_2022.xlsx"]
    book = openpyxl.load_workbook(tmp_path / "昌乐县_2022.xlsx")
    assert book.sheetnames == ["说明", "表P 主动公开", "表A 依申请公开", "表R 复议诉讼", "发布渠道", "勾稽关系"]
    for sheet_name, fact, k1, k2 in (
        ("表P 主动公开", "fact_proactive", "item", "metric"),
        ("表A 依申请公开", "fact_application", "row_key", "column_key"),
        ("表R 复议诉讼", "fact_appeal", "group_key", "result"),
    ):
        rows = list(book[sheet_name].iter_rows(values_only=True))
        keys = rows[2][3:]
        body, total = rows[3:-1], rows[-1]
        cells = {
            (code, f"{a}.{b}"): value
            for code, a, b, value in wh.query(warehouse, f"SELECT agency_code, {k1}, {k2}, value FROM {fact} WHERE year = 2022").iter_rows()
        }
        assert sorted(r[0] for r in body) == sorted({c for c, _ in cells})
        for r in body:
            assert list(r[3:]) == [cells[(r[0], k)] for k in keys], (sheet_name, r[0])
        # the county total: each column summed in the warehouse
        sums = dict(wh.query(warehouse, f"SELECT {k1} || '.' || {k2}, sum(value) FROM {fact} WHERE year = 2022 GROUP BY ALL").iter_rows())
        assert total[1] == "合计 / county total"
        assert list(total[3:]) == [pytest.approx(sums[k]) for k in keys], sheet_name
    a = {r[0]: r for r in list(book["表A 依申请公开"].iter_rows(values_only=True))[3:]}
    header = list(book["表A 依申请公开"].iter_rows(values_only=True))[2]
    assert a[F.A][header.index("1.total")] == 5 and a[F.A][header.index("4.natural_person")] == 2
    channels = list(book["发布渠道"].iter_rows(values_only=True))
    by_code = {r[0]: r for r in channels[3:-1]}
    assert by_code[F.A][-1] == 6  # hand-worked A 2022: 3 + 2 + 1 items, the 总计 column
    checks = list(book["勾稽关系"].iter_rows(values_only=True))
    ids = checks[1][3:-2]
    status = {(c, k): s for c, k, s in wh.query(warehouse, "SELECT agency_code, check_id, status FROM check_result WHERE year = 2022").iter_rows()}
    labels = {"pass": "通过", "warn": "警告", "fail": "不通过"}
    for r in checks[2:]:
        assert [r[3 + j] for j in range(len(ids))] == [labels[status[(r[0], k)]] if (r[0], k) in status else "—" for k in ids]


def test_text_cells_of_the_workbook_are_strings(warehouse, tmp_path):
    export(warehouse, tmp_path, "xlsx")
    sheet = openpyxl.load_workbook(tmp_path / "昌乐县_2022.xlsx")["表A 依申请公开"]
    hostile = [c for row in sheet.iter_rows() for c in row if c.value == HOSTILE]
    assert hostile and all(c.data_type == "s" for c in hostile)


def test_unknown_county_or_year_exits_2(warehouse, tmp_path, monkeypatch, capsys):
    for args in (["--county", "寿光市"], ["--year", "2019"]):
        argv = ["gongkai", "export", "--year", "2022", "--out", str(tmp_path / "x"), "--warehouse", str(warehouse)]
        if args[0] == "--year":
            argv[3] = args[1]
        else:
            argv += args
        monkeypatch.setattr(sys, "argv", argv)
        with pytest.raises(SystemExit) as exc:
            main.main()
        _, err = capsys.readouterr()
        assert exc.value.code == 2 and len(err.strip().splitlines()) == 1 and "Traceback" not in err
        assert ("寿光市" in err and "昌乐县" in err) if args[0] == "--county" else "2019" in err
    assert not (tmp_path / "x" / "manifest.json").exists()


@pytest.mark.parametrize("fmt", ["csv", "parquet"])
def test_a_folder_named_with_an_apostrophe_takes_the_export(warehouse, tmp_path, fmt):
    # the files are written by DuckDB's COPY, whose target is a quoted SQL string: O'Brien once ended it early
    out = tmp_path / "O'Brien 的导出"
    manifest = export(warehouse, out, fmt)
    assert sorted(p.name for p in out.iterdir()) == sorted([f["file"] for f in manifest["files"]] + ["manifest.json"])
    assert {f["file"]: f["rows"] for f in manifest["files"]}[f"table_a.{fmt}"] == 525
