"""`gongkai validate`: a clerk checks ledgers before handing them in. Nothing is loaded.

Problems first: one line per file that has one, then the problems grouped by rule with their rows, in the
clerk's own header names (a problem on every row of a file is said once), then which agency-years are
incomplete and why. `--all` adds the full per-file table and every row of every group."""

import json
import sys
from pathlib import Path
from typing import Annotated

import typer

from pipelines.cli.options import Raw, TextOrJson
from pipelines.errors import GongkaiError

SHOWN = 20  # rows listed per problem without --all


def register(app: typer.Typer) -> None:
    app.command("validate")(validate)


def validate(
    paths: Annotated[
        list[Path] | None, typer.Argument(help="台账文件或目录（默认：台账根目录）/ ledger files or folders [default: the raw root]", show_default=False)
    ] = None,
    fmt: Annotated[TextOrJson, typer.Option("--format", help="text 供阅读，json 供脚本 / text for people, json for scripts")] = TextOrJson.text,
    show_all: Annotated[bool, typer.Option("--all", help="列出每个文件及每一行问题 / list every file and every problem row")] = False,
    raw: Raw = None,
) -> None:
    """逐行校验台账：先列出有问题的文件和按规则归类的问题行，再列出不完整的机构年度及原因 / check ledgers row by row:
    the files with problems and the problem rows grouped by rule first, then the incomplete agency-years and why.
    Exit 1 when a row is quarantined, a file rejected or a row of the holiday override file (calendar.csv) bad."""
    from pipelines.defs.calendar import workdays
    from pipelines.defs.ingest import lake
    from pipelines.defs.ingest.check import check_files
    from pipelines.defs.ingest.discover import discover, discover_paths, is_raw_root
    from pipelines.settings import settings

    cfg = settings(raw=raw)
    targets = paths or [cfg.raw_dir]
    for p in targets:
        if not p.exists():
            raise GongkaiError(f"找不到文件或目录：{p}", f"no such file or folder: {p}")
    files = discover_paths(targets)
    whole_root = len(targets) == 1 and is_raw_root(targets[0])
    if not any(f.kind == "agencies" for f in files) and cfg.raw_dir.exists():
        # Agency codes are checked against the raw root's agency list (and register) when the files named carry none.
        files = [f for f in discover(cfg.raw_dir) if f.kind == "agencies"] + files
    if not any(not f.not_read for f in files):
        raise GongkaiError("没有找到台账文件（.csv/.xlsx/.xls/.parquet）", "no ledger files (.csv/.xlsx/.xls/.parquet) found")
    report = check_files(files, cfg.pii_key(), whole_root, previous=lake.current(cfg.lake_dir), today=cfg.today(), progress=_progress(len(files)))
    calendar = cfg.raw_dir / workdays.OVERRIDE_FILE
    if calendar.is_file():  # the holiday override file is checked like a ledger: each bad row one line
        report["calendar"] = {"path": workdays.OVERRIDE_FILE, "problems": list(workdays.read_override(calendar)[1])}
    if fmt is TextOrJson.json:
        typer.echo(json.dumps(report, ensure_ascii=False, indent=2, default=str))
    else:
        _print_text(report, show_all)
    bad = any(f["quarantined"] or f["status"] == "rejected" for f in report["files"]) or bool(report.get("calendar", {}).get("problems"))
    raise typer.Exit(1 if bad else 0)


def _progress(total: int):
    if total < 20 or not sys.stderr.isatty():
        return None
    state = {"n": 0}

    def tick(path: str) -> None:
        state["n"] += 1
        typer.echo(f"\r读取 / reading {state['n']}/{total} {path[:60]:<60}", err=True, nl=state["n"] == total)

    return tick


def _where(path: str, sheet: str | None) -> str:
    return path if not sheet else f"{path}［{sheet}］"


def _file_line(f: dict) -> str:
    if f["status"] == "rejected":
        return f"✗ {f['path']}  整个文件未读取 / rejected whole: {f['error']}"
    if f["status"] == "not_read":
        return f"· {f['path']}  {f['error']}"
    parts = [f"{f['rows']} 行 rows", f"{f['accepted']} 通过 accepted"]
    if f["quarantined"]:
        parts.append(f"{f['quarantined']} 隔离 quarantined")
    if f["total_rows"]:
        parts.append(f"{f['total_rows']} 合计行 total rows (not records)")
    mark = "✗" if f["quarantined"] else "✓"
    sheets = f.get("sheets") or ""
    # the sheet is worth naming when the header is not on row 1, or the workbook has other sheets
    extra = f"  · {sheets}" if sheets and ("；" in sheets or f.get("note") or "表头第1行" not in sheets) else ""
    return f"{mark} {f['path']}  " + "，".join(parts) + extra


