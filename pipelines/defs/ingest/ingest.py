"""From a raw root to validated records: read → normalize → validate → replace by later exports.

Two stages, both in bounded batches so memory does not grow with the data:

1. the one-file rules run per batch of files (vectorized) and what they accept
   is written to Parquet — kept by the file's content in the cache, so an
   unchanged ledger is never read again;
2. the cross-file rules (agency known; a repeal names a document issued) run
   per batch over those Parquet files, with the two facts they need from
   other files (the agency list, each document's first issue) worked out once,
   a few whole buckets at a time (a record's versions share its bucket), and
   in the same pass keep the latest version of every record and write it.

Rows read = rows accepted + rows quarantined + total rows, for every file. A
record that a later export replaces was accepted in its own file; only its
latest accepted version goes on to the tables. A file that is not a ledger is
listed (status `not_read`), a file that cannot be read is rejected whole and
attributed to the agency-years whose rows it may hold (attribution.py).

The day of the run matters: a date after it is implausible. A file's cached
result holds the earliest such date it saw, and is read again once that day
has come (its manifest key changes with it, so its agencies are redone).
"""

import datetime as dt
import shutil
import tempfile
from collections import deque
from collections.abc import Callable, Iterator, Mapping
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path
from typing import TypeVar

import polars as pl

from pipelines.defs import buckets, clock, killpoints
from pipelines.defs.ingest import attribution, changes, lake, quarantine
from pipelines.defs.ingest.cache import Entry, FileCache
from pipelines.defs.ingest.discover import LedgerFile, free_name
from pipelines.defs.ingest.normalize import RAW, normalize
from pipelines.defs.ingest.pii import holds_personal, mask_own_values, with_applicant_key
from pipelines.defs.ingest.readers import FILE, ROW, SHEET, FileRead, read_file
from pipelines.defs.ingest.validate import validate
from pipelines.defs.writers import Writer
from schemas.columns import KINDS, LEDGER_KINDS, PERSONAL_COLUMNS, REGISTERS
from schemas.ledgers import CROSS_FILE_SCHEMAS, FILE_SCHEMAS, PERSONAL, TODAY, id_columns
from schemas.rules import FILE_RULES, REJECTING_RULES

ORDER = "_order"  # position of the file in export order: later files win
T = TypeVar("T")
NAMES_KEPT = 8  # names of the same bytes remembered in a cache entry (copies of one ledger)
BATCH_ROWS = 500_000  # rows typed and validated in one vectorized pass
READERS = 2  # threads reading ledgers ahead of the validation (the machine's cores are shared with Polars)
READ_AHEAD = 4  # files read ahead at most: bounds the raw text held in memory
CACHE_WRITERS = 2  # threads writing cache entries (Polars writes outside the GIL)
WORK_COMPRESSION = "lz4"  # the cross-file stage's output lives for one run: fast to write beats small
LAKE_COMPRESSION = "lz4"  # the lake is rewritten by every run that changes it: lz4 writes about twice as fast as zstd

# Values the contract defaults when a clerk leaves them empty.
DEFAULTS = {
    "applications": [
        pl.col("third_party_days").fill_null(0),
        pl.col("extended").fill_null(False),
        pl.col("fee_yuan").fill_null(0.0),
    ],
    "disclosures": [pl.col("amount_yuan").fill_null(0.0)],
}

KIND_ORDER = (*REGISTERS, *LEDGER_KINDS)  # the registers first: the ledgers' agency rule needs the agency list

FILES_SCHEMA = {
    "path": pl.String,
    "kind": pl.String,
    "status": pl.String,  # read | rejected (the whole file, unreadable) | not_read (not a ledger)
    "encoding": pl.String,
    "rows": pl.Int64,  # rows below the header (blank lines not counted) = accepted + quarantined + total_rows
    "accepted": pl.Int64,
    "quarantined": pl.Int64,
    "total_rows": pl.Int64,  # 合计/总计/小计 rows
    "error_rule": pl.String,
    "error": pl.String,
    "sheets": pl.String,  # workbooks: the sheets read, with the row of their header
    "note": pl.String,  # sheets passed over and why
}


