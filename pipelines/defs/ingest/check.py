"""What `gongkai validate` tells a clerk, as data: per file what was read, the problems grouped by rule (in the
clerk's own header names), and which agency-years are incomplete and why. Surfaces (the CLI, the desk) render it."""

import datetime as dt
from pathlib import Path

import polars as pl

from pipelines.defs import clock
from pipelines.defs.ingest.discover import LedgerFile
from pipelines.defs.ingest.ingest import Ingested, ingest
from pipelines.defs.tables.completeness import incomplete_reasons
from pipelines.defs.tables.tables import DATE_COLUMN
from schemas.columns import KINDS, LEDGER_KINDS
from schemas.ledgers import EARLIEST_DATE
from schemas.rules import FILE_RULES, RULES


def check_files(files: list[LedgerFile], pii_key: bytes, whole_root: bool, previous: Path | None = None, today: dt.date | None = None, progress=None) -> dict:
    """Validate `files` (nothing is written) and build the report: `files`, `quarantine`, `problems`, `incomplete`.

    `whole_root`: the files are a whole raw root, so every registered agency is looked at for completeness
    (else only the agencies the files hold). `previous`: the lake generation whose holdings attribute a
    rejected file (optional)."""
    today = today or clock.today()
    result = ingest(files, pii_key, progress=progress, previous=previous, today=today)
    return report(result, whole_root, today)


def report(result: Ingested, whole_root: bool, today: dt.date) -> dict:
    files = [_file_entry(f) for f in result.files.iter_rows(named=True)]
    quarantine = [
        {k: row[k] for k in ("path", "sheet", "row", "kind", "agency_code", "record_id", "rule", "column", "value", "message", "superseded")}
        | {"header": result.headers.get(row["path"], {}).get(row["column"] or "")}
        for row in result.quarantine.sort("path", "sheet", "row", nulls_last=True).iter_rows(named=True)
    ]
    rows_of = {f["path"]: f["rows"] for f in files}
    return {"files": files, "quarantine": quarantine, "problems": problems(quarantine, rows_of), "incomplete": incomplete(result, whole_root, today)}


def _file_entry(f: dict) -> dict:
    entry = {k: f[k] for k in ("path", "kind", "status", "rows", "accepted", "quarantined", "total_rows")}
    if f["error"]:
        entry["error"] = f["error"]
        entry["rule"] = f["error_rule"]
    for key in ("encoding", "sheets", "note"):
        if f[key]:
            entry[key] = f[key]
    return entry


def problems(quarantine: list[dict], rows_of: dict[str, int | None]) -> list[dict]:
    """Quarantined rows grouped by rule, then by file and column. A problem on every row of a file (a wrong
    header, a column of the wrong kind) is one entry with `every_row` set, not one per row."""
    groups: dict[str, dict] = {}
    for q in quarantine:
        if q["superseded"]:
            continue
        rule = q["rule"]
        g = groups.setdefault(rule, {"rule": rule, "title": _title(rule), "rows": 0, "places": {}})
        g["rows"] += 1
        place = g["places"].setdefault(
            (q["path"], q["sheet"], q["column"]), {"path": q["path"], "sheet": q["sheet"], "column": q["column"], "header": q["header"], "rows": []}
        )
        place["rows"].append({k: q[k] for k in ("row", "record_id", "value", "message")})
    out = []
    for g in sorted(groups.values(), key=lambda g: -g["rows"]):
        places = []
        for p in g["places"].values():
            p["every_row"] = len(p["rows"]) == rows_of.get(p["path"]) and len(p["rows"]) > 1
            places.append(p)
        out.append({"rule": g["rule"], "title": g["title"], "rows": g["rows"], "places": places})
    return out


def _title(rule: str) -> str:
    """A rule's message without the row's own values: what the group is about."""
    r = RULES.get(rule) or FILE_RULES.get(rule)
    if r is None:
        return rule
    fields = {"label": "值", "column": "value", "value": "…", "allowed": "…", "detail": "…"}
    return f"{r.zh.format(**fields)} / {r.en.format(**fields)}".replace("“…”", "").replace("'…'", "").replace("  ", " ")


def incomplete(result: Ingested, whole_root: bool, today: dt.date) -> list[dict]:
    """Every incomplete agency-year the files speak of, with its reasons (tables/completeness.py)."""
    registered = result.records["agencies"].get_column("agency_code")
    if registered.is_empty():
        return []
    mine = _agencies_and_years(result, today)
    agencies = registered if whole_root else registered.filter(registered.is_in(mine.get_column("agency_code").unique().implode()))
    years = sorted(set(mine.filter(pl.col("agency_code").is_in(agencies.implode())).get_column("year").to_list()))
    out = []
    for year in years:
        reasons = incomplete_reasons(dict(result.records), result.quarantine, agencies, year, rejected=result.rejected, today=today, registered=registered)
        if not whole_root:  # only the years the files hold for each agency
            held = mine.filter(pl.col("year") == year).get_column("agency_code").unique().implode()
            reasons = reasons.filter(pl.col("agency_code").is_in(held))
        out += reasons.to_dicts()
    return out


def _agencies_and_years(result: Ingested, today: dt.date) -> pl.DataFrame:
    """(agency_code, year) of every record, register entry and quarantined row read, by its own year."""
    parts = [
        result.records.scan(k).select("agency_code", pl.col(DATE_COLUMN[k]).dt.year().cast(pl.Int32).alias("year")).unique().collect()
        for k in LEDGER_KINDS
        if k in result.records
    ]
    if "submissions" in result.records:
        parts.append(result.records["submissions"].select("agency_code", pl.col("year").cast(pl.Int32)))
    parts.append(result.quarantine.filter(pl.col("kind") != "agencies").select("agency_code", pl.col("year").cast(pl.Int32)))
    parts.append(result.rejected.select("agency_code", pl.col("year").cast(pl.Int32)))
    frame = pl.concat(parts).drop_nulls().unique()
    return frame.filter(pl.col("year").is_between(EARLIEST_DATE.year, today.year))


def kind_label(kind: str | None) -> str:
    return KINDS[kind].label if kind in KINDS else (kind or "?")
