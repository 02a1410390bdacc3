"""`gongkai due` and the due list, on a warehouse holding hand-made applications.

The day of the list is Friday 1 March 2024 unless said otherwise. Working days (2024: 10–17 February off,
Sunday 4 and Sunday 18 February worked; nothing else off in February and March) give these due dates:
- X1, received Mon 5 Feb, open: 6–9 Feb = 1–4, Sun 18 Feb = 5, 19–23 = 6–10, 26 Feb – 1 Mar = 11–15, 4–8 Mar = 16–20:
  due Fri 8 Mar; days left after 1 Mar: 4, 5, 6, 7, 8 Mar = 5.
- X2, received Mon 15 Jan, open: 16–19 Jan = 1–4, 22–26 = 5–9, 29 Jan – 2 Feb = 10–14, Sun 4 Feb = 15, 5–9 Feb = 16–20:
  due Fri 9 Feb; from 9 Feb to 1 Mar: Sun 18 Feb, 19–23 Feb, 26 Feb – 1 Mar = 11 working days: 11 overdue (−11).
- X3, received 20 Feb, answered 28 Feb: not open on 1 March.
- X4, received Mon 26 Feb, answered 5 Mar (after the day: open on 1 March): 27 Feb – 1 Mar = 1–4, 4–8 Mar = 5–9,
  11–15 = 10–14, 18–22 = 15–19, Mon 25 Mar = 20; days left: 5 + 5 + 5 + 1 = 16.
- X5, received 4 Mar: after the day, not listed.
- X6, correction asked 23 Feb and never received: no time limit runs, not listed.
- Y1 (another agency), received Thu 29 Feb, open: 1 Mar = 1, 4–8 = 2–6, 11–15 = 7–11, 18–22 = 12–16, 25–28 = 17–20:
  due Thu 28 Mar; days left 5 + 5 + 5 + 4 = 19.
"""

import datetime as dt
import json

import polars as pl
import pytest
from typer.testing import CliRunner

from pipelines.cli import main
from pipelines.defs.calendar import workdays
from pipelines.defs.compliance import due
from pipelines.defs.compliance.deadlines import application_deadlines
from pipelines.defs.warehouse import warehouse as wh
from pipelines.errors import GongkaiError
from tests.compliance.test_deadlines import LEDGER

D = dt.date
ON = D(2024, 3, 1)


def _row(app_id, agency, received, closed=None, asked=None):
    return {
        "agency_code": agency,
        "application_id": app_id,
        "received_on": received,
        "correction_requested_on": asked,
        "correction_received_on": None,
        "third_party_days": None,
        "extended": None,
        "closed_on": closed,
    }


ROWS = [
    _row("X1", "X", D(2024, 2, 5)),
    _row("X2", "X", D(2024, 1, 15)),
    _row("X3", "X", D(2024, 2, 20), closed=D(2024, 2, 28)),
    _row("X4", "X", D(2024, 2, 26), closed=D(2024, 3, 5)),
    _row("X5", "X", D(2024, 3, 4)),
    _row("X6", "X", D(2024, 2, 20), asked=D(2024, 2, 23)),
    _row("Y1", "Y", D(2024, 2, 29)),
    _row("X9", "X", D(2026, 12, 20)),  # needs 2027: due date unknown
]


@pytest.fixture(scope="module")
def warehouse_path(tmp_path_factory):
    path = tmp_path_factory.mktemp("due") / "gongkai.duckdb"
    calendar = workdays.load(None)
    deadlines = application_deadlines(pl.DataFrame(ROWS, schema=LEDGER), calendar, [2024, 2026])
    agencies = pl.DataFrame({"agency_code": ["X", "Y"], "agency_name": ["某局", "某镇"]})

    def work(con):
        wh.replace_whole(con, "dim_agency", agencies)
        wh.replace_whole(con, "application_deadline", deadlines)
        wh.replace_whole(con, "calendar_day", calendar.days)
        return {}

    wh.load(path, work)
    return path


def test_open_applications_by_due_date_with_working_days_left(warehouse_path):
    rows = due.as_json(due.due_list(warehouse_path, ON))
    got = [(r["application_id"], r["due_on"], r["working_days_left"]) for r in rows]
    assert got == [("X2", "2024-02-09", -11), ("X1", "2024-03-08", 5), ("X4", "2024-03-25", 16), ("Y1", "2024-03-28", 19)]
    assert set(rows[0]) == {"agency_code", "application_id", "received_on", "due_on", "working_days_left", "reason"}
    assert rows[0]["received_on"] == "2024-01-15" and rows[0]["reason"] is None


