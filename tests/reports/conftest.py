from pathlib import Path

import pytest

from pipelines.defs.reports import render_agency_report
from tests.support.report_samples import sample_context, tangwu_2022_context


@pytest.fixture(scope="module")
def sample_files(tmp_path_factory) -> dict[str, Path]:
    """The hand-worked agency-year, clean, rendered once per module."""
    return render_agency_report(sample_context(), tmp_path_factory.mktemp("sample"))


@pytest.fixture(scope="module")
def tangwu_files(tmp_path_factory) -> dict[str, Path]:
    return render_agency_report(tangwu_2022_context(), tmp_path_factory.mktemp("tangwu"))
