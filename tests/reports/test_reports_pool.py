"""A year's reports over worker processes (pipelines/defs/reports/pool.py) are the reports one process writes:
the same files, the same drafts and failures named the same way, the overview with every agency, progress told
for each agency."""

import os
import re
from datetime import date

import pytest

import tests.support.ledger_fixtures as F
from pipelines.defs.reports import pool
from pipelines.defs.reports.publish import publish_reports
from pipelines.run import materialize_years
from pipelines.settings import settings
from tests.support.packages import package_parts
from tests.support.report_samples import SAMPLE_NARRATIVE

DAY = date(2024, 3, 3)
UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")


def test_chunks_keep_the_order_and_give_each_worker_several():
    # 200 agencies on 2 workers: 4 tasks each would be 25 agencies (200 / 8), under the cap of 32
    pieces = pool.chunks(list(range(200)), 2)
    assert [len(p) for p in pieces] == [25] * 8
    assert [x for p in pieces for x in p] == list(range(200))
    # a province's 7,026: pieces of 32 (the cap), 219 full ones and the 18 left (219 × 32 = 7,008)
    pieces = pool.chunks(list(range(7026)), 2)
    assert len(pieces) == 220 and len(pieces[-1]) == 18 and {len(p) for p in pieces[:-1]} == {32}
    assert pool.chunks([1, 2, 3], 2) == [[1], [2], [3]]  # 3 / 8 rounds up to 1


def test_a_small_year_or_a_single_core_stays_in_this_process(monkeypatch):
    monkeypatch.setattr(os, "cpu_count", lambda: 2)
    assert pool.worker_count(pool.MIN_AGENCIES - 1) == 1
    assert pool.worker_count(pool.MIN_AGENCIES) == 2
    monkeypatch.setattr(os, "cpu_count", lambda: 1)
    assert pool.worker_count(7026) == 1


@pytest.fixture
def loaded(tmp_path, monkeypatch):
    """The hand-worked root (3 agencies of 昌乐县) loaded for 2022, A with the sample narrative."""
    F.pii_env(monkeypatch, tmp_path)
    narratives = tmp_path / "narratives"
    (narratives / F.A).mkdir(parents=True)
    (narratives / F.A / "2022.md").write_text(SAMPLE_NARRATIVE, encoding="utf-8")
    cfg = settings(raw=F.write_hand_worked(tmp_path / "raw"), warehouse=tmp_path / "wh" / "gongkai.duckdb", narratives=narratives)
    materialize_years(cfg, [2022], include_reports=False)
    return cfg


def _publish(cfg, out, pooled: bool, monkeypatch, told: list | None = None) -> dict:
    # the pool engages from MIN_AGENCIES; 0 makes it take these three
    monkeypatch.setattr(pool, "MIN_AGENCIES", 0 if pooled else 10**9)
    monkeypatch.setattr(os, "cpu_count", lambda: 2)
    progress = None if told is None else (lambda done, total, name: told.append((done, total, name)))
    real, pieces = pool.run_chunks, []

    def spy(workers, task, chunks, *args, **kwargs):
        pieces.extend(chunks)
        return real(workers, task, chunks, *args, **kwargs)

    monkeypatch.setattr(pool, "run_chunks", spy)
    written = publish_reports(cfg.warehouse, 2022, out, cfg.narratives_dir, generated_on=DAY, progress=progress)
    assert len(pieces) == (3 if pooled else 0)  # the pool took the three agencies (one each), or was not used
    return written