class Records(Mapping):
    """The latest accepted version of every record, per kind, as Parquet (typed, no personal data).

    `records[kind]` reads one kind whole; `records.scan(kind)` streams it, which is what the tables do.
    """

    def __init__(self, paths: dict[str, Path], keep: object = None):
        self.paths = paths
        self._keep = keep  # a temporary directory that must live as long as these records

    def __getitem__(self, kind: str) -> pl.DataFrame:
        return self.scan(kind).collect()

    def __iter__(self) -> Iterator[str]:
        return iter(self.paths)

    def __len__(self) -> int:
        return len(self.paths)

    def scan(self, kind: str) -> pl.LazyFrame:
        return buckets.scan(self.paths[kind])

    def count(self, kind: str) -> int:
        return self.scan(kind).select(pl.len()).collect().item()


@dataclass
class Ingested:
    records: Records
    quarantine: pl.DataFrame
    files: pl.DataFrame
    cache_hits: int = 0
    cache_misses: int = 0
    agencies_redone: int | None = None  # None: every agency went through the cross-file stage
    earliest_changed_year: int | None = changes.ALL_YEARS  # see changes.earliest_changed_year
    rejected: pl.DataFrame = field(default_factory=lambda: pl.DataFrame(schema=attribution.SCHEMA))  # whose rows rejected files may hold
    headers: dict[str, dict[str, str]] = field(default_factory=dict)  # per file: column key → the header as the clerk wrote it


@dataclass
class _Unit:
    """One file after the one-file rules: its accepted rows live in `path` (Parquet)."""

    file: LedgerFile
    order: int
    path: Path | None
    rows: int  # accepted by the one-file rules
    quarantined: pl.DataFrame
    meta: dict  # kind, status, encoding, rows, total_rows, error_rule, error_detail(_en), headers, sheets, accepted_rows,
    # agencies (code → accepted rows), holdings ([code, year] of its rows), future_from (earliest date after the run day)
    key: str | None = None  # content key in the per-file cache

    @property
    def manifest_key(self) -> str | None:
        """The key the carry-over compares: the content key, and the day a date of the file stops being in the future."""
        future = self.meta.get("future_from")
        return self.key if self.key is None or not future else f"{self.key}@{future}"

    @property
    def agencies(self) -> set[str]:
        return set(self.meta.get("agencies") or ())

    def scan(self) -> pl.LazyFrame:
        # the same bytes may sit under another name now: the path and order are this run's
        return pl.scan_parquet(self.path).with_columns(pl.lit(self.file.relpath).alias(FILE), pl.lit(self.order, pl.Int32).alias(ORDER))


def public_columns(kind: str) -> list[str]:
    cols = [c.key for c in KINDS[kind].columns if not c.personal]
    # source_file/sheet/row make every number of a table traceable to the ledger row behind it
    return cols + (["applicant_key"] if kind == "applications" else []) + ["source_file", "source_sheet", "source_row"]


def _empty_typed(kind: str) -> pl.DataFrame:
    """Typed, zero-row rows of a kind as the one-file stage leaves accepted rows."""
    frame = pl.DataFrame(schema=dict.fromkeys(KINDS[kind].keys, pl.String) | {FILE: pl.String, ROW: pl.Int32, SHEET: pl.String})
    frame = normalize(frame, kind)
    frame = with_applicant_key(frame, b"-") if kind == "applications" else frame
    return frame.drop([c for c in frame.columns if c.endswith(RAW)])


def _meta(read: FileRead) -> dict:
    rows = None if read.frame is None else read.frame.height + read.total_rows
    return {
        "kind": read.kind,
        "status": "rejected" if read.error_rule in REJECTING_RULES else "read",
        "encoding": read.encoding,
        "rows": rows,
        "total_rows": read.total_rows,
        "error_rule": read.error_rule,
        "error_detail": read.error_detail,
        "error_detail_en": read.error_detail_en,
        "headers": read.headers,
        "sheets": [asdict(s) for s in read.sheets],
    }


def _not_read_meta(f: LedgerFile) -> dict:
    zh, _, en = f.not_read.partition(" / ")
    return {
        "kind": f.kind,
        "status": "not_read",
        "rows": None,
        "error_rule": "not_a_ledger",
        "error_detail": zh,
        "error_detail_en": en or zh,
        "accepted_rows": 0,
    }


def _year_expr(kind: str, frame: pl.DataFrame) -> pl.Expr:
    """The year a row belongs to by its own date (a register entry: its year); null when it has none."""
    column = KINDS[kind].date_column
    if kind == "submissions":
        return pl.col("year").cast(pl.Int32)
    if column and frame.schema.get(column) == pl.Date:
        return pl.col(column).dt.year().cast(pl.Int32)
    return pl.lit(None, pl.Int32)


