"""The report as agencies publish it: a Word document on A4 (python-docx)."""

from __future__ import annotations

import copy
import io
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from docx import Document
from docx.document import Document as DocxDocument
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT, WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.opc.coreprops import CoreProperties
from docx.opc.oxml import serialize_part_xml
from docx.oxml import OxmlElement
from docx.oxml.coreprops import CT_CoreProperties
from docx.oxml.document import CT_Document
from docx.oxml.ns import qn
from docx.oxml.table import CT_Tbl
from docx.oxml.text.run import CT_R
from docx.shared import Cm, Pt, RGBColor
from docx.text.paragraph import Paragraph
from lxml import etree

from pipelines.defs.reports.context import DRAFT_BANNER
from pipelines.defs.reports.document import Para, ReportDocument
from pipelines.defs.reports.layout import Grid
from pipelines.defs.reports.package import Part, deflated, write_package

# Official documents use 仿宋 for text, 黑体 for 一、 headings, 楷体 for （一） ones.
# Machines without them substitute; the ascii font keeps digits in Times.
BODY_FONT, HEADING_FONT, SUB_FONT, TITLE_FONT, TABLE_FONT = "仿宋", "黑体", "楷体", "宋体", "宋体"
FALLBACK_FONT = "Noto Serif CJK SC"
LATIN_FONT = "Times New Roman"
RED = RGBColor(0xC0, 0x00, 0x00)
PAGE_WIDTH, PAGE_HEIGHT = Cm(21.0), Cm(29.7)
MARGINS = {"top": Cm(2.54), "bottom": Cm(2.54), "left": Cm(2.6), "right": Cm(2.6)}
TEXT_WIDTH_CM = 21.0 - 2.6 - 2.6


def _font(run, east_asia: str, size: float, bold: bool = False, color: RGBColor | None = None) -> None:
    run.font.name = LATIN_FONT
    run.font.size = Pt(size)
    run.font.bold = bold
    if color is not None:
        run.font.color.rgb = color
    rpr = run._element.get_or_add_rPr()
    rpr.get_or_add_rFonts().set(qn("w:eastAsia"), east_asia)
    _chinese(rpr)


def _chinese(rpr) -> None:
    """Mark the text zh-CN, so a reader without the named font falls back to a Simplified Chinese one."""
    lang = rpr.find(qn("w:lang"))
    if lang is None:
        lang = OxmlElement("w:lang")
        rpr.append(lang)
    lang.set(qn("w:eastAsia"), "zh-CN")


# Styling a paragraph or a table cell in python-docx is slow (each property a search of the element's children, each
# new element created through a class lookup): building the tables cell by cell took ~50 ms each. So each kind of
# paragraph and each shape of table is built once per process, the python-docx way with empty text, and every
# report gets a deep copy with its own text: the XML is the same as building it for that report (a run's text
# goes after its rPr either way, as add_run(text) followed by _font leaves it).
_PROTOTYPES: dict[tuple, Any] = {}
_MAX_PROTOTYPES = 256  # a few dozen kinds in practice; bounded all the same
_T, _SPACE = qn("w:t"), qn("xml:space")


def _prototype(key: tuple, build: Callable[[], Any]) -> Any:
    found = _PROTOTYPES.get(key)
    if found is None:
        if len(_PROTOTYPES) >= _MAX_PROTOTYPES:
            _PROTOTYPES.clear()
        found = _PROTOTYPES[key] = build()
    return found


def _set_text(r: CT_R, text: str) -> None:
    """`r.text = text` for a run that holds its rPr only. Plain text (most of it) is written as python-docx's
    appender writes it — one w:t, xml:space="preserve" when it starts or ends with white space — without its
    character-by-character loop; tabs and line breaks go through python-docx."""
    if not text:
        return
    if "\t" in text or "\n" in text or "\r" in text:
        r.text = text
        return
    t = etree.SubElement(r, _T)
    t.text = text
    if len(text.strip()) < len(text):
        t.set(_SPACE, "preserve")


