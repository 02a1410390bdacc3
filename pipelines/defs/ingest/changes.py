"""What changed since the previous lake generation, so a nightly run redoes only that.

Every cross-file step of ingestion works per agency (an agency's code is known
or not; a repeal points back to the same agency's 文号; the latest export of a
record wins among the same agency's records). So when a few files changed, only
the agencies those files touch — in their new rows and in what the previous
generation took from them — need the cross-file stage again; every other
agency's records, cross-file quarantine and accepted counts are carried over.

Each generation also keeps *fingerprints*: per agency and year, an XOR of the
hashes of the rows that can change that agency's tables or completeness from
that year on (its records by their earliest date, its quarantined rows, its
register row, its entries in the submissions register, the rejected files
attributed to it). The
tables and the warehouse compare them with what they were computed from and
redo only the agencies whose inputs differ (pipelines/defs/tables/inputs.py).
"""

import json
from dataclasses import dataclass
from pathlib import Path

import polars as pl

from pipelines.defs import buckets
from pipelines.defs.ingest import lake
from schemas.columns import LEDGER_KINDS, REGISTERS

MANIFEST = "manifest.parquet"  # the files a generation was built from
CROSS_BAD = "cross_quarantine.parquet"  # rows the cross-file rules rejected
ACCEPTED = "accepted.parquet"  # rows accepted per (file, agency), before later exports replace records
RECORD_PRINTS = "record_fingerprints.parquet"  # per kind, agency and earliest year
FINGERPRINTS = "fingerprints.parquet"  # per agency and year: records and quarantine together
CHANGES = "changes.json"
ALL_YEARS = 0  # a row with no date (the agency register, an unreadable date) concerns every year
SEED = 20_190_515  # row hashes are stable for one polars version; `code` (cache.code_version) pins it

MANIFEST_SCHEMA = {"path": pl.String, "key": pl.String, "mtime_ns": pl.Int64, "kind": pl.String}
ACCEPTED_SCHEMA = {"path": pl.String, "agency_code": pl.String, "rows": pl.Int64}
PRINT_SCHEMA = {"kind": pl.String, "agency_code": pl.String, "year": pl.Int32, "h": pl.UInt64}
DATES = {"disclosures": ("published_on",), "applications": ("received_on", "closed_on"), "appeals": ("filed_on", "concluded_on")}


@dataclass
class Previous:
    gen: Path
    manifest: pl.DataFrame


@dataclass
class Plan:
    """`agencies` to redo (None: everything); files whose results carry over unchanged."""

    agencies: pl.Series | None
    unchanged_paths: pl.Series
    files_changed: int


def manifest(rows: list[tuple[str, str | None, int, str]]) -> pl.DataFrame:
    return pl.DataFrame(rows, schema=MANIFEST_SCHEMA, orient="row")


def previous(gen: Path | None, code: str) -> Previous | None:
    """The previous generation, when it was built by the same code and holds what carrying over needs."""
    if gen is None:
        return None
    try:
        info = json.loads((gen / CHANGES).read_text())
    except (OSError, ValueError):
        return None
    needed = [gen / n for n in (MANIFEST, CROSS_BAD, ACCEPTED, RECORD_PRINTS)] + [lake.table_path(gen, k) for k in (*REGISTERS, *LEDGER_KINDS)]
    if info.get("code") != code or not all(p.exists() for p in needed):
        return None
    return Previous(gen, pl.read_parquet(gen / MANIFEST))


def plan(prev: Previous | None, now: pl.DataFrame, new_agencies: dict[str, set[str]]) -> Plan:
    """Which agencies to redo. `new_agencies`: per file of this run, the agencies of its accepted rows.

    A file is unchanged when its path, content and modification time (its place in export order) are the
    same. The agencies to redo are those in the changed files' new rows and in the rows the previous
    generation took from the changed or removed files (records and cross-file rejections)."""
    if prev is None or now.get_column("key").null_count():
        return Plan(None, now.clear().get_column("path"), now.height)
    cols = ["path", "key", "mtime_ns"]
    unchanged = now.join(prev.manifest, on=cols, how="semi").get_column("path")
    changed = now.join(prev.manifest, on=cols, how="anti").get_column("path")
    gone = prev.manifest.join(now, on=cols, how="anti").get_column("path")
    if changed.len() > now.height // 4:  # redoing most agencies through the carry-over costs more than a full run
        return Plan(None, now.clear().get_column("path"), changed.len())
    touched = pl.concat([changed, gone]).unique().implode()
    codes: set[str] = set()
    for path in changed.to_list():
        codes |= new_agencies.get(path, set())
    old = [
        buckets.scan(lake.table_path(prev.gen, k)).filter(pl.col("source_file").is_in(touched)).select("agency_code") for k in (*REGISTERS, *LEDGER_KINDS)
    ] + [pl.scan_parquet(prev.gen / CROSS_BAD).filter(pl.col("path").is_in(touched)).select("agency_code")]
    codes |= set(pl.concat(old).drop_nulls().unique().collect().get_column("agency_code").to_list())
    return Plan(pl.Series("agency_code", sorted(codes), dtype=pl.String), unchanged, changed.len())