def _future_from(kind: str, frame: pl.DataFrame, today: dt.date) -> dict[str, str]:
    """Per file: the earliest date after `today` (its rows are quarantined as implausible until that day)."""
    dates = [c.key for c in KINDS[kind].columns if c.type == "date"]
    if not dates or frame.is_empty():
        return {}
    later = pl.min_horizontal([pl.when(pl.col(d) > pl.lit(today)).then(pl.col(d)) for d in dates])
    found = frame.select(FILE, later.alias("_f")).drop_nulls("_f").group_by(FILE).agg(pl.col("_f").min())
    return {path: day.isoformat() for path, day in found.iter_rows()}


# ------------------------------------------------------------ one-file rules


def _one_file_stage(kind: str, batch: list[tuple[int, LedgerFile, FileRead]], pii_key: bytes, today: dt.date) -> list[tuple[_Unit, pl.DataFrame]]:
    """Normalize and apply the one-file rules to a batch of files of one kind, in one vectorized pass."""
    frame = pl.concat([r.frame for _, _, r in batch], how="vertical")
    frame = normalize(frame, kind)
    if kind == "applications":
        # the personal columns stay until the rules have run: a quarantined row's own values are masked in what
        # is kept of it, and a record id holding them is refused (record_id_personal)
        frame = with_applicant_key(frame, pii_key, drop=False)
    ids = id_columns(KINDS[kind])
    # the row's own values are looked for only when some id has a non-ASCII character (a name, an address); an
    # ID or phone number is found by its shape, and most batches' ids are ASCII: one cheap pass spares four
    own = [c for c in PERSONAL_COLUMNS if c in frame.columns]
    if own and ids and not frame.select(pl.any_horizontal((pl.col(c).str.len_bytes() != pl.col(c).str.len_chars()).any() for c in ids)).item():
        own = []
    frame = frame.with_columns(holds_personal(pl.col(c), own, pl.col("agency_code")).alias(c + PERSONAL) for c in ids)
    frame = frame.with_columns(pl.lit(today).alias(TODAY))
    future = _future_from(kind, frame, today)
    accepted, bad = validate(frame, kind, FILE_SCHEMAS[kind])
    # the text as typed is only needed for messages about rejected rows: accepted rows keep the typed values
    accepted = accepted.drop([c for c in accepted.columns if c.endswith((RAW, PERSONAL)) or c in PERSONAL_COLUMNS] + [TODAY])
    acc_parts = accepted.partition_by(FILE, as_dict=True)
    bad_parts = bad.partition_by("path", as_dict=True)
    # which agencies each file holds: a nightly run redoes the cross-file stage only for a changed file's agencies
    per_agency: dict[str, dict[str, int]] = {}
    for path, code, n in accepted.group_by(FILE, "agency_code").len().iter_rows():
        per_agency.setdefault(path, {})[code] = n
    # and the agency-years of its rows, accepted or not: whose rows it may hold should it become unreadable
    held = pl.concat(
        [
            accepted.select(pl.col(FILE).alias("path"), "agency_code", _year_expr(kind, accepted).alias("year")),
            bad.select("path", "agency_code", "year"),
        ]
    )
    holdings: dict[str, list] = {}
    for path, code, year in held.drop_nulls("agency_code").unique().sort(pl.all(), nulls_last=True).iter_rows():
        holdings.setdefault(path, []).append([code, year])
    out = []
    for order, f, read in batch:
        rows = acc_parts.get((f.relpath,), accepted.clear())
        meta = _meta(read) | {
            "accepted_rows": rows.height,
            "agencies": per_agency.get(f.relpath, {}),
            "holdings": holdings.get(f.relpath, []),
            "future_from": future.get(f.relpath),
        }
        out.append((_Unit(f, order, None, rows.height, bad_parts.get((f.relpath,), quarantine.empty()), meta), rows))
    return out


