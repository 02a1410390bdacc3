"""One ingestion of the raw root into a new lake generation: what the validated_ledgers asset does and
what `gongkai bench` times (one code path, so the bench measures the production work)."""

from dataclasses import dataclass
from pathlib import Path

import dagster as dg

from pipelines.defs.ingest import lake
from pipelines.defs.ingest.discover import LedgerFile, discover
from pipelines.defs.ingest.ingest import Ingested, ingest
from pipelines.settings import Settings


@dataclass(frozen=True)
class IngestRun:
    files: list[LedgerFile]  # what was discovered under the raw root
    result: Ingested
    generation: Path  # the lake generation written and published


def ingest_run(cfg: Settings) -> IngestRun:
    """Discover, ingest and publish a lake generation; with a previous generation only the agencies of
    changed files are redone (changes.py)."""
    files = discover(cfg.raw_dir)
    if not files:
        raise dg.Failure(f"台账根目录中没有台账文件 / no ledger files under {cfg.raw_dir}")
    # one ingestion at a time: each builds on the generation before it (readers are never blocked)
    with lake.writer(cfg.lake_dir):
        previous = lake.current(cfg.lake_dir)
        gen = lake.new_generation(cfg.lake_dir)
        result = ingest(files, cfg.pii_key(), cache_dir=cfg.cache_dir, out_dir=gen, previous=previous)
        result.quarantine.write_parquet(gen / "quarantine.parquet")
        result.files.write_parquet(gen / "files.parquet")
        lake.publish(cfg.lake_dir, gen)
    return IngestRun(files, result, gen)
