"""Large tables as Parquet files per *bucket*: the city-level division in the agency's code (GB 32100
characters 3–6). One county's ledgers land in one bucket, so when a few agencies change, a run touches a few
buckets and hard-links every other file from the previous version (the lake, the tables store).

Layout: one folder per table holding `<bucket>_<gen>_<part>.parquet` files (`3707_0_0.parquet`), or one
`empty.parquet` when the table has no rows. Files, not a folder per bucket: a run links a table's files into
its new version, and creating and removing a folder per bucket cost more than the linking (about 2 s of a
national nightly run). Read with `scan` or `live_files`; `listing` also reads the earlier layout
(`_bucket=<bucket>/data_<part>.parquet`).

A nightly run does not rewrite a touched bucket: it adds the redone agencies' rows to it as files of a new
*generation* (the first files are generation 0), and records in `<table>/_superseded.ipc` (agency_code, gen)
that the agency's rows in files of an earlier generation are no longer live. Readers leave those rows out. A
bucket is rewritten with its live rows only (generation 0 again) once it holds GENS_PER_BUCKET generations,
or one of the oldest when the table holds more than GENS_PER_TABLE, so readers stay a few scans; the rows a
reader sees are the same either way.
"""

import os
import shutil
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import polars as pl

OLD_PREFIX = "_bucket="  # the earlier layout: a folder per bucket
SUPERSEDED = "_superseded.ipc"  # not .parquet: a scan of `*.parquet` must not read it
SUPERSEDED_SCHEMA = {"agency_code": pl.String, "gen": pl.Int32}
GENS_PER_BUCKET = 4  # generations a bucket may hold (each one more scan for the readers) before it is rewritten
GENS_PER_TABLE = 8  # past this many in a table, the buckets holding the oldest ones are rewritten

File = tuple[int, int, Path]  # a bucket's file: (generation, part, path)


def bucket_of(agency_code: str) -> str:
    return agency_code[2:6]


def buckets_of(codes: pl.Expr | pl.Series) -> pl.Expr | pl.Series:
    """bucket_of, vectorized."""
    return codes.str.slice(2, 4)


def file_name(bucket: str, gen: int = 0, part: int = 0) -> str:
    return f"{bucket}_{gen}_{part}.parquet"


def _parsed(name: str) -> tuple[str, int, int] | None:
    """(bucket, gen, part) of a bucket file's name; the bucket may hold letters (a code's characters 3–6 are
    checked for the code's alphabet, not for digits)."""
    pieces = name.removesuffix(".parquet").rsplit("_", 2)
    if name.endswith(".parquet") and len(pieces) == 3 and pieces[0] and pieces[1].isdigit() and pieces[2].isdigit():
        return pieces[0], int(pieces[1]), int(pieces[2])
    return None


def listing(path: Path) -> dict[str, list[File]]:
    """Each bucket's files, by generation then part (a row-less table's `empty.parquet` is in no bucket)."""
    out: dict[str, list[File]] = {}
    if not Path(path).is_dir():
        return out
    for entry in os.scandir(path):
        if entry.is_file() and (found := _parsed(entry.name)):
            out.setdefault(found[0], []).append((found[1], found[2], Path(entry.path)))
        elif entry.is_dir() and entry.name.startswith(OLD_PREFIX):
            bucket = entry.name.removeprefix(OLD_PREFIX)
            for f in os.scandir(entry.path):
                if f.name.startswith("data_") and f.name.endswith(".parquet"):
                    out.setdefault(bucket, []).append((0, int(f.name[5:].removesuffix(".parquet")), Path(f.path)))
    return {bucket: sorted(files) for bucket, files in sorted(out.items())}


def superseded(path: Path) -> pl.DataFrame:
    """(agency_code, gen): the agency's rows in files of a generation before `gen` are not live (none: all are)."""
    found = Path(path) / SUPERSEDED
    return pl.read_ipc(found) if found.exists() else pl.DataFrame(schema=SUPERSEDED_SCHEMA)


