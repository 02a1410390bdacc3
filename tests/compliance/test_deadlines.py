"""Due dates worked out by hand on the official calendars (State Council notices), not by calling the code.

Working days are counted after day 0 (the day of receipt, or of the corrected request); weekends are off
unless a make-up working day (调休上班) says otherwise. The holidays used below:
- 2019: 1–4 May off, Sunday 5 May worked; Dragon Boat 7–9 June off.
- 2023: Spring Festival 21–27 January off, Saturday 28 and Sunday 29 January worked;
        Mid-Autumn + National Day 29 September – 6 October off, Saturday 7 and Sunday 8 October worked.
- 2024: Spring Festival 10–17 February off, Sunday 18 February worked; Qingming 4–6 April off, Sunday 7 April
        worked; Dragon Boat Monday 10 June off; National Day 1–7 October off, Sunday 29 September and
        Saturday 12 October worked.
"""

import datetime as dt

import polars as pl
import pytest

from pipelines.defs.calendar import workdays
from pipelines.defs.compliance.deadlines import application_deadlines

D = dt.date
LEDGER = {
    "agency_code": pl.String,
    "application_id": pl.String,
    "received_on": pl.Date,
    "correction_requested_on": pl.Date,
    "correction_received_on": pl.Date,
    "third_party_days": pl.Int64,
    "extended": pl.Boolean,
    "closed_on": pl.Date,
}


def _app(received, *, closed=None, extended=None, third=None, asked=None, corrected=None, app_id="A-1"):
    return {
        "agency_code": "X",
        "application_id": app_id,
        "received_on": received,
        "correction_requested_on": asked,
        "correction_received_on": corrected,
        "third_party_days": third,
        "extended": extended,
        "closed_on": closed,
    }


def _one(calendar=None, **kw) -> dict:
    received = kw.pop("received")
    frame = pl.DataFrame([_app(received, **kw)], schema=LEDGER)
    out = application_deadlines(frame, calendar or workdays.load(None), [received.year])
    assert out.height == 1
    return out.row(0, named=True)


def test_spring_festival_2024_with_its_sunday_worked():
    # Mon 5 Feb: 6–9 Feb = 1–4; 10–17 off; Sun 18 Feb = 5; 19–23 = 6–10; 26 Feb – 1 Mar = 11–15; 4–8 Mar = 16–20
    row = _one(received=D(2024, 2, 5), closed=D(2024, 3, 8))
    assert row["due_on"] == D(2024, 3, 8)
    assert row["status"] == "on_time"  # answered on the due date
    assert row["working_days_used"] == 20
    assert row["limit_working_days"] == 20


def test_an_answer_the_day_after_the_due_date_is_late():
    # due Fri 8 Mar 2024 (above); Mon 11 Mar is the 21st working day
    row = _one(received=D(2024, 2, 5), closed=D(2024, 3, 11))
    assert (row["status"], row["working_days_used"]) == ("late", 21)


def test_national_day_2024_with_two_make_up_weekend_days():
    # Wed 25 Sep: 26, 27 = 1, 2; Sun 29 Sep = 3; Mon 30 Sep = 4; 1–7 Oct off; 8–11 Oct = 5–8; Sat 12 Oct = 9;
    # 14–18 = 10–14; 21–25 = 15–19; Mon 28 Oct = 20
    assert _one(received=D(2024, 9, 25))["due_on"] == D(2024, 10, 28)


def test_receipt_on_a_spring_festival_holiday_2023():
    # Mon 23 Jan 2023 is a holiday but still day 0: Sat 28, Sun 29 Jan = 1, 2; 30 Jan – 3 Feb = 3–7;
    # 6–10 Feb = 8–12; 13–17 Feb = 13–17; 20, 21, 22 Feb = 18, 19, 20
    row = _one(received=D(2023, 1, 23))
    assert row["due_on"] == D(2023, 2, 22)
    assert row["status"] == "open"


