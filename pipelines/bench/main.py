"""One benchmark run: the input, the measurements in order (each in its own process), ratios and targets."""

import os
import platform
import shutil
import tempfile
import time
from collections.abc import Callable
from importlib import metadata
from pathlib import Path

from pipelines.bench import child, data, totals
from pipelines.defs import processes
from pipelines.errors import GongkaiError
from pipelines.settings import settings

BASELINES = ("floor", "duckdb_sql", "pandas")
PIPELINE = ("ingest", "tables", "warehouse", "query", "reports", "ingest_warm", "e2e", "e2e_warm")
STAGES = BASELINES + PIPELINE
NEEDS = {"tables": ("ingest",), "warehouse": ("tables",), "query": ("warehouse",), "reports": ("warehouse",), "ingest_warm": ("ingest",), "e2e_warm": ("e2e",)}
WARM_SHARE = 0.01  # files changed before a warm run
NATIONAL_ROWS = 32_991_783  # ledger rows of `generate --scale national --years 2022` (seed default)

TARGETS = {
    "vs_duckdb": "流水线（含校验）不超过 DuckDB SQL（无校验）的 2 倍 / full pipeline with validation within 2× of plain DuckDB SQL",
    "vs_pandas": "快于 pandas / ahead of pandas",
    "national_seconds": "全国一年端到端（CSV）< 180 s / a national year end to end (CSV) under 3 minutes",
    "national_memory": "全国一年峰值内存 < 4 GB / peak memory of a national year under 4 GB",
    "province_seconds": "一省一年 < 15 s / a province year under 15 s",
    "dagster_overhead": "Dagster 额外开销 < 3 s / Dagster's overhead on materialize under 3 s",
    "county_query_ms": "全国仓库跨乡镇查询 < 100 ms / county totals on the national warehouse under 100 ms",
}


def machine() -> dict:
    mem_kb = 0
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                mem_kb = int(line.split()[1])
    except OSError:
        pass
    versions = {}
    for pkg in ("polars", "duckdb", "dagster", "pandera", "pyarrow", "pandas"):
        try:
            versions[pkg] = metadata.version(pkg)
        except metadata.PackageNotFoundError:
            versions[pkg] = None
    cpu = ""
    try:
        cpu = next((line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines() if line.startswith("model name")), "")
    except OSError:
        pass
    return {
        "cores": os.cpu_count(),
        "cpu": cpu,
        "memory_gb": round(mem_kb / 2**20, 1),
        "python": platform.python_version(),
        "platform": platform.platform(),
        "versions": versions,
    }


def expand(stages: list[str]) -> list[str]:
    wanted, todo = set(), list(stages)
    while todo:
        s = todo.pop()
        if s not in STAGES:
            raise GongkaiError(f"未知阶段“{s}”", f"unknown stage {s!r} (choose from: {', '.join(STAGES)})", exit_code=2)
        if s not in wanted:
            wanted.add(s)
            todo += NEEDS.get(s, ())
    return [s for s in STAGES if s in wanted]


KEPT = "KEPT"  # in a work folder kept with --keep: never swept


def sweep_abandoned(root_dir: Path) -> list[Path]:
    """Remove the work folders of benches that were stopped (kill, a closed terminal) before they could clean up:
    a national one holds 1.3 GB and more. A folder is swept when the bench that made it (the pid in its name) is
    gone and it was not kept (--keep)."""
    swept = []
    for folder in root_dir.glob("run-*-*-*-*"):
        pid = folder.name.split("-")[3]
        if folder.is_dir() and pid.isdigit() and not (folder / KEPT).exists() and not processes.alive(int(pid)):
            shutil.rmtree(folder, ignore_errors=True)
            swept.append(folder)
    return swept


