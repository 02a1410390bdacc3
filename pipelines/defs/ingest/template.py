"""A ledger template a clerk fills in: the contract's headers, a drop-down on every enumerated column,
date-formatted date cells and an instructions sheet (`gongkai template`, the desk's download).

Everything it says comes from schemas/columns.py, so a template can never offer a value or a header that
ingestion would refuse (tests/desk/test_template.py fills one with every choice and validates it)."""

import datetime as dt
import os
from pathlib import Path

import xlsxwriter

from schemas.columns import KINDS, LEDGER_KINDS, Column, Kind

ROWS = 1000  # rows prepared with drop-downs and date formats
INSTRUCTIONS = "填表说明"
CHOICES = "选项"
TYPE_HELP = {
    "text": "文字",
    "date": "日期，如 2022-03-05",
    "int": "非负整数",
    "decimal": "非负数",
    "bool": "是 / 否",
    "code": "从下拉列表中选择",
}


def header(column: Column) -> str:
    """The Chinese header a clerk sees: the column's first Chinese alias (ingestion also takes the English key)."""
    return next((a for a in column.aliases if not a.isascii()), column.key)


def _limit(message: str) -> str:
    """Excel shows at most 255 characters in a validation message."""
    return message if len(message) <= 255 else "请从下拉列表中选择（可选值见“填表说明”）"


def _note(kind: Kind, column: Column) -> str:
    parts = [TYPE_HELP[column.type]]
    if column.required:
        parts.append("必填列")
    if column.personal:
        parts.append("含个人信息：仅本机关留存，入库前即删除" + ("，只保留加密摘要" if column.key in ("applicant_name", "applicant_id_number") else ""))
    if column.key == kind.id_column:
        parts.append("本机关内唯一；同一编号再次报送即更正原记录")
    if column.key == "agency_code":
        parts.append("本机关18位统一社会信用代码")
    if column.key == "closed_on":
        parts.append("尚未答复的留空")
    if column.key == "concluded_on":
        parts.append("尚未审结的留空")
    return "；".join(parts)


def write_template(kind: str, path: Path) -> Path:
    """Write the XLSX template of one ledger kind (disclosures, applications or appeals) to `path`."""
    if kind not in LEDGER_KINDS:
        raise ValueError(f"not a ledger kind: {kind}")
    spec = KINDS[kind]
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")  # two processes writing one template never share a temp file
    book = xlsxwriter.Workbook(str(tmp), {"strings_to_formulas": False})  # text stays text
    try:
        head = book.add_format({"bold": True, "bg_color": "#DDEBF7", "border": 1, "text_wrap": True, "valign": "vcenter"})
        required = book.add_format({"bold": True, "bg_color": "#FCE4D6", "border": 1, "text_wrap": True, "valign": "vcenter"})
        date = book.add_format({"num_format": "yyyy-mm-dd"})
        text = book.add_format({"num_format": "@"})  # ids and codes stay text: "007" is not 7
        wrap = book.add_format({"text_wrap": True, "valign": "top"})
        bold = book.add_format({"bold": True})

        # the sheet is named after the ledger: readers pick the sheet whose name says the kind
        sheet = book.add_worksheet(spec.label)
        choices = book.add_worksheet(CHOICES)
        notes = book.add_worksheet(INSTRUCTIONS)
        sheet.freeze_panes(1, 0)
        sheet.set_row(0, 32)
        list_col = 0
        for i, column in enumerate(spec.columns):
            sheet.write_string(0, i, header(column), required if column.required else head)
            sheet.write_comment(0, i, _note(spec, column), {"x_scale": 2})
            width = max(12, min(40, 2 * len(header(column)) + 4))
            if column.type == "date":
                sheet.set_column(i, i, width, date)
                sheet.data_validation(
                    1,
                    i,
                    ROWS,
                    i,
                    {"validate": "date", "criteria": ">", "value": dt.date(2000, 1, 1), "error_type": "warning", "error_message": "请填写日期，如 2022-03-05"},
                )
            elif column.choices:
                sheet.set_column(i, i, width)
                choices.write_string(0, list_col, header(column), bold)
                for j, value in enumerate(column.choices, start=1):
                    choices.write_string(j, list_col, value)
                letter = xlsxwriter.utility.xl_col_to_name(list_col)
                sheet.data_validation(
                    1,
                    i,
                    ROWS,
                    i,
                    {
                        "validate": "list",
                        "source": f"='{CHOICES}'!${letter}$2:${letter}${len(column.choices) + 1}",
                        "error_title": header(column),
                        "error_message": _limit("请从下拉列表中选择：" + "、".join(column.choices)),
                    },
                )
                list_col += 1
            elif column.type in ("int", "decimal"):
                sheet.set_column(i, i, width)
                sheet.data_validation(
                    1,
                    i,
                    ROWS,
                    i,
                    {
                        "validate": "integer" if column.type == "int" else "decimal",
                        "criteria": ">=",
                        "value": 0,
                        "error_type": "warning",
                        "error_message": "请填写不小于0的数" + ("（整数）" if column.type == "int" else ""),
                    },
                )
            else:
                sheet.set_column(i, i, width, text)
        if list_col == 0:
            choices.write_string(0, 0, "（本台账无下拉选项）")
        choices.hide()

        notes.set_column(0, 0, 26)
        notes.set_column(1, 1, 90, wrap)
        notes.write_string(0, 0, f"{spec.label} 填表说明", bold)
        lines = [
            ("用途", f"每行登记一条{ {'disclosures': '主动公开的信息', 'applications': '政府信息公开申请', 'appeals': '行政复议或行政诉讼案件'}[kind] }。"),
            ("填写", f"在“{spec.label}”工作表中从第2行起逐行填写，不要改动第1行的列名；红色列名为必填列。"),
            ("日期", "写成 2022-03-05，或直接输入Excel日期。"),
            ("下拉选项", "带下拉列表的列请从列表中选择，其他写法可能被退回。"),
            ("更正", "发现错误时改正后重新上传整份文件：同一编号的记录以最新上传的为准。"),
            ("报送", "在公开报送台（gongkai serve）上传，或交给县政务公开办；上传后立即逐行校验。"),
        ]
        row = 2
        for label, value in lines:
            notes.write_string(row, 0, label, bold)
            notes.write_string(row, 1, value)
            row += 1
        row += 1
        notes.write_string(row, 0, "列名", bold)
        notes.write_string(row, 1, "怎么填", bold)
        for column in spec.columns:
            row += 1
            notes.write_string(row, 0, header(column))
            extra = f"。可选：{'、'.join(column.choices)}" if column.choices else ""
            notes.write_string(row, 1, _note(spec, column) + extra)
        book.close()
        tmp.replace(path)
    finally:
        tmp.unlink(missing_ok=True)
    return path
