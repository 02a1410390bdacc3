"""Personal data never leaves ingestion: the whole pipeline on ledgers with applicants' personal data in every
column, in free text and in file names, then every byte it wrote is searched for it.

Searched: the lake, the per-file cache, the tables store, the warehouse, the reports, Dagster's storage under
DAGSTER_HOME and what the run printed (logs). Each value is looked for in UTF-8, GBK, UTF-16 (both byte orders)
and as a JSON \\u escape; inside ZIP containers (DOCX, XLSX) member by member; in Parquet as values (its pages
are compressed) and in DuckDB by querying every string column of every table and view, besides the raw bytes.
"""

import io
import json
import zipfile
from pathlib import Path

import duckdb
import openpyxl
import polars as pl
import pytest

from pipelines.run import materialize_years
from pipelines.settings import settings
from tests.support.raw_ledgers import DEPT, TANGWU, raw_root, write_csv

ID_NUMBER = "37072519880808123X"
OLD_ID = "370725880808123"  # a 15-digit ID number
MOBILE = "13905361234"
LANDLINE = "0536-8123456"
NAME = "欧阳娜娜"
ADDRESS = "潍坊市昌乐县鄌郚镇吉他小镇88号"
# what must appear nowhere (a part that is itself identifying: the ID number without its check character, the
# local part of the landline; 吉他小镇 alone is a place the narratives name, not personal)
NEEDLES = [ID_NUMBER, ID_NUMBER.lower(), ID_NUMBER[:17], OLD_ID, MOBILE, LANDLINE, "8123456", NAME, ADDRESS]
PERSONAL = {"申请人姓名/名称": NAME, "证件号码": ID_NUMBER, "联系电话": MOBILE, "通讯地址": ADDRESS}

APP = {
    "申请编号": "",
    "受理机构代码": TANGWU,
    "收到申请日期": "2022-03-01",
    "申请人类型": "自然人",
    **PERSONAL,
    "申请方式": "网上申请",
    "申请内容": f"本人{NAME}（身份证{ID_NUMBER}，电话{MOBILE}、{LANDLINE}，住{ADDRESS}）申请公开征收补偿协议",
    "补正告知日期": "",
    "补正完成日期": "",
    "征求第三方意见天数": "0",
    "是否延期": "否",
    "答复日期": "2022-03-10",
    "处理结果": "予以公开",
    "信息处理费（元）": "0",
}
# one row per column that is not personal, with a personal value typed into it
VALUES = [ID_NUMBER, MOBILE, LANDLINE, NAME, ADDRESS, OLD_ID]
NOT_PERSONAL = [k for k in APP if k not in PERSONAL and k != "申请内容"]


def _applications() -> list[dict]:
    rows = [APP | {"申请编号": "P-1"}, APP | {"申请编号": "P-2", "证件号码": ID_NUMBER.lower()}]
    n = 3
    for column in NOT_PERSONAL:
        for value in VALUES:
            rows.append(APP | {"申请编号": f"P-{n}", column: value})
            n += 1
    # the personal values typed inside other text, and an old 15-digit ID number in its own column
    rows.append(APP | {"申请编号": f"P-{n}", "申请人类型": f"{NAME}本人", "答复日期": f"见{ADDRESS}"})
    rows.append(APP | {"申请编号": f"P-{n + 1}", "证件号码": OLD_ID, "申请方式": f"电话{LANDLINE}"})
    return rows


def _appeals() -> list[dict]:
    base = {
        "案号": "",
        "被申请人/被告机构代码": DEPT,
        "申请编号": "P-1",
        "案件类型": "行政复议",
        "立案日期": "2022-04-01",
        "审结日期": "2022-05-01",
        "结果": "维持",
    }
    rows = [base | {"案号": "C-1"}]
    for i, column in enumerate(base):
        for value in (ID_NUMBER, MOBILE, LANDLINE, OLD_ID):
            rows.append(base | {"案号": f"C-{i}-{value[-2:]}", column: value})
    return rows


def _forms(needle: str) -> list[bytes]:
    forms = {needle.encode("utf-8"), needle.encode("utf-16-le"), needle.encode("utf-16-be"), json.dumps(needle)[1:-1].encode()}
    try:
        forms.add(needle.encode("gbk"))
    except UnicodeEncodeError:
        pass
    return sorted(forms)


def _found_in_bytes(data: bytes) -> list[str]:
    return [n for n in NEEDLES if any(f in data for f in _forms(n))]


def _strings_of_parquet(data: bytes) -> str:
    return pl.read_parquet(io.BytesIO(data)).write_ndjson()  # every value as text, nested ones (lists of cells) too