def _read_stage(files: list[LedgerFile], pii_key: bytes, fc: FileCache | None, work: Path, progress, today: dt.date) -> list[_Unit]:
    units: list[_Unit] = []
    pending: dict[str, list[tuple[int, LedgerFile, FileRead]]] = {}
    rows: dict[str, int] = {}
    keys: dict[str, str | None] = {}
    # A file named after its applicant (欧阳娜娜申请.csv) is shown with the values of its own personal columns
    # masked: known only once it is read, so the masked name is kept in its cache entry, with a keyed hash of
    # the path it was read under (the same bytes under another non-ASCII name are read again to see what that name
    # holds; a file without personal columns is reused under any name).
    taken = {f.relpath for f in files}
    masked_names: dict[int, str | None] = {}
    known_names: dict[int, list] = {}  # the names the same bytes were already read under (a copy, 台账 - 副本.xlsx)

    def shown(f: LedgerFile, masked: str | None) -> LedgerFile:
        return f if masked is None or masked == f.relpath else replace(f, relpath=free_name(masked, taken))

    # Cache entries are written in the background while the next files are read and validated; an entry always
    # goes to the same thread (by its key), so two copies of one ledger never write the same entry at once.
    writer = Writer(CACHE_WRITERS)

    def keep(unit: _Unit, accepted: pl.DataFrame) -> None:
        key = unit.key = keys.get(unit.file.relpath)
        if fc and key:
            if masked_names.get(unit.order) is not None:  # a file with personal columns: what its names showed
                slot = fc.slot(unit.file)
                earlier = [n for n in known_names.get(unit.order, []) if n[0] != slot][-(NAMES_KEPT - 1) :]
                unit.meta["names"] = [*earlier, [slot, masked_names[unit.order]]]
            unit.path = fc.accepted_path(key)
            writer.submit(key, fc.put, key, accepted, unit.quarantined, unit.meta)
        else:
            unit.path = work / "one_file" / f"{unit.order}.parquet"
            unit.path.parent.mkdir(parents=True, exist_ok=True)
            writer.submit(str(unit.path), accepted.write_parquet, unit.path, compression="lz4", statistics=False)
        units.append(unit)

    def flush(kind: str) -> None:
        # Batches keep memory bounded: raw text is dropped as soon as its batch is typed and validated.
        for unit, accepted in _one_file_stage(kind, pending.pop(kind), pii_key, today):
            keep(unit, accepted)
        rows[kind] = 0

    def reusable(f: LedgerFile, entry: Entry) -> bool:
        names = entry.meta.get("names")
        masked = dict(names or []).get(fc.slot(f), False) if fc else False  # False: not read under this name
        return names is None or masked is not False or f.relpath.isascii()

    def look(f: LedgerFile) -> tuple[str | None, Entry | None, FileRead | None]:
        """In a reader thread: the file's cache key and entry, and the file read when the entry cannot serve."""
        if f.not_read:
            return None, None, None
        try:
            key, data = fc.key_and_bytes(f) if fc else (None, None)
        except OSError:  # gone or unreadable since it was listed: the read says so, for this file alone
            return None, None, read_file(f)
        entry = fc.lookup(key, today) if fc and key else None
        if entry is not None and reusable(f, entry):
            return key, entry, None
        return key, entry, read_file(f, data)

    with writer:  # every entry written (a failed write fails the run) before the stage ends
        for order, (f, (key, entry, read)) in enumerate(zip(files, _read_ahead(look, files), strict=True)):
            if progress:
                progress(f.relpath)
            if f.not_read:  # listed, never opened
                units.append(_Unit(f, order, None, 0, quarantine.empty(), _not_read_meta(f)))
                continue
            keys[f.relpath] = key
            if fc and read is None and entry is not None:
                fc.hits += 1
                masked = dict(entry.meta.get("names") or []).get(fc.slot(f), False)
                f = shown(f, masked or None)
                keys[f.relpath] = key
                # the file's name in this run (a query per file adds up over ten thousand files: only when it has rows)
                quarantined = entry.quarantined.with_columns(pl.lit(f.relpath).alias("path")) if entry.quarantined.height else entry.quarantined
                units.append(_Unit(f, order, entry.accepted, entry.meta.get("accepted_rows", 0), quarantined, entry.meta, key))
                continue
            if fc:
                fc.misses += 1
                if entry is not None:  # read again after all: the same bytes under another name
                    known_names[order] = entry.meta.get("names")
            killpoints.reached("ingest.file")
            key = keys[f.relpath]
            masked_names[order] = _own_values_masked(f, read.frame)
            if (renamed := shown(f, masked_names[order])) is not f:
                f, keys[renamed.relpath] = renamed, key
                read.frame = read.frame.with_columns(pl.lit(f.relpath).alias(FILE)) if read.frame is not None else None
            if read.frame is None or read.missing:
                bad = quarantine.empty()
                held: list = []
                if read.frame is not None and read.missing:
                    missing = "、".join(f"{next((a for a in KINDS[read.kind].column(k).aliases if not a.isascii()), k)}（{k}）" for k in read.missing)
                    bad = quarantine.whole_file(read.kind, read.frame, "columns_missing", missing)
                    held = [[c, None] for c in bad.get_column("agency_code").drop_nulls().unique().sort().to_list()]
                meta = _meta(read) | {"accepted_rows": 0, "holdings": held}
                keep(_Unit(f, order, None, 0, bad, meta), _empty_typed(read.kind or "agencies"))
                continue
            pending.setdefault(read.kind, []).append((order, f, read))
            rows[read.kind] = rows.get(read.kind, 0) + read.frame.height
            if rows[read.kind] >= BATCH_ROWS:
                flush(read.kind)
        for kind in list(pending):
            flush(kind)
    if fc:
        fc.save_index()
    return sorted(units, key=lambda u: u.order)


