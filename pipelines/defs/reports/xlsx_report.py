"""The three statutory tables as a workbook, one sheet each, laid out as the form (what a township sends up)."""

from __future__ import annotations

import datetime as dt
import io
import math
import re
import zipfile
from collections.abc import Iterator
from copy import copy
from dataclasses import dataclass
from pathlib import Path

from openpyxl import Workbook
from openpyxl.cell.cell import Cell, MergedCell
from openpyxl.compat import safe_string
from openpyxl.packaging.core import DocumentProperties
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.styles.cell_style import StyleArray
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.cell_range import CellRange
from openpyxl.worksheet.merge import MergedCellRange
from openpyxl.worksheet.worksheet import Worksheet
from openpyxl.xml.functions import tostring

from pipelines.defs.reports.document import ReportDocument
from pipelines.defs.reports.layout import Grid
from pipelines.defs.reports.package import Part, deflated, write_package

FONT = "宋体"
THIN = Side(style="thin", color="000000")
BORDER = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
HEAD_FILL = PatternFill("solid", fgColor="F2F2F2")
RED = "C00000"
CHARS_PER_WIDTH_UNIT = 7.0  # layout widths are relative; ~7 characters per unit reads well


def _put(ws: Worksheet, row: int, col: int, value: object) -> Cell:
    """A cell whose text is always text: openpyxl takes a string starting with '=' for a formula, so an agency
    named '=HYPERLINK(…)' would become a live formula in the workbook a township sends up."""
    cell = ws.cell(row, col, value)
    if isinstance(value, str):
        cell.data_type = "s"
    return cell


def _merge(ws: Worksheet, r1: int, c1: int, r2: int, c2: int) -> None:
    """`ws.merge_cells` of a range none of whose cells is styled yet (the sheets merge before they style).

    openpyxl then copies the top-left cell's border and protection onto every cell of the range, hashing each: for
    a cell without style that copies the defaults and changes nothing, yet it took a third of a sheet's time. A range
    whose corner cells already have a style goes through openpyxl."""
    corners = [ws._cells.get((r1, c1)), ws._cells.get((r2, c2))]
    if any(cell is not None and cell.has_style for cell in corners):
        ws.merge_cells(start_row=r1, start_column=c1, end_row=r2, end_column=c2)
        return
    merged = MergedCellRange(ws, CellRange(min_col=c1, min_row=r1, max_col=c2, max_row=r2).coord)
    ws.merged_cells.add(merged)
    for row, col in merged.cells:
        if (row, col) != (r1, c1):
            ws._cells[row, col] = MergedCell(ws, row, col)


def written(report: ReportDocument, grid: Grid) -> list[object]:
    """Every value the sheet of `grid` holds, in the order the sheet is written (_sheet takes them in this order):
    the banner and reasons of a draft, the title line, the table's heading, then the table's cells."""
    drafts: list[object] = [report.banner, *(f"• {reason}" for reason in report.draft_reasons)] if report.is_draft else []
    cells = [spec.value if spec.kind == "value" else spec.text for spec in grid.cells]
    return [*drafts, f"{report.agency_name}{report.title}", grid.heading, *cells]


def _title_rows(ws: Worksheet, report: ReportDocument, grid: Grid, values: Iterator[object]) -> int:
    """Banner (drafts), reasons, title and agency line above the table; returns the first table row."""
    row = 1

    def line(font: Font, height: float | None = None) -> None:
        """The next value of the sheet (written() lists them) on a row of its own across the table."""
        nonlocal row
        _merge(ws, row, 1, row, grid.n_cols)
        cell = _put(ws, row, 1, next(values))
        cell.font = font
        cell.alignment = Alignment(horizontal="center" if font.sz and font.sz >= 14 else "left", vertical="center", wrap_text=True)
        if height:
            ws.row_dimensions[row].height = height
        row += 1

    if report.is_draft:
        line(Font(name=FONT, size=18, bold=True, color=RED), 30)  # the banner
        for _reason in report.draft_reasons:
            line(Font(name=FONT, size=10, color=RED), 28)
        ws.sheet_properties.tabColor = RED
        ws.oddHeader.center.text = report.banner
        ws.oddHeader.center.color = RED
    line(Font(name=FONT, size=14, bold=True), 24)  # agency and title
    line(Font(name=FONT, size=12, bold=True), 20)  # the table's heading
    return row + 1


