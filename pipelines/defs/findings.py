"""Findings about one agency-year's report: a failed or warned consistency check, a quarantined row (and, as
the stages that find them arrive, other reasons a report is not ready). Each has a stable id, so a reviewer's
decision on it (kept by the desk) can be matched again after any rebuild.

Severity decides what a reviewer may do: an error can only be confirmed — the data must be corrected —,
a warning can also be dismissed with a reason, and a dismissed warning no longer makes the report a draft
(the reports take the dismissed ids as a plain input: ReportContext.dismissed)."""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from schemas.columns import KINDS
from schemas.vocabulary import RELATION_BY_ID

ERROR = "error"
WARNING = "warning"


@dataclass(frozen=True)
class Finding:
    id: str
    source: str  # check | quarantine | ledger | readiness
    severity: str  # error | warning
    title: str  # one line, Chinese first
    detail: str = ""
    where: str = ""  # the ledger file and row, for a row

    @property
    def dismissible(self) -> bool:
        return self.severity == WARNING


def check_id(relation: str) -> str:
    return f"check:{relation}"


def quarantine_id(path: str, row: int) -> str:
    return f"quarantine:{path}#{row}"


def check_findings(checks: Iterable[Mapping]) -> list[Finding]:
    """From the `checks` of a tables object: a fail is an error, a warn a warning; passes are not findings."""
    out = []
    for check in checks:
        status = check.get("status")
        if status not in ("fail", "warn"):
            continue
        relation = RELATION_BY_ID.get(str(check.get("id")))
        name = f"{check.get('id')} {relation.zh}" if relation else str(check.get("id"))
        out.append(
            Finding(
                check_id(str(check.get("id"))),
                "check",
                ERROR if status == "fail" else WARNING,
                f"勾稽关系{'不符' if status == 'fail' else '提示'}：{name}",
                str(check.get("message") or ""),
            )
        )
    return out


def ledger_id(kind: str) -> str:
    return f"ledger:{kind}"


def incomplete_findings(reasons: Iterable[Mapping]) -> list[Finding]:
    """The `incomplete` reasons of a tables object that a reviewer may decide on: a ledger not accounted for
    (no record of the year and no word in the register) is a warning — the clerk declares "none this year", or
    the reviewer, having checked, dismisses it with a reason. The other reasons (quarantined rows, a rejected
    file, a year not over) are facts of the data, listed with the report, and cannot be dismissed."""
    return [
        Finding(
            ledger_id(r["kind"]),
            "ledger",
            WARNING,
            f"{KINDS[r['kind']].label if r['kind'] in KINDS else r['kind']}：本年既无记录，也未声明“本年无” / no {r['kind']} record this year and no 'none' declared",
            "经办人可声明“本年无”；审核人核实后可忽略 / the clerk declares none, or the reviewer dismisses it after checking",
        )
        for r in reasons
        if r.get("reason") == "ledger_missing" and r.get("kind")
    ]


def quarantine_findings(rows: Iterable[Mapping]) -> list[Finding]:
    """Quarantined rows (path, row, rule, message, record_id): errors — the ledger has to be corrected."""
    return [
        Finding(
            quarantine_id(r["path"], int(r["row"])),
            "quarantine",
            ERROR,
            f"台账行被隔离：{r['message'].split(' / ')[0]}",
            r["message"],
            f"{r['path']} 第{r['row']}行" + (f"（{r['record_id']}）" if r.get("record_id") else ""),
        )
        for r in rows
    ]


def fee_id(month: str, applicant_key: str) -> str:
    return f"fee:{month}:{applicant_key[:16]}"


def fee_findings(rows: Iterable[Mapping]) -> list[Finding]:
    """Fees over the by-count limit (compliance/fees.py: agency, month, applicant, applications, fees, cap, ids):
    warnings naming the applications — fees charged by pages may exceed it, which a reviewer can confirm."""
    out = []
    for r in rows:
        month = f"{r['month']:%Y-%m}" if hasattr(r["month"], "strftime") else str(r["month"])[:7]
        ids = str(r["application_ids"])
        out.append(
            Finding(
                fee_id(month, str(r["applicant_key"])),
                "fee",
                WARNING,
                f"信息处理费超过按件计收上限：{month} 同一申请人 {r['applications']} 件共收 {r['fees_yuan']:g} 元，上限 {r['cap_yuan']:g} 元 / "
                f"fees over the by-count limit: {r['applications']} applications of one applicant in {month} charged {r['fees_yuan']:g} 元, "
                f"at most {r['cap_yuan']:g} 元",
                "按页计收的请核实页数后忽略 / if charged by pages, check the page counts and dismiss",
                f"申请 / applications: {ids}",
            )
        )
    return out
