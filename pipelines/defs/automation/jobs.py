"""Jobs: ingestion (not partitioned) and one year's tables, warehouse and reports."""

import dagster as dg

ingest_job = dg.define_asset_job(
    "ingest_ledgers",
    selection=dg.AssetSelection.groups("ingest"),  # validated_ledgers, then its accounting into the warehouse
    description="读取并校验全部台账 / read and validate every ledger",
)
year_job = dg.define_asset_job(
    "refresh_year",
    selection=dg.AssetSelection.groups("tables", "warehouse", "reports"),  # yearly: the partitions come with the assets
    description="计算一个年度的表格、装入数据仓库、生成报告 / one year's tables, warehouse load and reports",
)