def test_within_keeps_the_overdue_and_those_due_soon_and_agency_filters(warehouse_path):
    assert [r["application_id"] for r in due.as_json(due.due_list(warehouse_path, ON, 5))] == ["X2", "X1"]
    assert [r["application_id"] for r in due.as_json(due.due_list(warehouse_path, ON, 16, "x"))] == ["X2", "X1", "X4"]
    assert [r["application_id"] for r in due.as_json(due.due_list(warehouse_path, ON, None, "Y"))] == ["Y1"]


def test_an_unknown_due_date_is_listed_with_its_reason(warehouse_path):
    # on Mon 28 Dec 2026 X9 (received 20 Dec) is open and its 20th working day is in 2027, which the calendar lacks;
    # X's 2024 applications still open are listed before it, overdue: X2 (due 9 Feb), X1 (8 Mar), X5 (received Mon 4 Mar:
    # 5–8 Mar = 1–4, 11–15 = 5–9, 18–22 = 10–14, 25–29 = 15–19, Mon 1 Apr = 20)
    rows = due.as_json(due.due_list(warehouse_path, D(2026, 12, 28), 5, "X"))
    last = rows[-1]
    assert last["application_id"] == "X9" and last["due_on"] is None and last["working_days_left"] is None
    assert "2027" in last["reason"] and workdays.OVERRIDE_FILE in last["reason"]
    assert [(r["application_id"], r["due_on"]) for r in rows] == [("X2", "2024-02-09"), ("X1", "2024-03-08"), ("X5", "2024-04-01"), ("X9", None)]


def test_a_day_outside_the_calendar_counts_no_days_left(warehouse_path):
    rows = due.as_json(due.due_list(warehouse_path, D(2027, 1, 4), None, "Y"))
    assert rows == [
        {
            "agency_code": "Y",
            "application_id": "Y1",
            "received_on": "2024-02-29",
            "due_on": "2024-03-28",
            "working_days_left": None,
            "reason": workdays.uncovered_message(2027),
        }
    ]


def test_a_warehouse_without_deadlines_is_one_clear_error(tmp_path):
    path = tmp_path / "old.duckdb"
    import duckdb

    duckdb.connect(str(path)).close()
    with pytest.raises(GongkaiError, match="gongkai materialize"):
        due.due_list(path, ON)


def test_the_nightly_list_is_written_under_the_reports_folder(warehouse_path, tmp_path):
    written = due.write_due_list(warehouse_path, tmp_path / "reports", ON)
    assert written == tmp_path / "reports" / "due" / "due-2024-03-01.csv"
    lines = written.read_text(encoding="utf-8").splitlines()
    assert lines[0] == ",".join(due.COLUMNS) and lines[1] == "X,X2,2024-01-15,2024-02-09,-11,"
    assert len(lines) == 5
    latest = json.loads((tmp_path / "reports" / "due" / "due-latest.json").read_text(encoding="utf-8"))
    assert [r["application_id"] for r in latest] == ["X2", "X1", "X4", "Y1"]


def test_the_command(warehouse_path):
    main._register()
    runner = CliRunner()
    out = runner.invoke(main.app, ["due", "--within", "5", "--on", "2024-03-01", "--format", "json", "--warehouse", str(warehouse_path)])
    assert out.exit_code == 0, out.output
    assert [r["application_id"] for r in json.loads(out.stdout)] == ["X2", "X1"]
    text = runner.invoke(main.app, ["due", "--agency", "X", "--on", "2024-03-01", "--warehouse", str(warehouse_path)])
    assert text.exit_code == 0
    assert "overdue by 11 working days" in text.stdout and "5 working days left" in text.stdout and "Y1" not in text.stdout
    csv_out = runner.invoke(main.app, ["due", "--on", "2024-03-01", "--format", "csv", "--warehouse", str(warehouse_path)])
    assert csv_out.stdout.splitlines()[2] == "X,X1,2024-02-05,2024-03-08,5,"
    bad = runner.invoke(main.app, ["due", "--on", "1 March", "--warehouse", str(warehouse_path)])
    assert bad.exit_code != 0


def test_per_agency_figures_for_the_county_overview(warehouse_path):
    # answered in 2024: X3 (Tue 20 Feb → Wed 28 Feb: 21–23, 26–28 Feb = 6 working days) and X4 (Mon 26 Feb → Tue 5 Mar:
    # 27–29 Feb, 1, 4, 5 Mar = 6), both well within 20; due within 5 working days on 1 March: X2 (overdue) and X1.
    # Y answered nothing and has nothing due soon (Y1: 19 days left): no line.
    got = due.agency_deadlines(warehouse_path, 2024, ON)
    assert got == {
        "X": {"agency_code": "X", "answered": 2, "on_time": 2, "late": 0, "on_time_rate": 1.0, "longest_working_days": 6, "due_soon": 2},
    }
    assert due.agency_deadlines(warehouse_path, 2024, ON, within=19)["Y"]["due_soon"] == 1
    assert due.agency_deadlines(warehouse_path, 2023, ON) == {}  # 2023 answered nothing and left nothing open
