"""Information-processing fees against the by-count rule (国办函〔2020〕109号).

By count, per applicant, agency and calendar month: the first 10 applications are free, the 11th–30th cost
100 元 each, and from the 31st each further block of 10 costs 100 元 more per application than the block before
(35 in a month: 20 × 100 + 5 × 200 = 3,000 元). The ledger has no page counts, so the by-pages rule cannot be
checked: a month's fees above the most the by-count rule allows are a warning a reviewer may dismiss after
checking that the fees were charged by pages.

Applicants are told apart by `applicant_key` (a keyed hash made at ingestion): no personal data is read.
"""

from pathlib import Path

import duckdb
import polars as pl

FEE_EXCESS = pl.Schema(
    {
        "agency_code": pl.String,
        "year": pl.Int32,
        "month": pl.Date,  # the first day of the calendar month the applications were received in
        "applicant_key": pl.String,
        "applications": pl.Int64,
        "fees_yuan": pl.Float64,
        "cap_yuan": pl.Float64,
        "application_ids": pl.String,  # comma-separated, in id order
    }
)


def by_count_cap(n: pl.Expr) -> pl.Expr:
    """The most the by-count rule allows for `n` applications of one applicant in a month, in 元."""
    first = (n.clip(10, 30) - 10) * 100  # the 11th to the 30th: 100 each
    over = (n - 30).clip(lower_bound=0)
    blocks, rest = over // 10, over % 10
    # full block j (j = 1, 2, …) of 10 costs 10 × 100 × (j + 1); the part-block after them 100 × (blocks + 2) each
    return (first + 1000 * (blocks * (blocks + 1) // 2 + blocks) + rest * 100 * (blocks + 2)).cast(pl.Float64)


def fee_excess(apps: pl.DataFrame | pl.LazyFrame, years: list[int]) -> pl.DataFrame:
    """Per agency, applicant and month of `years` whose fees exceed the by-count cap: FEE_EXCESS rows."""
    apps = apps.lazy()
    have = apps.collect_schema().names()
    missing = {"applicant_key": pl.String, "fee_yuan": pl.Float64, "application_id": pl.String}
    return (
        apps.with_columns([pl.lit(None, t).alias(c) for c, t in missing.items() if c not in have])
        .filter(pl.col("applicant_key").is_not_null() & pl.col("received_on").dt.year().is_in(years))
        .with_columns(pl.col("received_on").dt.truncate("1mo").alias("month"))
        .group_by("agency_code", "month", "applicant_key")
        .agg(
            pl.len().cast(pl.Int64).alias("applications"),
            pl.col("fee_yuan").cast(pl.Float64).fill_null(0).sum().alias("fees_yuan"),
            pl.col("application_id").sort().str.join(",").alias("application_ids"),
        )
        .with_columns(by_count_cap(pl.col("applications")).alias("cap_yuan"), pl.col("month").dt.year().cast(pl.Int32).alias("year"))
        .filter(pl.col("fees_yuan") > pl.col("cap_yuan") + 0.005)  # a fen of rounding is not a finding
        .select(list(FEE_EXCESS))
        .cast(dict(FEE_EXCESS))
        .sort("agency_code", "month", "applicant_key")
        .collect()
    )


def excess_rows(warehouse_path: Path, agency_code: str | None, year: int) -> list[dict]:
    """The loaded fee_excess rows of a year (one agency or all); empty when the warehouse has none."""
    from pipelines.defs.warehouse import warehouse

    if not Path(warehouse_path).exists():
        return []
    try:
        return warehouse.query(
            warehouse_path,
            "SELECT * FROM fee_excess WHERE year = ? AND (? IS NULL OR agency_code = ?) ORDER BY agency_code, month, applicant_key",
            [year, agency_code, agency_code],
        ).to_dicts()
    except duckdb.CatalogException:  # a warehouse loaded before fees were checked
        return []
