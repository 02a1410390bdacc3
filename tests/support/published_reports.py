"""Realistic annual reports for the tests, written in every format the checker reads.

A `Spec` holds the cell texts (strings, so a test can put "/" or "" in a cell) and
the narrative; the writers lay it out as agencies publish it: seed-style text
(one cell per tab-indented line, as Word exports it), HTML with rowspan/colspan,
DOCX with real merged Word table cells, PDF (reportlab, STSong-Light) whose
table A runs over a page break with its header repeated.
"""

import copy
from dataclasses import dataclass, field
from pathlib import Path

from schemas import vocabulary as v

AGENCY = "临朐县城关街道办事处"
YEAR = 2023

# A consistent year: A1–A3 and R1 hold, channels add up (212 + 85 + 430 = 727).
_APPS = {
    ("1", "natural_person"): 14,
    ("1", "commercial"): 3,
    ("1", "legal_service"): 1,
    ("2", "natural_person"): 2,
    ("3.1", "natural_person"): 6,
    ("3.1", "commercial"): 2,
    ("3.2", "natural_person"): 2,
    ("3.2", "legal_service"): 1,
    ("3.3.4", "natural_person"): 1,
    ("3.4.1", "natural_person"): 3,
    ("3.4.1", "commercial"): 1,
    ("3.5.2", "natural_person"): 1,
    ("3.6.3", "natural_person"): 1,
    ("4", "natural_person"): 2,
}


def _applications() -> dict[tuple[str, str], str]:
    cells = {}
    for row in v.APPLICATION_ROW_KEYS:
        for col in v.APPLICANT_KEYS:
            if row == "3.7":
                val = sum(_APPS.get((r, col), 0) for r in v.OUTCOME_KEYS)
            else:
                val = _APPS.get((row, col), 0)
            cells[(row, col)] = val
        cells[(row, "total")] = sum(cells[(row, c)] for c in v.APPLICANT_KEYS)
    return {k: str(x) for k, x in cells.items()}


def _proactive() -> dict[tuple[str, str], str]:
    vals = {
        ("normative_document", "issued"): "2",
        ("normative_document", "repealed"): "1",
        ("normative_document", "in_force"): "9",
        ("license", "decisions"): "126",
        ("penalty", "decisions"): "37",
        ("enforcement", "decisions"): "4",
        ("admin_fee", "amount_wan_yuan"): "1.235",
    }
    return {cell: vals.get(cell, "0") for cell in v.PROACTIVE_CELLS}


def _appeals() -> dict[tuple[str, str], str]:
    vals = {
        ("review", "upheld"): "1",
        ("review", "corrected"): "1",
        ("review", "total"): "2",
        ("litigation_direct", "upheld"): "1",
        ("litigation_direct", "total"): "1",
    }
    return {cell: vals.get(cell, "0") for cell in v.APPEAL_CELLS}


