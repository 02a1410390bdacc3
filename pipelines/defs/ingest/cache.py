"""Per-file results kept by content, so a nightly run re-reads only the ledgers that changed.

A file's entry holds what the one-file rules made of it: its accepted rows
(typed, no personal data) and its quarantined rows. The key is the SHA-256 of
the file's bytes, its kind, the code that reads and validates it, and the PII
key (the applicant hash depends on it). A stat index (path, mtime, size → sha)
spares hashing files that did not change.

At the end of a run the cache is pruned to the files of that run (`prune`): the entry of a ledger that
changed or vanished goes, so what a clerk corrected or withdrew does not stay here.

One verdict depends on the day: a date after the day of the run is implausible.
An entry keeps the earliest such date it met (`future_from`) and is not used
from that day on, so the file is read again when the verdict stops being true.
"""

import datetime as dt
import hashlib
import json
from dataclasses import dataclass
from pathlib import Path

import polars as pl

from pipelines.defs import versions
from pipelines.defs.atomic import replacing
from pipelines.defs.ingest.discover import LedgerFile
from pipelines.defs.ingest.quarantine import empty as quarantine_empty

KEEP_BYTES = 256 << 20  # a CSV up to this size is hashed from bytes kept for its parsing (read once)


def code_version() -> str:
    """The ingestion code a cached result came from: any edit to it, or to a module it imports, invalidates the cache."""
    return versions.code_version("pipelines.defs.ingest.ingest")[:16]


@dataclass
class Entry:
    accepted: Path  # Parquet of the accepted rows: scanned, never loaded whole
    quarantined: pl.DataFrame
    meta: dict


class FileCache:
    def __init__(self, folder: Path, pii_key: bytes):
        self.folder = Path(folder)
        self.folder.mkdir(parents=True, exist_ok=True)
        self.salt = code_version() + hashlib.blake2b(pii_key, digest_size=8).hexdigest()
        self._path_key = hashlib.blake2b(b"path:" + pii_key, digest_size=32).digest()
        self.index_path = self.folder / "index.json"
        try:
            self.index = json.loads(self.index_path.read_text())
        except (OSError, ValueError):
            self.index = {}
        self.hits = self.misses = 0
        self._seen: set[str] = set()  # index slots of the files of this run

    def slot(self, f: LedgerFile) -> str:
        # the index is keyed by a keyed hash of the path: a file named after an applicant leaves no name here
        return hashlib.blake2b(str(f.path).encode("utf-8"), key=self._path_key, digest_size=16).hexdigest()

    def key_and_bytes(self, f: LedgerFile) -> tuple[str, bytes | None]:
        """The file's key, and its bytes when they had to be read to hash them (a CSV is then parsed from those
        bytes: a first run reads each file once). Safe to call from several threads for different files."""
        self._seen.add(self.slot(f))
        known = self.index.get(self.slot(f))
        data = None
        if known and known[0] == f.mtime_ns and known[1] == f.size:
            sha = known[2]
        else:
            digest = hashlib.sha256()
            if f.path.suffix.lower() == ".csv" and f.size <= KEEP_BYTES:
                data = f.path.read_bytes()
                digest.update(data)
            else:
                with open(f.path, "rb") as fh:
                    for block in iter(lambda: fh.read(1 << 20), b""):
                        digest.update(block)
            sha = digest.hexdigest()
            self.index[self.slot(f)] = [f.mtime_ns, f.size, sha]
        return hashlib.sha256(f"{sha}:{f.kind}:{self.salt}".encode()).hexdigest()[:40], data

    def _paths(self, key: str) -> tuple[Path, Path, Path]:
        base = self.folder / key[:2] / key
        return base.with_suffix(".accepted.parquet"), base.with_suffix(".quarantine.parquet"), base.with_suffix(".json")

    def lookup(self, key: str, today: dt.date) -> Entry | None:
        """The entry, or None (also from the day a date in it stops being in the future). Not counted as a hit
        or miss here: lookups run in reader threads, the caller counts."""
        acc, qua, meta = self._paths(key)
        info = json.loads(meta.read_text()) if meta.exists() else None
        if info is None or (info.get("future_from") and dt.date.fromisoformat(info["future_from"]) <= today):
            return None
        return Entry(acc, pl.read_parquet(qua) if info.get("quarantined_rows") else quarantine_empty(), info)

    def accepted_path(self, key: str) -> Path:
        return self._paths(key)[0]

    def put(self, key: str, accepted: pl.DataFrame, quarantined: pl.DataFrame, meta: dict) -> Path:
        acc, qua, meta_path = self._paths(key)
        acc.parent.mkdir(parents=True, exist_ok=True)
        # lz4: these files are written once per changed ledger and read back every night. Each file is written
        # aside and renamed: an existing entry is written again (its file under another name, a date no longer in
        # the future), and a kill then must not leave a half-written Parquet under its metadata, trusted ever after
        with replacing(acc) as tmp:
            accepted.write_parquet(tmp, compression="lz4", statistics=False)
        if quarantined.height:  # most files have none: one file fewer to write per ledger
            with replacing(qua) as tmp:
                quarantined.write_parquet(tmp)
        meta = meta | {"quarantined_rows": quarantined.height}
        with replacing(meta_path) as tmp:  # written last: makes the entry exist
            tmp.write_text(json.dumps(meta, ensure_ascii=False))
        return acc

    def save_index(self) -> None:
        with replacing(self.index_path) as tmp:
            tmp.write_text(json.dumps(self.index))

    def prune(self, keep: set[str]) -> int:
        """Remove every entry whose key is not in `keep` (the files of this run) and the index lines of files
        not seen in this run; also what a killed run left half written. Returns the entries removed.

        The cache belongs to one raw root, read whole by each run (one ingestion at a time: lake.writer)."""
        removed = 0
        for sub in self.folder.iterdir():
            if not sub.is_dir():
                if ".tmp" in sub.name:  # the index, half-written by a killed run (atomic.py's naming, and the one before)
                    sub.unlink(missing_ok=True)
                continue
            for path in sub.iterdir():
                if ".tmp" in path.name:  # what a killed run left half-written (not an entry: not counted)
                    path.unlink(missing_ok=True)
                elif path.name.split(".", 1)[0] not in keep:
                    removed += path.name.endswith(".json")
                    path.unlink(missing_ok=True)
            if not any(sub.iterdir()):
                sub.rmdir()
        self.index = {slot: v for slot, v in self.index.items() if slot in self._seen}
        self.save_index()
        return removed
