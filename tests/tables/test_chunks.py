"""compute_year a few agencies at a time (compute.iter_year) against the tables and checks of all agencies at once.

The ledger is random but seeded: agencies with and without records, records of
agencies not in the list, values outside the vocabulary, several years, and a
year − 1 that disagrees for some agencies so that A4 and P1 fail as well as pass.
"""

import datetime as dt
import random

import polars as pl
import pytest
from polars.testing import assert_frame_equal

from pipelines.defs.calendar import workdays
from pipelines.defs.compliance.deadlines import application_deadlines
from pipelines.defs.compliance.fees import fee_excess
from pipelines.defs.tables import completeness, compute, frames, relations, tables
from pipelines.defs.tables import records as record_facts
from schemas import vocabulary as v
from tests.support import tables as grids

YEAR = 2022


def _day(rng: random.Random) -> dt.date:
    return dt.date(2020, 1, 1) + dt.timedelta(days=rng.randrange(4 * 365))


def _later(rng: random.Random, day: dt.date) -> dt.date | None:
    return None if rng.random() < 0.2 else day + dt.timedelta(days=rng.randrange(500))


@pytest.fixture(scope="module")
def ledger():
    rng = random.Random(20240611)
    codes = [f"A{n:03d}" for n in range(23)]
    owners = codes[:18] + ["ZZ-UNKNOWN"]  # the last five agencies have no records; one code is in no list
    docs = [f"doc{n}" for n in range(12)]
    disclosures = []
    for n in range(600):
        category = rng.choice([*v.DECISION_ITEMS, *v.DOCUMENT_ITEMS, "admin_fee", "other"])
        disclosures.append(
            {
                "agency_code": rng.choice(owners),
                "published_on": _day(rng),
                "category": category,
                "channel": rng.choice([*v.CHANNEL_KEYS, "carrier_pigeon"]),
                "doc_number": rng.choice(docs) if category in v.DOCUMENT_ITEMS else None,
                "doc_action": rng.choice(["issue", "repeal", "amend"]) if category in v.DOCUMENT_ITEMS else None,
                "amount_yuan": round(rng.uniform(0, 50_000), 2) if category == "admin_fee" else None,
                "item_id": f"D{n}",
                "source_file": "d.csv",
            }
        )
    applications = []
    for n in range(500):
        received = _day(rng)
        closed = _later(rng, received)
        applications.append(
            {
                "agency_code": rng.choice(owners),
                "received_on": received,
                "closed_on": closed,
                "outcome": None if closed is None else rng.choice([*v.OUTCOME_KEYS, "3.7", "lost"]),
                "applicant_type": rng.choice([*v.APPLICANT_KEYS, "alien"]),
                "fee_yuan": float(rng.choice([0, 0, 10, 25])),
                "application_id": f"A{n}",
                "source_file": "a.csv",
            }
        )
    appeals = []
    for n in range(200):
        filed = _day(rng)
        concluded = _later(rng, filed)
        appeals.append(
            {
                "agency_code": rng.choice(owners),
                "filed_on": filed,
                "concluded_on": concluded,
                "result": None if concluded is None else rng.choice([*v.CONCLUDED_RESULT_KEYS, "total"]),
                "proceeding": rng.choice([*v.APPEAL_GROUP_KEYS, "duel"]),
                "case_id": f"R{n}",
                "application_id": None,
                "source_file": "r.csv",
            }
        )
    # the columns the record facts keep that this ledger does not vary
    unused = {
        "applications": {
            "correction_requested_on": pl.Date,
            "correction_received_on": pl.Date,
            "extended": pl.Boolean,
            "third_party_days": pl.Int64,
            "applicant_key": pl.String,
        },
        "disclosures": {},
        "appeals": {},
    }
    frames_ = {
        "disclosures": pl.DataFrame(disclosures, schema_overrides={"doc_number": pl.String, "doc_action": pl.String, "amount_yuan": pl.Float64}),
        "applications": pl.DataFrame(applications, schema_overrides={"outcome": pl.String}),
        "appeals": pl.DataFrame(appeals, schema_overrides={"result": pl.String, "application_id": pl.String}),
    }
    records = {"agencies": pl.DataFrame({"agency_code": rng.sample(codes, len(codes))})} | {  # agencies not in code order
        kind: frame.with_columns(
            *(pl.lit(None, dtype).alias(c) for c, dtype in unused[kind].items()),
            pl.lit(None, pl.String).alias("source_sheet"),
            pl.int_range(2, pl.len() + 2, dtype=pl.Int32).alias("source_row"),
        )
        for kind, frame in frames_.items()
    }
    quarantine = pl.DataFrame(
        [{"kind": "applications", "path": "a.csv", "agency_code": codes[3], "year": 2022, "end_year": None, "superseded": False}],
        schema={"kind": pl.String, "path": pl.String, "agency_code": pl.String, "year": pl.Int32, "end_year": pl.Int32, "superseded": pl.Boolean},
    )
    # year − 1 as compute_year makes it, then off by one for every third agency (A4 fails, P1 warns)
    before = compute.compute_year(records, quarantine, YEAR - 1)
    # with rows of another year and later duplicates that A4 and P1 must pass over (the first row of a cell counts)
    odd = pl.col("agency_code").is_in(codes[::3])
    previous = {}
    for name in ("fact_application", "fact_proactive"):
        frame = before[name].with_columns(value=pl.when(odd).then(pl.col("value") + 1).otherwise("value"))
        older = frame.with_columns(year=pl.lit(YEAR - 2, pl.Int32), value=pl.col("value") + 3)
        again = frame.filter(pl.col("agency_code").is_in(codes[1::4])).with_columns(value=pl.col("value") + 5)
        previous[name] = pl.concat([older, frame, again])
    return records, quarantine, previous


