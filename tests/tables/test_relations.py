"""The consistency relations over hand-worked fact frames, several agency-years at once."""

import polars as pl
import pytest

from pipelines.defs.tables import frames
from pipelines.defs.tables.relations import check_results, instances, violations
from schemas import vocabulary as v


def apps(agency: str, year: int, cells: dict[tuple[str, str], int] | None = None) -> pl.DataFrame:
    """All 25 × 7 cells of one agency-year, zeros except `cells`."""
    cells = cells or {}
    rows = [
        {"agency_code": agency, "year": year, "row_key": r, "column_key": c, "value": cells.get((r, c), 0)}
        for r in v.APPLICATION_ROW_KEYS
        for c in v.APPLICATION_COLUMN_KEYS
    ]
    return pl.DataFrame(rows, schema=frames.APPLICATION)


def appeals(agency: str, year: int, cells: dict[tuple[str, str], int] | None = None) -> pl.DataFrame:
    cells = cells or {}
    rows = [{"agency_code": agency, "year": year, "group_key": g, "result": r, "value": cells.get((g, r), 0)} for g, r in v.APPEAL_CELLS]
    return pl.DataFrame(rows, schema=frames.APPEAL)


def proactive(agency: str, year: int, cells: dict[tuple[str, str], float] | None = None) -> pl.DataFrame:
    cells = cells or {}
    rows = [{"agency_code": agency, "year": year, "item": i, "metric": m, "value": float(cells.get((i, m), 0.0))} for i, m in v.PROACTIVE_CELLS]
    return pl.DataFrame(rows, schema=frames.PROACTIVE)


def consistent_apps(agency: str, year: int, carried_in: int = 0, new: int = 3, carried_out: int = 1) -> pl.DataFrame:
    """A natural-person-only table that satisfies A1–A3: new + carried_in = closed + carried_out."""
    closed = new + carried_in - carried_out
    cells = {}
    for col in ("natural_person", "total"):
        cells |= {("1", col): new, ("2", col): carried_in, ("3.1", col): closed, ("3.7", col): closed, ("4", col): carried_out}
    return apps(agency, year, cells)


def by_check(df: pl.DataFrame) -> dict[tuple[str, int, str], str]:
    return {(a, y, c): s for a, y, c, s in df.select("agency_code", "year", "check_id", "status").iter_rows()}


def test_all_zero_agency_passes_every_single_year_relation():
    res = check_results(apps("X", 2022), appeals("X", 2022), proactive("X", 2022))
    assert res.columns == list(frames.CHECK_RESULT)
    assert res["check_id"].to_list() == ["A1", "A2", "A3", "R1", "N1"]  # A4 and P1 need 2021: not applicable
    assert set(res["status"]) == {"pass"}
    assert violations(apps("X", 2022), appeals("X", 2022), proactive("X", 2022)).is_empty()


def test_a1_failure_message_and_numbers():
    # natural_person: new 3 + carried in 1 = 4, closed 2 + carried out 1 = 3
    cells = {("1", "natural_person"): 3, ("2", "natural_person"): 1, ("3.1", "natural_person"): 2, ("3.7", "natural_person"): 2, ("4", "natural_person"): 1}
    cells |= {(r, "total"): val for (r, c), val in cells.items()}
    viol = violations(apps("X", 2022, cells), None, None)
    a1 = viol.filter(pl.col("check_id") == "A1")
    assert a1.select("column_key", "lhs", "rhs").rows() == [("natural_person", 4.0, 3.0), ("total", 4.0, 3.0)]
    assert a1["message"][0] == (
        "表A 自然人列：第一项(3)+第二项(1)=4 ≠ 第三项总计(2)+第四项(1)=3 / table A natural_person: row 1 + row 2 = 4 ≠ row 3.7 + row 4 = 3"
    )
    assert a1["detail"][0] == "3 + 1 = 4 ≠ 2 + 1 = 3"
    assert a1["severity"].to_list() == ["error", "error"]
    assert set(viol["check_id"]) == {"A1"}


def test_a2_fails_when_outcomes_do_not_add_up_to_row_3_7():
    df = consistent_apps("X", 2022).with_columns(
        value=pl.when((pl.col("row_key") == "3.7") & (pl.col("column_key") == "natural_person")).then(5).otherwise(pl.col("value"))
    )
    viol = violations(df, None, None)
    a2 = viol.filter(pl.col("check_id") == "A2")
    assert a2.select("row_key", "column_key", "lhs", "rhs").rows() == [("3.7", "natural_person", 5.0, 2.0)]
    # 3.7 changed, so A1 and A3 break too on that cell
    assert set(viol["check_id"]) == {"A1", "A2", "A3"}


