"""Realistic reports in every format, consistent and broken, with the findings asserted exactly."""

import polars as pl
import pytest

from pipelines.defs.published.report import check_report, published_facts, to_object
from tests.support.published_reports import AGENCY, YEAR, Spec, write

FORMATS = ["txt", "html", "docx", "pdf"]


def findings(report) -> list[tuple]:
    return [(f.id, f.severity, f.table, f.row, f.column, f.values) for f in report.findings]


@pytest.mark.parametrize("fmt", FORMATS)
def test_consistent_report_reads_completely(fmt, tmp_path):
    report = check_report(write(Spec(), fmt, tmp_path))
    obj = to_object(report)
    assert (obj["agency_name"], obj["year"], obj["format"], obj["complete"]) == (AGENCY, YEAR, "national-2021", True)
    assert report.findings == []
    assert obj["channels"] == {"portal_column": 85, "website": 212, "wechat": 430, "total": 727}
    assert obj["proactive"]["normative_document"] == {"issued": 2, "repealed": 1, "in_force": 9}
    assert obj["proactive"]["license"] == {"decisions": 126}
    assert obj["proactive"]["admin_fee"] == {"amount_wan_yuan": 1.235}
    assert obj["applications"]["1"] == {
        "natural_person": 14,
        "commercial": 3,
        "research": 0,
        "social_welfare": 0,
        "legal_service": 1,
        "other_org": 0,
        "total": 18,
    }
    assert obj["applications"]["3.7"]["total"] == 18 and obj["applications"]["4"]["total"] == 2
    assert obj["applications"]["3.6.3"]["natural_person"] == 1 and obj["applications"]["3.4.1"]["commercial"] == 1
    assert obj["appeals"]["review"] == {"upheld": 1, "corrected": 1, "other": 0, "pending": 0, "total": 2}
    assert obj["appeals"]["litigation_direct"]["total"] == 1
    assert [(c["id"], c["status"]) for c in obj["checks"]] == [("A1", "pass"), ("A2", "pass"), ("A3", "pass"), ("R1", "pass"), ("N1", "pass"), ("S1", "pass")]
    assert obj["source"] == str(tmp_path / f"report.{fmt}") and obj["agency_code"] is None


def _set(cells: dict, changes: dict) -> None:
    for key, value in changes.items():
        assert key in cells
        cells[key] = value


def break_a1(s):  # carried over: 2 → 3 in natural_person and total; A3 still holds
    _set(s.applications, {("4", "natural_person"): "3", ("4", "total"): "3"})


def break_a2(s):  # 3.1 commercial 2 → 1 with its total, so only the column sums break
    _set(s.applications, {("3.1", "commercial"): "1", ("3.1", "total"): "7"})


def break_a3(s):  # move one natural-person application from 3.1 to 3.2: columns still add up, rows do not
    _set(s.applications, {("3.1", "natural_person"): "5", ("3.2", "natural_person"): "3"})


def break_r1(s):
    _set(s.appeals, {("review", "total"): "3"})


def break_n1(s):
    _set(s.proactive, {("license", "decisions"): "12.5", ("admin_fee", "amount_wan_yuan"): "-0.2"})


def break_s1(s):
    s.channels[2] = ("“城关发布”微信公众号", 431)


def break_narrative(s):
    s.applications_sentence = "{year}年度，共收到政府信息公开申请17件。"


def blank_and_slash(s):
    _set(s.applications, {("3.3.1", "research"): "/", ("3.5.3", "social_welfare"): ""})


