"""A small county for the desk's tests: agencies in two counties, accounts of each kind, a signed-in client."""

import re
from dataclasses import replace
from pathlib import Path

from starlette.testclient import TestClient

from pipelines.desk.accounts import add_account
from pipelines.desk.app import build_app
from pipelines.desk.directory import Directory
from pipelines.desk.store import Store
from pipelines.settings import Settings, settings
from tests.support.raw_ledgers import DEPT, TANGWU, code, write_csv

LINQU = code("11370724MB0000003")  # an agency of another county
PASSWORD = "correct horse 1"
AGENCIES = [
    {"统一社会信用代码": TANGWU, "机构名称": "昌乐县鄌郚镇人民政府", "县区": "昌乐县", "层级": "township"},
    {"统一社会信用代码": DEPT, "机构名称": "昌乐县自然资源局", "县区": "昌乐县", "层级": "county_department"},
    {"统一社会信用代码": LINQU, "机构名称": "临朐县某镇人民政府", "县区": "临朐县", "层级": "township"},
]
USERS = {"tangwu": {"agency": TANGWU}, "dept": {"agency": DEPT}, "changle": {"county": "昌乐县"}, "linqu": {"county": "临朐县"}}


def desk_settings(tmp: Path) -> Settings:
    raw = tmp / "raw"
    write_csv(raw / "agencies.csv", AGENCIES)
    # everything named here: a module-scoped fixture runs before the per-test environment is set
    return replace(
        settings(raw=raw, warehouse=tmp / "warehouse" / "gongkai.duckdb"),
        desk_dir=tmp / "desk",
        narratives_dir=tmp / "narratives",
        pii_key_value="test-key-not-secret",
    )


def add_users(cfg: Settings) -> None:
    store, directory = Store(cfg.desk_db), Directory(cfg.raw_dir)
    for name, scope in USERS.items():
        add_account(store, directory, name, PASSWORD, **scope)


def csrf(client: TestClient) -> str:
    page = client.get("/login")
    return re.search(r'name="csrf" value="([^"]+)"', page.text).group(1)


def client(cfg: Settings, user: str | None = None, app=None) -> TestClient:
    c = TestClient(app or build_app(cfg), follow_redirects=False)
    if user:
        done = c.post("/login", data={"csrf": csrf(c), "name": user, "password": PASSWORD})
        assert done.status_code == 303, done.text
    return c
