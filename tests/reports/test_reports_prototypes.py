"""The writers' shortcuts leave the same XML as building each report object by object.

The DOCX writer copies a paragraph or table built once per kind and sets its text; the XLSX writer merges unstyled
ranges without openpyxl's re-formatting and copies the style of a cell styled alike. Each is compared here with the
python-docx / openpyxl way it replaces, on texts that take the unusual paths (white space kept at the ends, a tab,
a line break, nothing at all).
"""

import dataclasses

import docx
import pytest
from lxml import etree
from openpyxl import Workbook
from openpyxl.styles import Border, Side
from openpyxl.styles.cell_style import StyleArray

from pipelines.defs.reports import docx_report, xlsx_report
from pipelines.defs.reports.document import build_document
from pipelines.defs.reports.html_report import environment
from tests.support.report_samples import sample_context

TEXTS = ["二、主动公开政府信息情况", " 前有空格", "后有全角空格　", "一\t二", "第一行\n第二行", "", "12.5"]


def xml(element) -> bytes:
    return etree.tostring(element)


@pytest.mark.parametrize("text", TEXTS)
@pytest.mark.parametrize(
    "style",
    [
        {},
        {"east_asia": docx_report.HEADING_FONT, "size": 22, "bold": True, "color": docx_report.RED, "indent": False, "line": None},
        {"align": docx.enum.text.WD_ALIGN_PARAGRAPH.RIGHT, "indent": False, "space_after": 3},
    ],
)
def test_a_paragraph_is_the_one_python_docx_builds(text, style):
    full = {"east_asia": docx_report.BODY_FONT, "size": 16, "bold": False, "color": None, "align": docx.enum.text.WD_ALIGN_PARAGRAPH.JUSTIFY}
    full |= {"indent": True, "space_after": 0, "line": 28} | style
    built = docx_report._build_para(docx.Document(), text, **full)._p
    # twice: the second copy comes from the prototype the first one made
    for _ in range(2):
        copied = docx_report._para(docx.Document(), text, **full)._p
        assert xml(copied) == xml(built)


def test_a_table_is_the_one_python_docx_builds():
    grids = build_document(sample_context()).grids()
    assert len(grids) == 3
    for grid in grids:
        # the sample's own figures, then the same shape with other texts (the cached table, refilled)
        other = dataclasses.replace(grid, cells=[dataclasses.replace(c, text=TEXTS[i % len(TEXTS)]) for i, c in enumerate(grid.cells)])
        for g in (grid, other):
            doc = docx.Document()
            docx_report._page_setup(doc)
            built, _runs = docx_report._build_grid(doc, g, 9)
            copied = docx.Document()
            docx_report.add_grid(copied, g)
            (tbl,) = copied.element.body.tbl_lst
            assert xml(tbl) == xml(built)
            assert [c.text for c in docx.table.Table(tbl, copied._body)._cells if c.text][:3] == [
                c.text for c in docx.table.Table(built, doc._body)._cells if c.text
            ][:3]


def sheet_state(ws) -> tuple:
    # no style array and one of zeros are the same to openpyxl (has_style is False for both; nothing is written)
    cells = {k: (type(c).__name__, tuple(c._style or StyleArray())) for k, c in ws._cells.items()}
    return cells, sorted(str(r) for r in ws.merged_cells.ranges)


@pytest.mark.parametrize("styled_corner", [False, True])
def test_a_merge_is_the_one_openpyxl_makes(styled_corner):
    """Unstyled: the shortcut; a corner already styled (a border to spread over the range): openpyxl's own merge."""
    states = []
    for merge in (lambda ws: ws.merge_cells(start_row=2, start_column=2, end_row=4, end_column=5), lambda ws: xlsx_report._merge(ws, 2, 2, 4, 5)):
        wb = Workbook()
        ws = wb.active
        ws.cell(1, 1, "above")
        if styled_corner:
            ws.cell(2, 2).border = Border(left=Side(style="thin"), top=Side(style="thin"))
            ws.cell(4, 5).border = Border(right=Side(style="thick"), bottom=Side(style="thick"))
        merge(ws)
        states.append((sheet_state(ws), len(wb._borders), len(wb._protections)))
    assert states[0] == states[1]
    (cells, ranges), borders, _ = states[0]
    assert ranges == ["B2:E4"] and cells[3, 3][0] == "MergedCell"
    if styled_corner:  # openpyxl spread the corner's top border over the top edge: the fallback had work to do
        assert StyleArray(cells[2, 3][1]).borderId != 0 and borders > 3
    else:  # nothing styled: only the default border exists, and no cell of the range uses another
        assert borders == 1 and all(style == tuple(StyleArray()) for _kind, style in cells.values())


def test_the_html_environment_is_made_once():
    assert environment() is environment()


def test_a_table_in_html_is_the_one_the_macro_writes():
    """html_report.grid_html fills the macro's HTML of the table's shape with the cells' texts, escaped; the macro
    run on the same table gives the same HTML — the sample's texts, then texts the template escapes."""
    from markupsafe import Markup

    from pipelines.defs.reports.html_report import grid_html

    macro = environment().get_template("_grid.html.j2").module.grid_table
    odd = ["A&B <i>x</i>", 'say "yes"', "it's", " 前有空格", "一\t二", "", "12.5"]
    for grid in build_document(sample_context()).grids():
        other = dataclasses.replace(grid, cells=[dataclasses.replace(c, text=odd[i % len(odd)]) for i, c in enumerate(grid.cells)])
        for g in (grid, other, grid):  # the second and third from the shape's HTML the first made
            filled = grid_html(g)
            assert isinstance(filled, Markup) and str(filled) == str(macro(g))
    assert "A&amp;B &lt;i&gt;x&lt;/i&gt;" in str(grid_html(other)) and "say &#34;yes&#34;" in str(grid_html(other))
