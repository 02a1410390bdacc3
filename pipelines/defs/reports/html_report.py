"""The report as one self-contained HTML file: inline CSS, no external resources."""

from __future__ import annotations

from functools import cache
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape

from pipelines.defs.reports.document import ReportDocument

TEMPLATES = Path(__file__).parent / "templates"


@cache
def environment() -> Environment:
    """One environment per process: it keeps the compiled templates (compiling report.html.j2 took longer than
    rendering it); a template edited on disk is still picked up (auto_reload checks its modification time)."""
    return Environment(
        loader=FileSystemLoader(TEMPLATES),
        autoescape=select_autoescape(["html", "j2"]),
        undefined=StrictUndefined,
        trim_blocks=False,
        lstrip_blocks=False,
    )


def render_html(report: ReportDocument) -> str:
    return environment().get_template("report.html.j2").render(doc=report)


def write_html(report: ReportDocument, path: Path) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(render_html(report), encoding="utf-8")
    return path
