"""Check one published report: read it, take its tables apart, run the relations, compare the text.

`check_report(path)` → `PublishedReport`; `to_object(report)` is the JSON of
`gongkai check --format json`; `published_facts(reports)` is the seam for loading
published figures into the warehouse.

A cell the report leaves blank, fills with "/", or that cannot be read is null
in the JSON and absent from the fact frames (never a zero); a finding says why.
"""

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field

import polars as pl

from pipelines.defs import readiness
from pipelines.defs.findings import Finding as ReadinessFinding
from pipelines.defs.published import detect
from pipelines.defs.published.extract import Tables, read_tables, region, sections
from pipelines.defs.published.findings import Finding, from_violations, reading
from pipelines.defs.published.narrative import Narrative, narrative_findings, read_narrative
from pipelines.defs.published.text import read_document
from pipelines.defs.tables import frames, relations, shape
from pipelines.errors import GongkaiError
from schemas import vocabulary as v

# Relations one report allows (A4 and P1 need the year before).


@dataclass
class PublishedReport:
    source: str
    agency_name: str | None
    year: int | None
    format: str
    tables: Tables
    narrative: Narrative
    findings: list[Finding] = field(default_factory=list)
    checks: list[dict] = field(default_factory=list)  # {"id", "status", "message"}
    signed_on: dt.date | None = None  # the date under the report's signature: when it was published
    # the report's own text, for readiness: all of it (headings and tables left out), and sections 5 and 6
    # (None when the report has no such section)
    text: list[str] = field(default_factory=list)
    section5: list[str] | None = None
    section6: list[str] | None = None

    @property
    def has_errors(self) -> bool:
        return any(f.severity == "error" for f in self.findings)

    def facts(self, agency_code: str | None = None) -> dict[str, pl.DataFrame]:
        """Fact frames (shapes of `frames`) of the cells that have a value."""
        key = {"agency_code": agency_code, "year": self.year}

        def frame(cells: dict, names: tuple[str, str], schema: dict) -> pl.DataFrame:
            rows = [key | {names[0]: a, names[1]: b, "value": val} for (a, b), val in cells.items() if val is not None]
            return pl.DataFrame(rows, schema=schema) if rows else frames.empty(schema)

        return {
            "proactive": frame(self.tables.proactive, ("item", "metric"), frames.PROACTIVE),
            "applications": frame(self.tables.applications, ("row_key", "column_key"), frames.APPLICATION),
            "appeals": frame(self.tables.appeals, ("group_key", "result"), frames.APPEAL),
            "channels": pl.DataFrame([key | {"channel": c, "value": n} for c, n in self.narrative.channels.items()], schema=frames.CHANNEL)
            if self.narrative.channels
            else frames.empty(frames.CHANNEL),
        }


def _checked_applications(tables: Tables) -> tuple[dict, dict[str, str]]:
    """Table A for the relations: a group given as one row stands in as its first sub-row, the others 0.

    Only for checking A2/A3 against the group's sum; the output keeps the sub-rows null.
    """
    cells = dict(tables.applications)
    renamed = {}
    for group, values in tables.aggregated.items():
        subs = [k for k in v.APPLICATION_ROW_KEYS if k.startswith(group + ".")]
        if any(cells.get((s, c)) is not None for s in subs for c in v.APPLICATION_COLUMN_KEYS):
            continue
        for col, val in values.items():
            cells[(subs[0], col)] = val
            for s in subs[1:]:
                cells[(s, col)] = 0.0
        renamed[subs[0]] = group
    return cells, renamed


def check_report(path) -> PublishedReport:
    doc = read_document(path)
    name, year = detect.identify(doc)
    fmt = detect.report_format(doc)
    tables = read_tables(doc, trial=fmt == detect.TRIAL)
    if not tables.found:
        raise GongkaiError(f"{path}：未找到年度报告的统计表（表P、表A、表R）", f"{path}: no statutory tables (P, A, R) found; is it an annual report?")
    if fmt is None:
        fmt = detect.TRIAL if "3.6" in tables.aggregated else detect.NATIONAL
        if fmt == detect.TRIAL:
            tables = read_tables(doc, trial=True)
    secs = sections(doc)
    nar = read_narrative(doc, secs)
    report = PublishedReport(str(path), name, year, fmt, tables, nar, signed_on=detect.signed_on(doc))

    # The relations of Part 1 on this one report (keyed by its path, so nothing else can mix in).
    apps, renamed = _checked_applications(tables)
    checked = PublishedReport(str(path), name, year or 0, fmt, Tables(tables.proactive, apps, tables.appeals), nar)
    facts = checked.facts(agency_code=str(path))
    args = (facts["applications"], facts["appeals"], facts["proactive"])
    relation_findings = from_violations(relations.violations(*args), renamed)
    results = relations.check_results(*args)
    text_findings, s1 = narrative_findings(nar, tables.applications)

    findings: list[Finding] = []
    if fmt == detect.TRIAL:
        findings.append(reading("trial_format", "P", None, None, {}, "", ""))
    findings += relation_findings + text_findings + nar.findings + tables.findings
    # errors first, then warnings, each in the order met
    report.findings = sorted(findings, key=lambda f: f.severity != "error")
    report.checks = [{"id": cid, "status": st, "message": msg} for cid, st, msg in results.select("check_id", "status", "message").iter_rows()]
    report.text, report.section5, report.section6 = _texts(doc, secs)
    report.findings += [_published(f) for f in (readiness.problems_finding(report.section5), readiness.fees_finding(report.section6)) if f is not None]
    if s1 is not None:
        s1_msg = next((f.message for f in text_findings if f.id == "S1"), f"{v.RELATION_BY_ID['S1'].zh} / {v.RELATION_BY_ID['S1'].en}")
        report.checks.append({"id": "S1", "status": s1, "message": s1_msg})
    return report


