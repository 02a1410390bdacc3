"""One year's statutory tables, completeness and checks for every agency of the raw root."""

import polars as pl

from pipelines.defs.tables import tables


def compute_year(
    records: dict[str, pl.DataFrame | pl.LazyFrame],
    quarantine: pl.DataFrame,
    year: int,
    previous: dict[str, pl.DataFrame] | None = None,
) -> dict[str, pl.DataFrame]:
    """Facts keyed by warehouse table name. `previous` holds year − 1's facts (for A4 and P1) when known.

    The ledgers may be LazyFrames (streamed from the lake); the agency list is a DataFrame."""
    agencies = records["agencies"].get_column("agency_code")
    years = [year]
    facts = {
        "fact_proactive": tables.proactive(records["disclosures"], agencies, years),
        "fact_channel": tables.channels(records["disclosures"], agencies, years),
        "fact_application": tables.applications(records["applications"], agencies, years),
        "fact_appeal": tables.appeals(records["appeals"], agencies, years),
    }
    quarantined = tables.quarantined_per_agency_year(quarantine, records, agencies, years)
    fees = tables.fees_collected(records["applications"], agencies, years)
    facts["agency_year"] = quarantined.join(fees, on=["agency_code", "year"]).select(
        "agency_code", "year", (pl.col("quarantined_rows") == 0).alias("complete"), "quarantined_rows", "fees_yuan"
    )
    facts["check_result"] = _checks_in_chunks(facts, previous or {})
    return facts


CHECK_CHUNK = 5_000  # agencies checked in one vectorized pass: bounds memory at national size


def _checks_in_chunks(facts: dict[str, pl.DataFrame], previous: dict[str, pl.DataFrame]) -> pl.DataFrame:
    """Every relation for every agency-year; agencies are independent, so they go in chunks of CHECK_CHUNK."""
    from pipelines.defs.tables import relations

    codes = facts["agency_year"].get_column("agency_code").unique().sort()
    parts = []
    for start in range(0, max(codes.len(), 1), CHECK_CHUNK):
        chunk = codes.slice(start, CHECK_CHUNK).implode()

        def pick(frame: pl.DataFrame | None) -> pl.DataFrame | None:
            return None if frame is None else frame.filter(pl.col("agency_code").is_in(chunk))

        parts.append(
            relations.check_results(
                pick(facts["fact_application"]),
                pick(facts["fact_appeal"]),
                pick(facts["fact_proactive"]),
                previous_applications=pick(previous.get("fact_application")),
                previous_proactive=pick(previous.get("fact_proactive")),
            )
        )
    return pl.concat(parts, how="vertical")
