"""A clerk hands in a ledger file: it is kept exactly as handed in (never overwritten), validated at once by the
same code as `gongkai validate`, and — when it is a readable ledger of the clerk's own agency — copied under the
raw root, where the next run reads it."""

import datetime as dt
import hashlib
import os
import re
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path

from pipelines.defs.ingest import pii
from pipelines.defs.ingest.check import report as validation_report
from pipelines.defs.ingest.discover import SUFFIXES, discover, discover_paths
from pipelines.defs.ingest.ingest import ingest
from pipelines.desk import register
from pipelines.desk.store import Store
from pipelines.settings import Settings
from schemas.columns import KINDS, LEDGER_KINDS

ZIP = b"PK\x03\x04"  # .xlsx
OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # .xls
ACCEPTED_SUFFIXES = tuple(s for s in (".csv", ".xlsx", ".xls") if s in SUFFIXES)


class UploadRefused(Exception):
    """Not kept at all: wrong type, too large, empty. One line, Chinese / English."""


@dataclass
class Outcome:
    upload_id: int
    status: str  # accepted | problems | rejected
    report: dict


def safe_name(name: str) -> str:
    """The file's own name without folders or characters a file system or a shell would trip on."""
    base = Path(name.replace("\\", "/")).name
    base = re.sub(r"[^\w.\-\u3000-\u303f\uff00-\uffef]+", "_", base).strip("._") or "ledger"
    return base[-120:]


def check_type(name: str, head: bytes) -> str:
    """The suffix, when the name and the first bytes agree on a ledger format; else UploadRefused."""
    suffix = Path(name).suffix.lower()
    if suffix not in ACCEPTED_SUFFIXES:
        allowed = "、".join(ACCEPTED_SUFFIXES)
        raise UploadRefused(f"只接受 {allowed} 文件，收到的是“{Path(name).name}” / only {allowed} files are accepted")
    if suffix == ".xlsx" and not head.startswith(ZIP):
        raise UploadRefused("文件扩展名为 .xlsx，但内容不是Excel工作簿（可能已损坏或改过扩展名） / not an .xlsx workbook")
    if suffix == ".xls" and not head.startswith(OLE):
        raise UploadRefused("文件扩展名为 .xls，但内容不是Excel 97-2003工作簿 / not an .xls workbook")
    if suffix == ".csv" and (head.startswith((ZIP, OLE)) or b"\x00" in head[:4096]):
        raise UploadRefused("文件扩展名为 .csv，但内容是二进制文件（请另存为CSV或直接上传xlsx） / a .csv that is a binary file")
    return suffix


