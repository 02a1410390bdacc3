"""One year's statutory tables, completeness and checks for every agency of the raw root."""

import datetime as dt
from collections.abc import Iterator

import polars as pl

from pipelines.defs.calendar.workdays import Calendar
from pipelines.defs.calendar.workdays import load as load_calendar
from pipelines.defs.compliance.deadlines import application_deadlines
from pipelines.defs.compliance.fees import fee_excess
from pipelines.defs.tables import completeness, relations, tables
from pipelines.defs.tables import records as record_facts
from schemas import vocabulary as v

CHUNK = 2_500  # agencies laid out and checked in one vectorized pass: bounds memory (~440k table-A cells a piece)

FACTS = (
    "fact_proactive",
    "fact_channel",
    "fact_application",
    "fact_appeal",
    "agency_year",
    "check_result",
    "incomplete_reason",
    "application_deadline",
    "fee_excess",
    "fact_proactive_record",
    "fact_application_record",
    "fact_appeal_record",
)


def compute_year(
    records: dict[str, pl.DataFrame | pl.LazyFrame],
    quarantine: pl.DataFrame,
    year: int,
    previous: dict[str, pl.DataFrame | pl.LazyFrame] | None = None,
    only: pl.Series | None = None,
    rejected: pl.DataFrame | None = None,
    today: dt.date | None = None,
    calendar: Calendar | None = None,
) -> dict[str, pl.DataFrame]:
    """Facts keyed by warehouse table name (FACTS). `previous` holds year − 1's facts (for A4 and P1) when known;
    `only` limits the work to these agencies (a nightly run: the others' facts did not change); `rejected` and
    `today` are what completeness needs besides the records (completeness.py); `calendar` the working days
    the applications' due dates are counted on (default: chinesecalendar alone).

    The ledgers may be LazyFrames (streamed from the lake); the agency list is a DataFrame. `previous` may
    be LazyFrames too (scans of the tables store), and should be: only the cells A4 and P1 read are loaded.
    All of one year at national size is ~1.4 GB of frames; `iter_year` hands it over piece by piece."""
    parts = list(iter_year(records, quarantine, year, previous, only=only, rejected=rejected, today=today, calendar=calendar))
    # the pieces are kept as chunks of one frame: no copy
    return {name: pl.concat([p[name] for p in parts], how="vertical", rechunk=False) for name in FACTS}


