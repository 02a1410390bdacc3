"""Ingestion assets: the raw root's ledgers, read, validated and kept in the lake."""

import dagster as dg
import polars as pl

from pipelines.defs.ingest.run import ingest_run
from pipelines.defs.preview import markdown_table
from pipelines.resources import GongkaiConfig

CHECKS = [
    dg.AssetCheckSpec(
        "rows_conserved",
        asset="validated_ledgers",
        description="每个文件：读取行数 = 通过 + 隔离 + 合计行 / rows read = accepted + quarantined + total rows, per file",
    ),
    dg.AssetCheckSpec("files_readable", asset="validated_ledgers", description="没有整个未能读取的台账文件 / no ledger file was rejected whole"),
    dg.AssetCheckSpec("no_quarantine", asset="validated_ledgers", description="没有被隔离的行 / no row sits in quarantine"),
]


@dg.asset(
    group_name="ingest",
    check_specs=CHECKS,
    description="台账读取与校验：所有台账文件逐行校验，合格记录（去除个人信息）写入 lake，问题行进入隔离区 / "
    "every ledger row read, validated, accepted into the lake (no personal data) or quarantined with a reason.",
    kinds={"polars", "pandera", "parquet"},
)
def validated_ledgers(context: dg.AssetExecutionContext, gongkai: GongkaiConfig) -> dg.MaterializeResult:
    # No per-file progress here: every context.log call is an event written to the instance's event log
    # (~9 ms each on SQLite), 80 s for the 8,800 files of a national year (gongkai bench, docs/benchmarks.md).
    run = ingest_run(gongkai.settings())
    files, result, gen = run.files, run.result, run.generation
    files_df = result.files
    readable = files_df.filter(pl.col("status") == "read")
    unbalanced = readable.filter(pl.col("rows") != pl.col("accepted") + pl.col("quarantined") + pl.col("total_rows"))
    rejected = files_df.filter(pl.col("status") == "rejected")
    by_rule = result.quarantine.group_by("kind", "rule").len().sort("len", descending=True)
    return dg.MaterializeResult(
        metadata={
            "files": len(files),
            "rows_read": dg.MetadataValue.int(int(readable.get_column("rows").sum() or 0)),
            "rows_accepted": dg.MetadataValue.int(int(readable.get_column("accepted").sum() or 0)),
            "rows_quarantined": dg.MetadataValue.int(result.quarantine.height),
            "total_rows": dg.MetadataValue.int(int(readable.get_column("total_rows").sum() or 0)),
            "files_rejected": dg.MetadataValue.int(rejected.height),
            "files_not_read": dg.MetadataValue.int(files_df.filter(pl.col("status") == "not_read").height),
            "files_reused": dg.MetadataValue.int(result.cache_hits),
            "files_read": dg.MetadataValue.int(result.cache_misses),
            "agencies_redone": "all" if result.agencies_redone is None else dg.MetadataValue.int(result.agencies_redone),
            "earliest_changed_year": "none"
            if result.earliest_changed_year is None
            else ("all" if result.earliest_changed_year == 0 else result.earliest_changed_year),
            **{f"records_{k}": dg.MetadataValue.int(result.records.count(k)) for k in result.records},
            "quarantine_by_rule": dg.MetadataValue.md(markdown_table(by_rule)),
            "files_preview": dg.MetadataValue.md(
                markdown_table(files_df.select("path", "kind", "status", "rows", "accepted", "quarantined", "total_rows", "error_rule"))
            ),
            "lake": dg.MetadataValue.path(str(gen)),
        },
        check_results=[
            dg.AssetCheckResult(
                check_name="rows_conserved", passed=unbalanced.is_empty(), metadata={"unbalanced_files": unbalanced.get_column("path").to_list()}
            ),
            dg.AssetCheckResult(
                check_name="files_readable",
                passed=rejected.is_empty(),
                severity=dg.AssetCheckSeverity.WARN,
                metadata={
                    "rejected_files": rejected.get_column("path").to_list(),
                    "not_read": files_df.filter(pl.col("status") == "not_read").get_column("path").to_list(),
                },
            ),
            dg.AssetCheckResult(
                check_name="no_quarantine",
                passed=result.quarantine.is_empty(),
                severity=dg.AssetCheckSeverity.WARN,
                metadata={"quarantined_rows": result.quarantine.height, "by_rule": dg.MetadataValue.md(markdown_table(by_rule))},
            ),
        ],
    )
