"""Review and litigation cases (复议诉讼) of the sample county: a short scripted docket, dates drawn by the seed."""

import datetime as dt
import random

from pipelines.defs.generate.county import BY_SHORT
from pipelines.defs.generate.records import Record

D = dt.date
# (respondent, proceeding, filed between, result or None while pending, days to conclusion)
DOCKET: tuple[tuple[str, str, tuple[dt.date, dt.date], str | None, int], ...] = (
    ("县政府", "review", (D(2021, 3, 1), D(2021, 5, 28)), "upheld", 55),
    ("自然资源局", "review", (D(2021, 6, 1), D(2021, 8, 31)), "corrected", 50),
    ("自然资源局", "litigation_direct", (D(2021, 9, 1), D(2021, 10, 15)), "upheld", 120),
    ("住建局", "review", (D(2022, 2, 7), D(2022, 4, 29)), "other", 30),  # withdrawn
    ("宝城街道", "review", (D(2022, 5, 5), D(2022, 7, 29)), "upheld", 58),
    ("县政府", "litigation_after_review", (D(2022, 10, 10), D(2022, 11, 18)), "upheld", 150),  # pending at end of 2022
    ("自然资源局", "review", (D(2022, 12, 5), D(2022, 12, 20)), "corrected", 56),  # pending at end of 2022
    ("市场监管局", "litigation_direct", (D(2023, 1, 9), D(2023, 3, 1)), "other", 90),
    ("住建局", "litigation_direct", (D(2023, 3, 6), D(2023, 5, 5)), "upheld", 160),
    ("鄌郚镇", "review", (D(2023, 4, 3), D(2023, 6, 30)), "upheld", 45),
    ("自然资源局", "review", (D(2023, 7, 3), D(2023, 8, 31)), "upheld", 50),
    ("自然资源局", "litigation_after_review", (D(2023, 9, 4), D(2023, 10, 31)), None, 0),  # still pending
    ("综合执法局", "review", (D(2023, 11, 20), D(2023, 12, 8)), "corrected", 45),  # concluded in 2024
    ("县政府", "review", (D(2023, 12, 1), D(2023, 12, 15)), "upheld", 70),  # concluded in 2024
)


def _case_id(respondent: str, proceeding: str, filed: dt.date, serial: int) -> str:
    if proceeding == "review":
        organ = "潍政复决字" if respondent == "县政府" else "乐政复决字"  # the county government reviews its own units
        return f"{organ}〔{filed.year}〕第{serial}号"
    return f"（{filed.year}）鲁0725行初{serial}号"


def docket(rng: random.Random, closed_applications: dict[str, list[Record]]) -> list[Record]:
    """The cases, each linked (when one fits) to an application of the respondent closed before filing."""
    cases = []
    serials = rng.sample(range(3, 70), len(DOCKET))  # one docket numbering: no two cases share a 案号
    for (respondent, proceeding, (first, last), result, days), serial in zip(DOCKET, serials, strict=True):
        agency = BY_SHORT[respondent]
        filed = first + dt.timedelta(days=rng.randint(0, (last - first).days))
        linked = [a for a in closed_applications.get(agency.code, []) if a.values["closed_on"] < filed]  # type: ignore[operator]
        values: dict[str, object] = {
            "case_id": _case_id(respondent, proceeding, filed, serial),
            "agency_code": agency.code,
            "application_id": linked[-1].values["application_id"] if linked and rng.random() < 0.7 else None,
            "proceeding": proceeding,
            "filed_on": filed,
            "concluded_on": filed + dt.timedelta(days=days + rng.randint(0, 10)) if result else None,
            "result": result,
        }
        cases.append(Record("appeals", values, filed.year))
    return cases


def as_exported(case: Record, exported_on: dt.date) -> Record:
    concluded = case.values.get("concluded_on")
    if concluded is None or concluded <= exported_on:  # type: ignore[operator]
        return case
    return Record(case.kind, dict(case.values, concluded_on=None, result=None), case.year)
