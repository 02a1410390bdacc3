"""Hand-made ledger files for ingestion tests."""

import csv
import io
import os
from pathlib import Path

from schemas.codes import check_character


def code(first17: str) -> str:
    return first17 + check_character(first17)


TANGWU = "11370725MB28501425"  # 昌乐县鄌郚镇人民政府, a real code
DEPT = code("11370725MB0000001")
OTHER = code("11370725MB0000002")  # valid, but not in agencies.csv

AGENCIES = [
    {"统一社会信用代码": TANGWU, "机构名称": "昌乐县鄌郚镇人民政府", "行政区划代码": "370725105000", "层级": "township"},
    {"统一社会信用代码": DEPT, "机构名称": "昌乐县自然资源局", "行政区划代码": "370725000000", "层级": "county_department"},
]


def write_csv(path: Path, rows: list[dict], encoding: str = "utf-8", mtime: int | None = None) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    buf = io.StringIO()
    writer = csv.DictWriter(buf, fieldnames=list(rows[0].keys()), lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    path.write_bytes(buf.getvalue().encode(encoding))
    if mtime is not None:
        os.utime(path, (mtime, mtime))
    return path


def raw_root(tmp: Path) -> Path:
    root = tmp / "raw"
    write_csv(root / "agencies.csv", AGENCIES)
    return root
