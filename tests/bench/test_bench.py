"""`gongkai bench` runs end to end on a tiny scale, and its baselines compute the pipeline's numbers.

No timing is asserted: the machine decides those (docs/benchmarks.md).
"""

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from typer.testing import CliRunner

from pipelines.bench import child, data, main, report
from pipelines.cli.main import _register, app
from pipelines.defs.generate.scale import ScaleSpec, generate_scale
from pipelines.settings import PROJECT_ROOT

pytestmark = pytest.mark.slow  # whole pipeline runs

LEVEL_ITEMS = {
    "township": 12,
    "county_department": 10,
    "county_government": 20,
    "city_department": 15,
    "city_government": 30,
    "province_department": 15,
    "province_government": 30,
}
# one city with 2 counties; two years, so rows 2 and 4 of table A, repeals and pending cases all occur
TINY = ScaleSpec(
    "tiny", 1, (1, 1), (2, 2), (2, 3), (3, 3), (2, 2), (0, 0), True, False, items=LEVEL_ITEMS, applications=dict.fromkeys(LEVEL_ITEMS, 6.0), appeal_rate=0.3
)


@pytest.fixture(scope="module")
def raw(tmp_path_factory):
    root = tmp_path_factory.mktemp("bench_raw")
    generate_scale(root, TINY, (2021, 2022))
    return root


@pytest.fixture(scope="module")
def result(raw, tmp_path_factory):
    import os

    os.environ.setdefault("GONGKAI_PII_KEY", "test-key-not-secret")
    data.CACHE_ROOT = tmp_path_factory.mktemp("bench_work")
    return main.run_bench("city", 2022, data_dir=raw, sample=3, isolate=False)


def test_every_stage_runs(result):
    for name in main.STAGES:
        res = result["stages"][name]
        if name == "pandas" and res.get("unavailable"):
            continue  # pandas is not a dependency of the project
        assert res["ok"], (name, res.get("error"), res.get("traceback"))
        assert res["seconds"] >= 0 and res["peak_mb"] > 0
        if name not in ("query",) and "unavailable" not in res:  # the query's figure is a median of repeats
            # processor time of the same block: all threads, so up to the cores' worth of the wall time
            assert 0 < res["cpu_seconds"] <= res["seconds"] * (os.cpu_count() or 1) + 0.5, (name, res)
    s = result["stages"]
    assert s["ingest"]["rows"] == s["floor"]["rows"] == s["e2e"]["rows"] == data.ledger_rows(result_root(result))
    assert s["ingest"]["quarantined"] == 0 and s["tables"]["checks_failed"] == 0
    assert s["ingest_warm"]["files_changed"] >= 1 and s["ingest_warm"]["files_read"] == s["ingest_warm"]["files_changed"]
    assert s["reports"]["rows"] == 3 and s["query"]["rows"] >= 1


def result_root(result):
    from pathlib import Path

    return Path(result["data"])


def test_baselines_compute_the_pipelines_totals(result):
    comps = result["comparisons"]
    assert comps["duckdb_sql"]["compared"] and comps["duckdb_sql"]["equal"], comps["duckdb_sql"]["differences"]
    if not result["stages"]["pandas"].get("unavailable"):
        assert comps["pandas"]["compared"] and comps["pandas"]["equal"], comps["pandas"]["differences"]
    pipeline = result["stages"]["tables"]["totals"]
    # the tiny input exercises the interesting rows, so equal totals mean something
    assert pipeline["A"].get("2|total", 0) > 0 and pipeline["A"].get("4|total", 0) > 0
    assert any(k.endswith("|pending") for k in pipeline["R"]) and pipeline["channels"]
    assert main.mismatched(result) == []


def test_a_wrong_baseline_is_caught(result):
    from pipelines.bench import totals

    wrong = json.loads(json.dumps(result["stages"]["duckdb_sql"]["totals"]))
    wrong["A"]["1|natural_person"] += 1
    assert totals.differences(result["stages"]["tables"]["totals"], wrong)


