"""Fault injection (issue #11): `gongkai materialize --years` is killed with SIGKILL at 20 seeded points spread
over ingestion, the tables, each year's warehouse load and the reports (pipelines/defs/killpoints.py; the run
kills itself there when GONGKAI_KILL_AT names the point). After each batch of kills, one `materialize --changed`
must leave every warehouse table (rows sorted) identical to a run from scratch on the same ledgers, and nothing
a killed run wrote half-way (staging copies, set-aside tables, temp files) may remain."""

import os
import random
import signal
import subprocess
import sys
from pathlib import Path

import pytest

import tests.support.ledger_fixtures as F
from pipelines.defs.automation.stale import years_to_run
from pipelines.defs.killpoints import POINTS
from pipelines.run import materialize_years
from pipelines.settings import settings
from tests.support import warehouse_state

pytestmark = pytest.mark.slow  # 20 killed runs and their recovery: a few minutes

SEED = 20261207
GONGKAI = Path(sys.executable).with_name("gongkai")
# How often a run of --years 2022-2023 reaches each point when one new ledger file changed agency A's 2022 (and,
# by carry-over, 2023): the new file is read (the others come from the cache); the ledgers' accounting and the
# two years are loaded; three agencies' reports in each of the two years.
HITS = {
    "ingest.file": 1,
    "ingest.publish": 1,
    "tables.start": 2,
    "tables.swap": 2,
    "warehouse.staged": 3,
    "warehouse.loaded": 3,
    "reports.agency": 6,
    "reports.done": 2,
}
BATCHES = (10, 10)  # kills before each --changed and comparison


def _kills() -> list[str]:
    """Every point twice, then random ones, each at a random hit; shuffled: 20 in all."""
    rng = random.Random(SEED)
    points = [*POINTS, *POINTS] + [rng.choice(POINTS) for _ in range(sum(BATCHES) - 2 * len(POINTS))]
    rng.shuffle(points)
    return [f"{p}#{rng.randint(1, HITS[p])}" for p in points]


def _env(tmp_path: Path, raw: Path, warehouse: Path, kill_at: str | None = None) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("GONGKAI_", "DAGSTER_"))}
    env |= {
        "GONGKAI_RAW_DIR": str(raw),
        "GONGKAI_WAREHOUSE": str(warehouse),
        "GONGKAI_PII_KEY": "test-key-not-secret",
        "GONGKAI_NARRATIVES_DIR": str(tmp_path / "narratives"),
        "GONGKAI_DESK_DIR": str(tmp_path / "desk"),
        "DAGSTER_HOME": str(tmp_path / "dagster_home"),
    }
    return env | ({"GONGKAI_KILL_AT": kill_at} if kill_at else {})


def _new_application(raw: Path, i: int, rng: random.Random) -> None:
    """One more 2022 application of A, unanswered (so 2023 carries it over): every stage has work to do."""
    day = f"2022-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
    F.write_csv(
        raw / "applications" / f"late_{i:02d}.csv",
        F.APPLICATION_HEADER,
        [[f"K-{i}", F.A, day, "自然人", f"申请人{i}", None, None, None, None]],
        mtime=F.T0 + 10_000 + i,
    )


def test_killed_runs_then_changed_leave_the_warehouse_as_a_run_from_scratch(tmp_path, monkeypatch):
    F.pii_env(monkeypatch, tmp_path)
    raw = F.write_hand_worked(tmp_path / "raw")
    warehouse = tmp_path / "wh" / "gongkai.duckdb"
    rng = random.Random(SEED)
    kills = iter(_kills())
    done = 0
    for batch, size in enumerate(BATCHES):
        for _ in range(size):
            point = next(kills)
            _new_application(raw, done, rng)
            run = subprocess.run(
                [str(GONGKAI), "materialize", "--years", "2022-2023"], env=_env(tmp_path, raw, warehouse, point), capture_output=True, text=True, timeout=600
            )
            assert run.returncode == -signal.SIGKILL, (point, run.returncode, run.stderr[-2000:])  # the point was reached
            done += 1
        run = subprocess.run([str(GONGKAI), "materialize", "--changed"], env=_env(tmp_path, raw, warehouse), capture_output=True, text=True, timeout=600)
        assert run.returncode == 0, run.stderr[-3000:]
        assert "Traceback" not in run.stderr
        cfg = settings(raw=raw, warehouse=warehouse, narratives=tmp_path / "narratives")
        assert years_to_run(cfg) == []  # nothing left stale
        scratch = tmp_path / f"scratch{batch}"
        fresh = settings(raw=warehouse_state.copy_raw(raw, scratch / "raw"), warehouse=scratch / "wh" / "gongkai.duckdb", narratives=tmp_path / "narratives")
        materialize_years(fresh, None, include_reports=False)
        assert warehouse_state.differences(warehouse, fresh.warehouse) == [], batch
        # nothing half-written is left: staging copies, tables set aside, report temp files
        assert not list(warehouse.parent.glob(".gongkai.duckdb.staging-*"))
        assert len(list((warehouse.parent / "lake").glob("gen-*"))) == 2  # the current generation and the one before
        assert not [p.name for p in (warehouse.parent / "tables").iterdir() if p.name.startswith(".")]
        assert not [p for p in (warehouse.parent / "reports").rglob("*") if ".tmp" in p.name]
        for code in (F.A, F.B, F.C):
            assert all((warehouse.parent / "reports" / code / f"{y}.{fmt}").exists() for y in (2022, 2023) for fmt in ("docx", "html", "xlsx"))
    assert done == sum(BATCHES) >= 20
