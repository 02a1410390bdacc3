"""`generate_scale`: stream a benchmark raw root to disk, one agency group, year and chunk at a time.

Layout: agencies.csv, then per year one file per agency group (a county with its
departments and townships, or the city-level / province-level agencies) and kind:

    disclosures/<year>/<province>/<group>_disclosures_<year>.<csv|parquet>
    applications/<year>/<province>/<group>_applications_<year>.<csv|parquet>
    appeals/<year>/<province>/<group>_appeals_<year>.<csv|parquet>
"""

import datetime as dt
import json
from dataclasses import asdict, dataclass, field
from pathlib import Path

import polars as pl
import pyarrow.parquet as pq

from pipelines.defs.generate.scale import rows
from pipelines.defs.generate.scale.agencies import PUBLIC_COLUMNS, agencies
from pipelines.defs.generate.scale.spec import SCALES, ScaleSpec
from pipelines.defs.generate.writers import set_mtime
from pipelines.errors import GongkaiError
from schemas.columns import KINDS

GENERATOR = "gongkai generate"
VERSION = "1"
SEED = 20230110
DEFAULT_CHUNK_ROWS = 500_000
CST = dt.timezone(dt.timedelta(hours=8))
MANIFEST_NAME = "MANIFEST.json"

_POLARS_TYPES = {"date": pl.Date, "int": pl.Int64, "decimal": pl.Float64, "bool": pl.Boolean}


def _schema(kind: str) -> dict[str, pl.DataType]:
    return {c.key: _POLARS_TYPES.get(c.type, pl.String) for c in KINDS[kind].columns}


