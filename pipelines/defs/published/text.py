"""Plain text and table cells from a published report: .txt, .html, .docx, .pdf.

Every reader gives the same thing: a `Document`, a sequence of tokens in reading
order. A token is either a table cell (possibly empty: merged or blank cells
keep their place, as a Word→text export does) or a line of narrative text.
The extractor never looks at the file format, only at these tokens.
"""

import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

from pipelines.errors import GongkaiError


@dataclass
class Token:
    text: str
    cell: bool  # a table cell (True) or a narrative line (False)
    row_end: bool = False  # the last cell of a table row, where the layout tells


@dataclass
class Document:
    source: str
    tokens: list[Token] = field(default_factory=list)

    @property
    def narrative(self) -> list[str]:
        return [t.text for t in self.tokens if not t.cell and t.text.strip()]

    def add_cell(self, text: str | None) -> None:
        self.tokens.append(Token((text or "").strip(), True))

    def end_row(self) -> None:
        if self.tokens and self.tokens[-1].cell:
            self.tokens[-1].row_end = True

    def add_line(self, line: str) -> None:
        """A line outside any table; "规章 0 0 0" (a table row as a PDF text layer gives it) becomes cells."""
        line = line.strip()
        if not line:
            return
        parts = split_row(line)
        if parts is None:
            self.tokens.append(Token(line, False))
        else:
            for p in parts:
                self.add_cell(p)
            self.end_row()


_VALUE = r"[+\-−]?[\d０-９]+(?:[.．][\d０-９]+)?|[/／\\—–\-－]+"
_VALUE_RE = re.compile(rf"^(?:{_VALUE})$")
_PAGE_NUMBER = re.compile(r"^(?:[-—–－\s]*[\d０-９]{1,3}[-—–－\s]*|第[\d０-９]+页(?:共[\d０-９]+页)?|[\d０-９]+\s*/\s*[\d０-９]+)$")


def split_row(line: str) -> list[str] | None:
    """'label v v v' → ['label', 'v', 'v', 'v'] when everything after the label is a value; else None."""
    parts = line.split()
    if len(parts) < 2:
        return None
    first_value = next((i for i, p in enumerate(parts) if _VALUE_RE.match(p)), None)
    if first_value is None or not all(_VALUE_RE.match(p) for p in parts[first_value:]):
        return None
    head = " ".join(parts[:first_value])
    return ([head] if head else []) + parts[first_value:]


def is_page_number(line: str) -> bool:
    return bool(_PAGE_NUMBER.match(line.strip()))


# ------------------------------------------------------------------- .txt


def _decode(raw: bytes) -> str:
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return raw.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise UnicodeDecodeError("utf-8/gb18030", raw, 0, 1, "not UTF-8 or GB18030")


_PIPE = re.compile(r"[|｜]")


def read_text(text: str, source: str = "") -> Document:
    """Text as agencies paste it: a cell per tab-indented line (the seed), or tab- or pipe-separated rows."""
    doc = Document(source)
    lines = text.replace("\r\n", "\n").replace("\r", "\n").replace("\f", "\n").split("\n")
    has_cells = any("\t" in ln or _PIPE.search(ln) for ln in lines)
    in_cell = False  # a line without a tab right after a cell line continues that cell ("（三）不\n予\n公\n开")
    for line in lines:
        if not line.strip() and "\t" not in line:
            in_cell = False
            doc.end_row()  # Word's export: a blank line after each table row
            continue
        if "\t" in line:
            body = line[1:] if line.startswith("\t") else line  # one leading tab is indentation
            parts = body.split("\t")
            for part in parts:
                doc.add_cell(part)
            if len(parts) > 1:
                doc.end_row()
            in_cell = len(parts) == 1  # only a one-cell line (Word's export) continues on the next lines
        elif _PIPE.search(line):
            stripped = line.strip()
            if re.fullmatch(r"[|｜:\-—\s+]+", stripped):  # a Markdown rule line
                continue
            cells = _PIPE.split(stripped.strip("|｜"))
            for part in cells:
                doc.add_cell(part)
            doc.end_row()
            in_cell = False
        elif in_cell and doc.tokens and doc.tokens[-1].cell:
            last = doc.tokens.pop()
            doc.tokens.append(Token(last.text + line.strip(), True))
        elif has_cells and is_page_number(line):
            continue  # tables are in cells, so a bare number on its own line is a page number
        else:
            doc.add_line(line)
            in_cell = False
    return doc


# ------------------------------------------------------------------ .html

_BLOCKS = ("p", "div", "h1", "h2", "h3", "h4", "h5", "h6", "li", "section", "article", "title", "header", "footer")


