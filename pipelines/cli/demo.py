"""`gongkai demo`: on a fresh checkout, the whole job on the bundled sample county."""

import datetime as dt

import typer

from pipelines.cli.options import Raw, Warehouse


def register(app: typer.Typer) -> None:
    app.command("demo")(demo)


def demo(raw: Raw = None, warehouse: Warehouse = None) -> None:
    """生成示例台账（如尚无）、物化全部示例年度、显示数据仓库和报告位置 / build the sample ledgers of 昌乐县 if absent,
    materialize every sample year, and print where the warehouse and the reports are. Quarantined sample rows are
    deliberate: the demo shows them and still exits 0."""
    from pipelines.cli.materialize import print_summary
    from pipelines.defs.generate.sample import YEARS, generate_sample, has_ledgers
    from pipelines.run import materialize_years
    from pipelines.settings import settings

    cfg = settings(raw=raw, warehouse=warehouse)
    if has_ledgers(cfg.raw_dir):
        typer.echo(f"使用已有台账 / using the ledgers in {cfg.raw_dir}", err=True)
    else:
        typer.echo(f"生成示例台账 / writing the sample ledgers to {cfg.raw_dir}", err=True)
        generate_sample(cfg.raw_dir)
    outcome = materialize_years(cfg, list(YEARS), progress=lambda msg: typer.echo(f"… {msg}", err=True))
    print_summary(cfg, list(YEARS))
    for line in outcome.failed_reports:
        typer.echo(f"报告未生成 / report not written: {line}", err=True)
    print_deadlines(cfg, list(YEARS))
    typer.echo("")
    typer.echo("试一试 / try:  gongkai tables --year 2022 --agency 11370725MB28501425")
    typer.echo('              gongkai sql "SELECT * FROM v_county_year ORDER BY year"')
    typer.echo(f"              gongkai validate {cfg.raw_dir}")
    typer.echo(f"              gongkai due --on {DUE_DAY} --within {DUE_WITHIN}")
    typer.echo(f"              gongkai check --year {YEARS[-1]}")


# The sample's 2023 ledgers were exported on 5 January 2024: the day its list of applications due soon is for.
DUE_DAY = dt.date(2024, 1, 5)
DUE_WITHIN = 10  # working days, as the desk's "due soon"


def print_deadlines(cfg, years: list[int]) -> None:
    """Answers past their statutory due date, fees above the by-count limit, and what was due soon on DUE_DAY."""
    from pipelines.defs.compliance.due import as_text, due_list
    from pipelines.defs.compliance.fees import excess_rows
    from pipelines.defs.findings import fee_findings
    from pipelines.defs.warehouse import warehouse as wh

    late = wh.query(
        cfg.warehouse,
        """SELECT agency_name, application_id, received_on, due_on, closed_on, working_days_used FROM v_application_deadline
           WHERE status = 'late' ORDER BY closed_on, agency_code, application_id""",
    )
    typer.echo("")
    typer.echo(f"逾期答复 / answered after the statutory due date: {late.height}")
    for name, app, received, due, closed, used in late.iter_rows():
        typer.echo(f"  {name} {app}：{received} 收到，{due} 到期，{closed} 答复（用时 {used} 个工作日） / received {received}, due {due}, answered {closed}")
    rows = [r for year in years for r in excess_rows(cfg.warehouse, None, year)]
    typer.echo(f"信息处理费超过按件计收上限 / fees above the by-count limit: {len(rows)}")
    for finding in fee_findings(rows):
        typer.echo(f"  {finding.title}；{finding.where}")
    typer.echo(as_text(due_list(cfg.warehouse, DUE_DAY, DUE_WITHIN), DUE_DAY, DUE_WITHIN))