def run_bench(
    scale: str,
    year: int,
    data_dir: Path | None = None,
    stages: list[str] | None = None,
    sample: int = 50,
    input_format: str = "csv",
    isolate: bool = True,
    keep: bool = False,
    repeat: int = 1,
    progress: Callable[[str], None] | None = None,
) -> dict:
    say = progress or (lambda _msg: None)
    if scale not in data.SCALE_NAMES:
        raise GongkaiError(f"未知规模“{scale}”", f"unknown scale {scale!r} (choose: {', '.join(data.SCALE_NAMES)})", exit_code=2)
    selected = expand(stages or list(STAGES))
    root = data.ensure_data(scale, year, data_dir, input_format, progress=say)
    root_dir = data.cache_root()
    root_dir.mkdir(parents=True, exist_ok=True)
    sweep_abandoned(root_dir)
    work = Path(tempfile.mkdtemp(prefix=f"run-{scale}-{year}-{os.getpid()}-", dir=root_dir))
    env = {"GONGKAI_PII_KEY": settings().pii_key_value or "gongkai-bench-key-not-secret"}
    clean = data.clean_input(root)
    out: dict = {
        "scale": scale,
        "year": year,
        "data": str(root),
        "input_format": data.input_format(root),
        "input_rows": data.ledger_rows(root),
        "input_mb": round(sum(p.stat().st_size for p in root.rglob("*") if p.is_file()) / 2**20, 1),
        "repeat": repeat,
        "machine": machine(),
        "load_before": round(os.getloadavg()[0], 2),
        "stages": {},
        "comparisons": {},
        "started": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
    }
    results = out["stages"]

    def measure(name: str, target: str, kwargs: dict, extra_env: dict | None = None, before: Callable[[int], None] | None = None) -> dict:
        """`repeat` runs, each in a fresh process; the fastest is kept (other work on the machine only ever
        slows a run down), all times are listed. `before(i)` prepares run i (untimed)."""
        runs = []
        for i in range(repeat):
            say(f"… {name}" + (f" ({i + 1}/{repeat})" if repeat > 1 else ""))
            if before:
                before(i)
            res = child.run(f"pipelines.bench.{target}", kwargs, env | (extra_env or {}), isolate=isolate)
            runs.append(res)
            if not res.get("ok"):
                say(f"   {name} failed: {res.get('error')}")
                break
        ok = [r for r in runs if r.get("ok") and "seconds" in r]
        best = min(ok, key=lambda r: r["seconds"]) if ok and len(ok) == len(runs) else runs[-1]
        if len(runs) > 1:
            best = best | {"all_seconds": [r.get("seconds") for r in runs], "all_peak_mb": [r.get("peak_mb") for r in runs]}
        results[name] = best
        return best

    try:
        stage_work = work / "stages"
        data.link_tree(root, stage_work / "raw")
        for name in BASELINES:
            if name not in selected:
                continue
            if name != "floor" and not clean:
                results[name] = {"ok": False, "skipped": "输入非生成器的规整格式 / input is not the scale generator's clean format"}
                continue
            fn = "pandas" if name == "pandas" else name
            measure(name, f"baselines:{fn}", {"root": str(root), "year": year})
        w = str(stage_work)
        stage_env = {"DAGSTER_HOME": str(stage_work / "dagster")}
        for name, target, kwargs in (
            ("ingest", "stages:ingest", {"work": w}),
            ("tables", "stages:tables", {"work": w, "year": year}),
            ("warehouse", "stages:warehouse", {"work": w, "year": year}),
            ("query", "stages:query", {"work": w, "year": year}),
            ("reports", "stages:reports", {"work": w, "year": year, "sample": sample}),
        ):
            if name in selected and all(results.get(n, {}).get("ok") for n in NEEDS.get(name, ())):
                measure(name, target, kwargs, stage_env)
        changed: list[str] = []

        def touch(tree: Path) -> Callable[[int], None]:
            def before(_i: int) -> None:
                changed[:] = data.touch_share(tree, WARM_SHARE)

            return before

        if "ingest_warm" in selected and results.get("ingest", {}).get("ok"):
            res = measure("ingest_warm", "stages:ingest", {"work": w, "warm": True}, stage_env, before=touch(stage_work / "raw"))
            res["files_changed"] = len(changed)
        if "e2e" in selected:
            e2e_work = work / "e2e"
            e2e_env = {"DAGSTER_HOME": str(e2e_work / "dagster")}

            def fresh(_i: int) -> None:  # every cold run: a new raw tree, instance, cache, lake and warehouse
                shutil.rmtree(e2e_work, ignore_errors=True)
                data.link_tree(root, e2e_work / "raw")

            measure("e2e", "stages:end_to_end", {"work": str(e2e_work), "year": year}, e2e_env, before=fresh)
            if "e2e_warm" in selected and results["e2e"].get("ok"):
                res = measure("e2e_warm", "stages:end_to_end", {"work": str(e2e_work), "year": year, "warm": True}, e2e_env, before=touch(e2e_work / "raw"))
                res["files_changed"] = len(changed)
    finally:
        if keep:
            (work / KEPT).touch()
            out["work"] = str(work)
        else:
            shutil.rmtree(work, ignore_errors=True)
    out["load_after"] = round(os.getloadavg()[0], 2)
    _compare(out)
    out["targets"] = targets(out)
    return out


