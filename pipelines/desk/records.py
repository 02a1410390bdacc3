"""Record-level questions the desk asks: the records behind a cell of the tables, and applications due soon.
Both come from the records stage when it is there; until then the page says they are not available."""

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


def due_soon(cfg: Settings, code: str) -> dict:
    """{"rows": [...] or None, "note"}: open applications by due date."""
    return {"rows": None, "note": "暂无答复期限数据 / deadlines not available"}
