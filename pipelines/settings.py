"""Where things live, from the environment with defaults that work in a fresh checkout."""

import json
import os
import secrets
from dataclasses import dataclass
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent
SQL_DIR = PROJECT_ROOT / "sql"


def _path(var: str, default: Path) -> Path:
    value = os.environ.get(var)
    return Path(value).expanduser() if value else default


@dataclass(frozen=True)
class Settings:
    raw_dir: Path
    warehouse: Path

    @property
    def lake_dir(self) -> Path:
        """Validated records and the quarantine as Parquet, next to the warehouse."""
        return self.warehouse.parent / "lake"

    @property
    def cache_dir(self) -> Path:
        """Per-file ingestion results, kept by content (re-read only what changed)."""
        return self.warehouse.parent / "cache"

    @property
    def tables_dir(self) -> Path:
        """Each computed year as Parquet, with what it was computed from (tables/<year>/)."""
        return self.warehouse.parent / "tables"

    @property
    def reports_dir(self) -> Path:
        return self.warehouse.parent / "reports"


def settings(raw: str | Path | None = None, warehouse: str | Path | None = None) -> Settings:
    return Settings(
        raw_dir=Path(raw) if raw else _path("GONGKAI_RAW_DIR", PROJECT_ROOT / "data" / "raw"),
        warehouse=Path(warehouse) if warehouse else _path("GONGKAI_WAREHOUSE", PROJECT_ROOT / "data" / "warehouse" / "gongkai.duckdb"),
    )


def pii_key() -> bytes:
    """The key of `applicant_key`: GONGKAI_PII_KEY, else one generated once into an untracked file."""
    value = os.environ.get("GONGKAI_PII_KEY")
    if value:
        return value.encode("utf-8")
    path = _path("GONGKAI_PII_KEY_FILE", Path.home() / ".config" / "gongkai" / "pii.key")
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as fh:
            fh.write(secrets.token_hex(32))
    return path.read_text().strip().encode("utf-8")


# One SQLite file for all runs' events: the default opens a new database per run, which cost ~2 s of every
# `gongkai materialize` step on this machine (gongkai bench; docs/benchmarks.md). Paths in dagster.yaml are
# taken from the working directory, so the file names the home's own folder.
INSTANCE_CONFIG = """telemetry:
  enabled: false
event_log_storage:
  module: dagster._core.storage.event_log
  class: ConsolidatedSqliteEventLogStorage
  config:
    base_dir: {history}
"""
_OLD_INSTANCE_CONFIG = "telemetry:\n  enabled: false\n"


def dagster_home() -> Path:
    """The local Dagster instance (runs, materializations): DAGSTER_HOME, else data/dagster."""
    home = _path("DAGSTER_HOME", PROJECT_ROOT / "data" / "dagster")
    home.mkdir(parents=True, exist_ok=True)
    config = home / "dagster.yaml"
    if not config.exists() or config.read_text() == _OLD_INSTANCE_CONFIG:
        config.write_text(INSTANCE_CONFIG.format(history=json.dumps(str(home / "history"))))
    os.environ["DAGSTER_HOME"] = str(home)
    return home
