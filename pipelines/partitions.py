"""Partitions, declared once: report years."""

import datetime as dt

import dagster as dg

TIMEZONE = "Asia/Shanghai"
FIRST_YEAR = "2019"  # the first year of the 2019 regulation; earlier years are read from published reports

# Dagster has no yearly class; a yearly time window. end_offset=1 keeps the current, unfinished year.
yearly = dg.TimeWindowPartitionsDefinition(
    start=FIRST_YEAR, fmt="%Y", cron_schedule="0 0 1 1 *", timezone=TIMEZONE, end_offset=1
)


def refresh_years(today: dt.date) -> list[int]:
    """Years a nightly run refreshes: the current one, and the previous one until its report is due (31 January)."""
    years = [today.year]
    if today.month == 1:
        years.insert(0, today.year - 1)
    return years
