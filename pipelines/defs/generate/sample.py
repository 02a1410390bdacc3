"""`generate_sample`: the deterministic sample raw root of 昌乐县, 2021–2023.

Same seed → the same bytes and the same mtimes. Layout (raw-data.md):

    agencies.csv
    submissions.csv                                                        (报送登记: what was handed in, 本年无)
    disclosures/<year>/<agency>_主动公开台账_<year>.{csv,xlsx,parquet}
    applications/<year>/<agency>_依申请公开台账_<year>.{csv,xlsx,parquet}   (+ one later re-export)
    appeals/昌乐县复议诉讼台账.xlsx                                         (+ one later re-export)
    MANIFEST.json
"""

import csv
import datetime as dt
import io
import random
import shutil
from dataclasses import replace
from decimal import Decimal
from pathlib import Path

from pipelines.defs.generate import bad_rows, cases, proactive, requests
from pipelines.defs.generate.county import AGENCIES, BY_SHORT, TANGWU, Agency
from pipelines.defs.generate.manifest import MANIFEST_NAME, Manifest, ground_truth, record_id
from pipelines.defs.generate.messiness import PROFILES
from pipelines.defs.generate.people import Applicant, applicant_pool
from pipelines.defs.generate.records import LedgerFile, Record
from pipelines.defs.generate.writers import bad_row_numbers, set_mtime, write_ledger
from pipelines.errors import GongkaiError
from schemas.columns import AGENCIES as AGENCY_KIND
from schemas.columns import KINDS, LEDGER_KINDS
from schemas.vocabulary import APPLICANT_COLUMNS, LEDGER_SHORT_LABELS, SUBMISSION_STATUS_LABELS

GENERATOR = "gongkai generate"
VERSION = "1"
SEED = 20230110  # the day 鄌郚镇 signed its 2022 report
YEARS = (2021, 2022, 2023)
CST = dt.timezone(dt.timedelta(hours=8))
AGENCIES_FILE = "agencies.csv"
SUBMISSIONS_FILE = "submissions.csv"
# The one ledger the register leaves out: 红河镇 had no case in 2023, but nobody said so — its 2023 report stays a
# draft ("复议诉讼台账 not accounted for"), and the demo's county overview shows it in the 缺报/未报送 column.
UNDECLARED = ("红河镇", 2023, "appeals")
# Late answers (the demo's deadlines): how many applications of an agency-year were answered 45 days after receipt.
LATE = {("教育和体育局", 2022): 2, ("教育和体育局", 2023): 1}

# Export profile of each agency's ledgers (messiness.PROFILES): (disclosures, applications).
EXPORT_PROFILES: dict[str, tuple[str, str]] = {
    "县政府": ("A", "A"),
    "宝城街道": ("B", "B"),
    "宝都街道": ("C", "C"),
    "朱刘街道": ("B", "D"),
    "五图街道": ("C", "B"),
    "乔官镇": ("A", "C"),
    "营丘镇": ("B", "B"),
    "鄌郚镇": ("B", "D"),
    "红河镇": ("C", "C"),
    "自然资源局": ("D", "C"),
    "市场监管局": ("E", "E"),
    "教育和体育局": ("B", "B"),
    "住建局": ("C", "D"),
    "综合执法局": ("D", "A"),
}
_EXTENSION = {"csv": "csv", "xlsx": "xlsx", "parquet": "parquet"}


def _at(year: int, month: int, day: int, hour: int = 10, minute: int = 0) -> dt.datetime:
    return dt.datetime(year, month, day, hour, minute, tzinfo=CST)


def _stream(seed: int, name: str) -> random.Random:
    # one stream per part, so changing one part leaves the others' bytes alone
    return random.Random(f"{seed}:{name}")


