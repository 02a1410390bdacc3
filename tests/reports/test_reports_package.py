"""The DOCX written from its package template (pipelines/defs/reports/package.py, docx_report.write_docx) is the
package python-docx saves for the same report: every part, in the same order, byte for byte."""

import io
import time
import zipfile

import docx
import pytest

from pipelines.defs.reports import docx_report
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
