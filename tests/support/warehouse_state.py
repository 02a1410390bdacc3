"""A warehouse's content as data, to compare a run after faults with a run from scratch."""

import shutil
from pathlib import Path

import duckdb
import polars as pl


def tables(warehouse: Path) -> dict[str, pl.DataFrame]:
    """Every base table of the warehouse, rows sorted (row order is not part of the content)."""
    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        names = [r[0] for r in con.execute("SELECT table_name FROM information_schema.tables WHERE table_type = 'BASE TABLE' ORDER BY 1").fetchall()]
        out = {}
        for name in names:
            frame = con.sql(f'SELECT * FROM "{name}"').pl()
            out[name] = frame.sort(frame.columns, nulls_last=True)
        return out
    finally:
        con.close()


def differences(got: Path, want: Path) -> list[str]:
    """The tables whose content differs (empty: identical)."""
    a, b = tables(got), tables(want)
    out = sorted(set(a) ^ set(b))
    for name in sorted(set(a) & set(b)):
        if not a[name].equals(b[name]):
            out.append(f"{name}: {a[name].height} rows vs {b[name].height}")
    return out


def copy_raw(raw: Path, to: Path) -> Path:
    """The same raw root, files and modification times (the export order follows them)."""
    shutil.copytree(raw, to)
    return to