def read_html(raw: bytes, source: str = "") -> Document:
    from bs4 import BeautifulSoup

    soup = BeautifulSoup(raw, "lxml")
    for tag in soup(["script", "style", "noscript"]):
        tag.decompose()
    tables = []
    for table in soup.find_all("table"):
        if table.find_parent("table") is not None:
            continue  # nested tables are read as part of their outer cell
        rows = []
        for tr in table.find_all("tr"):
            if tr.find_parent("table") is not table:
                continue
            rows.append([cell.get_text("", strip=True) for cell in tr.find_all(["td", "th"]) if cell.find_parent("tr") is tr])
        tables.append(rows)
        table.replace_with(soup.new_string(f"\n\x00{len(tables) - 1}\x00\n"))
    for br in soup.find_all("br"):
        br.replace_with("\n")
    for tag in soup.find_all(_BLOCKS):
        tag.insert_before("\n")
        tag.insert_after("\n")
    doc = Document(source)
    for line in soup.get_text("").split("\n"):
        marker = re.fullmatch(r"\s*\x00(\d+)\x00\s*", line)
        if marker:
            for row in tables[int(marker.group(1))]:
                for cell in row:
                    doc.add_cell(cell)
                doc.end_row()
        elif line.strip() and not is_page_number(line):
            doc.add_line(line)
    return doc


# ------------------------------------------------------------------ .docx


def read_docx(path: Path) -> Document:
    import docx
    from docx.oxml.ns import qn
    from docx.table import Table, _Cell
    from docx.text.paragraph import Paragraph

    d = docx.Document(str(path))
    doc = Document(str(path))
    for el in d.element.body.iterchildren():
        if el.tag == qn("w:p"):
            doc.add_line(Paragraph(el, d).text)
        elif el.tag == qn("w:tbl"):
            table = Table(el, d)
            for tr in el.iterchildren(qn("w:tr")):
                # raw <w:tc>: a horizontal merge is one cell (gridSpan); a vertical merge's
                # continuation is skipped, so an empty token is a cell the report left blank
                for tc in tr.iterchildren(qn("w:tc")):
                    pr = tc.tcPr
                    vmerge = pr.find(qn("w:vMerge")) if pr is not None else None
                    if vmerge is None or vmerge.get(qn("w:val")) == "restart":
                        doc.add_cell(_Cell(tc, table).text)
                doc.end_row()
    return doc


# ------------------------------------------------------------------- .pdf


def read_pdf(path: Path) -> Document:
    import pdfplumber

    doc = Document(str(path))
    chars = 0
    with pdfplumber.open(str(path)) as pdf:
        for page in pdf.pages:
            tables = page.find_tables()
            boxes = [t.bbox for t in tables]
            blocks: list[tuple[float, str, object]] = []
            for t in tables:
                blocks.append((t.bbox[1], "table", t.extract()))

            def outside(obj, boxes=boxes) -> bool:
                cx, cy = (obj["x0"] + obj["x1"]) / 2, (obj["top"] + obj["bottom"]) / 2
                return not any(x0 <= cx <= x1 and top <= cy <= bottom for x0, top, x1, bottom in boxes)

            free = page.filter(outside) if boxes else page
            margin = page.height * 0.08
            for line in free.extract_text_lines(return_chars=False):
                chars += len(line["text"])
                at_edge = line["top"] < margin or line["bottom"] > page.height - margin
                if at_edge and is_page_number(line["text"]):
                    continue  # running page numbers would read as table values
                blocks.append((line["top"], "line", line["text"]))
            for _, kind, content in sorted(blocks, key=lambda b: b[0]):
                if kind == "line":
                    doc.add_line(content)
                else:
                    for row in content:
                        for cell in row:
                            if cell is None:
                                continue  # covered by a merged cell; "" is a cell left blank
                            chars += len(cell)
                            doc.add_cell(cell)
                        doc.end_row()
    if chars == 0:
        raise GongkaiError(f"{path}：PDF没有文字层（可能是扫描件），无法读取", f"{path}: the PDF has no text layer (a scan?); cannot read it")
    return doc


# ------------------------------------------------------------------ entry


def read_document(path: str | Path) -> Document:
    """The tokens of one report file; GongkaiError (exit 2) when it cannot be read."""
    path = Path(path)
    if not path.is_file():
        raise GongkaiError(f"找不到文件：{path}", f"no such file: {path}")
    suffix = path.suffix.lower()
    try:
        if suffix in (".txt", ".text", ".md", ".csv", ""):
            return read_text(_decode(path.read_bytes()), str(path))
        if suffix in (".html", ".htm", ".xhtml"):
            return read_html(path.read_bytes(), str(path))
        if suffix == ".docx":
            return read_docx(path)
        if suffix == ".pdf":
            return read_pdf(path)
    except GongkaiError:
        raise
    except Exception as err:
        raise GongkaiError(f"无法读取{path}：{type(err).__name__}", f"cannot read {path}: {type(err).__name__}: {err}") from err
    raise GongkaiError(
        f"不支持的文件类型“{suffix}”：{path}（支持 .txt .html .docx .pdf；.doc/.wps 请先另存为 .docx）",
        f"unsupported file type {suffix!r}: {path} (use .txt, .html, .docx or .pdf; save .doc/.wps as .docx first)",
    )


def nfkc(text: str) -> str:
    return unicodedata.normalize("NFKC", text)
