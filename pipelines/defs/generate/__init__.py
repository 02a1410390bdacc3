"""Deterministic sample and benchmark ledgers (`gongkai generate`)."""

from pipelines.defs.generate.manifest import Manifest
from pipelines.defs.generate.sample import SEED, generate_sample

__all__ = ["SEED", "Manifest", "generate_sample"]
