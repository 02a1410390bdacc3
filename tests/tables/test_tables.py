"""Tables P, A, R, channels, fees and completeness of a hand-made raw root, worked out by hand.

The ledgers are written as CSV files by tests/support/ledger_fixtures.py; they go through
the real `ingest` (readers, normalizers, Pandera, later-export replacement) and
`compute_year` for 2021, 2022 and 2023 (each year with the previous one, so A4 and
P1 are checked too). Every non-zero cell of agency A is listed below with the
records behind it; everything not listed must be zero.
"""

import datetime as dt

import polars as pl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import tests.support.ledger_fixtures as F
from pipelines.defs.tables import frames, relations, tables
from pipelines.defs.tables.compute import compute_year
from schemas import vocabulary as v
from tests.support import tables as grids

YEARS = (2021, 2022, 2023)


@pytest.fixture(scope="module")
def ingested(tmp_path_factory):
    root = F.write_hand_worked(tmp_path_factory.mktemp("hand") / "raw")
    return F.ingest_root(root)


@pytest.fixture(scope="module")
def facts(ingested):
    out, previous = {}, None
    for year in YEARS:
        out[year] = compute_year(ingested.records, ingested.quarantine, year, previous=previous)
        previous = out[year]
    return out


def nonzero(frame: pl.DataFrame, agency: str, keys: tuple[str, str]) -> dict[tuple[str, str], float]:
    rows = frame.filter((pl.col("agency_code") == agency) & (pl.col("value") != 0))
    return {(a, b): val for a, b, val in rows.select(*keys, "value").iter_rows()}


def cell(frame: pl.DataFrame, agency: str, keys: tuple[str, str], a: str, b: str):
    rows = frame.filter((pl.col("agency_code") == agency) & (pl.col(keys[0]) == a) & (pl.col(keys[1]) == b))
    assert rows.height == 1, f"{agency} {a} {b}: {rows.height} rows"
    return rows.item(0, "value")


APP = ("row_key", "column_key")
APL = ("group_key", "result")
PRO = ("item", "metric")


def with_totals(cells: dict[tuple[str, str], int]) -> dict[tuple[str, str], int]:
    """Add the derived `total` column (A3) and row 3.7 (A2) to hand-listed applicant cells."""
    out = dict(cells)
    for (row, col), n in cells.items():
        if row in v.OUTCOME_KEYS:
            out[("3.7", col)] = out.get(("3.7", col), 0) + n
    for (row, col), n in list(out.items()):
        if col != "total":
            out[(row, "total")] = out.get((row, "total"), 0) + n
    return out


# --------------------------------------------------------------- ingestion


def test_the_fixture_ingests_cleanly_and_the_later_export_wins(ingested):
    assert ingested.quarantine.is_empty()
    files = ingested.files
    assert (files["rows"] == files["accepted"] + files["quarantined"]).all()
    apps = ingested.records["applications"]
    # A22-03 is in two files; only one version survives: the later export (by mtime, though its name sorts first).
    a2203 = apps.filter(pl.col("application_id") == "A22-03")
    assert a2203.height == 1
    assert a2203.item(0, "source_file") == "applications/a_reexport_2022.csv"
    assert str(a2203.item(0, "closed_on")) == "2022-12-15" and a2203.item(0, "outcome") == "3.3.4"
    assert apps.height == 12  # 4 (2021) + 6 (first 2022 export) + 2 new in 2023; re-exports replace A22-03 and A22-05
    # personal data never leaves ingestion
    assert not {"applicant_name", "applicant_id_number"} & set(apps.columns)


# ----------------------------------------------------------------- table A


def test_table_a_2021(facts):
    a = facts[2021]["fact_application"]
    expected = with_totals(
        {
            # row 1, received in 2021: A21-01 (自然人), A21-02 (商业企业, received 20 Dec), A21-03 (科研机构), A21-04 (社会公益组织)
            ("1", "natural_person"): 1,
            ("1", "commercial"): 1,
            ("1", "research"): 1,
            ("1", "social_welfare"): 1,
            # closed in 2021: A21-01 予以公开 → 3.1
            ("3.1", "natural_person"): 1,
            # A21-03 "信息不存在" and A21-04 "非本机关政府信息" are pre-2019 labels of 3.4.1
            ("3.4.1", "research"): 1,
            ("3.4.1", "social_welfare"): 1,
            # row 4: A21-02 received 2021-12-20, closed 2022-01-10 — open on 31 Dec 2021
            ("4", "commercial"): 1,
        }
    )
    assert expected[("1", "total")] == 4 and expected[("3.7", "total")] == 3 and expected[("4", "total")] == 1
    assert nonzero(a, F.A, APP) == expected
    # every agency has all 25 × 7 cells, zeros stored
    assert a.filter(pl.col("agency_code") == F.A).height == 175
    assert a.height == 3 * 175
    assert cell(a, F.A, APP, "2", "total") == 0  # nothing received before 2021
    assert cell(a, F.A, APP, "3.2", "commercial") == 0  # A21-02 closes in 2022, not here


