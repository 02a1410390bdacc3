"""The gongkai code location: `dagster dev` loads `defs` from here (see pyproject [tool.dagster])."""

import dagster as dg

from pipelines.defs.automation.jobs import ingest_job, year_job
from pipelines.defs.automation.schedules import ledger_files_changed, nightly, refresh_after_ingest
from pipelines.defs.ingest.assets import validated_ledgers
from pipelines.defs.reports.assets import annual_reports
from pipelines.defs.tables.assets import statutory_tables
from pipelines.defs.warehouse.assets import warehouse_ledgers, warehouse_year
from pipelines.resources import GongkaiPaths

ASSETS = [validated_ledgers, warehouse_ledgers, statutory_tables, warehouse_year, annual_reports]

defs = dg.Definitions(
    assets=ASSETS,
    jobs=[ingest_job, year_job],
    schedules=[nightly],
    sensors=[ledger_files_changed, refresh_after_ingest],
    resources={"paths": GongkaiPaths.from_env()},
)
