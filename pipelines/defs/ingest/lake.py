"""The lake: validated records and the quarantine as Parquet, swapped in as one generation.

A run writes a new generation folder and then points `CURRENT` at it with an
atomic rename, so readers see the previous lake or the new one, never a mix.

The ledger records are bucketed (pipelines/defs/buckets.py): a nightly run
rewrites the few buckets whose agencies changed and hard-links the others from
the previous generation.
"""

import hashlib
import shutil
import time
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path

import polars as pl
from filelock import FileLock, Timeout

from pipelines.defs import atomic, buckets
from schemas.columns import LEDGER_KINDS

BUCKETED = tuple(LEDGER_KINDS)


def table_path(gen: Path, table: str) -> Path:
    return gen / table if table in BUCKETED else gen / f"{table}.parquet"


def current(lake_dir: Path) -> Path | None:
    pointer = Path(lake_dir) / "CURRENT"
    if not pointer.exists():
        return None
    gen = Path(lake_dir) / pointer.read_text().strip()
    return gen if gen.is_dir() else None


@contextmanager
def writer(lake_dir: Path, timeout: float = 3600) -> Iterator[None]:
    """Serialize writers of the lake (two ingestions at once would both build on the same generation)."""
    Path(lake_dir).mkdir(parents=True, exist_ok=True)
    lock = FileLock(str(Path(lake_dir) / ".writer.lock"))
    try:
        lock.acquire(timeout=timeout)
    except Timeout as err:
        from pipelines.errors import GongkaiError

        raise GongkaiError("另一个任务正在导入台账，请稍后再试", f"another run is ingesting into {lake_dir}; try again later") from err
    try:
        yield
    finally:
        lock.release()


def new_generation(lake_dir: Path) -> Path:
    """An empty folder for the next generation (not visible to readers until `publish`)."""
    gen = Path(lake_dir) / f"gen-{time.time_ns()}"
    gen.mkdir(parents=True)
    return gen


def publish(lake_dir: Path, gen: Path) -> Path:
    from pipelines.defs import killpoints

    killpoints.reached("ingest.publish")
    lake_dir = Path(lake_dir)
    before = current(lake_dir)
    atomic.write_text(lake_dir / "CURRENT", gen.name)
    # Keep the previous generation: a reader that resolved CURRENT a moment ago may still be reading it. Any other
    # (older ones, and what an ingestion killed before publishing left: it was never current) goes; writers hold
    # the lake's lock, so no other generation is being written.
    keep = {gen.name, before.name if before else ""}
    for old in lake_dir.glob("gen-*"):
        if old.name not in keep:
            shutil.rmtree(old, ignore_errors=True)
    return gen


def generation(lake_dir: Path) -> Path:
    """The current generation, or a clear error before the first ingestion."""
    gen = current(lake_dir)
    if gen is None:
        from pipelines.errors import GongkaiError

        raise GongkaiError("尚未导入台账，请先运行 gongkai materialize", f"no validated ledgers in {lake_dir} yet; run gongkai materialize first")
    return gen


def digest(gen: Path, tables: Iterable[str]) -> str:
    """SHA-256 of one-file (not bucketed) tables of a generation. The same bytes are the same rows in the same order;
    an ingestion that changed nothing writes them byte for byte again, so an unchanged digest means unchanged tables."""
    out = hashlib.sha256()
    for table in tables:
        with open(table_path(gen, table), "rb") as fh:
            out.update(hashlib.file_digest(fh, "sha256").digest())
    return out.hexdigest()


def _path(lake_dir: Path, table: str) -> Path:
    return table_path(generation(lake_dir), table)


def read(lake_dir: Path, table: str) -> pl.DataFrame:
    return scan(lake_dir, table).collect()


def scan(lake_dir: Path, table: str) -> pl.LazyFrame:
    """A table of the current generation, streamed (the ledgers can be larger than memory)."""
    return buckets.scan(_path(lake_dir, table))
