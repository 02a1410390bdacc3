"""Nightly refresh and ledger-change sensor.

Ingestion is not partitioned and the yearly assets are, so one run cannot hold
both: the schedule and the file sensor start an ingestion run tagged with the
years to refresh, and `refresh_after_ingest` starts those years when it succeeds.
"""

import datetime as dt
import hashlib
from zoneinfo import ZoneInfo

import dagster as dg

from pipelines.defs.automation.jobs import ingest_job, year_job
from pipelines.defs.ingest.discover import discover
from pipelines.partitions import TIMEZONE, refresh_years
from pipelines.settings import settings

YEARS_TAG = "gongkai/years"


def _years_tag(when: dt.datetime) -> str:
    return ",".join(str(y) for y in refresh_years(when.astimezone(ZoneInfo(TIMEZONE)).date()))


@dg.schedule(
    cron_schedule="0 2 * * *",
    execution_timezone=TIMEZONE,
    job=ingest_job,
    description="每晚02:00（北京时间）刷新本年度，1月份同时刷新上年度 / nightly at 02:00 Asia/Shanghai: the current year, "
    "and the previous one until 31 January",
)
def nightly(context: dg.ScheduleEvaluationContext) -> dg.RunRequest:
    return dg.RunRequest(tags={YEARS_TAG: _years_tag(context.scheduled_execution_time)})


def ledger_fingerprint(raw_dir) -> str:
    """Changes when any ledger file is added, removed or rewritten."""
    digest = hashlib.sha256()
    for f in discover(raw_dir):
        digest.update(f"{f.relpath}\0{f.mtime_ns}\0{f.size}\n".encode())
    return digest.hexdigest()


@dg.sensor(job=ingest_job, minimum_interval_seconds=60, description="台账文件变化时重新导入 / re-ingest when ledger files change")
def ledger_files_changed(context: dg.SensorEvaluationContext):
    fingerprint = ledger_fingerprint(settings().raw_dir)
    if fingerprint == context.cursor:
        return dg.SkipReason("台账未变化 / ledgers unchanged")
    context.update_cursor(fingerprint)
    return dg.RunRequest(run_key=fingerprint, tags={YEARS_TAG: _years_tag(dt.datetime.now(dt.timezone.utc))})


@dg.run_status_sensor(
    run_status=dg.DagsterRunStatus.SUCCESS,
    monitored_jobs=[ingest_job],
    request_job=year_job,
    description="导入成功后刷新相关年度 / after a successful ingestion, refresh its years",
)
def refresh_after_ingest(context: dg.RunStatusSensorContext):
    years = context.dagster_run.tags.get(YEARS_TAG, "")
    # Years in order: A4 and P1 of a year read the year before.
    for year in sorted(y for y in years.split(",") if y):
        yield dg.RunRequest(run_key=f"{context.dagster_run.run_id}:{year}", partition_key=year)