def _build_para(
    container, text: str, east_asia: str, size: float, bold: bool, color: RGBColor | None, align, indent: bool, space_after: float, line: float | None
) -> Paragraph:
    p = container.add_paragraph()
    p.alignment = align
    fmt = p.paragraph_format
    fmt.space_before, fmt.space_after = Pt(0), Pt(space_after)
    if line:
        fmt.line_spacing_rule = WD_LINE_SPACING.EXACTLY
        fmt.line_spacing = Pt(line)
    if indent:
        fmt.first_line_indent = Pt(size * 2)  # two characters, as Chinese text is set
    _font(p.add_run(text), east_asia, size, bold, color)
    return p


def _para(
    doc,
    text: str,
    east_asia: str = BODY_FONT,
    size: float = 16,
    *,
    bold=False,
    color=None,
    align=WD_ALIGN_PARAGRAPH.JUSTIFY,
    indent: bool = True,
    space_after: float = 0,
    line: float | None = 28,
) -> Paragraph:
    """A paragraph of the document's body, in one font; returned for further formatting."""
    style = (east_asia, size, bold, color, align, indent, space_after, line)
    proto = _prototype(("para", *style), lambda: _build_para(Document(), "", *style)._p)
    p = copy.deepcopy(proto)
    _set_text(p.r_lst[-1], text)
    doc.element.body._insert_p(p)
    return Paragraph(p, doc._body)


def _declare_fallbacks(doc) -> None:
    """Tell readers which installed font stands in for each Chinese one (w:altName)."""
    font_table = next((rel.target_part for rel in doc.part.rels.values() if rel.reltype.endswith("/fontTable")), None)
    if font_table is None:
        return

    root = etree.fromstring(font_table.blob)
    # each once, in a fixed order (a set's order changes with the process's hash seed: pool workers differ)
    for name in dict.fromkeys((BODY_FONT, HEADING_FONT, SUB_FONT, TITLE_FONT, TABLE_FONT)):
        font = etree.SubElement(root, qn("w:font"))
        font.set(qn("w:name"), name)
        alt = etree.SubElement(font, qn("w:altName"))
        alt.set(qn("w:val"), FALLBACK_FONT)
        charset = etree.SubElement(font, qn("w:charset"))
        charset.set(qn("w:val"), "86")  # GB2312
    font_table._blob = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


def _page_setup(doc) -> None:
    section = doc.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = PAGE_WIDTH, PAGE_HEIGHT
    for side, value in MARGINS.items():
        setattr(section, f"{side}_margin", value)
    style = doc.styles["Normal"]
    style.font.name = LATIN_FONT
    rpr = style.element.get_or_add_rPr()
    rpr.get_or_add_rFonts().set(qn("w:eastAsia"), BODY_FONT)
    _chinese(rpr)


def _page_number(section) -> None:
    p = section.footer.paragraphs[0]
    p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _font(p.add_run("— "), BODY_FONT, 12)
    run = p.add_run()
    _font(run, BODY_FONT, 12)
    for kind, text in (("begin", None), (None, "PAGE"), ("end", None)):
        if kind:
            el = OxmlElement("w:fldChar")
            el.set(qn("w:fldCharType"), kind)
        else:
            el = OxmlElement("w:instrText")
            el.set(qn("xml:space"), "preserve")
            el.text = text
        run._element.append(el)
    _font(p.add_run(" —"), BODY_FONT, 12)


def _draft_header(doc) -> None:
    """The banner in the page header of every page (the same for every draft: part of its package template)."""
    header = doc.sections[0].header.paragraphs[0]
    header.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _font(header.add_run(DRAFT_BANNER), HEADING_FONT, 14, bold=True, color=RED)


def _draft_marks(doc, report: ReportDocument) -> None:
    """The banner and the reasons at the top of a draft's text."""
    _para(doc, report.banner, HEADING_FONT, 22, bold=True, color=RED, align=WD_ALIGN_PARAGRAPH.CENTER, indent=False, line=None)
    for reason in report.draft_reasons:
        _para(doc, f"• {reason}", BODY_FONT, 11, color=RED, align=WD_ALIGN_PARAGRAPH.LEFT, indent=False, line=None)
    _para(doc, "", BODY_FONT, 11, indent=False, line=None)


def _cell_margins(table, cm: float = 0.08) -> None:
    tbl_pr = table._tbl.tblPr
    margins = OxmlElement("w:tblCellMar")
    for side in ("left", "right"):
        el = OxmlElement(f"w:{side}")
        el.set(qn("w:w"), str(int(cm * 567)))
        el.set(qn("w:type"), "dxa")
        margins.append(el)
    # schema order matters to Word: tblCellMar comes before tblLook
    tbl_pr.insert_element_before(margins, "w:tblLook", "w:tblCaption", "w:tblDescription")


