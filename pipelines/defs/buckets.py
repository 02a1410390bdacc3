"""Large tables as Parquet files per *bucket*: the city-level division in the agency's code (GB 32100
characters 3–6). One county's ledgers land in one bucket, so when a few agencies change, a run touches a few
buckets and hard-links the rest from the previous version (the lake, the tables store).

Layout: `<table>/_bucket=<4 digits>/data_<part>.parquet` (DuckDB's PARTITION_BY layout), or one
`<table>/empty.parquet` when the table has no rows. Read with `scan` or `live_files` (never as hive
partitions: the bucket is not a column).

A nightly run does not rewrite a touched bucket: it adds the redone agencies' rows as a *part* of a new
generation, `g<gen>_<part>.parquet` (the first files are generation 0), and records in
`<table>/_superseded.ipc` (agency_code, gen) that the agency's rows in files of an earlier generation are
no longer live. Readers apply that list. A bucket is rewritten (compacted) once it holds GENS_PER_BUCKET
generations, and the oldest generations are compacted away once a table holds GENS_PER_TABLE of them, so
the list and the number of files stay small; the rows a reader sees are the same either way.
"""

import os
import shutil
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import polars as pl

PREFIX = "_bucket="
FILE = "data_0.parquet"
SUPERSEDED = "_superseded.ipc"  # not .parquet: a scan of `**/*.parquet` must not read it
SUPERSEDED_SCHEMA = {"agency_code": pl.String, "gen": pl.Int32}
# generations a bucket may hold (each one more group for the readers) before it is rewritten whole
GENS_PER_BUCKET = 4
GENS_PER_TABLE = 8  # past this, the buckets holding the oldest ones are rewritten


def bucket_of(agency_code: str) -> str:
    return agency_code[2:6]


def gen_of(file: Path | str) -> int:
    """The generation of a bucket file: `data_<part>` 0, `g<gen>_<part>` gen."""
    name = Path(file).name
    return int(name[1:].partition("_")[0]) if name.startswith("g") else 0


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
    return pl.concat(_scans(_groups(_all_files(path), superseded(path))), how="vertical")


def live_files(path: Path, agencies: list[str]) -> list[tuple[list[str], list[str]]]:
    """What may hold live rows of `agencies`, for a reader that is not Polars (the warehouse load): groups of
    files (of their buckets, and a row-less table's one file), each with the agencies whose rows in it are not
    live. A generation older than the last redo of each of them is not read."""
    if not agencies:
        return []
    path = Path(path)
    found = [f for b in sorted({bucket_of(a) for a in agencies}) for f in _files(path / f"{PREFIX}{b}")]
    found += [path / "empty.parquet"] if (path / "empty.parquet").exists() else []
    return [([str(f) for f in files], dead.to_list()) for files, dead in _groups(found, superseded(path), agencies)]


def _all_files(path: Path) -> list[Path]:
    found = [Path(b.path) / f.name for b in os.scandir(path) if b.is_dir() for f in os.scandir(b.path) if f.name.endswith(".parquet")]
    return sorted(found) + ([path / "empty.parquet"] if (path / "empty.parquet").exists() else [])


