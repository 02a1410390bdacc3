"""The day of a run, in the time zone reports are kept in: a date "after today" and a "year not over yet"
are judged by it. Every stage takes the day as a parameter (tests and GONGKAI_RUN_DATE set it)."""

import datetime as dt

TIMEZONE = "Asia/Shanghai"
_CHINA = dt.timezone(dt.timedelta(hours=8), "CST")  # China keeps one offset all year: no tz database needed


def today() -> dt.date:
    return dt.datetime.now(_CHINA).date()
