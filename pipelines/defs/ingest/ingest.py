"""From a raw root to validated records: read → normalize → validate → replace by later exports.

Rows read = rows accepted + rows quarantined, for every file. A record that a
later export replaces was accepted in its own file; only its latest accepted
version goes on to the tables.
"""

from collections.abc import Callable
from dataclasses import dataclass, field

import polars as pl

from pipelines.defs.ingest import quarantine
from pipelines.defs.ingest.discover import LedgerFile
from pipelines.defs.ingest.normalize import RAW, normalize
from pipelines.defs.ingest.pii import with_applicant_key
from pipelines.defs.ingest.readers import FILE, ROW, FileRead, read_file
from pipelines.defs.ingest.validate import validate
from schemas.columns import KINDS, LEDGER_KINDS
from schemas.rules import FILE_RULES

ORDER = "_order"  # position of the file in export order: later files win

# Values the contract defaults when a clerk leaves them empty.
DEFAULTS = {
    "applications": [
        pl.col("third_party_days").fill_null(0),
        pl.col("extended").fill_null(False),
        pl.col("fee_yuan").fill_null(0.0),
    ],
    "disclosures": [pl.col("amount_yuan").fill_null(0.0)],
}

FILES_SCHEMA = {
    "path": pl.String,
    "kind": pl.String,
    "encoding": pl.String,
    "rows": pl.Int64,
    "accepted": pl.Int64,
    "quarantined": pl.Int64,
    "error_rule": pl.String,
    "error": pl.String,
}


@dataclass
class Ingested:
    records: dict[str, pl.DataFrame]  # kind → latest accepted version of every record, typed, no personal data
    quarantine: pl.DataFrame
    files: pl.DataFrame
    reads: list[FileRead] = field(default_factory=list)

    @property
    def rows_read(self) -> int:
        return int(self.files.get_column("rows").sum() or 0)


def _file_error(read: FileRead) -> str:
    rule = FILE_RULES[read.error_rule]
    detail = read.error_detail
    return f"{rule.zh.format(detail=detail)} / {rule.en.format(detail=detail)}"


def _public_columns(kind: str) -> list[str]:
    cols = [c.key for c in KINDS[kind].columns if not c.personal]
    # source_file/source_row make every number of a table traceable to the ledger row behind it
    return cols + (["applicant_key"] if kind == "applications" else []) + ["source_file", "source_row"]


def _empty_records(kind: str) -> pl.DataFrame:
    """Typed, zero-row records of a kind (no file of that kind was usable)."""
    frame = pl.DataFrame(schema={c: pl.String for c in KINDS[kind].keys} | {FILE: pl.String, ROW: pl.Int32})
    frame = normalize(frame, kind)
    if kind == "applications":
        frame = with_applicant_key(frame, b"-")
    return frame.with_columns(pl.col(FILE).alias("source_file"), pl.col(ROW).alias("source_row")).select(_public_columns(kind))


def _ingest_kind(kind: str, reads: list[FileRead], known_agencies: pl.Series | None, pii_key: bytes, accepted_counts: dict):
    usable = [r for r in reads if r.frame is not None and not r.missing]
    bad_parts = [
        quarantine.whole_file(kind, r.frame, "columns_missing", "、".join(r.missing))
        for r in reads
        if r.frame is not None and r.missing
    ]
    if not usable:
        return _empty_records(kind), bad_parts
    frame = pl.concat(
        [r.frame.with_columns(pl.lit(i, pl.Int32).alias(ORDER)) for i, r in enumerate(usable)], how="vertical"
    )
    frame = normalize(frame, kind)
    if kind == "applications":
        frame = with_applicant_key(frame, pii_key)
    if known_agencies is not None:
        frame = frame.with_columns(pl.col("agency_code").is_in(known_agencies.implode()).alias("_agency_known"))
    accepted, bad = validate(frame, kind)
    bad_parts.append(bad)
    accepted_counts[kind] = accepted.group_by(FILE).len()
    id_col = KINDS[kind].id_column
    latest = (
        accepted.with_columns(DEFAULTS.get(kind, []))
        .with_columns(pl.col(FILE).alias("source_file"), pl.col(ROW).alias("source_row"))
        .sort(ORDER, ROW)
        .unique(subset=["agency_code", id_col], keep="last", maintain_order=True)
        .select(_public_columns(kind))
    )
    return latest, bad_parts


def ingest(
    files: list[LedgerFile],
    pii_key: bytes,
    progress: Callable[[str], None] | None = None,
) -> Ingested:
    reads: list[FileRead] = []
    for f in files:
        if progress:
            progress(f.relpath)
        reads.append(read_file(f))
    by_kind: dict[str, list[FileRead]] = {k: [] for k in KINDS}
    for r in reads:
        if r.kind:
            by_kind[r.kind].append(r)
    records: dict[str, pl.DataFrame] = {}
    parts: list[pl.DataFrame] = []
    known = None
    accepted_counts: dict[str, pl.DataFrame] = {}
    for kind in ("agencies", *LEDGER_KINDS):
        latest, bad = _ingest_kind(kind, by_kind[kind], known, pii_key, accepted_counts)
        records[kind] = latest
        parts += bad
        if kind == "agencies":
            known = latest.get_column("agency_code")
    bad_rows = pl.concat([p for p in parts if p.height], how="vertical") if any(p.height for p in parts) else quarantine.empty()
    return Ingested(records, bad_rows, _accounting(reads, bad_rows, accepted_counts), reads)


def _accounting(reads: list[FileRead], bad_rows: pl.DataFrame, accepted_counts: dict[str, pl.DataFrame]) -> pl.DataFrame:
    """Per file: rows read, and accepted and quarantined counted independently (so their sum is a real check)."""
    quarantined = dict(bad_rows.group_by("path").len().iter_rows())
    accepted = {path: n for frame in accepted_counts.values() for path, n in frame.iter_rows()}
    rows = []
    for r in reads:
        n = None if r.frame is None else r.frame.height
        q = quarantined.get(r.file.relpath, 0) if n is not None else None
        rows.append(
            {
                "path": r.file.relpath,
                "kind": r.kind or None,
                "encoding": r.encoding,
                "rows": n,
                "accepted": None if n is None else accepted.get(r.file.relpath, 0),
                "quarantined": q,
                "error_rule": r.error_rule,
                "error": _file_error(r) if r.error_rule else None,
            }
        )
    return pl.DataFrame(rows, schema=FILES_SCHEMA)
