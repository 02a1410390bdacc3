"""`gongkai check FILE...`: read published annual reports and check their tables and figures."""

import json
from pathlib import Path

import typer

from pipelines.cli.options import Warehouse
from pipelines.defs.figures import figure
from pipelines.errors import GongkaiError
from schemas import vocabulary as v

FORMATS = ("text", "json")
_FORMAT_NAMES = {"national-2021": "2021年国家格式 / national format 2021", "trial-2019": "2019年试行格式 / trial format 2019"}
_STATUS = {"pass": "✓ 通过 pass", "warn": "! 提醒 warn", "fail": "✗ 不符 fail"}
_SEVERITY = {"error": "✗ 错误 error", "warning": "! 提醒 warning"}


def render_text(obj: dict) -> str:
    """One report for a county reviewer: who, the three tables as read, the checks, the findings."""
    out = []
    year = f"{obj['year']}年度" if obj["year"] else "年度不明 / year unknown"
    out.append(f"== {obj['agency_name'] or '机关名称不明 / agency unknown'} · {year} · {_FORMAT_NAMES[obj['format']]} ==")
    out.append(f"文件 / file: {obj['source']}")
    out.append("")
    out.append("表P 主动公开政府信息情况 / table P")
    for item in v.PROACTIVE_ITEMS:
        cells = "  ".join(f"{m.label} {figure(obj['proactive'][item.key][m.key])}" for m in item.metrics)
        out.append(f"  {item.label}：{cells}")
    ch = obj["channels"]
    listed = [f"{v.CHANNEL_BY_KEY[k].label} {n}" for k, n in ch.items() if k != "total"]
    if listed or ch.get("total") is not None:
        out.append(f"  公开渠道 / channels：{'，'.join(listed) or '—'}；总数 / total {figure(ch.get('total'))}")
    out.append("")
    out.append("表A 收到和处理政府信息公开申请情况 / table A（" + " / ".join(v.APPLICATION_COLUMN_LABELS[c] for c in v.APPLICATION_COLUMN_KEYS) + "）")
    for row in v.APPLICATION_ROWS:
        cells = " ".join(f"{figure(obj['applications'][row.key][c]):>3}" for c in v.APPLICATION_COLUMN_KEYS)
        label = f"{row.group}{row.short}" if row.group else row.short
        out.append(f"  {cells}   {label[:30]}")
    out.append("")
    out.append("表R 行政复议、行政诉讼情况 / table R（" + " / ".join(r.label for r in v.APPEAL_RESULTS) + "）")
    for g in v.APPEAL_GROUPS:
        cells = " ".join(f"{figure(obj['appeals'][g.key][r]):>3}" for r in v.APPEAL_RESULT_KEYS)
        out.append(f"  {cells}   {g.full_label}")
    out.append("")
    out.append("核对 / checks:")
    for c in obj["checks"]:
        rel = v.RELATION_BY_ID.get(c["id"])
        text = c["message"] if c["status"] != "pass" else (rel.zh if rel else "")
        out.append(f"  {_STATUS[c['status']]}  {c['id']}  {text}")
    errors = sum(f["severity"] == "error" for f in obj["findings"])
    warnings = len(obj["findings"]) - errors
    out.append("")
    out.append(f"发现 / findings：错误 errors {errors}，提醒 warnings {warnings}")
    for f in obj["findings"]:
        out.append(f"  {_SEVERITY[f['severity']]}  [{f['id']}]  {f['message']}")
    out.append("")
    if errors:
        out.append("结论 / verdict：报告存在错误，请核实更正 / the report has errors; check and correct it")
    elif warnings:
        out.append("结论 / verdict：未发现错误，有提醒事项请核实 / no errors; please review the warnings")
    else:
        out.append("结论 / verdict：未发现问题 / no problems found")
    return "\n".join(out)


