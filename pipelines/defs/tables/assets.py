"""The statutory tables of one year, with every consistency relation as an asset check."""

import warnings

import dagster as dg
import polars as pl

from pipelines.defs import killpoints
from pipelines.defs.preview import markdown_table
from pipelines.defs.tables import store
from pipelines.defs.tables.run import compute_and_store_year
from pipelines.partitions import yearly
from pipelines.resources import GongkaiConfig
from schemas import vocabulary as v

CHECKED = ("A1", "A2", "A3", "A4", "R1", "P1", "N1")
# Partitioned like the asset: each year keeps its own result, instead of one status for whichever year ran last.
# Dagster 1.13 calls partitioned checks a preview (tests/dagster/test_operators.py holds what we rely on); the
# warning would otherwise print at every import, CLI commands included.
with warnings.catch_warnings():
    warnings.simplefilter("ignore", dg.PreviewWarning)
    CHECKS = [
        dg.AssetCheckSpec(rid, asset="statutory_tables", partitions_def=yearly, description=f"{v.RELATION_BY_ID[rid].zh} / {v.RELATION_BY_ID[rid].en}")
        for rid in CHECKED
    ] + [
        dg.AssetCheckSpec(
            "complete",
            asset="statutory_tables",
            partitions_def=yearly,
            description="每个机构年度都完整：无隔离行、无可能含其记录的未读取文件、三类台账均已报送或登记本年无、年度已结束 / "
            "every agency-year is complete: no quarantined rows, no rejected file that may hold its rows, all three ledgers "
            "accounted for, the year over",
        ),
        dg.AssetCheckSpec(
            "deadlines",
            asset="statutory_tables",
            partitions_def=yearly,
            description="本年度收到的申请均在法定期限内答复（20个工作日，延期40个） / every application received in the year was answered "
            "within the statutory time limit (20 working days, 40 when extended)",
        ),
    ]


def _check_results(facts: dict[str, pl.DataFrame], names: dict[str, str], year: int) -> list[dg.AssetCheckResult]:
    checks = facts["check_result"]
    out = []
    for rid in CHECKED:
        rows = checks.filter(pl.col("check_id") == rid)
        bad = rows.filter(pl.col("status") != "pass")
        severity = dg.AssetCheckSeverity.WARN if v.RELATION_BY_ID[rid].severity == "warning" else dg.AssetCheckSeverity.ERROR
        out.append(
            dg.AssetCheckResult(
                check_name=rid,
                passed=bad.is_empty(),
                severity=severity,
                metadata={
                    "year": year,
                    "agency_years_checked": rows.height,
                    "failing_agencies": [f"{c} {names.get(c, '')}" for c in bad.get_column("agency_code").to_list()],
                    "details": dg.MetadataValue.md(markdown_table(bad.select("agency_code", "status", "message"))),
                },
            )
        )
    incomplete = facts["agency_year"].filter(~pl.col("complete"))
    reasons = facts["incomplete_reason"]
    by_reason = reasons.group_by("reason").agg(pl.col("agency_code").n_unique().alias("agencies")).sort("reason")
    out.append(
        dg.AssetCheckResult(
            check_name="complete",
            passed=incomplete.is_empty(),
            severity=dg.AssetCheckSeverity.WARN,
            metadata={
                "year": year,
                "incomplete_agencies": [f"{c} {names.get(c, '')} ({n})" for c, n in incomplete.select("agency_code", "quarantined_rows").iter_rows()],
                "agencies_by_reason": dg.MetadataValue.md(markdown_table(by_reason)),
            },
        )
    )
    out.append(_deadline_result(facts["application_deadline"], names, year))
    return out


def _deadline_result(deadlines: pl.DataFrame, names: dict[str, str], year: int) -> dg.AssetCheckResult:
    """A warning naming every agency with late answers among the year's applications."""
    late = deadlines.filter(pl.col("status") == "late")
    per_agency = late.group_by("agency_code").agg(pl.len().alias("late"), pl.col("application_id").sort().alias("applications")).sort("agency_code")
    unknown = deadlines.filter(pl.col("status") == "unknown").height
    return dg.AssetCheckResult(
        check_name="deadlines",
        passed=late.is_empty(),
        severity=dg.AssetCheckSeverity.WARN,
        metadata={
            "year": year,
            "late_answers": late.height,
            "due_date_unknown": unknown,
            "late_by_agency": [f"{c} {names.get(c, '')}: {n} ({', '.join(ids[:20])})" for c, n, ids in per_agency.iter_rows()],
        },
    )


