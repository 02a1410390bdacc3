"""The year's annual reports (DOCX, HTML, XLSX) and each county's overview, from the warehouse."""

import dagster as dg

from pipelines.defs import atomic, killpoints
from pipelines.defs.reports.dismissals import dismissed_findings
from pipelines.defs.reports.progress import should_report, tell
from pipelines.defs.reports.publish import mark_pending, publish_reports, stamp_path, year_inputs
from pipelines.partitions import yearly
from pipelines.resources import GongkaiConfig

FAILED = "failed_reports"  # metadata: one line per report or overview not written (materialize prints them)


@dg.asset(
    partitions_def=yearly,
    group_name="reports",
    deps=["warehouse_year"],
    description="各机构年度报告（DOCX/HTML/XLSX）及各县总览页 / every agency's annual report (DOCX, HTML, XLSX) and each "
    "county's overview page; incomplete or failing agency-years are marked as drafts.",
    kinds={"docx", "html", "xlsx"},
)
def annual_reports(context: dg.AssetExecutionContext, gongkai: GongkaiConfig) -> dg.MaterializeResult:
    year = int(context.partition_key)
    cfg = gongkai.settings()
    stamp = stamp_path(cfg.reports_dir, year)
    mark_pending(cfg.reports_dir, year)  # killed part-way: the year stays stale for the next run
    made_from = year_inputs(cfg.warehouse, cfg.narratives_dir, cfg.desk_db, year)

    def report_progress(done: int, total: int, name: str) -> None:
        if should_report(done, total):
            counted = f"{year}年报告 / reports {done}/{total}（{done * 100 // total}%）"
            context.log.info(f"{counted}{name}")
            # listeners (the CLI, the desk's run page) get no agency name: the desk shows it to every clerk
            tell(counted)

    written = publish_reports(
        cfg.warehouse, year, cfg.reports_dir, cfg.narratives_dir, dismissed=dismissed_findings(cfg.desk_db, year), progress=report_progress
    )
    killpoints.reached("reports.done")
    for line in written["failed"].values():
        context.log.error(f"报告未生成 / report not written: {line}")
    if not written["failed"]:  # a failed report leaves the year pending: the next run tries again
        atomic.write_text(stamp, made_from)
    overview_links = "\n".join(f"- {county}: `{path}`" for county, path in written["overviews"].items()) or "_none_"
    return dg.MaterializeResult(
        metadata={
            "year": year,
            "agencies": len(written["reports"]),
            "drafts": len(written["drafts"]),
            "rendered": written["rendered"],
            "unchanged": len(written["reports"]) - written["rendered"],
            "draft_agencies": written["drafts"],
            FAILED: list(written["failed"].values()),
            "overviews": dg.MetadataValue.md(overview_links),
            "reports_dir": dg.MetadataValue.path(str(cfg.reports_dir)),
        }
    )
