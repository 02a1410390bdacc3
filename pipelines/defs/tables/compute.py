"""One year's statutory tables, completeness and checks for every agency of the raw root."""

import polars as pl

from pipelines.defs.tables import tables


def compute_year(
    records: dict[str, pl.DataFrame | pl.LazyFrame],
    quarantine: pl.DataFrame,
    year: int,
    previous: dict[str, pl.DataFrame] | None = None,
    only: pl.Series | None = None,
) -> dict[str, pl.DataFrame]:
    """Facts keyed by warehouse table name. `previous` holds year − 1's facts (for A4 and P1) when known;
    `only` limits the work to these agencies (a nightly run: the others' facts did not change).

    The ledgers may be LazyFrames (streamed from the lake); the agency list is a DataFrame."""
    registered = records["agencies"].get_column("agency_code")
    agencies = registered if only is None else registered.filter(registered.is_in(only.implode()))
    ledgers = {
        k: r if only is None else r.lazy().filter(pl.col("agency_code").is_in(only.implode())) for k, r in records.items() if k != "agencies"
    }
    years = [year]
    facts = {
        "fact_proactive": tables.proactive(ledgers["disclosures"], agencies, years),
        "fact_channel": tables.channels(ledgers["disclosures"], agencies, years),
        "fact_application": tables.applications(ledgers["applications"], agencies, years),
        "fact_appeal": tables.appeals(ledgers["appeals"], agencies, years),
    }
    # all agencies' records: a row with an unusable code belongs to every agency of its file
    quarantined = tables.quarantined_per_agency_year(quarantine, records, registered, years)
    if only is not None:
        quarantined = quarantined.filter(pl.col("agency_code").is_in(agencies.implode()))
    fees = tables.fees_collected(ledgers["applications"], agencies, years)
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
