"""Configuration: the one module that reads the environment.

Everything a run needs to know about where things are and which keys to use is a `Settings`, built here
from command-line options and the environment (with defaults that work in a fresh checkout). The Dagster
code location turns it into the `GongkaiConfig` resource (pipelines/resources.py) that assets and sensors
receive; the CLI builds it once per command. No other module reads `os.environ`
(tests/test_settings.py holds the line).
"""

import datetime as dt
import json
import os
import re
import secrets
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent
SQL_DIR = PROJECT_ROOT / "sql"

# The most a workbook (.xlsx, a ZIP) may unpack to, all members together: a 3 MB file can hold 648 MB of shared
# strings, which the Excel reader would hold in memory whole. Such a file is refused with its name, unread.
XLSX_UNPACKED_MB = 256

# The environment variables gongkai reads, and what each sets.
ENV = {
    "GONGKAI_RAW_DIR": "raw ledger root (--raw); default data/raw",
    "GONGKAI_WAREHOUSE": "DuckDB warehouse file (--warehouse); default data/warehouse/gongkai.duckdb",
    "GONGKAI_NARRATIVES_DIR": "folder of the clerks' narratives; default data/narratives",
    "GONGKAI_PII_KEY": "key of the applicant hash; default: a key generated once into GONGKAI_PII_KEY_FILE",
    "GONGKAI_PII_KEY_FILE": "where the generated key is kept; default ~/.config/gongkai/pii.key (outside git)",
    "GONGKAI_DEBUG": "1: show a traceback with an error",
    "GONGKAI_RUN_DATE": "the day a run takes as today (YYYY-MM-DD: dates after it are implausible, its year is not over); default today in Asia/Shanghai",
    "GONGKAI_BENCH_DIR": "where `gongkai bench` keeps generated inputs; default /tmp/gongkai-bench",
    "DAGSTER_HOME": "the local Dagster instance; default data/dagster",
    "GONGKAI_DESK_DIR": "the desk's own folder (accounts, decisions, sign-offs, uploads as handed in); default data/desk",
    "GONGKAI_DESK_UPLOAD_MB": "largest ledger file the desk accepts, in MB; default 20",
    "GONGKAI_DESK_HTTPS": "1: the desk is served over HTTPS (session cookies marked Secure)",
    "GONGKAI_KILL_AT": "tests only: a kill point (pipelines/defs/killpoints.py) where the run kills itself with SIGKILL",
    "GONGKAI_SQL_TIMEOUT": "`gongkai sql`: seconds a query (and its output) may take before it is stopped; default 60",
    "GONGKAI_SQL_MEMORY": "`gongkai sql`: DuckDB memory limit of a query (e.g. 512MB, 2GB); default 2GB",
    "GONGKAI_ALERT_LOG": "file every failed Dagster run is written to, one line each; default alerts.log beside the warehouse",
    "GONGKAI_ALERT_WEBHOOK": "URL (http or https) a failed run is POSTed to as JSON; default none",
    "GONGKAI_ALERT_SMTP": "mail server host[:port] a failed run is mailed through; default none",
    "GONGKAI_ALERT_MAIL_TO": "addresses the failure mail goes to, comma-separated",
    "GONGKAI_ALERT_MAIL_FROM": "sender of the failure mail; default gongkai@localhost",
    "GONGKAI_ALERT_SMTP_USER": "login on the mail server, if it asks for one",
    "GONGKAI_ALERT_SMTP_PASSWORD": "its password (Dagster is handed the variable's name, never the value)",
    "GONGKAI_ALERT_SMTP_STARTTLS": "1: switch the mail connection to TLS (STARTTLS) before logging in",
    "GONGKAI_SQL_MAX_ROWS": "`gongkai sql`: rows printed as a text table before the rest is cut with a note; default 1000",
}


