"""Why an agency-year is incomplete, in words a clerk can act on (docs/ledger-contract.md, "Complete").

An agency-year is complete exactly when none of these holds; each is one row of `incomplete_reason`:

- `quarantined_rows` — quarantined rows belong to it (one row per file, naming the rows);
- `file_rejected` — a rejected file may hold its rows (ingest/attribution.py says whose);
- `ledger_missing` — one of its three ledgers is not accounted for: no record of that kind belongs to it by its
  own date (published_on, received_on, filed_on — a row quarantined with its agency and year counts: the
  ledger was handed in), and the submissions register says neither handed_in nor none;
- `year_in_progress` — the year is not over on the day of the run.
"""

import datetime as dt

import polars as pl

from pipelines.defs.tables import frames, tables
from schemas import vocabulary as v
from schemas.columns import KINDS

REASONS = ("quarantined_rows", "file_rejected", "ledger_missing", "year_in_progress")
SHOWN_ROWS = 10  # rows named in a quarantined_rows reason
_BASIS = {
    "last_read": ("上次读取时其中有本机构的记录", "it held this agency's rows when last read"),
    "named": ("文件名或所在文件夹提到本机构", "its name or folder names this agency"),
    "every_agency": ("无法判断属于哪个机构，每个机构都算", "whose rows it holds cannot be told, so it counts for every agency"),
}


def _empty() -> pl.DataFrame:
    return pl.DataFrame(schema=frames.INCOMPLETE_REASON)


def _where(path: str, sheet: str | None) -> str:
    return path if not sheet else f"{path}［{sheet}］"


def _quarantined(hits: pl.DataFrame) -> pl.DataFrame:
    if hits.is_empty():
        return _empty()
    per_file = (
        hits.sort("row")
        .group_by("agency_code", "year", "kind", "path", "sheet", maintain_order=True)
        .agg(pl.col("_q").n_unique().alias("rows"), pl.col("row").unique(maintain_order=True).head(SHOWN_ROWS).alias("_shown"))
        .sort("agency_code", "year", "path", "sheet", nulls_last=True)
    )
    out = []
    for r in per_file.iter_rows(named=True):
        where = _where(r["path"], r["sheet"])
        shown = "、".join(str(n) for n in r["_shown"]) + ("……" if r["rows"] > len(r["_shown"]) else "")
        shown_en = ", ".join(str(n) for n in r["_shown"]) + (", …" if r["rows"] > len(r["_shown"]) else "")
        out.append(
            {
                "agency_code": r["agency_code"],
                "year": r["year"],
                "reason": "quarantined_rows",
                "kind": r["kind"],
                "detail_zh": f"{where}：{r['rows']}行被隔离（第{shown}行），请按 gongkai validate 列出的原因改正后重新报送",
                "detail_en": f"{where}: {r['rows']} rows quarantined (rows {shown_en}); correct them as gongkai validate says and hand the file in again",
                "path": r["path"],
                "rows": r["rows"],
            }
        )
    return pl.DataFrame(out, schema=frames.INCOMPLETE_REASON)


def _rejected(rejected: pl.DataFrame, agencies: pl.Series, year: int) -> pl.DataFrame:
    mine = rejected.filter(pl.col("agency_code").is_in(agencies.implode()) & (pl.col("year").is_null() | (pl.col("year") == year)))
    out = []
    for r in mine.unique(["agency_code", "path"], keep="first", maintain_order=True).sort("agency_code", "path").iter_rows(named=True):
        basis_zh, basis_en = _BASIS.get(r["basis"], ("", ""))
        label = KINDS[r["kind"]].label if r["kind"] in KINDS else r["kind"]
        out.append(
            {
                "agency_code": r["agency_code"],
                "year": year,
                "reason": "file_rejected",
                "kind": r["kind"],
                "detail_zh": f"{r['path']} 整个未能读取（{r['error_zh']}），其中可能有本机构{year}年的{label}记录（{basis_zh}）；请修复或重新导出该文件",
                "detail_en": f"{r['path']} was rejected whole ({r['error_en']}) and may hold this agency's {r['kind']} rows of {year} ({basis_en}); repair or export it again",
                "path": r["path"],
                "rows": None,
            }
        )
    return pl.DataFrame(out, schema=frames.INCOMPLETE_REASON)