def _ledger(kind: str, agency: Agency, year: int, profile_name: str, records: list[Record], exported: dt.datetime, suffix: str = "") -> LedgerFile:
    profile = PROFILES[profile_name]
    path = f"{kind}/{year}/{agency.short}_{KINDS[kind].label}_{year}{suffix}.{_EXTENSION[profile.format]}"
    return LedgerFile(path, kind, profile, records, exported, sheet=KINDS[kind].label)


def _disclosure_files(seed: int) -> dict[tuple[str, str, int], LedgerFile]:
    rng = _stream(seed, "disclosures")
    files = {}
    for index, agency in enumerate(AGENCIES):
        plan = proactive.PLANS.get(agency.short, proactive.TOWNSHIP)
        if agency is TANGWU:
            plan = replace(plan, topics=proactive.TANGWU_TOPICS)
        documents = proactive.DocumentLedger()
        for year in YEARS:
            if agency is TANGWU and year == 2022:
                items = proactive.tangwu_2022(rng, agency)
            else:
                items = proactive.agency_year_items(rng, agency, year, plan, documents)
            proactive.number_items(agency, year, items)
            exported = _at(year + 1, 1, 12, 9, index)
            files[("disclosures", agency.short, year)] = _ledger("disclosures", agency, year, EXPORT_PROFILES[agency.short][0], items, exported)
    return files


def _application_files(seed: int) -> dict[tuple[str, str, int], LedgerFile]:
    rng = _stream(seed, "applications")
    people, orgs = applicant_pool(_stream(seed, "people"))
    person_weights = [1 / (i + 1) ** 0.9 for i in range(len(people))]  # a few people ask again and again
    files = {}
    for index, agency in enumerate(AGENCIES):
        counts = requests.COUNTS.get(agency.short) or tuple(rng.randint(1, 5) for _ in YEARS)
        for y, year in enumerate(YEARS):
            days = proactive.working_days(year)
            december = [d for d in days if d.month == 12 and d.day >= 15]
            close_by = dt.date(year + 1, 2, 10) if year < YEARS[-1] else dt.date(year + 1, 3, 31)
            records = []
            for i in range(counts[y]):
                # county-level units get late-December requests every year: carried over to January
                late = agency.level != "township" and i < 2 and counts[y] >= 10
                received = rng.choice(december if late else days)
                if agency.short == "自然资源局" and year == YEARS[0] and i < len(APPLICANT_COLUMNS):
                    applicant = _one_of_each(people, orgs)[i]  # every applicant type appears at least once
                elif rng.random() < 0.78:
                    applicant = rng.choices(people, weights=person_weights)[0]
                else:
                    applicant = rng.choice(orgs)
                stays_open = year == YEARS[-1] and received.month == 12 and rng.random() < 0.4
                records.append(requests.application(rng, agency, received, applicant, close_by=close_by, stays_open=stays_open))
            if agency.short == "自然资源局" and year == 2023:
                records += _heavy_applicant(rng, agency, people[0])
            if agency.short == "县政府" and year == 2022:
                records.append(
                    requests.application(rng, agency, dt.date(2022, 8, 8), people[3], close_by=close_by, outcome="3.1", fee=Decimal(150))
                )  # 45 pages: 15 × 10 元
            if agency.short == "住建局" and year == 2022:
                records.append(
                    requests.application(rng, agency, dt.date(2022, 9, 13), orgs[0], close_by=close_by, outcome="3.6.2")
                )  # the fee notice went unpaid
            if not records and not (agency is TANGWU and year == 2022):
                continue
            for record in records:
                if record.values["outcome"]:
                    requests.old_spelling(rng, record)
            requests.number_applications(agency, year, records)
            exported_on = _at(year + 1, 2, 20, 10, index) if year < YEARS[-1] else _at(year + 1, 1, 5, 10, index)
            shown = [requests.as_exported(r, exported_on.date()) for r in records]
            # 鄌郚镇 keeps an (empty) ledger for 2022: it received no application
            files[("applications", agency.short, year)] = _ledger("applications", agency, year, EXPORT_PROFILES[agency.short][1], shown, exported_on)
            files[("applications-true", agency.short, year)] = LedgerFile("", "applications", PROFILES["A"], records, exported_on)
    return files


