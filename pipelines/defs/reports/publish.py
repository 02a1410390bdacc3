"""From the warehouse to report files: every agency-year's report and each county's overview."""

import datetime as dt
import hashlib
import json
from collections import defaultdict
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path

from pipelines.defs import atomic, killpoints, versions
from pipelines.defs.compliance.due import agency_deadlines
from pipelines.defs.reports import pool
from pipelines.defs.reports.context import ReportContext
from pipelines.defs.reports.html_report import TEMPLATES
from pipelines.defs.reports.narrative import Narrative, load_narrative
from pipelines.defs.reports.overview import render_county_overview
from pipelines.defs.reports.render import render_agency_report, report_paths, warm_up
from pipelines.defs.warehouse.read import year_tables
from pipelines.errors import GongkaiError

UNKNOWN_COUNTY = "未标明县区"
# whatever goes wrong in one report or overview fails that one, named, not the year: a renderer bug met by one
# agency's data included (the run still exits 1 and the year stays pending)
REPORT_ERRORS = (Exception,)
STAMPS = ".inputs"  # under the reports folder: per year, what its reports were last made from
PENDING = "pending"  # written when a year's reports start: a run killed part-way leaves the year stale


def _code_version() -> str:
    """The renderer: the modules that make the documents and their templates."""
    return versions.code_version("pipelines.defs.reports.render", "pipelines.defs.reports.overview", data=(TEMPLATES,))


def fingerprint(ctx: ReportContext) -> str:
    """What a report's files are made of: its figures, the clerk's narrative, the draft reasons and the renderer.
    A date under the signature set by the clerk or the publication is part of it; the render date is left out
    (without those, the date is the day the content last changed)."""
    narrative = None if ctx.narrative is None else ctx.narrative.sections
    set_date = None if ctx.narrative is None or ctx.narrative.signed_on is None else ctx.narrative.signed_on
    payload = json.dumps([ctx.tables, narrative, ctx.reasons(), _code_version(), set_date or ctx.published_on], ensure_ascii=False, sort_keys=True, default=str)
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


def render_if_changed(ctx: ReportContext, out_dir: Path) -> tuple[dict[str, Path], bool]:
    """Render unless the files on disk were made from exactly this content; returns (paths, rendered)."""
    paths = report_paths(out_dir, ctx.agency_code, ctx.year)
    stamp = paths["docx"].with_suffix(".fingerprint")
    current = fingerprint(ctx)
    if all(p.exists() for p in paths.values()) and stamp.exists() and stamp.read_text() == current:
        return paths, False
    paths = render_agency_report(ctx, out_dir)
    atomic.write_text(stamp, current)
    return paths, True


def _agency_count(warehouse: Path, year: int) -> int:
    """How many agencies the year has loaded (0 when none, or no warehouse yet): whether to start the pool."""
    import duckdb

    from pipelines.defs.warehouse.warehouse import query

    if not Path(warehouse).exists():
        return 0
    try:
        return int(query(warehouse, "SELECT count(*) AS n FROM agency_year WHERE year = ?", [year]).item())
    except duckdb.Error:  # no such table yet
        return 0


def published_dates(warehouse: Path, year: int) -> dict[str, dt.date]:
    """Agency code → the date under the signature of its loaded published report of `year` (gongkai check --load)."""
    import duckdb

    from pipelines.defs.warehouse.warehouse import query

    if not Path(warehouse).exists():
        return {}
    try:
        frame = query(
            warehouse,
            "SELECT agency_code, max(signed_on) FROM published_report WHERE year = ? AND agency_code IS NOT NULL AND signed_on IS NOT NULL GROUP BY ALL",
            [year],
        )
    except duckdb.Error:  # a warehouse last loaded before published reports kept their date
        return {}
    return dict(frame.iter_rows())


def report_context(
    obj: dict,
    narratives: Path | None,
    dismissed: frozenset[str] = frozenset(),
    generated_on: dt.date | None = None,
    published_on: dt.date | None = None,
) -> ReportContext:
    """One agency-year's report from its tables object (warehouse/read.py), the clerk's narrative (none when
    `narratives` is None) and last year's, which it must not repeat, the warnings a reviewer dismissed and the
    publication date, when known."""
    return ReportContext(
        tables=obj,
        fees_collected_yuan=obj.get("fees_yuan", 0.0),
        quarantined_rows=obj.get("quarantined_rows", 0),
        narrative=None if narratives is None else load_narrative(obj["agency_code"], obj["year"], narratives),
        generated_on=generated_on or dt.date.today(),
        dismissed=dismissed,
        previous_narrative=None if narratives is None else _previous_narrative(obj["agency_code"], obj["year"], narratives),
        published_on=published_on,
    )


def _previous_narrative(code: str, year: int, narratives: Path) -> Narrative | None:
    """Last year's narrative, to compare with; one that no longer parses is not this year's report's problem."""
    try:
        return load_narrative(code, year - 1, narratives)
    except GongkaiError:
        return None


