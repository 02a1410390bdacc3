"""From a raw root to validated records: read → normalize → validate → replace by later exports.

Two stages. The one-file rules run per file (in batches, vectorized) and their
result is kept by the file's content, so an unchanged ledger is never read
again. The cross-file rules (agency known, repeal of an issued document) and
the replacement of re-exported records then run over every file at once.

Rows read = rows accepted + rows quarantined, for every file. A record that a
later export replaces was accepted in its own file; only its latest accepted
version goes on to the tables.
"""

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import polars as pl

from pipelines.defs.ingest import quarantine
from pipelines.defs.ingest.cache import Entry, FileCache
from pipelines.defs.ingest.discover import LedgerFile
from pipelines.defs.ingest.normalize import RAW, normalize
from pipelines.defs.ingest.pii import with_applicant_key
from pipelines.defs.ingest.readers import FILE, ROW, FileRead, read_file
from pipelines.defs.ingest.validate import validate
from schemas.columns import KINDS, LEDGER_KINDS
from schemas.ledgers import CROSS_FILE_SCHEMAS, FILE_SCHEMAS
from schemas.rules import FILE_RULES

ORDER = "_order"  # position of the file in export order: later files win
BATCH_ROWS = 500_000  # rows normalized and validated in one vectorized pass

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
    cache_hits: int = 0
    cache_misses: int = 0

    @property
    def rows_read(self) -> int:
        return int(self.files.get_column("rows").sum() or 0)


@dataclass
class _Unit:
    """One file after the one-file rules."""

    file: LedgerFile
    order: int
    accepted: pl.DataFrame | None
    quarantined: pl.DataFrame
    meta: dict  # kind, encoding, rows, error_rule, error_detail


def _public_columns(kind: str) -> list[str]:
    cols = [c.key for c in KINDS[kind].columns if not c.personal]
    # source_file/source_row make every number of a table traceable to the ledger row behind it
    return cols + (["applicant_key"] if kind == "applications" else []) + ["source_file", "source_row"]


def _empty_typed(kind: str) -> pl.DataFrame:
    """Typed, zero-row rows of a kind as the one-file stage leaves accepted rows."""
    frame = pl.DataFrame(schema={c: pl.String for c in KINDS[kind].keys} | {FILE: pl.String, ROW: pl.Int32})
    frame = normalize(frame, kind)
    frame = with_applicant_key(frame, b"-") if kind == "applications" else frame
    return frame.drop([c for c in frame.columns if c.endswith(RAW)])


def _meta(read: FileRead) -> dict:
    rows = None if read.frame is None else read.frame.height
    return {"kind": read.kind, "encoding": read.encoding, "rows": rows, "error_rule": read.error_rule, "error_detail": read.error_detail}


def _one_file_stage(kind: str, batch: list[tuple[int, LedgerFile, FileRead]], pii_key: bytes) -> list[_Unit]:
    """Normalize and apply the one-file rules to a batch of files of one kind, in one vectorized pass."""
    frame = pl.concat([r.frame for _, _, r in batch], how="vertical")
    frame = normalize(frame, kind)
    if kind == "applications":
        frame = with_applicant_key(frame, pii_key)
    accepted, bad = validate(frame, kind, FILE_SCHEMAS[kind])
    # the text as typed is only needed for messages about rejected rows: accepted rows keep the typed values
    accepted = accepted.drop([c for c in accepted.columns if c.endswith(RAW)])
    acc_parts = accepted.partition_by(FILE, as_dict=True)
    bad_parts = bad.partition_by("path", as_dict=True)
    return [
        _Unit(f, order, acc_parts.get((f.relpath,), accepted.clear()), bad_parts.get((f.relpath,), quarantine.empty()), _meta(read))
        for order, f, read in batch
    ]


