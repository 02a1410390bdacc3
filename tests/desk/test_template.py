"""`gongkai template`: a template filled with every value its drop-downs offer passes validation whole."""

import datetime as dt
import subprocess
import sys
from pathlib import Path

import fastexcel
import openpyxl
import pytest

from pipelines.defs.ingest.discover import discover
from pipelines.defs.ingest.ingest import ingest
from pipelines.defs.ingest.template import CHOICES, INSTRUCTIONS, header, write_template
from schemas.columns import KINDS
from tests.support.raw_ledgers import TANGWU, raw_root

# One filled row per drop-down value; the other columns hold a value the contract accepts.
BASE = {
    "disclosures": {
        "item_id": "D-{n}",
        "agency_code": TANGWU,
        "title": "公告{n}",
        "published_on": dt.date(2022, 3, 5),
        "channel": "政府网站",
        "category": "其他",
    },
    "applications": {
        "application_id": "A-{n}",
        "agency_code": TANGWU,
        "received_on": dt.date(2022, 3, 1),
        "applicant_type": "自然人",
        "applicant_name": "张三",
        "closed_on": dt.date(2022, 3, 10),
        "outcome": "予以公开",
    },
    "appeals": {
        "case_id": "C-{n}",
        "agency_code": TANGWU,
        "proceeding": "行政复议",
        "filed_on": dt.date(2022, 4, 1),
        "concluded_on": dt.date(2022, 6, 1),
        "result": "维持",
    },
}
# values some choices need beside them (a document needs its number and action; a fee its amount)
NEEDS = {"规章": {"doc_number": "鄌政发〔2022〕{n}号", "doc_action": "制发"}, "行政规范性文件": {"doc_number": "鄌政发〔2022〕{n}号", "doc_action": "制发"}}


def _rows(kind: str) -> list[dict]:
    rows = []
    for column in KINDS[kind].columns:
        for choice in column.choices:
            n = len(rows) + 1
            row = {k: (v.format(n=n) if isinstance(v, str) else v) for k, v in BASE[kind].items()}
            row[column.key] = choice
            if column.key == "doc_action":  # a repeal or amendment names a document this agency issued
                row |= {"category": "行政规范性文件", "doc_number": "鄌政发〔2022〕1号"}
            for k, v in NEEDS.get(choice, {}).items():
                row.setdefault(k, v.format(n=n))
            if choice == "行政事业性收费":
                row["amount_yuan"] = 100
            rows.append(row)
    # the first row issues the document the doc_action rows amend or repeal
    if kind == "disclosures":
        rows.insert(
            0,
            BASE[kind]
            | {"item_id": "D-0", "category": "行政规范性文件", "doc_number": "鄌政发〔2022〕1号", "doc_action": "制发", "published_on": dt.date(2022, 1, 2)},
        )
    return rows


@pytest.mark.parametrize("kind", ["disclosures", "applications", "appeals"])
def test_a_template_filled_with_every_choice_is_accepted(tmp_path, kind):
    root = raw_root(tmp_path)
    path = write_template(kind, root / kind / "filled.xlsx")
    book = openpyxl.load_workbook(path)
    sheet = book[KINDS[kind].label]
    headers = [c.value for c in sheet[1]]
    assert headers == [header(c) for c in KINDS[kind].columns]
    rows = _rows(kind)
    assert len(rows) >= sum(len(c.choices) for c in KINDS[kind].columns) > 0
    for r, row in enumerate(rows, start=2):
        for key, value in row.items():
            sheet.cell(r, headers.index(header(KINDS[kind].column(key))) + 1, value)
    book.save(path)

    result = ingest(discover(root), b"k")
    files = {f["path"]: f for f in result.files.to_dicts()}
    assert files[f"{kind}/filled.xlsx"]["rows"] == len(rows)
    assert result.quarantine.filter(result.quarantine["path"] == f"{kind}/filled.xlsx").to_dicts() == []
    assert files[f"{kind}/filled.xlsx"]["accepted"] == len(rows)


def test_the_template_has_drop_downs_date_cells_and_instructions(tmp_path):
    path = write_template("applications", tmp_path / "t.xlsx")
    book = openpyxl.load_workbook(path)
    assert book.sheetnames == ["依申请公开台账", CHOICES, INSTRUCTIONS]
    sheet = book["依申请公开台账"]
    lists = {next(iter(dv.sqref.ranges)).coord.split(":")[0]: dv.formula1 for dv in sheet.data_validations.dataValidation if dv.type == "list"}
    col = {header(c): openpyxl.utils.get_column_letter(i + 1) for i, c in enumerate(KINDS["applications"].columns)}
    # every enumerated column of applications has its list: 申请人类型, 申请方式, 是否延期, 处理结果
    assert {col[h] + "2" for h in ("申请人类型", "申请方式", "是否延期", "处理结果")} == set(lists)
    options = book[CHOICES]
    outcome_list = lists[col["处理结果"] + "2"]  # ='选项'!$D$2:$D$22 — 21 outcome rows of table A
    letter = outcome_list.split("!$")[1][0]
    values = [c.value for c in options[letter][1:] if c.value]
    assert len(values) == 21 and values[0] == "予以公开" and values[-1] == "其他"
    assert sheet.column_dimensions[col["收到申请日期"]].number_format == "yyyy-mm-dd"  # the column's own format: every cell typed into it
    notes = [c.value for c in book[INSTRUCTIONS]["A"] if c.value]
    assert "申请编号" in notes and "处理结果" in notes
    assert fastexcel.read_excel(path).sheet_names[0] == "依申请公开台账"


@pytest.mark.slow
def test_cli_writes_the_template(tmp_path):
    out = tmp_path / "x.xlsx"
    done = subprocess.run([str(Path(sys.executable).parent / "gongkai"), "template", "--kind", "appeals", "--out", str(out)], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert openpyxl.load_workbook(out).sheetnames[0] == "复议诉讼台账"