def _read_ahead(look: Callable[[LedgerFile], T], files: list[LedgerFile]) -> Iterator[T]:
    """`look(file)` of each file, in order, with the next few done meanwhile by worker threads: the file's bytes
    read (hashed for the cache) and parsed by Polars outside the GIL, overlapping with the batches being validated."""
    with ThreadPoolExecutor(max_workers=READERS, thread_name_prefix="gongkai-read") as pool:
        ahead: deque[Future] = deque()
        for f in files:
            ahead.append(pool.submit(look, f))
            if len(ahead) > READ_AHEAD:
                yield ahead.popleft().result()
        while ahead:
            yield ahead.popleft().result()


def _own_values_masked(f: LedgerFile, frame: pl.DataFrame | None) -> str | None:
    """The file's shown name with the values of its own personal columns masked; None when it has none (an ASCII
    name is kept: the values are names and addresses, numbers are masked already)."""
    if frame is None or not any(c in frame.columns for c in PERSONAL_COLUMNS):
        return None
    return f.relpath if f.relpath.isascii() else mask_own_values([f.relpath], frame)[0]


# ---------------------------------------------------------- cross-file rules


def _unit_batches(units: list[_Unit]) -> Iterator[list[_Unit]]:
    batch, rows = [], 0
    for u in units:
        batch.append(u)
        rows += u.rows
        if rows >= BATCH_ROWS:
            yield batch
            batch, rows = [], 0
    if batch:
        yield batch


def _first_issue(units: list[_Unit], only: pl.Series | None) -> pl.DataFrame:
    """Each document's first 制发 (agency, 文号 → date): what a repeal in any file must point back to."""
    return (
        _scan(units, only)
        .select("agency_code", "doc_number", "doc_action", "published_on")
        .filter(pl.col("doc_action") == "issue")
        .group_by("agency_code", "doc_number")
        .agg(pl.col("published_on").min().alias("_first_issued"))
        .collect()
    )


def _scan(units: list[_Unit], only: pl.Series | None) -> pl.LazyFrame:
    """The accepted rows of `units` (at least one) with this run's file name and order, in one multi-file scan: a union of one
    scan per file costs Polars time in the number of files (10 s for a thousand small ones)."""
    first: dict[Path, _Unit] = {}
    again = []  # the same cache entry under a second name (a copy of a ledger): its own scan
    for u in units:
        if u.path in first:
            again.append(u)
        else:
            first[u.path] = u
    parts = [u.scan() for u in again]
    if first:
        paths = [str(p) for p in first]
        names = [u.file.relpath for u in first.values()]
        orders = [u.order for u in first.values()]
        src = pl.col("_src")
        scan = pl.scan_parquet(paths, include_file_paths="_src", hive_partitioning=False)
        scan = scan.with_columns(src.replace_strict(paths, names).alias(FILE), src.replace_strict(paths, orders, return_dtype=pl.Int32).alias(ORDER))
        parts.insert(0, scan.drop("_src"))
    frame = pl.concat(parts)  # callers give at least one unit
    return frame if only is None else frame.filter(pl.col("agency_code").is_in(only.implode()))