def _one_of_each(people: list[Applicant], orgs: list[Applicant]) -> list[Applicant]:
    labels = [c.label for c in APPLICANT_COLUMNS]
    return [people[5]] + [next(o for o in orgs if o.type_label == label) for label in labels[1:]]


def _heavy_applicant(rng: random.Random, agency: Agency, person: Applicant) -> list[Record]:
    """13 requests by one person in March 2023: by count, the 11th–13th may cost 100 元 each (国办函〔2020〕109号), 300 元
    in all; the 11th was charged 200 元 (400 元 in all): the sample's over-charged fee."""
    march = [d for d in proactive.working_days(2023) if d.month == 3]
    days = sorted(rng.sample(march, 13))
    out = []
    for n, day in enumerate(days, start=1):
        fee = Decimal(200) if n == 11 else Decimal(100) if n > 10 else None
        out.append(requests.application(rng, agency, day, person, close_by=dt.date(2023, 6, 30), outcome="3.1" if n > 10 else None, fee=fee))
    return out


def _reexport_applications(files: dict, seed: int) -> LedgerFile:
    """县政府 re-exports its 2023 ledger in February: December requests now answered, one outcome corrected."""
    rng = _stream(seed, "reexport")
    agency = next(a for a in AGENCIES if a.short == "县政府")
    truth = files[("applications-true", agency.short, 2023)].records
    exported = _at(2024, 2, 20, 15, 0)
    late = [requests.as_exported(r, exported.date()) for r in truth if r.values["received_on"] >= dt.date(2023, 11, 15)]
    closed = [r for r in late if r.values["outcome"] and r.values["closed_on"] <= dt.date(2024, 1, 5)]
    if closed:
        fixed = rng.choice(closed)
        corrected = Record(fixed.kind, dict(fixed.values, outcome="3.2" if fixed.values["outcome"] != "3.2" else "3.1"), fixed.year)
        late[late.index(fixed)] = corrected
    return _ledger("applications", agency, 2023, EXPORT_PROFILES[agency.short][1], late, exported, suffix="_补充导出")


def _appeal_files(seed: int, applications: dict) -> list[LedgerFile]:
    rng = _stream(seed, "appeals")
    closed: dict[str, list[Record]] = {}
    for (kind, _, _), lf in sorted(applications.items()):
        if kind == "applications-true":
            for r in lf.records:
                if r.values["closed_on"]:
                    closed.setdefault(r.agency_code, []).append(r)
    for records in closed.values():
        records.sort(key=lambda r: r.values["closed_on"])  # type: ignore[arg-type, return-value]
    docket = sorted(cases.docket(rng, closed), key=lambda r: r.values["filed_on"])  # type: ignore[arg-type, return-value]
    exported = _at(2024, 1, 8, 11, 0)
    main = LedgerFile(
        "appeals/昌乐县复议诉讼台账.xlsx",
        "appeals",
        PROFILES["D"],
        [cases.as_exported(c, exported.date()) for c in docket],
        exported,
        sheet=KINDS["appeals"].label,
    )
    again = _at(2024, 3, 1, 16, 0)
    recent = [cases.as_exported(c, again.date()) for c in docket if c.values["filed_on"] >= dt.date(2023, 9, 1)]
    update = LedgerFile("appeals/昌乐县复议诉讼台账_更新.csv", "appeals", PROFILES["B"], recent, again)
    return [main, update]


