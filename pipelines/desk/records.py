"""Record-level questions the desk asks: the records behind a cell of the tables, and applications due soon.
Both come from the records stage when it is there; until then the page says they are not available."""

from pipelines.defs.warehouse import warehouse
from pipelines.desk import reporting
from pipelines.errors import GongkaiError
from pipelines.settings import Settings

NOT_AVAILABLE = "暂无记录级数据（尚未建立逐条记录的事实表） / record-level facts not available"


def cell_value(tables: dict, cell: str) -> float | int | None:
    """The number of a cell such as `A.3.4.1.natural_person`, `R.review.upheld`, `P.license.decisions`."""
    table, _, rest = cell.partition(".")
    try:
        if table == "A":
            row, _, col = rest.rpartition(".")
            return tables["applications"][row][col]
        if table == "R":
            group, _, result = rest.partition(".")
            return tables["appeals"][group][result]
        if table == "P":
            item, _, metric = rest.partition(".")
            return tables["proactive"][item][metric]
    except (KeyError, TypeError):
        return None
    return None


def _explain():
    """The records stage's `explain` (gongkai explain), when this gongkai has it."""
    try:
        from pipelines.defs.warehouse.explain import explain  # type: ignore[import-not-found, unused-ignore]
    except ImportError:
        return None
    return explain


def cell_records(cfg: Settings, code: str, year: int, cell: str) -> dict:
    """{"value", "records" (list or None), "note"} for one cell of one agency-year."""
    explain = _explain()
    if explain is not None:
        try:
            found = explain(cfg.warehouse, year, code, cell)
        except GongkaiError as err:
            return {"value": None, "records": None, "note": str(err)}
        return {"value": found["value"], "records": found["records"], "note": found.get("label", "")}
    obj = reporting.tables(cfg, code, year)
    value = None if obj is None else cell_value(obj, cell)
    if obj is not None and value is None:
        return {"value": None, "records": None, "note": f"没有这个单元格：{cell} / no such cell"}
    return {"value": value, "records": None, "note": NOT_AVAILABLE}


DUE_WITHIN = 10  # working days: what "due soon" means on the clerk's page


def due_soon(cfg: Settings, code: str) -> dict:
    """{"rows": [...] or None, "note"}: the agency's open applications due within DUE_WITHIN working days (overdue
    included), as `gongkai due` lists them, when this gongkai counts deadlines."""
    try:
        from pipelines.defs.compliance.due import as_json, due_list, today  # type: ignore[import-not-found, unused-ignore]
    except ImportError:
        return {"rows": None, "note": "暂无答复期限数据 / deadlines not available"}
    if not cfg.warehouse.exists():
        return {"rows": None, "note": "数据仓库尚未建立 / no warehouse yet"}
    try:
        rows = as_json(due_list(cfg.warehouse, today(), DUE_WITHIN, code))
    except GongkaiError as err:
        return {"rows": None, "note": str(err)}
    return {"rows": rows, "note": f"{DUE_WITHIN}个工作日内到期（含已逾期） / due within {DUE_WITHIN} working days, overdue included"}


def late_answers(cfg: Settings, year: int) -> dict[str, int] | None:
    """Per agency, applications answered late in `year`; None when the warehouse has no deadlines."""
    if not cfg.warehouse.exists():
        return None
    con = warehouse.reader(cfg.warehouse)
    try:
        known = con.execute("SELECT count(*) FROM duckdb_views() WHERE view_name = 'v_deadline_agency_year'").fetchall()[0][0]
        if not known:
            return None
        return dict(con.execute("SELECT agency_code, late FROM v_deadline_agency_year WHERE year = ?", [year]).fetchall())
    finally:
        con.close()
