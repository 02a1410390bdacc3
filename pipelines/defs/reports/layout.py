"""The three statutory tables as grids of (merged) cells, laid out as the national form.

One layout feeds the DOCX, HTML and XLSX renderers, so the three outputs can
never disagree on a header or a merge. Every label comes from schemas.vocabulary.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from itertools import groupby

from pipelines.defs.figures import figure
from schemas.vocabulary import (
    A1_NOTE,
    APPEAL_GROUPS,
    APPEAL_RESULTS,
    APPLICANT_GROUP_LABEL,
    APPLICANT_KEYS,
    APPLICATION_COLUMN_KEYS,
    APPLICATION_COLUMN_LABELS,
    APPLICATION_ROWS,
    ARTICLE_20_BLOCK,
    ORG_GROUP_LABEL,
    PROACTIVE_CONTENT_LABEL,
    PROACTIVE_ITEMS,
    RESULTS_HEADING,
    SECTION_BY_KEY,
)

# Cell kinds: "head" column header, "block" a table-P block heading, "note" the
# A1 note of table A, "label" a row label, "value" a number.


@dataclass(frozen=True)
class Cell:
    row: int
    col: int
    text: str
    kind: str = "value"
    rowspan: int = 1
    colspan: int = 1
    value: float | int | None = None  # the number behind a "value" cell
    key: str = ""  # e.g. "3.3.4/natural_person": lets tests and readers find a cell

    @property
    def align_left(self) -> bool:
        """Long row labels read from the left, as in the form; headers, groups and numbers are centred."""
        return self.kind == "note" or (self.kind == "label" and (self.col == 2 or self.colspan > 1))


@dataclass
class Grid:
    section: str  # the SECTIONS key the table belongs to
    n_cols: int
    widths: tuple[float, ...]  # relative column widths
    header_rows: int
    cells: list[Cell] = field(default_factory=list)

    @property
    def heading(self) -> str:
        return SECTION_BY_KEY[self.section].heading

    @property
    def n_rows(self) -> int:
        return max(c.row + c.rowspan for c in self.cells)

    def rows(self) -> list[list[Cell]]:
        """Cells grouped by the row they start in, left to right (the HTML shape)."""
        out: list[list[Cell]] = [[] for _ in range(self.n_rows)]
        for cell in sorted(self.cells, key=lambda c: (c.row, c.col)):
            out[cell.row].append(cell)
        return out

    def by_key(self) -> dict[str, Cell]:
        return {c.key: c for c in self.cells if c.key}

    def add(self, *args, **kwargs) -> None:
        self.cells.append(Cell(*args, **kwargs))


def _value(grid: Grid, row: int, col: int, value, key: str, colspan: int = 1, amount: bool = False) -> None:
    text = figure(value) if amount else str(int(value))
    grid.add(row, col, text, "value", 1, colspan, float(value) if amount else int(value), key)


# ------------------------------------------------------------------ table P


def proactive_grid(tables: dict) -> Grid:
    """Four blocks (第二十条第（一）（五）（六）（八）项) in one four-column table."""
    widths = (4.0, 3.0, 3.0, 3.0)
    grid = Grid("proactive", 4, widths, 0)
    row = 0
    for article, items in groupby(PROACTIVE_ITEMS, key=lambda i: i.article):
        items = list(items)
        metrics = items[0].metrics
        span = (len(widths) - 1) // len(metrics)  # a one-metric block spans the three value columns
        grid.add(row, 0, ARTICLE_20_BLOCK.format(article=article), "block", 1, len(widths))
        row += 1
        grid.add(row, 0, PROACTIVE_CONTENT_LABEL, "head")
        for i, metric in enumerate(metrics):
            grid.add(row, 1 + i * span, metric.label, "head", 1, span)
        row += 1
        for item in items:
            grid.add(row, 0, item.label, "label")
            for i, metric in enumerate(metrics):
                value = tables["proactive"][item.key][metric.key]
                _value(grid, row, 1 + i * span, value, f"{item.key}/{metric.key}", span, amount=metric.key == "amount_wan_yuan")
            row += 1
    return grid


# ------------------------------------------------------------------ table A


def application_grid(tables: dict) -> Grid:
    """Three label columns (heading, group, item) and the seven applicant columns."""
    org_keys = [k for k in APPLICANT_KEYS if k != "natural_person"]
    label_cols = 3
    widths = (1.3, 1.5, 5.2) + (1.15,) * len(APPLICATION_COLUMN_KEYS)
    grid = Grid("applications", label_cols + len(APPLICATION_COLUMN_KEYS), widths, 3)

    grid.add(0, 0, A1_NOTE, "note", 3, label_cols)
    grid.add(0, label_cols, APPLICANT_GROUP_LABEL, "head", 1, len(APPLICATION_COLUMN_KEYS))
    col = label_cols
    for key in APPLICATION_COLUMN_KEYS:
        if key in org_keys:
            if key == org_keys[0]:
                grid.add(1, col, ORG_GROUP_LABEL, "head", 1, len(org_keys))
            grid.add(2, col, APPLICATION_COLUMN_LABELS[key], "head")
        else:
            grid.add(1, col, APPLICATION_COLUMN_LABELS[key], "head", 2)
        col += 1

    body = 3
    result_rows = [r for r in APPLICATION_ROWS if r.key.startswith("3.")]
    seen_groups: set[str] = set()
    for i, app_row in enumerate(APPLICATION_ROWS):
        row = body + i
        if app_row.key.startswith("3."):
            if app_row is result_rows[0]:
                grid.add(row, 0, RESULTS_HEADING, "label", len(result_rows))
            if app_row.group:
                if app_row.group not in seen_groups:
                    seen_groups.add(app_row.group)
                    size = sum(1 for r in result_rows if r.group == app_row.group)
                    grid.add(row, 1, app_row.group, "label", size)
                grid.add(row, 2, app_row.short, "label")
            else:
                grid.add(row, 1, app_row.short, "label", 1, 2)
        else:
            grid.add(row, 0, app_row.short, "label", 1, label_cols)
        for j, col_key in enumerate(APPLICATION_COLUMN_KEYS):
            _value(grid, row, label_cols + j, tables["applications"][app_row.key][col_key], f"{app_row.key}/{col_key}")
    return grid


# ------------------------------------------------------------------ table R


def appeal_grid(tables: dict) -> Grid:
    """行政复议 (5) | 行政诉讼 → 未经复议直接起诉 (5) / 复议后起诉 (5); then the 15 numbers."""
    n = len(APPEAL_RESULTS)
    grid = Grid("appeals", n * len(APPEAL_GROUPS), (1.0,) * (n * len(APPEAL_GROUPS)), 3)
    col = 0
    for parent, groups in groupby(APPEAL_GROUPS, key=lambda g: g.parent):
        groups = list(groups)
        grid.add(0, col, parent, "head", 1, n * len(groups))
        for group in groups:
            if len(groups) == 1 and group.label == parent:
                # 行政复议 has no sub-group: its result labels fill rows 2–3
                for k, result in enumerate(APPEAL_RESULTS):
                    grid.add(1, col + k, result.label, "head", 2)
            else:
                grid.add(1, col, group.label, "head", 1, n)
                for k, result in enumerate(APPEAL_RESULTS):
                    grid.add(2, col + k, result.label, "head")
            for k, result in enumerate(APPEAL_RESULTS):
                _value(grid, 3, col + k, tables["appeals"][group.key][result.key], f"{group.key}/{result.key}")
            col += n
    return grid


def statutory_grids(tables: dict) -> dict[str, Grid]:
    """The three tables keyed by the report section they belong to."""
    grids = (proactive_grid(tables), application_grid(tables), appeal_grid(tables))
    return {g.section: g for g in grids}
