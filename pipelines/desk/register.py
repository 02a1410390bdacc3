"""The submissions register (raw-data.md "submissions"): a clerk's "none this year" (本年无) for a ledger kind is a
row of `<raw>/submissions.csv`, the file the pipeline reads to tell silence from zero."""

import csv
import io
from pathlib import Path

from filelock import FileLock

from pipelines.errors import GongkaiError

FILE = "submissions.csv"
COLUMNS = ("agency_code", "year", "kind", "status")


def register_path(raw_dir: Path) -> Path:
    return Path(raw_dir) / FILE


def entries(raw_dir: Path) -> list[dict]:
    path = register_path(raw_dir)
    if not path.exists():
        return []
    text = path.read_bytes().decode("utf-8-sig", errors="replace")
    return [{k: (v or "").strip() for k, v in row.items() if k} for row in csv.DictReader(io.StringIO(text))]


def declared(raw_dir: Path, agency_code: str, year: int) -> dict[str, str]:
    """kind → status the register holds for one agency-year (English keys as the desk writes them)."""
    out = {}
    for row in entries(raw_dir):
        if row.get("agency_code", "").upper() == agency_code and row.get("year") == str(year):
            out[row.get("kind", "")] = row.get("status", "")
    return out


def declare(raw_dir: Path, agency_code: str, year: int, kind: str, status: str = "none") -> bool:
    """Add a row (agency, year, kind, status); False when the register already says exactly that."""
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
        old = path.read_bytes().decode("utf-8-sig") if path.exists() else ""
        buf = io.StringIO()
        writer = csv.writer(buf, lineterminator="\n")
        if not old.strip():
            writer.writerow(COLUMNS)
        elif not old.endswith("\n"):
            buf.write("\n")
        writer.writerow((agency_code, year, kind, status))
        tmp = path.with_name(f".{path.name}.tmp")
        tmp.write_text(old + buf.getvalue(), encoding="utf-8")
        tmp.replace(path)  # a reader sees the old register or the new one, never half of it
    return True