def scan(path: Path) -> pl.LazyFrame:
    """The live rows of a bucketed table folder, or a plain Parquet file."""
    path = Path(path)
    if not path.is_dir():
        return pl.scan_parquet(path)
    if not (path / SUPERSEDED).exists():  # no generation after the first: every row is live
        return pl.scan_parquet(path / "**" / "*.parquet", hive_partitioning=False)
    files = [(b, f) for b, fs in listing(path).items() for f in fs] + _empty(path)
    return pl.concat(_scans(_groups(files, superseded(path))), how="vertical")


def live_files(path: Path, agencies: pl.Series) -> list[tuple[list[str], list[str]]]:
    """What may hold live rows of `agencies` (distinct codes), for a reader that is not Polars (the warehouse
    load): groups of files (of their buckets, and a row-less table's one file), each with the agencies whose rows
    in it are not live. A generation older than the last redo of each of them is not read."""
    if not agencies.len():
        return []
    path = Path(path)
    found = listing(path)
    wanted = buckets_of(agencies).unique().sort().to_list()  # vectorized: a first load names them all
    files = [(b, f) for b in wanted for f in found.get(b, [])] + _empty(path)
    return [([str(f) for f in group], dead.to_list()) for group, dead in _groups(files, superseded(path), agencies)]


def _empty(path: Path) -> list[tuple[str, File]]:
    return [("", (0, 0, path / "empty.parquet"))] if (path / "empty.parquet").exists() else []


def _groups(files: list[tuple[str, File]], gone: pl.DataFrame, agencies: pl.Series | None = None) -> list[tuple[list[Path], pl.Series]]:
    """The files as groups to read each in one scan, older generations first: per generation, the files of the
    buckets where an agency was redone since (read without those agencies' rows) and the others (read whole: most
    of a table). With `agencies`, only what may hold their live rows."""
    floor = 0
    if agencies is not None:
        gone = gone.filter(pl.col("agency_code").is_in(agencies.implode()))
        # no generation below the earliest of their last redos holds a live row of theirs (no redo: 0)
        floor = 0 if gone.height < agencies.len() else int(gone.get_column("gen").min() or 0)
    by_gen: dict[int, list[tuple[str, Path]]] = {}
    for bucket, (gen, _, path) in files:
        by_gen.setdefault(gen, []).append((bucket, path))
    out: list[tuple[list[Path], pl.Series]] = []
    for gen in sorted(g for g in by_gen if g >= floor):
        dead = gone.filter(pl.col("gen") > gen).get_column("agency_code").sort()
        dirty = set(buckets_of(dead).unique().to_list())
        whole = [p for b, p in by_gen[gen] if b not in dirty]
        partly = [p for b, p in by_gen[gen] if b in dirty]
        out += [(whole, dead.clear())] if whole else []
        out += [(partly, dead)] if partly else []
    return out


def _scans(groups: list[tuple[list[Path], pl.Series]]) -> list[pl.LazyFrame]:
    out = []
    for files, dead in groups:
        rows = pl.scan_parquet(files, hive_partitioning=False)
        out.append(rows.filter(~pl.col("agency_code").is_in(dead.implode())) if dead.len() else rows)
    return out


def split(frame: pl.DataFrame) -> Iterator[tuple[str, pl.DataFrame]]:
    """(bucket, its rows) for each bucket the frame's agencies fall in."""
    keyed = frame.with_columns(buckets_of(pl.col("agency_code")).alias("_bucket"))
    for (bucket,), rows in keyed.partition_by("_bucket", as_dict=True, include_key=False).items():
        yield str(bucket), rows


def write(frame: pl.DataFrame, target: Path, part: int = 0, compression: str = "lz4") -> None:
    """A frame (or one piece of a larger table: `part`) into its buckets, one file per bucket and part (lz4: these
    files are written by every run and read by the next stage; writing fast beats writing small)."""
    target.mkdir(parents=True, exist_ok=True)
    for bucket, rows in split(frame):
        rows.write_parquet(target / file_name(bucket, 0, part), compression=compression)


def finish(target: Path, columns: pl.DataFrame) -> None:
    """A table that got no rows still reads, with its columns."""
    target.mkdir(parents=True, exist_ok=True)
    if not any(target.iterdir()):
        columns.clear().write_parquet(target / "empty.parquet")


