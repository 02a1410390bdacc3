"""Read agency-years' tables back from the warehouse (for `gongkai tables` and the reports)."""

from pathlib import Path

import polars as pl

from pipelines.defs.tables.completeness import REASONS
from pipelines.defs.tables.shape import tables_object
from pipelines.defs.warehouse import warehouse
from pipelines.errors import GongkaiError
from schemas.codes import is_valid

QUERIES = Path(__file__).parent / "queries"
FACTS = ("fact_proactive", "fact_channel", "fact_application", "fact_appeal", "check_result", "incomplete_reason")
NOT_COMPUTED = (
    "该机构本年度的表格尚未计算（机构在该年度入库后才登记）",
    "this agency's tables of the year are not computed yet (it was registered after the year was loaded)",
)


def _sql(name: str) -> str:
    return (QUERIES / f"{name}.sql").read_text(encoding="utf-8")


def _objects(con, year: int, agencies: pl.DataFrame) -> list[dict]:
    """Tables objects for the given agencies (agency_code, agency_name, complete, quarantined_rows, fees_yuan)."""
    con.register("_wanted", agencies.select("agency_code"))
    frames = {
        t: con.sql(f"SELECT * FROM {t} WHERE year = $year AND agency_code IN (SELECT agency_code FROM _wanted)", params={"year": year})
        .pl()
        .partition_by("agency_code", as_dict=True)
        for t in FACTS
    }
    con.unregister("_wanted")
    out = []
    for info in agencies.iter_rows(named=True):
        code = info["agency_code"]
        reasons = frames["incomplete_reason"].get((code,))
        obj = tables_object(
            agency_code=code,
            agency_name=info["agency_name"],
            year=year,
            # no row for this year: the year was loaded before the agency was registered — nothing says it is complete
            complete=False if info["complete"] is None else bool(info["complete"]),
            proactive=frames["fact_proactive"].get((code,)),
            channels=frames["fact_channel"].get((code,)),
            applications=frames["fact_application"].get((code,)),
            appeals=frames["fact_appeal"].get((code,)),
            checks=frames["check_result"].get((code,)),
            reasons=None if reasons is None else _in_order(reasons),
        )
        if info["complete"] is None:
            obj["incomplete_reasons"] = [" / ".join(NOT_COMPUTED)]
        obj["fees_yuan"] = float(info["fees_yuan"] or 0.0)
        obj["quarantined_rows"] = int(info["quarantined_rows"] or 0)
        out.append(obj)
    return out


def _in_order(reasons: pl.DataFrame) -> pl.DataFrame:
    order = {r: i for i, r in enumerate(REASONS)}
    return reasons.with_columns(pl.col("reason").replace_strict(order, default=len(order)).alias("_o")).sort("_o", "kind", "path", nulls_last=True).drop("_o")


def _loaded(con, year: int) -> bool:
    # fetchall: DuckDB 2 refuses further work on a connection whose last result is not fully fetched
    return con.execute("SELECT count(*) FROM agency_year WHERE year = ?", [year]).fetchall()[0][0] > 0


def agency_year_tables(warehouse_path: Path, agency_code: str, year: int) -> dict:
    """The tables object of interfaces.md, plus `fees_yuan` and `quarantined_rows`."""
    code = agency_code.strip().upper()
    if not is_valid(code):
        raise GongkaiError(f"统一社会信用代码无效：{agency_code}", f"not a valid agency code: {agency_code}")
    con = warehouse.reader(warehouse_path)
    try:
        head = con.sql(_sql("agency_year"), params={"agency": code, "year": year}).pl()
        if head.is_empty():
            raise GongkaiError(f"数据仓库中没有该机构：{code}", f"unknown agency code: {code}")
        if not _loaded(con, year):
            raise GongkaiError(
                f"{year}年尚未入库（请先运行 gongkai materialize --year {year}）", f"year {year} is not loaded (run gongkai materialize --year {year})"
            )
        return _objects(con, year, head)[0]
    finally:
        con.close()


def year_tables(warehouse_path: Path, year: int, agency_codes: list[str] | None = None) -> list[tuple[dict, dict]]:
    """(tables object, dim_agency row) for every agency loaded for `year`, or the ones named."""
    con = warehouse.reader(warehouse_path)
    try:
        if not _loaded(con, year):
            return []
        agencies = con.sql(
            """SELECT d.*, ay.complete, ay.quarantined_rows, ay.fees_yuan
               FROM dim_agency d JOIN agency_year ay ON ay.agency_code = d.agency_code AND ay.year = $year
               ORDER BY d.agency_code""",
            params={"year": year},
        ).pl()
        if agency_codes is not None:
            agencies = agencies.filter(pl.col("agency_code").is_in(agency_codes))
        objects = _objects(con, year, agencies)
        return list(zip(objects, agencies.drop("complete", "quarantined_rows", "fees_yuan").to_dicts(), strict=True))
    finally:
        con.close()
