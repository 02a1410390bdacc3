"""`gongkai report`: the annual reports of a year (and each county's overview), from the warehouse."""

from pathlib import Path
from typing import Annotated

import typer

from pipelines.cli.options import Warehouse


def register(app: typer.Typer) -> None:
    app.command("report")(report)


def report(
    year: Annotated[int, typer.Option("--year", help="年度 / report year")],
    agency: Annotated[list[str] | None, typer.Option("--agency", help="只生成该机构（可重复）/ only this agency (repeatable)")] = None,
    out: Annotated[Path | None, typer.Option("--out", help="输出目录 / output folder [default: data/warehouse/reports]", show_default=False)] = None,
    warehouse: Warehouse = None,
) -> None:
    """生成年度报告（DOCX、HTML、XLSX）及县级总览页；数据不完整或勾稽不符的标为草稿 / write the annual reports (DOCX,
    HTML, XLSX) and, for a whole year, each county's overview page. Incomplete or failing agency-years are drafts.
    Exit 1 when any report is a draft or could not be written (each named; the others are written)."""
    from pipelines.defs.reports.dismissals import dismissed_findings
    from pipelines.defs.reports.publish import publish_reports
    from pipelines.defs.warehouse.read import agency_year_tables
    from pipelines.errors import GongkaiError
    from pipelines.settings import settings

    cfg = settings(warehouse=warehouse)
    out_dir = out or cfg.reports_dir
    codes = None
    if agency:
        codes = [agency_year_tables(cfg.warehouse, code, year)["agency_code"] for code in agency]  # validates each code
    written = publish_reports(
        cfg.warehouse,
        year,
        out_dir,
        cfg.narratives_dir,
        codes,
        progress=lambda done, total, name: typer.echo(f"… {done}/{total} {name}", err=True),
        dismissed=dismissed_findings(cfg.desk_db, year),
    )
    if not written["reports"] and not written["failed"]:
        raise GongkaiError(
            f"{year}年尚未入库（请先运行 gongkai materialize --year {year}）", f"year {year} is not loaded (run gongkai materialize --year {year})"
        )
    for code, files in written["reports"].items():
        mark = "  草稿 / DRAFT" if code in written["drafts"] else ""
        typer.echo(f"{files['docx'].parent}/{year}.{{docx,html,xlsx}}{mark}")
    for county, page in written["overviews"].items():
        typer.echo(f"总览 / overview {county}: {page}")
    typer.echo(f"{len(written['reports'])} 份报告，{len(written['drafts'])} 份草稿 / {len(written['reports'])} reports, {len(written['drafts'])} drafts")
    for line in written["failed"].values():  # the others were written
        typer.echo(f"报告未生成 / report not written: {line}", err=True)
    raise typer.Exit(1 if written["drafts"] or written["failed"] else 0)
