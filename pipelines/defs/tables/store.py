"""Computed tables of one year as Parquet, so the warehouse load and next year's checks can read them.

`tables/<year>/<fact table>/` is bucketed (pipelines/defs/buckets.py); next to the facts, `inputs.parquet`
says per agency what they were computed from (tables/inputs.py).
"""

import os
import shutil
from pathlib import Path

import polars as pl

from pipelines.defs import buckets

INPUTS = "inputs"


def year_dir(tables_dir: Path, year: int) -> Path:
    return Path(tables_dir) / str(year)


def write_year(
    tables_dir: Path, year: int, facts: dict[str, pl.DataFrame], inputs: pl.DataFrame | None = None, replace: pl.Series | None = None
) -> Path:
    """Swap in the year's folder whole (a reader sees the old one or the new one). With `replace`, `facts`
    hold only those agencies' rows: the other agencies' rows are kept (their buckets linked, not copied)."""
    final = year_dir(tables_dir, year)
    staging = final.with_name(f".{year}.{os.getpid()}")
    shutil.rmtree(staging, ignore_errors=True)
    staging.mkdir(parents=True)
    for name, frame in facts.items():
        if replace is None:
            buckets.write(frame, staging / name)
        else:
            fresh = staging / ".fresh" / name
            buckets.write(frame, fresh)
            buckets.carry_over(final / name, fresh, staging / name, replace)
    shutil.rmtree(staging / ".fresh", ignore_errors=True)
    if inputs is not None:
        inputs.write_parquet(staging / f"{INPUTS}.parquet")
    old = final.with_name(f".{year}.old.{os.getpid()}")
    if final.exists():
        os.replace(final, old)
    os.replace(staging, final)
    shutil.rmtree(old, ignore_errors=True)
    return final


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
