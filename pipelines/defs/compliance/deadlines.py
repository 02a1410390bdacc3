"""The statutory due date of every application (Regulations art. 33) and whether it was answered by then.

Counting (docs/deadlines.md): the day of receipt — or, when a correction (补正) was asked for, the day the
corrected request arrived — is day 0; the due date is the 20th working day after it (40th when extended;
15th / 30th for applications received before 2019-05-15, when the old Regulations applied), pushed by the
working days spent waiting for a third party's opinion. An answer on the due date is on time.

No personal data: only dates, flags and ids of accepted application rows are read.
"""

import datetime as dt

import polars as pl

from pipelines.defs.calendar import workdays
from pipelines.defs.calendar.workdays import Calendar

REVISED = dt.date(2019, 5, 15)  # the revised Regulations in force: 20 (+20) working days instead of 15 (+15)
LIMIT, LIMIT_BEFORE_2019 = 20, 15
STATUSES = ("on_time", "late", "open", "unknown")

DEADLINE = pl.Schema(
    {
        "agency_code": pl.String,
        "year": pl.Int32,  # the year the application was received in
        "application_id": pl.String,
        "received_on": pl.Date,
        "clock_start_on": pl.Date,  # day 0: receipt, or the corrected request's arrival
        "limit_working_days": pl.Int32,  # 20, 40 when extended (15, 30 before 2019-05-15)
        "third_party_days": pl.Int32,
        "due_on": pl.Date,
        "closed_on": pl.Date,
        "working_days_used": pl.Int32,  # working days after day 0 up to the answer, third-party days not counted
        "status": pl.String,  # STATUSES
        "unknown_reason": pl.String,  # why due_on is null (Chinese / English)
    }
)

# Columns a ledger may leave out (an older export, a hand-made test frame): read as empty.
_OPTIONAL = {
    "application_id": pl.String,
    "correction_requested_on": pl.Date,
    "correction_received_on": pl.Date,
    "third_party_days": pl.Int64,
    "extended": pl.Boolean,
    "closed_on": pl.Date,
}

_CORRECTION_PENDING = "已告知补正但未收到补正材料，答复期限尚未起算 / a correction was asked for and never received: the time limit has not started"


def application_deadlines(apps: pl.DataFrame | pl.LazyFrame, calendar: Calendar, years: list[int]) -> pl.DataFrame:
    """One row per accepted application received in `years` (DEADLINE), in agency, id order."""
    apps = apps.lazy()
    have = apps.collect_schema().names()
    base = (
        apps.with_columns([pl.lit(None, dtype).alias(c) for c, dtype in _OPTIONAL.items() if c not in have])
        .filter(pl.col("received_on").dt.year().is_in(years))
        .select(
            "agency_code",
            pl.col("received_on").dt.year().cast(pl.Int32).alias("year"),
            "application_id",
            "received_on",
            # asked and never received: the clock never started again (the applicant is deemed to withdraw)
            pl.when(pl.col("correction_requested_on").is_not_null() & pl.col("correction_received_on").is_null())
            .then(None)
            .otherwise(pl.coalesce("correction_received_on", "received_on"))
            .alias("clock_start_on"),
            (
                pl.when(pl.col("received_on") < REVISED).then(LIMIT_BEFORE_2019).otherwise(LIMIT)
                * pl.when(pl.col("extended").fill_null(False)).then(2).otherwise(1)
            )
            .cast(pl.Int32)
            .alias("limit_working_days"),
            pl.col("third_party_days").fill_null(0).clip(lower_bound=0).cast(pl.Int32).alias("third_party_days"),
            "closed_on",
        )
        .with_columns((pl.col("limit_working_days") + pl.col("third_party_days")).alias("_n"))
    )
    out = workdays.add_working_days(base, calendar, "clock_start_on", "_n", "due_on")
    out = workdays.working_days_between(out, calendar, "clock_start_on", "closed_on", "_between")
    gap = pl.col("due_on_gap")
    reason = (
        pl.when(pl.col("due_on").is_not_null())
        .then(None)
        .when(pl.col("clock_start_on").is_null())
        .then(pl.lit(_CORRECTION_PENDING))
        .otherwise(pl.format("{}", gap))
    )
    status = (
        pl.when(pl.col("closed_on").is_null())
        .then(pl.lit("open"))
        .when(pl.col("due_on").is_null())
        .then(pl.lit("unknown"))
        .when(pl.col("closed_on") <= pl.col("due_on"))
        .then(pl.lit("on_time"))
        .otherwise(pl.lit("late"))
    )
    frame = (
        out.with_columns(
            (pl.col("_between") - pl.col("third_party_days")).alias("working_days_used"),
            status.alias("status"),
            reason.alias("unknown_reason"),
        )
        .select(list(DEADLINE))
        .cast(dict(DEADLINE))
        .sort("agency_code", "application_id", maintain_order=True)
        .collect()
    )
    # the calendar's message names the missing year; one message per distinct year, not per row
    missing = frame.filter(pl.col("due_on").is_null() & pl.col("clock_start_on").is_not_null()).get_column("unknown_reason").unique().to_list()
    if not missing:
        return frame
    messages = pl.DataFrame({"unknown_reason": missing, "_m": [workdays.uncovered_message(int(y)) for y in missing]})
    return (
        frame.join(messages, on="unknown_reason", how="left", maintain_order="left")
        .with_columns(pl.coalesce("_m", "unknown_reason").alias("unknown_reason"))
        .drop("_m")
        .select(list(DEADLINE))
    )
