"""A draft must never look publishable: banner and reasons in all three files; none on a clean year."""

import docx
import openpyxl
import pytest

from pipelines.defs.reports import DRAFT_BANNER, render_agency_report
from tests.support.report_samples import failing_variant, sample_context, sample_tables


def docx_text(path) -> str:
    doc = docx.Document(path)
    parts = [p.text for p in doc.paragraphs]
    parts += [p.text for s in doc.sections for p in s.header.paragraphs]
    return "\n".join(parts)


def xlsx_text(path) -> str:
    wb = openpyxl.load_workbook(path)
    return "\n".join(str(c.value) for ws in wb.worksheets for row in ws.iter_rows() for c in row if c.value is not None)


def all_text(files) -> dict[str, str]:
    return {"docx": docx_text(files["docx"]), "html": files["html"].read_text(encoding="utf-8"), "xlsx": xlsx_text(files["xlsx"])}


def incomplete_tables():
    tables = sample_tables()
    tables["complete"] = False
    return tables


CASES = {
    "incomplete": (dict(tables=incomplete_tables(), quarantined_rows=2), "2 行台账记录被隔离"),
    "failing check": (dict(tables=failing_variant(sample_tables()), quarantined_rows=1), "A1 第一项加第二项之和等于第三项加第四项之和"),
    "caller's reason": (dict(draft_reasons=["负责人尚未审签 / not yet signed off"]), "负责人尚未审签"),
    "no narrative": (dict(narrative=None), "未提供文字说明文件"),
}


@pytest.mark.parametrize("case", list(CASES))
def test_draft_marked_everywhere(case, tmp_path):
    overrides, reason = CASES[case]
    files = render_agency_report(sample_context(**overrides), tmp_path)
    for fmt, text in all_text(files).items():
        assert DRAFT_BANNER in text, fmt
        assert reason in text, fmt
    doc = docx.Document(files["docx"])
    assert DRAFT_BANNER in doc.sections[0].header.paragraphs[0].text  # on every printed page
    assert doc.core_properties.title.startswith("【草稿】")
    assert "<title>【草稿】" in files["html"].read_text(encoding="utf-8")
    wb = openpyxl.load_workbook(files["xlsx"])
    assert all(ws["A1"].value == DRAFT_BANNER for ws in wb.worksheets)


def test_clean_year_has_no_draft_marks(sample_files):
    assert sample_context().reasons() == []
    for fmt, text in all_text(sample_files).items():
        assert DRAFT_BANNER not in text and "草稿" not in text, fmt


def test_a_warning_makes_a_draft_until_a_reviewer_dismisses_it():
    tables = sample_tables()
    tables["checks"].append({"id": "P1", "status": "warn", "message": "现行有效件数与上年推算不一致"})
    reasons = sample_context(tables=tables).reasons()
    assert len(reasons) == 1 and "P1" in reasons[0] and "现行有效件数与上年推算不一致" in reasons[0]
    assert sample_context(tables=tables, dismissed=frozenset({"check:P1"})).reasons() == []


def test_an_error_is_not_lifted_by_a_dismissal():
    tables = sample_tables()
    tables["checks"].append({"id": "A1", "status": "fail", "message": "第一项加第二项之和不等于第三项加第四项之和"})
    assert any("A1" in r for r in sample_context(tables=tables, dismissed=frozenset({"check:A1"})).reasons())


def test_channel_figures_that_do_not_add_up_make_a_draft():
    tables = sample_tables()
    tables["channels"]["total"] = 376
    assert any("S1" in r for r in sample_context(tables=tables).reasons())
