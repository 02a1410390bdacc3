"""Record-level facts (tables/records.py) on random ledgers, against the counting rules of
docs/national-format.md written out once more here, record by record, in plain Python.

For every agency-year and cell: the records listing the cell are exactly those the rules put there, and
their number is the cell of the table (the sum of their amounts, for the fee amount of table P).
"""

import datetime as dt
from collections import defaultdict

import polars as pl
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pipelines.defs.tables import records, tables
from schemas import vocabulary as v
from tests.support import tables as grids

AGENCIES = ("A1", "A2")
YEARS = [2020, 2021, 2022, 2023]
FIRST, LAST = dt.date(2019, 6, 1), dt.date(2023, 12, 31)

# the days on which a rule's < or <= matters are drawn often: the last and first days of the years
edges = [dt.date(y, m, d) for y in range(2019, 2024) for m, d in ((12, 30), (12, 31), (1, 1))]
dates = st.one_of(st.sampled_from(edges), st.dates(min_value=FIRST, max_value=LAST))
# open, or closed that many days later (0 and 1: the same day, the next one)
spans = st.one_of(st.none(), st.sampled_from([0, 1, 2, 366]), st.integers(min_value=0, max_value=700))
application = st.tuples(st.sampled_from(AGENCIES), dates, spans, st.sampled_from(v.OUTCOME_KEYS), st.sampled_from(v.APPLICANT_KEYS))
case = st.tuples(st.sampled_from(AGENCIES), dates, spans, st.sampled_from(v.CONCLUDED_RESULT_KEYS), st.sampled_from(v.APPEAL_GROUP_KEYS))
# a few 文号 so that documents are issued, repealed (before or after their issue), amended and issued again
disclosure = st.tuples(
    st.sampled_from(AGENCIES),
    dates,
    st.sampled_from([*v.DECISION_ITEMS, *v.DOCUMENT_ITEMS, *v.DOCUMENT_ITEMS, *v.DOCUMENT_ITEMS, "admin_fee", "other"]),
    st.sampled_from(["d1", "d2"]),
    st.sampled_from(["issue", "repeal", "amend"]),
    st.integers(min_value=1, max_value=99_999),
)


def _frame(rows: list[dict], schema: dict) -> pl.DataFrame:
    source = {"source_file": pl.String, "source_sheet": pl.String, "source_row": pl.Int32}
    return pl.DataFrame(rows, schema=schema | source)


def ledgers(apps, cases, items) -> dict[str, pl.DataFrame]:
    src = {"source_sheet": None}
    application_rows = [
        {
            "application_id": f"P{i}",
            "agency_code": ag,
            "received_on": rec,
            "closed_on": None if span is None else rec + dt.timedelta(days=span),
            "outcome": None if span is None else outcome,
            "applicant_type": applicant,
            "correction_requested_on": None,
            "correction_received_on": None,
            "extended": i % 3 == 0,
            "third_party_days": i % 4,
            "fee_yuan": float(i % 2) * 100,
            "applicant_key": f"k{i % 5}",
            "source_file": "applications/a.csv",
            "source_row": i + 2,
            **src,
        }
        for i, (ag, rec, span, outcome, applicant) in enumerate(apps)
    ]
    case_rows = [
        {
            "case_id": f"C{i}",
            "agency_code": ag,
            "application_id": None,
            "filed_on": filed,
            "concluded_on": None if span is None else filed + dt.timedelta(days=span),
            "result": None if span is None else result,
            "proceeding": group,
            "source_file": "appeals/r.csv",
            "source_row": i + 2,
            **src,
        }
        for i, (ag, filed, span, result, group) in enumerate(cases)
    ]
    item_rows = [
        {
            "item_id": f"D{i:03d}",
            "agency_code": ag,
            "published_on": day,
            "category": category,
            "channel": "website",
            "doc_number": number if category in v.DOCUMENT_ITEMS else None,
            "doc_action": action if category in v.DOCUMENT_ITEMS else None,
            "amount_yuan": float(amount) if category == "admin_fee" else None,
            "source_file": "disclosures/d.csv",
            "source_row": i + 2,
            **src,
        }
        for i, (ag, day, category, number, action, amount) in enumerate(items)
    ]
    s, d, b, f, i64 = pl.String, pl.Date, pl.Boolean, pl.Float64, pl.Int64
    return {
        "applications": _frame(
            application_rows,
            {
                "application_id": s,
                "agency_code": s,
                "received_on": d,
                "closed_on": d,
                "outcome": s,
                "applicant_type": s,
                "correction_requested_on": d,
                "correction_received_on": d,
                "extended": b,
                "third_party_days": i64,
                "fee_yuan": f,
                "applicant_key": s,
            },
        ),
        "appeals": _frame(
            case_rows,
            {"case_id": s, "agency_code": s, "application_id": s, "filed_on": d, "concluded_on": d, "result": s, "proceeding": s},
        ),
        "disclosures": _frame(
            item_rows,
            {"item_id": s, "agency_code": s, "published_on": d, "category": s, "channel": s, "doc_number": s, "doc_action": s, "amount_yuan": f},
        ),
    }


