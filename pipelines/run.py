"""Materialize years in-process through Dagster: what `gongkai materialize` and `gongkai demo` run.

The runs are the code location's own jobs (`ingest_ledgers`, then `refresh_year` per year), so the Dagster UI
shows a CLI run under the job the schedule would have started."""

import gc
import signal
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

import dagster as dg
from filelock import FileLock, Timeout

from pipelines.errors import GongkaiError
from pipelines.settings import Settings, dagster_home

QUIET = {"loggers": {"console": {"config": {"log_level": "ERROR"}}}}


def _quiet(cfg: Settings) -> dict:
    """Dagster's console log: errors with their traceback only under GONGKAI_DEBUG=1; otherwise a failure is the
    one line materialize prints (and the whole story stays in the run's event log)."""
    return QUIET if cfg.debug else {"loggers": {"console": {"config": {"log_level": "CRITICAL"}}}}


# what `gongkai bench` times as the pipeline end to end: a year up to its warehouse load
WITHOUT_REPORTS = [dg.AssetKey("statutory_tables"), dg.AssetKey("warehouse_year")]


@dataclass
class RunOutcome:
    years: list[int]
    run_ids: list[str]
    failed_reports: list[str] = field(default_factory=list)  # one line each: a report or overview not written


def _failure(result: dg.ExecuteInProcessResult) -> str:
    for event in result.all_events:
        if event.is_step_failure and event.step_failure_data and event.step_failure_data.error:
            err = event.step_failure_data.error
            while err.cause is not None and err.cls_name in ("DagsterExecutionStepExecutionError",):
                err = err.cause
            return err.message.strip().splitlines()[0]
    return "run failed"


@contextmanager
def _instance() -> Iterator[dg.DagsterInstance]:
    dagster_home()
    # what exists before the run (imported modules, the definitions: about a million objects) is set aside for the
    # collector: the full collection below, and the ones Python makes during the run, then walk only what the run
    # made (0.15 s less per run); unfrozen again afterwards, so nothing is kept from the collector for long
    gc.freeze()
    # disposed in the thread that opened it: its SQLite connections, left to the garbage collector, are closed from
    # another thread (the desk runs this in one), which fails and prints noise into whatever that thread was doing
    try:
        with dg.DagsterInstance.get() as instance:
            yield instance
    finally:
        # Dagster's storages leave SQLite connections to the garbage collector even after dispose; collected here,
        # in the thread that opened them, they close quietly — collected later from another thread (the desk's
        # request workers) each one logs a traceback, and on Python 3.11 that logging can break an ast.parse the
        # other thread is in (SystemError: AST constructor recursion depth mismatch)
        gc.collect()
        gc.unfreeze()


@contextmanager
def _termination_kept() -> Iterator[None]:
    """SIGTERM as it was before a Dagster run. Ending an in-process run, Dagster sets SIGTERM to whatever SIGINT
    does (for Kubernetes); in a process started in the background (nohup, a script's `&`) SIGINT is ignored, so
    `kill` would stop neither this run nor the processes it starts, which inherit the ignoring."""
    if threading.current_thread() is not threading.main_thread():  # only the main thread sets handlers (the desk)
        yield
        return
    before = signal.getsignal(signal.SIGTERM)
    try:
        yield
    finally:
        if before is not None:  # None: set outside Python (an embedding program), which cannot be put back from here
            signal.signal(signal.SIGTERM, before)


@contextmanager
def _one_run(cfg: Settings, progress: Callable[[str], None] | None, timeout: float = 6 * 3600) -> Iterator[None]:
    """Runs on one warehouse queue on a file lock beside it (a busy night's run takes hours)."""
    cfg.warehouse.parent.mkdir(parents=True, exist_ok=True)
    lock = FileLock(str(cfg.warehouse.parent / ".materialize.lock"))
    try:
        lock.acquire(timeout=0)
    except Timeout:
        if progress:
            progress("等待另一个运行结束 / waiting for another run to finish")
        try:
            lock.acquire(timeout=timeout)
        except Timeout as err:
            raise GongkaiError("另一个运行仍未结束，请稍后再试", f"another run on {cfg.warehouse} has not finished; try again later") from err
    try:
        yield
    finally:
        lock.release()


def materialize_years(cfg: Settings, years: list[int] | None, progress: Callable[[str], None] | None = None, include_reports: bool = True) -> RunOutcome:
    """Ingest once, then each year's assets in order; `years=None`: the years whose tables no longer match the
    ledgers (what the nightly run does). Within a year only the agencies whose inputs changed are redone.
    `include_reports=False` stops at the warehouse load."""
    from pipelines.definitions import build_defs
    from pipelines.defs.automation.jobs import ingest_job, year_job
    from pipelines.defs.automation.stale import years_to_run
    from pipelines.defs.reports.assets import FAILED
    from pipelines.defs.reports.publish import mark_pending
    from pipelines.partitions import check_years

    if years is not None:
        check_years(years)
    # one run at a time per warehouse: a second one waits, then finds (nearly) nothing left to do
    from pipelines.defs.reports.progress import listening

    with _one_run(cfg, progress), _instance() as instance, listening(progress):
        defs = build_defs(cfg)

        failed_reports: list[str] = []

        def run(label: str, job: str, partition_key: str | None = None, selection: list[dg.AssetKey] | None = None) -> str:
            with _termination_kept():
                result = defs.resolve_job_def(job).execute_in_process(
                    instance=instance, partition_key=partition_key, asset_selection=selection, run_config=_quiet(cfg), raise_on_error=False
                )
            if not result.success:
                raise GongkaiError(f"运行失败（{label}）：{_failure(result)}", f"run failed ({label}): {_failure(result)}", exit_code=2)
            for event in result.get_asset_materialization_events():
                found = event.materialization.metadata.get(FAILED)
                failed_reports.extend(getattr(found, "value", None) or [])
            return result.run_id

        if progress:
            progress("读取并校验台账 / reading and validating ledgers")
        run_ids = [run("ingest", ingest_job.name)]
        years = sorted(years_to_run(cfg) if years is None else years)
        if include_reports:  # a kill anywhere in a year's run (before its reports start, too) leaves them to redo
            for year in years:
                mark_pending(cfg.reports_dir, year)
        for year in years:
            if progress:
                progress(f"{year}年：表格、勾稽检查、入库 / tables, checks, warehouse")
            run_ids.append(run(str(year), year_job.name, str(year), None if include_reports else WITHOUT_REPORTS))
        return RunOutcome(years, run_ids, failed_reports)