@dataclass
class Spec:
    agency: str = AGENCY
    year: int = YEAR
    channels: list[tuple[str, int]] = field(default_factory=lambda: [("县政府门户网站", 212), ("政府信息公开专栏", 85), ("“城关发布”微信公众号", 430)])
    channel_total: int = 727
    applications_sentence: str = "{year}年度，共收到政府信息公开申请18件，上年结转2件，均已按规定办理。"
    proactive: dict = field(default_factory=_proactive)
    applications: dict = field(default_factory=_applications)
    appeals: dict = field(default_factory=_appeals)

    def copy(self) -> "Spec":
        return copy.deepcopy(self)

    # ----------------------------------------------------------- narrative

    def intro(self) -> list[str]:
        return [
            f"根据《中华人民共和国政府信息公开条例》规定，现公布{self.agency}{self.year}年政府信息公开工作年度报告。本报告所列数据统计期限自{self.year}年1月1日起至{self.year}年12月31日止。",
            "一、总体情况",
            f"{self.year}年，{self.agency}认真贯彻落实《条例》要求，持续深化政务公开。",
            "（一）主动公开情况",
            f"全年主动公开政府信息{self.channel_total}条。其中，" + "，".join(f"通过{name}主动公开政府信息{n}条" for name, n in self.channels) + "。",
            "（二）依申请公开情况",
            self.applications_sentence.format(year=self.year),
        ]

    def outro(self) -> list[str]:
        return [
            "五、存在的主要问题及改进情况",
            "一是公开内容不够丰富；二是工作人员业务能力有待提升。下一步将加强培训。",
            "六、其他需要报告的事项",
            "本年度未收取信息处理费。",
            self.agency,
            f"{self.year + 1}年1月15日",
        ]

    # --------------------------------------------------------------- grids
    # A grid is (rows of cell texts, merges); a merge is (row0, col0, row1, col1) inclusive.

    def grid_p(self):
        rows, merges = [], []
        blocks = [
            ("（一）", ("regulation", "normative_document")),
            ("（五）", ("license",)),
            ("（六）", ("penalty", "enforcement")),
            ("（八）", ("admin_fee",)),
        ]
        for article, items in blocks:
            metrics = v.PROACTIVE_BY_KEY[items[0]].metrics
            r = len(rows)
            rows.append([f"第二十条第{article}项", "", "", ""])
            merges.append((r, 0, r, 3))
            rows.append(["信息内容", *[m.label for m in metrics], *[""] * (3 - len(metrics))])
            if len(metrics) == 1:
                merges.append((r + 1, 1, r + 1, 3))
            for item in items:
                rows.append([v.PROACTIVE_BY_KEY[item].label, *[self.proactive[(item, m.key)] for m in metrics], *[""] * (3 - len(metrics))])
                if len(metrics) == 1:
                    merges.append((len(rows) - 1, 1, len(rows) - 1, 3))
        return rows, merges

    def grid_a(self):
        cols = list(v.APPLICATION_COLUMN_KEYS)
        rows = [
            ["（本列数据的勾稽关系为：第一项加第二项之和等于第三项加第四项之和）", "", "", v.APPLICANT_GROUP_LABEL, *[""] * 6],
            ["", "", "", v.APPLICATION_COLUMN_LABELS["natural_person"], v.ORG_GROUP_LABEL, "", "", "", "", v.APPLICATION_COLUMN_LABELS["total"]],
            ["", "", "", "", *[v.APPLICATION_COLUMN_LABELS[c] for c in v.APPLICANT_KEYS[1:]], ""],
        ]
        merges = [(0, 0, 2, 2), (0, 3, 0, 9), (1, 3, 2, 3), (1, 4, 1, 8), (1, 9, 2, 9)]
        first_result = None
        group_start: dict[str, int] = {}
        for row in v.APPLICATION_ROWS:
            r = len(rows)
            values = [self.applications[(row.key, c)] for c in cols]
            if row.key in ("1", "2", "4"):
                rows.append([row.short, "", "", *values])
                merges.append((r, 0, r, 2))
            elif not row.group:  # 3.1, 3.2, 3.7
                if first_result is None:
                    first_result = r
                rows.append([v.RESULTS_HEADING if row.key == "3.1" else "", row.short, "", *values])
                merges.append((r, 1, r, 2))
            else:
                start = group_start.setdefault(row.group, r)
                rows.append(["", row.group if start == r else "", row.short, *values])
        for g, start in group_start.items():
            size = sum(1 for row in v.APPLICATION_ROWS if row.group == g)
            merges.append((start, 1, start + size - 1, 1))
        merges.append((first_result, 0, len(rows) - 2, 0))  # 三、本年度办理结果 over 3.1 … 3.7
        return rows, merges

    def grid_r(self):
        rows = [
            ["行政复议", "", "", "", "", "行政诉讼", *[""] * 9],
            [*[r.label for r in v.APPEAL_RESULTS], "未经复议直接起诉", "", "", "", "", "复议后起诉", "", "", "", ""],
            [*[""] * 5, *[r.label for r in v.APPEAL_RESULTS] * 2],
            [self.appeals[c] for c in v.APPEAL_CELLS],
        ]
        merges = [(0, 0, 0, 4), (0, 5, 0, 14), (1, 5, 1, 9), (1, 10, 1, 14), *[(1, c, 2, c) for c in range(5)]]
        return rows, merges