def run_check(files: list[Path], fmt: str, load: bool = False, warehouse: Path | None = None) -> int:
    """Check every file, print the results, optionally store their figures; the exit status of interfaces.md."""
    from pipelines.defs.published.report import add_repeated, check_report, published_facts, to_object

    if fmt not in FORMATS:
        raise GongkaiError(f"--format 只能是 {'、'.join(FORMATS)}", f"--format must be one of {', '.join(FORMATS)}")
    reports, unreadable, errors = [], False, False
    for path in files:
        try:
            report = check_report(path)
        except GongkaiError as err:
            typer.echo(f"错误 / error: {err}", err=True)
            unreadable = True
            continue
        errors = errors or report.has_errors
        reports.append(report)
    add_repeated(reports)  # a report against the same agency's of the year before, when both are given
    objects = [to_object(r) for r in reports]
    if fmt == "json":
        if objects:
            payload = objects[0] if len(files) == 1 else objects
            typer.echo(json.dumps(payload, ensure_ascii=False, indent=2))
    elif objects:
        typer.echo("\n\n".join(render_text(o) for o in objects))
    if load and reports:
        from pipelines.defs.published.load import load_published
        from pipelines.settings import settings

        path = settings(warehouse=warehouse).warehouse
        done = load_published(path, published_facts(reports))
        typer.echo(
            f"已存入数据仓库 / loaded into {path}: {done['reports']} 份报告 reports, 其中 {done['matched']} 份匹配到机构代码 matched to an agency code",
            err=True,
        )
    return 2 if unreadable else 1 if errors else 0


def run_year_check(year: int, agency: str | None, fmt: str, warehouse: Path | None) -> int:
    """The findings about a loaded year's ledgers that are not in its tables: fees over the by-count limit.
    Warnings only (a reviewer may dismiss them): the exit status is 0."""
    from pipelines.defs.compliance.fees import excess_rows
    from pipelines.defs.findings import fee_findings
    from pipelines.settings import settings

    if fmt not in FORMATS:
        raise GongkaiError(f"--format 只能是 {'、'.join(FORMATS)}", f"--format must be one of {', '.join(FORMATS)}")
    path = settings(warehouse=warehouse).warehouse
    if not path.exists():
        raise GongkaiError(f"数据仓库不存在：{path}（请先运行 gongkai materialize）", f"no warehouse at {path} (run gongkai materialize first)")
    rows = excess_rows(path, agency.strip().upper() if agency else None, year)
    found = [(r["agency_code"], f) for r, f in zip(rows, fee_findings(rows), strict=True)]
    if fmt == "json":
        payload = [{"agency_code": code, "id": f.id, "severity": f.severity, "message": f.title, "records": f.where} for code, f in found]
        typer.echo(json.dumps(payload, ensure_ascii=False, indent=2))
    else:
        typer.echo(f"{year}年度台账发现 / findings of {year}: {len(found)}")
        for code, f in found:
            typer.echo(f"  {_SEVERITY[f.severity]}  {code}  [{f.id}]  {f.title}\n      {f.where}")
    return 0


def register(app: typer.Typer) -> None:
    @app.command("check")
    def check(
        files: list[Path] = typer.Argument(None, help="年度报告文件（.txt .html .docx .pdf） / published report files"),
        format: str = typer.Option("text", "--format", help="text | json"),
        load: bool = typer.Option(
            False, "--load", help="把报告数字存入数据仓库（与计算结果分开）/ store the figures in the warehouse, apart from computed ones"
        ),
        warehouse: Warehouse = None,
        year: int | None = typer.Option(
            None, "--year", help="不给文件时：核对数据仓库中该年度的台账发现（如信息处理费） / without files: the year's findings from the warehouse (fees …)"
        ),
        agency: str | None = typer.Option(None, "--agency", help="与 --year 同用：只看该机构 / with --year: this agency only"),
    ) -> None:
        """核对已发布的年度报告：读取三张统计表、检查勾稽关系和正文数字，并按审核要求检查文字 / check published annual
        reports: their tables, relations and figures, and their text as reviewers do (section 5 not empty, section 6
        states the fees, not more than half repeated from the same agency's report of the year before, when given).

        Without files, `--year Y [--agency CODE]` lists the findings the warehouse holds for the year's ledgers
        (fees above the by-count limit, naming the applications).

        Exit status: 0 no errors, 1 some report has an error-level finding, 2 unreadable input.
        JSON: one object per report (a list when several files are given); cells the report
        leaves blank or marks "/" are null, with a finding.
        """
        if not files:
            if year is None:
                raise GongkaiError("请给出年度报告文件，或用 --year 核对数据仓库中的年度", "give published report files, or --year to check a loaded year")
            raise typer.Exit(run_year_check(year, agency, format, warehouse))
        raise typer.Exit(run_check(files, format, load, warehouse))