def _read_stage(files: list[LedgerFile], pii_key: bytes, fc: FileCache | None, progress) -> list[_Unit]:
    units: list[_Unit] = []
    pending: dict[str, list[tuple[int, LedgerFile, FileRead]]] = {}
    rows: dict[str, int] = {}
    keys: dict[str, str] = {}

    def flush(kind: str) -> None:
        # Batches keep memory bounded: raw text is dropped as soon as its batch is typed and validated.
        done = _one_file_stage(kind, pending.pop(kind), pii_key)
        rows[kind] = 0
        if fc:
            for u in done:
                fc.put(keys[u.file.relpath], Entry(u.accepted, u.quarantined, u.meta))
        units.extend(done)

    for order, f in enumerate(files):
        if progress:
            progress(f.relpath)
        key = fc.key(f) if fc else None
        entry = fc.get(key) if fc else None
        if entry is not None:
            accepted = entry.accepted.with_columns(pl.lit(f.relpath).alias(FILE))  # the same bytes may sit under another name now
            units.append(_Unit(f, order, accepted, entry.quarantined.with_columns(pl.lit(f.relpath).alias("path")), entry.meta))
            continue
        read = read_file(f)
        if read.frame is None or not read.kind or read.missing:
            bad = quarantine.empty()
            if read.frame is not None and read.kind and read.missing:
                missing = "、".join(f"{next((a for a in KINDS[read.kind].column(k).aliases if not a.isascii()), k)}（{k}）" for k in read.missing)
                bad = quarantine.whole_file(read.kind, read.frame, "columns_missing", missing)
            unit = _Unit(f, order, None, bad, _meta(read))
            if fc:
                fc.put(key, Entry(_empty_typed(read.kind or "agencies"), bad, unit.meta))
            units.append(unit)
            continue
        if key:
            keys[f.relpath] = key
        pending.setdefault(read.kind, []).append((order, f, read))
        rows[read.kind] = rows.get(read.kind, 0) + read.frame.height
        if rows[read.kind] >= BATCH_ROWS:
            flush(read.kind)
    for kind in list(pending):
        flush(kind)
    if fc:
        fc.save_index()
    return sorted(units, key=lambda u: u.order)


def _cross_file_stage(kind: str, units: list[_Unit], known_agencies: pl.Series | None) -> tuple[pl.DataFrame, pl.DataFrame, pl.DataFrame]:
    """(latest records, cross-file quarantine, accepted rows per file) for one kind."""
    parts = [u.accepted.with_columns(pl.lit(u.order, pl.Int32).alias(ORDER)) for u in units if u.accepted is not None and u.accepted.height]
    frame = pl.concat(parts, how="vertical") if parts else _empty_typed(kind).with_columns(pl.lit(0, pl.Int32).alias(ORDER))
    if known_agencies is not None:
        frame = frame.with_columns(pl.col("agency_code").is_in(known_agencies.implode()).alias("_agency_known"))
    accepted, bad = validate(frame, kind, CROSS_FILE_SCHEMAS[kind])
    latest = (
        accepted.with_columns(DEFAULTS.get(kind, []))
        .with_columns(pl.col(FILE).alias("source_file"), pl.col(ROW).alias("source_row"))
        .sort(ORDER, ROW)
        .unique(subset=["agency_code", KINDS[kind].id_column], keep="last", maintain_order=True)
        .select(_public_columns(kind))
    )
    return latest, bad, accepted.group_by(FILE).len()


def ingest(
    files: list[LedgerFile],
    pii_key: bytes,
    progress: Callable[[str], None] | None = None,
    cache_dir: Path | None = None,
) -> Ingested:
    fc = FileCache(cache_dir, pii_key) if cache_dir else None
    units = _read_stage(files, pii_key, fc, progress)
    records: dict[str, pl.DataFrame] = {}
    bad_parts = [u.quarantined for u in units if u.quarantined.height]
    accepted_counts: list[pl.DataFrame] = []
    known = None
    for kind in ("agencies", *LEDGER_KINDS):
        latest, bad, counts = _cross_file_stage(kind, [u for u in units if u.meta["kind"] == kind], known)
        records[kind] = latest
        bad_parts.append(bad)
        accepted_counts.append(counts)
        if kind == "agencies":
            known = latest.get_column("agency_code")
    bad_rows = pl.concat([p for p in bad_parts if p.height], how="vertical") if any(p.height for p in bad_parts) else quarantine.empty()
    bad_rows = quarantine.mark_superseded(bad_rows, records, {u.file.relpath: u.order for u in units})
    files_df = _accounting(units, bad_rows, pl.concat(accepted_counts))
    return Ingested(records, bad_rows, files_df, fc.hits if fc else 0, fc.misses if fc else len(files))


def _accounting(units: list[_Unit], bad_rows: pl.DataFrame, accepted_counts: pl.DataFrame) -> pl.DataFrame:
    """Per file: rows read, and accepted and quarantined counted independently (so their sum is a real check)."""
    quarantined = dict(bad_rows.group_by("path").len().iter_rows())
    accepted = dict(accepted_counts.iter_rows())
    rows = []
    for u in units:
        m = u.meta
        n = m["rows"]
        rule = m["error_rule"]
        error = None
        if rule:
            r = FILE_RULES[rule]
            error = f"{r.zh.format(detail=m['error_detail'])} / {r.en.format(detail=m['error_detail'])}"
        rows.append(
            {
                "path": u.file.relpath,
                "kind": m["kind"] or None,
                "encoding": m["encoding"],
                "rows": n,
                "accepted": None if n is None else accepted.get(u.file.relpath, 0),
                "quarantined": None if n is None else quarantined.get(u.file.relpath, 0),
                "error_rule": rule,
                "error": error,
            }
        )
    return pl.DataFrame(rows, schema=FILES_SCHEMA)
