"""Bulk exports of a year (docs/export.md): every table with its labels as Parquet or CSV, or one workbook per county.

Layout version 1:

    DIR/manifest.json           what was exported: layout, year, county, format, every file with its rows
    DIR/<table>.parquet|csv     parquet and csv: one file per table of LONG_TABLES
    DIR/<county>_<year>.xlsx    xlsx: one workbook per county (pipelines/defs/exports/workbook.py)

Parquet and CSV are written by DuckDB from the read-only warehouse (streamed, a national year included); CSV
starts with a BOM, since these files are for people who open them in Excel.
"""

import datetime as dt
import json
import shutil
from collections.abc import Callable
from pathlib import Path

import duckdb
import polars as pl

from pipelines.defs import atomic
from pipelines.defs.exports import cells
from pipelines.defs.warehouse import warehouse
from pipelines.errors import GongkaiError

LAYOUT = "gongkai-export"
LAYOUT_VERSION = 1
FORMATS = ("parquet", "csv", "xlsx")

# file stem → (warehouse object, sort columns, what it holds). Every one is filtered to the year and the agencies.
LONG_TABLES: dict[str, tuple[str, str, str]] = {
    "agencies": ("v_agency_year", "agency_code", "one row per agency loaded for the year: completeness and headline figures"),
    "table_p": ("v_proactive_labelled", "agency_code, item_position, metric_position", "表P, one row per agency, item and metric"),
    "table_a": ("v_application_labelled", "agency_code, row_position, column_position", "表A, one row per agency, row and column"),
    "table_r": ("v_appeal_labelled", "agency_code, group_position, result_position", "表R, one row per agency, case group and result"),
    "channels": ("v_channel_labelled", "agency_code, channel_position", "items published per agency and channel"),
    "checks": ("v_check_labelled", "agency_code, check_position", "every consistency check per agency"),
    "incomplete_reasons": ("incomplete_reason", "agency_code, reason, kind, path", "why an agency-year is incomplete"),
    "deadlines": ("v_application_deadline", "agency_code, application_id", "each application received in the year: statutory due date and status"),
}


def scope(con: duckdb.DuckDBPyConnection, year: int, county: str | None) -> pl.DataFrame:
    """The agencies loaded for the year (in the county), with their county; errors name what is missing."""
    loaded = con.execute("SELECT count(*) FROM agency_year WHERE year = ?", [year]).fetchall()[0][0]
    if not loaded:
        raise GongkaiError(
            f"{year}年尚未入库（请先运行 gongkai materialize --year {year}）", f"year {year} is not loaded (run gongkai materialize --year {year})"
        )
    agencies = con.sql(
        "SELECT d.agency_code, d.agency_name, d.county FROM dim_agency d JOIN agency_year ay USING (agency_code) WHERE ay.year = $year ORDER BY d.agency_code",
        params={"year": year},
    ).pl()
    if county is None:
        return agencies
    chosen = agencies.filter(pl.col("county") == county)
    if chosen.is_empty():
        known = "、".join(sorted({c for c in agencies["county"].to_list() if c}))
        raise GongkaiError(f"{year}年没有县（市、区）“{county}”的机构（有：{known}）", f"no agency of county {county!r} is loaded for {year} (loaded: {known})")
    return chosen


def export_year(
    warehouse_path: Path,
    year: int,
    out_dir: Path,
    fmt: str,
    county: str | None = None,
    progress: Callable[[str], None] = lambda _: None,
) -> dict:
    """Write the year's export into `out_dir`; returns the manifest. Each file is written under a temporary name
    and renamed, the manifest last: a manifest lists only files that are whole."""
    if fmt not in FORMATS:
        raise GongkaiError(f"导出格式应为 {'、'.join(FORMATS)}：{fmt}", f"export format must be one of {', '.join(FORMATS)}: {fmt}")
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    con = warehouse.reader(warehouse_path)
    try:
        agencies = scope(con, year, county)
        files = []
        if fmt == "xlsx":
            from pipelines.defs.exports.workbook import county_workbook

            for name, group in agencies.group_by("county", maintain_order=True):
                county_name = str(name[0]) if name[0] else "未注明"
                path = out_dir / f"{safe_file_name(county_name)}_{year}.xlsx"
                progress(path.name)
                with atomic.replacing(path) as tmp:
                    sheets = county_workbook(con, year, county_name, group, tmp)
                files.append({"file": path.name, "county": county_name, "agencies": group.height, "sheets": sheets})
        else:
            con.register("_export_agencies", agencies.select("agency_code"))
            for stem, (source, order, what) in LONG_TABLES.items():
                path = out_dir / f"{stem}.{fmt}"
                progress(path.name)
                files.append({"file": path.name, "source": source, "description": what, **_copy(con, source, order, year, path, fmt)})
            con.unregister("_export_agencies")
    finally:
        con.close()
    manifest = {
        "layout": LAYOUT,
        "layout_version": LAYOUT_VERSION,
        "year": year,
        "county": county,
        "format": fmt,
        "agencies": agencies.height,
        "exported_at": dt.datetime.now(dt.UTC).replace(microsecond=0).isoformat(),
        "files": files,
    }
    atomic.write_text(out_dir / "manifest.json", json.dumps(manifest, ensure_ascii=False, indent=2) + "\n")
    return manifest


def _copy(con: duckdb.DuckDBPyConnection, source: str, order: str, year: int, path: Path, fmt: str) -> dict:
    """One table through DuckDB's COPY (no rows pass through Python)."""
    query = f"SELECT * FROM {source} WHERE year = {int(year)} AND agency_code IN (SELECT agency_code FROM _export_agencies) ORDER BY {order}"
    with atomic.replacing(path) as tmp:
        options = "FORMAT parquet, COMPRESSION zstd" if fmt == "parquet" else "FORMAT csv, HEADER true"
        written = query
        if fmt == "csv":  # for a spreadsheet: a text cell it would run as a formula stays text (cells.py)
            described = con.execute(f"DESCRIBE {query}").fetchall()
            written = "SELECT " + ", ".join(f"{cells.sql(_q(c))} AS {_q(c)}" if t == "VARCHAR" else _q(c) for c, t, *_ in described) + f" FROM ({query})"
        target = str(tmp).replace("'", "''")  # a folder may be named O'Brien
        con.execute(f"COPY ({written}) TO '{target}' ({options})")
        if fmt == "csv":
            _prepend_bom(tmp)
    rows = con.execute(f"SELECT count(*) FROM ({query})").fetchall()[0][0]
    columns = [d[0] for d in con.execute(f"SELECT * FROM ({query}) LIMIT 0").description or []]
    return {"rows": rows, "columns": columns}


def _q(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _prepend_bom(path: Path) -> None:
    with atomic.replacing(path) as with_bom, open(path, "rb") as src, open(with_bom, "wb") as dst:
        dst.write("\ufeff".encode())
        shutil.copyfileobj(src, dst, 1 << 20)


def safe_file_name(name: str) -> str:
    """A county's name as a file name: no path separators or control characters."""
    cleaned = "".join("_" if ch in '/\\:*?"<>|' or ord(ch) < 32 else ch for ch in name).strip(" .")
    return cleaned or "_"
