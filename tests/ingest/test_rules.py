"""Every rule of the ledger contract: a bad row lands in quarantine with the right rule, column and row number."""

import datetime as dt

import pytest

from pipelines.defs.ingest.discover import discover
from pipelines.defs.ingest.ingest import ingest
from schemas.rules import RULES
from tests.support.raw_ledgers import DEPT, OTHER, TANGWU, raw_root, write_csv

D_GOOD = {
    "item_id": "D-0",
    "agency_code": DEPT,
    "title": "通知",
    "published_on": "2022-01-04",
    "channel": "政府网站",
    "category": "行政规范性文件",
    "doc_number": "乐自然资规〔2022〕1号",
    "doc_action": "制发",
    "amount_yuan": "",
}
A_GOOD = {
    "application_id": "A-0",
    "agency_code": TANGWU,
    "received_on": "2022-01-04",
    "applicant_type": "自然人",
    "applicant_name": "张三",
    "applicant_id_number": "370725199001011234",
    "correction_requested_on": "",
    "correction_received_on": "",
    "third_party_days": "0",
    "extended": "否",
    "closed_on": "2022-01-20",
    "outcome": "予以公开",
    "fee_yuan": "0",
}
C_GOOD = {
    "case_id": "C-0",
    "agency_code": DEPT,
    "application_id": "",
    "proceeding": "行政复议",
    "filed_on": "2022-03-01",
    "concluded_on": "2022-05-01",
    "result": "维持",
}
GOOD = {"disclosures": D_GOOD, "applications": A_GOOD, "appeals": C_GOOD}
ID = {"disclosures": "item_id", "applications": "application_id", "appeals": "case_id"}

CASES = [
    # kind, changes to the good row, rule, column
    ("disclosures", {"agency_code": ""}, "agency_code_missing", "agency_code"),
    ("disclosures", {"agency_code": TANGWU[:-1] + "X"}, "agency_code_invalid", "agency_code"),
    ("disclosures", {"agency_code": OTHER}, "agency_unknown", "agency_code"),
    ("disclosures", {"item_id": ""}, "record_id_missing", "item_id"),
    ("disclosures", {"title": " "}, "value_missing", "title"),
    ("disclosures", {"published_on": ""}, "value_missing", "published_on"),
    ("disclosures", {"published_on": "2022-02-29"}, "date_invalid", "published_on"),
    ("disclosures", {"channel": "抖音"}, "value_invalid", "channel"),
    ("disclosures", {"category": "通知公告"}, "value_invalid", "category"),
    ("disclosures", {"doc_action": "发文"}, "value_invalid", "doc_action"),
    ("disclosures", {"doc_number": ""}, "doc_number_missing", "doc_number"),
    ("disclosures", {"doc_action": ""}, "doc_action_missing", "doc_action"),
    ("disclosures", {"category": "行政事业性收费", "doc_number": "", "doc_action": ""}, "amount_missing", "amount_yuan"),
    ("disclosures", {"category": "行政事业性收费", "doc_number": "", "doc_action": "", "amount_yuan": "-5"}, "number_invalid", "amount_yuan"),
    ("disclosures", {"doc_number": "乐自然资规〔2019〕9号", "doc_action": "废止"}, "repeal_unknown_document", "doc_number"),
    ("applications", {"received_on": "2022/13/01"}, "date_invalid", "received_on"),
    ("applications", {"applicant_type": "外国人"}, "value_invalid", "applicant_type"),
    ("applications", {"outcome": "已办结"}, "value_invalid", "outcome"),
    ("applications", {"closed_on": "2021-12-31"}, "closed_before_received", "closed_on"),
    ("applications", {"correction_received_on": "2021-12-01"}, "correction_before_received", "correction_received_on"),
    ("applications", {"closed_on": ""}, "outcome_without_closed_on", "outcome"),
    ("applications", {"outcome": ""}, "closed_on_without_outcome", "closed_on"),
    ("applications", {"third_party_days": "2.5"}, "integer_invalid", "third_party_days"),
    ("applications", {"extended": "也许"}, "yes_no_invalid", "extended"),
    ("applications", {"fee_yuan": "一百"}, "number_invalid", "fee_yuan"),
    ("appeals", {"proceeding": "信访"}, "value_invalid", "proceeding"),
    ("appeals", {"concluded_on": "2022-02-01"}, "concluded_before_filed", "concluded_on"),
    ("appeals", {"concluded_on": ""}, "result_without_concluded_on", "result"),
    ("appeals", {"result": ""}, "concluded_on_without_result", "concluded_on"),
    ("appeals", {"result": "败诉"}, "value_invalid", "result"),
    # plausibility: before the Regulations took effect (2008-05-01), after today, or above 10^9 元
    ("disclosures", {"published_on": "2008-04-30"}, "date_implausible", "published_on"),
    ("applications", {"received_on": "1900-01-01", "closed_on": "1900-01-20"}, "date_implausible", "received_on"),
    ("applications", {"closed_on": "2099-01-01"}, "date_implausible", "closed_on"),
    ("appeals", {"concluded_on": "2099-05-01"}, "date_implausible", "concluded_on"),
    ("disclosures", {"category": "行政事业性收费", "doc_number": "", "doc_action": "", "amount_yuan": "1" + "0" * 23}, "amount_implausible", "amount_yuan"),
    ("applications", {"fee_yuan": "1000000000.01"}, "amount_implausible", "fee_yuan"),
    # a record id is kept with the record: it must not carry personal data (the row's own 张三 / ID number, or
    # any ID or mobile number)
    ("applications", {"application_id": "370725199001011234"}, "record_id_personal", "application_id"),
    ("applications", {"application_id": "张三-2022-1"}, "record_id_personal", "application_id"),
    ("appeals", {"case_id": "13905361234"}, "record_id_personal", "case_id"),
    ("disclosures", {"item_id": "D-37072519880808123X"}, "record_id_personal", "item_id"),
    ("disclosures", {"item_id": DEPT + "/13905361234"}, "record_id_personal", "item_id"),
    ("appeals", {"application_id": "0536-8123456"}, "record_id_personal", "application_id"),  # a landline as the link
    # 370725880808123 (a 15-digit ID number) as days: a whole number, but not one of days
    ("applications", {"third_party_days": "370725880808123"}, "days_implausible", "third_party_days"),
]


