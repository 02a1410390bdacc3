"""Report rendering tells its progress: to the caller of publish_reports, in the Dagster run's log, and to
`gongkai materialize` (which keeps Dagster's own console log quiet)."""

import dagster as dg
import pytest

import tests.support.ledger_fixtures as F
from pipelines.defs.reports.progress import should_report
from pipelines.run import materialize_years
from pipelines.settings import settings


def test_the_first_the_last_and_each_quarter():
    # a city's 413 agencies: the first, then where a quarter is passed (413/4 = 103.25 → 104, 207, 310, 413)
    assert [n for n in range(1, 414) if should_report(n, 413)] == [1, 104, 207, 310, 413]
    assert [n for n in range(1, 15) if should_report(n, 14)] == [1, 4, 7, 11, 14]  # 3.5, 7, 10.5, 14
    assert [n for n in range(1, 4) if should_report(n, 3)] == [1, 2, 3]


@pytest.mark.slow  # whole pipeline runs
def test_materialize_tells_the_report_progress_and_dagster_logs_it(tmp_path, monkeypatch):
    F.pii_env(monkeypatch, tmp_path)
    raw = F.write_hand_worked(tmp_path / "raw")
    cfg = settings(raw=raw, warehouse=tmp_path / "wh" / "gongkai.duckdb", environ={"GONGKAI_PII_KEY": "test-key-not-secret"})
    told: list[str] = []
    outcome = materialize_years(cfg, [2022], progress=told.append)
    # the hand-worked root has three agencies: one message each
    reports = [m for m in told if "reports" in m]
    # counts only: the desk shows these to every clerk, so no agency's name goes with them
    assert reports == ["2022年报告 / reports 1/3（33%）", "2022年报告 / reports 2/3（66%）", "2022年报告 / reports 3/3（100%）"]
    with dg.DagsterInstance.get() as instance:
        logged = [e.user_message for e in instance.all_logs(outcome.run_ids[-1]) if "reports" in (e.user_message or "")]
    # the operator's Dagster log names the agency reached
    names = [F.NAMES[c] for c in (F.A, F.B, F.C)]  # in agency-code order
    assert [m for m in logged if m.startswith("2022年报告")] == [f"{r}{n}" for r, n in zip(reports, names, strict=True)]
