"""Read one ledger file into strings, with canonical column names and the row a person sees.

Every value stays text here; `normalize` gives it a type. Decoding is detected,
never guessed: UTF-8 (BOM or not) first, then GB18030 (the superset of GBK)
when charset-normalizer finds the bytes coherent in it; anything else rejects
the whole file with its name.

The header is found, not assumed: it is the first of the first `HEADER_ROWS`
rows whose cells name more than half of the kind's required columns, so title
rows above it (the merged "XX镇依申请公开台账（2022年）" line) are passed over,
and a row of column numbers right under it (1 2 3 … or 甲 乙 丙) belongs to the
header block. Every sheet of a workbook is looked at: the sheets with such a
header are read, the others are listed as not ledger sheets; a file in which no
header is found is rejected whole, naming the header cells it does have. A row
whose leading cells say 合计/总计/小计 and that has no record id is a total row:
counted as such, not a record. Row numbers stay the spreadsheet's.
"""

import csv
import io
import re
import zipfile
from dataclasses import dataclass, field
from functools import cache

import charset_normalizer
import fastexcel
import polars as pl

from pipelines.defs.ingest.discover import LedgerFile
from pipelines.defs.ingest.pii import mask_own_values, scrub_texts
from schemas import vocabulary as v
from schemas.columns import KINDS, LEDGER_KINDS, header_key, header_map, required_keys

ROW = "_row"  # the row number a person sees (in the sheet, or the record's line in a CSV)
FILE = "_file"
SHEET = "_sheet"  # the workbook sheet a row comes from (null for CSV and Parquet)
HEADER_ROWS = 10  # the header is looked for among the first rows of a sheet
LEADING_CELLS = 3  # a total row says 合计 in one of the first cells
_TOTAL_LABEL_CHARS = 3 * max(len(label) for label in v.FOLDED_TOTAL_ROW_LABELS)
_TOTAL_CHAR = "计"  # in every total label (see total_row_mask; tests/ingest/test_readers.py holds the vocabulary to it)
_TOTAL_MARK = _TOTAL_CHAR.encode()
SHOWN_CELLS = 12  # header cells named when no header is found
_CSV_HEAD_BYTES = 1 << 16  # the first records of a CSV are looked at in this much text
_NUMBERING = r"^(\d{1,3}(\.0+)?|[" + "".join(v.COLUMN_NUMERALS) + r"])$"
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")
_QUOTED_TEXT = re.compile(r"`[^`]*[^\x00-\x7f][^`]*`")  # a backquoted span holding a non-ASCII character
DETECTABLE = (*LEDGER_KINDS, "agencies", "submissions")  # kinds a loose file may turn out to be


@dataclass
class SheetRead:
    """One sheet of a workbook, accounted for: read from its header row on, or passed over and why."""

    name: str
    header_row: int | None  # the row a person sees the header on; None: not a ledger sheet
    rows: int = 0  # rows read below the header block (total rows included, blank lines not)
    note: str = ""  # why it was not read (Chinese / English)


@dataclass
class FileRead:
    file: LedgerFile
    kind: str
    frame: pl.DataFrame | None  # canonical columns (all String) + _file, _row, _sheet; None when rejected
    encoding: str | None = None
    error_rule: str | None = None  # a FILE_RULES id when the file is rejected as a whole
    error_detail: str = ""
    error_detail_en: str = ""  # the detail in English where it differs
    missing: tuple[str, ...] = ()  # required columns the header lacks (rows are then quarantined)
    ignored_headers: tuple[str, ...] = ()
    total_rows: int = 0  # 合计/总计/小计 rows: accounted for, not records
    headers: dict[str, str] = field(default_factory=dict)  # column key → the header as the clerk wrote it
    sheets: list[SheetRead] = field(default_factory=list)  # workbooks: every sheet, read or not


class FileRejected(Exception):
    def __init__(self, rule: str, detail: str = "", detail_en: str = "", sheets: list[SheetRead] | None = None):
        super().__init__(detail or rule)
        self.rule, self.detail, self.detail_en, self.sheets = rule, detail, detail_en or detail, sheets or []