@pytest.mark.parametrize("kind,change,rule,column", CASES, ids=[f"{c[0]}-{c[2]}-{c[3]}" for c in CASES])
def test_a_bad_row_is_quarantined_with_its_rule(tmp_path, kind, change, rule, column):
    root = raw_root(tmp_path)
    good = dict(GOOD[kind])
    bad = good | change | ({ID[kind]: "BAD-1"} if ID[kind] not in change else {})
    write_csv(root / kind / "ledger.csv", [good, bad])
    result = ingest(discover(root), b"k")
    assert result.quarantine.height == 1, result.quarantine.to_dicts()
    q = result.quarantine.row(0, named=True)
    assert (q["kind"], q["path"], q["row"], q["rule"], q["column"]) == (kind, f"{kind}/ledger.csv", 3, rule, column)
    assert " / " in q["message"]  # Chinese, then English
    zh, en = q["message"].split(" / ", 1)
    assert any("\u4e00" <= ch <= "\u9fff" for ch in zh)
    assert en[0].isascii() and en[0].isalpha()
    assert result.records[kind].height == 1 and result.records[kind].get_column(ID[kind]).to_list() == [good[ID[kind]]]
    f = result.files.filter(result.files["path"] == f"{kind}/ledger.csv").row(0, named=True)
    assert (f["rows"], f["accepted"], f["quarantined"]) == (2, 1, 1)


def test_every_row_rule_is_exercised():
    exercised = {c[2] for c in CASES} | {"duplicate_record", "division_code_invalid", "year_invalid"}  # year_invalid: test_submissions
    assert exercised == set(RULES)


def test_same_id_twice_in_one_file_quarantines_both(tmp_path):
    root = raw_root(tmp_path)
    write_csv(root / "applications" / "a.csv", [A_GOOD, A_GOOD | {"closed_on": "2022-01-21"}, A_GOOD | {"application_id": "A-9"}])
    result = ingest(discover(root), b"k")
    assert sorted(result.quarantine.select("row", "rule").rows()) == [(2, "duplicate_record"), (3, "duplicate_record")]
    assert result.records["applications"].get_column("application_id").to_list() == ["A-9"]


def test_bad_agency_row_and_its_ledger_rows(tmp_path):
    root = tmp_path / "raw"
    write_csv(root / "agencies.csv", [{"agency_code": TANGWU, "agency_name": "鄌郚镇", "division_code": "3707"}])
    write_csv(root / "applications" / "a.csv", [A_GOOD])
    result = ingest(discover(root), b"k")
    rules = sorted(result.quarantine.select("kind", "rule").rows())
    # the agency's own row is wrong, so the agency is not known and its applications cannot be accepted either
    assert rules == [("agencies", "division_code_invalid"), ("applications", "agency_unknown")]


def test_a_row_breaking_several_rules_reports_the_first_and_lists_all(tmp_path):
    root = raw_root(tmp_path)
    write_csv(root / "applications" / "a.csv", [A_GOOD | {"applicant_type": "外国人", "closed_on": "2021-01-01", "fee_yuan": "-1"}])
    q = ingest(discover(root), b"k").quarantine.row(0, named=True)
    assert q["rule"] == "value_invalid" and q["rules"] == "value_invalid,number_invalid,closed_before_received"
    assert "外国人" in q["message"] and "自然人" in q["message"]  # what was typed, and what is allowed


def test_the_bounds_of_a_plausible_date_and_amount(tmp_path):
    """2008-05-01 and the day of the run are the first and last plausible days; 10^9 元 is the largest amount."""
    root = raw_root(tmp_path)
    today = dt.date(2024, 6, 30)
    rows = [
        A_GOOD | {"application_id": "first", "received_on": "2008-05-01", "closed_on": "2008-05-02"},
        A_GOOD | {"application_id": "last", "received_on": "2024-06-30", "closed_on": "2024-06-30", "fee_yuan": "1000000000"},
        A_GOOD | {"application_id": "early", "received_on": "2008-04-30", "closed_on": "2008-05-02"},
        A_GOOD | {"application_id": "tomorrow", "received_on": "2024-06-01", "closed_on": "2024-07-01"},
    ]
    write_csv(root / "applications" / "a.csv", rows)
    result = ingest(discover(root), b"k", today=today)
    assert sorted(result.records["applications"].get_column("application_id").to_list()) == ["first", "last"]
    assert sorted(result.quarantine.select("record_id", "rule", "column").rows()) == [
        ("early", "date_implausible", "received_on"),
        ("tomorrow", "date_implausible", "closed_on"),
    ]
    q = {r["record_id"]: r for r in result.quarantine.iter_rows(named=True)}
    # an implausible date places the row in no year: 'early' belongs to the years of its file, 'tomorrow' stays open
    assert (q["early"]["year"], q["tomorrow"]["year"], q["tomorrow"]["end_year"]) == (None, 2024, None)
    assert "2008" in q["early"]["message"] and "2008-04-30" in q["early"]["message"]