def test_table_a_2022(facts):
    a = facts[2022]["fact_application"]
    expected = with_totals(
        {
            # row 1: A22-01 (法律服务机构, received 1 Jan), A22-02 (其他 → other_org),
            # A22-03, A22-04 and A22-05 (自然人; A22-05 received on 31 Dec)
            ("1", "legal_service"): 1,
            ("1", "other_org"): 1,
            ("1", "natural_person"): 3,
            # row 2: A21-02 received 2021-12-20, not closed before 1 Jan 2022
            ("2", "commercial"): 1,
            # closed in 2022: A21-02 部分公开 → 3.2 (10 Jan); A22-01 同意公开 (pre-2019) → 3.1;
            # A22-02 重复申请 → 3.5.2; A22-03 保护第三方合法权益 → 3.3.4 (the re-export closed it 15 Dec)
            ("3.2", "commercial"): 1,
            ("3.1", "legal_service"): 1,
            ("3.5.2", "other_org"): 1,
            ("3.3.4", "natural_person"): 1,
            # row 4: A22-04 (received 2022-06-01, never closed) and A22-05 (received 31 Dec, closed
            # 1 Jan 2023). Had the first export won, A22-03 would be here too and 3.3.4 would be 0.
            ("4", "natural_person"): 2,
        }
    )
    assert expected[("1", "total")] == 5 and expected[("2", "total")] == 1
    assert expected[("3.7", "total")] == 4 and expected[("4", "total")] == 2
    assert nonzero(a, F.A, APP) == expected
    # B: B-01 received and closed (予以公开) in 2022
    assert nonzero(a, F.B, APP) == with_totals({("1", "natural_person"): 1, ("3.1", "natural_person"): 1})
    assert cell(a, F.A, APP, "3.3.3", "total") == 0


def test_table_a_2023(facts):
    a = facts[2023]["fact_application"]
    expected = with_totals(
        {
            # row 1: A23-01 (商业企业, received 1 Dec, still open), A23-02 (科研机构)
            ("1", "commercial"): 1,
            ("1", "research"): 1,
            # row 2: A22-04 (open since 2022-06-01) and A22-05 (received 31 Dec 2022)
            ("2", "natural_person"): 2,
            # A23-02 逾期未缴费 → 3.6.2; A22-05 涉及国家秘密 on 1 Jan (the 2023 export re-lists it closed) → 3.3.1
            ("3.6.2", "research"): 1,
            ("3.3.1", "natural_person"): 1,
            # row 4 at 31 Dec 2023: A22-04 (open since 2022) and A23-01
            ("4", "natural_person"): 1,
            ("4", "commercial"): 1,
        }
    )
    assert expected[("2", "total")] == 2 and expected[("4", "total")] == 2 and expected[("3.7", "total")] == 2
    assert nonzero(a, F.A, APP) == expected


def test_carried_over_rows_match_across_years(facts):
    # A4 by hand: row 4 of Y−1 = row 2 of Y, per column (1 commercial into 2022, 2 natural persons into 2023)
    for year in (2022, 2023):
        before = nonzero(facts[year - 1]["fact_application"], F.A, APP)
        now = nonzero(facts[year]["fact_application"], F.A, APP)
        assert {c: n for (r, c), n in before.items() if r == "4"} == {c: n for (r, c), n in now.items() if r == "2"}


# ----------------------------------------------------------------- table P


