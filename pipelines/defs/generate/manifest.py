"""MANIFEST.json: what was generated, where the deliberate bad rows sit, and ground-truth counts.

Ground truth is computed from the records as written, after the rules of
raw-data.md: bad rows are left out, and a record appearing in a later file
(by mtime, then name) replaces the earlier one.
"""

import datetime as dt
import json
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from pipelines.defs.generate.county import Agency
from pipelines.defs.generate.records import LedgerFile, Record
from schemas.columns import KINDS
from schemas.vocabulary import (
    APPEAL_GROUP_KEYS,
    APPEAL_RESULT_KEYS,
    APPLICATION_COLUMN_KEYS,
    APPLICATION_ROW_KEYS,
    DECISION_ITEMS,
    DOCUMENT_ITEMS,
    OUTCOME_KEYS,
)

MANIFEST_NAME = "MANIFEST.json"


@dataclass
class Manifest:
    generator: str
    version: str
    seed: int
    scale: str
    years: list[int]
    files: list[dict] = field(default_factory=list)
    bad_rows: list[dict] = field(default_factory=list)
    truth: list[dict] = field(default_factory=list)

    def to_dict(self) -> dict:
        return {
            "generator": self.generator,
            "version": self.version,
            "seed": self.seed,
            "scale": self.scale,
            "years": self.years,
            "files": self.files,
            "bad_rows": self.bad_rows,
            "truth": self.truth,
        }

    def write(self, root: Path) -> Path:
        path = root / MANIFEST_NAME
        path.write_text(json.dumps(self.to_dict(), ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
        return path

    @classmethod
    def read(cls, root: Path) -> "Manifest":
        return cls(**json.loads((root / MANIFEST_NAME).read_text(encoding="utf-8")))

    def truth_for(self, agency_code: str, year: int) -> dict:
        return next(t for t in self.truth if t["agency_code"] == agency_code and t["year"] == year)


def record_id(record: Record) -> str:
    return str(record.values[KINDS[record.kind].id_column])  # type: ignore[index]


def final_records(files: list[LedgerFile]) -> dict[str, list[Record]]:
    """Valid records per kind after later exports replace earlier ones."""
    latest: dict[tuple[str, str, str], Record] = {}
    for lf in sorted(files, key=lambda f: (f.exported_at, f.path)):
        for record in lf.records:
            if not record.bad:
                latest[(record.kind, record.agency_code, record_id(record))] = record
    out: dict[str, list[Record]] = {"disclosures": [], "applications": [], "appeals": []}
    for (kind, _, _), record in latest.items():
        out[kind].append(record)
    return out


def _in_year(day: object, year: int) -> bool:
    return isinstance(day, dt.date) and day.year == year


def proactive_truth(items: list[Record], year: int) -> dict:
    this_year = [r for r in items if _in_year(r.values["published_on"], year)]
    channels: dict[str, int] = {}
    categories: dict[str, int] = {}
    for r in this_year:
        channels[r.values["channel"]] = channels.get(r.values["channel"], 0) + 1  # type: ignore[index]
        categories[r.values["category"]] = categories.get(r.values["category"], 0) + 1  # type: ignore[index]
    table: dict[str, dict] = {}
    end = dt.date(year, 12, 31)
    for item in DOCUMENT_ITEMS:
        docs = [r for r in items if r.values["category"] == item]
        issued_on = {r.values["doc_number"]: r.values["published_on"] for r in docs if r.values["doc_action"] == "issue"}
        repealed_on = {r.values["doc_number"]: r.values["published_on"] for r in docs if r.values["doc_action"] == "repeal"}
        table[item] = {
            "issued": sum(1 for r in docs if r.values["doc_action"] == "issue" and _in_year(r.values["published_on"], year)),
            "repealed": sum(1 for r in docs if r.values["doc_action"] == "repeal" and _in_year(r.values["published_on"], year)),
            "in_force": sum(
                1
                for n, d in issued_on.items()
                if d <= end and not (n in repealed_on and repealed_on[n] <= end)  # type: ignore[operator]
            ),
        }
    for item in DECISION_ITEMS:
        table[item] = {"decisions": categories.get(item, 0)}
    amount = sum((r.values["amount_yuan"] for r in this_year if r.values["category"] == "admin_fee"), Decimal(0))
    table["admin_fee"] = {"amount_yuan": float(amount), "amount_wan_yuan": float(amount / 10000)}  # type: ignore[operator]
    return {
        "total": len(this_year),
        "channels": dict(sorted(channels.items())),
        "categories": dict(sorted(categories.items())),
        "table": table,
    }


def application_truth(apps: list[Record], year: int) -> tuple[dict, float]:
    start, end = dt.date(year, 1, 1), dt.date(year, 12, 31)
    table = {row: dict.fromkeys(APPLICATION_COLUMN_KEYS, 0) for row in APPLICATION_ROW_KEYS}
    fees = Decimal(0)
    for r in apps:
        received, closed, col = r.values["received_on"], r.values["closed_on"], r.values["applicant_type"]
        rows = []
        if received.year == year:  # type: ignore[union-attr]
            rows.append("1")
        if received < start and (closed is None or closed >= start):  # type: ignore[operator]
            rows.append("2")
        if _in_year(closed, year):
            rows += [r.values["outcome"], "3.7"]
            fees += r.values["fee_yuan"] or Decimal(0)  # type: ignore[operator]
        if received <= end and (closed is None or closed > end):  # type: ignore[operator]
            rows.append("4")
        for row in rows:
            table[row][col] += 1  # type: ignore[index]
            table[row]["total"] += 1
    assert all(table["3.7"][c] == sum(table[k][c] for k in OUTCOME_KEYS) for c in APPLICATION_COLUMN_KEYS)
    return table, float(fees)


def appeal_truth(cases: list[Record], year: int) -> dict:
    end = dt.date(year, 12, 31)
    table = {g: dict.fromkeys(APPEAL_RESULT_KEYS, 0) for g in APPEAL_GROUP_KEYS}
    for c in cases:
        group, filed, concluded = c.values["proceeding"], c.values["filed_on"], c.values["concluded_on"]
        if _in_year(concluded, year):
            table[group][c.values["result"]] += 1  # type: ignore[index]
        elif filed <= end and (concluded is None or concluded > end):  # type: ignore[operator]
            table[group]["pending"] += 1  # type: ignore[index]
        else:
            continue
        table[group]["total"] += 1  # type: ignore[index]
    return table


def missing_ledgers(final: dict[str, list[Record]], entries: list[dict], agency: str, year: int) -> list[str]:
    """The ledgers of an agency-year not accounted for: no valid record of its own year, no register entry."""
    declared = {e["kind"] for e in entries if e["agency_code"] == agency and e["year"] == year}
    return [
        k for k in ("disclosures", "applications", "appeals") if k not in declared and not any(r.agency_code == agency and r.year == year for r in final[k])
    ]


def ground_truth(agencies: tuple[Agency, ...], years: list[int], files: list[LedgerFile], bad_rows: list[dict], entries: list[dict]) -> list[dict]:
    final = final_records(files)
    out = []
    for agency in agencies:
        mine = {kind: [r for r in records if r.agency_code == agency.code] for kind, records in final.items()}
        for year in years:
            quarantined = sum(1 for b in bad_rows if b["agency_code"] == agency.code and b["year"] == year)
            missing = missing_ledgers(final, entries, agency.code, year)
            applications, fees = application_truth(mine["applications"], year)
            out.append(
                {
                    "agency_code": agency.code,
                    "agency_name": agency.name,
                    "year": year,
                    "complete": quarantined == 0 and not missing,
                    "quarantined_rows": quarantined,
                    "missing_ledgers": missing,
                    "proactive": proactive_truth(mine["disclosures"], year),
                    "applications": applications,
                    "appeals": appeal_truth(mine["appeals"], year),
                    "application_fees_yuan": fees,
                }
            )
    return out
