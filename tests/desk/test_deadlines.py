"""The clerk's page reads the deadlines the way `gongkai due` lists them (pipelines/desk/records.py)."""

from pipelines.desk import records
from pipelines.settings import settings
from tests.compliance.test_due import warehouse_path  # noqa: F401  (the fixture: hand-made applications, due dates worked out there)


def test_due_soon_is_the_due_list_within_ten_working_days_as_of_the_run_date(warehouse_path, monkeypatch):  # noqa: F811
    monkeypatch.setenv("GONGKAI_RUN_DATE", "2024-03-01")
    cfg = settings(warehouse=warehouse_path)
    got = records.due_soon(cfg, "X")
    # on Fri 1 March 2024: X2 overdue by 11 working days, X1 due in 5; X4 (16 left) is beyond the 10 days
    assert [(r["application_id"], r["working_days_left"]) for r in got["rows"]] == [("X2", -11), ("X1", 5)]
    assert "10" in got["note"]


def test_late_answers_per_agency_from_the_warehouse(warehouse_path):  # noqa: F811
    # answered in 2024: X3 and X4, both on time (tests/compliance/test_due.py); Y answered nothing
    assert records.late_answers(settings(warehouse=warehouse_path), 2024) == {"X": 0}
