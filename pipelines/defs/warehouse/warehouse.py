"""The DuckDB warehouse: one writer at a time, readers never blocked, never a half-loaded year.

Analysts read the *published* file. A load copies it to a staging file, replaces
the year's rows there in one transaction, checkpoints, and renames the staging
file over the published one (an atomic rename). A reader that opened the old
file keeps reading it; the next one opens the new. Writers queue on a file lock.
"""

import functools
import hashlib
import os
import shutil
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import duckdb
import polars as pl
from filelock import FileLock, Timeout

from pipelines.defs import buckets, killpoints
from pipelines.defs.tables.compute import FACTS
from pipelines.defs.warehouse.labels import label_frames, write_labels
from pipelines.errors import GongkaiError
from pipelines.settings import SQL_DIR

DDL_FILES = ("schema.sql", "comments.sql", "views.sql")
# Facts replaced per (year, agencies of the raw root); the others are replaced whole by each load.
YEAR_TABLES = FACTS  # what the tables stage computes per year is what a year's load replaces


def ddl() -> str:
    return "\n".join((SQL_DIR / name).read_text(encoding="utf-8") for name in DDL_FILES)


@functools.cache
def build_fingerprint() -> str:
    """What the DDL and the label tables of this code are: a file built by the same ones needs neither again
    (running them costs about 0.6 s per load, most of a nightly load)."""
    digest = hashlib.sha256(ddl().encode("utf-8"))
    for name, frame in label_frames().items():
        digest.update(f"\0{name}\0".encode())
        digest.update(frame.write_json().encode("utf-8"))
    return digest.hexdigest()


def _built(con: duckdb.DuckDBPyConnection) -> str | None:
    """The build fingerprint of the file (None: new, or built before warehouse_build existed)."""
    try:
        found = con.execute("SELECT fingerprint FROM warehouse_build").fetchall()
    except duckdb.CatalogException:
        return None
    return found[0][0] if len(found) == 1 else None


@contextmanager
def writer(warehouse: Path, timeout: float = 600, aggregates: bool = True) -> Iterator[duckdb.DuckDBPyConnection]:
    """A connection to a staging copy; on success the copy is published atomically. `aggregates=False`: the load
    changes nothing the stored aggregates are computed from, so they are not computed again (unless the DDL is)."""
    warehouse = Path(warehouse)
    warehouse.parent.mkdir(parents=True, exist_ok=True)
    lock = FileLock(str(warehouse) + ".lock")
    try:
        lock.acquire(timeout=timeout)
    except Timeout as err:
        raise GongkaiError("另一个任务正在写入数据仓库，请稍后再试", f"another run is writing {warehouse}; try again later") from err
    staging = warehouse.with_name(f".{warehouse.name}.staging-{os.getpid()}")
    try:
        # under the lock no other writer is running: a staging copy still here (a full copy of the warehouse, and its
        # WAL) is what a killed run left behind
        for left in warehouse.parent.glob(f".{warehouse.name}.staging-*"):
            left.unlink(missing_ok=True)
        if warehouse.exists():
            shutil.copyfile(warehouse, staging)
        con = duckdb.connect(str(staging))
        killpoints.reached("warehouse.staged")
        try:
            fingerprint = build_fingerprint()
            rebuild = _built(con) != fingerprint
            if rebuild:
                con.execute(ddl())
            con.execute("BEGIN TRANSACTION")
            if rebuild:  # the labels and their fingerprint, in the load's transaction
                write_labels(con)
                con.execute("DELETE FROM warehouse_build")
                con.execute("INSERT INTO warehouse_build VALUES (?)", [fingerprint])
            yield con
            if aggregates or rebuild:  # a new DDL may define them anew
                refresh_aggregates(con)
            con.execute("COMMIT")
            con.execute("CHECKPOINT")
        except BaseException:
            con.close()
            raise
        con.close()
        killpoints.reached("warehouse.loaded")
        os.replace(staging, warehouse)
    finally:
        staging.unlink(missing_ok=True)
        Path(str(staging) + ".wal").unlink(missing_ok=True)
        lock.release()


def refresh_aggregates(con: duckdb.DuckDBPyConnection) -> None:
    """Store what cross-agency views would otherwise compute at every query (same transaction as the load)."""
    con.execute("DELETE FROM county_year")
    con.execute("INSERT INTO county_year BY NAME SELECT * FROM v_county_year_live")


def reader(warehouse: Path) -> duckdb.DuckDBPyConnection:
    """A read-only connection to the published warehouse."""
    warehouse = Path(warehouse)
    if not warehouse.exists():
        raise GongkaiError(
            f"数据仓库不存在：{warehouse}（请先运行 gongkai demo 或 gongkai materialize）",
            f"no warehouse at {warehouse} (run gongkai demo or gongkai materialize first)",
        )
    return duckdb.connect(str(warehouse), read_only=True)


