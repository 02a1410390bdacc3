"""The real seed report, a 2019 trial-format report and a layout the checker was not written against."""

import json
import re
import unicodedata
from pathlib import Path

from pipelines.cli.check import render_text
from pipelines.defs.published.report import check_report, to_object
from schemas import vocabulary as v

FIXTURES = Path(__file__).parent / "fixtures"
SEED = FIXTURES / "seed-report-2022.txt"
TRIAL = FIXTURES / "trial-2019-format-2020.txt"
UNSEEN = FIXTURES / "unseen-pipe-layout-2021.txt"


def test_seed_is_read_completely():
    report = check_report(SEED)
    obj = to_object(report)
    assert (obj["agency_name"], obj["year"], obj["format"]) == ("昌乐县鄌郚镇人民政府", 2022, "national-2021")
    assert obj["complete"] is True
    assert obj["channels"] == {"portal_column": 11, "wechat": 368, "total": 379}
    assert all(val == 0 for cells in obj["proactive"].values() for val in cells.values())
    assert set(obj["applications"]) == set(v.APPLICATION_ROW_KEYS)
    assert all(val == 0 for cells in obj["applications"].values() for val in cells.values())
    assert all(len(cells) == 7 for cells in obj["applications"].values())
    assert all(val == 0 for cells in obj["appeals"].values() for val in cells.values())
    assert report.findings == [] and not report.has_errors
    assert {c["id"]: c["status"] for c in obj["checks"]} == {"A1": "pass", "A2": "pass", "A3": "pass", "R1": "pass", "N1": "pass", "S1": "pass"}
    # "未接到…申请" is a stated 0, consistent with row 1
    assert report.narrative.applications_stated[0][0] == 0
    json.dumps(obj, ensure_ascii=False)


def test_trial_format_is_recognized():
    report = check_report(TRIAL)
    obj = to_object(report)
    assert (obj["agency_name"], obj["year"], obj["format"]) == ("青州市王府街道办事处", 2020, "trial-2019")
    # only 处理决定数量 means the same in both formats; the rest of table P is not invented
    assert obj["proactive"]["license"] == {"decisions": 340}
    assert obj["proactive"]["penalty"] == {"decisions": 56} and obj["proactive"]["enforcement"] == {"decisions": 3}
    assert obj["proactive"]["normative_document"] == {"issued": None, "repealed": None, "in_force": None}
    assert obj["proactive"]["admin_fee"] == {"amount_wan_yuan": None}
    # （六）其他处理 is one row: 3.6.1–3.6.3 unknown, the group's numbers in the finding
    assert all(obj["applications"][k][c] is None for k in ("3.6.1", "3.6.2", "3.6.3") for c in v.APPLICATION_COLUMN_KEYS)
    assert [(f.id, f.severity, f.row) for f in report.findings] == [("trial_format", "warning", None), ("row_aggregated", "warning", "3.6")]
    assert report.findings[1].values == {
        "natural_person": 1,
        "commercial": 0,
        "research": 0,
        "social_welfare": 0,
        "legal_service": 0,
        "other_org": 0,
        "total": 1,
    }
    # A2 is still checked, against the group's one row
    assert {c["id"]: c["status"] for c in obj["checks"]}["A2"] == "pass"
    assert obj["complete"] is False and obj["channels"] == {"website": 236, "wechat": 180, "total": 416}


def test_trial_format_a2_failure_names_the_group_row(tmp_path):
    text = TRIAL.read_text(encoding="utf-8").replace("（六）其他处理\t1\t0", "（六）其他处理\t2\t0")
    path = tmp_path / "trial.txt"
    path.write_text(text, encoding="utf-8")
    report = check_report(path)
    got = [(f.id, f.row, f.column, f.values) for f in report.findings if f.severity == "error"]
    assert got == [("A2", "3.7", "natural_person", {"lhs": 8, "rhs": 9}), ("A3", "3.6", "total", {"lhs": 1, "rhs": 2})]


def _numbers(text: str) -> set[str]:
    return set(re.findall(r"\d+(?:\.\d+)?", unicodedata.normalize("NFKC", text)))


def test_unseen_layout_reads_and_prints_only_numbers_in_the_file():
    report = check_report(UNSEEN)
    obj = to_object(report)
    assert (obj["agency_name"], obj["year"], obj["format"]) == ("潍坊市寒亭区市场监督管理局", 2021, "national-2021")
    source = UNSEEN.read_text(encoding="utf-8")
    in_file = _numbers(source)
    printed = set()
    for cells in (*obj["proactive"].values(), *obj["applications"].values(), *obj["appeals"].values(), obj["channels"]):
        printed |= {str(x) for x in cells.values() if x is not None}
    assert printed <= in_file | {"0.0"} and "0.0000" in source  # the fee is printed 0.0000 in the file
    # the tables part of the text output, too
    text = render_text(obj)
    tables = text.split("核对 / checks:")[0].split("\n", 2)[2]
    assert _numbers(tables) <= in_file, _numbers(tables) - in_file
    # what it reads is what the file says
    assert obj["proactive"]["license"] == {"decisions": 1268}  # full-width digits
    assert obj["applications"]["2"]["total"] == 1 and obj["applications"]["4"]["total"] == 1  # 上年转结 / 转结下年度
    assert obj["applications"]["3.3.4"]["commercial"] == 1
    assert obj["applications"]["3.4.3"]["total"] == 0  # the first row after the page break and repeated header
    assert obj["appeals"]["litigation_direct"] == {"upheld": 0, "corrected": 0, "other": 0, "pending": 1, "total": 1}
    assert obj["channels"] == {"portal_column": 64, "website": 152, "weibo": 37, "total": 253}
    assert obj["complete"] is True and report.findings == []