# ------------------------------------------------------------ the rules, record by record


def application_cells(r: dict, year: int) -> set[str]:
    start, end = dt.date(year, 1, 1), dt.date(year, 12, 31)
    received, closed, col = r["received_on"], r["closed_on"], r["applicant_type"]
    rows = set()
    if start <= received <= end:
        rows.add("1")
    if received < start and (closed is None or closed >= start):
        rows.add("2")
    if closed is not None and start <= closed <= end:
        rows |= {r["outcome"], "3.7"}
    if received <= end and (closed is None or closed > end):
        rows.add("4")
    return {f"A.{row}.{c}" for row in rows for c in (col, "total")}


def case_cells(r: dict, year: int) -> set[str]:
    start, end = dt.date(year, 1, 1), dt.date(year, 12, 31)
    filed, concluded, group = r["filed_on"], r["concluded_on"], r["proceeding"]
    results = set()
    if concluded is not None and start <= concluded <= end:
        results.add(r["result"])
    if filed <= end and (concluded is None or concluded > end):
        results.add("pending")
    return {f"R.{group}.{c}" for res in results for c in (res, "total")}


def item_cells(items: list[dict], year: int) -> dict[str, set[str]]:
    """Per item_id, its table-P cells of `year`: decisions and fee items by their own date; a document (agency,
    kind, 文号) issued by its earliest 制发, repealed by its earliest 废止 on or after that day, in force on
    31 Dec when issued by then and not repealed by then — listed by the 制发 item (issued, in force) or the
    废止 item (repealed). Ties on a date go to the smaller item_id."""
    start, end = dt.date(year, 1, 1), dt.date(year, 12, 31)
    out: dict[str, set[str]] = defaultdict(set)
    docs: dict[tuple, list[dict]] = defaultdict(list)
    for r in items:
        cat = r["category"]
        if cat in v.DECISION_ITEMS and start <= r["published_on"] <= end:
            out[r["item_id"]].add(f"P.{cat}.decisions")
        if cat == "admin_fee" and start <= r["published_on"] <= end:
            out[r["item_id"]].add("P.admin_fee.amount_wan_yuan")
        if cat in v.DOCUMENT_ITEMS and r["doc_action"] in ("issue", "repeal"):
            docs[(r["agency_code"], cat, r["doc_number"])].append(r)
    for (_, cat, _), rows in docs.items():
        issues = sorted((r["published_on"], r["item_id"]) for r in rows if r["doc_action"] == "issue")
        if not issues:
            continue
        issued_on, issue_id = issues[0]
        repeals = sorted((r["published_on"], r["item_id"]) for r in rows if r["doc_action"] == "repeal" and r["published_on"] >= issued_on)
        repealed_on, repeal_id = repeals[0] if repeals else (None, None)
        if start <= issued_on <= end:
            out[issue_id].add(f"P.{cat}.issued")
        if repealed_on is not None and start <= repealed_on <= end:
            out[repeal_id].add(f"P.{cat}.repealed")
        if issued_on <= end and (repealed_on is None or repealed_on > end):
            out[issue_id].add(f"P.{cat}.in_force")
    return out


def expected(led: dict[str, pl.DataFrame]) -> dict[tuple[str, int, str], set[str]]:
    """(kind, year, record id) → cells, for every record that counts somewhere (ids are unique across agencies here)."""
    out = {}
    for year in YEARS:
        for r in led["applications"].to_dicts():
            out[("applications", year, r["application_id"])] = application_cells(r, year)
        for r in led["appeals"].to_dicts():
            out[("appeals", year, r["case_id"])] = case_cells(r, year)
        for ag in AGENCIES:
            own = [r for r in led["disclosures"].to_dicts() if r["agency_code"] == ag]
            for item_id, cells in item_cells(own, year).items():
                out[("disclosures", year, item_id)] = cells
    return {k: c for k, c in out.items() if c}


def listed(led: dict[str, pl.DataFrame]) -> dict[str, pl.DataFrame]:
    return {
        "applications": records.application_records(led["applications"], tables.application_hits(led["applications"], YEARS).collect()),
        "appeals": records.appeal_records(led["appeals"], tables.appeal_hits(led["appeals"], YEARS).collect()),
        "disclosures": records.proactive_records(led["disclosures"], tables.proactive_hits(led["disclosures"], YEARS).collect()),
    }


