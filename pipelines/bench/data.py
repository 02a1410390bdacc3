"""The benchmark's input: generated once per scale into a cache dir and reused; the run's own work tree."""

import json
import os
from pathlib import Path

from pipelines.defs.generate.scale import SCALES, ScaleSpec, generate_scale
from pipelines.errors import GongkaiError
from schemas.columns import LEDGER_KINDS

CACHE_ROOT: Path | None = None  # where generated inputs are kept: GONGKAI_BENCH_DIR (settings) unless set here (tests)


def cache_root() -> Path:
    from pipelines.settings import settings

    return CACHE_ROOT or settings().bench_dir


# One synthetic county (its government, departments and townships) in the clean format of the scale
# generator. Not the hand-made sample: that one is deliberately messy (GBK, XLSX, every date spelling),
# which the baselines — like an analyst's script — do not read; `--scale sample` benches it without them.
COUNTY = ScaleSpec("county", 1, (1, 1), (1, 1), (6, 21), (20, 28), (32, 44), (0, 0), False, False)
SCALE_SPECS: dict[str, ScaleSpec] = {"county": COUNTY, **SCALES}
SCALE_NAMES = ("sample", *SCALE_SPECS)


def manifest(root: Path) -> dict | None:
    path = Path(root) / "MANIFEST.json"
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


def clean_input(root: Path) -> bool:
    """True for the scale generator's output (official labels, ISO dates, UTF-8, English keys): what the baselines read."""
    m = manifest(root)
    return bool(m) and "chunk_rows" in m and not m.get("bad_rate")


def input_format(root: Path) -> str:
    m = manifest(root) or {}
    return m.get("format") or "csv"


def ledger_rows(root: Path) -> int | None:
    """Rows of the three ledgers (agencies.csv not counted), from the manifest."""
    m = manifest(root)
    if not m:
        return None
    return sum(int(f["rows"]) for f in m.get("files", []) if f.get("kind") in LEDGER_KINDS)


def ensure_data(scale: str | ScaleSpec, year: int, data: Path | None = None, fmt: str = "csv", progress=None) -> Path:
    """A raw root holding `year` at `scale`: `data` when given and filled, else the cache dir (generated if absent)."""
    from pipelines.defs.generate.sample import has_ledgers

    spec_name = scale if isinstance(scale, str) else scale.name
    target = Path(data) if data else cache_root() / (spec_name if fmt == "csv" else f"{spec_name}-{fmt}")
    m = manifest(target)
    if data and has_ledgers(target):
        # the caller's raw root is benched as it is (without a generator manifest the baselines are skipped)
        if m is not None and year not in m.get("years", [year]):
            raise GongkaiError(f"{target} 中的台账不含 {year} 年", f"{target} holds no ledgers of {year}")
        return target
    if m is not None and year in m.get("years", []) and (spec_name == "sample" or m.get("scale") == spec_name) and m.get("format", "csv") == fmt:
        return target
    if progress:
        progress(f"生成 {spec_name} 规模台账 / generating {spec_name} ledgers → {target}")
    if spec_name == "sample":
        from pipelines.defs.generate import SEED, generate_sample

        if fmt != "csv":
            raise GongkaiError("样例县只有混合格式", "the sample county has one (mixed) format; drop --input-format")
        generate_sample(target, SEED, force=True)
        if year not in (2021, 2022, 2023):
            raise GongkaiError("样例县仅含 2021–2023 年", "the sample county holds 2021–2023 only")
        return target
    spec = SCALE_SPECS[scale] if isinstance(scale, str) else scale
    generate_scale(target, spec, (year,), fmt=fmt, force=True)
    return target


def link_tree(src: Path, dst: Path) -> Path:
    """A raw root of symlinks to `src` (real folders, linked files): runs get their own paths, data is not copied."""
    src, dst = Path(src).resolve(), Path(dst)
    dst.mkdir(parents=True, exist_ok=True)
    for path in sorted(src.rglob("*")):
        rel = path.relative_to(src)
        if path.is_dir():
            (dst / rel).mkdir(parents=True, exist_ok=True)
        elif path.name != "MANIFEST.json":
            (dst / rel).parent.mkdir(parents=True, exist_ok=True)
            os.symlink(path, dst / rel)
    return dst


def touch_share(tree: Path, share: float = 0.01) -> list[str]:
    """Change `share` of the ledger files of a link tree (at least one): each becomes a real copy without its
    last row (a record withdrawn) and with a later mtime. What a nightly run sees after corrections."""
    tree = Path(tree)
    files = sorted(p for kind in LEDGER_KINDS for p in (tree / kind).rglob("*") if p.is_file() and p.suffix == ".csv")
    if not files:
        return []
    step = max(1, round(1 / share))
    chosen = files[::step][: max(1, round(len(files) * share))]
    for path in chosen:
        stat = path.stat()
        data = path.read_bytes()
        if path.is_symlink():  # the input is shared: change a copy (a second touch changes the copy again)
            path.unlink()
        body = data.rstrip(b"\r\n")
        if b"\n" in body:  # never the header
            body = body[: body.rindex(b"\n")]
        path.write_bytes(body + b"\n")
        os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000_000))
    return [p.relative_to(tree).as_posix() for p in chosen]
