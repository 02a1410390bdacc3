"""Entry points: write one agency-year's report files; file naming lives here only."""

from __future__ import annotations

from pathlib import Path

from pipelines.defs.atomic import clear_dead_temps, replacing
from pipelines.defs.reports.context import ReportContext
from pipelines.defs.reports.document import build_document
from pipelines.defs.reports.docx_report import skeleton, write_docx
from pipelines.defs.reports.html_report import environment, write_html
from pipelines.defs.reports.safe_text import cleaned
from pipelines.defs.reports.xlsx_report import write_xlsx

FORMATS = ("docx", "html", "xlsx")
WRITERS = {"docx": write_docx, "html": write_html, "xlsx": write_xlsx}


def report_paths(out_dir: Path, agency_code: str, year: int) -> dict[str, Path]:
    """`<out_dir>/<agency_code>/<year>.{docx,html,xlsx}`."""
    base = Path(out_dir) / agency_code
    return {fmt: base / f"{year}.{fmt}" for fmt in FORMATS}


def render_agency_report(ctx: ReportContext, out_dir: Path) -> dict[str, Path]:
    """Write the DOCX, HTML and XLSX of one agency-year; returns {format: path}.

    Each file is written beside its target (under this process's own temp name) and renamed into place, so a
    reader never sees a half-written report and two runs at once do not collide.
    """
    report = cleaned(build_document(ctx))  # no control character reaches a writer
    paths = report_paths(out_dir, ctx.agency_code, ctx.year)
    clear_dead_temps(paths["docx"].parent)
    for fmt, path in paths.items():
        path.parent.mkdir(parents=True, exist_ok=True)
        with replacing(path) as tmp:
            WRITERS[fmt](report, tmp)
    return paths


def warm_up() -> None:
    """What every report of a process reuses, made before its first: the DOCX skeleton and the compiled HTML
    template (a worker process's start, pool.py)."""
    skeleton()
    environment().get_template("report.html.j2")
