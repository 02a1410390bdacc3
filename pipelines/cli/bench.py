"""`gongkai bench`: time every stage at a scale, against DuckDB SQL, pandas and the count(*) floor."""

import json
from pathlib import Path

import typer

from pipelines.cli.options import TextOrJson


def register(app: typer.Typer) -> None:
    app.command("bench")(bench)


def bench(
    scale: str = typer.Option(
        "province",
        "--scale",
        help="规模 / county, city, province, national (generated once into /tmp/gongkai-bench/<scale>), or sample (the messy 昌乐县 sample; no baselines)",
    ),
    year: int = typer.Option(2022, "--year", help="年份 / the year to bench"),
    data: Path = typer.Option(None, "--data", help="台账目录 / raw root to use (generated there if empty) instead of the cache dir"),
    stages: str = typer.Option(
        None,
        "--stages",
        help="阶段 / comma list of: floor, duckdb_sql, pandas, ingest, tables, warehouse, query, reports, ingest_warm, e2e, e2e_warm (default all; prerequisites are added)",
    ),
    sample: int = typer.Option(50, "--sample", help="报告样本数 / agencies whose reports are rendered (per-agency time is extrapolated)"),
    input_format: str = typer.Option("csv", "--input-format", help="输入格式 / csv or parquet ledgers"),
    fmt: TextOrJson = typer.Option(TextOrJson.text, "--format", help="输出格式 / text or json"),
    out: Path = typer.Option(None, "--out", help="结果文件 / write the JSON results to this file"),
    repeat: int = typer.Option(1, "--repeat", help="重复次数 / runs per measurement, each in a fresh process; the fastest is reported"),
    keep: bool = typer.Option(False, "--keep", help="保留工作目录 / keep the run's lake, warehouse and Dagster instance"),
) -> None:
    """基准测试 / time read+validate, tables, warehouse load, reports and the whole year through Dagster; rows/s,
    seconds, peak memory per stage; the same tables by plain DuckDB SQL and pandas (totals must match); targets."""
    from pipelines.bench.main import mismatched, run_bench
    from pipelines.bench.report import render

    chosen = [s.strip() for s in stages.split(",") if s.strip()] if stages else None
    result = run_bench(
        scale, year, data, chosen, sample=sample, input_format=input_format, keep=keep, repeat=max(1, repeat), progress=lambda msg: typer.echo(msg, err=True)
    )
    if out:
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text(json.dumps(result, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    typer.echo(json.dumps(result, ensure_ascii=False, indent=1) if fmt == TextOrJson.json else render(result))
    failed = [n for n, r in result["stages"].items() if not r.get("ok") and not r.get("skipped")]
    wrong = mismatched(result)
    if wrong:
        typer.echo(f"错误 / error: baselines computed other totals than the pipeline: {', '.join(wrong)}", err=True)
    if failed or wrong:
        raise typer.Exit(1)