def _print_text(report: dict, show_all: bool) -> None:
    from rich.console import Console
    from rich.markup import escape

    console = Console(highlight=False, soft_wrap=True)  # a line per file or row, never broken: clerks copy them
    files = report["files"]
    flagged = [f for f in files if f["status"] != "read" or f["quarantined"] or f.get("note")]
    fine = [f for f in files if f not in flagged]
    console.print(f"[bold]台账校验 / ledger check[/bold]: {len(files)} 个文件 files")
    for f in flagged:
        console.print(escape(_file_line(f)))
        if f.get("note"):
            console.print(escape(f"    {f['note']}"))
    if fine and not show_all:
        console.print(f"✓ 其余 {len(fine)} 个文件没有问题 / the other {len(fine)} files are fine" + ("（--all 逐一列出 / --all lists them）" if fine else ""))

    if report["problems"]:
        console.print(f"\n[bold]问题 / problems[/bold]（按规则 / by rule，共 {sum(p['rows'] for p in report['problems'])} 行 rows）")
    for p in report["problems"]:
        console.print(escape(f"\n[{p['rule']}] {p['title']} — {p['rows']} 行 rows"))
        for place in p["places"]:
            header = f"「{place['header']}」" if place.get("header") else (f"（{place['column']}）" if place.get("column") else "")
            rows = place["rows"]
            where = _where(place["path"], place["sheet"])
            if place["every_row"]:
                values = sorted({r["value"] for r in rows if r["value"]})[:3]
                shown = f"，如 e.g. {'、'.join(values)}" if values else ""
                console.print(escape(f"  {where} 列 column {header}：全部 {len(rows)} 行 / every row ({rows[0]['row']}–{rows[-1]['row']}){shown}"))
                console.print(escape(f"    {rows[0]['message']}"))
                continue
            for r in rows if show_all else rows[:SHOWN]:
                rid = f" {r['record_id']}" if r["record_id"] else ""
                console.print(escape(f"  {where} 第{r['row']}行 row {r['row']}{rid} {header}：{r['message']}"))
            if not show_all and len(rows) > SHOWN:
                console.print(f"  … 另 {len(rows) - SHOWN} 行 / {len(rows) - SHOWN} more rows (--all)")
    corrected = [q for q in report["quarantine"] if q["superseded"]]
    if corrected:
        console.print(f"\n已由后续导出更正 / corrected by a later export ({len(corrected)})")
        for q in corrected:
            console.print(escape(f"  {_where(q['path'], q['sheet'])} 第{q['row']}行 row {q['row']} {q['record_id'] or ''} [{q['rule']}]"))

    calendar = report.get("calendar")
    if calendar and calendar["problems"]:
        console.print(f"\n[bold]节假日调休文件 / holiday override[/bold] {calendar['path']}（这些行未采用 / these rows are not used）")
        for line in calendar["problems"]:
            console.print(escape(f"  {line}"))

    if report["incomplete"]:
        console.print("\n[bold]不完整的机构年度 / incomplete agency-years[/bold]（报告只能是草稿 / the reports can only be drafts）")
        last = None
        for r in report["incomplete"]:
            if (r["agency_code"], r["year"]) != last:
                last = (r["agency_code"], r["year"])
                console.print(escape(f"  {r['agency_code']} {r['year']}年"))
            console.print(escape(f"    - {r['detail_zh']} / {r['detail_en']}"))

    if show_all:
        # plain lines, not a drawn table: paths stay whole whatever the terminal's width
        console.print("\n[bold]每个文件 / every file[/bold]（行数 rows = 通过 accepted + 隔离 quarantined + 合计行 total rows）")
        for f in files:
            counts = "未读取 / not read" if f["rows"] is None else f"{f['rows']} = {f['accepted']} + {f['quarantined']} + {f['total_rows']}"
            console.print(escape(f"  {f['path']}  [{f['kind'] or '?'}]  {counts}"))
    total = sum(f["rows"] or 0 for f in files)
    bad = sum(f["quarantined"] or 0 for f in files)
    totals = sum(f["total_rows"] or 0 for f in files)
    rejected = sum(1 for f in files if f["status"] == "rejected")
    console.print(
        f"\n共 {total} 行，通过 {total - bad - totals} 行，隔离 {bad} 行，合计行 {totals} 行；整个文件未读取 {rejected} 个 / "
        f"{total} rows, {total - bad - totals} accepted, {bad} quarantined, {totals} total rows; {rejected} files rejected"
    )
