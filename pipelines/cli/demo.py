"""`gongkai demo`: on a fresh checkout, the whole job on the bundled sample county."""

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
    typer.echo("")
    typer.echo("试一试 / try:  gongkai tables --year 2022 --agency 11370725MB28501425")
    typer.echo('              gongkai sql "SELECT * FROM v_county_year ORDER BY year"')
    typer.echo(f"              gongkai validate {cfg.raw_dir}")