def _compare(out: dict) -> None:
    """Every baseline's totals against the pipeline's (tables stage): equal, or the run is wrong."""
    results = out["stages"]
    pipeline = results.get("tables", {}).get("totals") if results.get("tables", {}).get("ok") else None
    for name in ("duckdb_sql", "pandas"):
        res = results.get(name)
        if not res or not res.get("ok") or "totals" not in res:
            continue
        if pipeline is None:
            out["comparisons"][name] = {"compared": False, "reason": "tables stage not run"}
            continue
        diffs = totals.differences(pipeline, res["totals"])
        out["comparisons"][name] = {"compared": True, "equal": not diffs, "differences": diffs[:20], "cells": sum(len(t) for t in pipeline.values())}
    if pipeline is not None:
        out["comparisons"]["headline"] = totals.summary(pipeline)


def pipeline_seconds(results: dict) -> tuple[float | None, str]:
    """The pipeline's time for the year without reports: through Dagster when measured, else the stage sum."""
    if results.get("e2e", {}).get("ok"):
        return results["e2e"]["seconds"], "e2e"
    parts = [results.get(n, {}) for n in ("ingest", "tables", "warehouse")]
    if all(p.get("ok") for p in parts):
        return sum(p["seconds"] for p in parts), "stages"
    return None, ""


def _target(tid: str, value: float | None, limit: float, unit: str, applies: bool = True, note: str = "") -> dict:
    t = {"id": tid, "description": TARGETS[tid], "value": value, "limit": limit, "unit": unit, "note": note}
    if value is None or not applies:
        return t | {"status": "n/a"}
    met = value < limit
    return t | {"status": "met" if met else "missed", "by": None if met else value - limit, "by_ratio": None if met else value / limit}


def targets(out: dict) -> list[dict]:
    r, scale = out["stages"], out["scale"]
    pipe, how = pipeline_seconds(r)

    # a stage that ran, and measured something (pandas reports `unavailable` when it is not installed)
    def ok(n: str) -> bool:
        return bool(r.get(n, {}).get("ok")) and "unavailable" not in r.get(n, {})

    res = []
    res.append(_target("vs_duckdb", pipe / r["duckdb_sql"]["seconds"] if pipe and ok("duckdb_sql") else None, 2.0, "×", note=f"pipeline = {how}"))
    res.append(_target("vs_pandas", pipe / r["pandas"]["seconds"] if pipe and ok("pandas") else None, 1.0, "×", note=f"pipeline = {how}"))
    rows = out.get("input_rows") or (r.get("e2e", {}).get("rows") if ok("e2e") else None)
    # a linear estimate only from a scale large enough for the fixed costs (imports, Dagster) not to dominate
    big = pipe and rows and rows >= 1_000_000 and scale != "national"
    estimate = f"linear estimate from this scale: {pipe * NATIONAL_ROWS / rows:.0f} s" if big else ""
    res.append(_target("national_seconds", pipe, 180.0, "s", applies=scale == "national", note=estimate))
    res.append(_target("national_memory", r["e2e"].get("peak_mb") if ok("e2e") else None, 4096.0, "MB", applies=scale == "national"))
    res.append(_target("province_seconds", pipe, 15.0, "s", applies=scale == "province"))
    if ok("e2e") and all(ok(n) for n in ("ingest", "tables", "warehouse")):
        direct = sum(r[n]["seconds"] for n in ("ingest", "tables", "warehouse"))
        out["dagster_overhead"] = {
            "e2e_seconds": r["e2e"]["seconds"],
            "stage_seconds": direct,
            "overhead_seconds": r["e2e"]["seconds"] - direct,
        }
        res.append(_target("dagster_overhead", r["e2e"]["seconds"] - direct, 3.0, "s", note="e2e − (ingest + tables + warehouse with their I/O)"))
    else:
        res.append(_target("dagster_overhead", None, 3.0, "s"))
    res.append(
        _target(
            "county_query_ms",
            r["query"]["seconds"] * 1000 if ok("query") else None,
            100.0,
            "ms",
            applies=scale == "national",
            note="" if scale == "national" else "measured here for information; the target is on the national warehouse",
        )
    )
    return res


def mismatched(out: dict) -> list[str]:
    return [name for name, c in out["comparisons"].items() if isinstance(c, dict) and c.get("compared") and not c.get("equal")]