@dataclass
class _Block:
    """Rows of one sheet (or CSV, or Parquet file) under a recognised header, as positional text columns."""

    cells: pl.DataFrame  # columns c0, c1, … (String)
    headers: list[str]  # the header cell of each position
    first_row: int  # the row a person sees for cells' first row
    sheet: str | None = None
    may_total: bool = True  # False: no cell can say 合计/总计/小计 (a CSV whose bytes hold no 计)


def decode(data: bytes) -> tuple[str, str]:
    """Text and encoding name of a CSV's bytes."""
    body, encoding = utf8_bytes(data)
    return body.decode("utf-8"), encoding


def utf8_bytes(data: bytes) -> tuple[bytes, str]:
    """The CSV as UTF-8 bytes without a BOM (what Polars reads), and the encoding it was in."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):  # a byte order mark of UTF-16 (Excel's "Unicode" text)
        try:
            text = data.decode("utf-16")
        except UnicodeDecodeError as err:
            raise FileRejected("file_encoding") from err
        # almost any even run of bytes decodes as UTF-16: text holds no NUL, no second BOM, nothing unassigned
        if pl.Series([text]).str.contains(r"[\x00\x{FEFF}\p{Cn}\p{Co}]").item():
            raise FileRejected("file_encoding")
        return text.encode("utf-8"), "utf-16"
    if data.startswith(b"\xef\xbb\xbf"):
        body = data[3:]
        if not is_utf8(body):
            raise FileRejected("file_encoding")
        return body, "utf-8-sig"
    if is_utf8(data):
        return data, "utf-8"
    # charset-normalizer judges whether the bytes read as coherent GB18030 text, not merely decodable bytes
    best = charset_normalizer.from_bytes(data, cp_isolation=["gb18030"]).best()
    if best is None:
        raise FileRejected("file_encoding")
    try:
        return data.decode("gb18030").encode("utf-8"), "gb18030"
    except UnicodeDecodeError as err:
        raise FileRejected("file_encoding") from err


def is_utf8(data: bytes) -> bool:
    """Whether the bytes are valid UTF-8 (what a strict `data.decode("utf-8")` accepts): Polars checks
    without building a Python str of the whole file, several times faster."""
    try:
        pl.Series([data], dtype=pl.Binary).cast(pl.String)
    except pl.exceptions.PolarsError:
        return False
    return True


# ------------------------------------------------------------------ the header


@cache
def _header_map(kind: str) -> dict[str, str]:
    return header_map(KINDS[kind])


def _cell(value: object) -> str:
    return "" if value is None else str(value).strip()


def header_score(cells: list[object] | tuple[object, ...], kind: str) -> int:
    """How many of the kind's required columns a row of cells names; 0 unless it names more than half of them."""
    mapping = _header_map(kind)
    keys = {mapping[h] for h in (header_key(c) for c in cells if _cell(c)) if h in mapping}
    required = required_keys(KINDS[kind])
    named = len(keys & set(required))
    return named if named > len(required) // 2 else 0


def find_header(rows: list[tuple[object, ...]], kinds: tuple[str, ...]) -> tuple[int, str] | None:
    """(index of the header row among `rows`, its kind): the first of the first HEADER_ROWS rows that is a
    header of one of `kinds` (the kind it names most required columns of, when it could be several)."""
    for i, row in enumerate(rows[:HEADER_ROWS]):
        scores = [(header_score(row, k), -n, k) for n, k in enumerate(kinds)]
        best = max(scores)
        if best[0]:
            return i, best[2]
    return None


def is_numbering(cells: list[object] | tuple[object, ...]) -> bool:
    """A row of column numbers (1 2 3 …, 1.0 2.0 …, 甲 乙 丙 …): part of the header block, not a record."""
    texts = [_cell(c) for c in cells if _cell(c)]
    return len(texts) >= 2 and all(re.match(_NUMBERING, t) for t in texts)


def _shown(rows: list[tuple[object, ...]]) -> list[str]:
    """The header cells a file seems to have: the fullest of its first rows."""
    best: list[str] = []
    for row in rows[:HEADER_ROWS]:
        cells = [_cell(c) for c in row if _cell(c)]
        if len(cells) > len(best):
            best = cells
    return best


def _cells_text(cells: list[str]) -> str:
    if not cells:
        return "（空）"
    more = len(cells) - SHOWN_CELLS
    return "、".join(cells[:SHOWN_CELLS]) + (f"……（另{more}列）" if more > 0 else "")


