"""Which agencies exist and which county each belongs to: the raw root's agency list (what the pipeline
registers), read by the ingestion reader, so the desk can authorise before anything is materialized."""

import threading
from dataclasses import dataclass
from pathlib import Path

from pipelines.defs.ingest.discover import discover
from pipelines.defs.ingest.readers import read_file
from schemas.codes import is_valid


@dataclass(frozen=True)
class Agency:
    code: str
    name: str
    county: str
    level: str


class Directory:
    """The agency list, read again whenever its file changes."""

    def __init__(self, raw_dir: Path):
        self.raw_dir = Path(raw_dir)
        self._lock = threading.Lock()
        self._stamp: tuple | None = None
        self._agencies: dict[str, Agency] = {}

    def _load(self) -> dict[str, Agency]:
        files = [f for f in discover(self.raw_dir) if f.kind == "agencies"] if self.raw_dir.is_dir() else []
        stamp = tuple((f.relpath, f.mtime_ns, f.size) for f in files)
        with self._lock:
            if stamp != self._stamp:
                agencies: dict[str, Agency] = {}
                for f in files:
                    read = read_file(f)
                    if read.frame is None or "agency_code" not in read.frame.columns:
                        continue
                    for row in read.frame.iter_rows(named=True):
                        code = (row.get("agency_code") or "").strip().upper()
                        if is_valid(code):
                            agencies[code] = Agency(code, (row.get("agency_name") or code).strip(), (row.get("county") or "").strip(), row.get("level") or "")
                self._agencies, self._stamp = agencies, stamp
            return self._agencies

    def agency(self, code: str) -> Agency | None:
        return self._load().get(code)

    def agencies(self, county: str | None = None) -> list[Agency]:
        out = [a for a in self._load().values() if county is None or a.county == county]
        return sorted(out, key=lambda a: (a.level != "county_government", a.level, a.code))

    def counties(self) -> list[str]:
        return sorted({a.county for a in self._load().values() if a.county})
