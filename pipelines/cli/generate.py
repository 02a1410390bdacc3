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
    scale: str = typer.Option("county", "--scale", help="规模 / county (the sample county)"),
) -> None:
    """生成样例台账 / write deterministic sample ledgers (昌乐县 2021–2023) with a MANIFEST.json."""
    from pipelines.defs.generate import SEED, generate_sample
    from pipelines.settings import settings

    if scale != "county":
        raise GongkaiError(f"未知规模“{scale}”（可选：county）", f"unknown scale {scale!r} (choose: county)")
    target = out or settings().raw_dir
    manifest = generate_sample(target, SEED if seed is None else seed, force=force)
    rows = sum(f["rows"] for f in manifest.files if f["kind"] != "agencies")
    typer.echo(
        f"已生成 {len(manifest.files)} 个文件、{rows} 行（其中 {len(manifest.bad_rows)} 行故意出错）→ {target}\n"
        f"wrote {len(manifest.files)} files, {rows} rows ({len(manifest.bad_rows)} deliberately bad) to {target}"
    )