def _expected(kinds: tuple[str, ...]) -> tuple[str, str]:
    """What a header should name, for the message when none is found."""
    zh, en = [], []
    for k in kinds:
        kind = KINDS[k]
        names = [next((a for a in kind.column(c).aliases if not a.isascii()), c) for c in required_keys(kind)]
        zh.append(f"{kind.label}（{'、'.join(names)}）")
        en.append(f"{k} ({', '.join(required_keys(kind))})")
    return "或".join(zh), " or ".join(en)


def _no_header(kinds: tuple[str, ...], found: str) -> FileRejected:
    want_zh, want_en = _expected(kinds)
    return FileRejected(
        "header_not_found",
        f"前{HEADER_ROWS}行中没有一行是{want_zh}的表头；文件中的表头为：{found}",
        f"none of the first {HEADER_ROWS} rows is a header of {want_en}; the file's header cells are: {found}",
    )


# ---------------------------------------------------------------------- formats


def _positional(frame: pl.DataFrame) -> pl.DataFrame:
    # from Series, not with a query: a cast of String columns to String still costs ~0.2 ms a file
    return pl.DataFrame([s.alias(f"c{i}") if s.dtype == pl.String else s.cast(pl.String).alias(f"c{i}") for i, s in enumerate(frame.iter_columns())])


def _below_header(frame: pl.DataFrame, index: int, sheet: str | None) -> _Block:
    """The rows under the header at `index` (and under a numbering row right below it)."""
    headers = [_cell(c) for c in frame.row(index)]
    start = index + 1
    if start < frame.height and is_numbering(frame.row(start)):
        start += 1
    return _Block(_positional(frame.slice(start)), headers, start + 1, sheet)


def _first_records(body: bytes) -> tuple[list[tuple[object, ...]], list[int]]:
    """The first records of a CSV (parsed as the csv module does) and the physical lines read after each."""
    chunk = body[:_CSV_HEAD_BYTES]
    truncated = len(body) > len(chunk)
    reader = csv.reader(io.StringIO(chunk.decode("utf-8", errors="replace"), newline=""))
    records: list[tuple[object, ...]] = []
    lines: list[int] = []
    try:
        for record in reader:
            records.append(tuple(record))
            lines.append(reader.line_num)
            if len(records) > HEADER_ROWS:
                break
    except csv.Error as err:
        raise FileRejected("file_unreadable", str(err)) from err
    if truncated and len(records) <= HEADER_ROWS:
        records, lines = records[:-1], lines[:-1]  # the last one may be cut off by the chunk
    return records, lines


def _csv_blocks(file: LedgerFile, kinds: tuple[str, ...], data: bytes | None = None) -> tuple[list[_Block], str, str]:
    body, encoding = utf8_bytes(file.path.read_bytes() if data is None else data)
    records, lines = _first_records(body)
    found = find_header(records, kinds)
    if found is None:
        raise _no_header(kinds, _cells_text(_shown(records)) if body.strip() else "（文件为空 / the file is empty）")
    index, kind = found
    try:
        frame = pl.read_csv(
            body,
            has_header=False,  # the header row is read as data: its cells are kept by position, duplicates and all
            skip_lines=lines[index - 1] if index else 0,  # title rows above the header, by physical line
            infer_schema=False,  # all String: types are normalize's job, and a clerk's "007" stays "007"
            truncate_ragged_lines=True,
        )
    except pl.exceptions.PolarsError as err:
        raise FileRejected("file_unreadable", str(err).splitlines()[0]) from err
    block = _below_header(frame, 0, None)
    block.first_row += index  # the records above the header are rows too
    # every total label holds 计, and no other character folds to it: a file whose bytes hold none has no total
    # row, and two in three ledgers are spared the pass over their leading cells
    block.may_total = _TOTAL_MARK in body
    return [block], kind, encoding


