"""One self-contained HTML page per county and year for the county reviewer.

Every agency side by side (applications, outcome mix, carried over, proactive
items by channel, normative documents in force), the change on the year before,
every failing check and quarantine count, answers against their statutory due
dates (on-time rate, late answers, due soon), and plotly charts (plotly.js in one
file beside the pages).
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import plotly.graph_objects as go

from pipelines.defs import atomic
from pipelines.defs.compliance.due import DUE_SOON
from pipelines.defs.reports.context import DRAFT_BANNER, ReportContext
from pipelines.defs.reports.figures import bare_label, outcome_groups, outcome_mix
from pipelines.defs.reports.files import path_component
from pipelines.defs.reports.html_report import environment
from pipelines.defs.reports.render import report_paths
from schemas.vocabulary import (
    APPLICATION_COLUMN_KEYS,
    APPLICATION_ROW_BY_KEY,
    CHANNEL_BY_KEY,
    CHANNEL_KEYS,
    IN_FORCE,
    LEDGER_LABELS,
    PROACTIVE_BY_KEY,
    RELATION_BY_ID,
    RESULTS_HEADING,
)

CHART_FONT = "Noto Sans CJK SC, Source Han Sans SC, Microsoft YaHei, PingFang SC, sans-serif"


@dataclass(frozen=True)
class Column:
    key: str
    label: str


# Column labels of the overview, built from the form's own wording.
RECEIVED = Column("received", bare_label(APPLICATION_ROW_BY_KEY["1"].short))
CARRIED_IN = Column("carried_in", bare_label(APPLICATION_ROW_BY_KEY["2"].short))
CLOSED = Column("closed", f"{bare_label(RESULTS_HEADING)}（{bare_label(APPLICATION_ROW_BY_KEY['3.7'].short)}）")
CARRIED_OUT = Column("carried_out", bare_label(APPLICATION_ROW_BY_KEY["4"].short))
IN_FORCE_DOCS = Column("in_force", f"{PROACTIVE_BY_KEY['normative_document'].label}{IN_FORCE.label}")


@dataclass
class AgencySummary:
    code: str
    name: str
    year: int
    draft_reasons: list[str]
    failing: list[dict]
    warnings: list[dict]
    quarantined_rows: int
    complete: bool
    counts: dict[str, int]  # received, carried_in, closed, carried_out, proactive, in_force
    outcomes: dict[str, int]
    channels: dict[str, int]  # channel key → items
    previous: dict[str, int] | None = None  # the same counts for Y−1
    carry_mismatch: list[str] = field(default_factory=list)  # A4 against Y−1, per column
    missing_ledgers: list[str] = field(default_factory=list)  # labels of the ledgers not accounted for (缺报/未报送)
    links: dict[str, str] = field(default_factory=dict)  # format → relative href (files that exist)
    deadline: dict | None = None  # answered, on_time, late, on_time_rate, longest_working_days, due_soon (compliance/due.py)

    def change(self, key: str) -> int | None:
        if self.previous is None:
            return None
        return self.counts[key] - self.previous[key]


def _counts(tables: dict) -> dict[str, int]:
    apps = tables["applications"]
    return {
        RECEIVED.key: int(apps["1"]["total"]),
        CARRIED_IN.key: int(apps["2"]["total"]),
        CLOSED.key: int(apps["3.7"]["total"]),
        CARRIED_OUT.key: int(apps["4"]["total"]),
        "proactive": int(tables["channels"].get("total", 0)),
        IN_FORCE_DOCS.key: int(tables["proactive"]["normative_document"]["in_force"]),
    }


def summarize(ctx: ReportContext, prev: ReportContext | None = None) -> AgencySummary:
    tables = ctx.tables
    mismatch = []
    if prev is not None:
        now, before = tables["applications"]["2"], prev.tables["applications"]["4"]
        mismatch = [col for col in APPLICATION_COLUMN_KEYS if int(now[col]) != int(before[col])]
    return AgencySummary(
        code=ctx.agency_code,
        name=ctx.agency_name,
        year=ctx.year,
        draft_reasons=ctx.reasons(),
        failing=ctx.failing_checks(),
        warnings=ctx.warning_checks(),
        quarantined_rows=ctx.quarantined_rows,
        complete=bool(tables.get("complete", False)),
        counts=_counts(tables),
        outcomes=outcome_mix(tables),
        channels={k: int(v) for k, v in tables["channels"].items() if k != "total" and v},
        previous=_counts(prev.tables) if prev is not None else None,
        carry_mismatch=mismatch,
        missing_ledgers=[LEDGER_LABELS.get(k, k) for k in tables.get("missing_ledgers") or []],
    )


def overview_path(out_dir: Path, county: str, year: int) -> Path:
    """`<out_dir>/overview/<county>/<year>.html`, beside the agencies' `<agency_code>/<year>.*`."""
    return Path(out_dir) / "overview" / path_component(county, "county") / f"{year}.html"


def _links(out_dir: Path, page: Path, code: str, year: int) -> dict[str, str]:
    return {fmt: Path(os.path.relpath(path, page.parent)).as_posix() for fmt, path in report_paths(out_dir, code, year).items() if path.exists()}


def _layout(fig: go.Figure, title: str, n: int) -> go.Figure:
    fig.update_layout(
        title=title,
        barmode="stack",
        height=160 + 34 * max(n, 1),
        margin=dict(l=10, r=10, t=60, b=40),
        font=dict(family=CHART_FONT, size=13),
        legend=dict(traceorder="normal", orientation="h", yanchor="bottom", y=1.0, xanchor="left", x=0),
        yaxis=dict(autorange="reversed", automargin=True),
        plot_bgcolor="#fff",
        xaxis=dict(gridcolor="#ddd", rangemode="tozero"),
    )
    return fig