@dataclass(frozen=True)
class AgencyJob:
    """One agency's report, as plain data a worker process can take: its tables object (warehouse/read.py), the
    warnings a reviewer dismissed and the publication date, when known."""

    obj: dict
    dismissed: frozenset[str] = frozenset()
    published_on: dt.date | None = None


@dataclass(frozen=True)
class RenderSetup:
    """What every report of the run shares."""

    out_dir: Path
    narratives: Path
    generated_on: dt.date
    keep_contexts: bool  # the overview needs every agency's context back


@dataclass(frozen=True)
class AgencyOutcome:
    code: str
    paths: dict[str, Path] | None = None
    rendered: bool = False
    draft: bool = False
    failed: str | None = None  # the one line naming what could not be written
    ctx: ReportContext | None = None  # for the overview (RenderSetup.keep_contexts)


def render_agency(job: AgencyJob, setup: RenderSetup) -> AgencyOutcome:
    """One agency's report files; whatever goes wrong fails this agency only, named."""
    obj, code = job.obj, job.obj["agency_code"]
    try:
        ctx = report_context(obj, setup.narratives, job.dismissed, setup.generated_on, job.published_on)
        paths, rendered = render_if_changed(ctx, setup.out_dir)
    # one agency's report (a broken narrative; a name no file system takes; bytes no format holds): named, the
    # others go on
    except REPORT_ERRORS as err:
        line = f"{obj['agency_name']}（{code}）{obj['year']}年：{_one_line(err)}"
        # its figures still count in the overview
        ctx = report_context(obj, None, job.dismissed, setup.generated_on, job.published_on) if setup.keep_contexts else None
        return AgencyOutcome(code, failed=line, ctx=ctx)
    return AgencyOutcome(code, paths, rendered, ctx.is_draft, ctx=ctx if setup.keep_contexts else None)


def render_chunk(jobs: list[AgencyJob], setup: RenderSetup) -> list[AgencyOutcome]:
    """A worker process's task: a few agencies' reports in a row."""
    return [render_agency(job, setup) for job in jobs]


def _render_all(jobs: list[AgencyJob], setup: RenderSetup, on_done: Callable[[AgencyJob, AgencyOutcome], None], workers: pool.Pool | None) -> None:
    """Every job's report, over the worker processes of a large year (pool.py), else here in order; `on_done` is
    called in this process for each agency, as its report is written."""
    if workers is None:
        for job in jobs:
            on_done(job, render_agency(job, setup))
        return
    for piece, outcomes in pool.run_chunks(workers, render_chunk, pool.chunks(jobs, workers.workers), setup):
        if outcomes is None:  # the worker process died (killed, out of memory): these agencies are not written
            outcomes = [
                AgencyOutcome(
                    j.obj["agency_code"],
                    failed=f"{j.obj['agency_name']}（{j.obj['agency_code']}）{j.obj['year']}年：报告进程意外退出 / the report process died",
                    ctx=report_context(j.obj, None, j.dismissed, setup.generated_on, j.published_on) if setup.keep_contexts else None,
                )
                for j in piece
            ]
        for job, outcome in zip(piece, outcomes, strict=True):
            on_done(job, outcome)