CASES = {
    "A1": (
        break_a1,
        [
            ("A1", "error", "A", None, "natural_person", {"lhs": 16, "rhs": 17}),
            ("A1", "error", "A", None, "total", {"lhs": 20, "rhs": 21}),
        ],
    ),
    "A2": (
        break_a2,
        [
            ("A2", "error", "A", "3.7", "commercial", {"lhs": 3, "rhs": 2}),
            ("A2", "error", "A", "3.7", "total", {"lhs": 18, "rhs": 17}),
        ],
    ),
    "A3": (
        break_a3,
        [
            ("A3", "error", "A", "3.1", "total", {"lhs": 8, "rhs": 7}),
            ("A3", "error", "A", "3.2", "total", {"lhs": 3, "rhs": 4}),
        ],
    ),
    "R1": (break_r1, [("R1", "error", "R", "review", "total", {"lhs": 3, "rhs": 2})]),
    "N1": (
        break_n1,
        [
            ("N1", "error", "P", "license", "decisions", {"lhs": 12.5, "rhs": 0}),
            ("N1", "error", "P", "admin_fee", "amount_wan_yuan", {"lhs": -0.2, "rhs": 0}),
        ],
    ),
    "S1": (
        break_s1,
        [("S1", "error", "text", None, "total", {"channels": {"website": 212, "portal_column": 85, "wechat": 431}, "sum": 728, "stated_total": 727})],
    ),
    "narrative": (break_narrative, [("narrative_mismatch", "error", "text", "1", "total", {"stated": 17, "table": 18})]),
    "blank": (
        blank_and_slash,
        [
            ("cell_placeholder", "warning", "A", "3.3.1", "research", {"text": "/"}),
            ("cell_blank", "warning", "A", "3.5.3", "social_welfare", {"text": ""}),
        ],
    ),
}


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("case", list(CASES))
def test_broken_reports_give_exact_findings(case, fmt, tmp_path):
    breaker, expected = CASES[case]
    spec = Spec()
    breaker(spec)
    report = check_report(write(spec, fmt, tmp_path))
    assert findings(report) == expected
    assert report.has_errors == any(e[1] == "error" for e in expected)


def test_messages_name_the_cells_and_numbers(tmp_path):
    spec = Spec()
    break_a1(spec)
    report = check_report(write(spec, "txt", tmp_path))
    assert report.findings[0].message == (
        "表A 自然人列：第一项(14)+第二项(2)=16 ≠ 第三项总计(14)+第四项(3)=17 / table A natural_person: row 1 + row 2 = 16 ≠ row 3.7 + row 4 = 17"
    )
    spec = Spec()
    break_narrative(spec)
    msg = check_report(write(spec, "txt", tmp_path)).findings[0].message
    assert "共收到政府信息公开申请17件" in msg and "正文所述本年新收申请数为17，表A为18" in msg and "table A says 18" in msg


def test_blank_and_slash_cells_are_null_not_zero(tmp_path):
    spec = Spec()
    blank_and_slash(spec)
    report = check_report(write(spec, "docx", tmp_path))
    obj = to_object(report)
    assert obj["applications"]["3.3.1"]["research"] is None
    assert obj["applications"]["3.5.3"]["social_welfare"] is None
    assert obj["applications"]["3.3.1"]["natural_person"] == 0
    assert obj["complete"] is False
    # the relations touching a missing cell are not checked, the others are
    checks = {c["id"]: c for c in obj["checks"]}
    assert checks["A2"]["status"] == "pass" and "另有2项因缺值未核对" in checks["A2"]["message"]
    assert checks["A3"]["status"] == "pass" and "另有2项因缺值未核对" in checks["A3"]["message"]
    facts = report.facts()
    apps = facts["applications"]
    assert apps.height == 25 * 7 - 2
    assert apps.filter((pl.col("row_key") == "3.3.1") & (pl.col("column_key") == "research")).is_empty()


def test_published_facts_seam(tmp_path):
    a = check_report(write(Spec(), "txt", tmp_path))
    (tmp_path / "b").mkdir()
    spec = Spec()
    blank_and_slash(spec)
    b = check_report(write(spec, "html", tmp_path / "b"))
    facts = published_facts([a, b])
    assert set(facts) == {"reports", "proactive", "applications", "appeals", "channels"}
    assert facts["reports"].select("source", "agency_name", "year", "format", "errors", "warnings").rows() == [
        (a.source, AGENCY, YEAR, "national-2021", 0, 0),
        (b.source, AGENCY, YEAR, "national-2021", 0, 2),
    ]
    apps = facts["applications"]
    assert apps.columns == ["agency_code", "year", "row_key", "column_key", "value", "source", "agency_name"]
    assert apps.filter(pl.col("source") == a.source).height == 175 and apps.filter(pl.col("source") == b.source).height == 173
    assert apps["agency_code"].null_count() == apps.height  # a published report prints no code: the loader resolves it
    assert facts["channels"].filter(pl.col("source") == a.source).sort("channel").select("channel", "value").rows() == [
        ("portal_column", 85),
        ("website", 212),
        ("wechat", 430),
    ]
    assert facts["proactive"].schema["value"] == pl.Float64
