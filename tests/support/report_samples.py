"""Agency-years to render without a warehouse: for tests, demos and a first look.

`sample_tables()` is a hand-worked agency-year with non-zero values that
balance (A1–A3, R1, S1); `tangwu_2022_tables()` is 昌乐县鄌郚镇 2022 as its
published report states it (tests/published/fixtures/seed-report-2022.txt).
"""

from __future__ import annotations

import copy
from datetime import date

from pipelines.defs.reports.context import ReportContext
from pipelines.defs.reports.narrative import load_narrative, parse_narrative
from pipelines.settings import PROJECT_ROOT
from schemas.vocabulary import (
    APPEAL_GROUP_KEYS,
    APPEAL_RESULT_KEYS,
    APPLICANT_KEYS,
    APPLICATION_ROW_KEYS,
    PROACTIVE_ITEMS,
    RELATIONS,
)

TANGWU_CODE = "11370725MB28501425"
TANGWU_NAME = "昌乐县鄌郚镇人民政府"
SAMPLE_CODE = "11370725MB28503006"
SAMPLE_NAME = "昌乐县示例街道办事处"


def zero_tables(agency_code: str, agency_name: str, year: int) -> dict:
    """The tables object of interfaces.md with every cell zero and every check passing."""
    return {
        "agency_code": agency_code,
        "agency_name": agency_name,
        "year": year,
        "complete": True,
        "proactive": {i.key: {m.key: (0.0 if m.key == "amount_wan_yuan" else 0) for m in i.metrics} for i in PROACTIVE_ITEMS},
        "channels": {"total": 0},
        "applications": {r: dict.fromkeys(APPLICANT_KEYS + ("total",), 0) for r in APPLICATION_ROW_KEYS},
        "appeals": {g: dict.fromkeys(APPEAL_RESULT_KEYS, 0) for g in APPEAL_GROUP_KEYS},
        "checks": [{"id": r.id, "status": "pass", "message": ""} for r in RELATIONS if r.id not in ("A4", "P1")],
    }


def _set_applications(tables: dict, cells: dict[str, dict[str, int]]) -> None:
    """Fill applicant columns, then the derived total column and row 3.7 (A2, A3)."""
    apps = tables["applications"]
    for row, cols in cells.items():
        apps[row].update(cols)
    outcome_rows = [k for k in APPLICATION_ROW_KEYS if k.startswith("3.") and k != "3.7"]
    for col in APPLICANT_KEYS:
        apps["3.7"][col] = sum(apps[k][col] for k in outcome_rows)
    for row in APPLICATION_ROW_KEYS:
        apps[row]["total"] = sum(apps[row][c] for c in APPLICANT_KEYS)


# The hand-worked year (2022): 18 new + 3 carried = 19 closed + 2 carried on.
#   natural_person: 12 + 2 = 13 (3.1:5, 3.2:2, 3.3.4:1, 3.4.1:3, 3.5.2:1, 3.6.1:1) + 1
#   commercial:      3 + 1 =  3 (3.1:1, 3.3.5:1, 3.4.2:1) + 1
#   social_welfare:  1 + 0 =  1 (3.1:1) + 0
#   legal_service:   2 + 0 =  2 (3.2:1, 3.6.3:1) + 0
SAMPLE_APPLICATIONS = {
    "1": {"natural_person": 12, "commercial": 3, "social_welfare": 1, "legal_service": 2},
    "2": {"natural_person": 2, "commercial": 1},
    "3.1": {"natural_person": 5, "commercial": 1, "social_welfare": 1},
    "3.2": {"natural_person": 2, "legal_service": 1},
    "3.3.4": {"natural_person": 1},
    "3.3.5": {"commercial": 1},
    "3.4.1": {"natural_person": 3},
    "3.4.2": {"commercial": 1},
    "3.5.2": {"natural_person": 1},
    "3.6.1": {"natural_person": 1},
    "3.6.3": {"legal_service": 1},
    "4": {"natural_person": 1, "commercial": 1},
}


