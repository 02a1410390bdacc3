"""Nightly refresh and ledger-change sensor.

Ingestion is not partitioned and the yearly assets are, so one run cannot hold
both: the schedule and the file sensor start an ingestion run, and
`refresh_after_ingest` then starts the years whose tables, warehouse rows or reports no
longer match their inputs (automation/stale.py), plus any years the run was tagged with.
"""

import hashlib

import dagster as dg

from pipelines.defs.automation.jobs import ingest_job, year_job
from pipelines.defs.automation.stale import years_to_run
from pipelines.defs.ingest.discover import discover
from pipelines.partitions import TIMEZONE
from pipelines.resources import GongkaiConfig

YEARS_TAG = "gongkai/years"  # optional: years to redo whether or not their ledgers changed, e.g. "2022,2023"


# Default status (README "Operators"): a fresh `make dev` runs all of them, since each is needed for the tables to
# follow the ledgers (the schedule and the file sensor start ingestion, refresh_after_ingest the years after it).
# Turning one off in the UI is remembered by the instance and wins over the default.
@dg.schedule(
    cron_schedule="0 2 * * *",
    default_status=dg.DefaultScheduleStatus.RUNNING,
    execution_timezone=TIMEZONE,
    job=ingest_job,
    description="每晚02:00（北京时间）导入台账，随后只刷新台账有变化的年度 / nightly at 02:00 Asia/Shanghai: ingest the ledgers, "
    "then refresh only the years whose ledgers changed",
)
def nightly(context: dg.ScheduleEvaluationContext) -> dg.RunRequest:
    return dg.RunRequest()


def ledger_fingerprint(raw_dir) -> str:
    """Changes when any ledger file is added, removed or rewritten."""
    digest = hashlib.sha256()
    for f in discover(raw_dir):
        digest.update(f"{f.relpath}\0{f.mtime_ns}\0{f.size}\n".encode())
    return digest.hexdigest()


@dg.sensor(
    job=ingest_job,
    minimum_interval_seconds=60,
    default_status=dg.DefaultSensorStatus.RUNNING,
    description="台账文件变化时重新导入 / re-ingest when ledger files change",
)
def ledger_files_changed(context: dg.SensorEvaluationContext, gongkai: GongkaiConfig):
    raw_dir = gongkai.settings().raw_dir
    if not any(True for _ in discover(raw_dir)):
        # a fresh `make dev` before `make demo`: nothing to ingest yet, and no failed run to alert about
        return dg.SkipReason(f"没有台账文件 / no ledger files under {raw_dir}")
    fingerprint = ledger_fingerprint(raw_dir)
    if fingerprint == context.cursor:
        return dg.SkipReason("台账未变化 / ledgers unchanged")
    context.update_cursor(fingerprint)
    return dg.RunRequest(run_key=fingerprint)


@dg.run_status_sensor(
    run_status=dg.DagsterRunStatus.SUCCESS,
    monitored_jobs=[ingest_job],
    request_job=year_job,
    default_status=dg.DefaultSensorStatus.RUNNING,
    description="导入成功后刷新台账有变化的年度 / after a successful ingestion, refresh the years whose ledgers changed",
)
def refresh_after_ingest(context: dg.RunStatusSensorContext, gongkai: GongkaiConfig):
    tagged = {int(y) for y in context.dagster_run.tags.get(YEARS_TAG, "").split(",") if y.strip()}
    # Years in order: A4 and P1 of a year read the year before.
    for year in sorted(tagged | set(years_to_run(gongkai.settings()))):
        yield dg.RunRequest(run_key=f"{context.dagster_run.run_id}:{year}", partition_key=str(year))
