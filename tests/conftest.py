"""Every test runs with its own PII key and Dagster home, and never writes into the repo's data/."""

import pytest


@pytest.fixture(autouse=True)
def _isolated_env(monkeypatch, tmp_path_factory):
    monkeypatch.setenv("GONGKAI_PII_KEY", "test-key-not-secret")
    monkeypatch.setenv("DAGSTER_HOME", str(tmp_path_factory.mktemp("dagster_home")))
    home = tmp_path_factory.mktemp("gongkai")
    monkeypatch.setenv("GONGKAI_RAW_DIR", str(home / "raw"))
    monkeypatch.setenv("GONGKAI_WAREHOUSE", str(home / "warehouse" / "gongkai.duckdb"))
    monkeypatch.setenv("GONGKAI_DESK_DIR", str(home / "desk"))
