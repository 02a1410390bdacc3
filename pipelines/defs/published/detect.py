"""Who published the report, for which year, and in which format (2021 national or 2019 trial)."""

import datetime as dt
import re

from pipelines.defs.published.text import Document
from schemas import vocabulary as v

NATIONAL = "national-2021"
TRIAL = "trial-2019"

_TITLE = v.fold(v.REPORT_TITLE)
_NAME_YEAR = re.compile(rf"^(?:关于)?(?P<name>.*?)(?P<year>(?:19|20)\d\d)年度?{_TITLE}")
_YEAR_NAME = re.compile(rf"^(?P<year>(?:19|20)\d\d)年度?(?P<name>.*?){_TITLE}")
_PERIOD = re.compile(r"((?:19|20)\d\d)年1月1日(?:起)?至")
_DATE = re.compile(r"^(?:19|20)\d\d年\d{1,2}月\d{1,2}日$")
_DATE_PARTS = re.compile(r"^((?:19|20)\d\d)年(\d{1,2})月(\d{1,2})日$")


def signed_on(doc: Document) -> dt.date | None:
    """The date under the signature: a date alone on one of the report's last lines (a page number may follow)."""
    lines = [v.fold(t.text) for t in doc.tokens if t.text.strip()]
    for line in reversed(lines[-8:]):
        m = _DATE_PARTS.match(line)
        if m:
            try:
                return dt.date(*map(int, m.groups()))
            except ValueError:  # 2023年2月30日: not a date
                return None
    return None


def identify(doc: Document) -> tuple[str | None, int | None]:
    """(agency name, year) from the title ("XX人民政府2022年政府信息公开工作年度报告", possibly over two lines)."""
    lines = [v.fold(t.text) for t in doc.tokens if t.text.strip()]
    name, year = None, None
    for i, line in enumerate(lines[:12]):
        m = _NAME_YEAR.match(line) or _YEAR_NAME.match(line)
        if m:
            year = int(m.group("year"))
            name = m.group("name") or None
            if name is None and i > 0 and len(lines[i - 1]) <= 40:
                name = lines[i - 1]
            break
    if year is None:
        for line in lines:
            m = _PERIOD.search(line)
            if m:
                year = int(m.group(1))
                break
    if name is None:
        # the signature: the agency's name right above the date at the end
        for i in range(len(lines) - 1, max(len(lines) - 8, 0), -1):
            if _DATE.match(lines[i]) and len(lines[i - 1]) <= 40:
                name = lines[i - 1]
                break
    return name, year


def report_format(doc: Document) -> str | None:
    """TRIAL when a column heading only the trial format has is there, NATIONAL for one only the 2021 format has."""
    folded = [v.fold(t.text) for t in doc.tokens]
    trial = [v.fold(m) for m in v.TRIAL_FORMAT_MARKERS]
    national = [v.fold(m) for m in v.NATIONAL_FORMAT_MARKERS]
    if any(m in f for f in folded for m in trial):
        return TRIAL
    if any(m in f for f in folded for m in national):
        return NATIONAL
    return None
