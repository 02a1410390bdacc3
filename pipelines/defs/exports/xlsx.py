"""Workbooks gongkai writes for people: every text cell a string, never a formula, a link or a number."""

import datetime as dt
import decimal
import json
from pathlib import Path
from typing import Any

import xlsxwriter

# xlsxwriter would otherwise turn "=…" into a formula, "http…" into a link and "123" into a number
SAFE_OPTIONS = {"strings_to_formulas": False, "strings_to_numbers": False, "strings_to_urls": False}


def workbook(path: Path, *, constant_memory: bool = False) -> Any:
    return xlsxwriter.Workbook(str(path), {**SAFE_OPTIONS, "constant_memory": constant_memory})


def write_cell(sheet: Any, r: int, c: int, value: object, formats: dict[str, Any], style: Any = None) -> None:
    """One value by its Python type; text always as a string. `formats` holds "date" and "datetime"."""
    if value is None:
        if style is not None:
            sheet.write_blank(r, c, None, style)
        return
    if isinstance(value, bool):
        sheet.write_boolean(r, c, value, style)
    elif isinstance(value, int) and abs(value) > 2**53:
        sheet.write_string(r, c, str(value), style)  # beyond a double's exact integers: kept exact, as text
    elif isinstance(value, int | float | decimal.Decimal):
        sheet.write_number(r, c, float(value), style)
    elif isinstance(value, dt.datetime):
        sheet.write_datetime(r, c, value.replace(tzinfo=None), formats["datetime"])
    elif isinstance(value, dt.date):
        sheet.write_datetime(r, c, dt.datetime.combine(value, dt.time()), formats["date"])
    else:
        sheet.write_string(r, c, value if isinstance(value, str) else json.dumps(value, ensure_ascii=False, default=str), style)


def date_formats(book: Any) -> dict[str, Any]:
    return {"date": book.add_format({"num_format": "yyyy-mm-dd"}), "datetime": book.add_format({"num_format": "yyyy-mm-dd hh:mm:ss"})}
