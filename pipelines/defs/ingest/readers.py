"""Read one ledger file into strings, with canonical column names and the row a person sees.

Every value stays text here; `normalize` gives it a type. Decoding is detected,
never guessed: UTF-8 (BOM or not) first, then GB18030 (the superset of GBK)
when charset-normalizer finds the bytes coherent in it; anything else rejects
the whole file with its name.
"""

from dataclasses import dataclass
from functools import cache

import charset_normalizer
import fastexcel
import polars as pl

from pipelines.defs.ingest.discover import LedgerFile
from schemas.columns import KINDS, LEDGER_KINDS, header_key, header_map, required_keys

ROW = "_row"  # the row number a person sees (header = row 1)
FILE = "_file"


@dataclass
class FileRead:
    file: LedgerFile
    kind: str
    frame: pl.DataFrame | None  # canonical columns (all String) + _file, _row; None when rejected
    encoding: str | None = None
    error_rule: str | None = None  # a FILE_RULES id when the file is rejected as a whole
    error_detail: str = ""
    missing: tuple[str, ...] = ()  # required columns the header lacks (rows are then quarantined)
    ignored_headers: tuple[str, ...] = ()


class FileRejected(Exception):
    def __init__(self, rule: str, detail: str = ""):
        super().__init__(detail or rule)
        self.rule, self.detail = rule, detail


def decode(data: bytes) -> tuple[str, str]:
    """Text and encoding name of a CSV's bytes."""
    body, encoding = utf8_bytes(data)
    return body.decode("utf-8"), encoding


def utf8_bytes(data: bytes) -> tuple[bytes, str]:
    """The CSV as UTF-8 bytes without a BOM (what Polars reads), and the encoding it was in."""
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


def _read_csv(file: LedgerFile) -> tuple[pl.DataFrame, str]:
    body, encoding = utf8_bytes(file.path.read_bytes())
    try:
        frame = pl.read_csv(
            body,
            infer_schema=False,  # all String: types are normalize's job, and a clerk's "007" stays "007"
            truncate_ragged_lines=True,
        )
    except pl.exceptions.NoDataError:
        frame = pl.DataFrame()
    except pl.exceptions.PolarsError as err:
        raise FileRejected("file_unreadable", str(err).splitlines()[0]) from err
    return frame, encoding


def _sheet_for(names: list[str], kind: str) -> int:
    """First sheet, unless one is named like the kind (English key or the ledger's Chinese name)."""
    wanted = {kind} | ({KINDS[kind].label} if kind in KINDS else set())
    for i, name in enumerate(names):
        folded = header_key(name)
        if any(header_key(w) in folded for w in wanted):
            return i
    return 0


def _read_xlsx(file: LedgerFile, kind: str) -> pl.DataFrame:
    try:
        reader = fastexcel.read_excel(file.path)
        sheet = reader.load_sheet(_sheet_for(reader.sheet_names, kind), dtypes="string")
        return sheet.to_polars()
    except Exception as err:
        raise FileRejected("file_unreadable", str(err).splitlines()[0] if str(err) else type(err).__name__) from err


def _read_parquet(file: LedgerFile) -> pl.DataFrame:
    try:
        frame = pl.read_parquet(file.path)
    except Exception as err:
        raise FileRejected("file_unreadable", str(err).splitlines()[0]) from err
    return frame.with_columns(pl.all().cast(pl.String))


def detect_kind(headers: list[str]) -> str:
    """The ledger kind whose required columns a header row holds (for files outside the kind folders)."""
    folded = {header_key(h) for h in headers}
    best, score = "", 0
    for kind in (*LEDGER_KINDS, "agencies"):
        mapping = header_map(KINDS[kind])
        keys = {mapping[h] for h in folded if h in mapping}
        if set(required_keys(KINDS[kind])) <= keys and len(keys) > score:
            best, score = kind, len(keys)
    return best


def _repeat(name: str, value: str | None, n: int) -> pl.Series:
    return pl.Series(name, [value], dtype=pl.String).new_from_index(0, n)  # (pl.repeat runs a query)


@cache
def _header_map(kind: str) -> dict[str, str]:
    return header_map(KINDS[kind])


def canonical(frame: pl.DataFrame, kind: str) -> tuple[pl.DataFrame, tuple[str, ...], tuple[str, ...]]:
    """Rename headers to column keys; add absent optional columns as null. Returns the frame,
    the required columns that are missing, and the headers that matched nothing."""
    mapping = _header_map(kind)
    rename, ignored, taken = {}, [], set()
    for header in frame.columns:
        key = mapping.get(header_key(header))
        if key is None or key in taken:
            ignored.append(header)
        else:
            rename[header] = key
            taken.add(key)
    # Built from Series, not with a select: a query costs a fixed ~0.1 ms, paid per file.
    header = {k: h for h, k in rename.items()}
    rows = frame.height if rename else 0  # no header recognized: no rows either
    frame = pl.DataFrame([frame.get_column(header[k]).cast(pl.String).alias(k) if k in header else _repeat(k, None, rows) for k in KINDS[kind].keys])
    missing = tuple(k for k in required_keys(KINDS[kind]) if k not in taken)
    return frame, missing, tuple(ignored)


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


def read_file(file: LedgerFile) -> FileRead:
    kind = file.kind
    try:
        suffix = file.path.suffix.lower()
        encoding = None
        if suffix == ".csv":
            raw, encoding = _read_csv(file)
        elif suffix == ".xlsx":
            raw = _read_xlsx(file, kind)
        else:
            raw = _read_parquet(file)
    except FileRejected as err:
        return FileRead(file, kind, None, error_rule=err.rule, error_detail=err.detail)
    except OSError as err:
        return FileRead(file, kind, None, error_rule="file_unreadable", error_detail=err.strerror or str(err))
    if not kind:
        kind = detect_kind(raw.columns)
        if not kind:
            return FileRead(file, "", None, encoding, "file_unreadable", "表头不符合任何台账 / the header matches no ledger kind")
    frame, missing, ignored = canonical(raw, kind)
    # The header is row 1, so data row i (0-based) is row i + 2 — blank lines included, as a spreadsheet shows them.
    n = frame.height
    frame = drop_blank_rows(
        frame.hstack([_repeat(FILE, file.relpath, n), pl.int_range(2, n + 2, dtype=pl.Int32, eager=True).alias(ROW)]),
        KINDS[kind].keys,
    )
    return FileRead(file, kind, frame, encoding, missing=missing, ignored_headers=ignored)