def _covered(merges) -> dict[tuple[int, int], str]:
    """(row, col) → "h" (covered by a horizontal span in its first row) or "v" (a vertical continuation)."""
    out = {}
    for r0, c0, r1, c1 in merges:
        for r in range(r0, r1 + 1):
            for c in range(c0, c1 + 1):
                if (r, c) != (r0, c0):
                    out[(r, c)] = "h" if r == r0 else "v"
    return out


# ------------------------------------------------------------------ text


def _grid_text(grid, break_cells: dict[str, str] | None = None) -> list[str]:
    """Word's text export: a cell per tab-indented line, "" for a vertical continuation, a blank line per row."""
    rows, merges = grid
    covered = _covered(merges)
    lines = []
    for r, row in enumerate(rows):
        for c, text in enumerate(row):
            kind = covered.get((r, c))
            if kind == "h" or (kind == "v" and c > 0 and covered.get((r, c - 1)) == "v" and _same_merge(merges, r, c)):
                continue
            lines.append("\t" + (text if kind is None else "").replace("\n", "\n"))
        lines.append("")
    return lines


def _same_merge(merges, r, c) -> bool:
    # a vertical continuation of a merge that also spans columns shows once, not per column
    return any(r0 < r <= r1 and c0 < c <= c1 for r0, c0, r1, c1 in merges)


def to_text(spec: Spec) -> str:
    grid_a = spec.grid_a()
    # the seed breaks the (三) heading over lines
    for row in grid_a[0]:
        if row[1] == "（三）不予公开":
            row[1] = "（三）不\n予\n公\n开"
    lines = [f" {spec.agency}", f"{spec.year}年政府信息公开工作年度报告", *spec.intro(), "二、主动公开政府信息情况"]
    lines += _grid_text(spec.grid_p())
    lines += ["三、收到和处理政府信息公开申请情况"]
    lines += _grid_text(grid_a)
    lines += ["四、政府信息公开行政复议、行政诉讼情况"]
    lines += _grid_text(spec.grid_r())
    lines += spec.outro() + ["1"]
    return "\n".join(lines) + "\n"


# ------------------------------------------------------------------ HTML


def _grid_html(grid) -> str:
    rows, merges = grid
    covered = _covered(merges)
    spans = {(r0, c0): (r1 - r0 + 1, c1 - c0 + 1) for r0, c0, r1, c1 in merges}
    out = ["<table border='1'>"]
    for r, row in enumerate(rows):
        out.append("<tr>")
        for c, text in enumerate(row):
            if (r, c) in covered:
                continue
            rs, cs = spans.get((r, c), (1, 1))
            attrs = (f" rowspan='{rs}'" if rs > 1 else "") + (f" colspan='{cs}'" if cs > 1 else "")
            out.append(f"<td{attrs}><p>{text.replace(chr(10), '<br/>')}</p></td>")
        out.append("</tr>")
    out.append("</table>")
    return "\n".join(out)


def to_html(spec: Spec) -> str:
    body = [f"<h1>{spec.agency}{spec.year}年政府信息公开工作年度报告</h1>"]
    body += [f"<p>{line}</p>" for line in spec.intro()]
    body += ["<h2>二、主动公开政府信息情况</h2>", _grid_html(spec.grid_p())]
    body += ["<h2>三、收到和处理政府信息公开申请情况</h2>", _grid_html(spec.grid_a())]
    body += ["<h2>四、政府信息公开行政复议、行政诉讼情况</h2>", _grid_html(spec.grid_r())]
    body += [f"<p>{line}</p>" for line in spec.outro()]
    return "<!DOCTYPE html><html><head><meta charset='utf-8'><title>年度报告</title></head><body>" + "\n".join(body) + "</body></html>"