def test_table_p(facts):
    p = {y: facts[y]["fact_proactive"] for y in YEARS}
    assert nonzero(p[2021], F.A, PRO) == {
        # D01, D02 制发 鄌政发〔2021〕1号/2号; both in force on 31 Dec 2021
        ("normative_document", "issued"): 2,
        ("normative_document", "in_force"): 2,
        # D05 a 规章 issued 2021-08-01
        ("regulation", "issued"): 1,
        ("regulation", "in_force"): 1,
        # D06, D07 行政许可 (one written 20210902)
        ("license", "decisions"): 2,
    }
    assert nonzero(p[2022], F.A, PRO) == {
        # D03 废止 〔2021〕1号 on 31 Dec 2022 (repealed on or before 31 Dec: no longer in force);
        # D04 修改 〔2021〕2号 counts nowhere → in force: 〔2021〕2号 only
        ("normative_document", "repealed"): 1,
        ("normative_document", "in_force"): 1,
        ("regulation", "in_force"): 1,  # still in force, nothing issued this year
        ("penalty", "decisions"): 1,  # D08
        ("enforcement", "decisions"): 1,  # D09
        # D10 "12,345" 元 + D11 6000 元 = 18,345 元 = 1.8345 万元
        ("admin_fee", "amount_wan_yuan"): pytest.approx(1.8345, abs=1e-9),
    }
    assert nonzero(p[2023], F.A, PRO) == {
        # D13 制发 鄌政发〔2023〕1号 → in force: 〔2021〕2号 and 〔2023〕1号
        ("normative_document", "issued"): 1,
        ("normative_document", "in_force"): 2,
        ("regulation", "in_force"): 1,
    }
    for y in YEARS:
        assert p[y].filter(pl.col("agency_code") == F.A).height == len(v.PROACTIVE_CELLS) == 10
        assert nonzero(p[y], F.B, PRO) == {}  # B's only disclosure is 其他
    assert cell(p[2022], F.A, PRO, "normative_document", "issued") == 0  # the amendment D04 is no issue


def test_channels(facts):
    ch = {y: facts[y]["fact_channel"] for y in YEARS}
    key = ("channel", "year")  # nonzero() wants two key columns
    # 2021: portal D01 D06 D07; website D02; gazette D05; wechat D12 (其他 items count too) — 6 items
    assert {c: n for (c, _), n in nonzero(ch[2021], F.A, key).items()} == {"portal_column": 3, "website": 1, "gazette": 1, "wechat": 1}
    # 2022: portal D03 D10 D11; wechat D04 (the amendment is still a published item) D08; weibo D09 — 6 items
    assert {c: n for (c, _), n in nonzero(ch[2022], F.A, key).items()} == {"portal_column": 3, "wechat": 2, "weibo": 1}
    assert {c: n for (c, _), n in nonzero(ch[2022], F.B, key).items()} == {"website": 1}
    # 2023: D13 其他
    assert {c: n for (c, _), n in nonzero(ch[2023], F.A, key).items()} == {"other": 1}
    assert ch[2022].filter(pl.col("agency_code") == F.A).height == len(v.CHANNEL_KEYS)


# ----------------------------------------------------------------- table R


def test_table_r(facts):
    r = {y: facts[y]["fact_appeal"] for y in YEARS}

    def expect(cells):
        out = dict(cells)
        for (g, _), n in cells.items():
            out[(g, "total")] = out.get((g, "total"), 0) + n
        return out

    # R1 复议 2021-06-01 → 2021-08-01 维持; R2 复议 filed 2021-11-01, concluded 2022-02-01 纠正;
    # R3 直接起诉 2022-03-01 → 2022-09-01 其他; R4 复议后起诉 filed 2022-12-31, open;
    # R5 直接起诉 filed 2021-12-01, concluded 2023-03-01 维持; R6 复议后起诉 2023-01-01 → 2023-05-01 纠正
    assert nonzero(r[2021], F.A, APL) == expect({("review", "upheld"): 1, ("review", "pending"): 1, ("litigation_direct", "pending"): 1})
    assert nonzero(r[2022], F.A, APL) == expect(
        {
            ("review", "corrected"): 1,
            ("litigation_direct", "other"): 1,
            ("litigation_direct", "pending"): 1,  # R5
            ("litigation_after_review", "pending"): 1,  # R4
        }
    )
    assert nonzero(r[2023], F.A, APL) == expect(
        {("litigation_direct", "upheld"): 1, ("litigation_after_review", "corrected"): 1, ("litigation_after_review", "pending"): 1}
    )
    assert cell(r[2022], F.A, APL, "litigation_direct", "total") == 2
    assert cell(r[2023], F.A, APL, "review", "total") == 0
    for y in YEARS:
        assert r[y].filter(pl.col("agency_code") == F.A).height == 15


# ------------------------------------------------- fees, completeness, checks


