"""Computed tables of one year as Parquet, so the warehouse load and next year's checks can read them.

`tables/<year>/<fact table>/` is bucketed (pipelines/defs/buckets.py); next to the facts, `inputs.parquet`
says per agency what they were computed from (tables/inputs.py).
"""

import os
import shutil
from collections.abc import Iterable
from pathlib import Path

import polars as pl
from filelock import FileLock

from pipelines.defs import buckets, killpoints, processes
from pipelines.defs.writers import Writer

INPUTS = "inputs"
PIECE_WRITES = 12  # the fact tables of a piece (compute.iter_year)


def year_dir(tables_dir: Path, year: int) -> Path:
    return Path(tables_dir) / str(year)


def write_year(
    tables_dir: Path,
    year: int,
    facts: dict[str, pl.DataFrame] | Iterable[dict[str, pl.DataFrame]],
    inputs: pl.DataFrame | None = None,
    replace: pl.Series | None = None,
) -> Path:
    """Swap in the year's folder whole (a reader sees the old one or the new one).

    `facts` is one dict of fact tables or pieces of them (compute.iter_year: written as they come, so a
    national year is never whole in memory). With `replace`, the facts hold only those agencies' rows: the
    other agencies' rows are kept (their buckets linked, not copied).

    Writers queue on a lock beside the tables folder: a Dagster daemon run and a CLI run may compute the same
    year at once, and a partial write carries over buckets of the folder the other one is swapping."""
    Path(tables_dir).parent.mkdir(parents=True, exist_ok=True)
    with FileLock(str(Path(tables_dir)) + ".lock"):
        return _write_year(tables_dir, year, facts, inputs, replace)


def _write_year(
    tables_dir: Path,
    year: int,
    facts: dict[str, pl.DataFrame] | Iterable[dict[str, pl.DataFrame]],
    inputs: pl.DataFrame | None,
    replace: pl.Series | None,
) -> Path:
    final = year_dir(tables_dir, year)
    _clear_dead(final)
    staging = final.with_name(f".{year}.{os.getpid()}")
    shutil.rmtree(staging, ignore_errors=True)
    staging.mkdir(parents=True)
    fresh = staging if replace is None else staging / ".fresh"
    columns: dict[str, pl.DataFrame] = {}
    # a piece is written in the background while the next one is computed (writing was a quarter of the stage);
    # at most a piece's worth of writes (12 tables) waits, so about two pieces are held at once
    with Writer(threads=1, queued=PIECE_WRITES) as writer:
        for part, piece in enumerate([facts] if isinstance(facts, dict) else facts):
            for name, frame in piece.items():
                columns.setdefault(name, frame.clear())
                writer.submit(name, buckets.write, frame, fresh / name, part)
    for name, empty in columns.items():
        buckets.finish(fresh / name, empty)
        if replace is not None:
            buckets.carry_over(final / name, fresh / name, staging / name, replace)
    shutil.rmtree(staging / ".fresh", ignore_errors=True)
    if inputs is not None:
        inputs.write_parquet(staging / f"{INPUTS}.parquet")
    old = final.with_name(f".{year}.old.{os.getpid()}")
    if final.exists():
        os.replace(final, old)
    killpoints.reached("tables.swap")
    os.replace(staging, final)
    shutil.rmtree(old, ignore_errors=True)
    return final


def _clear_dead(final: Path) -> None:
    """Remove the staging and set-aside folders of runs killed while writing this year (`.<year>.<pid>`,
    `.<year>.old.<pid>`): each is a whole year of tables."""
    if not final.parent.is_dir():
        return
    for left in final.parent.glob(f".{final.name}.*"):
        pid = left.name.rpartition(".")[2]
        if pid.isdigit() and not processes.alive(int(pid)):
            shutil.rmtree(left, ignore_errors=True)


def scan_year(tables_dir: Path, year: int) -> dict[str, pl.LazyFrame] | None:
    folder = year_dir(tables_dir, year)
    if not folder.is_dir():
        return None
    return {p.name.removesuffix(".parquet"): buckets.scan(p) for p in sorted(folder.iterdir()) if p.name.removesuffix(".parquet") != INPUTS}


def read_year(tables_dir: Path, year: int) -> dict[str, pl.DataFrame] | None:
    frames = scan_year(tables_dir, year)
    return None if frames is None else {name: frame.collect() for name, frame in frames.items()}


def read_inputs(tables_dir: Path, year: int) -> pl.DataFrame | None:
    path = year_dir(tables_dir, year) / f"{INPUTS}.parquet"
    return pl.read_parquet(path) if path.exists() else None
