"""`gongkai export`: a year's tables with their labels as Parquet, CSV or county workbooks (docs/export.md)."""

from enum import Enum
from pathlib import Path
from typing import Annotated

import typer

from pipelines.cli.options import Warehouse


class ExportFormat(str, Enum):
    parquet = "parquet"
    csv = "csv"
    xlsx = "xlsx"


def register(app: typer.Typer) -> None:
    app.command("export")(export)


def export(
    year: Annotated[int, typer.Option("--year", help="年度 / report year")],
    out: Annotated[Path, typer.Option("--out", help="输出目录 / output folder")],
    fmt: Annotated[ExportFormat, typer.Option("--format", help="parquet | csv | xlsx（每县一个工作簿 / one workbook per county）")] = ExportFormat.parquet,
    county: Annotated[str | None, typer.Option("--county", help="只导出该县（市、区）/ only this county")] = None,
    warehouse: Warehouse = None,
) -> None:
    """导出某年度全部表格（含标签）/ export every table of a year with its labels: parquet or csv (one file per
    table), or xlsx (one workbook per county: a sheet per statutory table, agencies as rows, the county total,
    the checks). A manifest.json describes the files (layout version 1, docs/export.md)."""
    from pipelines.defs.exports.export import export_year
    from pipelines.settings import settings

    cfg = settings(warehouse=warehouse)
    manifest = export_year(cfg.warehouse, year, out, fmt.value, county, progress=lambda name: typer.echo(f"… {name}", err=True))
    for f in manifest["files"]:
        detail = f"{f['rows']} 行 / rows" if "rows" in f else f"{f['agencies']} 个机构 / agencies"
        typer.echo(f"{out / f['file']}  {detail}")
    typer.echo(f"{out / 'manifest.json'}")
