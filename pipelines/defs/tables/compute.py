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
    from pipelines.defs.tables import relations

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
    facts["check_result"] = relations.check_results(
        facts["fact_application"],
        facts["fact_appeal"],
        facts["fact_proactive"],
        previous_applications=None if previous is None else previous.get("fact_application"),
        previous_proactive=None if previous is None else previous.get("fact_proactive"),
    )
    return facts