def _cross_file_stage(
    kind: str, units: list[_Unit], known: pl.Series | None, target: Path, work: Path, only: pl.Series | None = None
) -> tuple[list[pl.DataFrame], list[pl.DataFrame]]:
    """Cross-file rules for every agency or `only` these, and the latest version of every record (later file,
    then later row) written to `target`: one file per bucket for a ledger kind (lake.py), one file for a register.
    Returns the rejected rows and the accepted rows per (file, agency).

    A record's versions share its agency, hence its bucket: the rows are taken a few buckets at a time (bounded
    memory whatever the size of the raw root), and each batch is validated, reduced to its latest versions and
    written in one go. A file whose rows span several buckets is split by bucket once, beforehand."""
    units = [u for u in units if u.path is not None and u.rows]
    if only is not None:
        wanted = set(only.to_list())
        units = [u for u in units if u.agencies & wanted]
    issued = _first_issue(units, only) if kind == "disclosures" and units else None
    bad, counts, written = [], [], 0
    bucketed = kind in lake.BUCKETED
    if bucketed:
        target.mkdir(parents=True, exist_ok=True)
    with Writer() as writer:
        for batch in _bucket_batches(kind, units, only, work) if bucketed else [[_scan(units, only)] if units else []]:
            if not batch:
                continue
            frame = pl.concat(batch).collect()
            if known is not None:
                frame = frame.with_columns(pl.col("agency_code").is_in(known.implode()).alias("_agency_known"))
            if issued is not None:
                frame = frame.join(issued, on=["agency_code", "doc_number"], how="left", maintain_order="left")
            accepted, rejected = validate(frame, kind, CROSS_FILE_SCHEMAS[kind])
            bad.append(rejected)
            counts.append(accepted.group_by(pl.col(FILE).alias("path"), "agency_code").agg(pl.len().alias("rows")))
            kept = accepted.with_columns(DEFAULTS.get(kind, [])).with_columns(_sources()).select(*public_columns(kind), ORDER)
            if not bucketed:
                writer.submit(str(target), _latest(kept, kind).drop(ORDER).write_parquet, target, compression=LAKE_COMPRESSION)
                written += 1
                continue
            for bucket, rows in buckets.split(kept):
                path = target / buckets.file_name(bucket)
                writer.submit(str(path), _latest(rows, kind).drop(ORDER).write_parquet, path, compression=LAKE_COMPRESSION)
                written += 1
    if not written:  # no records: an empty file keeps the columns readable
        empty = _empty_typed(kind).with_columns(_sources()).select(*public_columns(kind))
        empty.write_parquet(target / "empty.parquet" if bucketed else target)
    return bad, counts


def _bucket_batches(kind: str, units: list[_Unit], only: pl.Series | None, work: Path) -> Iterator[list[pl.LazyFrame]]:
    """The rows of `units` as scans grouped by bucket, whole buckets per batch of about BATCH_ROWS rows."""
    wanted = None if only is None else set(only.to_list())
    per_bucket: dict[str, list[_Unit]] = {}
    split_parts: dict[str, list[Path]] = {}
    rows: dict[str, int] = {}
    spread = []
    for u in units:
        codes = u.agencies if wanted is None else u.agencies & wanted
        held = {buckets.bucket_of(c) for c in codes}
        if len(held) == 1:
            bucket = held.pop()
            per_bucket.setdefault(bucket, []).append(u)
            rows[bucket] = rows.get(bucket, 0) + u.rows
        else:  # several buckets (or unknown): split once by bucket
            spread.append(u)
    split = work / "split" / kind
    for n, batch in enumerate(_unit_batches(spread)):
        buckets.write(_scan(batch, only).collect(), split, part=n, compression=WORK_COMPRESSION)
    for bucket, files in buckets.listing(split).items():
        split_parts[bucket] = [f for _, _, f in files]
        per_bucket.setdefault(bucket, [])
        rows[bucket] = rows.get(bucket, 0) + BATCH_ROWS // 4  # not counted: a guess keeps batches bounded
    batch: list[_Unit] = []
    parts: list[Path] = []
    size = 0
    for bucket in sorted(per_bucket):
        batch += per_bucket[bucket]
        parts += split_parts.get(bucket, [])
        size += rows[bucket]
        if size >= BATCH_ROWS:
            yield _batch_scans(batch, parts, only)
            batch, parts, size = [], [], 0
    yield _batch_scans(batch, parts, only)


def _batch_scans(units: list[_Unit], parts: list[Path], only: pl.Series | None) -> list[pl.LazyFrame]:
    return ([_scan(units, only)] if units else []) + ([pl.scan_parquet(parts)] if parts else [])


def _sources() -> list[pl.Expr]:
    return [pl.col(FILE).alias("source_file"), pl.col(SHEET).alias("source_sheet"), pl.col(ROW).alias("source_row")]