def test_extension_across_national_day_2023():
    # Mon 25 Sep 2023: 26–28 Sep = 1–3; 29 Sep – 6 Oct off; Sat 7, Sun 8 Oct = 4, 5; 9–13 Oct = 6–10;
    # 16–20 = 11–15; 23–27 = 16–20 (the unextended due date, Fri 27 Oct); 30 Oct – 3 Nov = 21–25;
    # 6–10 Nov = 26–30; 13–17 = 31–35; 20–24 Nov = 36–40
    assert _one(received=D(2023, 9, 25))["due_on"] == D(2023, 10, 27)
    row = _one(received=D(2023, 9, 25), extended=True, closed=D(2023, 11, 20))
    assert (row["due_on"], row["limit_working_days"], row["status"]) == (D(2023, 11, 24), 40, "on_time")
    assert row["working_days_used"] == 36


def test_the_2019_05_15_switch_from_15_to_20_working_days():
    # Tue 14 May 2019, old rules (15): 15–17 May = 1–3; 20–24 = 4–8; 27–31 = 9–13; Mon 3, Tue 4 Jun = 14, 15
    old = _one(received=D(2019, 5, 14))
    assert (old["due_on"], old["limit_working_days"]) == (D(2019, 6, 4), 15)
    # Wed 15 May 2019, new rules (20): 16, 17 = 1, 2; 20–24 = 3–7; 27–31 = 8–12; 3–6 Jun = 13–16; 7 Jun off
    # (Dragon Boat); 10–13 Jun = 17–20
    new = _one(received=D(2019, 5, 15))
    assert (new["due_on"], new["limit_working_days"]) == (D(2019, 6, 13), 20)
    # before the switch an extension doubles 15: 5–7 Jun (7 off) → 5, 6 Jun = 16, 17; 10–14 Jun = 18–22;
    # 17–21 = 23–27; 24–26 Jun = 28–30
    assert _one(received=D(2019, 5, 14), extended=True)["due_on"] == D(2019, 6, 26)


def test_a_correction_restarts_the_clock_from_the_corrected_request():
    # received Fri 1 Mar 2024, correction asked 5 Mar, corrected request Mon 11 Mar = day 0:
    # 12–15 Mar = 1–4; 18–22 = 5–9; 25–29 = 10–14; 1–3 Apr = 15–17; 4–6 Apr off; Sun 7 Apr = 18; 8, 9 Apr = 19, 20
    row = _one(received=D(2024, 3, 1), asked=D(2024, 3, 5), corrected=D(2024, 3, 11))
    assert (row["clock_start_on"], row["due_on"]) == (D(2024, 3, 11), D(2024, 4, 9))


def test_a_correction_never_received_has_no_due_date():
    row = _one(received=D(2024, 3, 1), asked=D(2024, 3, 5), closed=D(2024, 4, 30))
    assert row["due_on"] is None and row["status"] == "unknown"
    assert "补正" in row["unknown_reason"] and "correction" in row["unknown_reason"]


def test_third_party_days_push_the_due_date():
    # Mon 3 Jun 2024: 4–7 Jun = 1–4; Mon 10 Jun off (Dragon Boat); 11–14 = 5–8; 17–21 = 9–13; 24–28 = 14–18;
    # 1, 2 Jul = 19, 20 (due without consultation); 3–5 Jul = 21–23; Mon 8, Tue 9 Jul = 24, 25 (+5 third-party days)
    assert _one(received=D(2024, 6, 3))["due_on"] == D(2024, 7, 2)
    row = _one(received=D(2024, 6, 3), third=5, closed=D(2024, 7, 9))
    assert (row["due_on"], row["status"]) == (D(2024, 7, 9), "on_time")
    # 25 working days from day 0 to the answer, 5 of them waiting for the third party
    assert row["working_days_used"] == 20


def test_a_day_outside_the_calendar_is_unknown_with_how_to_add_the_year():
    # Sun 20 Dec 2026: 21–25 Dec = 1–5, 28–31 Dec = 6–9; the 10th is in 2027, which chinesecalendar 1.11 lacks
    row = _one(received=D(2026, 12, 20), closed=D(2027, 1, 20))
    assert row["due_on"] is None and row["status"] == "unknown"
    assert "2027" in row["unknown_reason"] and workdays.OVERRIDE_FILE in row["unknown_reason"]
    assert row["working_days_used"] is None  # never a Monday–Friday guess