def replace_year(
    con: duckdb.DuckDBPyConnection,
    year: int,
    agencies: pl.DataFrame,
    facts: dict[str, pl.DataFrame | Path],
    inputs: pl.DataFrame | None = None,
) -> dict[str, int]:
    """Replace one year's rows; returns rows written per table.

    Without `inputs`, every given agency's rows are replaced. With `inputs` (per agency, the fingerprint of
    what its facts were computed from), only the agency-years whose fingerprint differs from the loaded one
    are, and agencies no longer in `inputs` are removed from the year. A fact given as a Parquet path is
    streamed by DuckDB instead of handed over from memory: a national year is 25 million fact rows."""
    con.register("_agencies", agencies)
    con.execute("INSERT OR REPLACE INTO dim_agency BY NAME SELECT * FROM _agencies")
    written = {"dim_agency": agencies.height}
    if inputs is None:
        con.execute("CREATE OR REPLACE TEMP TABLE _replace AS SELECT agency_code FROM _agencies")
    else:
        con.register("_inputs", inputs)
        con.execute(
            """CREATE OR REPLACE TEMP TABLE _replace AS
               SELECT i.agency_code FROM _inputs i
               LEFT JOIN loaded_input l ON l.year = $year AND l.agency_code = i.agency_code
               WHERE l.fingerprint IS DISTINCT FROM i.fingerprint
               UNION ALL
               SELECT agency_code FROM loaded_input WHERE year = $year AND agency_code NOT IN (SELECT agency_code FROM _inputs)""",
            {"year": year},
        )
    replaced = "agency_code IN (SELECT agency_code FROM _replace)"
    # a nightly run replaces a few agencies: only what may hold their rows is read (their buckets' files of their
    # last redo's generation on), not every bucket's
    codes = con.sql("SELECT DISTINCT agency_code FROM _replace").pl().get_column("agency_code").cast(pl.String)
    for table in YEAR_TABLES:
        rows = facts[table]
        con.execute(f"DELETE FROM {table} WHERE year = ? AND {replaced}", [year])
        if isinstance(rows, Path):
            groups = buckets.live_files(rows, codes) if rows.is_dir() else [([str(rows)], [])]
            if not groups:  # no bucket of theirs holds rows of this table
                written[table] = 0
                continue
            source, params = _live_source(groups)
        else:
            con.register("_rows", rows)
            source, params = "_rows", {}
        before = con.execute(f"SELECT count(*) FROM {table}").fetchall()[0][0]
        con.execute(f"INSERT INTO {table} BY NAME SELECT * FROM {source} WHERE {replaced}", params)
        written[table] = con.execute(f"SELECT count(*) FROM {table}").fetchall()[0][0] - before
        if source == "_rows":
            con.unregister("_rows")
    con.execute(f"DELETE FROM loaded_input WHERE year = ? AND {replaced}", [year])
    if inputs is not None:
        con.execute(f"INSERT INTO loaded_input SELECT agency_code, ?, fingerprint FROM _inputs WHERE {replaced}", [year])
        con.unregister("_inputs")
    written["agencies_replaced"] = con.execute("SELECT count(*) FROM _replace").fetchall()[0][0]
    con.execute("DROP TABLE _replace")
    con.unregister("_agencies")
    return written


def loaded_inputs(warehouse: Path, year: int) -> pl.DataFrame | None:
    """What the published warehouse holds for a year, per agency (None: no warehouse yet)."""
    if not Path(warehouse).exists():
        return None
    try:
        return query(warehouse, "SELECT agency_code, fingerprint FROM loaded_input WHERE year = ?", [year])
    except duckdb.CatalogException:  # written before loads kept fingerprints
        return None


def loaded_ledgers(warehouse: Path) -> str | None:
    """The fingerprint of the lake accounting the published warehouse holds (None: none yet, or not known)."""
    if not Path(warehouse).exists():
        return None
    try:
        found = query(warehouse, "SELECT fingerprint FROM loaded_ledgers").get_column("fingerprint").to_list()
    except duckdb.Error:  # unreadable, or written before loads kept it: load again
        return None
    return found[0] if len(found) == 1 else None


def replace_whole(con: duckdb.DuckDBPyConnection, table: str, frame: pl.DataFrame) -> int:
    con.execute(f"DELETE FROM {table}")
    con.register("_rows", frame)
    con.execute(f"INSERT INTO {table} BY NAME SELECT * FROM _rows")
    con.unregister("_rows")
    return frame.height


def _live_source(groups: list[tuple[list[str], list[str]]]) -> tuple[str, dict]:
    """The live rows of a bucketed table's files as one DuckDB source: per generation, its files without the rows
    of the agencies redone since (buckets.live_files)."""
    if len(groups) == 1 and not groups[0][1]:  # every file whole (a first load, a table without later generations)
        return "read_parquet($files0, hive_partitioning = false)", {"files0": groups[0][0]}
    parts, params = [], {}
    for i, (files, dead) in enumerate(groups):
        params[f"files{i}"] = files
        part = f"SELECT * FROM read_parquet($files{i}, hive_partitioning = false)"
        if dead:
            params[f"dead{i}"] = dead
            part += f" WHERE NOT list_contains($dead{i}, agency_code)"
        parts.append(part)
    return "(" + " UNION ALL BY NAME ".join(parts) + ")", params


def query(warehouse: Path, sql: str, params: list | None = None) -> pl.DataFrame:
    con = reader(warehouse)
    try:
        return con.sql(sql, params=params or None).pl()
    finally:
        con.close()


def load(warehouse: Path, work: Callable[[duckdb.DuckDBPyConnection], dict], aggregates: bool = True) -> dict:
    with writer(warehouse, aggregates=aggregates) as con:
        return work(con)
