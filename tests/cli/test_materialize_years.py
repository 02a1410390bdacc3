"""`gongkai materialize` with years it cannot run (issue #11): the whole range is checked against the partitions
(2019 to the year in progress) before anything is read, so the run says so in one line, exits 2 and loads nothing."""

import sys

import pytest

import tests.support.ledger_fixtures as F
from pipelines.cli import main
from pipelines.partitions import yearly

main._register()


def run_main(monkeypatch, capsys, *args: str) -> tuple[int, str]:
    monkeypatch.setattr(sys, "argv", ["gongkai", *args])
    with pytest.raises(SystemExit) as exc:
        main.main()
    return exc.value.code or 0, capsys.readouterr().err


def _after_last() -> int:
    return int(yearly.get_partition_keys()[-1]) + 1  # the year after the one in progress: no partition yet


@pytest.mark.parametrize(
    "args",
    [
        ["--year", "2099"],
        ["--year", "2008"],  # a plausible year (the Regulations took effect) but before the first partition, 2019
        ["--year", "-1"],
        ["--years", "2021-2099"],
        ["--years", "AFTER_LAST_MINUS_2-AFTER_LAST"],  # two years that can run, then one that cannot
    ],
)
def test_years_outside_the_partitions_exit_2_in_one_line_and_load_nothing(tmp_path, monkeypatch, capsys, args):
    raw = F.write_hand_worked(tmp_path / "raw")
    warehouse = tmp_path / "wh" / "gongkai.duckdb"
    F.pii_env(monkeypatch, tmp_path)
    last = _after_last()
    args = [a.replace("AFTER_LAST_MINUS_2", str(last - 2)).replace("AFTER_LAST", str(last)) for a in args]
    code, err = run_main(monkeypatch, capsys, "materialize", *args, "--raw", str(raw), "--warehouse", str(warehouse))
    assert code == 2, err
    lines = err.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("错误 / error:"), err
    assert "internal error" not in err and "Dagster" not in err
    if "-1" not in args:  # '-1' is not a year at all: said so by the year reader
        assert "out of range" in err
    # nothing ran: no ingestion (no lake beside the warehouse), no warehouse
    assert not (tmp_path / "wh").exists()


def test_a_range_names_only_the_years_outside(tmp_path, monkeypatch, capsys):
    F.pii_env(monkeypatch, tmp_path)
    last = _after_last()
    code, err = run_main(monkeypatch, capsys, "materialize", "--years", f"{last - 1}-{last + 1}", "--warehouse", str(tmp_path / "wh" / "x.duckdb"))
    assert code == 2
    assert f"out of range: {last},{last + 1} " in err  # the year in progress itself can run


def test_kill_still_stops_a_background_run_after_its_dagster_runs(tmp_path, monkeypatch):
    # started in the background (nohup, `&` in a script) a process ignores SIGINT; ending an in-process run, Dagster
    # gave SIGTERM what SIGINT does, so `kill` no longer stopped the rest of the run, nor the processes it started
    import signal

    from pipelines.run import materialize_years
    from pipelines.settings import settings

    raw = F.write_hand_worked(tmp_path / "raw")
    F.pii_env(monkeypatch, tmp_path)
    monkeypatch.setenv("DAGSTER_HOME", str(tmp_path / "dagster"))
    cfg = settings(raw=raw, warehouse=tmp_path / "wh" / "gongkai.duckdb", narratives=tmp_path / "narratives")
    before_int, before_term = signal.getsignal(signal.SIGINT), signal.getsignal(signal.SIGTERM)
    try:
        signal.signal(signal.SIGINT, signal.SIG_IGN)
        signal.signal(signal.SIGTERM, signal.SIG_DFL)
        materialize_years(cfg, [2022], include_reports=False)
        assert signal.getsignal(signal.SIGTERM) == signal.SIG_DFL  # ignored, without the fix
    finally:
        signal.signal(signal.SIGINT, before_int)
        signal.signal(signal.SIGTERM, before_term)


def test_a_termination_handler_set_outside_python_is_left_alone(monkeypatch):
    # signal.getsignal gives None for a handler an embedding program set: it cannot be handed back to signal.signal
    import signal

    from pipelines import run

    monkeypatch.setattr(run.signal, "getsignal", lambda signum: None)
    calls: list[int] = []
    monkeypatch.setattr(run.signal, "signal", lambda signum, handler: calls.append(signum))
    with run._termination_kept():
        pass
    assert calls == []
    monkeypatch.undo()
    before = signal.getsignal(signal.SIGTERM)
    with run._termination_kept():
        signal.signal(signal.SIGTERM, signal.SIG_IGN)
    assert signal.getsignal(signal.SIGTERM) == before  # put back as it was
