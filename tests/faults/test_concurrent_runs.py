"""Two `gongkai materialize` runs at once on one warehouse (issue #11): both end well, and the warehouse holds what
one run from scratch would leave. Report temp files carry the process id, and a dead process's are removed."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

import tests.support.ledger_fixtures as F
from pipelines.defs.atomic import clear_dead_temps, temp_beside
from pipelines.run import materialize_years
from pipelines.settings import settings
from tests.support import warehouse_state

GONGKAI = Path(sys.executable).with_name("gongkai")


def _env(tmp_path: Path, raw: Path, warehouse: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("GONGKAI_", "DAGSTER_"))}
    return env | {
        "GONGKAI_RAW_DIR": str(raw),
        "GONGKAI_WAREHOUSE": str(warehouse),
        "GONGKAI_PII_KEY": "test-key-not-secret",
        "GONGKAI_NARRATIVES_DIR": str(tmp_path / "narratives"),
        "GONGKAI_DESK_DIR": str(tmp_path / "desk"),
        "DAGSTER_HOME": str(tmp_path / "dagster_home"),  # shared, as on one machine
    }


@pytest.mark.slow
def test_two_materialize_runs_at_once_both_end_well_and_the_warehouse_is_as_from_one_run(tmp_path, monkeypatch):
    raw = F.write_hand_worked(tmp_path / "raw")
    warehouse = tmp_path / "wh" / "gongkai.duckdb"
    env = _env(tmp_path, raw, warehouse)
    runs = [
        subprocess.Popen([str(GONGKAI), "materialize", "--years", "2021-2023"], env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        for _ in range(2)
    ]
    outcomes = [(p.wait(timeout=600), *p.communicate()) for p in runs]
    for code, _out, err in outcomes:
        assert code == 0, err  # clean ledgers: exit 0 for both
        assert "Traceback" not in err
    F.pii_env(monkeypatch, tmp_path / "scratch")
    scratch = settings(raw=warehouse_state.copy_raw(raw, tmp_path / "scratch" / "raw"), warehouse=tmp_path / "scratch" / "wh" / "gongkai.duckdb")
    materialize_years(scratch, [2021, 2022, 2023], include_reports=False)
    assert warehouse_state.differences(warehouse, scratch.warehouse) == []
    reports = warehouse.parent / "reports"
    for code in (F.A, F.B, F.C):
        assert sorted(p.name for p in (reports / code).iterdir() if not p.name.endswith(".fingerprint")) == [
            f"{y}.{fmt}" for y in (2021, 2022, 2023) for fmt in ("docx", "html", "xlsx")
        ]
    assert not [p for p in reports.rglob(".*") if ".tmp" in p.name]  # no temp file left by either run


def test_temp_names_carry_the_process_id_and_a_dead_processes_temps_are_removed(tmp_path):
    target = tmp_path / "2022.xlsx"
    mine = temp_beside(target)
    assert mine.name == f".2022.xlsx.{os.getpid()}.tmp.xlsx"
    dead = subprocess.Popen([sys.executable, "-c", "pass"])
    dead.wait()  # its process id is free again (not reused within this test: Linux hands out ids in order)
    left = tmp_path / f".2022.xlsx.{dead.pid}.tmp.xlsx"
    live = tmp_path / f".2022.html.{os.getppid()}.tmp.html"  # a running process's temp: still being written
    for path in (mine, left, live, target):
        path.write_bytes(b"x")
    clear_dead_temps(tmp_path)
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted([mine.name, live.name, target.name])


TABLES_WRITER = """
import sys
from pathlib import Path
import polars as pl
from pipelines.defs.tables import store
folder, mark = Path(sys.argv[1]), int(sys.argv[2])
frame = pl.DataFrame({"agency_code": ["A", "B"], "value": [mark, mark]})
for _ in range(150):
    store.write_year(folder, 2022, {"fact_channel": frame}, pl.DataFrame({"agency_code": ["A", "B"], "fingerprint": [mark, mark]}))
"""


def test_two_processes_writing_one_tables_year_both_finish_and_leave_one_whole_year(tmp_path):
    """What a Dagster daemon run and a CLI run computing the same year do to the tables store."""
    folder = tmp_path / "tables"
    writers = [subprocess.Popen([sys.executable, "-c", TABLES_WRITER, str(folder), str(mark)], stderr=subprocess.PIPE, text=True) for mark in (1, 2)]
    for p in writers:
        _, err = p.communicate(timeout=300)
        assert p.returncode == 0, err
    from pipelines.defs.tables import store

    facts = store.read_year(folder, 2022)
    values = set(facts["fact_channel"].get_column("value"))
    assert facts["fact_channel"].height == 2 and values in ({1}, {2})  # one writer's year, whole
    assert set(store.read_inputs(folder, 2022).get_column("fingerprint")) == values
    assert sorted(p.name for p in folder.iterdir()) == ["2022"]