def sample_tables(year: int = 2022) -> dict:
    tables = zero_tables(SAMPLE_CODE, SAMPLE_NAME, year)
    tables["proactive"]["normative_document"] = {"issued": 4, "repealed": 1, "in_force": 23}
    tables["proactive"]["license"]["decisions"] = 156
    tables["proactive"]["penalty"]["decisions"] = 37
    tables["proactive"]["enforcement"]["decisions"] = 5
    tables["proactive"]["admin_fee"]["amount_wan_yuan"] = 1.2345
    tables["channels"] = {"portal_column": 120, "website": 45, "wechat": 210, "total": 375}
    _set_applications(tables, SAMPLE_APPLICATIONS)
    tables["appeals"]["review"] = {"upheld": 1, "corrected": 1, "other": 0, "pending": 1, "total": 3}
    tables["appeals"]["litigation_direct"] = {"upheld": 1, "corrected": 0, "other": 0, "pending": 0, "total": 1}
    tables["appeals"]["litigation_after_review"] = {"upheld": 0, "corrected": 0, "other": 1, "pending": 0, "total": 1}
    return tables


def sample_previous_tables() -> dict:
    """2021 of the same agency: its row 4 is 2022's row 2 (A4)."""
    tables = zero_tables(SAMPLE_CODE, SAMPLE_NAME, 2021)
    tables["proactive"]["normative_document"] = {"issued": 3, "repealed": 0, "in_force": 20}
    tables["proactive"]["license"]["decisions"] = 140
    tables["channels"] = {"portal_column": 100, "wechat": 180, "total": 280}
    _set_applications(
        tables,
        {
            "1": {"natural_person": 9, "commercial": 2},
            "3.1": {"natural_person": 4, "commercial": 1},
            "3.4.1": {"natural_person": 3},
            "4": {"natural_person": 2, "commercial": 1},
        },
    )
    return tables


SAMPLE_NARRATIVE = """\
## 前言
本报告依据《中华人民共和国政府信息公开条例》编制，所列数据统计期限自2022年1月1日起至2022年12月31日止。
## 一、总体情况
（一）主动公开情况
{{主动公开}}
（二）依申请公开情况
{{依申请}}
## 五、存在的主要问题及改进情况
一是公开内容的规范性有待加强。
## 六、其他需要报告的事项
（一）收取信息处理费情况。{{信息处理费}}
（二）本行政机关认为需要报告的其他事项。无。
"""


def sample_context(**overrides) -> ReportContext:
    """The hand-worked agency-year, clean (publishable) unless overridden."""
    values = dict(
        tables=sample_tables(),
        fees_collected_yuan=300.0,
        quarantined_rows=0,
        narrative=parse_narrative(SAMPLE_NARRATIVE, source="samples.SAMPLE_NARRATIVE"),
        draft_reasons=[],
        generated_on=date(2023, 1, 15),
    )
    values.update(overrides)
    return ReportContext(**values)


def tangwu_2022_tables() -> dict:
    tables = zero_tables(TANGWU_CODE, TANGWU_NAME, 2022)
    tables["channels"] = {"portal_column": 11, "wechat": 368, "total": 379}
    return tables


def tangwu_2022_context() -> ReportContext:
    """鄌郚镇 2022 with the narrative shipped in data/narratives (text of the published report)."""
    return ReportContext(
        tables=tangwu_2022_tables(),
        fees_collected_yuan=0.0,
        narrative=load_narrative(TANGWU_CODE, 2022, PROJECT_ROOT / "data" / "narratives"),
        generated_on=date(2023, 1, 10),
    )


def failing_variant(tables: dict) -> dict:
    """A copy of `tables` that broke A1 and has quarantined rows (what a reviewer must see)."""
    broken = copy.deepcopy(tables)
    broken["complete"] = False
    broken["applications"]["4"]["natural_person"] += 1
    broken["applications"]["4"]["total"] += 1
    for check in broken["checks"]:
        if check["id"] == "A1":
            check.update(status="fail", message="自然人列：1+2=14，3.7+4=15 / natural_person: 14 ≠ 15")
    return broken