def all_at_once(records, quarantine, previous) -> dict[str, pl.DataFrame]:
    """The facts with no chunking: each table over every agency, then every relation over all of them."""
    agencies, years = records["agencies"]["agency_code"], [YEAR]
    facts = {
        "fact_proactive": grids.proactive(records["disclosures"], agencies, years),
        "fact_channel": grids.channels(records["disclosures"], agencies, years),
        "fact_application": grids.applications(records["applications"], agencies, years),
        "fact_appeal": grids.appeals(records["appeals"], agencies, years),
    }
    quarantined = tables.quarantined_per_agency_year(quarantine, records, agencies, years)
    fees = tables.fees_collected(records["applications"], agencies, years)
    # the reasons of every agency at once; complete = none
    facts["incomplete_reason"] = completeness.incomplete_reasons(records, quarantine, agencies, YEAR)
    incomplete = facts["incomplete_reason"].get_column("agency_code").unique().implode()
    facts["agency_year"] = (
        quarantined.join(fees, on=["agency_code", "year"])
        .select("agency_code", "year", ~pl.col("agency_code").is_in(incomplete).alias("complete"), "quarantined_rows", "fees_yuan")
        .sort("agency_code")
    )
    # every record of a listed agency, sorted: the pieces' records concatenated must be these
    listed = pl.col("agency_code").is_in(agencies.implode())
    for name, kind, hits, listing in (
        ("fact_proactive_record", "disclosures", tables.proactive_hits, record_facts.proactive_records),
        ("fact_application_record", "applications", tables.application_hits, record_facts.application_records),
        ("fact_appeal_record", "appeals", tables.appeal_hits, record_facts.appeal_records),
    ):
        facts[name] = listing(records[kind], hits(records[kind], years).collect()).filter(listed)
    facts["check_result"] = relations.check_results(
        facts["fact_application"],
        facts["fact_appeal"],
        facts["fact_proactive"],
        previous_applications=previous["fact_application"],
        previous_proactive=previous["fact_proactive"],
    )
    deadlines = application_deadlines(records["applications"], workdays.load(None), years)
    facts["application_deadline"] = deadlines.filter(pl.col("agency_code").is_in(agencies.implode()))
    facts["fee_excess"] = fee_excess(records["applications"], years).filter(pl.col("agency_code").is_in(agencies.implode()))
    return facts