def _charts(summaries: list[AgencySummary], year: int) -> list[go.Figure]:
    names = [s.name for s in summaries]
    outcomes = go.Figure([go.Bar(name=g.label, y=names, x=[s.outcomes[g.label] for s in summaries], orientation="h") for g in outcome_groups()])
    _layout(outcomes, f"{year}年办理结果构成（件）", len(names))

    used = [k for k in CHANNEL_KEYS if any(k in s.channels for s in summaries)]
    channels = go.Figure([go.Bar(name=CHANNEL_BY_KEY[k].label, y=names, x=[s.channels.get(k, 0) for s in summaries], orientation="h") for k in used])
    _layout(channels, f"{year}年主动公开政府信息条数（按渠道）", len(names))

    figs = [outcomes, channels]
    if any(s.previous is not None for s in summaries):
        received = go.Figure(
            [
                go.Bar(name=f"{year - 1}年", y=names, x=[s.previous[RECEIVED.key] if s.previous else None for s in summaries], orientation="h"),
                go.Bar(name=f"{year}年", y=names, x=[s.counts[RECEIVED.key] for s in summaries], orientation="h"),
            ]
        )
        _layout(received, f"{RECEIVED.label}：{year}年与{year - 1}年", len(names)).update_layout(barmode="group")
        figs.append(received)
    return figs


def _deadline_totals(summaries: list[AgencySummary]) -> dict:
    rows = [s.deadline for s in summaries if s.deadline]
    total = {k: sum(int(r[k] or 0) for r in rows) for k in ("answered", "on_time", "late", "due_soon")}
    judged = total["on_time"] + total["late"]
    longest = [r["longest_working_days"] for r in rows if r["longest_working_days"] is not None]
    return total | {"on_time_rate": total["on_time"] / judged if judged else None, "longest_working_days": max(longest) if longest else None}


def plotly_script(out_dir: Path) -> Path:
    """plotly.js once for every overview page, beside them (`overview/plotly-<version>.min.js`): inlined, it made each
    page 4.8 MB. Named by version, so pages made by another plotly never load the wrong one; written once."""
    from plotly.offline import get_plotlyjs, get_plotlyjs_version

    path = Path(out_dir) / "overview" / f"plotly-{get_plotlyjs_version()}.min.js"
    if not path.exists() or path.stat().st_size == 0:
        atomic.write_text(path, get_plotlyjs())
    return path


def _chart_html(figs: list[go.Figure], script: str) -> list[str]:
    # the shared plotly.js loads before the first chart; a local file, so the page needs nothing from the network
    config = {"displaylogo": False, "responsive": True}
    charts = [fig.to_html(full_html=False, include_plotlyjs=False, config=config) for fig in figs]
    if charts:
        charts[0] = f'<script src="{script}" charset="utf-8"></script>\n' + charts[0]
    return charts


def _script_src(out_dir: Path, page: Path) -> str:
    return Path(os.path.relpath(plotly_script(out_dir), page.parent)).as_posix()


def render_county_overview(
    county: str,
    year: int,
    contexts: list[ReportContext],
    out_dir: Path,
    previous: list[ReportContext] | None = None,
    generated_on: date | None = None,
    deadlines: Mapping[str, dict] | None = None,
) -> Path:
    """Write the overview of `county` for `year`; `previous` are the same agencies' Y−1 contexts, if any;
    `deadlines` per agency code, the year's answers against their due dates and the count due soon
    (compliance/due.py agency_deadlines; None: the section is left out).

    Links to each agency's report files are relative, so the reports folder can be copied as a whole.
    """
    page = overview_path(out_dir, county, year)
    prev_by_code = {c.agency_code: c for c in previous or [] if c.year == year - 1}
    summaries = sorted((summarize(c, prev_by_code.get(c.agency_code)) for c in contexts), key=lambda s: (s.name, s.code))
    for s in summaries:
        s.links = _links(Path(out_dir), page, s.code, year)
        if deadlines is not None:
            s.deadline = dict(
                deadlines.get(s.code) or {"answered": 0, "on_time": 0, "late": 0, "on_time_rate": None, "longest_working_days": None, "due_soon": 0}
            )
    used_channels = [k for k in CHANNEL_KEYS if any(k in s.channels for s in summaries)]
    totals = {key: sum(s.counts[key] for s in summaries) for key in _counts(contexts[0].tables)} if contexts else {}
    html = (
        environment()
        .get_template("overview.html.j2")
        .render(
            county=county,
            year=year,
            summaries=summaries,
            has_previous=bool(prev_by_code),
            totals=totals,
            outcome_labels=[g.label for g in outcome_groups()],
            outcome_totals={g.label: sum(s.outcomes[g.label] for s in summaries) for g in outcome_groups()},
            channel_totals={k: sum(s.channels.get(k, 0) for s in summaries) for k in used_channels},
            channels=[(k, CHANNEL_BY_KEY[k].label) for k in used_channels],
            columns=dict(received=RECEIVED, carried_in=CARRIED_IN, closed=CLOSED, carried_out=CARRIED_OUT, in_force=IN_FORCE_DOCS),
            relations=RELATION_BY_ID,
            results_heading=bare_label(RESULTS_HEADING),
            charts=_chart_html(_charts(summaries, year), _script_src(out_dir, page)) if summaries else [],
            draft_banner=DRAFT_BANNER,
            generated_on=generated_on or date.today(),
            deadline_totals=_deadline_totals(summaries) if deadlines is not None else None,
            due_soon_days=DUE_SOON,
        )
    )
    atomic.clear_dead_temps(page.parent)
    atomic.write_text(page, html)
    return page
