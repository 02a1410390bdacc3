"""Load one year into the DuckDB warehouse and publish it atomically."""

import hashlib

import dagster as dg
import duckdb

from pipelines.defs import buckets
from pipelines.defs.calendar import workdays
from pipelines.defs.compliance.due import write_due_list
from pipelines.defs.ingest import lake
from pipelines.defs.tables import inputs, store
from pipelines.defs.warehouse import warehouse
from pipelines.partitions import yearly
from pipelines.resources import GongkaiConfig
from pipelines.settings import Settings


def load_year(cfg: Settings, year: int) -> dict[str, int]:
    """Replace the agency-years whose tables changed since they were loaded; nothing to do → no new file."""
    folder = store.year_dir(cfg.tables_dir, year)
    if not folder.is_dir():
        raise dg.Failure(f"{year}年的表格尚未计算 / tables for {year} are not computed yet")
    computed = store.read_inputs(cfg.tables_dir, year)
    if computed is not None:
        redo, gone = inputs.stale(warehouse.loaded_inputs(cfg.warehouse, year), computed)
        if redo is not None and redo.is_empty() and gone.is_empty():
            return {"agencies_replaced": 0}
    facts = {table: folder / table for table in warehouse.YEAR_TABLES}
    agencies = lake.read(cfg.lake_dir, "agencies").drop("source_file", "source_sheet", "source_row")
    # the calendar the due dates were counted on, so that `gongkai due` counts working days left on it too
    days = workdays.load(cfg.raw_dir).days

    def work(con: duckdb.DuckDBPyConnection) -> dict[str, int]:
        return warehouse.replace_year(con, year, agencies, facts, computed) | {"calendar_day": warehouse.replace_whole(con, "calendar_day", days)}

    return warehouse.load(cfg.warehouse, work)


# the lake's accounting, and the warehouse table each is loaded into
LEDGER_TABLES = {"ledger_file": "files", "quarantine": "quarantine"}


def load_ledgers(cfg: Settings) -> dict[str, int]:
    """The lake's accounting (files read, rows quarantined) into the warehouse, when it changed. Unchanged means the
    same bytes in the lake as at the last load (one row read back, where comparing the tables read them whole:
    seconds a night at national scale with rows quarantined). The aggregates do not read these tables."""
    gen = lake.generation(cfg.lake_dir)  # one generation for the fingerprint and the rows, whatever publishes meanwhile
    fingerprint = hashlib.sha256(f"{warehouse.build_fingerprint()}:{lake.digest(gen, LEDGER_TABLES.values())}".encode()).hexdigest()
    if warehouse.loaded_ledgers(cfg.warehouse) == fingerprint:
        return dict.fromkeys(LEDGER_TABLES, 0)
    frames = {name: buckets.scan(lake.table_path(gen, table)).collect() for name, table in LEDGER_TABLES.items()}

    def work(con: duckdb.DuckDBPyConnection) -> dict[str, int]:
        written = {name: warehouse.replace_whole(con, name, frame) for name, frame in frames.items()}
        con.execute("DELETE FROM loaded_ledgers")
        con.execute("INSERT INTO loaded_ledgers VALUES (?)", [fingerprint])
        return written

    return warehouse.load(cfg.warehouse, work, aggregates=False)


@dg.asset(
    group_name="ingest",
    deps=["validated_ledgers"],
    description="把台账文件清单与隔离区装入数据仓库（ledger_file、quarantine）/ the files read and the rows quarantined, "
    "into the warehouse (ledger_file, quarantine), published atomically.",
    kinds={"duckdb"},
)
def warehouse_ledgers(context: dg.AssetExecutionContext, gongkai: GongkaiConfig) -> dg.MaterializeResult:
    cfg = gongkai.settings()
    written = load_ledgers(cfg)
    # every night (this runs with each ingestion): the open applications by due date, as of today
    due = write_due_list(cfg.warehouse, cfg.reports_dir, cfg.today())
    return dg.MaterializeResult(
        metadata={f"rows_{k}": dg.MetadataValue.int(n) for k, n in written.items()}
        | {"warehouse": dg.MetadataValue.path(gongkai.warehouse)}
        | ({"due_list": dg.MetadataValue.path(str(due))} if due else {})
    )


@dg.asset(
    partitions_def=yearly,
    group_name="warehouse",
    deps=["statutory_tables"],
    description="把该年度的表格装入 DuckDB 数据仓库（只替换表格有变化的机构，原子发布）/ replace the year's rows of the agencies "
    "whose tables changed in the DuckDB warehouse, in one transaction, and publish the new file atomically.",
    kinds={"duckdb"},
)
def warehouse_year(context: dg.AssetExecutionContext, gongkai: GongkaiConfig) -> dg.MaterializeResult:
    year = int(context.partition_key)
    cfg = gongkai.settings()
    written = load_year(cfg, year)
    replaced = written.pop("agencies_replaced")
    if replaced:  # the due dates changed: the list of open applications too
        write_due_list(cfg.warehouse, cfg.reports_dir, cfg.today())
    return dg.MaterializeResult(
        metadata={
            "year": year,
            "agencies_replaced": dg.MetadataValue.int(replaced),
            **{f"rows_{k}": dg.MetadataValue.int(n) for k, n in written.items()},
            "warehouse": dg.MetadataValue.path(gongkai.warehouse),
        }
    )