def _strings_of_duckdb(path: Path) -> str:
    con = duckdb.connect(str(path), read_only=True)
    try:
        out = []
        relations = con.execute("SELECT table_name FROM duckdb_tables() UNION ALL SELECT view_name FROM duckdb_views() WHERE NOT internal").fetchall()
        assert relations
        for (name,) in relations:
            columns = con.execute(f"SELECT column_name, data_type FROM duckdb_columns() WHERE table_name = '{name}'").fetchall()
            for c in [c for c, t in columns if "VARCHAR" in t or "JSON" in t]:  # text, and lists or structs of text
                out += [str(v) for (v,) in con.execute(f'SELECT DISTINCT CAST("{c}" AS VARCHAR) FROM "{name}" WHERE "{c}" IS NOT NULL').fetchall()]
        return "\n".join(out)
    finally:
        con.close()


def _scan(path: Path) -> list[str]:
    """The needles found in one file written by the pipeline, looked for in every form it may hold them."""
    data = path.read_bytes()
    found = set(_found_in_bytes(data))
    if data[:4] == b"PAR1":
        found |= {n for n in NEEDLES if n in _strings_of_parquet(data)}
    elif path.suffix == ".duckdb":
        found |= {n for n in NEEDLES if n in _strings_of_duckdb(path)}
    elif zipfile.is_zipfile(path):  # DOCX, XLSX: compressed members
        with zipfile.ZipFile(path) as z:
            for member in z.namelist():
                found |= set(_found_in_bytes(z.read(member)))
    return sorted(found)


@pytest.mark.slow
def test_no_personal_value_in_any_byte_written(tmp_path, monkeypatch, capfd):
    root = raw_root(tmp_path)
    write_csv(root / "applications" / f"{NAME}申请-{MOBILE}.csv", _applications(), encoding="gb18030")
    # a workbook named after an applicant, its sheet too
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = f"{NAME}{MOBILE}"
    rows = _applications()[:3]
    sheet.append(list(rows[0]))
    for i, r in enumerate(rows):
        sheet.append(list((r | {"申请编号": f"W-{i}"}).values()))
    (root / "applications" / "2022").mkdir()
    book.save(root / "applications" / "2022" / f"{ID_NUMBER}.xlsx")
    write_csv(root / "appeals" / f"复议-{LANDLINE}.csv", _appeals())
    out = tmp_path / "out"
    cfg = settings(raw=root, warehouse=out / "warehouse" / "gongkai.duckdb")
    dagster_home = tmp_path / "dagster"
    monkeypatch.setenv("DAGSTER_HOME", str(dagster_home))

    materialize_years(cfg, [2022])
    printed = capfd.readouterr()

    written = [p for base in (out, dagster_home) for p in base.rglob("*") if p.is_file()]
    kinds = {p.suffix for p in written}
    # what must have been written for the scan to mean anything: lake and cache (Parquet), warehouse (DuckDB),
    # reports (DOCX, HTML, XLSX), Dagster's run storage (SQLite)
    assert {".parquet", ".duckdb", ".docx", ".html", ".xlsx", ".db"} <= kinds, kinds
    assert any("cache" in p.parts for p in written) and any("tables" in p.parts for p in written)
    leaks = {str(p.relative_to(tmp_path)): found for p in written if (found := _scan(p))}
    leaks |= (
        {"(file names)": [n for n in NEEDLES if any(n in str(p.relative_to(tmp_path)) for p in written)]}
        if any(n in str(p.relative_to(tmp_path)) for p in written for n in NEEDLES)
        else {}
    )
    leaks |= {f"(printed {name})": found for name, text in (("stdout", printed.out), ("stderr", printed.err)) if (found := _found_in_bytes(text.encode()))}
    assert not leaks, leaks

    # the pipeline did see those rows: they are quarantined (masked), not lost
    con = duckdb.connect(str(cfg.warehouse), read_only=True)
    try:
        files = dict(con.execute("SELECT path, rows FROM ledger_file WHERE kind IN ('applications', 'appeals')").fetchall())
        quarantined = con.execute("SELECT count(*) FROM quarantine WHERE kind IN ('applications', 'appeals')").fetchone()[0]
        masked = con.execute("SELECT count(*) FROM quarantine WHERE value LIKE '%3707**********123X%' OR value LIKE '%139****1234%'").fetchone()[0]
    finally:
        con.close()
    assert set(files) == {"applications/***申请-139****1234.csv", "applications/2022/3707**********123X.xlsx", "appeals/复议-0536-******56.csv"}
    assert files["applications/***申请-139****1234.csv"] == len(_applications())
    assert quarantined > 50 and masked > 0