@dataclass(frozen=True)
class Settings:
    raw_dir: Path
    warehouse: Path
    narratives_dir: Path = PROJECT_ROOT / "data" / "narratives"
    pii_key_file: Path = Path.home() / ".config" / "gongkai" / "pii.key"
    pii_key_value: str | None = field(default=None, repr=False)  # GONGKAI_PII_KEY: wins over the file
    debug: bool = False
    bench_dir: Path = Path("/tmp/gongkai-bench")
    desk_dir: Path = PROJECT_ROOT / "data" / "desk"
    desk_upload_mb: int = 20
    desk_https: bool = False
    run_date: dt.date | None = None  # None: today in Asia/Shanghai
    kill_at: str | None = None  # tests only (GONGKAI_KILL_AT): pipelines/defs/killpoints.py
    sql_timeout_s: float = 60.0
    sql_memory_limit: str = "2GB"
    sql_max_rows: int = 1000
    alert_log_file: Path | None = None  # None: alerts.log beside the warehouse
    alert_webhook: str = field(default="", repr=False)  # a webhook URL often carries its token
    alert_smtp: str = ""
    alert_mail_to: str = ""
    alert_mail_from: str = "gongkai@localhost"
    alert_smtp_user: str = ""
    alert_smtp_password: str = field(default="", repr=False)
    alert_smtp_starttls: bool = False

    @property
    def alert_log(self) -> Path:
        """Where failed runs are written, one line each."""
        return self.alert_log_file or self.warehouse.parent / "alerts.log"

    def today(self) -> dt.date:
        """The day this run takes as today."""
        from pipelines.defs.clock import today

        return self.run_date or today()

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

    @property
    def desk_db(self) -> Path:
        """The desk's accounts, uploads, decisions and sign-offs: its own file, untouched by warehouse rebuilds."""
        return self.desk_dir / "desk.sqlite"

    def desk_secret(self) -> bytes:
        """The key that signs the desk's session cookies: generated once into the desk's folder."""
        return _generated_key(self.desk_dir / "session.key")

    def pii_key(self) -> bytes:
        """The key of `applicant_key`: GONGKAI_PII_KEY, else one generated once into an untracked file."""
        if self.pii_key_value:
            return self.pii_key_value.encode("utf-8")
        return _generated_key(self.pii_key_file)

    def with_paths(self, raw: str | Path | None = None, warehouse: str | Path | None = None) -> "Settings":
        return replace(self, raw_dir=Path(raw) if raw else self.raw_dir, warehouse=Path(warehouse) if warehouse else self.warehouse)


def _generated_key(path: Path) -> bytes:
    """A random key kept in `path`, made on first use."""
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        # written whole under another name, then linked: a process starting at the same moment sees no
        # key or the whole key, never an empty file
        tmp = path.with_name(f".{path.name}.{os.getpid()}")
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w") as fh:
            fh.write(secrets.token_hex(32))
        try:
            os.link(tmp, path)
        except FileExistsError:  # another process made it first: use theirs
            pass
        finally:
            tmp.unlink()
    return path.read_text().strip().encode("utf-8")


def _path(env: Mapping[str, str], var: str, default: Path) -> Path:
    value = env.get(var)
    return Path(value).expanduser() if value else default


def kill_at() -> str | None:
    """GONGKAI_KILL_AT alone: read at every kill point (once per ledger file), so without building all settings."""
    return os.environ.get("GONGKAI_KILL_AT") or None


