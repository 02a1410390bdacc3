"""Computed tables of one year as Parquet, so the warehouse load and next year's checks can read them."""

import os
import shutil
from pathlib import Path

import polars as pl


def year_dir(tables_dir: Path, year: int) -> Path:
    return Path(tables_dir) / str(year)


def write_year(tables_dir: Path, year: int, facts: dict[str, pl.DataFrame]) -> Path:
    final = year_dir(tables_dir, year)
    staging = final.with_name(f".{year}.{os.getpid()}")
    shutil.rmtree(staging, ignore_errors=True)
    staging.mkdir(parents=True)
    for name, frame in facts.items():
        frame.write_parquet(staging / f"{name}.parquet")
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
    return {p.stem: pl.read_parquet(p) for p in folder.glob("*.parquet")}
