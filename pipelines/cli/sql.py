"""`gongkai sql`: a read-only query on the warehouse."""

import json
from typing import Annotated

import duckdb
import typer

from pipelines.cli.options import Format, Warehouse
from pipelines.errors import GongkaiError


def register(app: typer.Typer) -> None:
    app.command("sql")(sql)


def sql(
    query: Annotated[str, typer.Argument(help="SQL 查询语句 / a SELECT statement")],
    fmt: Annotated[Format, typer.Option("--format", help="text | json | csv")] = Format.text,
    warehouse: Warehouse = None,
) -> None:
    """在数据仓库上执行只读查询（写操作会被拒绝）/ run a read-only query on the warehouse; writes are refused.
    Tables: dim_agency, fact_proactive, fact_application, fact_appeal, fact_channel, agency_year, check_result,
    quarantine, ledger_file; views: v_agency_year, v_county_year, v_agency_yoy, v_check_issues, v_quarantine_agency_year."""
    from pipelines.defs.warehouse.warehouse import reader
    from pipelines.settings import settings

    con = reader(settings(warehouse=warehouse).warehouse)
    try:
        # read_only guards only the warehouse as opened: without this a query could ATTACH the same file
        # READ_WRITE (after DETACHing it) and write past the writer lock, or COPY data out to files.
        con.execute("SET enable_external_access = false")
        con.execute("SET lock_configuration = true")
        relation = con.sql(query)
        frame = relation.pl() if relation is not None else None
    except duckdb.Error as err:
        first = str(err).strip().splitlines()[0]
        if any(m in first.lower() for m in ("read-only", "read only", "disabled by configuration")):
            raise GongkaiError("数据仓库只读，不能执行写操作", f"the warehouse is read-only here; writes are refused ({first})") from err
        raise GongkaiError(f"查询出错：{first}", f"query failed: {first}") from err
    finally:
        con.close()
    if frame is None:
        return
    if fmt is Format.json:
        typer.echo(json.dumps(frame.to_dicts(), ensure_ascii=False, indent=2, default=str))
    elif fmt is Format.csv:
        typer.echo(frame.write_csv(), nl=False)
    else:
        import polars as pl

        with pl.Config(tbl_rows=200, tbl_cols=30, fmt_str_lengths=80, tbl_width_chars=200, tbl_hide_dataframe_shape=False):
            typer.echo(str(frame))
