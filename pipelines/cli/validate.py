"""`gongkai validate`: a clerk checks ledgers before handing them in. Nothing is loaded."""

import json
import sys
from pathlib import Path
from typing import Annotated

import typer

from pipelines.cli.options import Raw, TextOrJson
from pipelines.errors import GongkaiError


def register(app: typer.Typer) -> None:
    app.command("validate")(validate)


def validate(
    paths: Annotated[
        list[Path] | None, typer.Argument(help="台账文件或目录（默认：台账根目录）/ ledger files or folders [default: the raw root]", show_default=False)
    ] = None,
    fmt: Annotated[TextOrJson, typer.Option("--format", help="text 供阅读，json 供脚本 / text for people, json for scripts")] = TextOrJson.text,
    raw: Raw = None,
) -> None:
    """逐行校验台账，列出每个文件的行数、通过数、隔离数及每条隔离原因 / check ledgers row by row: per file rows read,
    accepted and quarantined, and every quarantined row with its rule. Exit 1 when anything is quarantined."""
    from pipelines.defs.ingest.discover import discover, discover_paths
    from pipelines.defs.ingest.ingest import ingest
    from pipelines.defs.ingest.report import validation_report
    from pipelines.settings import settings

    cfg = settings(raw=raw)
    targets = paths or [cfg.raw_dir]
    for p in targets:
        if not p.exists():
            raise GongkaiError(f"找不到文件或目录：{p}", f"no such file or folder: {p}")
    files = discover_paths(targets)
    if not any(f.kind == "agencies" for f in files) and cfg.raw_dir.exists():
        # Agency codes are checked against the raw root's agency list when the files named carry none.
        files = [f for f in discover(cfg.raw_dir) if f.kind == "agencies"] + files
    if not files:
        raise GongkaiError("没有找到台账文件（.csv/.xlsx/.parquet）", "no ledger files (.csv/.xlsx/.parquet) found")
    result = ingest(files, cfg.pii_key(), progress=_progress(len(files)))
    report = validation_report(result)
    if fmt is TextOrJson.json:
        typer.echo(json.dumps(report, ensure_ascii=False, indent=2))
    else:
        _print_text(report)
    bad = any(f["quarantined"] or f.get("error") for f in report["files"])
    raise typer.Exit(1 if bad else 0)


def _progress(total: int):
    if total < 20 or not sys.stderr.isatty():
        return None
    state = {"n": 0}

    def tick(path: str) -> None:
        state["n"] += 1
        typer.echo(f"\r读取 / reading {state['n']}/{total} {path[:60]:<60}", err=True, nl=state["n"] == total)

    return tick


def _print_text(report: dict) -> None:
    from rich.console import Console
    from rich.markup import escape
    from rich.table import Table

    console = Console(highlight=False)
    table = Table(title="台账校验 / ledger check", show_lines=False)
    for col, just in (
        ("文件 / file", "left"),
        ("类型 / kind", "left"),
        ("行数 / rows", "right"),
        ("通过 / accepted", "right"),
        ("隔离 / quarantined", "right"),
    ):
        table.add_column(col, justify=just, overflow="fold")
    for f in report["files"]:
        if f.get("error"):
            table.add_row(f["path"], f["kind"] or "?", "-", "-", "-")
        else:
            table.add_row(f["path"], f["kind"], str(f["rows"]), str(f["accepted"]), str(f["quarantined"]))
    console.print(table)
    for f in report["files"]:
        if f.get("error"):
            console.print(f"[red]整个文件未读取 / file rejected[/red] {escape(f['path'])}: {escape(f['error'])}")
    if report["quarantine"]:
        console.print(f"\n[bold]隔离的行 / quarantined rows ({len(report['quarantine'])})[/bold]")
        for q in report["quarantine"]:
            rid = f" {q['record_id']}" if q["record_id"] else ""
            later = "（已由后续导出更正 / corrected by a later export）" if q["superseded"] else ""
            console.print(escape(f"  {q['path']} 第{q['row']}行 / row {q['row']}{rid} [{q['rule']}] {q['message']}{later}"))
    total = sum(f["rows"] or 0 for f in report["files"])
    bad = sum(f["quarantined"] or 0 for f in report["files"])
    console.print(f"\n共 {total} 行，通过 {total - bad} 行，隔离 {bad} 行 / {total} rows, {total - bad} accepted, {bad} quarantined")