def test_fees_by_closing_year(facts):
    fees = {y: dict(facts[y]["agency_year"].select("agency_code", "fees_yuan").iter_rows()) for y in YEARS}
    # 2021: A21-01 30 元. 2022: A21-02 50 (received 2021, closed 2022) + A22-01 100 + A22-02 200 = 350. 2023: none.
    assert fees[2021] == {F.A: 30.0, F.B: 0.0, F.C: 0.0}
    assert fees[2022] == {F.A: 350.0, F.B: 0.0, F.C: 0.0}
    assert fees[2023] == {F.A: 0.0, F.B: 0.0, F.C: 0.0}


def test_agency_without_records_is_all_zeros_and_complete(facts):
    for y in YEARS:
        f = facts[y]
        for name, n in (("fact_application", 175), ("fact_appeal", 15), ("fact_proactive", 10), ("fact_channel", 9)):
            rows = f[name].filter(pl.col("agency_code") == F.C)
            assert rows.height == n, name
            assert (rows["value"] == 0).all(), name
        ay = f["agency_year"].filter(pl.col("agency_code") == F.C).row(0, named=True)
        assert ay == {"agency_code": F.C, "year": y, "complete": True, "quarantined_rows": 0, "fees_yuan": 0.0}


def test_every_check_passes_and_a4_p1_apply_from_the_second_year(facts):
    for y in YEARS:
        checks = facts[y]["check_result"]
        assert set(checks["status"]) == {"pass"}, checks.filter(pl.col("status") != "pass").to_dicts()
        ids = checks.filter(pl.col("agency_code") == F.A)["check_id"].to_list()
        # 2021 has no computed 2020 to compare with
        assert ids == (["A1", "A2", "A3", "R1", "N1"] if y == 2021 else ["A1", "A2", "A3", "A4", "R1", "P1", "N1"])
        assert facts[y]["check_result"].schema == pl.Schema(frames.CHECK_RESULT)


def test_a4_fails_when_the_previous_year_disagrees(ingested, facts):
    # Feed 2022 a "previous" year whose row 4 is one too high: A4 must fail for A's natural_person and total.
    prev = facts[2021]["fact_application"].with_columns(
        pl.when((pl.col("agency_code") == F.A) & (pl.col("row_key") == "4") & pl.col("column_key").is_in(["natural_person", "total"]))
        .then(pl.col("value") + 1)
        .otherwise(pl.col("value"))
        .alias("value")
    )
    out = compute_year(ingested.records, ingested.quarantine, 2022, previous={"fact_application": prev, "fact_proactive": facts[2021]["fact_proactive"]})
    bad = out["check_result"].filter(pl.col("status") != "pass")
    assert bad.select("agency_code", "check_id", "status").rows() == [(F.A, "A4", "fail")]


# ------------------------------------------------------------ completeness


@pytest.fixture(scope="module")
def quarantined(tmp_path_factory):
    root = F.write_hand_worked(tmp_path_factory.mktemp("bad") / "raw")
    F.add_quarantined_rows(root)
    return root


def test_quarantined_rows_mark_exactly_the_right_agency_years(quarantined):
    ing = F.ingest_root(quarantined)
    assert sorted(ing.quarantine.select("record_id", "rule").rows()) == [
        ("B-02", "closed_before_received"),
        ("C01", "date_invalid"),
        ("R8", "agency_unknown"),
    ]
    agencies = ing.records["agencies"]["agency_code"]
    q = tables.quarantined_per_agency_year(ing.quarantine, ing.records, agencies, [2021, 2022, 2023, 2024])
    got = {(a, y): n for a, y, n in q.iter_rows()}
    assert got == {
        # A: R8 names an unknown agency; its file appeals/cases_2023.csv holds A's R7, so it is A's — in 2023 only
        (F.A, 2021): 0,
        (F.A, 2022): 0,
        (F.A, 2023): 1,
        (F.A, 2024): 0,
        # B: B-02 received 2022-05-01, "closed" 2022-04-01 — both dates in 2022: only 2022
        (F.B, 2021): 0,
        (F.B, 2022): 1,
        (F.B, 2023): 0,
        (F.B, 2024): 0,
        # C: published_on "2022-13-45" cannot be read, so the row could belong to any year
        (F.C, 2021): 1,
        (F.C, 2022): 1,
        (F.C, 2023): 1,
        (F.C, 2024): 1,
    }
    # through compute_year: the same flags, and the good rows still counted
    facts = compute_year(ing.records, ing.quarantine, 2022)
    complete = dict(facts["agency_year"].select("agency_code", "complete").iter_rows())
    assert complete == {F.A: True, F.B: False, F.C: False}
    a = facts["fact_application"]
    assert cell(a, F.B, APP, "1", "total") == 1  # B-01 only; B-02 is in quarantine


