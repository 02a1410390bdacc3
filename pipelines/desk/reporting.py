"""A report as the desk sees it: its tables (from the warehouse), its findings with the reviewer's decisions,
whether it is still a draft, and its sign-off — frozen on the fingerprint of what it was computed from."""

import hashlib
from dataclasses import dataclass, field
from pathlib import Path

import polars as pl

from pipelines.defs import findings as F
from pipelines.defs.compliance.fees import excess_rows
from pipelines.defs.reports.context import ReportContext
from pipelines.defs.reports.narrative import narrative_path
from pipelines.defs.reports.publish import render_if_changed, report_context
from pipelines.defs.tables import store as tables_store
from pipelines.defs.warehouse import warehouse
from pipelines.defs.warehouse.read import agency_year_tables, year_tables
from pipelines.desk import register
from pipelines.desk.store import Store
from pipelines.errors import GongkaiError
from pipelines.settings import Settings
from schemas.columns import KINDS, LEDGER_KINDS

STATES = {"draft": "草稿 / draft", "submitted": "已提交 / submitted", "approved": "已审核通过 / approved"}


@dataclass
class ReportView:
    code: str
    year: int
    tables: dict | None  # None: the year is not loaded
    context: ReportContext | None
    findings: list[F.Finding] = field(default_factory=list)
    decisions: dict[str, dict] = field(default_factory=dict)
    signoff: dict | None = None
    reopened: bool = False  # signed off, then what it was computed from changed
    fingerprint: str = ""

    @property
    def reasons(self) -> list[str]:
        return self.context.reasons() if self.context else ["本年度尚未入库 / the year is not loaded yet"]

    @property
    def is_draft(self) -> bool:
        return bool(self.reasons)

    @property
    def state(self) -> str:
        if self.signoff is None or self.reopened:
            return "draft"
        return self.signoff["state"]

    @property
    def errors(self) -> list[F.Finding]:
        return [f for f in self.findings if f.severity == F.ERROR]

    @property
    def open_warnings(self) -> list[F.Finding]:
        return [f for f in self.findings if f.dismissible and self.decisions.get(f.id, {}).get("decision") != "dismiss"]


def dismissed(decisions: dict[str, dict], found: list[F.Finding]) -> frozenset[str]:
    """Ids of warnings whose latest decision is a dismissal (an error's id never counts)."""
    return frozenset(f.id for f in found if f.dismissible and decisions.get(f.id, {}).get("decision") == "dismiss")


def fingerprint(cfg: Settings, code: str, year: int) -> str:
    """What a report is computed from: the tables stage's input fingerprint of the agency-year (its ledgers,
    quarantined rows, year − 1, the code) and the clerk's narrative."""
    inputs = tables_store.read_inputs(cfg.tables_dir, year)
    mine = None if inputs is None else inputs.filter(pl.col("agency_code") == code).get_column("fingerprint").to_list()
    path = narrative_path(code, year, cfg.narratives_dir)
    narrative = hashlib.sha256(path.read_bytes()).hexdigest() if path.exists() else "none"
    return hashlib.sha256(f"{mine}:{narrative}".encode()).hexdigest()


def quarantined_rows(cfg: Settings, code: str, year: int) -> list[dict]:
    """The agency's quarantined rows that still count for the year (not corrected by a later export): its own
    year, or still open from an earlier one, or without a readable date."""
    if not cfg.warehouse.exists():
        return []
    con = warehouse.reader(cfg.warehouse)
    try:
        return (
            con.sql(
                """SELECT path, "row", kind, record_id, rule, "column", value, message FROM quarantine
               WHERE agency_code = $code AND NOT superseded AND kind <> 'agencies'
                 AND (year IS NULL OR (year <= $year AND (end_year IS NULL OR end_year >= $year)))
               ORDER BY path, "row" """,
                params={"code": code, "year": year},
            )
            .pl()
            .to_dicts()
        )
    finally:
        con.close()


def tables(cfg: Settings, code: str, year: int) -> dict | None:
    try:
        return agency_year_tables(cfg.warehouse, code, year)
    except GongkaiError:
        return None


