"""Find the ledger files of a raw root, in the order that decides which export wins.

Every file under a ledger folder is listed: those of a ledger format are read, every other one (a .docx, a
WPS .et, an Office lock file `~$x.xlsx` …) is listed as not read, with why. Hidden files (a name starting
with ".", such as .DS_Store) are left out: file managers and version control put them there, not clerks.
"""

import re
from dataclasses import dataclass, replace
from pathlib import Path, PurePosixPath

from pipelines.defs.ingest.pii import scrub_texts
from schemas.columns import LEDGER_KINDS, REGISTERS

_CONTROL = re.compile(r"[\x00-\x1f\x7f]")
SUFFIXES = {".csv", ".xlsx", ".xls", ".parquet"}
# Why a file under a ledger folder is not read, by what it is.
_NOT_READ = {
    ".et": "WPS表格文件，请另存为 .xlsx 或 .csv / a WPS spreadsheet: save it as .xlsx or .csv",
    ".ett": "WPS表格模板，请另存为 .xlsx 或 .csv / a WPS template: save it as .xlsx or .csv",
    ".xlsm": "含宏的工作簿，请另存为 .xlsx / a macro workbook: save it as .xlsx",
    ".xlsb": "二进制工作簿，请另存为 .xlsx / a binary workbook: save it as .xlsx",
    ".ods": "OpenDocument表格，请另存为 .xlsx / an OpenDocument spreadsheet: save it as .xlsx",
}
_LOCK_FILE = "Office/WPS打开工作簿时留下的临时文件（~$开头），不是台账 / a lock file Office or WPS leaves next to an open workbook (~$…), not a ledger"


@dataclass(frozen=True)
class LedgerFile:
    path: Path  # absolute
    relpath: str  # relative to the raw root, with "/", personal data masked — what people and the quarantine see
    kind: str
    mtime_ns: int
    size: int
    not_read: str = ""  # why the file is listed but not read (Chinese / English); empty for a ledger file


def not_read_reason(path: Path) -> str:
    """Why a file is not read as a ledger; empty when it is one."""
    if path.name.startswith("~$"):
        return _LOCK_FILE
    suffix = path.suffix.lower()
    if suffix in SUFFIXES:
        return ""
    shown = suffix or "（无扩展名 / no extension）"
    return _NOT_READ.get(
        suffix,
        f"不是台账文件格式（{shown}；台账应为 .csv、.xlsx、.xls 或 .parquet） / not a ledger format ({shown}; ledgers are .csv, .xlsx, .xls or .parquet)",
    )


def _listed(path: Path) -> bool:
    return path.is_file() and not path.name.startswith(".")


def _entry(root: Path, path: Path, kind: str) -> LedgerFile:
    stat = path.stat()
    return LedgerFile(path, path.relative_to(root).as_posix(), kind, stat.st_mtime_ns, stat.st_size, not_read_reason(path))


def _masked(files: list[LedgerFile]) -> list[LedgerFile]:
    """The names people and the stored results see, with ID and phone numbers masked (a clerk may name a file
    after the applicant: 申请-13905361234.csv is applications/申请-139****1234.csv). Two files masked to the
    same name are told apart by a number, in the order of their real names. Control characters show as �."""
    # a control character (a newline is allowed in a file name) would break the one line a file gets
    shown = [_CONTROL.sub("\ufffd", s or "") for s in scrub_texts([f.relpath for f in files], identifier=True)]
    if shown == [f.relpath for f in files]:
        return files
    out = [replace(f, relpath=s or f.relpath) for f, s in zip(files, shown, strict=True)]
    taken = {f.relpath for f, s in zip(files, shown, strict=True) if s == f.relpath}
    for i in sorted(range(len(out)), key=lambda i: files[i].relpath):
        if out[i].relpath != files[i].relpath:
            out[i] = replace(out[i], relpath=free_name(out[i].relpath, taken))
    return out


def free_name(candidate: str, taken: set[str]) -> str:
    """`candidate`, or candidate（2）, （3）… before its suffix: the first not in `taken` (which it joins)."""
    name, n, shown = PurePosixPath(candidate), 1, candidate
    while shown in taken:
        n += 1
        shown = str(name.with_name(f"{name.stem}（{n}）{name.suffix}"))
    taken.add(shown)
    return shown


def order(files: list[LedgerFile]) -> list[LedgerFile]:
    """Export order: by kind, then modification time, then name (a later export replaces an earlier one)."""
    return sorted(_masked(files), key=lambda f: (f.kind, f.mtime_ns, f.relpath))


def discover(root: Path) -> list[LedgerFile]:
    """Every file under `root` that gongkai reads or lists, oldest export first."""
    root = Path(root)
    found: list[LedgerFile] = []
    for kind in REGISTERS:
        for suffix in sorted(SUFFIXES):
            if (root / f"{kind}{suffix}").is_file():
                found.append(_entry(root, root / f"{kind}{suffix}", kind))
    for kind in LEDGER_KINDS:
        folder = root / kind
        if folder.is_dir():
            found += [_entry(root, p, kind) for p in folder.rglob("*") if _listed(p) and not any(part.startswith(".") for part in p.relative_to(folder).parts)]
    return order(found)


def is_raw_root(path: Path) -> bool:
    return path.is_dir() and (any((path / k).is_dir() for k in LEDGER_KINDS) or any(path.glob("agencies.*")))


def discover_paths(paths: list[Path]) -> list[LedgerFile]:
    """Files or raw roots named on a command line (`gongkai validate PATH ...`)."""
    out: list[LedgerFile] = []
    for p in map(Path, paths):
        if is_raw_root(p):
            out += discover(p)
        elif p.is_dir():
            out += [_guess(p, q) for q in sorted(p.rglob("*")) if _listed(q)]
        elif p.is_file():
            out.append(_guess(p.parent, p))
    return order(out)


def _guess(root: Path, path: Path) -> LedgerFile:
    """The kind of a loose file: its folder or name says it (disclosures/…, …applications….xlsx); else the
    reader works it out from the header."""
    text = path.as_posix().lower()
    kind = next((k for k in (*REGISTERS, *LEDGER_KINDS) if k in text), "")
    return _entry(root, path, kind)
