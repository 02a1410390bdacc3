"""The `gongkai` command. Each command lives in its own module and registers itself here."""

import sys

import typer

from pipelines.errors import GongkaiError
from pipelines.settings import settings

app = typer.Typer(
    name="gongkai",
    help="gongkai 公开 — 政府信息公开工作年度报告的台账校验、统计与数据仓库 / ledgers, statutory tables and warehouse "
    "for the annual government information disclosure report.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)


@app.callback()
def _root() -> None:
    """gongkai 公开 — 政府信息公开工作年度报告的台账校验、统计与数据仓库 / ledgers, statutory tables and warehouse for
    the annual government information disclosure report. 常用 / common: demo, validate, materialize, tables, sql."""


def _register() -> None:
    # Imported here so `gongkai --help` stays fast and each command owns its module.
    from pipelines.cli import bench, check, demo, due, explain, export, generate, materialize, report, serve, sql, tables, template, user, validate

    for module in (demo, validate, materialize, tables, explain, sql, export, report, check, due, generate, bench, template, user, serve):
        module.register(app)


def main() -> None:
    _register()
    try:
        app(standalone_mode=True)
    except GongkaiError as err:
        typer.echo(f"错误 / error: {err}", err=True)
        sys.exit(err.exit_code)
    except KeyboardInterrupt:
        typer.echo("已中断 / interrupted", err=True)
        sys.exit(130)
    except Exception as err:
        if settings().debug:
            raise
        typer.echo(f"内部错误 / internal error: {type(err).__name__}: {err} (GONGKAI_DEBUG=1 shows details)", err=True)
        sys.exit(2)