def view(cfg: Settings, store: Store, code: str, year: int, obj: dict | None = None, with_rows: bool = True) -> ReportView:
    obj = obj if obj is not None else tables(cfg, code, year)
    decisions = store.decisions(code, year)
    found: list[F.Finding] = []
    if obj is not None:
        found = F.check_findings(obj.get("checks", []))
        if with_rows:
            found += F.quarantine_findings(quarantined_rows(cfg, code, year))
    ctx = None
    if obj is not None:
        found += F.incomplete_findings(obj.get("incomplete") or [])
        found += F.fee_findings(excess_rows(cfg.warehouse, code, year))
        gone = dismissed(decisions, found)
        try:
            ctx = report_context(obj, cfg.narratives_dir, gone)
        except GongkaiError as err:  # a narrative that does not parse: a draft, with the reason
            ctx = report_context(obj, Path("/nonexistent"), gone)
            ctx.draft_reasons.append(str(err))
        # what a reviewer checks in the clerk's text comes with the narrative: decided on like the other warnings
        found += ctx.readiness_findings()
        ctx.dismissed = dismissed(decisions, found)
    steps = store.signoffs(code, year)
    latest = steps[-1] if steps else None
    current = fingerprint(cfg, code, year)
    rv = ReportView(code, year, obj, ctx, found, decisions, latest, False, current)
    # signed off, then its ledgers or narrative changed — or a decision was taken back, so it is a draft again
    rv.reopened = bool(latest and latest["state"] != "draft" and (latest["fingerprint"] != current or rv.is_draft))
    return rv


def render(cfg: Settings, rv: ReportView) -> dict[str, Path]:
    """The report's DOCX, HTML and XLSX with the reviewer's dismissals, in the desk's own folder."""
    if rv.context is None:
        raise GongkaiError(f"{rv.year}年尚未入库，无法生成报告", f"year {rv.year} is not loaded: no report yet")
    paths, _ = render_if_changed(rv.context, cfg.desk_dir / "reports")
    return paths


def ledger_status(cfg: Settings, obj: dict | None, code: str, year: int, uploads: list[dict]) -> list[dict]:
    """Per ledger kind: records of the year in the tables, the register's word, and the desk's uploads."""
    said = register.declared(cfg.raw_dir, code, year)
    out = []
    for kind in LEDGER_KINDS:
        records = None
        if obj is not None:
            records = {
                "disclosures": obj["channels"].get("total", 0),
                "applications": obj["applications"]["1"]["total"],
                "appeals": sum(obj["appeals"][g]["total"] for g in obj["appeals"]),
            }[kind]
        mine = [u for u in uploads if u["kind"] == kind]
        if records:
            status, label = "records", f"已报送（本年 {records} 条）"
        elif said.get(kind) == "none":
            status, label = "none", "本年无（已声明）"
        elif said.get(kind) == "handed_in":
            status, label = "handed_in", "已报送（登记）"
        else:
            status, label = "missing", "未报送"
        out.append({"kind": kind, "label": KINDS[kind].label, "status": status, "text": label, "records": records, "uploads": len(mine)})
    return out


def board(cfg: Settings, store: Store, agencies: list, year: int) -> list[dict]:
    """One row per agency of a county: ledgers handed in or missing, quarantined rows, failed checks, draft or
    ready, sign-off."""
    loaded = {obj["agency_code"]: obj for obj, _ in year_tables(cfg.warehouse, year, [a.code for a in agencies])} if cfg.warehouse.exists() else {}
    rows = []
    for agency in agencies:
        obj = loaded.get(agency.code)
        rv = view(cfg, store, agency.code, year, obj if obj is not None else None, with_rows=False) if obj is not None else None
        rows.append(
            {
                "agency": agency,
                "loaded": obj is not None,
                "ledgers": ledger_status(cfg, obj, agency.code, year, store.uploads(agency.code)),
                "quarantined": obj.get("quarantined_rows", 0) if obj else None,
                "failed": sum(1 for c in obj.get("checks", []) if c.get("status") == "fail") if obj else None,
                "warnings": len(rv.open_warnings) if rv else None,
                "draft": rv.is_draft if rv else True,
                "state": rv.state if rv else "draft",
                "reopened": rv.reopened if rv else False,
            }
        )
    return rows
