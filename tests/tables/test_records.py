"""Record-level facts (tables/records.py) on random ledgers, against the counting rules of
docs/national-format.md written out once more here, record by record, in plain Python.

For every agency-year and cell: the records listing the cell are exactly those the rules put there, and
their number is the cell of the table (the sum of their amounts, for the fee amount of table P).
"""

import datetime as dt
from collections import defaultdict
from decimal import ROUND_HALF_UP, Decimal

import polars as pl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pipelines.defs.tables import records, tables
from schemas import vocabulary as v
from tests.support import tables as grids
from tests.support.random_ledgers import AGENCIES, YEARS, application, case, disclosure, ledgers

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
    counted: dict[tuple, Decimal] = defaultdict(Decimal)  # exact: the cell is the fen-exact sum, rounded half up
    amounts = dict(led["disclosures"].select("item_id", "amount_yuan").iter_rows())
    for kind, frame in got.items():
        for ag, year, rid, cells in frame.select("agency_code", "year", ID[kind], "cells").iter_rows():
            for c in cells:
                counted[(ag, year, c)] += Decimal(str(amounts[rid])) if c == "P.admin_fee.amount_wan_yuan" else 1
    for table, frame in grid.items():
        for ag, year, cell, value in frame.iter_rows():
            n = counted.get((ag, year, cell), 0)
            if cell == "P.admin_fee.amount_wan_yuan":
                assert abs(value - float((Decimal(n) / 10_000).quantize(Decimal("0.0001"), rounding=ROUND_HALF_UP))) < 1e-9, (ag, year, cell)
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


def test_records_listed_from_another_frame_than_the_hits_are_refused():
    # hits name records by their position in the ledger: given the ledger in another order, the agencies no longer match
    items = [("A1", dt.date(2021, 3, 1), "license", "d1", "issue", 1), ("A2", dt.date(2021, 6, 1), "penalty", "d1", "issue", 1)]
    led = ledgers([], [], items)["disclosures"]
    hits = tables.proactive_hits(led, YEARS).collect()
    assert records.proactive_records(led, hits).select("item_id", "cells").rows() == [("D000", ["P.license.decisions"]), ("D001", ["P.penalty.decisions"])]
    with pytest.raises(RuntimeError, match="do not match"):
        records.proactive_records(led.reverse(), hits)


def test_a_listing_is_sliced_by_agency_position_and_its_strings_come_back_as_they_were():
    # A1 has D000 (license) and D002 (penalty), A2 has D001 (license): by agency, then ledger order —
    # A1's rows D000, D002, A2's D001; a piece of the index holding A1 alone lists D000 and D002 only
    items = [("A1", dt.date(2021, 3, 1), "license", "d1", "issue", 1), ("A2", dt.date(2021, 6, 1), "license", "d1", "issue", 1)]
    items.append(("A1", dt.date(2021, 9, 1), "penalty", "d1", "issue", 1))
    led = ledgers([], [], items)["disclosures"]
    kind = records.KINDS["disclosures"]
    hits = tables.proactive_hits(led, YEARS).collect()
    index = tables.agency_index(pl.Series(["A2", "A1", "A3"]))  # A3: no records
    listing = records.listing(kind, records.per_record(kind, hits, index), led)
    assert listing.piece(index).select("agency_code", "item_id", "cells").rows() == [
        ("A1", "D000", ["P.license.decisions"]),
        ("A1", "D002", ["P.penalty.decisions"]),
        ("A2", "D001", ["P.license.decisions"]),
    ]
    assert listing.piece(index.slice(0, 1)).get_column("item_id").to_list() == ["D000", "D002"]
    assert listing.piece(index.slice(1, 1)).get_column("item_id").to_list() == ["D001"]
    assert listing.piece(index.slice(2, 1)).height == 0
    # the record's own columns, held as categoricals or copied meanwhile, come back as the ledger has them
    got, want = listing.piece(index), led.filter(pl.col("item_id") != "").sort("agency_code", "item_id")
    for column in ("item_id", "category", "published_on", "doc_number", "doc_action", "amount_yuan", "source_file", "source_sheet", "source_row"):
        assert got.get_column(column).to_list() == want.get_column(column).to_list(), column


def test_a_hit_in_no_cell_of_its_table_is_refused():
    items = [("A1", dt.date(2021, 3, 1), "license", "d1", "issue", 1)]
    led = ledgers([], [], items)["disclosures"]
    hits = tables.proactive_hits(led, YEARS).collect().with_columns(pl.lit("nonsense").alias("metric"))
    kind = records.KINDS["disclosures"]
    with pytest.raises(RuntimeError, match="no cell of table P"):
        records.per_record(kind, hits, tables.agency_index(pl.Series(["A1"])))


def test_the_agency_check_compares_every_record_not_only_the_first_of_each_agency():
    # positions in the index (A1, A2, A3): records 0–2 counted for A1, 3 for A3
    index = tables.agency_index(pl.Series(["A1", "A2", "A3"]))
    position = pl.Series([0, 0, 0, 2], dtype=pl.UInt32)

    def same(codes: list[str]) -> bool:
        return records._same_agencies(position, pl.Series(codes, dtype=pl.Categorical), index)

    assert same(["A1", "A1", "A1", "A3"])
    assert not same(["A1", "A2", "A1", "A3"])  # one record of A2 among A1's: only a whole comparison sees it
    assert not same(["A1", "A1", "A2", "A3"])  # the last of a run
    assert not same(["A2", "A2", "A2", "A3"])  # a whole run of another agency
    assert not same(["A1", "A1", "A1", "A2"])