def test_a3_fails_per_row():
    df = consistent_apps("X", 2022).with_columns(
        value=pl.when((pl.col("row_key") == "1") & (pl.col("column_key") == "commercial")).then(2).otherwise(pl.col("value"))
    )
    a3 = violations(df, None, None).filter(pl.col("check_id") == "A3")
    assert a3.select("row_key", "column_key", "lhs", "rhs").rows() == [("1", "total", 3.0, 5.0)]
    assert a3["message"][0].startswith("表A「一、本年新收政府信息公开申请数量」行：总计(3) ≠ 六类申请人之和(5)")


def test_r1_per_group():
    ok = appeals("X", 2022, {("review", "upheld"): 1, ("review", "pending"): 2, ("review", "total"): 3})
    bad = appeals("Y", 2022, {("litigation_direct", "corrected"): 1, ("litigation_direct", "total"): 2})
    viol = violations(None, pl.concat([ok, bad]), None)
    assert viol.select("agency_code", "check_id", "row_key", "lhs", "rhs").rows() == [("Y", "R1", "litigation_direct", 2.0, 1.0)]
    assert "表R 行政诉讼（未经复议直接起诉）：总计(2) ≠ 结果维持(0)+结果纠正(1)+其他结果(0)+尚未审结(0)=1" in viol["message"][0]
    res = by_check(check_results(None, pl.concat([ok, bad]), None))
    assert res[("X", 2022, "R1")] == "pass" and res[("Y", 2022, "R1")] == "fail"


def test_n1_negative_and_fractional_counts_and_negative_amounts():
    pro = proactive("X", 2022, {("regulation", "issued"): 1.5, ("admin_fee", "amount_wan_yuan"): 0.25, ("license", "decisions"): -1})
    pro2 = proactive("Y", 2022, {("admin_fee", "amount_wan_yuan"): -0.5})
    app = apps("X", 2022, {("3.1", "research"): -2})
    viol = violations(app, None, pl.concat([pro, pro2])).filter(pl.col("check_id") == "N1")
    assert viol.select("agency_code", "table", "row_key", "column_key", "lhs").rows() == [
        ("X", "P", "regulation", "issued", 1.5),
        ("X", "P", "license", "decisions", -1.0),
        ("X", "A", "3.1", "research", -2.0),
        ("Y", "P", "admin_fee", "amount_wan_yuan", -0.5),
    ]
    assert viol["message"][0] == "表P 规章·本年制发件数：1.5 不是非负整数 / table P regulation issued: 1.5 is not a whole number ≥ 0"
    assert viol["message"][3].endswith("table P admin_fee amount_wan_yuan: -0.5 is negative")


def test_a4_across_years_in_the_same_frames_and_from_previous():
    a21 = consistent_apps("X", 2021, carried_out=1)
    a22 = consistent_apps("X", 2022, carried_in=2)  # should be 1
    b22 = consistent_apps("Y", 2022, carried_in=1)  # Y has no 2021 anywhere: A4 not applicable
    res = by_check(check_results(pl.concat([a21, a22, b22]), None, None))
    assert res[("X", 2022, "A4")] == "fail"
    assert ("X", 2021, "A4") not in res and ("Y", 2022, "A4") not in res
    viol = violations(pl.concat([a21, a22, b22]), None, None).filter(pl.col("check_id") == "A4")
    assert viol.select("agency_code", "year", "row_key", "column_key", "lhs", "rhs").rows() == [
        ("X", 2022, "2", "natural_person", 2.0, 1.0),
        ("X", 2022, "2", "total", 2.0, 1.0),
    ]
    assert "本年第二项“上年结转”(2) ≠ 2021年第四项“结转下年度”(1)" in viol["message"][0]
    # the same Y−1 passed as last year's published figures
    res = by_check(check_results(pl.concat([a22, b22]), None, None, previous_applications=pl.concat([a21, consistent_apps("Y", 2021)])))
    assert res[("X", 2022, "A4")] == "fail" and res[("Y", 2022, "A4")] == "pass"


def test_p1_is_a_warning_across_years():
    p21 = proactive("X", 2021, {("normative_document", "in_force"): 10})
    p22 = proactive("X", 2022, {("normative_document", "issued"): 3, ("normative_document", "repealed"): 1, ("normative_document", "in_force"): 11})
    q21 = proactive("Y", 2021, {("regulation", "in_force"): 2})
    q22 = proactive("Y", 2022, {("regulation", "issued"): 1, ("regulation", "in_force"): 3})
    both = pl.concat([p21, p22, q21, q22])
    res = check_results(None, None, both)
    status = by_check(res)
    assert status[("X", 2022, "P1")] == "warn" and status[("Y", 2022, "P1")] == "pass"
    assert ("X", 2021, "P1") not in status
    assert res.filter((pl.col("agency_code") == "X") & (pl.col("check_id") == "P1"))["severity"].item() == "warning"
    viol = violations(None, None, both).filter(pl.col("check_id") == "P1")
    assert viol.select("agency_code", "row_key", "lhs", "rhs", "severity").rows() == [("X", "normative_document", 11.0, 12.0, "warning")]
    assert viol["detail"][0] == "11 ≠ 10 + 3 − 1 = 12"


