"""`gongkai tables`: the three statutory tables of one agency-year, from the warehouse."""

import csv
import io
import json
from typing import Annotated

import typer

from pipelines.cli.options import Format, Warehouse
from pipelines.defs.figures import figure
from schemas import vocabulary as v


def register(app: typer.Typer) -> None:
    app.command("tables")(tables)


def tables(
    year: Annotated[int, typer.Option("--year", help="年度 / report year")],
    agency: Annotated[str, typer.Option("--agency", help="统一社会信用代码 / agency code")],
    fmt: Annotated[Format, typer.Option("--format", help="text | json | csv")] = Format.text,
    warehouse: Warehouse = None,
) -> None:
    """某机构某年度的三张法定表格（读自数据仓库）/ the three statutory tables of one agency-year, read from the warehouse."""
    from pipelines.defs.warehouse.read import agency_year_tables
    from pipelines.settings import settings

    obj = agency_year_tables(settings(warehouse=warehouse).warehouse, agency, year)
    if fmt is Format.json:
        typer.echo(json.dumps(obj, ensure_ascii=False, indent=2))
    elif fmt is Format.csv:
        typer.echo(to_csv(obj), nl=False)
    else:
        print_text(obj)


def long_rows(obj: dict) -> list[dict]:
    """Every cell of the three tables and the channels, one per line (table, row, column, value)."""
    out = []
    for item in v.PROACTIVE_ITEMS:
        for m in item.metrics:
            out.append(
                {
                    "table": "P",
                    "row_key": item.key,
                    "row_label": item.label,
                    "column_key": m.key,
                    "column_label": m.label,
                    "value": obj["proactive"][item.key][m.key],
                }
            )
    for key, n in obj["channels"].items():
        label = v.CHANNEL_BY_KEY[key].label if key in v.CHANNEL_BY_KEY else "总计"
        out.append({"table": "channels", "row_key": key, "row_label": label, "column_key": "items", "column_label": "条", "value": n})
    for row in v.APPLICATION_ROWS:
        for col in v.APPLICATION_COLUMN_KEYS:
            out.append(
                {
                    "table": "A",
                    "row_key": row.key,
                    "row_label": row.label,
                    "column_key": col,
                    "column_label": v.APPLICATION_COLUMN_LABELS[col],
                    "value": obj["applications"][row.key][col],
                }
            )
    for g in v.APPEAL_GROUPS:
        for r in v.APPEAL_RESULTS:
            out.append(
                {"table": "R", "row_key": g.key, "row_label": g.label, "column_key": r.key, "column_label": r.label, "value": obj["appeals"][g.key][r.key]}
            )
    return out


def to_csv(obj: dict) -> str:
    buf = io.StringIO()
    rows = long_rows(obj)
    writer = csv.DictWriter(buf, fieldnames=["agency_code", "year", *rows[0].keys()])
    writer.writeheader()
    for r in rows:
        writer.writerow({"agency_code": obj["agency_code"], "year": obj["year"], **r})
    return buf.getvalue()


def print_text(obj: dict) -> None:
    from rich.console import Console
    from rich.markup import escape
    from rich.table import Table

    console = Console(highlight=False)
    status = "" if obj["complete"] else "  [bold red]不完整 / incomplete[/bold red]"
    console.print(f"[bold]{obj['agency_name']}[/bold] {obj['agency_code']}  {obj['year']}年{status}")
    for reason in obj.get("incomplete_reasons") or []:
        console.print(f"  - {escape(reason)}")

    ch = obj["channels"]
    parts = "，".join(f"{v.CHANNEL_BY_KEY[k].label}{n}条" for k, n in ch.items() if k != "total")
    console.print(f"\n一、总体情况：主动公开政府信息{ch['total']}条" + (f"（{parts}）" if parts else ""))

    p = Table(title="二、主动公开政府信息情况", show_lines=False)
    for col in ("第二十条", "信息内容", "指标", "数值"):
        p.add_column(col)
    for item in v.PROACTIVE_ITEMS:
        for m in item.metrics:
            p.add_row(item.article, item.label, m.label, figure(obj["proactive"][item.key][m.key]))
    console.print(p)

    a = Table(title="三、收到和处理政府信息公开申请情况", show_lines=False)
    a.add_column("", min_width=22, overflow="fold")
    for col in v.APPLICATION_COLUMN_KEYS:
        a.add_column(v.APPLICATION_COLUMN_LABELS[col], justify="right", overflow="fold")
    for row in v.APPLICATION_ROWS:
        label = row.short if not row.group or row.short.startswith(row.group) else f"  {row.short}"
        if row.key == "3.1":
            label = f"{v.RESULTS_HEADING}\n  {row.short}"
        a.add_row(label, *(str(obj["applications"][row.key][c]) for c in v.APPLICATION_COLUMN_KEYS))
    console.print(a)

    r = Table(title="四、政府信息公开行政复议、行政诉讼情况")
    r.add_column("", overflow="fold")
    for res in v.APPEAL_RESULTS:
        r.add_column(res.label, justify="right")
    for g in v.APPEAL_GROUPS:
        r.add_row(g.full_label, *(str(obj["appeals"][g.key][res.key]) for res in v.APPEAL_RESULTS))
    console.print(r)

    if obj["checks"]:
        console.print("\n勾稽关系 / consistency checks")
        for c in obj["checks"]:
            color = {"pass": "green", "warn": "yellow", "fail": "red"}[c["status"]]
            console.print(f"  [{color}]{c['status']:<4}[/{color}] {c['id']}  {c['message']}", markup=True)
