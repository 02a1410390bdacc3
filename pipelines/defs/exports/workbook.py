"""A county's workbook for the reviewer who lives in Excel: one sheet per statutory table, agencies as rows, the
county total under them, and the checks.

Every statutory sheet has three header rows — the form's row label (or item / group), its column label, and the
cell's key (`1.natural_person`, the warehouse's keys) — then one row per agency and the county total.
"""

from pathlib import Path
from typing import Any

import duckdb
import polars as pl

from pipelines.defs.exports.xlsx import date_formats, workbook, write_cell
from schemas import vocabulary as v

TOTAL_LABEL = "合计 / county total"
STATUS_LABELS = {"pass": "通过", "warn": "警告", "fail": "不通过"}
ID_COLUMNS = ("统一社会信用代码", "机构名称", "完整")


def _cells(con: duckdb.DuckDBPyConnection, fact: str, keys: tuple[str, str], year: int) -> dict[tuple[str, str, str], float]:
    rows = con.execute(
        f"SELECT agency_code, {keys[0]}, {keys[1]}, value FROM {fact} WHERE year = ? AND agency_code IN (SELECT agency_code FROM _county)",
        [year],
    ).fetchall()
    return {(code, a, b): value for code, a, b, value in rows}


def county_workbook(con: duckdb.DuckDBPyConnection, year: int, county: str, agencies: pl.DataFrame, path: Path) -> list[str]:
    """Write the workbook of one county's agencies (agency_code, agency_name) for `year`; returns its sheet names."""
    con.register("_county", agencies.select("agency_code"))
    try:
        status = con.execute(
            "SELECT agency_code, complete FROM agency_year WHERE year = ? AND agency_code IN (SELECT agency_code FROM _county)", [year]
        ).fetchall()
        complete = dict(status)
        checks = {
            (code, check): (state, message)
            for code, check, state, message in con.execute(
                "SELECT agency_code, check_id, status, message FROM check_result WHERE year = ? AND agency_code IN (SELECT agency_code FROM _county)",
                [year],
            ).fetchall()
        }
        reasons: dict[str, list[str]] = {}
        for code, text in con.execute(
            "SELECT agency_code, detail_zh FROM incomplete_reason WHERE year = ? AND agency_code IN (SELECT agency_code FROM _county) ORDER BY ALL",
            [year],
        ).fetchall():
            reasons.setdefault(code, []).append(text)
        proactive = _cells(con, "fact_proactive", ("item", "metric"), year)
        applications = _cells(con, "fact_application", ("row_key", "column_key"), year)
        appeals = _cells(con, "fact_appeal", ("group_key", "result"), year)
        channels = {(code, ch, "items"): n for (code, ch, _), n in _cells(con, "fact_channel", ("channel", "'items'"), year).items()}
    finally:
        con.unregister("_county")

    rows = [(code, name, bool(complete.get(code))) for code, name in agencies.select("agency_code", "agency_name").iter_rows()]
    book = workbook(path)
    try:
        style = _styles(book)
        _about(book, style, year, county, rows)
        item_label = {i.key: i.label for i in v.PROACTIVE_ITEMS}
        metric_label = {m.key: m.label for i in v.PROACTIVE_ITEMS for m in i.metrics}
        _table_sheet(
            book,
            style,
            "表P 主动公开",
            rows,
            [(item_label[i], metric_label[m], f"{i}.{m}", (i, m)) for i, m in v.PROACTIVE_CELLS],
            proactive,
        )
        _table_sheet(
            book,
            style,
            "表A 依申请公开",
            rows,
            [(r.label, v.APPLICATION_COLUMN_LABELS[c], f"{r.key}.{c}", (r.key, c)) for r in v.APPLICATION_ROWS for c in v.APPLICATION_COLUMN_KEYS],
            applications,
        )
        _table_sheet(
            book,
            style,
            "表R 复议诉讼",
            rows,
            [(g.full_label, res.label, f"{g.key}.{res.key}", (g.key, res.key)) for g in v.APPEAL_GROUPS for res in v.APPEAL_RESULTS],
            appeals,
        )
        _table_sheet(
            book,
            style,
            "发布渠道",
            rows,
            [(c.label, "条", f"{c.key}", (c.key, "items")) for c in v.CHANNELS],
            channels,
            total_column=("总计", "条", "total"),
        )
        _checks_sheet(book, style, rows, checks, reasons)
        return [s.get_name() for s in book.worksheets()]
    finally:
        book.close()


def _styles(book: Any) -> dict[str, Any]:
    return {
        "head": book.add_format({"bold": True, "text_wrap": True, "valign": "top", "border": 1, "bg_color": "#EEEEEE"}),
        "key": book.add_format({"font_color": "#666666", "border": 1, "font_size": 9}),
        "total": book.add_format({"bold": True, "top": 2}),
        "title": book.add_format({"bold": True, "font_size": 14}),
        **date_formats(book),
    }