def _latest(frame: pl.DataFrame, kind: str) -> pl.DataFrame:
    """The latest version of each record of `frame`; most records appear once, and only the repeated keys are sorted."""
    key = list(dict.fromkeys(["agency_code", *KINDS[kind].record_key]))
    repeated = frame.select(pl.struct(key).is_duplicated()).to_series()
    if not repeated.any():
        return frame
    versions = frame.filter(repeated).sort([ORDER, "source_row"], descending=True, maintain_order=True)
    return pl.concat([frame.filter(~repeated), versions.unique(key, keep="first", maintain_order=True)])


# ------------------------------------------------------------------- ingest


def ingest(
    files: list[LedgerFile],
    pii_key: bytes,
    progress: Callable[[str], None] | None = None,
    cache_dir: Path | None = None,
    out_dir: Path | None = None,
    previous: Path | None = None,
    today: dt.date | None = None,
) -> Ingested:
    """Validate every file; the latest records go to `out_dir/<kind>.parquet` (a temporary folder by default).

    With the per-file cache and the `previous` lake generation, only the agencies of changed files go through
    the cross-file stage again; everything else is carried over (see changes.py). The result is the same.
    `today`: the day of the run (default: today in Asia/Shanghai); a date after it is implausible."""
    today = today or clock.today()
    keep = None
    if out_dir is None:
        keep = tempfile.TemporaryDirectory(prefix="gongkai-ingest-")
        out_dir = Path(keep.name)
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix=".work-", dir=out_dir))
    try:
        fc = FileCache(cache_dir, pii_key) if cache_dir else None
        units = _read_stage(files, pii_key, fc, work, progress, today)
        code = f"{fc.salt}:{pl.__version__}" if fc else None
        # files not read hold no rows: nothing to carry over or redo for them
        read_units = [u for u in units if u.meta["status"] != "not_read"]
        now = changes.manifest([(u.file.relpath, u.manifest_key, u.file.mtime_ns, u.meta["kind"] or "") for u in read_units])
        prev = changes.previous(previous, code) if code else None
        plan = changes.plan(prev, now, {u.file.relpath: u.agencies for u in read_units})
        redo = plan.agencies
        paths: dict[str, Path] = {}
        cross_bad: list[pl.DataFrame] = []
        accepted: list[pl.DataFrame] = []
        prints: list[pl.LazyFrame | pl.DataFrame] = []
        known = None
        for kind in KIND_ORDER:
            only = None if kind in REGISTERS else redo  # the registers are small: always read whole
            paths[kind] = lake.table_path(out_dir, kind)
            fresh = paths[kind] if only is None else work / f"latest_{kind}"
            bad, counts = _cross_file_stage(kind, [u for u in units if u.meta["kind"] == kind], known, fresh, work, only)
            cross_bad += bad
            accepted += counts
            if only is None:
                prints.append(changes.record_prints(kind, buckets.scan(paths[kind])))
            else:
                buckets.carry_over(lake.table_path(prev.gen, kind), fresh, paths[kind], only)
                prints.append(changes.record_prints(kind, buckets.scan(fresh)).collect())  # before `work` goes
                prints.append(changes.carried(prev, changes.RECORD_PRINTS, only).filter(pl.col("kind") == kind))
            if kind == "agencies":
                known = pl.read_parquet(paths[kind], columns=["agency_code"]).get_column("agency_code")
        if redo is not None:  # the registers were redone whole above: carry over only the ledgers' rows
            register = now.filter(pl.col("kind").is_in(REGISTERS)).get_column("path").implode()
            cross_bad.append(changes.carried(prev, changes.CROSS_BAD, redo, plan.unchanged_paths).filter(~pl.col("kind").is_in(REGISTERS)).collect())
            accepted.append(changes.carried(prev, changes.ACCEPTED, redo, plan.unchanged_paths).filter(~pl.col("path").is_in(register)).collect())
    finally:
        shutil.rmtree(work, ignore_errors=True)
    records = Records(paths, keep)
    cross = _concat(cross_bad, quarantine.SCHEMA)
    per_agency = _concat(accepted, changes.ACCEPTED_SCHEMA)
    bad_rows = _concat([u.quarantined for u in units] + [cross], quarantine.SCHEMA)
    bad_rows = quarantine.mark_superseded(bad_rows, records, {u.file.relpath: u.order for u in units})
    rejected = attribution.attribute(
        pl.DataFrame(
            [
                (u.file.relpath, u.key, u.meta["kind"], u.meta["error_rule"], *_error_parts(u.meta))
                for u in units
                if u.meta["status"] == "rejected" and u.meta["kind"] != "agencies"
            ],
            schema={"path": pl.String, "key": pl.String, "kind": pl.String, "error_rule": pl.String, "error_zh": pl.String, "error_en": pl.String},
            orient="row",
        ),
        records["agencies"],
        previous,
        today.year,
    )
    # what the next run carries over and attributes by, and what the tables compare with
    now.write_parquet(out_dir / changes.MANIFEST)
    cross.write_parquet(out_dir / changes.CROSS_BAD)
    per_agency.write_parquet(out_dir / changes.ACCEPTED)
    attribution.holdings([(u.file.relpath, u.key, u.meta.get("holdings") or []) for u in read_units]).write_parquet(out_dir / attribution.HOLDINGS)
    rejected.write_parquet(out_dir / attribution.REJECTED)
    record_prints = pl.concat([p.lazy().cast(changes.PRINT_SCHEMA) for p in prints]).collect()
    record_prints.write_parquet(out_dir / changes.RECORD_PRINTS)
    fingerprints = changes.fingerprints([record_prints, changes.quarantine_prints(bad_rows, known, per_agency, now), changes.rejected_prints(rejected)])
    fingerprints.write_parquet(out_dir / changes.FINGERPRINTS)
    earliest = changes.earliest_changed_year(previous, fingerprints)
    changes.write_changes(
        out_dir,
        {
            "code": code,
            "previous": previous.name if previous else None,
            "files_changed": plan.files_changed,
            "agencies_redone": None if redo is None else redo.len(),
            "earliest_changed_year": earliest,
        },
    )
    accounted = dict(per_agency.group_by("path").agg(pl.col("rows").sum()).iter_rows())
    if fc:  # entries of ledgers that changed or vanished go: they may hold what a clerk corrected away
        fc.prune({u.key for u in units if u.key})
    return Ingested(
        records,
        bad_rows,
        _accounting(units, bad_rows, accounted),
        fc.hits if fc else 0,
        fc.misses if fc else len(read_units),
        None if redo is None else redo.len(),
        earliest,
        rejected,
        {u.file.relpath: u.meta.get("headers") or {} for u in units},
    )


