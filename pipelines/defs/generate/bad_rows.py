"""The deliberate bad rows: each breaks exactly one rule of raw-data.md (ids of schemas.rules).

None of them touches 鄌郚镇 or 2022's published figures of any agency other than
by an extra, rejected row; each is added next to valid rows of a real ledger file.
"""

import datetime as dt
from dataclasses import dataclass

from pipelines.defs.generate.county import BY_SHORT, FOREIGN_AGENCY_CODE, Agency
from pipelines.defs.generate.messiness import Raw
from pipelines.defs.generate.people import id_check_digit
from pipelines.defs.generate.records import LedgerFile, Record
from schemas.codes import ALPHABET, check_character
from schemas.rules import RULES

D = dt.date


@dataclass(frozen=True)
class BadRow:
    kind: str
    agency: str  # short name of the agency whose ledger file holds the row
    year: int
    rule: str
    note: str


BAD_ROWS: tuple[BadRow, ...] = (
    BadRow("disclosures", "宝城街道", 2022, "agency_unknown", "a row of a 昌邑市 unit pasted into this ledger"),
    BadRow("disclosures", "朱刘街道", 2023, "agency_code_invalid", "last character of the credit code mistyped"),
    BadRow("disclosures", "宝都街道", 2022, "date_invalid", "published on 2022.02.30"),
    BadRow("disclosures", "红河镇", 2021, "duplicate_record", "索引号 reused for a second item (first occurrence)"),
    BadRow("disclosures", "住建局", 2023, "repeal_unknown_document", "repeals 乐住建规〔2019〕7号, never issued in the ledger"),
    BadRow("disclosures", "自然资源局", 2022, "doc_number_missing", "a normative document issued without 文号"),
    BadRow("applications", "自然资源局", 2022, "closed_before_received", "reply dated ten days before receipt"),
    BadRow("applications", "县政府", 2022, "outcome_without_closed_on", "outcome typed, reply date forgotten"),
    BadRow("applications", "住建局", 2023, "value_invalid", "outcome 已答复 (no table-A row)"),
    BadRow("applications", "综合执法局", 2023, "number_invalid", "fee of -100 yuan"),
    BadRow("applications", "宝城街道", 2023, "correction_before_received", "补正完成日期 typed with last year"),
    BadRow("appeals", "教育和体育局", 2023, "concluded_before_filed", "审结日期 before 立案日期"),
)
assert all(b.rule in RULES for b in BAD_ROWS)


def _insert_by_date(records: list[Record], record: Record, column: str, day: dt.date) -> None:
    at = next((i for i, r in enumerate(records) if not r.bad and r.values[column] > day), len(records))  # type: ignore[operator]
    records.insert(at, record)


def _wrong_check(code: str) -> str:
    right = check_character(code[:17])
    return code[:17] + ALPHABET[(ALPHABET.index(right) + 7) % len(ALPHABET)]


def inject(files: dict[tuple[str, str, int], LedgerFile]) -> None:
    """Add every bad row to its file (the caller numbers rows when it writes the manifest)."""
    for bad in BAD_ROWS:
        agency = BY_SHORT[bad.agency]
        if bad.kind == "appeals":
            lf = next(f for (kind, _, _), f in files.items() if kind == "appeals")
        else:
            lf = files[(bad.kind, bad.agency, bad.year)]
        records = lf.records
        n = len(records)
        if bad.kind == "disclosures":
            _disclosure(bad, agency, records, n)
        elif bad.kind == "applications":
            _application(bad, agency, records, n)
        else:
            values = {
                "case_id": f"乐政复决字〔{bad.year}〕第77号",
                "agency_code": agency.code,
                "application_id": None,
                "proceeding": "review",
                "filed_on": D(2023, 6, 12),
                "concluded_on": D(2023, 5, 30),
                "result": "upheld",
            }
            _insert_by_date(records, Record("appeals", values, bad.year, bad.rule), "filed_on", D(2023, 6, 12))