def iter_year(
    records: dict[str, pl.DataFrame | pl.LazyFrame],
    quarantine: pl.DataFrame,
    year: int,
    previous: dict[str, pl.DataFrame | pl.LazyFrame] | None = None,
    chunk: int = CHUNK,
    only: pl.Series | None = None,
    rejected: pl.DataFrame | None = None,
    today: dt.date | None = None,
    calendar: Calendar | None = None,
) -> Iterator[dict[str, pl.DataFrame]]:
    """compute_year in pieces of `chunk` agencies in code order: each piece holds every fact table (FACTS) of
    its agencies, and the pieces concatenated in order are compute_year's frames, rows in the same order.

    The records are read and counted once, up front; a piece costs the memory of its own grid only.
    `previous` may be LazyFrames: only row 4 of table A and `in_force` of table P of year − 1 are read."""
    years = [year]
    register = records["agencies"]
    registered = (register if isinstance(register, pl.DataFrame) else register.collect()).get_column("agency_code")
    ledgers = {k: records[k] for k in ("disclosures", "applications", "appeals")}
    if only is not None:
        registered_only = registered.filter(registered.is_in(only.implode()))
        ledgers = {k: r.lazy().filter(pl.col("agency_code").is_in(only.implode())) for k, r in ledgers.items()}
    index = tables.agency_index(registered if only is None else registered_only)
    disclosures, apps, cases = ledgers["disclosures"], ledgers["applications"], ledgers["appeals"]
    # The agency-level facts first, while little else is held (their reading of the ledgers has its own peak).
    agencies = index.get_column("agency_code")
    # all agencies' records: a row with an unusable code belongs to every agency of its file
    quarantined = tables.quarantined_per_agency_year(quarantine, records, registered, years)
    if only is not None:
        quarantined = quarantined.filter(pl.col("agency_code").is_in(agencies.implode()))
    fees = tables.fees_collected(apps, agencies, years)
    # all agencies' records (a quarantined row with an unusable code belongs to every agency of its file)
    reasons = completeness.incomplete_reasons(records, quarantine, agencies, year, rejected=rejected, today=today, registered=registered)
    has_reason = reasons.select("agency_code").unique().with_columns(pl.lit(True).alias("_r"))
    agency_year = (
        quarantined.join(fees, on=["agency_code", "year"], maintain_order="left")
        .join(has_reason, on="agency_code", how="left", maintain_order="left")
        .select("agency_code", "year", pl.col("_r").is_null().alias("complete"), "quarantined_rows", "fees_yuan")
    )
    before = _year_before(previous or {}, year)
    # the applications received in the year, with their due dates (no personal column is read)
    deadlines = application_deadlines(apps, calendar or load_calendar(None), years)
    over_charged = fee_excess(apps, years)
    # Which record counts in which cell, once: the tables are its aggregation, the record facts its listing.
    hits = {
        "disclosures": tables.proactive_hits(disclosures, years).collect(engine="streaming", optimizations=pl.QueryOptFlags(comm_subplan_elim=False)),
        "applications": tables.application_hits(apps, years).collect(engine="streaming"),
        "appeals": tables.appeal_hits(cases, years).collect(engine="streaming"),
    }
    located = {
        "fact_proactive": (tables.PROACTIVE, tables.proactive_counts(disclosures, years, hits["disclosures"])),
        "fact_channel": (tables.CHANNEL, tables.channel_counts(disclosures, years)),
        "fact_application": (tables.APPLICATION, tables.application_counts(apps, years, hits["applications"])),
        "fact_appeal": (tables.APPEAL, tables.appeal_counts(cases, years, hits["appeals"])),
    }
    located = {name: (table, tables.locate(counts, index, years, table)) for name, (table, counts) in located.items()}
    # The records behind the cells, compact until each piece is written (records.py): first each record's
    # cells from the hits, then — the hits dropped (~1 GB at national size) — the records' own columns.
    kinds = {"fact_proactive_record": "disclosures", "fact_application_record": "applications", "fact_appeal_record": "appeals"}
    numbered = {name: record_facts.per_record(record_facts.KINDS[kind], hits[kind], index) for name, kind in kinds.items()}
    del hits
    listed = {name: record_facts.listing(record_facts.KINDS[kind], numbered.pop(name), ledgers[kind]) for name, kind in kinds.items()}

    for start in range(0, max(index.height, 1), chunk):
        piece = index.slice(start, chunk)
        facts = {name: tables.block(piece, years, table, cells) for name, (table, cells) in located.items()}
        codes = piece.get_column("agency_code").implode()
        facts["agency_year"] = agency_year.filter(pl.col("agency_code").is_in(codes))
        facts["incomplete_reason"] = reasons.filter(pl.col("agency_code").is_in(codes))
        facts["application_deadline"] = deadlines.filter(pl.col("agency_code").is_in(codes))
        facts["fee_excess"] = over_charged.filter(pl.col("agency_code").is_in(codes))
        for name, records_of in listed.items():
            facts[name] = records_of.piece(piece)

        facts["check_result"] = relations.check_results(
            facts["fact_application"],
            facts["fact_appeal"],
            facts["fact_proactive"],
            previous_applications=_pick(before.get("fact_application"), codes),
            previous_proactive=_pick(before.get("fact_proactive"), codes),
        )
        yield facts


def _pick(frame: pl.DataFrame | None, codes: pl.Series) -> pl.DataFrame | None:
    return None if frame is None else frame.filter(pl.col("agency_code").is_in(codes))


def _year_before(previous: dict[str, pl.DataFrame | pl.LazyFrame], year: int) -> dict[str, pl.DataFrame]:
    """The only cells of year − 1 that A4 and P1 read (row 4 of A, `in_force` of P), rows in their order."""
    wanted = {
        "fact_application": (pl.col("row_key") == "4", tables.APPLICATION.schema),
        "fact_proactive": (pl.col("item").is_in(v.DOCUMENT_ITEMS) & (pl.col("metric") == "in_force"), tables.PROACTIVE.schema),
    }
    return {
        name: previous[name].lazy().filter(cond & (pl.col("year") == year - 1)).select(list(schema)).collect()
        for name, (cond, schema) in wanted.items()
        if previous.get(name) is not None
    }