def _concat(frames: list[pl.DataFrame], schema: dict) -> pl.DataFrame:
    frames = [f for f in frames if f.height]
    return pl.concat([f.cast(schema) for f in frames], how="vertical") if frames else pl.DataFrame(schema=schema)


def _error_parts(meta: dict) -> tuple[str, str]:
    """Why a file was rejected or not read: (Chinese, English)."""
    r = FILE_RULES[meta["error_rule"]]
    detail = meta.get("error_detail") or ""
    return r.zh.format(detail=detail), r.en.format(detail=meta.get("error_detail_en") or detail)


def _error_text(meta: dict) -> str | None:
    return " / ".join(_error_parts(meta)) if meta.get("error_rule") else None


def _sheets_text(meta: dict) -> tuple[str | None, str | None]:
    """(the sheets read, with their header row; the sheets passed over and why)."""
    sheets = meta.get("sheets") or []
    read = [f"{s['name']}（表头第{s['header_row']}行 / header row {s['header_row']}）" for s in sheets if s["header_row"] is not None]
    passed = [f"工作表「{s['name']}」/ sheet '{s['name']}': {s['note']}" for s in sheets if s["header_row"] is None]
    return ("；".join(read) or None, "；".join(passed) or None)


def _accounting(units: list[_Unit], bad_rows: pl.DataFrame, accepted: dict[str, int]) -> pl.DataFrame:
    """Per file: rows read, and accepted, quarantined and total rows counted independently (so their sum is a
    real check)."""
    quarantined = dict(bad_rows.group_by("path").len().iter_rows())
    rows = []
    for u in units:
        m = u.meta
        n = m["rows"]
        sheets, note = _sheets_text(m)
        rows.append(
            {
                "path": u.file.relpath,
                "kind": m["kind"] or None,
                "status": m["status"],
                "encoding": m.get("encoding"),
                "rows": n,
                "accepted": None if n is None else accepted.get(u.file.relpath, 0),
                "quarantined": None if n is None else quarantined.get(u.file.relpath, 0),
                "total_rows": None if n is None else m.get("total_rows", 0),
                "error_rule": m["error_rule"],
                "error": _error_text(m),
                "sheets": sheets,
                "note": note,
            }
        )
    return pl.DataFrame(rows, schema=FILES_SCHEMA)
