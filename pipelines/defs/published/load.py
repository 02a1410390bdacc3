"""Store figures of published reports in the warehouse, apart from the computed ones (`gongkai check --load`)."""

from pathlib import Path

import duckdb
import polars as pl

from pipelines.defs.warehouse import warehouse

TABLES = {"proactive": "published_proactive", "applications": "published_application", "appeals": "published_appeal", "channels": "published_channel"}


def load_published(warehouse_path: Path, facts: dict[str, pl.DataFrame]) -> dict:
    """Replace what earlier loads stored for the same agency-years (by name and year) or files; one transaction.

    A report prints its agency's name, not its code: the code is the dim_agency row of that exact name, or null.
    """
    reports = facts["reports"]

    def work(con) -> dict:
        con.register("_reports", reports)
        # one agency-year, one published report: a newer load (or a re-read of the same file) replaces the old
        stale = """SELECT source FROM published_report p
                   WHERE p.source IN (SELECT source FROM _reports)
                      OR (p.agency_name, p.year) IN (SELECT agency_name, year FROM _reports)"""
        con.execute(f"CREATE TEMP TABLE _stale AS {stale}")  # fixed before the first delete empties the lookup
        for table in ("published_report", *TABLES.values()):
            con.execute(f"DELETE FROM {table} WHERE source IN (SELECT source FROM _stale)")
        con.execute("DROP TABLE _stale")
        con.execute(
            """INSERT INTO published_report BY NAME
               SELECT r.*, d.agency_code FROM _reports r LEFT JOIN dim_agency d ON d.agency_name = r.agency_name"""
        )
        rows = {}
        for key, table in TABLES.items():
            con.register("_facts", facts[key].drop("agency_code"))
            con.execute(
                f"""INSERT INTO {table} BY NAME
                    SELECT f.*, r.agency_code FROM _facts f JOIN published_report r ON r.source = f.source"""
            )
            con.unregister("_facts")
            rows[table] = facts[key].height
        matched = con.execute("SELECT count(agency_code), count(*) FROM published_report WHERE source IN (SELECT source FROM _reports)").fetchall()[0]
        con.unregister("_reports")
        return {"rows": rows, "matched": matched[0], "reports": matched[1]}

    return warehouse.load(warehouse_path, work)


def published_previous(warehouse_path: Path, year: int) -> dict[str, pl.DataFrame]:
    """Published figures of `year` for agencies with a code, in the computed fact shapes (for A4 and P1)."""
    if not Path(warehouse_path).exists():
        return {}
    out = {}
    con = warehouse.reader(warehouse_path)  # one connection for both (opening the national file costs 0.1 s)
    try:
        for name, (table, keys) in {
            "fact_application": ("published_application", "row_key, column_key"),
            "fact_proactive": ("published_proactive", "item, metric"),
        }.items():
            out[name] = con.sql(f"SELECT agency_code, year, {keys}, value FROM {table} WHERE year = ? AND agency_code IS NOT NULL", params=[year]).pl()
    except duckdb.CatalogException:  # a warehouse written before published figures existed
        return {}
    finally:
        con.close()
    return out
