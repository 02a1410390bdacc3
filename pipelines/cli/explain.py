"""`gongkai explain`: the records behind one cell of an agency-year's tables, from the warehouse."""

import csv
import io
import json
from typing import Annotated

import typer

from pipelines.cli.options import Format, Warehouse

COLUMNS = ("kind", "record_id", "file", "sheet", "row")


def register(app: typer.Typer) -> None:
    app.command("explain")(explain)


def explain(
    year: Annotated[int, typer.Option("--year", help="年度 / report year")],
    agency: Annotated[str, typer.Option("--agency", help="统一社会信用代码 / agency code")],
    cell: Annotated[str, typer.Option("--cell", help="单元格 / cell: A.3.4.1.natural_person, R.review.upheld, P.license.decisions")],
    fmt: Annotated[Format, typer.Option("--format", help="text | json | csv")] = Format.text,
    warehouse: Warehouse = None,
) -> None:
    """列出某单元格背后的逐条记录，记录数即该单元格的数值 / the records behind one cell of an agency-year's tables; their
    number is the cell (the fee amount of table P lists the items it sums)."""
    from pipelines.defs.warehouse.explain import explain as records_of
    from pipelines.settings import settings

    found = records_of(settings(warehouse=warehouse).warehouse, year, agency, cell)
    if fmt is Format.json:
        typer.echo(json.dumps(found, ensure_ascii=False, indent=2))
    elif fmt is Format.csv:
        typer.echo(to_csv(found), nl=False)
    else:
        print_text(found)


def _columns(found: dict) -> list[str]:
    return [*COLUMNS, "amount_yuan"] if found["records"] and "amount_yuan" in found["records"][0] else list(COLUMNS)


def to_csv(found: dict) -> str:
    """One line per record, with the cell it explains (an empty cell: the header alone)."""
    buf = io.StringIO()
    writer = csv.DictWriter(buf, fieldnames=["agency_code", "year", "cell", *_columns(found)])
    writer.writeheader()
    for record in found["records"]:
        writer.writerow({"agency_code": found["agency_code"], "year": found["year"], "cell": found["cell"], **record})
    return buf.getvalue()


def print_text(found: dict) -> None:
    typer.echo(f"{found['agency_code']}  {found['year']}年  {found['cell']}  {found['label']}")
    typer.echo(f"数值 / value: {found['value']}    记录 / records: {len(found['records'])}")
    for record in found["records"]:
        where = record["file"] + (f" [{record['sheet']}]" if record["sheet"] else "") + f" 第{record['row']}行 / row {record['row']}"
        amount = f"  {record['amount_yuan']}元" if "amount_yuan" in record else ""
        typer.echo(f"  {record['record_id']}  {where}{amount}")