def test_open_quarantined_application_and_invalid_code(tmp_path, quarantined):
    import shutil

    root = tmp_path / "raw"
    shutil.copytree(quarantined, root)
    # copytree keeps modification times (copy2), so the export order is unchanged
    F.write_csv(
        root / "applications" / "mixed_2021.csv",
        F.APPLICATION_HEADER,
        [
            # accepted: makes this a file of A's
            ["A21-09", F.A, "2021-01-05", "自然人", None, None, "2021-01-06", "予以公开", None],
            # invalid code (bad check character), received 2021, closed 2021 → A's, 2021 only
            ["X-1", F.INVALID, "2021-02-01", "自然人", None, None, "2021-02-02", "予以公开", None],
            # B's, open (no closed_on) but with an applicant type nobody knows: from 2021 on, every year
            ["B-09", F.B, "2021-06-01", "外星人", None, None, None, None, None],
        ],
        mtime=F.T0 + 100,
    )
    ing = F.ingest_root(root)
    rules = dict(ing.quarantine.select("record_id", "rule").iter_rows())
    assert rules["X-1"] == "agency_code_invalid" and rules["B-09"] == "value_invalid"
    q = tables.quarantined_per_agency_year(ing.quarantine, ing.records, ing.records["agencies"]["agency_code"], [2020, 2021, 2022, 2023])
    got = {(a, y): n for a, y, n in q.iter_rows()}
    assert [got[(F.A, y)] for y in (2020, 2021, 2022, 2023)] == [0, 1, 0, 1]  # X-1 in 2021, R8 in 2023
    assert [got[(F.B, y)] for y in (2020, 2021, 2022, 2023)] == [0, 1, 2, 1]  # B-09 from 2021 on; B-02 in 2022
    assert [got[(F.C, y)] for y in (2020, 2021, 2022, 2023)] == [1, 1, 1, 1]


# ------------------------------------------------------------ property test


PROP_AGENCIES = (F.A, F.B, F.C)
PROP_YEARS = [2019, 2020, 2021, 2022, 2023, 2024]
FIRST, LAST = dt.date(2019, 1, 1), dt.date(2024, 12, 31)

dates = st.dates(min_value=FIRST, max_value=LAST)
# open, or closed 0 … 800 days after receipt (so closings fall in later years too, even after 2024)
spans = st.one_of(st.none(), st.integers(min_value=0, max_value=800))

application = st.tuples(st.sampled_from(PROP_AGENCIES), dates, spans, st.sampled_from(v.OUTCOME_KEYS), st.sampled_from(v.APPLICANT_KEYS))
case = st.tuples(st.sampled_from(PROP_AGENCIES), dates, spans, st.sampled_from(v.CONCLUDED_RESULT_KEYS), st.sampled_from(v.APPEAL_GROUP_KEYS))


def app_frame(items) -> pl.DataFrame:
    rows = [
        {
            "agency_code": ag,
            "application_id": f"P{i}",
            "received_on": rec,
            "closed_on": None if span is None else rec + dt.timedelta(days=span),
            "outcome": None if span is None else outcome,
            "applicant_type": applicant,
        }
        for i, (ag, rec, span, outcome, applicant) in enumerate(items)
    ]
    schema = {
        "agency_code": pl.String,
        "application_id": pl.String,
        "received_on": pl.Date,
        "closed_on": pl.Date,
        "outcome": pl.String,
        "applicant_type": pl.String,
    }
    return pl.DataFrame(rows, schema=schema)


def case_frame(items) -> pl.DataFrame:
    rows = [
        {
            "agency_code": ag,
            "case_id": f"C{i}",
            "filed_on": filed,
            "concluded_on": None if span is None else filed + dt.timedelta(days=span),
            "result": None if span is None else result,
            "proceeding": group,
        }
        for i, (ag, filed, span, result, group) in enumerate(items)
    ]
    schema = {"agency_code": pl.String, "case_id": pl.String, "filed_on": pl.Date, "concluded_on": pl.Date, "result": pl.String, "proceeding": pl.String}
    return pl.DataFrame(rows, schema=schema)