def _groups(files: list[Path], gone: pl.DataFrame, agencies: list[str] | None = None) -> list[tuple[list[Path], pl.Series]]:
    """The files as groups to read each in one scan, older generations first: per generation, the files of the
    buckets where an agency was redone since (read without those agencies' rows) and the others (read whole: most
    of a table). With `agencies`, only what may hold their live rows."""
    floor = 0
    if agencies is not None:
        gone = gone.filter(pl.col("agency_code").is_in(pl.Series(agencies, dtype=pl.String).implode()))
        # no generation below the earliest of their last redos holds a live row of theirs (no redo: 0)
        floor = 0 if gone.height < len(set(agencies)) else int(gone.get_column("gen").min() or 0)
    by_gen: dict[int, list[Path]] = {}
    for f in files:
        by_gen.setdefault(gen_of(f), []).append(f)
    out: list[tuple[list[Path], pl.Series]] = []
    for gen in sorted(g for g in by_gen if g >= floor):
        dead = gone.filter(pl.col("gen") > gen).get_column("agency_code").sort()
        dirty = set(dead.str.slice(2, 4).unique().to_list())  # bucket_of, vectorized
        whole = [f for f in by_gen[gen] if f.parent.name.removeprefix(PREFIX) not in dirty]
        partly = [f for f in by_gen[gen] if f.parent.name.removeprefix(PREFIX) in dirty]
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
    """`target` = `before` with the live rows of the `redo` agencies replaced by those in `fresh` (both bucketed).

    Every file of `before` is hard-linked; in a bucket that had files, the fresh rows come in as parts of a new
    generation and the redone agencies' older rows are marked superseded (a nightly run writes only what changed).
    A bucket that would then hold more than GENS_PER_BUCKET generations, or one of the oldest when the table's
    buckets hold more than GENS_PER_TABLE, is rewritten instead: its live rows in one file (a batch of buckets'
    queries run together, written by two threads). A rewritten or new bucket holds live rows only: generation 0."""
    target.mkdir(parents=True, exist_ok=True)
    # `before` missing or in an older layout: the caller redoes every agency then (its code version changed)
    olds = {p.name: _files(p) for p in before.iterdir() if p.is_dir()} if before.is_dir() else {}
    news = {p.name: _files(p) for p in fresh.iterdir() if p.is_dir()}
    names = sorted(olds.keys() | news.keys())
    gone = superseded(before)
    gen = 1 + max([gen_of(f) for files in olds.values() for f in files] + gone.get_column("gen").to_list() + [0])
    redone = redo.unique()
    now = redone.to_frame("agency_code").cast(pl.String).with_columns(pl.lit(gen, pl.Int32).alias("gen"))
    gone = pl.concat([gone.filter(~pl.col("agency_code").is_in(redone.implode())), now])
    gens = {name: {gen_of(f) for f in olds.get(name, [])} | ({gen} if news.get(name) else set()) for name in names}
    patches = sorted(set().union(set(), *gens.values()) - {0})
    oldest = set(patches[: len(patches) - GENS_PER_TABLE // 2]) if len(patches) > GENS_PER_TABLE else set()
    rewrite = [name for name in names if olds.get(name) and (len(gens[name]) > GENS_PER_BUCKET or gens[name] & oldest)]
    clean = set(rewrite)  # no row in them is superseded
    for name in names:
        out = target / name
        out.mkdir()
        if name in clean:
            continue
        if not olds.get(name):  # a new bucket: its fresh rows are all there is
            clean.add(name)
            for f in news[name]:
                _link(f, out / f.name)
            continue
        for f in olds[name]:
            _link(f, out / f.name)
        for f in news.get(name, []):
            _link(f, out / f"g{gen}_{f.stem.rpartition('_')[2]}.parquet")
    _rewrite([(name, olds[name], news.get(name, [])) for name in rewrite], gone, target)
    if not names:
        scan(fresh).sink_parquet(target / "empty.parquet")
    # an agency's entry is needed while its bucket holds a file older than it
    first = {name.removeprefix(PREFIX): min(gen_of(f) for f in (target / name).iterdir()) for name in names if name not in clean}
    first_of = pl.DataFrame({"bucket": list(first), "first": list(first.values())}, schema={"bucket": pl.String, "first": pl.Int32})
    needed = (
        gone.with_columns(pl.col("agency_code").str.slice(2, 4).alias("bucket"))  # bucket_of, vectorized
        .join(first_of, on="bucket", how="inner")
        .filter(pl.col("gen") > pl.col("first"))
        .select(SUPERSEDED_SCHEMA.keys())
    )
    if needed.height:
        needed.sort("agency_code").write_ipc(target / SUPERSEDED)


def _rewrite(items: list[tuple[str, list[Path], list[Path]]], gone: pl.DataFrame, target: Path) -> None:
    """Each bucket's live rows (older generations first, then the fresh rows) into one file; a bucket whose agencies
    were all redone away still gets its (row-less) file, with the columns."""
    with ThreadPoolExecutor(max_workers=2, thread_name_prefix="gongkai-buckets") as pool:
        for batch in _by_size(items):
            queries = [
                pl.concat(_scans(_groups(old, gone)) + ([pl.scan_parquet(new, hive_partitioning=False)] if new else []), how="vertical")
                for _, old, new in batch
            ]
            frames = pl.collect_all(queries)
            list(pool.map(lambda name, frame: frame.write_parquet(target / name / FILE, compression="lz4"), [n for n, _, _ in batch], frames))


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