def test_the_override_file_adds_a_year(tmp_path):
    (tmp_path / workdays.OVERRIDE_FILE).write_text("date,kind\n2027-01-01,holiday\n2027-02-06,workday\n", encoding="utf-8")
    calendar = workdays.load(tmp_path)
    assert calendar.last == D(2027, 12, 31) and calendar.problems == ()
    # as above 9 working days in 2026; Fri 1 Jan 2027 off; 4–8 Jan = 10–14; 11–15 = 15–19; Mon 18 Jan = 20
    assert _one(calendar, received=D(2026, 12, 20))["due_on"] == D(2027, 1, 18)
    numbers = dict(calendar.days.filter(pl.col("day").is_in([D(2027, 2, 5), D(2027, 2, 6), D(2027, 2, 8)])).select("day", "number").iter_rows())
    assert numbers[D(2027, 2, 6)] == numbers[D(2027, 2, 5)] + 1  # the listed Saturday is worked
    assert numbers[D(2027, 2, 8)] == numbers[D(2027, 2, 6)] + 1


def test_bad_override_rows_are_reported_one_line_each_and_left_out(tmp_path):
    (tmp_path / workdays.OVERRIDE_FILE).write_text(
        "date,kind\n2027-01-01,holiday\n2027/01/02,holiday\n2027-01-04,party\n2027-01-05,holiday\n2027-01-05,workday\n", encoding="utf-8"
    )
    calendar = workdays.load(tmp_path)
    assert len(calendar.problems) == 3
    assert [p.split("：")[0] for p in calendar.problems] == ["calendar.csv 第3行", "calendar.csv 第4行", "calendar.csv 第5行"]
    assert all("\n" not in p for p in calendar.problems)
    day = dict(calendar.days.select("day", "workday").iter_rows())
    assert day[D(2027, 1, 1)] is False
    assert day[D(2027, 1, 5)] is True  # a Tuesday, neither conflicting row used: the week decides


def test_an_override_without_its_columns_is_one_problem(tmp_path):
    (tmp_path / workdays.OVERRIDE_FILE).write_text("day,type\n2027-01-01,holiday\n", encoding="utf-8")
    calendar = workdays.load(tmp_path)
    assert len(calendar.problems) == 1 and calendar.last == D(2026, 12, 31)


def test_the_fingerprint_follows_the_days(tmp_path):
    plain = workdays.load(tmp_path)
    (tmp_path / workdays.OVERRIDE_FILE).write_text("date,kind\n2024-02-05,holiday\n", encoding="utf-8")
    assert workdays.load(tmp_path).fingerprint != plain.fingerprint
    assert workdays.load(None).fingerprint == plain.fingerprint


@pytest.mark.parametrize("years", [[2024], [2023, 2024]])
def test_rows_belong_to_the_year_of_receipt(years):
    frame = pl.DataFrame([_app(D(2023, 12, 29), app_id="a"), _app(D(2024, 1, 2), app_id="b")], schema=LEDGER)
    out = application_deadlines(frame, workdays.load(None), years)
    assert out.get_column("application_id").to_list() == (["b"] if years == [2024] else ["a", "b"])


def test_gongkai_validate_reports_the_override_files_bad_rows(tmp_path):
    from typer.testing import CliRunner

    from pipelines.cli import main
    from tests.support import ledger_fixtures as F

    F.write_hand_worked(tmp_path)
    (tmp_path / workdays.OVERRIDE_FILE).write_text("date,kind\n2027-01-01,holiday\n2027-13-01,holiday\n", encoding="utf-8")
    main._register()
    out = CliRunner().invoke(main.app, ["validate", str(tmp_path), "--raw", str(tmp_path)])
    assert out.exit_code == 1  # the hand-worked ledgers are clean: the calendar's bad row alone fails the check
    assert "calendar.csv 第3行" in out.stdout and "2027-13-01" in out.stdout
    (tmp_path / workdays.OVERRIDE_FILE).write_text("date,kind\n2027-01-01,holiday\n", encoding="utf-8")
    assert CliRunner().invoke(main.app, ["validate", str(tmp_path), "--raw", str(tmp_path)]).exit_code == 0