def carried(prev: Previous, name: str, agencies: pl.Series, unchanged_paths: pl.Series | None = None) -> pl.LazyFrame:
    """Rows of a previous generation's table that this run keeps: other agencies' (from unchanged files)."""
    frame = pl.scan_parquet(prev.gen / name).filter(~pl.col("agency_code").is_in(agencies.implode()).fill_null(False))
    if unchanged_paths is not None:
        frame = frame.filter(pl.col("path").is_in(unchanged_paths.implode()))
    return frame


# -------------------------------------------------------------- fingerprints


def _row_hash(frame: pl.LazyFrame) -> pl.Expr:
    return pl.struct(frame.collect_schema().names()).hash(SEED)


def record_prints(kind: str, records: pl.LazyFrame) -> pl.LazyFrame:
    """Per agency and earliest year of the row's dates (a register entry: its year): the XOR of its rows' hashes."""
    dates = DATES.get(kind, ())
    if kind == "submissions":
        year = pl.col("year").fill_null(ALL_YEARS)
    else:
        year = pl.min_horizontal([pl.col(c).dt.year() for c in dates]).fill_null(ALL_YEARS) if dates else pl.lit(ALL_YEARS)
    return (
        records.select(pl.lit(kind).alias("kind"), "agency_code", year.cast(pl.Int32).alias("year"), _row_hash(records).alias("h"))
        .group_by("kind", "agency_code", "year")
        .agg(pl.col("h").bitwise_xor())
    )


def quarantine_prints(quarantine: pl.DataFrame, registered: pl.Series, accepted: pl.DataFrame, manifest_now: pl.DataFrame) -> pl.DataFrame:
    """Quarantined rows, attributed as the tables attribute them: to their agency, or — when their code is
    unusable — to every agency of their file. The file's content key is part of the hash, because the
    years such a row is counted in come from the other rows of its file."""
    known = registered.unique().to_frame("agency_code")
    q = quarantine.lazy().with_columns(pl.col("year").fill_null(ALL_YEARS).cast(pl.Int32))
    q = q.join(manifest_now.lazy().select("path", "key"), on="path", how="left")
    q = q.select("path", "agency_code", "year", pl.struct(quarantine.columns + ["key"]).hash(SEED).alias("h"))
    own = q.join(known.lazy(), on="agency_code", how="semi")
    orphans = (
        q.join(known.lazy(), on="agency_code", how="anti")
        .drop("agency_code")
        .join(accepted.lazy().select("path", "agency_code").unique(), on="path", how="inner")
    )
    return (
        pl.concat([own, orphans.select(own.collect_schema().names())])
        .group_by("agency_code", "year")
        .agg(pl.col("h").bitwise_xor())
        .select(pl.lit("quarantine").alias("kind"), "agency_code", "year", "h")
        .collect()
        .cast(PRINT_SCHEMA)
    )


def rejected_prints(rejected: pl.DataFrame) -> pl.DataFrame:
    """Rejected files, by the agency-years they are attributed to (every year: ALL_YEARS)."""
    return (
        rejected.lazy()
        .select("agency_code", pl.col("year").fill_null(ALL_YEARS).cast(pl.Int32), pl.struct(rejected.columns).hash(SEED).alias("h"))
        .group_by("agency_code", "year")
        .agg(pl.col("h").bitwise_xor())
        .select(pl.lit("rejected").alias("kind"), "agency_code", "year", "h")
        .collect()
        .cast(PRINT_SCHEMA)
    )


def fingerprints(parts: list[pl.LazyFrame | pl.DataFrame]) -> pl.DataFrame:
    return (
        pl.concat([p.lazy().cast(PRINT_SCHEMA) for p in parts])
        .group_by("agency_code", "year")
        .agg(pl.col("h").bitwise_xor())
        .sort("agency_code", "year")
        .collect()
    )


def earliest_changed_year(before: Path | None, after: pl.DataFrame) -> int | None:
    """The first year whose inputs differ between two generations (ALL_YEARS: every year; None: none)."""
    if before is None or not (before / FINGERPRINTS).exists():
        return ALL_YEARS
    old = pl.read_parquet(before / FINGERPRINTS)
    diff = old.join(after, on=["agency_code", "year"], how="full", coalesce=True, suffix="_new").filter(pl.col("h").ne_missing(pl.col("h_new")))
    return None if diff.is_empty() else int(diff.get_column("year").min())


def write_changes(gen: Path, info: dict) -> None:
    (gen / CHANGES).write_text(json.dumps(info, ensure_ascii=False, indent=1))


def read_changes(gen: Path) -> dict:
    try:
        return json.loads((gen / CHANGES).read_text())
    except (OSError, ValueError):
        return {}
