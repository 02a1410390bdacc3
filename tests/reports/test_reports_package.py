"""The DOCX and XLSX written from package templates (pipelines/defs/reports/package.py, docx_report.write_docx,
xlsx_report.write_xlsx) are the packages python-docx and openpyxl save for the same report: every part, in the
same order, byte for byte (the XLSX's creation and save times apart)."""

import dataclasses
import io
import time
import zipfile

import docx
import openpyxl
import pytest

from pipelines.defs.reports import docx_report, xlsx_report
from pipelines.defs.reports.document import build_document
from pipelines.defs.reports.package import deflated, zip_bytes
from pipelines.defs.reports.safe_text import cleaned
from tests.support.packages import package_parts
from tests.support.report_samples import sample_context, tangwu_2022_context


def test_the_zip_is_the_one_zipfile_writes():
    blobs = {"[Content_Types].xml": b"<Types/>", "word/document.xml": "<w:document>正文</w:document>".encode() * 50, "empty.xml": b""}
    stamp = time.mktime((2024, 3, 3, 10, 20, 30, 0, 0, -1))  # local time, as zip dates are
    ours = zip_bytes([deflated(name, blob) for name, blob in blobs.items()], stamp)
    theirs = io.BytesIO()
    with zipfile.ZipFile(theirs, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, blob in blobs.items():
            info = zipfile.ZipInfo(name, date_time=(2024, 3, 3, 10, 20, 30))
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o600 << 16  # what writestr(name, …) gives a member
            zf.writestr(info, blob)
    assert ours == theirs.getvalue()
    with zipfile.ZipFile(io.BytesIO(ours)) as zf:
        assert zf.testzip() is None
        assert {i.filename: zf.read(i) for i in zf.infolist()} == blobs
        assert {i.date_time for i in zf.infolist()} == {(2024, 3, 3, 10, 20, 30)}


def _draft():
    ctx = sample_context(narrative=None)  # no narrative: a draft, with its reasons
    assert ctx.is_draft
    return ctx


@pytest.mark.parametrize("make", [sample_context, tangwu_2022_context, _draft], ids=["clean", "tangwu", "draft"])
def test_the_templated_docx_is_the_one_python_docx_saves(make, tmp_path):
    report = cleaned(build_document(make()))
    for _ in range(2):  # the second from the templates the first one made
        ours = docx_report.write_docx(report, tmp_path / "ours.docx")
        theirs = tmp_path / "theirs.docx"
        docx_report.python_docx_package(report).save(str(theirs))
        ours_parts, their_parts = package_parts(ours), package_parts(theirs)
        assert list(ours_parts) == list(their_parts)  # the same parts, in the same order
        for name in their_parts:
            assert ours_parts[name] == their_parts[name], name
    # and what a reader sees: the title, the header of a draft, the text and the three tables
    opened = docx.Document(str(ours))
    assert opened.core_properties.title == docx_report.title(report)
    assert ("【草稿】" in opened.core_properties.title) == report.is_draft
    header = opened.sections[0].header
    assert [p.text for p in header.paragraphs if p.text] == ([report.banner] if report.is_draft else [])
    assert len(opened.tables) == 3
    paragraphs = [p.text for p in opened.paragraphs]
    assert paragraphs[paragraphs.index(report.agency_name) + 1] == report.title
    assert paragraphs[-2:] == report.signature
    assert opened.core_properties.modified == docx.Document(str(theirs)).core_properties.modified


def _odd_texts():
    """The sample with texts that take the unusual paths of the XML: characters to escape, white space at an end
    (xml:space="preserve"), a tab, a line break, a carriage return (written as a reference), an empty cell."""
    report = cleaned(build_document(sample_context()))
    odd = ['A&B<C>D "引号"', " 前有空格", "后有全角空格　", "一\t二", "第一行\r\n第二行", ""]
    for section in report.sections:
        section.blocks = [
            dataclasses.replace(b, cells=[dataclasses.replace(c, text=odd[i % len(odd)]) if c.kind != "value" else c for i, c in enumerate(b.cells)])
            if hasattr(b, "cells")
            else b
            for b in section.blocks
        ]
    return dataclasses.replace(report, agency_name="<&> 机构 ")


def _changed_figures():
    """The sample's shape with other figures: the template of the first is filled with these."""
    report = cleaned(build_document(sample_context()))
    for section in report.sections:
        section.blocks = [
            dataclasses.replace(b, cells=[dataclasses.replace(c, value=c.value * 7 + 1) if isinstance(c.value, int) else c for c in b.cells])
            if hasattr(b, "cells")
            else b
            for b in section.blocks
        ]
    return report


@pytest.mark.parametrize(
    "make",
    [
        lambda: cleaned(build_document(sample_context())),
        lambda: cleaned(build_document(tangwu_2022_context())),
        lambda: cleaned(build_document(_draft())),
        _odd_texts,
        _changed_figures,
    ],
    ids=["clean", "tangwu", "draft", "odd-texts", "other-figures"],
)
def test_the_templated_xlsx_is_the_one_openpyxl_saves(make, request, tmp_path):
    xlsx_report.write_xlsx(cleaned(build_document(sample_context())), tmp_path / "first.xlsx")  # the sample's template
    shapes = len(xlsx_report._TEMPLATES)
    report = make()
    ours = xlsx_report.write_xlsx(report, tmp_path / "ours.xlsx")
    if request.node.callspec.id == "other-figures":  # filled from the sample's template, not one of its own
        assert len(xlsx_report._TEMPLATES) == shapes
    theirs = tmp_path / "theirs.xlsx"
    xlsx_report.openpyxl_workbook(report).save(theirs)
    ours_parts, their_parts = package_parts(ours), package_parts(theirs)
    assert list(ours_parts) == list(their_parts)
    for name in their_parts:
        assert ours_parts[name] == their_parts[name], name
    # what a reader sees: every cell's value where openpyxl put it, the title
    opened, expected = openpyxl.load_workbook(ours), openpyxl.load_workbook(theirs)
    assert opened.properties.title == xlsx_report.title(report)
    assert opened.sheetnames == expected.sheetnames
    for ws in opened.worksheets:
        assert [[c.value for c in row] for row in ws.iter_rows()] == [[c.value for c in row] for row in expected[ws.title].iter_rows()]


def test_a_value_no_standin_keeps_is_written_cell_by_cell(tmp_path):
    report = cleaned(build_document(sample_context()))
    grid = report.grids()[0]
    cell = next(c for c in grid.cells if isinstance(c.value, float))
    grid.cells[grid.cells.index(cell)] = dataclasses.replace(cell, value=float("nan"))
    assert xlsx_report._kind(float("nan")) is None
    path = xlsx_report.write_xlsx(report, tmp_path / "nan.xlsx")
    theirs = tmp_path / "theirs.xlsx"
    xlsx_report.openpyxl_workbook(report).save(theirs)
    assert package_parts(path).keys() == package_parts(theirs).keys()