# ------------------------------------------------------------------ DOCX


def to_docx(spec: Spec, path: Path) -> Path:
    import docx

    d = docx.Document()
    d.add_paragraph(spec.agency)
    d.add_paragraph(f"{spec.year}年政府信息公开工作年度报告")
    for line in spec.intro():
        d.add_paragraph(line)
    for heading, grid in (
        ("二、主动公开政府信息情况", spec.grid_p()),
        ("三、收到和处理政府信息公开申请情况", spec.grid_a()),
        ("四、政府信息公开行政复议、行政诉讼情况", spec.grid_r()),
    ):
        d.add_paragraph(heading)
        rows, merges = grid
        table = d.add_table(rows=len(rows), cols=len(rows[0]))
        table.style = "Table Grid"
        grid = [tr.cells for tr in table.rows]  # once: table.cell() walks the whole table each time
        for cells, row in zip(grid, rows, strict=True):
            for cell, text in zip(cells, row, strict=True):
                if text:
                    cell.text = text
        for r0, c0, r1, c1 in merges:  # merges do not overlap, so the cells taken above stay valid
            top = grid[r0][c0]
            text = top.text
            merged = top.merge(grid[r1][c1])
            merged.text = text  # merge() joins the texts of all merged cells; keep the top one
    for line in spec.outro():
        d.add_paragraph(line)
    d.save(str(path))
    return path


# ------------------------------------------------------------------- PDF


def to_pdf(spec: Spec, path: Path) -> Path:
    from reportlab.lib.pagesizes import A4, landscape
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    style = ParagraphStyle("body", fontName="STSong-Light", fontSize=9, leading=13)
    cell_style = ParagraphStyle("cell", fontName="STSong-Light", fontSize=6, leading=7)

    def page_number(canvas, doc_):
        canvas.setFont("STSong-Light", 8)
        canvas.drawCentredString(landscape(A4)[0] / 2, 20, f"- {doc_.page} -")

    story = [Paragraph(f"{spec.agency}{spec.year}年政府信息公开工作年度报告", style)]
    story += [Paragraph(line, style) for line in spec.intro()]
    for heading, grid, repeat in (
        ("二、主动公开政府信息情况", spec.grid_p(), 0),
        ("三、收到和处理政府信息公开申请情况", spec.grid_a(), 3),
        ("四、政府信息公开行政复议、行政诉讼情况", spec.grid_r(), 0),
    ):
        story += [Spacer(1, 6), Paragraph(heading, style)]
        rows, merges = grid
        data = [[Paragraph(t.replace("\n", "<br/>"), cell_style) if len(t) > 12 else t for t in row] for row in rows]
        cmds = [("FONTNAME", (0, 0), (-1, -1), "STSong-Light"), ("FONTSIZE", (0, 0), (-1, -1), 6), ("GRID", (0, 0), (-1, -1), 0.5, "black")]
        # reportlab never breaks a page inside a row span: leave 三、本年度办理结果 unmerged so table A splits
        cmds += [("SPAN", (c0, r0), (c1, r1)) for r0, c0, r1, c1 in merges if r1 - r0 < 10]
        widths = [70, 50, 120] + [40] * 7 if len(rows[0]) == 10 else None
        story.append(Table(data, colWidths=widths, style=TableStyle(cmds), repeatRows=repeat))
    story += [Paragraph(line, style) for line in spec.outro()]
    SimpleDocTemplate(str(path), pagesize=landscape(A4), topMargin=40, bottomMargin=40).build(story, onFirstPage=page_number, onLaterPages=page_number)
    return path


def write(spec: Spec, fmt: str, directory: Path) -> Path:
    path = directory / f"report.{fmt}"
    if fmt == "txt":
        path.write_text(to_text(spec), encoding="utf-8")
    elif fmt == "html":
        path.write_text(to_html(spec), encoding="utf-8")
    elif fmt == "docx":
        to_docx(spec, path)
    elif fmt == "pdf":
        to_pdf(spec, path)
    return path
