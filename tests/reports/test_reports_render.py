"""File naming, atomic writes and input checking of render_agency_report."""

import pytest

from pipelines.defs.reports import ReportContext, render_agency_report, report_paths
from pipelines.errors import GongkaiError
from tests.support.report_samples import SAMPLE_CODE, sample_context, sample_tables


def test_naming_and_no_leftovers(tmp_path):
    paths = render_agency_report(sample_context(), tmp_path)
    assert paths == {fmt: tmp_path / SAMPLE_CODE / f"2022.{fmt}" for fmt in ("docx", "html", "xlsx")}
    assert paths == report_paths(tmp_path, SAMPLE_CODE, 2022)
    assert sorted(p.name for p in (tmp_path / SAMPLE_CODE).iterdir()) == ["2022.docx", "2022.html", "2022.xlsx"]


def test_rendering_again_replaces_the_files(tmp_path):
    render_agency_report(sample_context(narrative=None), tmp_path)
    paths = render_agency_report(sample_context(), tmp_path)
    assert "DRAFT" not in paths["html"].read_text(encoding="utf-8")


def test_incomplete_tables_object_is_one_clear_error():
    tables = sample_tables()
    del tables["applications"]["3.3.2"]["research"]
    del tables["appeals"]["review"]
    with pytest.raises(GongkaiError) as err:
        ReportContext(tables=tables)
    assert err.value.exit_code == 2
    assert "applications.3.3.2.research" in err.value.en and "appeals.review.upheld" in err.value.en


def test_unknown_channel_is_rejected():
    tables = sample_tables()
    tables["channels"]["telegram"] = 1
    with pytest.raises(GongkaiError, match="unknown channel 'telegram'"):
        ReportContext(tables=tables)
