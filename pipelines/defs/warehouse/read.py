"""Read one agency-year's tables back from the warehouse (for `gongkai tables` and reports)."""

from pathlib import Path

from pipelines.defs.tables.shape import tables_object
from pipelines.defs.warehouse import warehouse
from pipelines.errors import GongkaiError
from schemas.codes import is_valid

QUERIES = Path(__file__).parent / "queries"


def _sql(name: str) -> str:
    return (QUERIES / f"{name}.sql").read_text(encoding="utf-8")


def agency_year_tables(warehouse_path: Path, agency_code: str, year: int) -> dict:
    """The tables object of interfaces.md, plus `fees_yuan` and `quarantined_rows`."""
    code = agency_code.strip().upper()
    if not is_valid(code):
        raise GongkaiError(f"统一社会信用代码无效：{agency_code}", f"not a valid agency code: {agency_code}")
    con = warehouse.reader(warehouse_path)
    try:
        params = {"agency": code, "year": year}
        head = con.sql(_sql("agency_year"), params=params).pl()
        if head.is_empty():
            raise GongkaiError(f"数据仓库中没有该机构：{code}", f"unknown agency code: {code}")
        info = head.row(0, named=True)
        if info["agencies_loaded"] == 0:
            raise GongkaiError(f"{year}年尚未入库（请先运行 gongkai materialize --year {year}）", f"year {year} is not loaded (run gongkai materialize --year {year})")
        frames = {t: con.sql(_sql(t), params=params).pl() for t in ("fact_proactive", "fact_channel", "fact_application", "fact_appeal", "check_result")}
    finally:
        con.close()
    obj = tables_object(
        agency_code=code,
        agency_name=info["agency_name"],
        year=year,
        # an agency loaded with no row for this year has no records: zeros, and nothing quarantined
        complete=True if info["complete"] is None else bool(info["complete"]),
        proactive=frames["fact_proactive"],
        channels=frames["fact_channel"],
        applications=frames["fact_application"],
        appeals=frames["fact_appeal"],
        checks=frames["check_result"],
    )
    obj["fees_yuan"] = float(info["fees_yuan"] or 0.0)
    obj["quarantined_rows"] = int(info["quarantined_rows"] or 0)
    return obj