def _disclosure(bad: BadRow, agency: Agency, records: list[Record], n: int) -> None:
    item_id = f"{agency.code}/{bad.year}-{n + 1:05d}"
    base = {
        "item_id": item_id,
        "agency_code": agency.code,
        "title": "",
        "published_on": None,
        "channel": "portal_column",
        "category": "other",
        "doc_number": None,
        "doc_action": None,
        "amount_yuan": None,
    }
    day = D(bad.year, 6, 15)
    match bad.rule:
        case "agency_unknown":
            base |= {
                "item_id": f"{FOREIGN_AGENCY_CODE}/{bad.year}-00188",
                "agency_code": FOREIGN_AGENCY_CODE,
                "title": "昌邑市示例街道关于开展夏季消防安全检查的通知",
                "channel": "wechat",
            }
        case "agency_code_invalid":
            base |= {"agency_code": _wrong_check(agency.code), "title": "朱刘街道召开安全生产工作会议", "channel": "wechat"}
        case "date_invalid":
            base |= {"title": "宝都街道关于开展春季植树活动的通知", "published_on": Raw("2022.02.30")}
            day = D(2022, 3, 1)
        case "duplicate_record":
            first = records[n // 3]
            first.bad = bad.rule
            twin = Record("disclosures", dict(first.values, title="红河镇召开乡村振兴工作推进会（续）"), bad.year, bad.rule)
            twin.values["published_on"] = first.values["published_on"] + dt.timedelta(days=7)  # type: ignore[operator]
            _insert_by_date(records, twin, "published_on", twin.values["published_on"])  # type: ignore[arg-type]
            return
        case "repeal_unknown_document":
            base |= {
                "title": "关于废止《昌乐县建筑工地扬尘管理办法》的通知",
                "category": "normative_document",
                "doc_number": "乐住建规〔2019〕7号",
                "doc_action": "repeal",
            }
        case "doc_number_missing":
            base |= {"title": "关于印发《昌乐县临时用地管理办法》的通知", "category": "normative_document", "doc_action": "issue"}
    if base["published_on"] is None:
        base["published_on"] = day
    _insert_by_date(records, Record("disclosures", base, bad.year, bad.rule), "published_on", day)


def _application(bad: BadRow, agency: Agency, records: list[Record], n: int) -> None:
    received = D(bad.year, 3, 15)
    values = {
        "application_id": f"{agency.abbr}-{bad.year}-{n + 1:03d}",
        "agency_code": agency.code,
        "received_on": received,
        "applicant_type": "natural_person",
        "applicant_name": "刘晓明",
        "applicant_id_number": "370725198507120013",
        "applicant_phone": "13800139001",
        "applicant_address": "山东省昌乐县宝城街道示例路99号",
        "request_channel": "online",
        "request_summary": "申请公开本人房屋征收补偿协议",
        "correction_requested_on": None,
        "correction_received_on": None,
        "third_party_days": 0,
        "extended": False,
        "closed_on": D(bad.year, 4, 2),
        "outcome": "3.1",
        "fee_yuan": None,
    }
    match bad.rule:
        case "closed_before_received":
            values |= {"received_on": D(2022, 6, 14), "closed_on": D(2022, 6, 4)}
            received = D(2022, 6, 14)
        case "outcome_without_closed_on":
            values |= {"closed_on": None}
        case "value_invalid":
            values |= {"outcome": Raw("已答复")}
        case "number_invalid":
            values |= {"fee_yuan": Raw("-100")}
        case "correction_before_received":
            values |= {"correction_requested_on": D(2023, 3, 17), "correction_received_on": D(2022, 3, 25)}
    values["applicant_id_number"] = values["applicant_id_number"][:17] + id_check_digit(values["applicant_id_number"][:17])  # type: ignore[index]
    _insert_by_date(records, Record("applications", values, bad.year, bad.rule), "received_on", received)