def _sheet(ws: Worksheet, report: ReportDocument, grid: Grid, values: Iterator[object]) -> None:
    """The sheet of `grid`, its cells' values taken from `values` (written(): the report's, or stand-ins)."""
    top = _title_rows(ws, report, grid, values)
    for i, width in enumerate(grid.widths, start=1):
        ws.column_dimensions[get_column_letter(i)].width = width * CHARS_PER_WIDTH_UNIT
    # openpyxl hashes every Font, Alignment and Border assigned, to find it in the workbook's style lists: most of a
    # sheet's time. A cell styled like one before gets that cell's style indices instead (the lists are the same:
    # the first cell of each style still registers it, in the same order).
    styled: dict[tuple, StyleArray] = {}
    for spec in grid.cells:
        r, c = top + spec.row, 1 + spec.col
        r2, c2 = r + spec.rowspan - 1, c + spec.colspan - 1
        if spec.rowspan > 1 or spec.colspan > 1:
            _merge(ws, r, c, r2, c2)
        cell = _put(ws, r, c, next(values))
        shaded = spec.kind in ("head", "block", "note")
        number = spec.kind == "value" and isinstance(spec.value, float)
        key = ("anchor", spec.kind == "block", spec.align_left, number, shaded)
        if key in styled:
            cell._style = copy(styled[key])
        else:
            cell.font = Font(name=FONT, size=10, bold=spec.kind == "block")
            cell.alignment = Alignment(horizontal="left" if spec.align_left else "center", vertical="center", wrap_text=True)
            if number:
                cell.number_format = "0.0###"
            _frame(cell, shaded)
            styled[key] = copy(cell._style)
        for rr in range(r, r2 + 1):  # a merged range shows the borders of every cell it covers
            for cc in range(c, c2 + 1):
                if (rr, cc) == (r, c):
                    continue
                covered = ws.cell(rr, cc)
                if ("covered", shaded) in styled:
                    covered._style = copy(styled["covered", shaded])
                else:
                    _frame(covered, shaded)
                    styled["covered", shaded] = copy(covered._style)
    _row_heights(ws, grid, top)
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.orientation = "landscape" if grid.n_cols > 10 else "portrait"
    ws.page_setup.fitToWidth, ws.page_setup.fitToHeight = 1, 1
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_options.horizontalCentered = True


def _frame(cell: Cell | MergedCell, shaded: bool) -> None:
    cell.border = BORDER
    if shaded:
        cell.fill = HEAD_FILL


def _row_heights(ws: Worksheet, grid: Grid, top: int) -> None:
    for i, height in enumerate(row_heights(grid)):
        ws.row_dimensions[top + i].height = height