def _texts(doc, secs: dict[str, int]) -> tuple[list[str], list[str] | None, list[str] | None]:
    """The report's narrative lines (no table cell, no section heading), and those of sections 5 and 6."""
    headings = set(secs.values())
    lines = [(i, t.text) for i, t in enumerate(doc.tokens) if not t.cell and t.text.strip() and i not in headings]

    def section(key: str) -> list[str] | None:
        if key not in secs:
            return None
        start, end = region(doc, secs, key)
        return [text for i, text in lines if start <= i < end]

    return [text for _, text in lines], section("problems"), section("other")


def _published(found: ReadinessFinding) -> Finding:
    return Finding(found.id, found.severity, "text", None, None, {}, found.title)


def add_repeated(reports: list[PublishedReport]) -> None:
    """A report whose text repeats, by more than half, that of the same agency's report of the year before —
    when both are among `reports` — gets the readiness warning."""
    by_agency_year = {(r.agency_name, r.year): r for r in reports if r.agency_name and r.year}
    for report in reports:
        before = by_agency_year.get((report.agency_name, (report.year or 0) - 1))
        found = readiness.repeated_finding(report.text, before.text if before is not None else None)
        if found is not None:
            report.findings.append(_published(found))


def to_object(report: PublishedReport) -> dict:
    """The `gongkai tables` object of the report, with format, source and findings; unread cells are null."""
    facts = report.facts()
    obj = shape.tables_object(
        agency_code=None,
        agency_name=report.agency_name,
        year=report.year,
        complete=True,
        proactive=facts["proactive"],
        channels=facts["channels"],
        applications=facts["applications"],
        appeals=facts["appeals"],
    )
    obj["year"] = report.year  # tables_object casts; a report without a year stays null
    t = report.tables
    missing = 0
    for item in v.PROACTIVE_ITEMS:
        for m in item.metrics:
            if t.proactive.get((item.key, m.key)) is None:
                obj["proactive"][item.key][m.key] = None
                missing += 1
    for r in v.APPLICATION_ROW_KEYS:
        for c in v.APPLICATION_COLUMN_KEYS:
            if t.applications.get((r, c)) is None:
                obj["applications"][r][c] = None
                missing += 1
    for g, res in v.APPEAL_CELLS:
        if t.appeals.get((g, res)) is None:
            obj["appeals"][g][res] = None
            missing += 1
    nar = report.narrative
    if nar.stated_total is not None:
        obj["channels"]["total"] = nar.stated_total  # what the report says; S1 flags a different sum
    elif not nar.channels:
        obj["channels"]["total"] = None
    obj["complete"] = missing == 0
    obj["checks"] = report.checks
    obj["format"] = report.format
    obj["source"] = report.source
    obj["findings"] = [f.as_dict() for f in report.findings]
    return obj


def published_facts(results: Iterable[PublishedReport]) -> dict[str, pl.DataFrame]:
    """The seam for loading published figures: fact frames of every report, plus one row per report.

    A published report does not print its agency code, so `agency_code` is null;
    each fact row carries `source` and `agency_name` for the loader to resolve the
    code (e.g. through dim_agency). Cells without a value are absent.
    """
    results = list(results)
    out: dict[str, list[pl.DataFrame]] = {"proactive": [], "applications": [], "appeals": [], "channels": []}
    schemas = {"proactive": frames.PROACTIVE, "applications": frames.APPLICATION, "appeals": frames.APPEAL, "channels": frames.CHANNEL}
    extra = {"source": pl.String, "agency_name": pl.String}
    for rep in results:
        for name, df in rep.facts().items():
            out[name].append(df.with_columns(source=pl.lit(rep.source, pl.String), agency_name=pl.lit(rep.agency_name, pl.String)))
    facts = {name: pl.concat(dfs, how="vertical") if dfs else pl.DataFrame(schema=schemas[name] | extra) for name, dfs in out.items()}
    facts["reports"] = pl.DataFrame(
        [
            {
                "source": r.source,
                "agency_name": r.agency_name,
                "year": r.year,
                "format": r.format,
                "errors": sum(f.severity == "error" for f in r.findings),
                "warnings": sum(f.severity == "warning" for f in r.findings),
                "signed_on": r.signed_on,
            }
            for r in results
        ],
        schema={
            "source": pl.String,
            "agency_name": pl.String,
            "year": pl.Int32,
            "format": pl.String,
            "errors": pl.Int64,
            "warnings": pl.Int64,
            "signed_on": pl.Date,
        },
    )
    return facts