def _answer_late(ledgers: dict, appeals: list[LedgerFile]) -> None:
    """教育和体育局 answered some applications late (LATE): 45 days after receipt, past the 20 working days the
    Regulations allow (the demo's late answers). Chosen among plain ones — no correction, extension or
    third-party opinion, no case about them, received March–September so the answer stays in the same year —
    and changed after the appeals were drawn, so nothing else of the sample moves."""
    linked = {c.values.get("application_id") for lf in appeals for c in lf.records}
    for (short, year), n in LATE.items():
        lf = ledgers[("applications", short, year)]
        plain = [
            i
            for i, r in enumerate(lf.records)
            if not r.bad
            and r.values["closed_on"]
            and not r.values["extended"]
            and not r.values["third_party_days"]
            and r.values["correction_requested_on"] is None
            and r.values["application_id"] not in linked
            and 3 <= r.values["received_on"].month <= 9  # type: ignore[attr-defined]
        ]
        for i in plain[:n]:
            r = lf.records[i]
            lf.records[i] = replace(r, values=dict(r.values, closed_on=r.values["received_on"] + dt.timedelta(days=45)))  # type: ignore[operator]


def _serial_dates(files: list[LedgerFile], seed: int) -> None:
    """In each hand-kept workbook, one date was pasted as a bare serial number."""
    rng = _stream(seed, "serial")
    for lf in files:
        if lf.profile.format == "xlsx":
            date_column = KINDS[lf.kind].date_column
            valid = [r for r in lf.records if not r.bad]
            if valid:
                rng.choice(valid).serial_date = date_column


def build(seed: int = SEED) -> list[LedgerFile]:
    """Every ledger file of the sample, bad rows included, not yet written."""
    disclosures = _disclosure_files(seed)
    applications = _application_files(seed)
    reexport = _reexport_applications(applications, seed)
    appeals = _appeal_files(seed, applications)
    ledgers = {k: v for k, v in {**disclosures, **applications}.items() if k[0] in LEDGER_KINDS}
    ledgers[("appeals", "", 0)] = appeals[0]
    _answer_late(ledgers, appeals)
    bad_rows.inject(ledgers)
    files = sorted(ledgers.values(), key=lambda f: f.path) + [reexport, appeals[1]]
    _serial_dates(files, seed)
    return files


def _write_agencies(root: Path) -> None:
    buf = io.StringIO(newline="")
    writer = csv.DictWriter(buf, fieldnames=list(AGENCY_KIND.keys), lineterminator="\n")
    writer.writeheader()
    writer.writerows(a.as_row() for a in AGENCIES)
    path = root / AGENCIES_FILE
    path.write_bytes(buf.getvalue().encode("utf-8"))
    set_mtime(path, _at(2024, 1, 2, 9, 0))


def register_entries(files: list[LedgerFile]) -> list[dict]:
    """The submissions register a county office keeps: for every agency, year and ledger, 已报送 when rows of that
    year were handed in, else 本年无 — except UNDECLARED, which nobody entered."""
    held = {(r.agency_code, r.year, lf.kind) for lf in files for r in lf.records}
    undeclared = (BY_SHORT[UNDECLARED[0]].code, UNDECLARED[1], UNDECLARED[2])
    if undeclared in held:
        raise ValueError(f"{UNDECLARED}: the agency has rows of that kind and year; pick another undeclared ledger")
    out = []
    for agency in AGENCIES:
        for year in YEARS:
            for kind in LEDGER_KINDS:
                if (agency.code, year, kind) == undeclared:
                    continue
                status = "handed_in" if (agency.code, year, kind) in held else "none"
                out.append({"agency_code": agency.code, "agency_name": agency.name, "year": year, "kind": kind, "status": status})
    return out


def _write_submissions(root: Path, entries: list[dict]) -> None:
    """报送登记 as the county office's Excel export: CSV UTF-8 with BOM, Chinese headers and values."""
    buf = io.StringIO(newline="")
    writer = csv.writer(buf, lineterminator="\r\n")
    writer.writerow(["统一社会信用代码", "单位名称", "年度", "台账类型", "报送情况"])
    for e in entries:
        writer.writerow([e["agency_code"], e["agency_name"], e["year"], LEDGER_SHORT_LABELS[e["kind"]], SUBMISSION_STATUS_LABELS[e["status"]]])
    path = root / SUBMISSIONS_FILE
    path.write_bytes(buf.getvalue().encode("utf-8-sig"))
    set_mtime(path, _at(2024, 1, 3, 9, 0))