def _about(book: Any, style: dict[str, Any], year: int, county: str, rows: list[tuple[str, str, bool]]) -> None:
    from pipelines.defs.exports.export import LAYOUT, LAYOUT_VERSION

    sheet = book.add_worksheet("说明")
    sheet.set_column(0, 0, 22)
    sheet.set_column(1, 1, 80)
    sheet.write_string(0, 0, f"{county} {year}年 政府信息公开工作年度报告 统计表", style["title"])
    lines = [
        ("县（市、区）", county),
        ("年度", str(year)),
        ("机构数", str(len(rows))),
        ("数据不完整的机构", str(sum(1 for r in rows if not r[2]))),
        ("格式 / layout", f"{LAYOUT} {LAYOUT_VERSION}"),
        ("表P 主动公开", "各机构主动公开政府信息情况（第二十条），末行为全县合计"),
        ("表A 依申请公开", "各机构收到和处理政府信息公开申请情况，25行×7列展开为列，末行为全县合计"),
        ("表R 复议诉讼", "各机构政府信息公开行政复议、行政诉讼情况，末行为全县合计"),
        ("发布渠道", "各机构本年主动公开政府信息条数，按发布渠道"),
        ("勾稽关系", "各机构各项勾稽关系的结果，及数据不完整的原因"),
        ("表头", "每张表前三行：表中的行（项目）、列（指标）、键（与数据仓库一致）"),
    ]
    for i, (k, text) in enumerate(lines, start=2):
        sheet.write_string(i, 0, k, style["head"])
        sheet.write_string(i, 1, text)


def _table_sheet(
    book: Any,
    style: dict[str, Any],
    name: str,
    rows: list[tuple[str, str, bool]],
    columns: list[tuple[str, str, str, tuple[str, str]]],
    cells: dict[tuple[str, str, str], float],
    total_column: tuple[str, str, str] | None = None,
) -> None:
    """Agencies as rows; columns: (row label, column label, key, (key 1, key 2)); then the county total."""
    sheet = book.add_worksheet(name)
    first = len(ID_COLUMNS)
    for c, head in enumerate(ID_COLUMNS):
        sheet.merge_range(0, c, 2, c, head, style["head"])
    heads = [(a, b, k) for a, b, k, _ in columns] + ([total_column] if total_column else [])
    for j, (row_label, column_label, key) in enumerate(heads):
        sheet.write_string(0, first + j, row_label, style["head"])
        sheet.write_string(1, first + j, column_label, style["head"])
        sheet.write_string(2, first + j, key, style["key"])
    totals = [0.0] * len(heads)
    for i, (code, agency_name, complete) in enumerate(rows, start=3):
        sheet.write_string(i, 0, code)
        sheet.write_string(i, 1, agency_name)
        sheet.write_string(i, 2, "是" if complete else "否")
        values = [cells.get((code, *cell), 0) for *_, cell in columns]
        if total_column:
            values.append(sum(values))
        for j, value in enumerate(values):
            write_cell(sheet, i, first + j, value, style)
            totals[j] += value
    last = 3 + len(rows)
    sheet.write_string(last, 0, "", style["total"])
    sheet.write_string(last, 1, TOTAL_LABEL, style["total"])
    sheet.write_string(last, 2, "", style["total"])
    for j, value in enumerate(totals):
        write_cell(sheet, last, first + j, round(value, 4), style, style["total"])
    sheet.set_row(0, 48)
    sheet.set_column(0, 0, 21)
    sheet.set_column(1, 1, 28)
    sheet.set_column(2, 2, 6)
    sheet.set_column(first, first + len(heads) - 1, 12)
    sheet.freeze_panes(3, first)


def _checks_sheet(
    book: Any,
    style: dict[str, Any],
    rows: list[tuple[str, str, bool]],
    checks: dict[tuple[str, str], tuple[str, str]],
    reasons: dict[str, list[str]],
) -> None:
    sheet = book.add_worksheet("勾稽关系")
    # the relations computed for these agency-years (S1 is about published narratives, A4/P1 need the year before)
    relations = [r for r in v.RELATIONS if any(check == r.id for _, check in checks)]
    first = len(ID_COLUMNS)
    for c, head in enumerate(ID_COLUMNS):
        sheet.merge_range(0, c, 1, c, head, style["head"])
    for j, rel in enumerate(relations):
        sheet.write_string(0, first + j, rel.zh, style["head"])
        sheet.write_string(1, first + j, rel.id, style["key"])
    extra = first + len(relations)
    sheet.merge_range(0, extra, 1, extra, "未通过的说明", style["head"])
    sheet.merge_range(0, extra + 1, 1, extra + 1, "数据不完整的原因", style["head"])
    for i, (code, agency_name, complete) in enumerate(rows, start=2):
        sheet.write_string(i, 0, code)
        sheet.write_string(i, 1, agency_name)
        sheet.write_string(i, 2, "是" if complete else "否")
        notes = []
        for j, rel in enumerate(relations):
            found = checks.get((code, rel.id))
            if found is None:
                sheet.write_string(i, first + j, "—")  # not computed for this agency-year
                continue
            state, message = found
            sheet.write_string(i, first + j, STATUS_LABELS.get(state, state))
            if state != "pass" and message:
                notes.append(f"{rel.id}: {message}")
        sheet.write_string(i, extra, "\n".join(notes))
        sheet.write_string(i, extra + 1, "\n".join(reasons.get(code, [])))
    sheet.set_row(0, 60)
    sheet.set_column(0, 0, 21)
    sheet.set_column(1, 1, 28)
    sheet.set_column(2, 2, 6)
    sheet.set_column(first, extra - 1, 14)
    sheet.set_column(extra, extra + 1, 60)
    sheet.freeze_panes(2, first)
