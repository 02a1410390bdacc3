"""`gongkai materialize`: one or more years through Dagster, in-process."""

from typing import Annotated

import typer

from pipelines.cli.options import Raw, Warehouse, parse_years


def register(app: typer.Typer) -> None:
    app.command("materialize")(materialize)


def materialize(
    year: Annotated[int | None, typer.Option("--year", help="年度，如 2022 / report year")] = None,
    years: Annotated[str | None, typer.Option("--years", help="年度范围，如 2021-2023 / a range of years")] = None,
    changed: Annotated[
        bool, typer.Option("--changed", help="只刷新台账有变化的年度（每晚运行的做法）/ only the years whose ledgers changed (what the nightly run does)")
    ] = False,
    raw: Raw = None,
    warehouse: Warehouse = None,
) -> None:
    """导入台账、计算表格、检查勾稽关系、装入数据仓库 / ingest, validate, compute the tables, check them and load the
    warehouse for the given years (only the agencies whose ledgers changed are recomputed). Exit 1 when rows
    are quarantined or a check fails."""
    from pipelines.errors import GongkaiError
    from pipelines.run import materialize_years
    from pipelines.settings import settings

    cfg = settings(raw=raw, warehouse=warehouse)
    if changed and (year is not None or years is not None):
        raise GongkaiError("--changed 不能与 --year/--years 同用", "--changed cannot be combined with --year/--years")
    wanted = None if changed else parse_years(year, years)
    outcome = materialize_years(cfg, wanted, progress=lambda msg: typer.echo(f"… {msg}", err=True))
    done = outcome.years
    if changed and not done:
        typer.echo("台账没有影响任何年度的变化 / no year's ledgers changed", err=True)
    problems = print_summary(cfg, done)
    for line in outcome.failed_reports:  # every other report and year was written
        typer.echo(f"报告未生成 / report not written: {line}", err=True)
    raise typer.Exit(1 if problems or outcome.failed_reports else 0)


def print_summary(cfg, years: list[int]) -> int:
    """Print what was loaded; returns the number of data problems (quarantined rows + failed checks)."""
    from rich.console import Console
    from rich.table import Table

    from pipelines.defs.warehouse import warehouse as wh

    placeholders = ",".join("?" for _ in years) or "NULL"  # no year: an empty table
    per_year = wh.query(
        cfg.warehouse,
        f"""SELECT year, count(*) AS agencies, count(*) FILTER (WHERE NOT complete) AS incomplete,
                   sum(checks_failed) AS checks_failed, sum(items_published) AS items,
                   sum(applications_received) AS received
            FROM v_agency_year WHERE year IN ({placeholders}) GROUP BY year ORDER BY year""",
        years,
    )
    files = wh.query(
        cfg.warehouse,
        """SELECT count(*) AS files, sum("rows") AS rows, sum(quarantined) AS quarantined, sum(total_rows) AS total_rows,
                  count(*) FILTER (WHERE status = 'rejected') AS rejected, count(*) FILTER (WHERE status = 'not_read') AS not_read
           FROM ledger_file""",
    )
    f = files.row(0, named=True)
    console = Console(highlight=False)
    console.print(
        f"台账 / ledgers: {f['files']} 个文件 files, {f['rows'] or 0} 行 rows, 隔离 quarantined {f['quarantined'] or 0}, 合计行 total rows {f['total_rows'] or 0}, "
        f"整个文件未读取 rejected files {f['rejected']}, 非台账文件 not ledgers {f['not_read']}"
    )
    missing = wh.query(
        cfg.warehouse,
        f"""SELECT d.agency_name, r.year, string_agg(r.kind, ',' ORDER BY r.kind) AS kinds FROM incomplete_reason r JOIN dim_agency d USING (agency_code)
            WHERE r.reason = 'ledger_missing' AND r.year IN ({placeholders}) GROUP BY ALL ORDER BY r.year, d.agency_name""",
        years,
    )
    for name, yr, kinds in missing.iter_rows():
        console.print(f"缺报/未报送 / not accounted for: {name} {yr}年 {kinds}")
    table = Table(title="已入库 / loaded")
    for col in ("年度 year", "机构 agencies", "不完整 incomplete", "勾稽不符 checks failed", "主动公开 items", "新收申请 applications"):
        table.add_column(col, justify="right")
    for r in per_year.iter_rows():
        table.add_row(*(str(x) for x in r))
    console.print(table)
    console.print(f"数据仓库 / warehouse: {cfg.warehouse}")
    overviews = sorted(cfg.reports_dir.glob("overview/*/*.html"))
    if overviews:
        console.print(f"年度报告 / annual reports: {cfg.reports_dir}/<统一社会信用代码>/<年度>.docx|html|xlsx")
        for page in overviews:
            console.print(f"县级总览 / county overview: {page}")
    return int(f["quarantined"] or 0) + int(f["rejected"] or 0) + int(per_year.get_column("checks_failed").sum() or 0)