def test_many_agencies_at_once():
    n = 300
    app = pl.concat([consistent_apps(f"G{i:03d}", 2022, carried_in=0) for i in range(n)])
    bad = app.with_columns(
        value=pl.when((pl.col("agency_code") == "G123") & (pl.col("row_key") == "4") & (pl.col("column_key") == "total")).then(7).otherwise(pl.col("value"))
    )
    res = check_results(bad, None, None)
    assert res.height == n * 4  # A1 A2 A3 N1
    failing = res.filter(pl.col("status") == "fail")
    assert failing.select("agency_code", "check_id").rows() == [("G123", "A1"), ("G123", "A3")]
    msg = failing["message"][0]
    assert msg.startswith("1处不符：表A 总计列：") and "/ 1 failing: table A total:" in msg


def test_missing_cells_are_not_checked_and_not_failed():
    # a published report with a blank cell: the instances touching it are not evaluated
    df = consistent_apps("X", 2022).filter(~((pl.col("row_key") == "3.2") & (pl.col("column_key") == "research")))
    inst = instances(df, None, None)
    assert inst.filter(pl.col("ok").is_null()).select("check_id", "row_key", "column_key").rows() == [
        ("A2", "3.7", "research"),
        ("A3", "3.2", "total"),
    ]
    res = check_results(df, None, None)
    assert set(res["status"]) == {"pass"}
    a2 = res.filter(pl.col("check_id") == "A2")["message"].item()
    assert "另有1项因缺值未核对" in a2 and "1 not checked" in a2


def test_check_results_message_counts_and_quotes_the_first_failures():
    cells = {("1", c): 1 for c in v.APPLICANT_KEYS}  # six applications received, none closed, none carried: A1 ×6, A3 ×1
    res = check_results(apps("X", 2022, cells), None, None)
    a1 = res.filter(pl.col("check_id") == "A1")["message"].item()
    assert a1.startswith("6处不符：表A 自然人列") and "另有4处" in a1 and "and 4 more" in a1
    assert "\n" not in a1


@pytest.mark.parametrize("missing", ["applications", "appeals", "proactive"])
def test_none_frames_are_empty(missing):
    kwargs = {"applications": apps("X", 2022), "appeals": appeals("X", 2022), "proactive": proactive("X", 2022)} | {missing: None}
    res = check_results(kwargs["applications"], kwargs["appeals"], kwargs["proactive"])
    assert set(res["status"]) == {"pass"}


def test_quoted_failures_are_the_first_in_form_order_whatever_the_row_order():
    # several agency-years, failures in every table and at both ends of the form, rows shuffled
    frames_ = {"a": [], "r": [], "p": []}
    for n, agency in enumerate(["Y", "X", "Z"]):
        for year in (2021, 2022):
            frames_["a"].append(apps(agency, year, {("1", c): n + 1 for c in v.APPLICANT_KEYS[n:]} | {("4", "total"): -1}))
            frames_["r"].append(appeals(agency, year, {("review", "upheld"): -2, ("litigation_after_review", "pending"): n}))
            frames_["p"].append(proactive(agency, year, {("license", "decisions"): 0.5, ("regulation", "issued"): -1.0 * n}))
    a, r, p = (pl.concat(f).sample(fraction=1.0, shuffle=True, seed=7) for f in frames_.values())
    res = check_results(a, r, p)
    inst = instances(a, r, p)
    failing = inst.filter(pl.col("ok").not_())
    for agency, year, check_id, message in res.select("agency_code", "year", "check_id", "message").iter_rows():
        mine = failing.filter((pl.col("agency_code") == agency) & (pl.col("year") == year) & (pl.col("check_id") == check_id))
        if mine.is_empty():
            assert "不符" not in message
            continue
        assert message.startswith(f"{mine.height}处不符：" + "；".join(mine["zh"].head(2))), (agency, year, check_id)
        assert f" / {mine.height} failing: " + "; ".join(mine["en"].head(2)) in message
    # and the results themselves in agency, year, relation order
    assert res.select("agency_code", "year").rows() == sorted(res.select("agency_code", "year").rows())
    assert {"N1", "A1", "A3", "R1"} <= set(res.filter(pl.col("status") != "pass")["check_id"])