def _unpacked_size_guard(file: LedgerFile) -> None:
    """Refuse a workbook that unpacks to more than settings.XLSX_UNPACKED_MB, before anything of it is read: the
    sizes are in the ZIP's directory, so a decompression bomb costs nothing to spot."""
    from pipelines import settings

    if not zipfile.is_zipfile(file.path):
        return  # an .xls, or not a workbook at all: the Excel reader says so
    try:
        with zipfile.ZipFile(file.path) as z:
            unpacked = sum(i.file_size for i in z.infolist())
    except (zipfile.BadZipFile, OSError, ValueError) as err:
        raise FileRejected("file_unreadable", str(err).splitlines()[0] if str(err) else type(err).__name__) from err
    limit = settings.XLSX_UNPACKED_MB << 20
    if unpacked > limit:
        mb, cap = unpacked >> 20, settings.XLSX_UNPACKED_MB
        raise FileRejected(
            "file_unreadable",
            f"工作簿解压后有 {mb} MB，超过 {cap} MB 的上限，未读取",
            f"the workbook unpacks to {mb} MB, over the limit of {cap} MB; not read",
        )


def _excel_blocks(file: LedgerFile, kinds: tuple[str, ...]) -> tuple[list[_Block], str, list[SheetRead]]:
    """Every sheet with a recognised header (of one kind: the first found, when the file's kind is unknown)."""
    _unpacked_size_guard(file)
    try:
        reader = fastexcel.read_excel(file.path)
    except Exception as err:
        raise FileRejected("file_unreadable", str(err).splitlines()[0] if str(err) else type(err).__name__) from err
    blocks: list[_Block] = []
    sheets: list[SheetRead] = []
    shown: list[str] = []
    unreadable = 0
    kind = ""
    for i, name in enumerate(reader.sheet_names):
        try:
            # skip_rows=0: leading empty rows are kept, so row numbers stay the sheet's
            frame = reader.load_sheet(i, header_row=None, dtypes="string", skip_rows=0).to_polars()
        except (fastexcel.FastExcelError, pl.exceptions.PolarsError, ValueError, OSError) as err:
            unreadable += 1
            sheets.append(
                SheetRead(name, None, note=f"无法读取此工作表 / the sheet cannot be read: {str(err).splitlines()[0] if str(err) else type(err).__name__}")
            )
            continue
        head = frame.head(HEADER_ROWS + 1).rows() if frame.width else []
        found = find_header(head, (kind,) if kind else kinds)
        if found is None:
            sheets.append(SheetRead(name, None, note="不是台账工作表（前几行中没有表头）/ not a ledger sheet (no header in its first rows)"))
            shown.append(f"工作表「{name}」：{_cells_text(_shown(head))}")
            continue
        index, kind = found
        block = _below_header(frame, index, name)
        blocks.append(block)
        sheets.append(SheetRead(name, index + 1))
    if not blocks:
        if unreadable and unreadable == len(reader.sheet_names):
            raise FileRejected("file_unreadable", sheets[0].note.split(": ", 1)[-1], sheets=sheets)
        rejected = _no_header(kinds, "；".join(shown) or "（没有工作表 / no sheets）")
        rejected.sheets = sheets
        raise rejected
    return blocks, kind, sheets


def _parquet_blocks(file: LedgerFile, kinds: tuple[str, ...]) -> tuple[list[_Block], str]:
    try:
        frame = pl.read_parquet(file.path)
    except Exception as err:
        raise FileRejected("file_unreadable", str(err).splitlines()[0]) from err
    found = find_header([tuple(frame.columns)], kinds)
    if found is None:
        raise _no_header(kinds, _cells_text(frame.columns))
    # a ledger is a table of cells: a column of lists or records (written by a program, not a clerk) has no text
    nested = [name for name, dtype in frame.schema.items() if dtype.is_nested() or dtype == pl.Object]
    if nested:
        raise FileRejected(
            "file_unreadable",
            f"列「{nested[0]}」的值是列表或结构（{frame.schema[nested[0]]}），不是单元格",
            f"column {nested[0]!r} holds lists or records ({frame.schema[nested[0]]}), not cells",
        )
    try:
        cells = _positional(frame)
    except pl.exceptions.PolarsError as err:
        raise FileRejected("file_unreadable", str(err).splitlines()[0]) from err
    return [_Block(cells, list(frame.columns), 2)], found[1]


# ------------------------------------------------------------------- columns


def _repeat(name: str, value: str | None, n: int) -> pl.Series:
    return pl.Series(name, [value], dtype=pl.String).new_from_index(0, n)  # (pl.repeat runs a query)