def publish_reports(
    warehouse: Path,
    year: int,
    out_dir: Path,
    narratives: Path,
    agency_codes: list[str] | None = None,
    generated_on: dt.date | None = None,
    progress: Callable[[int, int, str], None] | None = None,
    dismissed: Mapping[str, frozenset[str]] | None = None,
) -> dict:
    """Render the year's reports (all agencies, or those named) and, for whole counties, their overviews.
    `dismissed`: per agency code, the warnings a reviewer dismissed (they no longer make a draft). `progress` is told
    (agencies done, of all, the agency's name) as each agency's report is written (a large year's are written by
    several processes at once: pool.py)."""
    dismissed = dismissed or {}
    generated_on = generated_on or dt.date.today()
    overviews = agency_codes is None
    setup = RenderSetup(Path(out_dir), narratives, generated_on, keep_contexts=overviews)
    outcomes: dict[str, AgencyOutcome] = {}
    jobs: list[AgencyJob] = []

    def done(job: AgencyJob, outcome: AgencyOutcome) -> None:
        outcomes[outcome.code] = outcome
        if progress:
            progress(len(outcomes), len(jobs), job.obj["agency_name"])
        if outcome.failed is None:
            killpoints.reached("reports.agency")

    expected = _agency_count(warehouse, year) if agency_codes is None else len(agency_codes)
    with pool.started(expected, initializer=warm_up) as workers:  # they start while the tables are read
        current = year_tables(warehouse, year, agency_codes)
        published = published_dates(warehouse, year)
        jobs += [AgencyJob(obj, dismissed.get(obj["agency_code"], frozenset()), published.get(obj["agency_code"])) for obj, _ in current]
        # fewer found than expected (codes not loaded this year): a small year stays here after all
        _render_all(jobs, setup, done, workers if len(jobs) >= pool.MIN_AGENCIES else None)
    # failed: what could not be written, each named in one line; everything else is written all the same
    written: dict = {"reports": {}, "overviews": {}, "drafts": [], "rendered": 0, "failed": {}}
    for job in jobs:  # in agency-code order, whichever process finished first
        outcome = outcomes[job.obj["agency_code"]]
        if outcome.failed is not None:
            written["failed"][outcome.code] = outcome.failed
            continue
        written["reports"][outcome.code] = outcome.paths
        written["rendered"] += outcome.rendered
        if outcome.draft:
            written["drafts"].append(outcome.code)
    if overviews:
        previous = {obj["agency_code"]: obj for obj, _ in year_tables(warehouse, year - 1, agency_codes)}
        by_county: dict[str, list[tuple[ReportContext, ReportContext | None]]] = defaultdict(list)
        for obj, agency in current:
            ctx = outcomes[obj["agency_code"]].ctx
            assert ctx is not None  # kept: RenderSetup.keep_contexts
            prev = previous.get(obj["agency_code"])
            by_county[agency.get("county") or UNKNOWN_COUNTY].append((ctx, _figures_only(prev, narratives, generated_on) if prev else None))
        # answers against their due dates in the year, and what is due soon on the day the pages are made
        deadlines = agency_deadlines(warehouse, year, generated_on)
        for county, pairs in by_county.items():
            contexts = [c for c, _ in pairs]
            prev_contexts = [p for _, p in pairs if p is not None]
            try:
                written["overviews"][county] = render_county_overview(
                    county, year, contexts, out_dir, previous=prev_contexts or None, generated_on=generated_on, deadlines=deadlines
                )
            except REPORT_ERRORS as err:
                written["failed"][f"overview:{county}"] = f"县级总览 / overview {county!r} {year}年：{_one_line(err)}"
    return written


def _figures_only(obj: dict, narratives: Path, generated_on: dt.date | None) -> ReportContext:
    """Year − 1 for the overview's comparison, which reads its figures only: a broken narrative there is not this
    year's problem."""
    try:
        return report_context(obj, narratives, generated_on=generated_on)
    except GongkaiError:
        return report_context(obj, None, generated_on=generated_on)


def _one_line(err: BaseException) -> str:
    if isinstance(err, GongkaiError):
        return str(err)
    text = str(err).strip().splitlines()
    return f"{type(err).__name__}: {text[0] if text else ''}"


def year_inputs(warehouse: Path, narratives: Path, desk_db: Path, year: int) -> str:
    """What a year's reports (and overviews) are made from, as one hash: the agency-years loaded for the year and
    the year before (their tables-input fingerprints, as the overview compares), the clerks' narratives, the dismissed
    warnings and the renderer. A narrative edit changes it although no ledger changed."""
    from pipelines.defs.reports.dismissals import dismissed_findings
    from pipelines.defs.warehouse.warehouse import query

    digest = hashlib.sha256(_code_version().encode())
    if Path(warehouse).exists():
        loaded = query(warehouse, "SELECT agency_code, year, fingerprint FROM loaded_input WHERE year IN (?, ?) ORDER BY ALL", [year - 1, year])
        digest.update(loaded.write_csv().encode())
    digest.update(json.dumps(sorted((code, day.isoformat()) for code, day in published_dates(warehouse, year).items())).encode())
    # the clerks' narratives of the year, and last year's of an agency that has one this year: this year's must not
    # repeat it (readiness)
    this_year = sorted(Path(narratives).glob(f"*/{year}.md"))
    last_year = [p.with_name(f"{year - 1}.md") for p in this_year if p.with_name(f"{year - 1}.md").exists()]
    for path in sorted(this_year + last_year):
        digest.update(f"{path.relative_to(narratives)}\0".encode() + path.read_bytes() + b"\0")
    digest.update(json.dumps({k: sorted(v) for k, v in dismissed_findings(desk_db, year).items()}, sort_keys=True).encode())
    return digest.hexdigest()


def stamp_path(out_dir: Path, year: int) -> Path:
    return Path(out_dir) / STAMPS / str(year)


def mark_pending(out_dir: Path, year: int) -> None:
    """The year's reports are about to be redone: until they are, the year is stale (a run killed before or
    while rendering them leaves it so)."""
    atomic.write_text(stamp_path(out_dir, year), PENDING)


def stale_report_years(warehouse: Path, out_dir: Path, narratives: Path, desk_db: Path) -> list[int]:
    """The years whose reports were made (or started) before and no longer match what they are made from. A year
    never reported is not among them: reports follow a year's load, which stale_years decides."""
    folder = Path(out_dir) / STAMPS
    if not folder.is_dir():
        return []
    years = sorted(int(p.name) for p in folder.iterdir() if p.name.isdigit())
    return [y for y in years if stamp_path(out_dir, y).read_text() != year_inputs(warehouse, narratives, desk_db, y)]
