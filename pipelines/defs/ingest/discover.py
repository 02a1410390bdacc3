"""Find the ledger files of a raw root, in the order that decides which export wins."""

from dataclasses import dataclass
from pathlib import Path

from schemas.columns import LEDGER_KINDS

SUFFIXES = {".csv", ".xlsx", ".parquet"}


@dataclass(frozen=True)
class LedgerFile:
    path: Path  # absolute
    relpath: str  # relative to the raw root, with "/" — what people and the quarantine see
    kind: str
    mtime_ns: int
    size: int


def _is_ledger(path: Path) -> bool:
    # Office leaves "~$name.xlsx" lock files next to open workbooks; hidden files are not exports.
    return path.is_file() and path.suffix.lower() in SUFFIXES and not path.name.startswith(("~$", "."))


def _entry(root: Path, path: Path, kind: str) -> LedgerFile:
    stat = path.stat()
    return LedgerFile(path, path.relative_to(root).as_posix(), kind, stat.st_mtime_ns, stat.st_size)


def discover(root: Path) -> list[LedgerFile]:
    """Every ledger file under `root`, oldest export first (modification time, then name)."""
    root = Path(root)
    found: list[LedgerFile] = []
    for name in ("agencies.csv", "agencies.xlsx", "agencies.parquet"):
        if (root / name).is_file():
            found.append(_entry(root, root / name, "agencies"))
    for kind in LEDGER_KINDS:
        folder = root / kind
        if folder.is_dir():
            found += [_entry(root, p, kind) for p in folder.rglob("*") if _is_ledger(p)]
    return sorted(found, key=lambda f: (f.kind, f.mtime_ns, f.relpath))


def discover_paths(paths: list[Path]) -> list[LedgerFile]:
    """Files or raw roots named on a command line (`gongkai validate PATH ...`)."""
    out: list[LedgerFile] = []
    for p in map(Path, paths):
        if p.is_dir() and (any((p / k).is_dir() for k in LEDGER_KINDS) or any(p.glob("agencies.*"))):
            out += discover(p)
        elif p.is_dir():
            out += [f for f in (_guess(p, q) for q in sorted(p.rglob("*")) if _is_ledger(q)) if f]
        elif _is_ledger(p):
            f = _guess(p.parent, p)
            if f:
                out.append(f)
    return sorted(out, key=lambda f: (f.kind, f.mtime_ns, f.relpath))


def _guess(root: Path, path: Path) -> LedgerFile | None:
    """The kind of a loose file: its folder or name says it (disclosures/…, …applications….xlsx)."""
    text = path.as_posix().lower()
    for kind in ("agencies", *LEDGER_KINDS):
        if kind in text:
            return _entry(root, path, kind)
    return LedgerFile(path, path.relative_to(root).as_posix(), "", path.stat().st_mtime_ns, path.stat().st_size)