def _row_flags(row, header: bool) -> None:
    tr_pr = row._tr.get_or_add_trPr()
    tr_pr.append(OxmlElement("w:cantSplit"))
    if header:
        tr_pr.append(OxmlElement("w:tblHeader"))  # repeat the header rows on a new page


def _shade(cell, fill: str) -> None:
    shd = OxmlElement("w:shd")
    shd.set(qn("w:val"), "clear")
    shd.set(qn("w:color"), "auto")
    shd.set(qn("w:fill"), fill)
    cell._tc.get_or_add_tcPr().insert_element_before(shd, "w:noWrap", "w:tcMar", "w:textDirection", "w:tcFitText", "w:vAlign", "w:hideMark")


def _build_grid(doc, grid: Grid, size: float) -> tuple[CT_Tbl, list[CT_R]]:
    """The grid as python-docx builds it, object by object; returns the table and each cell's run (grid order)."""
    table = doc.add_table(rows=grid.n_rows, cols=grid.n_cols)
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    _cell_margins(table)
    scale = TEXT_WIDTH_CM / sum(grid.widths)
    widths = [Cm(w * scale) for w in grid.widths]
    for i, column in enumerate(table.columns):
        column.width = widths[i]
    # table.cell() rebuilds the whole grid on every call; take the cells once (merges never overlap)
    cells = table._cells
    for r, row in enumerate(table.rows):
        _row_flags(row, r < grid.header_rows)
        for c in range(grid.n_cols):
            cells[r * grid.n_cols + c].width = widths[c]  # Word reads cell widths, LibreOffice the grid
    runs = []
    for spec in grid.cells:
        cell = cells[spec.row * grid.n_cols + spec.col]
        if spec.rowspan > 1 or spec.colspan > 1:
            cell = cell.merge(cells[(spec.row + spec.rowspan - 1) * grid.n_cols + spec.col + spec.colspan - 1])
        cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER
        p = cell.paragraphs[0]
        p.alignment = WD_ALIGN_PARAGRAPH.LEFT if spec.align_left else WD_ALIGN_PARAGRAPH.CENTER
        p.paragraph_format.space_before = p.paragraph_format.space_after = Pt(1)
        run = p.add_run(spec.text)
        _font(run, TABLE_FONT, size, bold=spec.kind == "block")
        runs.append(run._r)
        if spec.kind in ("head", "block", "note"):
            _shade(cell, "F2F2F2")
    # A statutory table reads as one piece: keep every row with the next, so it moves to a new page whole.
    for tr in table._tbl.tr_lst[:-1]:
        for p in tr.iter(qn("w:p")):
            Paragraph(p, table).paragraph_format.keep_with_next = True
    return table._tbl, runs


def _grid_shape(grid: Grid, size: float) -> tuple:
    """Everything about a grid's table except its cells' text (the statutory tables have the same shape for every
    agency: only the figures and the agency line differ)."""
    return (size, grid.n_cols, grid.header_rows, grid.widths, tuple((c.row, c.col, c.rowspan, c.colspan, c.kind, c.align_left) for c in grid.cells))


def _grid_template(grid: Grid, size: float) -> tuple[CT_Tbl, list[int]]:
    """The table of this shape: the element, its runs without text, and per grid cell the position of its run."""

    def build() -> tuple[CT_Tbl, list[int]]:
        scratch = Document()
        _page_setup(scratch)
        tbl, runs = _build_grid(scratch, grid, size)
        for r in runs:
            r.clear_content()
        position = {r: i for i, r in enumerate(tbl.iter(qn("w:r")))}
        return tbl, [position[r] for r in runs]

    return _prototype(("grid", *_grid_shape(grid, size)), build)


def add_grid(doc, grid: Grid, size: float = 9) -> None:
    template, positions = _grid_template(grid, size)
    tbl = copy.deepcopy(template)
    runs = list(tbl.iter(qn("w:r")))
    for spec, i in zip(grid.cells, positions, strict=True):
        _set_text(runs[i], spec.text)
    doc.element.body._insert_tbl(tbl)


