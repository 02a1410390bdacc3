"""The records behind one cell of an agency-year's tables (gongkai explain, the desk's cell page).

A cell is `A.<row_key>.<column_key>` (e.g. `A.3.4.1.natural_person`), `R.<group_key>.<result>` or
`P.<item>.<metric>` (national-format.md's keys). The records are read from the record-level facts, which
hold the cells each record counts in as computed with the tables themselves (tables/records.py): for a
count cell their number is the value; for the fee amount of table P they are the items it sums.
"""

from dataclasses import dataclass
from pathlib import Path

import duckdb

from pipelines.defs.warehouse import warehouse
from pipelines.errors import GongkaiError
from schemas import vocabulary as v
from schemas.codes import is_valid


@dataclass(frozen=True)
class Cell:
    cell: str
    fact: str  # the fact table holding its value
    keys: dict[str, str]  # its key columns there
    records: str  # the record-level fact table
    kind: str  # ledger kind of its records
    id_column: str
    label: str
    money: bool = False  # the value sums amounts (P.admin_fee.amount_wan_yuan) rather than counting records


def _row_label(row: v.ApplicationRow) -> str:
    """A row of table A named in full: an outcome row with its heading and group (2.重复申请 alone says little)."""
    if not row.key.startswith("3."):
        return row.label
    return v.RESULTS_HEADING + (f"{row.group} " if row.group else "") + row.short


def parse_cell(cell: str) -> Cell:
    """The cell named by `cell`, or a GongkaiError naming what is wrong with it."""
    cell = cell.strip()
    table, _, rest = cell.partition(".")
    if table == "A":
        row, _, col = rest.rpartition(".")  # row keys hold dots (3.4.1)
        if row in v.APPLICATION_ROW_BY_KEY and col in v.APPLICATION_COLUMN_KEYS:
            label = f"表A {_row_label(v.APPLICATION_ROW_BY_KEY[row])} · {v.APPLICATION_COLUMN_LABELS[col]}"
            keys = {"row_key": row, "column_key": col}
            return Cell(cell, "fact_application", keys, "fact_application_record", "applications", "application_id", label)
    elif table == "R":
        group, _, result = rest.partition(".")
        groups = {g.key: g for g in v.APPEAL_GROUPS}
        results = {r.key: r for r in v.APPEAL_RESULTS}
        if group in groups and result in results:
            label = f"表R {groups[group].full_label} · {results[result].label}"
            return Cell(cell, "fact_appeal", {"group_key": group, "result": result}, "fact_appeal_record", "appeals", "case_id", label)
    elif table == "P":
        item, _, metric = rest.partition(".")
        if (item, metric) in v.PROACTIVE_CELLS:
            found = v.PROACTIVE_BY_KEY[item]
            label = f"表P {found.label} · {next(m.label for m in found.metrics if m.key == metric)}"
            keys = {"item": item, "metric": metric}
            return Cell(cell, "fact_proactive", keys, "fact_proactive_record", "disclosures", "item_id", label, money=metric == "amount_wan_yuan")
    raise GongkaiError(
        f"没有这个单元格：{cell}（格式如 A.3.4.1.natural_person、R.review.upheld、P.license.decisions）",
        f"no such cell: {cell} (cells look like A.3.4.1.natural_person, R.review.upheld, P.license.decisions)",
    )


def explain(warehouse_path: Path, year: int, agency_code: str, cell: str) -> dict:
    """{"cell", "agency_code", "year", "value", "label", "records": [{"kind", "record_id", "file", "sheet", "row"
    (, "amount_yuan" for the fee amount)}]}, records in id order. Unknown cell or agency: GongkaiError."""
    target = parse_cell(cell)
    code = agency_code.strip().upper()
    if not is_valid(code):
        raise GongkaiError(f"统一社会信用代码无效：{agency_code}", f"not a valid agency code: {agency_code}")
    con = warehouse.reader(warehouse_path)
    try:
        return explain_on(con, year, code, target)
    finally:
        con.close()


def explain_on(con: duckdb.DuckDBPyConnection, year: int, code: str, target: Cell) -> dict:
    """explain on an open connection, for a valid agency code."""
    if not con.execute("SELECT count(*) FROM dim_agency WHERE agency_code = ?", [code]).fetchall()[0][0]:
        raise GongkaiError(f"数据仓库中没有该机构：{code}", f"unknown agency code: {code}")
    where = " AND ".join(f"{k} = ${k}" for k in target.keys)
    found = con.execute(
        f"SELECT value FROM {target.fact} WHERE agency_code = $code AND year = $year AND {where}", {"code": code, "year": year, **target.keys}
    ).fetchall()
    if not found:
        raise GongkaiError(
            f"{year}年该机构的表格尚未入库（请先运行 gongkai materialize --year {year}）",
            f"the agency's tables of {year} are not loaded (run gongkai materialize --year {year})",
        )
    amount = ", amount_yuan" if target.money else ""
    try:
        rows = con.execute(
            f"""SELECT {target.id_column}, source_file, source_sheet, source_row{amount} FROM {target.records}
                WHERE agency_code = $code AND year = $year AND list_contains(cells, $cell)
                ORDER BY {target.id_column}""",
            {"code": code, "year": year, "cell": target.cell},
        ).fetchall()
    except duckdb.CatalogException as err:  # a warehouse loaded before record-level facts existed
        raise GongkaiError(
            f"数据仓库中没有逐条记录（请重新运行 gongkai materialize --year {year}）",
            f"the warehouse holds no record-level facts (run gongkai materialize --year {year} again)",
        ) from err
    value = found[0][0]
    if not target.money and int(value) != len(rows):
        # by construction they agree; they do not when the year was loaded before record-level facts existed
        raise GongkaiError(
            f"{year}年的逐条记录未随表格入库（请重新运行 gongkai materialize --year {year}）",
            f"the record-level facts of {year} were not loaded with its tables (run gongkai materialize --year {year} again)",
        )
    records = []
    for row in rows:
        record = {"kind": target.kind, "record_id": row[0], "file": row[1], "sheet": row[2], "row": row[3]}
        if target.money:
            record["amount_yuan"] = row[4]
        records.append(record)
    return {
        "cell": target.cell,
        "agency_code": code,
        "year": year,
        "value": value if target.money else int(value),
        "label": target.label,
        "records": records,
    }
