"""What a report is rendered from: the tables object of interfaces.md plus a little context."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from pipelines.defs import readiness
from pipelines.defs.findings import Finding, check_findings, ledger_id
from pipelines.defs.reports.narrative import MARKERS, Narrative, missing_sections
from pipelines.errors import GongkaiError
from schemas.vocabulary import (
    APPEAL_GROUP_KEYS,
    APPEAL_RESULT_KEYS,
    APPLICATION_COLUMN_KEYS,
    APPLICATION_ROW_KEYS,
    CHANNEL_BY_KEY,
    PROACTIVE_ITEMS,
    RELATION_BY_ID,
)

DRAFT_BANNER = "草稿 / DRAFT — 不得发布"


@dataclass
class ReportContext:
    """One agency-year to render.

    `tables` is the JSON object of `gongkai tables --format json` (interfaces.md).
    `draft_reasons` are extra reasons from the caller; the context adds its own
    (incomplete data, failing checks, missing narrative) in `reasons()`.
    """

    tables: dict
    fees_collected_yuan: float = 0.0
    quarantined_rows: int = 0
    narrative: Narrative | None = None
    draft_reasons: list[str] = field(default_factory=list)
    generated_on: date = field(default_factory=date.today)
    # the date printed on the published report of this agency-year, when one was loaded (gongkai check --load)
    published_on: date | None = None
    # ids of warnings a reviewer dismissed with a reason (pipelines/defs/findings.py): they no longer make a draft
    dismissed: frozenset[str] = frozenset()
    # the clerk's narrative of the year before, which this year's must not repeat by more than half
    previous_narrative: Narrative | None = None

    def __post_init__(self) -> None:
        validate_tables(self.tables)

    @property
    def signed_on(self) -> date:
        """The date under the signature: the clerk's (narrative front matter `signed_on`), else the publication
        date when one is known, else the day of rendering."""
        if self.narrative is not None and self.narrative.signed_on is not None:
            return self.narrative.signed_on
        return self.published_on or self.generated_on

    @property
    def agency_code(self) -> str:
        return self.tables["agency_code"]

    @property
    def agency_name(self) -> str:
        return self.tables["agency_name"]

    @property
    def year(self) -> int:
        return int(self.tables["year"])

    def failing_checks(self) -> list[dict]:
        return [c for c in self.tables.get("checks", []) if c.get("status") == "fail"]

    def warning_checks(self) -> list[dict]:
        return [c for c in self.tables.get("checks", []) if c.get("status") == "warn"]

    def readiness_findings(self) -> list[Finding]:
        """What a reviewer checks in the clerk's text (pipelines/defs/readiness.py): a narrative repeating last
        year's by more than half, a section 5 that says nothing. Section 6 always states the fees: the report
        writes the fee sentence there itself (reports/document.py). A section left out is a reason of its own
        (missing_sections), not a finding here."""
        if self.narrative is None:
            return []
        found = [readiness.repeated_finding(_clerks_text(self.narrative), None if self.previous_narrative is None else _clerks_text(self.previous_narrative))]
        problems = self.narrative.paragraphs("problems")
        if problems:
            found.append(readiness.problems_finding(problems))
        return [f for f in found if f is not None]

    def reasons(self) -> list[str]:
        """Every reason this report must not be published; empty means publishable."""
        out = list(self.draft_reasons)
        stated = self.tables.get("incomplete_reasons") or []
        # each reason the data is incomplete, as the warehouse states it (which file, which ledger, which rows);
        # a ledger not accounted for that a reviewer dismissed after checking no longer counts
        details = self.tables.get("incomplete")
        if details is not None:
            stated = [r["text"] for r in details if not (r["reason"] == "ledger_missing" and ledger_id(r["kind"] or "") in self.dismissed)]
        out += [f"数据不完整 / incomplete: {r}" for r in stated]
        if not self.tables.get("incomplete_reasons") and (not self.tables.get("complete", False) or self.quarantined_rows):
            out.append(f"数据不完整：{self.quarantined_rows} 行台账记录被隔离 / incomplete: {self.quarantined_rows} ledger rows quarantined")
        for check in self.failing_checks():
            relation = RELATION_BY_ID.get(check.get("id", ""))
            what = f"{check.get('id')} {relation.zh}" if relation else str(check.get("id"))
            out.append(f"勾稽关系校验未通过 / check failed: {what} — {check.get('message', '')}".rstrip(" —"))
        for finding in check_findings(self.warning_checks()):
            if finding.id not in self.dismissed:
                out.append(f"{finding.title}（未经审核人说明 / warning not dismissed by the reviewer） — {finding.detail}".rstrip(" —"))
        for finding in self.readiness_findings():
            if finding.id not in self.dismissed:
                out.append(f"{finding.title}（未经审核人说明 / warning not dismissed by the reviewer）")
        channels = self.tables["channels"]
        by_channel = sum(v for k, v in channels.items() if k != "total")
        if by_channel != channels.get("total", 0):
            out.append(f"各渠道公开条数之和 {by_channel} ≠ 总数 {channels.get('total')} / channel figures do not add up (S1)")
        if self.fees_collected_yuan < 0:
            out.append(f"信息处理费为负数 {self.fees_collected_yuan} / negative fees")
        if self.narrative is None:
            out.append("未提供文字说明文件，文字部分为待填写占位 / no narrative file: the text sections are placeholders")
        else:
            for section in missing_sections(self.narrative):
                out.append(f"文字说明缺少“{section.heading}” / narrative lacks section {section.number}")
        return out

    @property
    def is_draft(self) -> bool:
        return bool(self.reasons())


def _clerks_text(narrative: Narrative) -> list[str]:
    """Every paragraph the clerk wrote, without the markers where the report puts its own figures."""
    markers = [marker for marker, _ in MARKERS.values()]
    out = []
    for lines in narrative.sections.values():
        for line in lines:
            for marker in markers:
                line = line.replace(marker, "")
            out.append(line)
    return out


def validate_tables(tables: dict) -> None:
    """Fail early, in one line, when the tables object is not the interfaces.md shape."""
    problems = []
    for key in ("agency_code", "agency_name", "year", "proactive", "channels", "applications", "appeals"):
        if key not in tables:
            problems.append(f"missing '{key}'")
    if not problems:
        for item in PROACTIVE_ITEMS:
            for metric in item.metrics:
                if metric.key not in tables["proactive"].get(item.key, {}):
                    problems.append(f"proactive.{item.key}.{metric.key}")
        for row in APPLICATION_ROW_KEYS:
            for col in APPLICATION_COLUMN_KEYS:
                if col not in tables["applications"].get(row, {}):
                    problems.append(f"applications.{row}.{col}")
        for group in APPEAL_GROUP_KEYS:
            for result in APPEAL_RESULT_KEYS:
                if result not in tables["appeals"].get(group, {}):
                    problems.append(f"appeals.{group}.{result}")
        unknown = [k for k in tables["channels"] if k != "total" and k not in CHANNEL_BY_KEY]
        problems += [f"unknown channel '{k}'" for k in unknown]
    if problems:
        shown = ", ".join(problems[:5]) + (f" (+{len(problems) - 5})" if len(problems) > 5 else "")
        raise GongkaiError(f"报表数据不完整：{shown}", f"tables object is incomplete: {shown}")
