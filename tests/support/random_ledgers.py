"""Random valid ledgers for property tests of the record-level facts (tests/tables/test_records.py,
tests/warehouse/test_explain.py): applications, cases and published items of two agencies, 2019–2023, with the
days on which the counting rules' < or <= matters drawn often. Validated frames, as ingestion leaves them."""

import datetime as dt

import polars as pl
from hypothesis import strategies as st

from schemas import vocabulary as v

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