def _sha256(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def hand_in(cfg: Settings, store: Store, agency_code: str, kind: str, name: str, source: Path, by: str, year: int | None = None) -> Outcome:
    """Keep, validate and (when fit) place one uploaded file. `source` is the received bytes on disk. With `year`,
    the register records the ledger of that year as handed in (an empty ledger is an answer too)."""
    if kind not in LEDGER_KINDS:
        raise UploadRefused(f"未知的台账类型：{kind} / unknown ledger kind")
    size = source.stat().st_size
    if size == 0:
        raise UploadRefused("文件是空的 / the file is empty")
    if size > cfg.desk_upload_mb * 1024 * 1024:
        raise UploadRefused(f"文件超过 {cfg.desk_upload_mb} MB / the file is larger than {cfg.desk_upload_mb} MB")
    with source.open("rb") as fh:
        suffix = check_type(name, fh.read(8192))
    sha = _sha256(source)
    stamp = dt.datetime.now().strftime("%Y%m%dT%H%M%S%f")
    clean = safe_name(name)
    if not clean.lower().endswith(suffix):
        clean += suffix
    stored = cfg.desk_dir / "uploads" / agency_code / f"{stamp}-{sha[:12]}-{clean}"
    stored.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    # "x": never overwrite a kept file; 0600: a ledger as handed in holds applicants' personal data, like the raw root
    fd = os.open(stored, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "wb") as out, source.open("rb") as src:
        shutil.copyfileobj(src, out)

    report = validate_one(cfg, stored, kind)
    problems = _foreign_agencies(report, agency_code)
    rejected = any(f.get("error") for f in report["files"]) or bool(problems)
    if problems:
        report["refused"] = (
            f"文件中有其他机构的记录（统一社会信用代码：{'、'.join(sorted(problems))}），只能上传本机关的台账 / "
            f"the file holds records of other agencies ({', '.join(sorted(problems))}): hand in your own agency's ledger only"
        )
    raw_rel = None
    if not rejected:
        # under <raw>/<kind>/<agency>/ with the kept name: unique, so no earlier file is ever replaced
        target = cfg.raw_dir / kind / agency_code / stored.name
        target.parent.mkdir(parents=True, exist_ok=True)
        tmp = target.with_name(f".{target.name}.tmp")
        shutil.copyfile(stored, tmp)
        tmp.replace(target)
        raw_rel = target.relative_to(cfg.raw_dir).as_posix()
        if year is not None and rows_read(report) and register.declared(cfg.raw_dir, agency_code, year).get(kind) != "handed_in":
            register.declare(cfg.raw_dir, agency_code, year, kind, "handed_in")
    quarantined = sum(f.get("quarantined") or 0 for f in report["files"])
    # no row at all: a header-only file, or a header the readers did not find (a title row above it)
    status = "rejected" if rejected else ("problems" if quarantined else ("empty" if not rows_read(report) else "accepted"))
    upload_id = store.add_upload(
        agency_code=agency_code,
        kind=kind,
        original_name=Path(name.replace("\\", "/")).name[:200],
        stored_path=str(stored),
        raw_path=raw_rel,
        sha256=sha,
        size=size,
        uploaded_by=by,
        uploaded_at=dt.datetime.now().astimezone().isoformat(timespec="seconds"),
        status=status,
        summary=report,
    )
    return Outcome(upload_id, status, report)


def validate_one(cfg: Settings, path: Path, kind: str) -> dict:
    """What `gongkai validate` says of one file, checked against the raw root's agency list. The file is read
    from a scratch folder named for its kind, so its kind is the one the clerk chose."""
    with tempfile.TemporaryDirectory(prefix="gongkai-desk-") as tmp:
        folder = Path(tmp) / kind
        folder.mkdir()
        copy = folder / path.name
        shutil.copyfile(path, copy)
        files = discover_paths([Path(tmp)])
        if cfg.raw_dir.exists():
            files = [f for f in discover(cfg.raw_dir) if f.kind == "agencies"] + files
        result = ingest(files, cfg.pii_key(), today=cfg.today())
        # what `gongkai validate` reports, with the clerk's own header names and the problems grouped by rule
        report = validation_report(result, whole_root=False, today=cfg.today())
        report["agencies"] = result.records.scan(kind).select("agency_code").unique().collect().get_column("agency_code").to_list()
    # the upload is the one file under <kind>/, listed under its shown name (personal data in a name is masked)
    mine = {f["path"] for f in report["files"] if f["path"].startswith(f"{kind}/")}
    report["files"] = [f for f in report["files"] if f["path"] in mine]
    report["quarantine"] = [q for q in report["quarantine"] if q["path"] in mine]
    for entry in report["files"] + report["quarantine"]:
        entry["path"] = path.name
    for q in report["quarantine"]:
        q["label"] = q.get("header") or _label(kind, q.get("column"))
        # already scrubbed by ingestion; scrubbed again because this is what a page shows
        q["value"], q["message"] = (pii.scrub_text(x) if isinstance(x, str) else x for x in (q.get("value"), q.get("message")))
    return report


def rows_read(report: dict) -> int:
    return sum(f.get("rows") or 0 for f in report["files"])


def _label(kind: str, column: str | None) -> str:
    if not column or kind not in KINDS or column not in KINDS[kind].keys:
        return ""
    col = KINDS[kind].column(column)
    return next((a for a in col.aliases if not a.isascii()), column)


def _foreign_agencies(report: dict, agency_code: str) -> set[str]:
    """Agency codes in the file other than the clerk's own (accepted rows and quarantined rows alike)."""
    codes = set(report.get("agencies") or ())
    codes |= {q["agency_code"] for q in report["quarantine"] if q.get("agency_code")}
    return {c for c in codes if c != agency_code}
