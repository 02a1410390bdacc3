"""The three statutory tables as a workbook, one sheet each, laid out as the form (what a township sends up)."""

from __future__ import annotations

from copy import copy
from pathlib import Path

from openpyxl import Workbook
from openpyxl.cell.cell import Cell, MergedCell
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.styles.cell_style import StyleArray
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.cell_range import CellRange
from openpyxl.worksheet.merge import MergedCellRange
from openpyxl.worksheet.worksheet import Worksheet

from pipelines.defs.reports.document import ReportDocument
from pipelines.defs.reports.layout import Grid

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


def _title_rows(ws: Worksheet, report: ReportDocument, grid: Grid) -> int:
    """Banner (drafts), reasons, title and agency line above the table; returns the first table row."""
    row = 1

    def line(text: str, font: Font, height: float | None = None) -> None:
        nonlocal row
        _merge(ws, row, 1, row, grid.n_cols)
        cell = _put(ws, row, 1, text)
        cell.font = font
        cell.alignment = Alignment(horizontal="center" if font.sz and font.sz >= 14 else "left", vertical="center", wrap_text=True)
        if height:
            ws.row_dimensions[row].height = height
        row += 1

    if report.is_draft:
        line(report.banner, Font(name=FONT, size=18, bold=True, color=RED), 30)
        for reason in report.draft_reasons:
            line(f"• {reason}", Font(name=FONT, size=10, color=RED), 28)
        ws.sheet_properties.tabColor = RED
        ws.oddHeader.center.text = report.banner
        ws.oddHeader.center.color = RED
    line(f"{report.agency_name}{report.title}", Font(name=FONT, size=14, bold=True), 24)
    line(grid.heading, Font(name=FONT, size=12, bold=True), 20)
    return row + 1


def _sheet(ws: Worksheet, report: ReportDocument, grid: Grid) -> None:
    top = _title_rows(ws, report, grid)
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
        cell = _put(ws, r, c, spec.value if spec.kind == "value" else spec.text)
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
    """openpyxl cannot measure text: estimate the lines of each wrapped single-row cell."""
    widths = [w * CHARS_PER_WIDTH_UNIT for w in grid.widths]
    lines = [1] * grid.n_rows
    for spec in grid.cells:
        if spec.rowspan == 1:
            room = sum(widths[spec.col : spec.col + spec.colspan]) - 1.5
            # a Chinese character takes about two width units at 10 pt
            need = sum(2 if ord(ch) > 0x2E7F else 1 for ch in spec.text)
            lines[spec.row] = max(lines[spec.row], -(-need // max(int(room), 1)))
    for i, n in enumerate(lines):
        ws.row_dimensions[top + i].height = 14 * n + 4


def sheet_name(grid: Grid) -> str:
    return grid.heading[:31]  # Excel's limit


def write_xlsx(report: ReportDocument, path: Path) -> Path:
    wb = Workbook()
    wb.remove(wb.active)
    for grid in report.grids():
        _sheet(wb.create_sheet(sheet_name(grid)), report, grid)
    wb.properties.title = f"{'【草稿】' if report.is_draft else ''}{report.agency_name}{report.title}"
    path.parent.mkdir(parents=True, exist_ok=True)
    wb.save(path)
    return path