def has_ledgers(root: Path) -> bool:
    if any((root / name).exists() for name in ("agencies.csv", "agencies.xlsx", SUBMISSIONS_FILE, MANIFEST_NAME)):
        return True
    return any(p.is_file() for kind in LEDGER_KINDS if (root / kind).is_dir() for p in (root / kind).rglob("*"))


def prepare_out(out: Path, force: bool) -> Path:
    """The output folder, emptied of an earlier generation with `force`; refused (GongkaiError) without it."""
    out = Path(out)
    if has_ledgers(out):
        if not force:
            raise GongkaiError(f"{out} 已有台账，如需覆盖请加 --force", f"{out} already holds ledgers; use --force to overwrite")
        clear(out)
    out.mkdir(parents=True, exist_ok=True)
    return out


def clear(root: Path) -> None:
    """Remove what a previous generation wrote (and only the raw-root parts: agencies, ledgers, manifest)."""
    for name in ("agencies.csv", "agencies.xlsx", SUBMISSIONS_FILE, MANIFEST_NAME):
        (root / name).unlink(missing_ok=True)
    for kind in LEDGER_KINDS:
        if (root / kind).is_dir():
            shutil.rmtree(root / kind)


def generate_sample(out: Path, seed: int = SEED, *, force: bool = False) -> Manifest:
    """Write the sample raw root to `out` and return its manifest.

    Refuses (GongkaiError) when `out` already holds ledgers, unless `force`.
    """
    out = prepare_out(out, force)
    files = build(seed)
    _write_agencies(out)
    entries = register_entries(files)
    _write_submissions(out, entries)
    manifest = Manifest(GENERATOR, VERSION, seed, "county", list(YEARS))
    for lf in files:
        write_ledger(out, lf, seed)
        bad = bad_row_numbers(lf)
        manifest.files.append(
            {
                "path": lf.path,
                "kind": lf.kind,
                "format": lf.profile.format,
                "encoding": lf.profile.encoding,
                "rows": len(lf.records),
                "bad_rows": len(bad),
                "exported_at": lf.exported_at.isoformat(),
                "mtime": int(lf.exported_at.timestamp()),
            }
        )
        for row, record in bad:
            manifest.bad_rows.append(
                {
                    "path": lf.path,
                    "row": row,
                    "kind": lf.kind,
                    "agency_code": record.agency_code,
                    "record_id": record_id(record),
                    "rule": record.bad,
                    "year": record.year,
                }
            )
    manifest.files.insert(
        0,
        {
            "path": AGENCIES_FILE,
            "kind": "agencies",
            "format": "csv",
            "encoding": "utf-8",
            "rows": len(AGENCIES),
            "bad_rows": 0,
            "exported_at": _at(2024, 1, 2, 9, 0).isoformat(),
            "mtime": int(_at(2024, 1, 2, 9, 0).timestamp()),
        },
    )
    manifest.files.insert(
        1,
        {
            "path": SUBMISSIONS_FILE,
            "kind": "submissions",
            "format": "csv",
            "encoding": "utf-8-sig",
            "rows": len(entries),
            "bad_rows": 0,
            "exported_at": _at(2024, 1, 3, 9, 0).isoformat(),
            "mtime": int(_at(2024, 1, 3, 9, 0).timestamp()),
        },
    )
    manifest.truth = ground_truth(AGENCIES, list(YEARS), files, manifest.bad_rows, entries)
    set_mtime(manifest.write(out), _at(2024, 3, 2, 9, 0))
    return manifest
