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


# Table A and R in a narrow terminal: numbers columns keep this width (a heading folds onto a second line) and
# the columns that do not fit go to a continuation block that repeats the row labels; none is ever dropped.
NUMBER_WIDTH = 8
LABEL_MIN_WIDTH = 24


def column_blocks(columns: int, width: int, number_width: int = NUMBER_WIDTH, label_min: int = LABEL_MIN_WIDTH) -> list[range]:
    """The columns split into blocks that each fit `width` beside the label column (at least one per block)."""
    per_block = max(1, (width - label_min - 4) // (number_width + 3))
    return [range(i, min(i + per_block, columns)) for i in range(0, columns, per_block)]


def application_row_labels() -> list[tuple[str, str | None]]:
    """Table A's rows as the form prints them: (label, row key); a heading of its own has no key."""
    out: list[tuple[str, str | None]] = []
    seen: set[str] = set()
    for row in v.APPLICATION_ROWS:
        if row.key == "3.1":
            out.append((v.RESULTS_HEADING, None))
        if row.group and row.group not in seen:
            seen.add(row.group)
            out.append((f"  {row.group}", None))
        if row.key == "3.1" or (row.key.startswith("3.") and not row.group):
            out.append((f"  {row.short}", row.key))
        elif row.group:
            out.append((f"    {row.short}", row.key))
        else:
            out.append((row.short, row.key))
    return out


def print_text(obj: dict) -> None:
    from rich.markup import escape
    from rich.table import Table

    from pipelines.cli.console import console as make_console
    from pipelines.cli.console import emit

    width = make_console().width
    out: list[object] = []  # printed at the end: whole into a pipe, without rich's padding at line ends
    status = "" if obj["complete"] else "  [bold red]不完整 / incomplete[/bold red]"
    out.append(f"[bold]{escape(obj['agency_name'])}[/bold] {obj['agency_code']}  {obj['year']}年{status}")
    for reason in obj.get("incomplete_reasons") or []:
        out.append(f"  - {escape(reason)}")

    ch = obj["channels"]
    parts = "，".join(f"{v.CHANNEL_BY_KEY[k].label}{n}条" for k, n in ch.items() if k != "total")
    out.append(f"\n一、总体情况：主动公开政府信息{ch['total']}条" + (f"（{parts}）" if parts else ""))

    p = Table(title="二、主动公开政府信息情况", show_lines=False)
    for col in ("第二十条", "信息内容", "指标", "数值"):
        p.add_column(col, overflow="fold")
    for item in v.PROACTIVE_ITEMS:
        for m in item.metrics:
            p.add_row(item.article, item.label, m.label, figure(obj["proactive"][item.key][m.key]))
    out.append(p)

    keys = v.APPLICATION_COLUMN_KEYS
    widths = [max(NUMBER_WIDTH, *(len(str(obj["applications"][r.key][c])) for r in v.APPLICATION_ROWS)) for c in keys]
    for n, block in enumerate(column_blocks(len(keys), width, max(widths))):
        title = "三、收到和处理政府信息公开申请情况" + ("" if n == 0 else "（续 / continued）")
        a = Table(title=title, show_lines=False)
        a.add_column("", min_width=LABEL_MIN_WIDTH, overflow="fold")
        for i in block:
            a.add_column(v.APPLICATION_COLUMN_LABELS[keys[i]], justify="right", overflow="fold", width=widths[i])
        for label, key in application_row_labels():
            a.add_row(label, *(str(obj["applications"][key][keys[i]]) if key else "" for i in block))
        out.append(a)
    out.append(f"  {v.APPLICANT_GROUP_LABEL}：自然人；{v.ORG_GROUP_LABEL}：" + "、".join(c.label for c in v.APPLICANT_COLUMNS[1:]) + "；总计")

    results = v.APPEAL_RESULTS
    # the group labels fold well (行政诉讼（未经复议直接起诉）): a narrower label column keeps the five results together
    for n, block in enumerate(column_blocks(len(results), width, label_min=14)):
        r = Table(title="四、政府信息公开行政复议、行政诉讼情况" + ("" if n == 0 else "（续 / continued）"))
        r.add_column("", min_width=14, overflow="fold")
        for i in block:
            r.add_column(results[i].label, justify="right", overflow="fold", width=NUMBER_WIDTH)
        for g in v.APPEAL_GROUPS:
            r.add_row(g.full_label, *(str(obj["appeals"][g.key][results[i].key]) for i in block))
        out.append(r)

    if obj["checks"]:
        out.append("\n勾稽关系 / consistency checks")
        for c in obj["checks"]:
            color = {"pass": "green", "warn": "yellow", "fail": "red"}[c["status"]]
            out.append(f"  [{color}]{c['status']:<4}[/{color}] {c['id']}  {escape(c['message'])}")
    emit(*out)