PREVIEW_AGENCIES = 50  # agencies shown in the tables' metadata preview


def summary(facts: dict[str, pl.DataFrame | pl.LazyFrame], agencies: pl.DataFrame) -> pl.DataFrame:
    """One line per agency of `agencies`: the headline figures (for the metadata preview). Only those agencies'
    rows are read: a preview of 50 agencies need not aggregate a national year's 20 million cells."""
    codes = agencies.get_column("agency_code").implode()
    mine = pl.col("agency_code").is_in(codes)
    # one column per headline row, also when there is no row at all (every agency quarantined: a pivot of
    # nothing has no columns to select)
    headline = {"1": "received", "2": "carried_in", "3.7": "closed", "4": "carried_out"}
    app = (
        facts["fact_application"]
        .lazy()
        .filter(mine & (pl.col("column_key") == "total"))
        .group_by("agency_code")
        .agg(pl.col("value").filter(pl.col("row_key") == key).sum().alias(name) for key, name in headline.items())
        .collect()
    )
    items = facts["fact_channel"].lazy().filter(mine).group_by("agency_code").agg(pl.col("value").sum().alias("items")).collect()
    failed = facts["check_result"].lazy().filter(mine).group_by("agency_code").agg((pl.col("status") == "fail").sum().alias("checks_failed")).collect()
    return (
        agencies.select("agency_code", "agency_name")
        .join(items, on="agency_code", how="left")
        .join(
            app,
            on="agency_code",
            how="left",
        )
        .join(facts["agency_year"].lazy().select("agency_code", "complete", "quarantined_rows").collect(), on="agency_code", how="left")
        .join(failed, on="agency_code", how="left")
        .sort("agency_code")
    )


@dg.asset(
    partitions_def=yearly,
    group_name="tables",
    deps=[
        "validated_ledgers",
        # A4 and P1 compare with the year before: the same asset's previous partition.
        dg.AssetDep("statutory_tables", partition_mapping=dg.TimeWindowPartitionMapping(start_offset=-1, end_offset=-1)),
    ],
    check_specs=CHECKS,
    description="三张法定表格（主动公开P、依申请A、复议诉讼R）及渠道统计，按年度计算所有机构；勾稽关系逐项检查 / "
    "tables P, A, R and channel counts of every agency for the year, with every consistency relation checked.",
    kinds={"polars"},
)
def statutory_tables(context: dg.AssetExecutionContext, gongkai: GongkaiConfig) -> dg.MaterializeResult:  # type: ignore[type-arg]  # Dagster reads the annotation: MaterializeResult[None] is taken for multiple outputs
    year = int(context.partition_key)
    killpoints.reached("tables.start")
    run = compute_and_store_year(gongkai.settings(), year, log=context.log)
    agencies, facts, small = run.agencies, run.facts, run.small
    names = dict(agencies.select("agency_code", "agency_name").iter_rows())
    overview = summary(facts, agencies.sort("agency_code").head(PREVIEW_AGENCIES))
    return dg.MaterializeResult(
        metadata={
            "year": year,
            "agencies": agencies.height,
            "agencies_recomputed": dg.MetadataValue.int(run.recomputed),
            "incomplete_agencies": int((~small["agency_year"].get_column("complete")).sum()),
            "checks_failed": int((small["check_result"].get_column("status") == "fail").sum()),
            **{f"rows_{k}": dg.MetadataValue.int(f.lazy().select(pl.len()).collect().item()) for k, f in facts.items()},
            "preview": dg.MetadataValue.md(markdown_table(overview, limit=PREVIEW_AGENCIES, total=agencies.height)),
            "path": dg.MetadataValue.path(str(store.year_dir(gongkai.settings().tables_dir, year))),
        },
        check_results=_check_results(small, names, year),
    )