def carry_over(before: Path, fresh: Path, target: Path, redo: pl.Series) -> None:
    """`target` = `before` with the live rows of the `redo` agencies replaced by those in `fresh` (both bucketed).

    Every file of `before` is hard-linked; in a bucket that had files, the fresh rows come in as files of a new
    generation and the redone agencies' older rows are marked superseded (a nightly run writes only what changed).
    A bucket that would then hold more than GENS_PER_BUCKET generations, or one of the oldest when the table's
    buckets hold more than GENS_PER_TABLE, is rewritten instead: its live rows in one file (a batch of buckets'
    queries run together, written by two threads). A rewritten or new bucket holds live rows only: generation 0."""
    target.mkdir(parents=True, exist_ok=True)
    # `before` missing: the caller redoes every agency then (the first run, or its code version changed)
    olds, news = listing(before), listing(fresh)
    names = sorted(olds.keys() | news.keys())
    gone = superseded(before)
    gen = 1 + max([g for files in olds.values() for g, _, _ in files] + gone.get_column("gen").to_list() + [0])
    redone = redo.unique()
    now = redone.to_frame("agency_code").cast(pl.String).with_columns(pl.lit(gen, pl.Int32).alias("gen"))
    gone = pl.concat([gone.filter(~pl.col("agency_code").is_in(redone.implode())), now])
    gens = {b: {g for g, _, _ in olds.get(b, [])} | ({gen} if news.get(b) else set()) for b in names}
    patches = sorted(set().union(set(), *gens.values()) - {0})
    oldest = set(patches[: len(patches) - GENS_PER_TABLE // 2]) if len(patches) > GENS_PER_TABLE else set()
    rewrite = [b for b in names if olds.get(b) and (len(gens[b]) > GENS_PER_BUCKET or gens[b] & oldest)]
    first: dict[str, int] = {}  # per bucket that keeps older files: its oldest generation
    for b in names:
        if b in rewrite:
            continue
        if not olds.get(b):  # a new bucket: its fresh rows are all there is
            for _, part, f in news[b]:
                _link(f, target / file_name(b, 0, part))
            continue
        for g, part, f in olds[b]:
            _link(f, target / file_name(b, g, part))
        for _, part, f in news.get(b, []):
            _link(f, target / file_name(b, gen, part))
        first[b] = olds[b][0][0]
    _rewrite([(b, olds[b], news.get(b, [])) for b in rewrite], gone, target)
    if not names:
        scan(fresh).sink_parquet(target / "empty.parquet")
    # an agency's entry is needed while its bucket holds a file older than it
    first_of = pl.DataFrame({"bucket": list(first), "first": list(first.values())}, schema={"bucket": pl.String, "first": pl.Int32})
    needed = (
        gone.with_columns(buckets_of(pl.col("agency_code")).alias("bucket"))
        .join(first_of, on="bucket", how="inner")
        .filter(pl.col("gen") > pl.col("first"))
        .select(SUPERSEDED_SCHEMA.keys())
    )
    if needed.height:
        needed.sort("agency_code").write_ipc(target / SUPERSEDED)


def _rewrite(items: list[tuple[str, list[File], list[File]]], gone: pl.DataFrame, target: Path) -> None:
    """Each bucket's live rows (older generations first, then the fresh rows) into one file; a bucket whose agencies
    were all redone away still gets its (row-less) file, with the columns."""
    with ThreadPoolExecutor(max_workers=2, thread_name_prefix="gongkai-buckets") as pool:
        for batch in _by_size(items):
            queries = [
                pl.concat(
                    _scans(_groups([(b, f) for f in old], gone)) + ([pl.scan_parquet([p for _, _, p in new], hive_partitioning=False)] if new else []),
                    how="vertical",
                )
                for b, old, new in batch
            ]
            frames = pl.collect_all(queries)
            list(pool.map(lambda bucket, frame: frame.write_parquet(target / file_name(bucket), compression="lz4"), [b for b, _, _ in batch], frames))


REWRITE_BYTES = 32 << 20  # Parquet read per batch of rewritten buckets: bounds memory (a few hundred MB)


def _by_size(items: list[tuple[str, list[File], list[File]]]) -> Iterator[list[tuple[str, list[File], list[File]]]]:
    batch, size = [], 0
    for item in items:
        batch.append(item)
        size += sum(f.stat().st_size for _, _, f in item[1] + item[2])
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
