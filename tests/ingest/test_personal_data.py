"""Personal data never leaves ingestion: scan everything the pipeline writes for the fixtures' personal data."""

from pathlib import Path

import duckdb
import polars as pl

from pipelines.run import materialize_years
from pipelines.settings import settings
from tests.support.raw_ledgers import TANGWU, raw_root, write_csv

PERSONAL = {
    "申请人姓名/名称": "欧阳娜娜",
    "证件号码": "37072519880808123X",
    "联系电话": "13905361234",
    "通讯地址": "潍坊市昌乐县鄌郚镇吉他小镇88号",
}


def _apps():
    base = {
        "申请编号": "",
        "受理机构代码": TANGWU,
        "收到申请日期": "2022-03-01",
        "申请人类型": "自然人",
        **PERSONAL,
        "答复日期": "2022-03-10",
        "处理结果": "予以公开",
    }
    return [
        base | {"申请编号": "P-1"},
        base | {"申请编号": "P-2", "证件号码": "37072519880808123x"},  # same person, lower-case x
        base | {"申请编号": "P-3", "答复日期": "2022-02-01"},  # quarantined, with all its personal data
        base | {"申请编号": "P-4", "证件号码": "", "申请人姓名/名称": "王小明", "联系电话": "", "通讯地址": ""},
    ]


def _strings_in_parquet(path: Path) -> str:
    return pl.read_parquet(path).write_ndjson()  # every value as text, lists of cells too


def _strings_in_duckdb(path: Path) -> str:
    con = duckdb.connect(str(path), read_only=True)
    try:
        out = []
        for (table,) in con.execute("SELECT table_name FROM duckdb_tables()").fetchall():
            out += [str(r) for r in con.execute(f'SELECT * FROM "{table}"').fetchall()]
        return "\n".join(out)
    finally:
        con.close()


def test_no_personal_data_in_anything_written(tmp_path, monkeypatch):
    root = raw_root(tmp_path)
    write_csv(root / "applications" / "a.csv", _apps(), encoding="gb18030")
    cfg = settings(raw=root, warehouse=tmp_path / "out" / "warehouse" / "gongkai.duckdb")
    dagster_home = tmp_path / "dagster"
    monkeypatch.setenv("DAGSTER_HOME", str(dagster_home))
    materialize_years(cfg, [2022])

    written = [p for base in (tmp_path / "out", dagster_home) for p in base.rglob("*") if p.is_file()]
    assert any(p.suffix == ".parquet" for p in written) and any(p.suffix == ".duckdb" for p in written)
    needles = list(PERSONAL.values()) + ["王小明", "37072519880808123x"]
    for path in written:
        if path.suffix == ".parquet":
            text = _strings_in_parquet(path)
        elif path.suffix == ".duckdb":
            text = _strings_in_duckdb(path)
        else:
            data = path.read_bytes()
            text = data.decode("utf-8", "ignore") + data.decode("gb18030", "ignore")
        for needle in needles:
            assert needle not in text, f"{needle} found in {path}"

    # what survives is a keyed hash that still tells repeated applicants apart
    con = duckdb.connect()
    lake = [p for p in written if p.parent.name == "applications" and p.parent.parent.name.startswith("gen-")]
    assert lake  # the lake's applications, one file per bucket
    keys = dict(con.execute(f"SELECT application_id, applicant_key FROM read_parquet({[str(p) for p in lake]})").fetchall())
    assert keys["P-1"] == keys["P-2"] != keys["P-4"]
    assert set(keys) == {"P-1", "P-2", "P-4"}


def test_the_key_changes_the_hash(monkeypatch):
    from pipelines.defs.ingest.pii import keyed_hash

    assert keyed_hash("id:37072519880808123X", b"a") != keyed_hash("id:37072519880808123X", b"b")
    assert len(keyed_hash("x", b"a")) == 32
