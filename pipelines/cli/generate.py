"""`gongkai generate`: write deterministic sample (or benchmark-scale) raw ledgers."""

from pathlib import Path

import typer

from pipelines.errors import GongkaiError


def register(app: typer.Typer) -> None:
    app.command("generate")(generate)


def generate(
    out: Path = typer.Option(None, "--out", help="输出目录 / output raw root (default: the raw dir, data/raw)"),
    seed: int = typer.Option(None, "--seed", help="随机种子 / seed (same seed → same bytes)"),
    force: bool = typer.Option(False, "--force", help="覆盖已有台账 / overwrite existing ledgers"),
    scale: str = typer.Option(
        "county", "--scale", help="规模 / county: the hand-made sample county (messy, with bad rows); city, province, national: benchmark data"
    ),
    years: str = typer.Option(None, "--years", help="年份 / years of city|province|national, e.g. 2021-2023 (default) or 2022"),
    fmt: str = typer.Option(None, "--format", help="文件格式 / file format of city|province|national: csv (default) or parquet"),
    chunk_rows: int = typer.Option(None, "--chunk-rows", help="每批行数 / rows built and written at a time (memory bound)"),
    bad_rate: float = typer.Option(None, "--bad-rate", help="错误行比例 / share of deliberately invalid rows (default 0)"),
) -> None:
    """生成样例或基准台账 / write deterministic sample (昌乐县 2021–2023) or benchmark-scale ledgers with a MANIFEST.json."""
    from pipelines.defs.generate.scale import SCALES
    from pipelines.settings import settings

    SCALE_NAMES = ("county", *SCALES)  # county: the hand-made sample
    if scale not in SCALE_NAMES:
        raise GongkaiError(f"未知规模“{scale}”（可选：{'、'.join(SCALE_NAMES)}）", f"unknown scale {scale!r} (choose: {', '.join(SCALE_NAMES)})")
    target = out or settings().raw_dir
    if scale == "county":
        from pipelines.defs.generate import SEED, generate_sample
        from schemas.columns import LEDGER_KINDS

        if (years not in (None, "2021-2023")) or fmt or chunk_rows or bad_rate:
            raise GongkaiError(
                "county 为固定样例（2021–2023，含各种格式），--years/--format/--chunk-rows/--bad-rate 仅用于 city/province/national",
                "county is the fixed sample (2021–2023, every format); --years/--format/--chunk-rows/--bad-rate are for city/province/national",
            )
        manifest = generate_sample(target, SEED if seed is None else seed, force=force)
        rows = sum(f["rows"] for f in manifest.files if f["kind"] in LEDGER_KINDS)
        typer.echo(
            f"已生成 {len(manifest.files)} 个文件、{rows} 行（其中 {len(manifest.bad_rows)} 行故意出错）→ {target}\n"
            f"wrote {len(manifest.files)} files, {rows} rows ({len(manifest.bad_rows)} deliberately bad) to {target}"
        )
        return

    from pipelines.defs.generate.scale import generate_scale
    from pipelines.defs.generate.scale.run import DEFAULT_CHUNK_ROWS, SEED
    from pipelines.partitions import read_years

    result = generate_scale(
        target,
        scale,
        tuple(read_years(years or "2021-2023")),
        SEED if seed is None else seed,
        fmt=fmt or "csv",
        chunk_rows=chunk_rows or DEFAULT_CHUNK_ROWS,
        bad_rate=bad_rate or 0.0,
        force=force,
    )
    rows = sum(f["rows"] for f in result.files)
    typer.echo(
        f"已生成 {result.agencies} 个机构、{len(result.files)} 个台账文件、{rows} 行 → {target}\n"
        f"wrote {result.agencies} agencies, {len(result.files)} ledger files, {rows} rows to {target}"
    )