def canonical(frame: pl.DataFrame, kind: str, headers: list[str] | None = None) -> tuple[pl.DataFrame, tuple[str, ...], tuple[str, ...]]:
    """Rename headers to column keys; add absent optional columns as null. Returns the frame,
    the required columns that are missing, and the headers that matched nothing.

    `headers` are the header cells by position when the frame's column names are not them."""
    mapping = _header_map(kind)
    names = frame.columns if headers is None else headers
    rename, ignored, taken = {}, [], set()
    for column, header in zip(frame.columns, names, strict=False):
        key = mapping.get(header_key(header))
        if key is None or key in taken:
            if _cell(header):
                ignored.append(header)
        else:
            rename[column] = key
            taken.add(key)
    # Built from Series, not with a select: a query costs a fixed ~0.1 ms, paid per file.
    source = {k: c for c, k in rename.items()}
    rows = frame.height if rename else 0  # no header recognized: no rows either
    frame = pl.DataFrame([frame.get_column(source[k]).cast(pl.String).alias(k) if k in source else _repeat(k, None, rows) for k in KINDS[kind].keys])
    missing = tuple(k for k in required_keys(KINDS[kind]) if k not in taken)
    return frame, missing, tuple(ignored)


def _clerk_headers(block: _Block, kind: str) -> dict[str, str]:
    """Column key → the header as the clerk wrote it."""
    mapping = _header_map(kind)
    out: dict[str, str] = {}
    for header in block.headers:
        key = mapping.get(header_key(header))
        if key is not None and key not in out:
            out[key] = _cell(header)
    return out


def total_row_mask(block: _Block, kind: str) -> pl.Series:
    """Rows whose leading cells say 合计/总计/小计 and that hold no record id."""
    none = pl.Series("total", [False], dtype=pl.Boolean).new_from_index(0, block.cells.height)
    if not block.cells.height or not block.may_total:
        return none
    leading = [f"c{i}" for i in range(min(LEADING_CELLS, block.cells.width))]
    # every total label has 计 (and its full-width forms none): one cheap pass finds the rows that may be totals, and
    # only those are folded. Titles naming a 审计局 or 统计局 put 计 in a third of a province's files, and folding
    # three columns of every row of those files was a third of its ingestion; only those agencies' rows are folded now.
    maybe = block.cells.select(pl.any_horizontal(pl.col(c).str.contains(_TOTAL_CHAR, literal=True).fill_null(False) for c in leading)).to_series()
    if not maybe.any():
        return none
    candidates = block.cells.filter(maybe)
    # Folding (NFKC twice) is the costly part, and most cells with 计 are titles: a cell folds to a total label only
    # if, without the characters folding drops, it is about as short as the longest label (NFKC never composes Han
    # characters, so the margin of 3× is generous); only such rows are folded.
    short = pl.any_horizontal(pl.col(c).str.replace_all(v.FOLD_DROP.pattern, "").str.len_chars() <= _TOTAL_LABEL_CHARS for c in leading)
    short_rows = candidates.select(short.fill_null(False)).to_series()
    if not short_rows.any():
        return none
    says_total = pl.any_horizontal(v.fold_expr(pl.col(c)).is_in(v.FOLDED_TOTAL_ROW_LABELS).fill_null(False) for c in leading)
    rid = KINDS[kind].id_column
    mapping = _header_map(kind)
    id_cols = [f"c{i}" for i, h in enumerate(block.headers) if mapping.get(header_key(h)) == rid][:1]
    no_id = pl.lit(True)
    if id_cols:
        text = v.fold_expr(pl.col(id_cols[0]))
        no_id = text.is_null() | (text == "") | text.is_in(v.FOLDED_TOTAL_ROW_LABELS)
    hits = candidates.filter(short_rows).select((says_total & no_id).alias("total")).to_series()
    return none.scatter(maybe.arg_true().filter(short_rows).filter(hits), True)


def drop_blank_rows(frame: pl.DataFrame, keys: tuple[str, ...]) -> pl.DataFrame:
    """A wholly blank line is no record: nothing to accept or lose. Only rows whose cells are all empty or
    short are stripped and looked at; the first column alone rules out most rows, so the common case costs
    one cheap pass over one column."""
    cols = pl.col(keys)
    short = cols.is_null() | (cols.str.len_bytes() <= 8)
    first = frame.get_column(keys[0])
    maybe = first.is_null() | (first.str.len_bytes() <= 8)
    if not maybe.any():
        return frame
    blank = frame.filter(maybe).filter(pl.all_horizontal(short)).filter(pl.all_horizontal(cols.str.strip_chars().fill_null("") == "")).get_column(ROW)
    return frame.filter(~pl.col(ROW).is_in(blank.implode())) if blank.len() else frame


