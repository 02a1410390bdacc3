"""The report as agencies publish it: a Word document on A4 (python-docx)."""

from __future__ import annotations

from pathlib import Path

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT, WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt, RGBColor
from docx.text.paragraph import Paragraph

from pipelines.defs.reports.document import Para, ReportDocument
from pipelines.defs.reports.layout import Grid

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


def _para(
    container,
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
):
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


def _declare_fallbacks(doc) -> None:
    """Tell readers which installed font stands in for each Chinese one (w:altName)."""
    font_table = next((rel.target_part for rel in doc.part.rels.values() if rel.reltype.endswith("/fontTable")), None)
    if font_table is None:
        return
    from lxml import etree

    root = etree.fromstring(font_table.blob)
    for name in {BODY_FONT, HEADING_FONT, SUB_FONT, TITLE_FONT, TABLE_FONT}:
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


def _draft_marks(doc, report: ReportDocument) -> None:
    header = doc.sections[0].header.paragraphs[0]
    header.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _font(header.add_run(report.banner), HEADING_FONT, 14, bold=True, color=RED)
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


def add_grid(doc, grid: Grid, size: float = 9) -> None:
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
    for spec in grid.cells:
        cell = cells[spec.row * grid.n_cols + spec.col]
        if spec.rowspan > 1 or spec.colspan > 1:
            cell = cell.merge(cells[(spec.row + spec.rowspan - 1) * grid.n_cols + spec.col + spec.colspan - 1])
        cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER
        p = cell.paragraphs[0]
        p.alignment = WD_ALIGN_PARAGRAPH.LEFT if spec.align_left else WD_ALIGN_PARAGRAPH.CENTER
        p.paragraph_format.space_before = p.paragraph_format.space_after = Pt(1)
        _font(p.add_run(spec.text), TABLE_FONT, size, bold=spec.kind == "block")
        if spec.kind in ("head", "block", "note"):
            _shade(cell, "F2F2F2")
    # A statutory table reads as one piece: keep every row with the next, so it moves to a new page whole.
    for tr in table._tbl.tr_lst[:-1]:
        for p in tr.iter(qn("w:p")):
            Paragraph(p, table).paragraph_format.keep_with_next = True


def _add_block(doc, block: Para) -> None:
    if block.kind == "subheading":
        _para(doc, block.text, SUB_FONT, 16)
    elif block.kind == "placeholder":
        _para(doc, block.text, BODY_FONT, 16, bold=True, color=RED)
    else:
        _para(doc, block.text, BODY_FONT, 16)


def write_docx(report: ReportDocument, path: Path) -> Path:
    doc = Document()
    _page_setup(doc)
    _declare_fallbacks(doc)
    _page_number(doc.sections[0])
    doc.core_properties.title = f"{report.agency_name}{report.title}"
    if report.is_draft:
        doc.core_properties.title = f"【草稿】{doc.core_properties.title}"
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
    path.parent.mkdir(parents=True, exist_ok=True)
    doc.save(path)
    return path
