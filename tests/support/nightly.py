"""What the nightly sensor asks for, evaluated in-process after the latest successful ingestion run."""

import dagster as dg

from pipelines.defs.automation.schedules import refresh_after_ingest
from pipelines.resources import GongkaiConfig


def nightly_years(cfg) -> list[str]:
    """The partitions `refresh_after_ingest` requests after the latest successful `ingest_ledgers` run."""
    instance = dg.DagsterInstance.get()
    run = instance.get_runs(filters=dg.RunsFilter(job_name="ingest_ledgers", statuses=[dg.DagsterRunStatus.SUCCESS]), limit=1)[0]
    event = next(e for e in instance.all_logs(run.run_id) if e.dagster_event and e.dagster_event.event_type == dg.DagsterEventType.RUN_SUCCESS)
    ctx = dg.build_run_status_sensor_context(
        sensor_name="refresh_after_ingest",
        dagster_instance=instance,
        dagster_run=run,
        dagster_event=event.dagster_event,
        resources={"gongkai": GongkaiConfig.from_settings(cfg)},
    )
    return [r.partition_key for r in refresh_after_ingest(ctx)]
