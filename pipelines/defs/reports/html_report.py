"""The report as one self-contained HTML file: inline CSS, no external resources."""

from __future__ import annotations

import dataclasses
import re
from functools import cache
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape
from markupsafe import Markup, escape

from pipelines.defs.reports.document import ReportDocument
from pipelines.defs.reports.layout import Grid

TEMPLATES = Path(__file__).parent / "templates"


@cache
def environment() -> Environment:
    """One environment per process: it keeps the compiled templates (compiling report.html.j2 took longer than
    rendering it); a template edited on disk is still picked up (auto_reload checks its modification time)."""
    env = Environment(
        loader=FileSystemLoader(TEMPLATES),
        autoescape=select_autoescape(["html", "j2"]),
        undefined=StrictUndefined,
        trim_blocks=False,
        lstrip_blocks=False,
    )
    env.globals["grid_html"] = grid_html
    return env


# The statutory tables have the same shape for every agency (as in the DOCX): _grid.html.j2's macro, a few escapes
# per cell, is run once per shape with a stand-in for each cell's text, and each report's table is that HTML with
# its texts put in, escaped as the template escapes them. A template edited on disk is a new Template object, so
# it makes new entries.
_STANDIN = re.compile("\ue000(\\d+)\ue001")
_GRIDS: dict[tuple, str] = {}
_MAX_GRIDS = 64


def grid_html(grid: Grid) -> Markup:
    """The table of `grid`, as `grid_table(grid)` of _grid.html.j2 writes it."""
    template = environment().get_template("_grid.html.j2")
    shape = (template, grid.section, grid.widths, tuple((c.row, c.col, c.rowspan, c.colspan, c.kind, c.key) for c in grid.cells))
    html = _GRIDS.get(shape)
    if html is None:
        standins = dataclasses.replace(grid, cells=[dataclasses.replace(c, text=f"\ue000{i}\ue001") for i, c in enumerate(grid.cells)])
        html = str(template.module.grid_table(standins))  # type: ignore[attr-defined]
        if len(_GRIDS) >= _MAX_GRIDS:
            _GRIDS.clear()
        _GRIDS[shape] = html
    return Markup(_STANDIN.sub(lambda found: escape(grid.cells[int(found.group(1))].text), html))


def render_html(report: ReportDocument) -> str:
    return environment().get_template("report.html.j2").render(doc=report)


def write_html(report: ReportDocument, path: Path) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(render_html(report), encoding="utf-8")
    return path