@dataclass
class ScaleManifest:
    generator: str
    version: str
    seed: int
    scale: str
    years: list[int]
    format: str
    chunk_rows: int
    bad_rate: float
    agencies: int = 0
    groups: int = 0
    # rows per kind and year, and deliberately bad ones among them
    totals: dict[str, dict[str, int]] = field(default_factory=dict)
    bad_totals: dict[str, dict[str, int]] = field(default_factory=dict)
    files: list[dict] = field(default_factory=list)

    def write(self, root: Path) -> Path:
        path = root / MANIFEST_NAME
        path.write_text(json.dumps(asdict(self), ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
        return path


class ChunkWriter:
    """Appends chunks to one ledger file; opens it at the first chunk, so empty ledgers leave no file."""

    def __init__(self, root: Path, rel: str, kind: str, fmt: str):
        self.root, self.rel, self.kind, self.fmt = root, rel, kind, fmt
        self.rows = self.bad = 0
        self._csv = None
        self._parquet: pq.ParquetWriter | None = None

    def write(self, chunk: pl.DataFrame) -> None:
        if chunk.height == 0:
            return
        self.bad += int(chunk["_bad"].sum())
        frame = chunk.select(KINDS[self.kind].keys).cast(_schema(self.kind))  # type: ignore[arg-type]
        path = self.root / self.rel
        if self.fmt == "csv":
            if self._csv is None:
                path.parent.mkdir(parents=True, exist_ok=True)
                self._csv = path.open("wb")
                frame.write_csv(self._csv, include_header=True)
            else:
                frame.write_csv(self._csv, include_header=False)
        else:
            table = frame.to_arrow()
            if self._parquet is None:
                path.parent.mkdir(parents=True, exist_ok=True)
                self._parquet = pq.ParquetWriter(path, table.schema, compression="zstd")
            self._parquet.write_table(table)
        self.rows += frame.height

    def close(self, mtime: dt.datetime) -> dict | None:
        if self._csv is not None:
            self._csv.close()
        if self._parquet is not None:
            self._parquet.close()
        if not self.rows:
            return None
        set_mtime(self.root / self.rel, mtime)
        return {"path": self.rel, "kind": self.kind, "format": self.fmt, "rows": self.rows, "bad_rows": self.bad}


def generate_scale(
    out: Path,
    scale: str | ScaleSpec,
    years: tuple[int, ...] = (2021, 2022, 2023),
    seed: int = SEED,
    *,
    fmt: str = "csv",
    chunk_rows: int = DEFAULT_CHUNK_ROWS,
    bad_rate: float = 0.0,
    force: bool = False,
) -> ScaleManifest:
    """Write a synthetic raw root of `scale` (a name of SCALES or a ScaleSpec) to `out`; only valid rows
    except a `bad_rate` share broken with value_invalid. Memory stays bounded by `chunk_rows`."""
    from pipelines.defs.generate.sample import prepare_out

    spec = SCALES[scale] if isinstance(scale, str) else scale
    if fmt not in ("csv", "parquet"):
        raise GongkaiError(f"未知格式“{fmt}”（可选：csv、parquet）", f"unknown format {fmt!r} (choose: csv, parquet)")
    if not 0 <= bad_rate < 1:
        raise GongkaiError("--bad-rate 应在 0 与 1 之间", "--bad-rate must be between 0 and 1")
    if chunk_rows < 1:
        raise GongkaiError("--chunk-rows 应为正整数", "--chunk-rows must be a positive whole number")
    out = prepare_out(out, force)

    table = agencies(spec, seed)
    (out / "agencies.csv").write_bytes(table.select(PUBLIC_COLUMNS).write_csv().encode("utf-8"))
    set_mtime(out / "agencies.csv", dt.datetime(years[0], 1, 2, 9, tzinfo=CST))
    manifest = ScaleManifest(
        GENERATOR, VERSION, seed, spec.name, list(years), fmt, chunk_rows, bad_rate, agencies=table.height, groups=table["group"].n_unique()
    )
    for year in years:
        counted = rows.counts(table, year, years, spec, seed)
        exported = dt.datetime(year + 1, 1, 15, 9, tzinfo=CST)  # later years later: repeals follow their issues
        files = GroupFiles(out, year, fmt, exported, manifest)
        n_items, n_apps = int(counted["n_items"].sum()), int(counted["n_apps"].sum())
        for start in range(0, n_items, chunk_rows):
            files.write("disclosures", rows.disclosures(counted, year, start, min(n_items, start + chunk_rows), seed, bad_rate))
        files.close_all()
        for start in range(0, n_apps, chunk_rows):
            chunk = rows.applications(counted, year, years[-1], start, min(n_apps, start + chunk_rows), seed, bad_rate)
            files.write("applications", chunk)
            files.write("appeals", rows.appeals(chunk, year, years[-1], seed, spec.appeal_rate, bad_rate))
        files.close_all()
    for kind in ("disclosures", "applications", "appeals"):
        for year in years:
            mine = [f for f in manifest.files if f["kind"] == kind and f["year"] == year]
            manifest.totals.setdefault(kind, {})[str(year)] = sum(f["rows"] for f in mine)
            manifest.bad_totals.setdefault(kind, {})[str(year)] = sum(f["bad_rows"] for f in mine)
    set_mtime(manifest.write(out), dt.datetime(years[-1] + 1, 3, 1, 9, tzinfo=CST))
    return manifest


class GroupFiles:
    """The open files of one year: rows arrive in group order, so a group's file is finished (and closed)
    as soon as a chunk reaches the next group; only a handful are ever open."""

    def __init__(self, out: Path, year: int, fmt: str, exported: dt.datetime, manifest: ScaleManifest):
        self.out, self.year, self.fmt, self.exported, self.manifest = out, year, fmt, exported, manifest
        self.open: dict[tuple[str, str], ChunkWriter] = {}

    def write(self, kind: str, chunk: pl.DataFrame) -> None:
        for (group,), part in chunk.partition_by("_group", as_dict=True, maintain_order=True).items():
            slot = (kind, str(group))
            for other in [k for k in self.open if k[0] == kind and k != slot]:
                self._close(other)  # groups come in order: an earlier group of this kind is complete
            if slot not in self.open:
                rel = f"{kind}/{self.year}/{str(group)[:2]}/{group}_{kind}_{self.year}.{self.fmt}"
                self.open[slot] = ChunkWriter(self.out, rel, kind, self.fmt)
            self.open[slot].write(part)

    def _close(self, slot: tuple[str, str]) -> None:
        info = self.open.pop(slot).close(self.exported)
        if info:
            self.manifest.files.append(info | {"year": self.year})

    def close_all(self) -> None:
        for slot in list(self.open):
            self._close(slot)
