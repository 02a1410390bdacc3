"""The gongkai code location: `dagster dev` loads `defs` from here (see pyproject [tool.dagster])."""

import dagster as dg

from pipelines.defs.automation.alerts import alert_on_run_failure
from pipelines.defs.automation.jobs import ingest_job, year_job
from pipelines.defs.automation.schedules import ledger_files_changed, nightly, refresh_after_ingest
from pipelines.defs.ingest.assets import validated_ledgers
from pipelines.defs.reports.assets import annual_reports
from pipelines.defs.tables.assets import statutory_tables
from pipelines.defs.warehouse.assets import warehouse_ledgers, warehouse_year
from pipelines.resources import GongkaiConfig
from pipelines.settings import Settings, settings

ASSETS = [validated_ledgers, warehouse_ledgers, statutory_tables, warehouse_year, annual_reports]


def build_defs(cfg: Settings, secret_from_env: bool = False) -> dg.Definitions:
    """The code location for one configuration: `dagster dev` loads it from the environment, the CLI from its
    options (pipelines/run.py executes these same jobs)."""
    return dg.Definitions(
        assets=ASSETS,
        jobs=[ingest_job, year_job],
        schedules=[nightly],
        sensors=[ledger_files_changed, refresh_after_ingest, alert_on_run_failure],
        resources={"gongkai": GongkaiConfig.from_settings(cfg, secret_from_env=secret_from_env)},
    )


# read once from the environment; the key of the applicant hash handed over as a reference to its variable
defs = build_defs(settings(), secret_from_env=True)