@pytest.mark.slow  # a pipeline run and worker processes
def test_the_pool_writes_the_files_one_process_writes(loaded, tmp_path, monkeypatch):
    alone = _publish(loaded, tmp_path / "alone", False, monkeypatch)
    told: list = []
    pooled = _publish(loaded, tmp_path / "pooled", True, monkeypatch, told)
    assert alone["failed"] == pooled["failed"] == {}
    assert list(pooled["reports"]) == list(alone["reports"]) == [F.A, F.B, F.C]  # agency-code order either way
    assert pooled["drafts"] == alone["drafts"] and pooled["rendered"] == alone["rendered"] == 3
    assert list(pooled["overviews"]) == list(alone["overviews"]) == ["昌乐县"]
    # every part of every package, and the HTML pages, byte for byte (the XLSX save time blanked)
    for code in (F.A, F.B, F.C):
        for fmt in ("docx", "xlsx"):
            assert package_parts(pooled["reports"][code][fmt]) == package_parts(alone["reports"][code][fmt]), (code, fmt)
        assert pooled["reports"][code]["html"].read_bytes() == alone["reports"][code]["html"].read_bytes()
    # the overview is written here either way; its charts get random element ids (plotly), blanked
    pages = [UUID.sub("", written["overviews"]["昌乐县"].read_text(encoding="utf-8")) for written in (alone, pooled)]
    assert pages[0] == pages[1]
    # told once per agency, as each is written: counts 1, 2, 3 of 3, each agency's name once
    assert [(d, t) for d, t, _ in told] == [(1, 3), (2, 3), (3, 3)]
    assert sorted(n for _, _, n in told) == sorted(F.NAMES.values())
    # no worker's temp file left behind
    assert not [p for p in (tmp_path / "pooled").rglob("*") if ".tmp" in p.name]


@pytest.mark.slow  # a pipeline run and worker processes
def test_in_the_pool_one_agencys_error_fails_that_report_only(loaded, tmp_path, monkeypatch):
    (loaded.narratives_dir / F.A / "2022.md").write_text(SAMPLE_NARRATIVE.replace("{{依申请}}", "{{乱写}}"), encoding="utf-8")
    written = _publish(loaded, tmp_path / "out", True, monkeypatch)
    assert list(written["failed"]) == [F.A]
    line = written["failed"][F.A]
    assert line.startswith(f"昌乐县鄌郚镇人民政府（{F.A}）2022年：") and "{{乱写}}" in line, line
    assert list(written["reports"]) == [F.B, F.C]
    assert all(p.exists() for code in (F.B, F.C) for p in written["reports"][code].values())
    assert not (tmp_path / "out" / F.A / "2022.docx").exists()
    # the overview is written, with A among the county's agencies (its figures count)
    assert "昌乐县鄌郚镇人民政府" in written["overviews"]["昌乐县"].read_text(encoding="utf-8")


_ORPHAN_SCRIPT = """
import os, sys
from pipelines.defs.reports import pool

if __name__ == "__main__":
    pool.MIN_AGENCIES = 0
    with pool.started(2) as workers:
        pids = [workers.executor.submit(os.getpid).result() for _ in range(8)]
        print(" ".join(str(p) for p in sorted(set(pids))), flush=True)
        sys.stdin.read()  # until killed
"""


@pytest.mark.slow  # starts worker processes
def test_a_worker_leaves_when_the_calling_process_is_killed(tmp_path):
    """kill -9 of the calling process (a power cut, a kill point) leaves no worker waiting for work for ever."""
    import signal
    import subprocess
    import sys
    import time

    from pipelines.defs.processes import alive

    script = tmp_path / "caller.py"
    script.write_text(_ORPHAN_SCRIPT, encoding="utf-8")
    caller = subprocess.Popen([sys.executable, str(script)], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    pids: list[int] = []
    try:
        assert caller.stdout is not None
        pids += [int(p) for p in caller.stdout.readline().split()]
        assert pids and caller.pid not in pids and all(alive(p) for p in pids)
        caller.send_signal(signal.SIGKILL)
        caller.wait()
        for _ in range(300):  # a wait, not a timing: each worker notices its parent's end and exits
            if not any(alive(p) for p in pids):
                break
            time.sleep(0.1)
        assert not any(alive(p) for p in pids), pids
    finally:
        caller.kill()
        for pid in pids:  # a failed run leaves none behind
            if alive(pid):
                os.kill(pid, signal.SIGKILL)
