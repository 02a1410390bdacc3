"""Materialize years in-process through Dagster: what `gongkai materialize` and `gongkai demo` run."""

from collections.abc import Callable
from dataclasses import dataclass

import dagster as dg

from pipelines.errors import GongkaiError
from pipelines.resources import GongkaiPaths
from pipelines.settings import Settings, dagster_home

QUIET = {"loggers": {"console": {"config": {"log_level": "ERROR"}}}}


@dataclass
class RunOutcome:
    years: list[int]
    run_ids: list[str]


def _failure(result: dg.ExecuteInProcessResult) -> str:
    for event in result.all_events:
        if event.is_step_failure and event.step_failure_data and event.step_failure_data.error:
            err = event.step_failure_data.error
            while err.cause is not None and err.cls_name in ("DagsterExecutionStepExecutionError",):
                err = err.cause
            return err.message.strip().splitlines()[0]
    return "run failed"


def yearly_assets(include_reports: bool = True) -> list:
    from pipelines.definitions import ASSETS
    from pipelines.defs.reports.assets import annual_reports

    return [a for a in ASSETS if a.partitions_def is not None and (include_reports or a is not annual_reports)]


def materialize_years(cfg: Settings, years: list[int] | None, progress: Callable[[str], None] | None = None, include_reports: bool = True) -> RunOutcome:
    """Ingest once, then each year's assets in order; `years=None`: the years whose tables no longer match the
    ledgers (what the nightly run does). Within a year only the agencies whose inputs changed are redone.
    `include_reports=False` stops at the warehouse load (what `gongkai bench` times as the pipeline end to end)."""
    from pipelines.defs.ingest.assets import validated_ledgers
    from pipelines.defs.tables.inputs import stale_years
    from pipelines.defs.warehouse.assets import warehouse_ledgers

    dagster_home()
    instance = dg.DagsterInstance.get()
    resources = {"paths": GongkaiPaths(raw_dir=str(cfg.raw_dir), warehouse=str(cfg.warehouse))}

    def run(label: str, assets: list, partition_key: str | None = None) -> str:
        result = dg.materialize(assets, partition_key=partition_key, instance=instance, resources=resources, run_config=QUIET, raise_on_error=False)
        if not result.success:
            raise GongkaiError(f"运行失败（{label}）：{_failure(result)}", f"run failed ({label}): {_failure(result)}", exit_code=2)
        return result.run_id

    if progress:
        progress("读取并校验台账 / reading and validating ledgers")
    run_ids = [run("ingest", [validated_ledgers, warehouse_ledgers])]
    years = sorted(stale_years(cfg) if years is None else years)
    for year in years:
        if progress:
            progress(f"{year}年：表格、勾稽检查、入库 / tables, checks, warehouse")
        run_ids.append(run(str(year), yearly_assets(include_reports), str(year)))
    return RunOutcome(years, run_ids)
