"""The years a run after ingestion redoes, for `gongkai materialize --changed` and the nightly sensor alike."""

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from pipelines.settings import Settings


def years_to_run(cfg: "Settings") -> list[int]:
    """Years whose tables or warehouse rows are stale (tables/inputs.py: stale_years, from the first such year on),
    and years whose reports no longer match their loads, narratives or dismissals (a narrative edited, a report
    run killed part-way)."""
    from pipelines.defs.reports.publish import stale_report_years
    from pipelines.defs.tables.inputs import stale_years

    reports = stale_report_years(cfg.warehouse, cfg.reports_dir, cfg.narratives_dir, cfg.desk_db)
    return sorted(set(stale_years(cfg)) | set(reports))
