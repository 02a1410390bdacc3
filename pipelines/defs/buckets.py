"""Large tables as one Parquet file per *bucket*: the city-level division in the agency's code (GB 32100
characters 3–6). One county's ledgers land in one bucket, so when a few agencies change a run rewrites a
few files and hard-links the rest from the previous version (the lake, the tables store).

Layout: `<table>/_bucket=<4 digits>/data_0.parquet` (DuckDB's PARTITION_BY layout), or one
`<table>/empty.parquet` when the table has no rows. Read with `scan` (never as hive partitions: the bucket
is not a column).
"""

import os
import shutil
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import polars as pl

SQL = "substr(agency_code, 3, 4)"  # the same in DuckDB as bucket_of
PREFIX = "_bucket="
FILE = "data_0.parquet"


def bucket_of(agency_code: str) -> str:
    return agency_code[2:6]


def scan(path: Path) -> pl.LazyFrame:
    """A bucketed table folder, or a plain Parquet file."""
    path = Path(path)
    return pl.scan_parquet(path / "**" / "*.parquet", hive_partitioning=False) if path.is_dir() else pl.scan_parquet(path)


def files_of(path: Path, wanted: set[str]) -> list[str]:
    """The Parquet files of a bucketed table that may hold rows of the `wanted` buckets (every file of theirs,
    and a row-less table's one file), sorted."""
    path = Path(path)
    found = [f for b in sorted(wanted) for f in _files(path / f"{PREFIX}{b}")]
    return [str(f) for f in found + ([path / "empty.parquet"] if (path / "empty.parquet").exists() else [])]


def split(frame: pl.DataFrame) -> Iterator[tuple[str, pl.DataFrame]]:
    """(bucket, its rows) for each bucket the frame's agencies fall in."""
    keyed = frame.with_columns(pl.col("agency_code").str.slice(2, 4).alias("_bucket"))  # bucket_of, vectorized
    for (bucket,), rows in keyed.partition_by("_bucket", as_dict=True, include_key=False).items():
        yield str(bucket), rows


def write(frame: pl.DataFrame, target: Path, part: int = 0, compression: str = "lz4") -> None:
    """A frame (or one piece of a larger table: `part`) into its buckets, one file per bucket and part (lz4: these
    files are written by every run and read by the next stage; writing fast beats writing small)."""
    target.mkdir(parents=True, exist_ok=True)
    for bucket, rows in split(frame):
        folder = target / f"{PREFIX}{bucket}"
        folder.mkdir(exist_ok=True)
        rows.write_parquet(folder / f"data_{part}.parquet", compression=compression)


def finish(target: Path, columns: pl.DataFrame) -> None:
    """A table that got no rows still reads, with its columns."""
    target.mkdir(parents=True, exist_ok=True)
    if not any(target.iterdir()):
        columns.clear().write_parquet(target / "empty.parquet")


def carry_over(before: Path, fresh: Path, target: Path, redo: pl.Series) -> None:
    """`target` = `before` with the rows of the `redo` agencies replaced by those in `fresh` (both bucketed).
    Buckets without a redone agency are hard-linked, the others rewritten: a batch of buckets' queries run
    together (`collect_all`) and written by two threads (one bucket after the other cost about 4 ms each, most
    of a national nightly run's carry-over)."""
    touched = {bucket_of(c) for c in redo.to_list()}
    target.mkdir(parents=True, exist_ok=True)
    # `before` missing or in an older layout: the caller redoes every agency then (its code version changed)
    kept = {p.name for p in before.iterdir() if p.is_dir()} if before.is_dir() else set()
    names = kept | {p.name for p in fresh.iterdir() if p.is_dir()}
    rewrite: list[tuple[str, list[Path], list[Path]]] = []  # per rewritten bucket: its folder, its old files, its fresh files
    for name in sorted(names):
        old, new, out = before / name, fresh / name, target / name
        out.mkdir()
        if name.removeprefix(PREFIX) not in touched and old.is_dir():
            for f in old.iterdir():
                _link(f, out / f.name)
            continue
        olds, news = _files(old), _files(new)
        if olds or news:
            rewrite.append((name, olds, news))
    gone = redo.implode()
    with ThreadPoolExecutor(max_workers=2, thread_name_prefix="gongkai-buckets") as pool:
        for batch in _by_size(rewrite):
            # a bucket whose agencies were all redone away still gets its (row-less) file, with the columns
            queries = [
                pl.concat(
                    ([pl.scan_parquet(old, hive_partitioning=False).filter(~pl.col("agency_code").is_in(gone))] if old else [])
                    + ([pl.scan_parquet(new, hive_partitioning=False)] if new else [])
                )
                for _, old, new in batch
            ]
            frames = pl.collect_all(queries)
            list(pool.map(lambda name, frame: frame.write_parquet(target / name / FILE, compression="lz4"), [n for n, _, _ in batch], frames))
    if not names:
        scan(fresh).sink_parquet(target / "empty.parquet")


REWRITE_BYTES = 32 << 20  # Parquet read per batch of rewritten buckets: bounds memory (a few hundred MB)


def _files(folder: Path) -> list[Path]:
    return sorted(folder.glob("*.parquet")) if folder.is_dir() else []


def _by_size(items: list[tuple[str, list[Path], list[Path]]]) -> Iterator[list[tuple[str, list[Path], list[Path]]]]:
    batch, size = [], 0
    for item in items:
        batch.append(item)
        size += sum(f.stat().st_size for f in item[1] + item[2])
        if size >= REWRITE_BYTES:
            yield batch
            batch, size = [], 0
    if batch:
        yield batch


def _link(src: Path, dst: Path) -> None:
    try:
        os.link(src, dst)
    except OSError:  # another file system: copy
        shutil.copyfile(src, dst)
