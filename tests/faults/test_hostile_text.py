"""Hostile text and hostile files (issue #11): an agency name that looks like a formula stays text in every XLSX
gongkai writes; control characters in a name or narrative no longer stop the rendering; a workbook that unpacks
to hundreds of MB, and a Parquet ledger with a list column, are each refused whole with a one-line reason while
the files beside them are read."""

import json
import zipfile
from pathlib import Path

import openpyxl
import polars as pl
import pytest
import xlsxwriter
from docx import Document
from typer.testing import CliRunner

from pipelines import settings
from pipelines.cli import main
from pipelines.defs.ingest import readers
from pipelines.defs.reports.render import render_agency_report
from tests.support.raw_ledgers import TANGWU, raw_root, write_csv
from tests.support.report_samples import sample_context, sample_tables

HEADER = ["申请编号", "受理机构代码", "收到申请日期", "申请人类型", "答复日期", "处理结果"]
GOOD = ["X-1", TANGWU, "2022-03-05", "自然人", "2022-03-20", "予以公开"]

# what a spreadsheet takes for a formula: =, +, -, @ and a leading tab (Excel drops it, then sees the =)
FORMULA_NAMES = ['=HYPERLINK("http://evil.example","点我")', "+1+2", "-3+4", "@SUM(A1:A2)", "\t=1+1"]


def _context(name: str):
    tables = sample_tables()
    tables["agency_name"] = name
    return sample_context(tables=tables)


@pytest.mark.parametrize("name", FORMULA_NAMES)
def test_an_agency_name_that_looks_like_a_formula_is_text_in_the_xlsx(tmp_path, name):
    paths = render_agency_report(_context(name), tmp_path)
    book = openpyxl.load_workbook(paths["xlsx"])
    texts = [c for ws in book.worksheets for row in ws.iter_rows() for c in row if isinstance(c.value, str)]
    assert texts and all(c.data_type == "s" for c in texts), [(c.coordinate, c.value) for c in texts if c.data_type != "s"]
    # the title line holds the name verbatim (less the tab, a control character the XML keeps: \t is allowed)
    assert any(c.value.startswith(name) for c in texts)
    with zipfile.ZipFile(paths["xlsx"]) as z:  # no formula element anywhere in the workbook
        assert not [n for n in z.namelist() if n.startswith("xl/worksheets/") and b"<f>" in z.read(n)]


def test_control_characters_in_a_name_and_narrative_are_dropped_and_the_report_is_written(tmp_path):
    ctx = _context("昌乐县鄌郚镇\x07人民政府\x1b")
    ctx.narrative.sections["problems"] = ["一是公开\x00内容\x0b的规范性有待加强。"]
    paths = render_agency_report(ctx, tmp_path)
    assert sorted(paths) == ["docx", "html", "xlsx"] and all(p.exists() for p in paths.values())
    book = openpyxl.load_workbook(paths["xlsx"])
    assert book.properties.title == "昌乐县鄌郚镇人民政府2022年政府信息公开工作年度报告"
    body = "\n".join(p.text for p in Document(str(paths["docx"])).paragraphs)
    assert "昌乐县鄌郚镇人民政府" in body and "一是公开内容的规范性有待加强。" in body
    html = paths["html"].read_text(encoding="utf-8")
    assert "\x07" not in html and "\x00" not in html and "昌乐县鄌郚镇人民政府" in html


# ----------------------------------------------------------------------------- hostile files


def _root(tmp_path: Path) -> Path:
    root = raw_root(tmp_path)
    write_csv(root / "applications" / "good.csv", [dict(zip(HEADER, GOOD, strict=True))])
    return root


def _validate(root: Path) -> tuple[int, dict]:
    main._register()
    res = CliRunner().invoke(main.app, ["validate", str(root), "--format", "json"])
    assert res.exception is None or isinstance(res.exception, SystemExit), repr(res.exception)
    assert "Traceback" not in res.output
    return res.exit_code, json.loads(res.output)


def _bomb(path: Path, unpacked_mb: int) -> Path:
    """A valid workbook whose shared strings are padded to `unpacked_mb` MB: a few hundred KB on disk."""
    plain = path.with_name("plain.xlsx")
    book = xlsxwriter.Workbook(str(plain))  # text cells as shared strings (xl/sharedStrings.xml)
    sheet = book.add_worksheet()
    for r, row in enumerate((HEADER, GOOD)):
        for c, text in enumerate(row):
            sheet.write_string(r, c, text)
    book.close()
    pad = b"<si><t>" + b"A" * 1000 + b"</t></si>"
    with zipfile.ZipFile(plain) as src, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as out:
        for info in src.infolist():
            data = src.read(info)
            if info.filename != "xl/sharedStrings.xml":
                out.writestr(info, data)
                continue
            head, found, tail = data.rpartition(b"</sst>")
            assert found
            with out.open("xl/sharedStrings.xml", "w", force_zip64=True) as fh:  # streamed: never whole in memory
                fh.write(head)
                for _ in range((unpacked_mb << 20) // len(pad) + 1):
                    fh.write(pad)
                fh.write(b"</sst>" + tail)
    plain.unlink()
    return path


@pytest.mark.slow  # writes (and deflates) 300 MB
def test_a_workbook_that_unpacks_past_the_limit_is_refused_unread(tmp_path, monkeypatch):
    root = _root(tmp_path)
    bomb = _bomb(root / "applications" / "bomb.xlsx", 300)
    assert bomb.stat().st_size < 3 << 20 and settings.XLSX_UNPACKED_MB < 300

    def never(*args, **kwargs):
        raise AssertionError("the Excel reader was handed the bomb")

    monkeypatch.setattr(readers.fastexcel, "read_excel", never)
    code, report = _validate(root)
    files = {f["path"]: f for f in report["files"]}
    assert (files["applications/good.csv"]["status"], files["applications/good.csv"]["accepted"]) == ("read", 1)
    bad = files["applications/bomb.xlsx"]
    assert (bad["status"], bad["rule"]) == ("rejected", "file_unreadable"), bad
    assert "\n" not in bad["error"] and f"over the limit of {settings.XLSX_UNPACKED_MB} MB" in bad["error"], bad
    assert code == 1


def test_the_limit_is_the_settings_one(tmp_path, monkeypatch):
    root = _root(tmp_path)
    _bomb(root / "applications" / "small.xlsx", 2)  # 2 MB unpacked: under the default, over a 1 MB limit
    code, report = _validate(root)
    assert {f["path"]: f["status"] for f in report["files"]}["applications/small.xlsx"] == "read"
    monkeypatch.setattr(settings, "XLSX_UNPACKED_MB", 1)
    code, report = _validate(root)
    bad = {f["path"]: f for f in report["files"]}["applications/small.xlsx"]
    assert (bad["status"], bad["rule"]) == ("rejected", "file_unreadable") and "2 MB" in bad["error"], bad


def test_a_parquet_ledger_with_a_list_column_is_refused_whole_with_one_line(tmp_path):
    root = _root(tmp_path)
    frame = pl.DataFrame({h: [g] for h, g in zip(HEADER, GOOD, strict=True)}).with_columns(pl.Series("申请人类型", [["自然人", "法人"]]))
    frame.write_parquet(root / "applications" / "lists.parquet")
    code, report = _validate(root)
    files = {f["path"]: f for f in report["files"]}
    bad = files["applications/lists.parquet"]
    assert (bad["status"], bad["rule"]) == ("rejected", "file_unreadable"), bad
    assert "申请人类型" in bad["error"] and "\n" not in bad["error"]
    assert files["applications/good.csv"]["accepted"] == 1
    assert code == 1
