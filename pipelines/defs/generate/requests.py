"""Disclosure applications (依申请公开) of the sample county: who asks, what, and how each request ends."""

import datetime as dt
import random
from decimal import Decimal

from pipelines.defs.generate.county import Agency
from pipelines.defs.generate.messiness import PRE2019_OUTCOMES
from pipelines.defs.generate.people import Applicant
from pipelines.defs.generate.records import Record
from schemas.vocabulary import APPLICANT_COLUMNS

APPLICANT_KEY_BY_LABEL = {c.label: c.key for c in APPLICANT_COLUMNS}

# Applications received per year, by agency short name (townships not listed: 0–5).
COUNTS: dict[str, tuple[int, int, int]] = {
    "县政府": (26, 30, 34),
    "自然资源局": (22, 28, 25),  # plus 13 by one applicant in March 2023 (see heavy_applicant)
    "住建局": (10, 12, 14),
    "市场监管局": (6, 8, 9),
    "教育和体育局": (4, 5, 6),
    "综合执法局": (5, 6, 8),
    "鄌郚镇": (0, 0, 3),  # none in 2021–2022, as its 2022 report says
}

# Outcome mix (weights) of closed applications; 3.6.1 comes only from an unanswered 补正.
OUTCOME_WEIGHTS: dict[str, float] = {
    "3.1": 38,
    "3.2": 10,
    "3.3.1": 0.5,
    "3.3.2": 1,
    "3.3.3": 0.5,
    "3.3.4": 3,
    "3.3.5": 2,
    "3.3.6": 3,
    "3.3.7": 1,
    "3.3.8": 2,
    "3.4.1": 18,
    "3.4.2": 4,
    "3.4.3": 1.5,
    "3.5.1": 4,
    "3.5.2": 3,
    "3.5.3": 0.5,
    "3.5.4": 0.5,
    "3.5.5": 1,
    "3.6.3": 3,
}
REQUEST_CHANNEL_WEIGHTS = {"online": 62, "letter": 20, "in_person": 12, "email": 4, "fax": 1, "other": 1}

_PLACES = ("宝城街道东村", "朱刘街道西村", "五图街道前村", "乔官镇后村", "营丘镇北村", "鄌郚镇南村", "红河镇中村", "经济开发区", "宝都街道")
_SUMMARIES = {
    "township": ("申请公开{p}土地征收补偿款发放明细", "申请公开{p}{y}年低保审批材料", "申请公开本人宅基地审批档案", "申请公开{p}集体土地承包合同"),
    "自然资源局": (
        "申请公开{p}地块土地征收批复文件",
        "申请公开{p}建设项目用地预审意见",
        "申请公开{p}国有土地使用权出让合同",
        "申请公开{p}征地补偿安置方案",
        "申请公开{p}不动产登记档案",
    ),
    "市场监管局": ("申请公开对某食品经营者的行政处罚决定书", "申请公开{p}某超市食品经营许可档案", "申请公开{y}年食品安全抽检结果"),
    "教育和体育局": ("申请公开{y}年县城学校学区划分依据", "申请公开{y}年教师招聘成绩及录用名单", "申请公开{p}学校建设项目资金使用情况"),
    "住建局": ("申请公开{p}项目建设工程施工许可证", "申请公开{p}棚户区改造项目补偿方案", "申请公开{p}小区维修资金使用情况"),
    "综合执法局": ("申请公开对{p}违法建设的查处决定", "申请公开{p}占道经营处罚依据", "申请公开{p}拆除违法建筑的强制执行决定"),
    "县政府": (
        "申请公开昌乐县{y}年度财政预算执行情况",
        "申请公开{p}征收土地的批复文件",
        "申请公开县政府常务会议纪要（{y}年）",
        "申请公开{p}旧村改造项目审批文件",
        "申请公开{p}征收补偿安置方案",
    ),
}


def summary(rng: random.Random, agency: Agency, year: int) -> str:
    templates = _SUMMARIES["township" if agency.level == "township" else agency.short]
    return rng.choice(templates).format(p=rng.choice(_PLACES), y=year)


def _weighted(rng: random.Random, weights: dict[str, float]) -> str:
    return rng.choices(list(weights), weights=list(weights.values()))[0]


def application(
    rng: random.Random,
    agency: Agency,
    received: dt.date,
    applicant: Applicant,
    *,
    close_by: dt.date,
    outcome: str | None = None,
    fee: Decimal | None = None,
    stays_open: bool = False,
) -> Record:
    """One application with a plausible course: 补正, third-party consultation, extension, reply.

    `close_by` caps the reply date (the ledger of a past year was exported after every request closed);
    `stays_open` leaves it unanswered.
    """
    values: dict[str, object] = {
        "application_id": None,
        "agency_code": agency.code,
        "received_on": received,
        "applicant_type": APPLICANT_KEY_BY_LABEL[applicant.type_label],
        "applicant_name": applicant.name,
        "applicant_id_number": applicant.id_number,
        "applicant_phone": applicant.phone,
        "applicant_address": applicant.address,
        "request_channel": _weighted(rng, REQUEST_CHANNEL_WEIGHTS),
        "request_summary": summary(rng, agency, received.year),
        "correction_requested_on": None,
        "correction_received_on": None,
        "third_party_days": rng.choice((0, None)),
        "extended": rng.choice((False, None)),
        "closed_on": None,
        "outcome": None,
        "fee_yuan": fee,
    }
    start = received
    never_corrected = False
    if outcome is None and rng.random() < 0.12:
        asked = received + dt.timedelta(days=rng.randint(2, 7))
        values["correction_requested_on"] = asked
        if rng.random() < 0.25:
            never_corrected = True  # the applicant never answers: 3.6.1
            start = asked
        else:
            start = asked + dt.timedelta(days=rng.randint(1, 12))
            values["correction_received_on"] = start
    days = rng.randint(3, 27)
    if rng.random() < 0.06:
        values["third_party_days"] = rng.randint(5, 15)
        days += values["third_party_days"] * 7 // 5  # type: ignore[operator]
    if rng.random() < 0.08:
        values["extended"] = True
        days += rng.randint(10, 25)
    if never_corrected:
        days = rng.randint(20, 35)
    if not stays_open:
        values["closed_on"] = min(start + dt.timedelta(days=days), close_by)
        values["outcome"] = outcome or ("3.6.1" if never_corrected else _weighted(rng, OUTCOME_WEIGHTS))
    return Record("applications", values, received.year)


def old_spelling(rng: random.Random, record: Record) -> None:
    """Now and then a clerk still types the pre-2019 label."""
    outcome = record.values["outcome"]
    if outcome in PRE2019_OUTCOMES and rng.random() < 0.08:
        record.spelled["outcome"] = rng.choice(PRE2019_OUTCOMES[outcome])  # type: ignore[index]


def number_applications(agency: Agency, year: int, records: list[Record]) -> None:
    records.sort(key=lambda r: r.values["received_on"])  # type: ignore[arg-type, return-value]
    for seq, record in enumerate(records, start=1):
        record.values["application_id"] = f"{agency.abbr}-{year}-{seq:03d}"


def as_exported(record: Record, exported_on: dt.date) -> Record:
    """The row as a ledger exported on `exported_on` shows it: a reply after that day is not in it yet."""
    closed = record.values.get("closed_on")
    if closed is None or closed <= exported_on:  # type: ignore[operator]
        return record
    values = dict(record.values, closed_on=None, outcome=None, fee_yuan=None)
    spelled = {k: v for k, v in record.spelled.items() if k != "outcome"}
    return Record(record.kind, values, record.year, record.bad, spelled, record.serial_date)
