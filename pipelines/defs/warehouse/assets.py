"""Load one year into the DuckDB warehouse and publish it atomically."""

import dagster as dg

from pipelines.defs.ingest import lake
from pipelines.defs.tables import store
from pipelines.defs.tables.assets import tables_dir
from pipelines.defs.warehouse import warehouse
from pipelines.partitions import yearly
from pipelines.resources import GongkaiPaths


def load_year(paths: GongkaiPaths, year: int) -> dict[str, int]:
    cfg = paths.settings()
    folder = store.year_dir(tables_dir(paths), year)
    if not folder.is_dir():
        raise dg.Failure(f"{year}年的表格尚未计算 / tables for {year} are not computed yet")
    facts = {table: folder / f"{table}.parquet" for table in warehouse.YEAR_TABLES}
    agencies = lake.read(cfg.lake_dir, "agencies").drop("source_file", "source_row")

    def work(con):
        written = warehouse.replace_year(con, year, agencies, facts)
        written["quarantine"] = warehouse.replace_whole(con, "quarantine", lake.read(cfg.lake_dir, "quarantine"))
        written["ledger_file"] = warehouse.replace_whole(con, "ledger_file", lake.read(cfg.lake_dir, "files"))
        return written

    return warehouse.load(cfg.warehouse, work)


@dg.asset(
    partitions_def=yearly,
    group_name="warehouse",
    deps=["statutory_tables"],
    description="把该年度的表格装入 DuckDB 数据仓库（整年替换、原子发布）/ replace the year's rows in the DuckDB warehouse "
    "in one transaction and publish the new file atomically.",
    kinds={"duckdb"},
)
def warehouse_year(context: dg.AssetExecutionContext, paths: GongkaiPaths) -> dg.MaterializeResult:
    year = int(context.partition_key)
    written = load_year(paths, year)
    return dg.MaterializeResult(
        metadata={"year": year, **{f"rows_{k}": dg.MetadataValue.int(n) for k, n in written.items()}, "warehouse": dg.MetadataValue.path(paths.warehouse)}
    )