@settings(max_examples=50, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(apps=st.lists(application, max_size=25), cases=st.lists(case, max_size=12))
def test_random_valid_ledgers_satisfy_every_relation(apps, cases):
    agencies = pl.Series("agency_code", PROP_AGENCIES)
    a = grids.applications(app_frame(apps), agencies, PROP_YEARS)
    r = grids.appeals(case_frame(cases), agencies, PROP_YEARS)
    assert a.height == len(PROP_AGENCIES) * len(PROP_YEARS) * 175
    assert r.height == len(PROP_AGENCIES) * len(PROP_YEARS) * 15

    # A1, A2, A3, A4 (Y−1 from the same frames), R1, N1 through the relations module …
    assert relations.violations(a, r, None).is_empty()
    applied = relations.check_results(a, r, None)
    a4 = applied.filter(pl.col("check_id") == "A4")
    assert a4.height == len(PROP_AGENCIES) * (len(PROP_YEARS) - 1)  # every year but the first has a Y−1
    assert set(applied["status"]) == {"pass"}

    # … and directly, so the test does not lean on the code it would be checking with.
    cells = {(ag, y, rk, ck): val for ag, y, rk, ck, val in a.iter_rows()}
    for ag in PROP_AGENCIES:
        for y in PROP_YEARS:
            for ck in v.APPLICATION_COLUMN_KEYS:

                def c(rk: str, ag=ag, y=y, ck=ck) -> int:
                    return cells[(ag, y, rk, ck)]

                assert c("1") + c("2") == c("3.7") + c("4")  # A1
                assert c("3.7") == sum(c(k) for k in v.OUTCOME_KEYS)  # A2
                if y > PROP_YEARS[0]:
                    assert c("2") == cells[(ag, y - 1, "4", ck)]  # A4
            for rk in v.APPLICATION_ROW_KEYS:
                assert cells[(ag, y, rk, "total")] == sum(cells[(ag, y, rk, k)] for k in v.APPLICANT_KEYS)  # A3
    rc = {(ag, y, g, res): val for ag, y, g, res, val in r.iter_rows()}
    for ag in PROP_AGENCIES:
        for y in PROP_YEARS:
            for g in v.APPEAL_GROUP_KEYS:
                assert rc[(ag, y, g, "total")] == sum(rc[(ag, y, g, k)] for k in ("upheld", "corrected", "other", "pending"))  # R1

    # conservation: every application received in the window is counted once in some row 1,
    # every one closed in the window once in some row 3.7
    received = sum(val for (ag, y, rk, ck), val in cells.items() if rk == "1" and ck == "total")
    closed_in_window = sum(1 for _, rec, span, _, _ in apps if span is not None and rec + dt.timedelta(days=span) <= LAST)
    assert received == len(apps)
    assert sum(val for (ag, y, rk, ck), val in cells.items() if rk == "3.7" and ck == "total") == closed_in_window
    open_at_end = sum(1 for _, rec, span, _, _ in apps if span is None or rec + dt.timedelta(days=span) > LAST)
    assert sum(val for (ag, y, rk, ck), val in cells.items() if rk == "4" and ck == "total" and y == 2024) == open_at_end


def test_a_fee_total_of_half_a_yuan_rounds_up_whatever_the_order_of_its_records():
    """29 fees summing to 83,742.50 元 exactly; summed as doubles (Polars, in this order) they give 83742.49999999999,
    which rounded half up in 万元 (4 decimals = whole 元) would be 8.3742. Summed in fen the cell is 8.3743 万元."""
    fees = [4634.12, 550.97, 4643.33, 4120.1, 2311.25, 663.34, 730.61, 2598.14, 3400.26, 4879.34, 4779.03, 842.81, 1286.23, 4842.6, 3067.8]
    fees += [2653.38, 1518.25, 2261.42, 4651.88, 790.02, 4765.22, 3605.33, 4686.72, 1569.51, 2527.77, 4756.38, 3248.04, 1522.53, 1836.12]
    assert pl.Series(fees).sum() < 83742.5  # the trap is real
    for order in (fees, fees[::-1]):
        ledger = pl.DataFrame(
            {
                "item_id": [f"F{i}" for i in range(len(order))],
                "agency_code": [F.A] * len(order),
                "published_on": [dt.date(2022, 3, 1)] * len(order),
                "category": ["admin_fee"] * len(order),
                "doc_number": [None] * len(order),
                "doc_action": [None] * len(order),
                "amount_yuan": order,
            },
            schema_overrides={"doc_number": pl.String, "doc_action": pl.String},
        )
        cells = tables.proactive_counts(ledger, [2022]).filter(pl.col("metric") == "amount_wan_yuan")
        assert cells.get_column("value").to_list() == [8.3743]
