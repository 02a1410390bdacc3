"""The submissions register (docs/ledger-contract.md, "submissions"): a clerk's "none this year" (本年无) or a
ledger handed in is a row of `<raw>/submissions.csv`, the file the pipeline reads to tell silence from zero.

One row per agency, year and kind: the pipeline quarantines the same (agency, year, kind) twice in one file
as ambiguous, so a later declaration replaces the row instead of adding one. The file may have been written
by the county office by hand, with Chinese headers and values: it is read through the contract's own header
and value aliases, and rows the desk does not touch are written back exactly as they were."""

import csv
import io
import os
from pathlib import Path

from filelock import FileLock

from pipelines.errors import GongkaiError
from schemas import vocabulary as v
from schemas.columns import KINDS, header_key, header_map

FILE = "submissions.csv"
COLUMNS = ("agency_code", "year", "kind", "status")


def register_path(raw_dir: Path) -> Path:
    return Path(raw_dir) / FILE


def _read(path: Path) -> tuple[list[str], list[list[str]]]:
    """The header row and the data rows, as text."""
    if not path.exists():
        return [], []
    rows = list(csv.reader(io.StringIO(path.read_bytes().decode("utf-8-sig", errors="replace"))))  # hand-written: often Excel's BOM
    rows = [r for r in rows if any(c.strip() for c in r)]
    return (rows[0], rows[1:]) if rows else ([], [])


def _positions(header: list[str]) -> dict[str, int]:
    """Column key → position, by the contract's header aliases (English keys or Chinese headers)."""
    mapping = header_map(KINDS["submissions"])
    out: dict[str, int] = {}
    for i, cell in enumerate(header):
        key = mapping.get(header_key(cell))
        if key and key not in out:
            out[key] = i
    return out


def _key(row: list[str], pos: dict[str, int]) -> tuple[str, str, str | None] | None:
    """(agency code, year, kind key) of a row, or None when the row lacks one of them."""
    try:
        code, year, kind = (row[pos[k]].strip() for k in ("agency_code", "year", "kind"))
    except (KeyError, IndexError):
        return None
    return code.upper(), year, v.FOLDED_SUBMISSION_KIND_ALIASES.get(v.fold(kind))


def entries(raw_dir: Path) -> list[dict]:
    """Every row as {agency_code, year, kind, status}, kind and status as contract keys where they read."""
    header, rows = _read(register_path(raw_dir))
    pos = _positions(header)
    out = []
    for row in rows:
        key = _key(row, pos)
        if key is None:
            continue
        status = row[pos["status"]].strip() if "status" in pos and pos["status"] < len(row) else ""
        out.append({"agency_code": key[0], "year": key[1], "kind": key[2] or "", "status": v.FOLDED_SUBMISSION_STATUS_ALIASES.get(v.fold(status), status)})
    return out


def declared(raw_dir: Path, agency_code: str, year: int) -> dict[str, str]:
    """kind → status the register holds for one agency-year."""
    return {e["kind"]: e["status"] for e in entries(raw_dir) if e["agency_code"] == agency_code.upper() and e["year"] == str(year)}


def declare(raw_dir: Path, agency_code: str, year: int, kind: str, status: str = "none") -> bool:
    """Say `status` for (agency, year, kind): the row replaced if the register has one, else added.
    False when the register already says exactly that."""
    raw_dir = Path(raw_dir)
    if (raw_dir / "submissions.xlsx").exists() and not register_path(raw_dir).exists():
        raise GongkaiError(
            "报送登记表是 submissions.xlsx，报送台只能写入 submissions.csv：请县政务公开办改为CSV",
            "the register is submissions.xlsx; the desk writes submissions.csv only",
        )
    raw_dir.mkdir(parents=True, exist_ok=True)
    path = register_path(raw_dir)
    with FileLock(str(path) + ".lock", timeout=30):
        if declared(raw_dir, agency_code, year).get(kind) == status:
            return False
        header, rows = _read(path)
        pos = _positions(header)
        if not header or any(k not in pos for k in COLUMNS):
            if rows:
                raise GongkaiError(
                    "报送登记表缺少必需的列（统一社会信用代码、年度、台账类型、报送情况），报送台无法写入",
                    "the register lacks a required column (agency_code, year, kind, status); the desk cannot write it",
                )
            header, pos = list(COLUMNS), {k: i for i, k in enumerate(COLUMNS)}
        wanted = (agency_code.upper(), str(year), kind)
        # a hand-written register in Chinese keeps its language
        chinese = not header[pos["status"]].isascii()
        value = v.SUBMISSION_STATUS_LABELS[status] if chinese else status
        kept = [r for r in rows if _key(r, pos) != wanted]
        new = [""] * len(header)
        for k, text in zip(COLUMNS, (agency_code, str(year), v.LEDGER_SHORT_LABELS[kind] if chinese else kind, value), strict=True):
            new[pos[k]] = text
        buf = io.StringIO()
        writer = csv.writer(buf, lineterminator="\n")
        writer.writerows([header, *kept, new])
        tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
        bom = path.exists() and path.read_bytes().startswith(b"\xef\xbb\xbf")
        tmp.write_text(buf.getvalue(), encoding="utf-8-sig" if bom else "utf-8")  # kept as Excel saved it
        tmp.replace(path)  # a reader sees the old register or the new one, never half of it
    return True