def _add_block(doc, block: Para) -> None:
    if block.kind == "subheading":
        _para(doc, block.text, SUB_FONT, 16)
    elif block.kind == "placeholder":
        _para(doc, block.text, BODY_FONT, 16, bold=True, color=RED)
    else:
        _para(doc, block.text, BODY_FONT, 16)


@cache
def skeleton() -> bytes:
    """Every report's document before its content (page, fonts, page number), made once per process: opening it
    costs what opening python-docx's default template does, the setting up is saved."""
    doc = Document()
    _page_setup(doc)
    _declare_fallbacks(doc)
    _page_number(doc.sections[0])
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


def title(report: ReportDocument) -> str:
    return f"{'【草稿】' if report.is_draft else ''}{report.agency_name}{report.title}"


def fill(doc, report: ReportDocument) -> None:
    """The report's text and tables into `doc`'s body (a python-docx Document, or one over a bare document
    element: only the body is written)."""
    if report.is_draft:
        _draft_marks(doc, report)
    for line in (report.agency_name, report.title):
        _para(doc, line, TITLE_FONT, 22, bold=True, align=WD_ALIGN_PARAGRAPH.CENTER, indent=False, line=36)
    _para(doc, "", BODY_FONT, 16, indent=False)
    for block in report.preamble:
        _add_block(doc, block)
    for section in report.sections:
        heading = _para(doc, section.heading, HEADING_FONT, 16, indent=True)
        heading.paragraph_format.keep_with_next = True
        # Table A fills most of a page; starting it on a fresh one keeps its merged
        # label column whole in every reader (LibreOffice ignores keep-with-next in rows).
        heading.paragraph_format.page_break_before = section.key == "applications"
        for block in section.blocks:
            if isinstance(block, Grid):
                add_grid(doc, block)
                _para(doc, "", BODY_FONT, 8, indent=False, line=None)
            else:
                _add_block(doc, block)
    _para(doc, "", BODY_FONT, 16, indent=False)
    for line in report.signature:
        _para(doc, line, BODY_FONT, 16, align=WD_ALIGN_PARAGRAPH.RIGHT, indent=False)


def python_docx_package(report: ReportDocument) -> Document:
    """The report as python-docx makes it: the skeleton opened, the draft header, the title, the body. Saving it
    gives the parts write_docx writes (tests/reports/test_reports_package.py compares them)."""
    doc = Document(io.BytesIO(skeleton()))
    doc.core_properties.title = title(report)
    if report.is_draft:
        _draft_header(doc)
    fill(doc, report)
    return doc


DOCUMENT_PART, CORE_PART = "word/document.xml", "docProps/core.xml"  # the parts that differ between reports


@dataclass(frozen=True)
class _Template:
    """A report's package before its text: the document element (the body holds only its section properties),
    the core properties (no title yet), and every part in python-docx's order, the constant ones compressed."""

    document: CT_Document
    core: CT_CoreProperties
    parts: list[Part | str]  # a compressed part, or the name of one made per report


@cache
def _template(draft: bool) -> _Template:
    """Made once per process for drafts and once for the others (a draft's package has a page header more)."""
    doc = Document(io.BytesIO(skeleton()))
    if draft:
        _draft_header(doc)
    out = io.BytesIO()
    doc.save(out)
    with zipfile.ZipFile(out) as saved:
        parts: list[Part | str] = [n if n in (DOCUMENT_PART, CORE_PART) else deflated(n, saved.read(n)) for n in saved.namelist()]
    return _Template(doc.element, doc.core_properties._element, parts)


def write_docx(report: ReportDocument, path: Path) -> Path:
    """The report's package from its template: the body built into a copy of the template's document element,
    the title into a copy of its core properties; the other parts' compressed bytes copied as they are. Opening
    and saving a python-docx package per report (parsing and compressing 800 kB of constant XML) took most of
    the DOCX's time."""
    template = _template(report.is_draft)
    document = copy.deepcopy(template.document)
    fill(DocxDocument(document, None), report)  # no package behind it: nothing the body needs
    core = copy.deepcopy(template.core)
    CoreProperties(core).title = title(report)
    made = {DOCUMENT_PART: serialize_part_xml(document), CORE_PART: serialize_part_xml(core)}
    return write_package(path, [deflated(p, made[p]) if isinstance(p, str) else p for p in template.parts])
