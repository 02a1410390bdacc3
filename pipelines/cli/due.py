"""`gongkai due`: applications still open, by statutory due date (the clerk's morning list)."""

import datetime as dt
import json
from typing import Annotated

import typer

from pipelines.cli.options import Format, Warehouse
from pipelines.errors import GongkaiError


def register(app: typer.Typer) -> None:
    app.command("due")(due)


def due(
    within: Annotated[
        int | None, typer.Option("--within", help="只列N个工作日内到期的（含已逾期） / only those due within N working days, overdue included")
    ] = None,
    agency: Annotated[str | None, typer.Option("--agency", help="统一社会信用代码 / agency code")] = None,
    on: Annotated[str | None, typer.Option("--on", help="按哪一天计算（YYYY-MM-DD，默认今天） / as of this day (default today)")] = None,
    fmt: Annotated[Format, typer.Option("--format", help="text | json | csv")] = Format.text,
    warehouse: Warehouse = None,
) -> None:
    """未办结的依申请公开按答复期限排序 / open applications by statutory due date, as of a day."""
    from pipelines.defs.compliance.due import as_csv, as_json, as_text, due_list
    from pipelines.settings import settings

    cfg = settings(warehouse=warehouse)
    if within is not None and within < 0:
        raise GongkaiError("--within 不能为负数", "--within must not be negative")
    try:
        day = dt.date.fromisoformat(on) if on else cfg.today()
    except ValueError as err:
        raise GongkaiError(f"--on 应为 YYYY-MM-DD：{on}", f"--on must be YYYY-MM-DD: {on}") from err
    frame = due_list(cfg.warehouse, day, within, agency)
    if fmt is Format.json:
        typer.echo(json.dumps(as_json(frame), ensure_ascii=False, indent=2))
    elif fmt is Format.csv:
        typer.echo(as_csv(frame), nl=False)
    else:
        typer.echo(as_text(frame, day, within))