def test_the_ledger_exercises_failures_and_incomplete_agencies(ledger):
    facts = all_at_once(*ledger)
    statuses = set(facts["check_result"].select("check_id", "status").unique().iter_rows())
    assert {("A4", "fail"), ("A4", "pass"), ("P1", "warn"), ("P1", "pass")} <= statuses
    assert not facts["agency_year"]["complete"].all()
    assert {"quarantined_rows", "ledger_missing"} <= set(facts["incomplete_reason"]["reason"])
    assert facts["fact_application"].filter(pl.col("value") > 0).height > 100
    assert min(facts[name].height for name in ("fact_proactive_record", "fact_application_record", "fact_appeal_record")) > 20


@pytest.mark.parametrize("chunk", [1, 4, 7, 23, 1000])
def test_chunks_concatenate_to_the_facts_of_all_agencies_at_once(ledger, chunk):
    records, quarantine, previous = ledger
    expected = all_at_once(records, quarantine, previous)
    pieces = list(compute.iter_year(records, quarantine, YEAR, previous, chunk=chunk))
    assert len(pieces) == -(-23 // chunk)
    for name in compute.FACTS:
        got = pl.concat([p[name] for p in pieces])
        # the same rows in the same order, not merely the same set
        assert_frame_equal(got, expected[name], check_row_order=True), name
    # every piece holds its own agencies only, in code order
    firsts = [p["agency_year"]["agency_code"][0] for p in pieces]
    assert firsts == sorted(firsts)
    for p in pieces:
        assert set(p["fact_application"]["agency_code"]) == set(p["agency_year"]["agency_code"])


def test_compute_year_is_the_pieces_concatenated_and_previous_may_be_lazy(ledger):
    records, quarantine, previous = ledger
    expected = all_at_once(records, quarantine, previous)
    lazy = {k: f.lazy() for k, f in previous.items()}
    got = compute.compute_year(records, quarantine, YEAR, previous=lazy)
    assert list(got) == list(compute.FACTS)
    for name in compute.FACTS:
        assert_frame_equal(got[name], expected[name], check_row_order=True)


def test_no_agencies_gives_empty_frames_with_their_schemas(ledger):
    records, quarantine, _ = ledger
    empty = records | {"agencies": records["agencies"].clear()}
    got = compute.compute_year(empty, quarantine, YEAR)
    schemas = {
        "fact_proactive": frames.PROACTIVE,
        "fact_channel": frames.CHANNEL,
        "fact_application": frames.APPLICATION,
        "fact_appeal": frames.APPEAL,
        "check_result": frames.CHECK_RESULT,
    }
    for name, schema in schemas.items():
        assert got[name].is_empty() and got[name].schema == pl.Schema(schema), name


def test_the_grid_has_every_cell_once_in_form_order_and_ignores_what_it_does_not_know(ledger):
    records, _, _ = ledger
    agencies = records["agencies"]["agency_code"]
    years = [2021, 2022, 2023]
    a = grids.applications(records["applications"], agencies, years)

    def rank(col: str, keys) -> pl.Expr:
        return pl.col(col).replace_strict({k: i for i, k in enumerate(keys)}, return_dtype=pl.Int32)

    assert a.height == agencies.len() * len(years) * 25 * 7
    assert_frame_equal(a, a.sort("agency_code", "year", rank("row_key", v.APPLICATION_ROW_KEYS), rank("column_key", v.APPLICATION_COLUMN_KEYS)))
    assert a.select("agency_code", "year", "row_key", "column_key").is_unique().all()
    # every application of a listed agency with a known applicant type, received in a year, is in row 1 of that year
    apps = records["applications"].filter(
        pl.col("agency_code").is_in(agencies.implode()) & pl.col("applicant_type").is_in(v.APPLICANT_KEYS) & pl.col("received_on").dt.year().is_in(years)
    )
    assert a.filter((pl.col("row_key") == "1") & (pl.col("column_key") == "total"))["value"].sum() == apps.height
    p = grids.proactive(records["disclosures"], agencies, years)
    assert_frame_equal(p, p.sort("agency_code", "year", "item", "metric"))
    assert p.height == agencies.len() * len(years) * len(v.PROACTIVE_CELLS)