ID = {"applications": "application_id", "appeals": "case_id", "disclosures": "item_id"}


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(apps=st.lists(application, max_size=20), cases=st.lists(case, max_size=10), items=st.lists(disclosure, max_size=40))
def test_each_record_sits_in_exactly_the_cells_its_rules_say_and_the_cells_count_them(apps, cases, items):
    led = ledgers(apps, cases, items)
    got = listed(led)

    # 1. membership, record by record, against the rules above
    members = {(kind, year, rid): set(cells) for kind, frame in got.items() for year, rid, cells in frame.select("year", ID[kind], "cells").iter_rows()}
    assert members == expected(led)
    for frame in got.values():
        assert frame.select("agency_code", "year", frame.columns[2]).is_unique().all()  # one row per record and year

    # 2. the tables: each cell's value is its records (counted; the fee amount: summed, in 万元)
    agencies = pl.Series("agency_code", AGENCIES)
    grid = {
        "A": grids.applications(led["applications"], agencies, YEARS).select(
            "agency_code", "year", records.cell_id("A", "row_key", "column_key").alias("cell"), "value"
        ),
        "R": grids.appeals(led["appeals"], agencies, YEARS).select("agency_code", "year", records.cell_id("R", "group_key", "result").alias("cell"), "value"),
        "P": grids.proactive(led["disclosures"], agencies, YEARS).select("agency_code", "year", records.cell_id("P", "item", "metric").alias("cell"), "value"),
    }
    counted: dict[tuple, float] = defaultdict(float)
    amounts = dict(led["disclosures"].select("item_id", "amount_yuan").iter_rows())
    for kind, frame in got.items():
        for ag, year, rid, cells in frame.select("agency_code", "year", ID[kind], "cells").iter_rows():
            for c in cells:
                counted[(ag, year, c)] += amounts[rid] if c == "P.admin_fee.amount_wan_yuan" else 1
    for table, frame in grid.items():
        for ag, year, cell, value in frame.iter_rows():
            n = counted.get((ag, year, cell), 0)
            if cell == "P.admin_fee.amount_wan_yuan":
                assert abs(value - round(n / 10_000, 4)) < 1e-9, (ag, year, cell)
            else:
                assert value == n, (table, ag, year, cell)
    assert set(counted) <= {(ag, y, c) for f in grid.values() for ag, y, c, _ in f.iter_rows()}  # no record in a cell outside the grid


def test_a_repeal_dated_before_the_first_issue_repeals_nothing():
    # d1 repealed on 1 Mar 2021 (D000), issued on 1 Jun 2021 (D001): issued and in force in 2021, never repealed
    items = [("A1", dt.date(2021, 3, 1), "normative_document", "d1", "repeal", 1), ("A1", dt.date(2021, 6, 1), "normative_document", "d1", "issue", 1)]
    led = ledgers([], [], items)
    got = listed(led)["disclosures"]
    assert got.filter(pl.col("year") == 2021).select("item_id", "cells").rows() == [("D001", ["P.normative_document.in_force", "P.normative_document.issued"])]
    p = grids.proactive(led["disclosures"], pl.Series("agency_code", ["A1"]), [2021])
    assert dict(p.filter(pl.col("item") == "normative_document").select("metric", "value").iter_rows()) == {"issued": 1, "repealed": 0, "in_force": 1}


def test_a_document_is_listed_by_its_first_issue_and_its_first_repeal_after_it():
    # d1: 制发 D000 on 1 Jun 2021 and again D001 on 1 Feb 2021 (earlier: the issue); 废止 D002 on 1 Dec 2022
    # and D003 on 1 Sep 2022 (earlier: the repeal). Rows out of date order on purpose.
    items = [
        ("A1", dt.date(2021, 6, 1), "regulation", "d1", "issue", 1),
        ("A1", dt.date(2021, 2, 1), "regulation", "d1", "issue", 1),
        ("A1", dt.date(2022, 12, 1), "regulation", "d1", "repeal", 1),
        ("A1", dt.date(2022, 9, 1), "regulation", "d1", "repeal", 1),
    ]
    got = listed(ledgers([], [], items))["disclosures"]
    assert got.select("year", "item_id", "cells").rows() == [
        (2021, "D001", ["P.regulation.in_force", "P.regulation.issued"]),  # issued 1 Feb 2021, in force on 31 Dec 2021
        (2022, "D003", ["P.regulation.repealed"]),  # repealed 1 Sep 2022: not in force on 31 Dec 2022
    ]