def test_targets_and_report(result):
    ids = {t["id"] for t in result["targets"]}
    assert ids == set(main.TARGETS)
    assert all(t["status"] in ("met", "missed", "n/a") for t in result["targets"])
    assert next(t for t in result["targets"] if t["id"] == "dagster_overhead")["value"] is not None
    text = report.render(result)
    assert "end to end through Dagster" in text and "targets:" in text
    ingest = next(line for line in text.splitlines() if line.startswith("ingest: read"))
    assert f"{result['stages']['ingest']['cpu_seconds']:,.2f}" in ingest.split()  # its processor seconds, in the cpu s column
    assert "cpu s" in text.splitlines()[4]
    json.dumps(result)  # what --out writes


def test_child_process_measures_its_own_peak(raw):
    res = child.run("pipelines.bench.baselines:floor", {"root": str(raw), "year": 2022}, {})
    assert res["ok"] and res["rows"] == data.ledger_rows(raw) and res["peak_mb"] > 10


def _running(pid: int) -> bool:
    """Running, not a zombie waiting to be reaped (its parent is gone)."""
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] != "Z"
    except (FileNotFoundError, ProcessLookupError):
        return False


def wait_forever(pid_file: str) -> dict:
    """A measurement that never ends (the child of test_a_measurement_ends_with_its_bench)."""
    Path(pid_file).write_text(str(os.getpid()))
    time.sleep(600)
    return {}


def test_a_measurement_ends_with_its_bench(tmp_path):
    """A bench stopped with `kill` leaves no measurement running to slow down the next one."""
    pid_file = tmp_path / "child.pid"
    code = f"from pipelines.bench import child; child.run('tests.bench.test_bench:wait_forever', {{'pid_file': {str(pid_file)!r}}})"
    bench = subprocess.Popen([sys.executable, "-c", code], cwd=PROJECT_ROOT)
    try:
        deadline = time.monotonic() + 60
        while not pid_file.exists() and time.monotonic() < deadline:
            time.sleep(0.1)
        measurement = int(pid_file.read_text())
        bench.terminate()
        bench.wait(timeout=30)
        deadline = time.monotonic() + 30
        while _running(measurement) and time.monotonic() < deadline:
            time.sleep(0.1)
        assert not _running(measurement)
    finally:
        bench.kill()


def test_cli(raw, tmp_path):
    _register()
    out = tmp_path / "bench.json"
    res = CliRunner().invoke(app, ["bench", "--data", str(raw), "--stages", "floor,duckdb_sql", "--format", "json", "--out", str(out)])
    assert res.exit_code == 0, res.output
    saved = json.loads(out.read_text())
    assert saved["stages"]["floor"]["ok"] and saved["stages"]["duckdb_sql"]["ok"]
    bad = CliRunner().invoke(app, ["bench", "--data", str(raw), "--stages", "nonsense"])
    assert bad.exception.exit_code == 2 and "nonsense" in str(bad.exception)  # main() turns it into exit status 2


def test_a_stopped_bench_leaves_its_work_folder_to_the_next(tmp_path):
    """The work folder of a bench that was killed is removed by the next bench; a running or kept one is not."""
    from pipelines.bench.main import KEPT, sweep_abandoned

    ended = subprocess.Popen([sys.executable, "-c", "pass"])
    ended.wait()  # a pid whose process is gone
    killed = tmp_path / f"run-national-2022-{ended.pid}-ab12cd34"
    running = tmp_path / f"run-province-2022-{os.getpid()}-ef56gh78"
    kept = tmp_path / f"run-city-2022-{ended.pid}-ij90kl12"
    older = tmp_path / "run-county-2022-mn34op56"  # named before the pid was part of the name: whose it is is unknown
    for folder in (killed, running, kept, older):
        (folder / "stages").mkdir(parents=True)
    (kept / KEPT).touch()
    assert sweep_abandoned(tmp_path) == [killed]
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(p.name for p in (running, kept, older))


def test_the_baselines_read_a_raw_root_whose_path_holds_an_apostrophe(raw, tmp_path):
    # --data names any folder; the DuckDB baselines put it in a quoted SQL string
    from pipelines.bench import baselines

    odd = tmp_path / "O'Brien's ledgers"
    odd.symlink_to(raw, target_is_directory=True)
    assert baselines.floor(str(odd), 2022)["rows"] == baselines.floor(str(raw), 2022)["rows"] == data.ledger_rows(raw)
    assert baselines.duckdb_sql(str(odd), 2022)["totals"] == baselines.duckdb_sql(str(raw), 2022)["totals"]
