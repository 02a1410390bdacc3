"""Computed tables of one year as Parquet, so the warehouse load and next year's checks can read them.

Next to the facts, `inputs.parquet` says per agency what they were computed from (tables/inputs.py).
"""

import os
import shutil
from pathlib import Path

import polars as pl

INPUTS = "inputs"


def year_dir(tables_dir: Path, year: int) -> Path:
    return Path(tables_dir) / str(year)


def write_year(tables_dir: Path, year: int, facts: dict[str, pl.DataFrame | pl.LazyFrame], inputs: pl.DataFrame | None = None) -> Path:
    """Swap in the year's folder whole (a reader sees the old one or the new one); LazyFrames are streamed."""
    final = year_dir(tables_dir, year)
    staging = final.with_name(f".{year}.{os.getpid()}")
    shutil.rmtree(staging, ignore_errors=True)
    staging.mkdir(parents=True)
    for name, frame in facts.items():
        if isinstance(frame, pl.LazyFrame):
            frame.sink_parquet(staging / f"{name}.parquet")
        else:
            frame.write_parquet(staging / f"{name}.parquet")
    if inputs is not None:
        inputs.write_parquet(staging / f"{INPUTS}.parquet")
    old = final.with_name(f".{year}.old.{os.getpid()}")
    if final.exists():
        os.replace(final, old)
    os.replace(staging, final)
    shutil.rmtree(old, ignore_errors=True)
    return final


def read_year(tables_dir: Path, year: int) -> dict[str, pl.DataFrame] | None:
    folder = year_dir(tables_dir, year)
    if not folder.is_dir():
        return None
    return {p.stem: pl.read_parquet(p) for p in folder.glob("*.parquet") if p.stem != INPUTS}


def scan_year(tables_dir: Path, year: int) -> dict[str, pl.LazyFrame] | None:
    folder = year_dir(tables_dir, year)
    if not folder.is_dir():
        return None
    return {p.stem: pl.scan_parquet(p) for p in folder.glob("*.parquet") if p.stem != INPUTS}


def read_inputs(tables_dir: Path, year: int) -> pl.DataFrame | None:
    path = year_dir(tables_dir, year) / f"{INPUTS}.parquet"
    return pl.read_parquet(path) if path.exists() else None