def settings(
    raw: str | Path | None = None,
    warehouse: str | Path | None = None,
    narratives: str | Path | None = None,
    environ: Mapping[str, str] | None = None,
) -> Settings:
    """Options given on the command line win over the environment, which wins over the defaults."""
    env = os.environ if environ is None else environ
    return Settings(
        raw_dir=Path(raw) if raw else _path(env, "GONGKAI_RAW_DIR", PROJECT_ROOT / "data" / "raw"),
        warehouse=Path(warehouse) if warehouse else _path(env, "GONGKAI_WAREHOUSE", PROJECT_ROOT / "data" / "warehouse" / "gongkai.duckdb"),
        narratives_dir=Path(narratives) if narratives else _path(env, "GONGKAI_NARRATIVES_DIR", PROJECT_ROOT / "data" / "narratives"),
        pii_key_file=_path(env, "GONGKAI_PII_KEY_FILE", Path.home() / ".config" / "gongkai" / "pii.key"),
        pii_key_value=env.get("GONGKAI_PII_KEY") or None,
        debug=bool(env.get("GONGKAI_DEBUG")),
        bench_dir=_path(env, "GONGKAI_BENCH_DIR", Path("/tmp/gongkai-bench")),
        desk_dir=_path(env, "GONGKAI_DESK_DIR", PROJECT_ROOT / "data" / "desk"),
        desk_upload_mb=_int(env, "GONGKAI_DESK_UPLOAD_MB", 20),
        desk_https=env.get("GONGKAI_DESK_HTTPS", "") not in ("", "0"),
        run_date=_date(env, "GONGKAI_RUN_DATE"),
        kill_at=env.get("GONGKAI_KILL_AT") or None,
        sql_timeout_s=_int(env, "GONGKAI_SQL_TIMEOUT", 60),
        sql_memory_limit=_memory(env, "GONGKAI_SQL_MEMORY", "2GB"),
        sql_max_rows=_int(env, "GONGKAI_SQL_MAX_ROWS", 1000),
        alert_log_file=_path(env, "GONGKAI_ALERT_LOG", Path()) if env.get("GONGKAI_ALERT_LOG") else None,
        alert_webhook=_url(env, "GONGKAI_ALERT_WEBHOOK"),
        alert_smtp=(env.get("GONGKAI_ALERT_SMTP") or "").strip(),
        alert_mail_to=(env.get("GONGKAI_ALERT_MAIL_TO") or "").strip(),
        alert_mail_from=(env.get("GONGKAI_ALERT_MAIL_FROM") or "").strip() or "gongkai@localhost",
        alert_smtp_user=env.get("GONGKAI_ALERT_SMTP_USER") or "",
        alert_smtp_password=env.get("GONGKAI_ALERT_SMTP_PASSWORD") or "",
        alert_smtp_starttls=env.get("GONGKAI_ALERT_SMTP_STARTTLS", "") not in ("", "0"),
    )


def _url(env: Mapping[str, str], var: str) -> str:
    """An http(s) URL or nothing: urllib would also open file: and ftp: URLs."""
    value = (env.get(var) or "").strip()
    if value and not value.lower().startswith(("http://", "https://")):
        from pipelines.errors import GongkaiError

        raise GongkaiError(f"{var} 应为 http:// 或 https:// 网址", f"{var} must be an http:// or https:// URL")
    return value


MEMORY_SIZE = re.compile(r"^\d+(\.\d+)?\s*(B|KB|MB|GB|TB|KiB|MiB|GiB|TiB)$", re.IGNORECASE)


def _memory(env: Mapping[str, str], var: str, default: str) -> str:
    """A DuckDB memory size (512MB, 2GB): checked here, since it is spliced into a SET statement."""
    value = (env.get(var) or "").strip()
    if not value:
        return default
    if not MEMORY_SIZE.match(value):
        from pipelines.errors import GongkaiError

        raise GongkaiError(f"{var} 应为内存大小（如 512MB、2GB）：{value}", f"{var} must be a memory size (e.g. 512MB, 2GB): {value!r}")
    return value


def _int(env: Mapping[str, str], var: str, default: int) -> int:
    value = env.get(var)
    if not value:
        return default
    try:
        return int(value)
    except ValueError:
        from pipelines.errors import GongkaiError

        raise GongkaiError(f"环境变量 {var} 应为整数：{value}", f"{var} must be a whole number: {value!r}") from None


def _date(env: Mapping[str, str], var: str) -> dt.date | None:
    value = (env.get(var) or "").strip()
    if not value:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError as err:
        from pipelines.errors import GongkaiError

        raise GongkaiError(f"{var} 应为日期（如 2023-01-31）：{value}", f"{var} must be a date (e.g. 2023-01-31): {value}") from err


def apply_env(values: Mapping[str, str]) -> None:
    """Set variables for this process and the processes it starts (`gongkai bench` hands each measured
    stage its own Dagster home and key)."""
    os.environ.update(values)


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


def dagster_home() -> Path:
    """The local Dagster instance (runs, materializations): DAGSTER_HOME, else data/dagster."""
    home = _path(os.environ, "DAGSTER_HOME", PROJECT_ROOT / "data" / "dagster")
    home.mkdir(parents=True, exist_ok=True)
    config = home / "dagster.yaml"
    if not config.exists():
        config.write_text(INSTANCE_CONFIG.format(history=json.dumps(str(home / "history"))))
    os.environ["DAGSTER_HOME"] = str(home)  # Dagster finds its instance through the environment
    return home