def read_file(file: LedgerFile, data: bytes | None = None) -> FileRead:
    """`data`: the file's bytes when the caller has them already (read once, for its hash)."""
    return _scrubbed(_read_file(file, data))


def _scrubbed(read: FileRead) -> FileRead:
    """What a read says of the file in words (error, sheet names, header cells) holds no personal data (a
    header that is not found is shown with the cells the file has, which may be an applicant's row) and no
    control character (a cell's line break would split the one line a file gets)."""
    sheets, headers, ignored = read.sheets, list(read.headers.items()), read.ignored_headers
    names = [s.name for s in sheets] if read.frame is None else mask_own_values([s.name for s in sheets], read.frame)  # a sheet named after the applicant
    texts = scrub_texts([read.error_detail, read.error_detail_en, *ignored, *(h for _, h in headers), *names, *(s.note for s in sheets)])
    texts = [None if t is None else _CONTROL.sub("\ufffd", t) for t in texts]  # and each stays one line
    # a parser's error quotes the cell it choked on (`"欧阳娜娜…`): a quoted cell with text in it is left out
    texts[0], texts[1] = (_QUOTED_TEXT.sub("`…`", t) if t else t for t in texts[:2])
    read.error_detail, read.error_detail_en = texts[0] or "", texts[1] or ""
    texts = texts[2:]
    read.ignored_headers, texts = tuple(t or "" for t in texts[: len(ignored)]), texts[len(ignored) :]
    read.headers, texts = {k: t or "" for (k, _), t in zip(headers, texts, strict=False)}, texts[len(headers) :]
    renamed = {}
    for sheet, name, note in zip(sheets, texts[: len(sheets)], texts[len(sheets) :], strict=True):
        if name != sheet.name:
            renamed[sheet.name] = name
        sheet.name, sheet.note = name or "", note or ""
    if renamed and read.frame is not None:
        read.frame = read.frame.with_columns(pl.col(SHEET).replace(renamed))
    return read


def _read_file(file: LedgerFile, data: bytes | None = None) -> FileRead:
    kinds = (file.kind,) if file.kind else DETECTABLE
    sheets: list[SheetRead] = []
    encoding = None
    try:
        suffix = file.path.suffix.lower()
        if suffix == ".csv":
            blocks, kind, encoding = _csv_blocks(file, kinds, data)
        elif suffix in (".xlsx", ".xls"):
            blocks, kind, sheets = _excel_blocks(file, kinds)
        else:
            blocks, kind = _parquet_blocks(file, kinds)
    except FileRejected as err:
        return FileRead(file, file.kind, None, encoding, err.rule, err.detail, err.detail_en, sheets=err.sheets)
    except OSError as err:
        return FileRead(file, file.kind, None, error_rule="file_unreadable", error_detail=err.strerror or str(err))
    parts, missing, ignored, headers, totals = [], set(), [], {}, 0
    for block in blocks:
        frame, lacking, unmatched = canonical(block.cells, kind, block.headers)
        n = frame.height
        frame = frame.hstack(
            [
                _repeat(FILE, file.relpath, n),
                pl.int_range(block.first_row, block.first_row + n, dtype=pl.Int32, eager=True).alias(ROW),
                _repeat(SHEET, block.sheet, n),
            ]
        )
        total = total_row_mask(block, kind)
        if total.any():
            frame = frame.filter(~total)
        frame = drop_blank_rows(frame, KINDS[kind].keys)
        totals += int(total.sum())
        for sheet in sheets:
            if block.sheet is not None and sheet.name == block.sheet and sheet.header_row is not None:
                sheet.rows = frame.height + int(total.sum())
        parts.append(frame)
        missing |= set(lacking)
        ignored += [h for h in unmatched if h not in ignored]
        headers = _clerk_headers(block, kind) | headers  # the first sheet's spelling wins
    frame = pl.concat(parts, how="vertical")
    return FileRead(
        file,
        kind,
        frame,
        encoding,
        missing=tuple(k for k in required_keys(KINDS[kind]) if k in missing),
        ignored_headers=tuple(ignored),
        total_rows=totals,
        headers=headers,
        sheets=sheets,
    )
