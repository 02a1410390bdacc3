"""A narrative edited after a year's reports were made re-renders them on `--changed` and on the nightly run
(issue #11), although no ledger changed; a report run killed part-way is redone too."""

import pytest

import tests.support.ledger_fixtures as F
from pipelines.defs.automation.stale import years_to_run
from pipelines.defs.reports.publish import PENDING, stamp_path
from pipelines.run import materialize_years
from pipelines.settings import settings
from tests.support.nightly import nightly_years
from tests.support.report_samples import SAMPLE_NARRATIVE

pytestmark = pytest.mark.slow  # whole pipeline runs

EDIT = "二是本年度新增一段说明。"  # a sentence found in no generated text


@pytest.fixture
def county(tmp_path, monkeypatch):
    F.pii_env(monkeypatch, tmp_path)
    raw = F.write_hand_worked(tmp_path / "raw")
    cfg = settings(raw=raw, warehouse=tmp_path / "wh" / "gongkai.duckdb", narratives=tmp_path / "narratives")
    materialize_years(cfg, None)
    assert years_to_run(cfg) == []
    return cfg


def test_a_narrative_edit_re_renders_that_years_reports_on_changed_and_nightly(county):
    html = county.reports_dir / F.A / "2022.html"
    assert EDIT not in html.read_text(encoding="utf-8")
    path = county.narratives_dir / F.A / "2022.md"
    path.parent.mkdir(parents=True)
    path.write_text(SAMPLE_NARRATIVE.replace("一是公开内容的规范性有待加强。", "一是公开内容的规范性有待加强。\n" + EDIT), encoding="utf-8")
    # 2022 only: no ledger changed, and 2023's reports do not show 2022's narrative
    assert years_to_run(county) == [2022]
    assert materialize_years(county, None).years == [2022]  # what `gongkai materialize --changed` runs
    assert EDIT in html.read_text(encoding="utf-8")
    assert nightly_years(county) == []  # done: the nightly run has nothing left
    path.write_text(SAMPLE_NARRATIVE, encoding="utf-8")  # edited again, now seen by the nightly sensor
    assert nightly_years(county) == ["2022"]


def test_a_report_run_killed_part_way_is_redone(county):
    stamp_path(county.reports_dir, 2023).write_text(PENDING)  # what a run killed while rendering 2023 leaves
    assert years_to_run(county) == [2023]
    assert materialize_years(county, None).years == [2023]
    assert years_to_run(county) == []