def row_heights(grid: Grid) -> list[int]:
    """openpyxl cannot measure text: estimate the lines of each wrapped single-row cell."""
    widths = [w * CHARS_PER_WIDTH_UNIT for w in grid.widths]
    lines = [1] * grid.n_rows
    for spec in grid.cells:
        if spec.rowspan == 1:
            room = sum(widths[spec.col : spec.col + spec.colspan]) - 1.5
            # a Chinese character takes about two width units at 10 pt
            need = sum(2 if ord(ch) > 0x2E7F else 1 for ch in spec.text)
            lines[spec.row] = max(lines[spec.row], -(-need // max(int(room), 1)))
    return [14 * n + 4 for n in lines]


def sheet_name(grid: Grid) -> str:
    return grid.heading[:31]  # Excel's limit


def _workbook(report: ReportDocument, values: Iterator[object]) -> Workbook:
    wb = Workbook()
    wb.remove(wb.active)
    for grid in report.grids():
        _sheet(wb.create_sheet(sheet_name(grid)), report, grid, values)
    wb.properties.title = title(report)
    return wb


def title(report: ReportDocument) -> str:
    return f"{'【草稿】' if report.is_draft else ''}{report.agency_name}{report.title}"


def openpyxl_workbook(report: ReportDocument) -> Workbook:
    """The report's workbook as openpyxl builds it, cell by cell (a report the templates cannot take is saved from
    it; tests/reports/test_reports_package.py compares the templated one with it)."""
    return _workbook(report, iter([v for grid in report.grids() for v in written(report, grid)]))


# Building and saving a workbook with openpyxl, a Python object per cell and per style, took ~25 ms a report. The
# three sheets of every report with the same shape differ only in their cells' values: so a workbook is made
# with openpyxl once per shape, with a stand-in in each cell, and every report of that shape gets its sheets' XML
# with its own values put in place of the stand-ins (and the package's other parts, compressed once, as they are).
# A stand-in keeps what decides the XML around a value: text or number, integer or not, empty, white space at
# an end (xml:space="preserve"); the row heights, which follow the texts' lengths, are part of the shape.
# openpyxl writes a sheet in ASCII: every other character as a reference (U+E000 is &#57344;)
_TEXT_STANDIN = re.compile(r" ?&#57344;(\d+)&#57345;")
_NUMBER_STANDIN = re.compile(r"<v>(9\d{8})(?:\.5)?</v>")
_NUMBER_BASE = 900_000_000
_CORE = "docProps/core.xml"  # the title and the dates: made per report
_MAX_TEMPLATES = 64  # shapes: clean or draft, how many reasons; a handful in practice


def _kind(value: object) -> str | None:
    """What the XML around a value depends on; None for a value no stand-in keeps (written cell by cell)."""
    if isinstance(value, str):
        return "empty" if value == "" else "padded" if value != value.strip() else "text"
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    if isinstance(value, float):
        return "float" if math.isfinite(value) else None
    return "int"


def _standin(i: int, kind: str) -> object:
    if kind == "empty":
        return ""
    if kind in ("text", "padded"):
        return f"{' ' if kind == 'padded' else ''}\ue000{i}\ue001"
    return _NUMBER_BASE + i + (0.5 if kind == "float" else 0)


def _escaped(text: str) -> str:
    """Text as openpyxl writes it in a sheet: escaped as lxml escapes an element's text (quotes stay, a carriage
    return is a reference), each character outside ASCII as a reference."""
    escaped = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\r", "&#13;")
    return escaped.encode("ascii", "xmlcharrefreplace").decode("ascii")


@dataclass(frozen=True)
class _Template:
    parts: list[Part | str]  # a constant part compressed, or the name of a part made per report
    sheets: dict[str, str]  # part name → the sheet's XML with stand-ins
    properties: DocumentProperties


_TEMPLATES: dict[tuple, _Template] = {}


def _shape(report: ReportDocument, kinds: list[str]) -> tuple:
    grids = tuple(
        (
            grid.heading,
            grid.n_rows,
            grid.n_cols,
            grid.header_rows,
            tuple(grid.widths),
            tuple(row_heights(grid)),
            tuple((c.row, c.col, c.rowspan, c.colspan, c.kind, c.align_left) for c in grid.cells),
        )
        for grid in report.grids()
    )
    return (report.is_draft, len(report.draft_reasons), grids, tuple(kinds))


def _template(report: ReportDocument, kinds: list[str]) -> _Template:
    key = _shape(report, kinds)
    found = _TEMPLATES.get(key)
    if found is not None:
        return found
    wb = _workbook(report, iter([_standin(i, kind) for i, kind in enumerate(kinds)]))
    out = io.BytesIO()
    wb.save(out)
    parts: list[Part | str] = []
    sheets: dict[str, str] = {}
    with zipfile.ZipFile(out) as saved:
        for name in saved.namelist():
            if name.startswith("xl/worksheets/sheet"):
                sheets[name] = saved.read(name).decode("utf-8")
                parts.append(name)
            else:
                parts.append(_CORE if name == _CORE else deflated(name, saved.read(name)))
    if len(_TEMPLATES) >= _MAX_TEMPLATES:
        _TEMPLATES.clear()
    found = _TEMPLATES[key] = _Template(parts, sheets, wb.properties)
    return found


def _filled(xml: str, values: list[object]) -> bytes:
    def number(found: re.Match[str]) -> str:
        return f"<v>{safe_string(values[int(found.group(1)) - _NUMBER_BASE])}</v>"

    def text(found: re.Match[str]) -> str:
        value = values[int(found.group(1))]
        assert isinstance(value, str)
        return _escaped(value)

    return _TEXT_STANDIN.sub(text, _NUMBER_STANDIN.sub(number, xml)).encode("utf-8")


def _core(template: _Template, report: ReportDocument) -> bytes:
    """docProps/core.xml: the template's, with the report's title, made and saved now (as openpyxl dates them)."""
    properties = copy(template.properties)
    now = dt.datetime.now(tz=dt.UTC).replace(tzinfo=None)
    properties.title, properties.created, properties.modified = title(report), now, now
    return tostring(properties.to_tree())


def write_xlsx(report: ReportDocument, path: Path) -> Path:
    values = [v for grid in report.grids() for v in written(report, grid)]
    kinds = [_kind(v) for v in values]
    path.parent.mkdir(parents=True, exist_ok=True)
    if None in kinds:  # a value no stand-in keeps: cell by cell
        openpyxl_workbook(report).save(path)
        return path
    template = _template(report, [k for k in kinds if k is not None])
    made = {name: _filled(xml, values) for name, xml in template.sheets.items()} | {_CORE: _core(template, report)}
    return write_package(path, [deflated(p, made[p]) if isinstance(p, str) else p for p in template.parts])