def accounted_ledgers(records: dict[str, pl.DataFrame | pl.LazyFrame], quarantine: pl.DataFrame, year: int, agencies: pl.Series) -> pl.DataFrame:
    """(agency_code, kind) of every ledger of `agencies` accounted for in `year`: a record of its own year, a row
    quarantined with its agency and year, or a register entry saying handed_in or none."""
    wanted = pl.col("agency_code").is_in(agencies.implode())
    parts = [
        records[k].lazy().filter(wanted & (pl.col(tables.DATE_COLUMN[k]).dt.year() == year)).select("agency_code", pl.lit(k).alias("kind")).unique()
        for k in v.LEDGER_LABELS
        if k in records
    ]
    register = records.get("submissions")
    if register is not None:
        parts.append(
            register.lazy().filter((pl.col("year") == year) & pl.col("status").is_in(list(v.SUBMISSION_STATUS_LABELS))).select("agency_code", "kind").unique()
        )
    frame = pl.concat([p.cast({"agency_code": pl.String, "kind": pl.String}) for p in parts]).collect(engine="streaming") if parts else None
    handed = quarantine.filter(pl.col("kind").is_in(list(v.LEDGER_LABELS)) & (pl.col("year") == year)).select("agency_code", "kind").drop_nulls()
    return pl.concat([f for f in (frame, handed) if f is not None]).unique() if frame is not None else handed.unique()


def _missing(accounted: pl.DataFrame, agencies: pl.Series, year: int) -> pl.DataFrame:
    kinds = pl.DataFrame({"kind": list(v.LEDGER_LABELS)})
    grid = pl.DataFrame({"agency_code": agencies}, schema={"agency_code": pl.String}).unique().join(kinds, how="cross")
    missing = grid.join(accounted, on=["agency_code", "kind"], how="anti").sort("agency_code", "kind")
    out = []
    for code, kind in missing.iter_rows():
        label = v.LEDGER_LABELS[kind]
        out.append(
            {
                "agency_code": code,
                "year": year,
                "reason": "ledger_missing",
                "kind": kind,
                "detail_zh": f"未报送{year}年{label}：没有该年的记录，报送登记中也没有“已报送”或“本年无”；如本年确无此类事项，请在报送登记（submissions）中登记“本年无”",
                "detail_en": f"the {kind} ledger of {year} is not accounted for: no record of the year, and the submissions register says neither handed_in nor none; if there was nothing of this kind, declare none in the register",
                "path": None,
                "rows": None,
            }
        )
    return pl.DataFrame(out, schema=frames.INCOMPLETE_REASON)


def _in_progress(agencies: pl.Series, year: int, today: dt.date) -> pl.DataFrame:
    if year < today.year:
        return _empty()
    codes = agencies.unique().sort()
    return pl.DataFrame(
        {
            "agency_code": codes,
            "year": year,
            "reason": "year_in_progress",
            "kind": None,
            "detail_zh": f"{year}年尚未结束，各项数字还会变化；年度结束后方可定稿",
            "detail_en": f"{year} is not over yet: the figures will still change; the report can be final once the year has ended",
            "path": None,
            "rows": None,
        },
        schema=frames.INCOMPLETE_REASON,
    )


def incomplete_reasons(
    records: dict[str, pl.DataFrame | pl.LazyFrame],
    quarantine: pl.DataFrame,
    agencies: pl.Series,
    year: int,
    rejected: pl.DataFrame | None = None,
    today: dt.date | None = None,
    registered: pl.Series | None = None,
) -> pl.DataFrame:
    """Every reason each of `agencies` is incomplete in `year` (frames.INCOMPLETE_REASON), ordered by agency and
    reason. `records` holds every agency's ledgers (and the submissions register, when there is one);
    `rejected` the attribution of rejected files (ingest/attribution.py); `today` the day of the run;
    `registered` every agency of the register, when `agencies` are only some of them."""
    from pipelines.defs.clock import today as clock_today

    day = today or clock_today()
    hits = tables.quarantined_hits(quarantine, records, agencies if registered is None else registered, [year])
    parts = [
        _quarantined(hits.filter(pl.col("agency_code").is_in(agencies.implode()))),
        _rejected(rejected, agencies, year) if rejected is not None and rejected.height else _empty(),
        _missing(accounted_ledgers(records, quarantine, year, agencies), agencies, year),
        _in_progress(agencies, year, day),
    ]
    order = {r: i for i, r in enumerate(REASONS)}
    out = pl.concat(parts, how="vertical")
    return (
        out.with_columns(pl.col("reason").replace_strict(order, return_dtype=pl.Int32).alias("_o"))
        .sort("agency_code", "_o", "kind", "path", nulls_last=True, maintain_order=True)
        .drop("_o")
    )
