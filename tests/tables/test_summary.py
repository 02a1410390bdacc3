"""The statutory tables' metadata preview: the headline figures of the agencies shown, read for those alone."""

import polars as pl

from pipelines.defs.preview import markdown_table
from pipelines.defs.tables.assets import summary

CODES = ["A1", "B2", "C3"]


def _facts() -> dict[str, pl.DataFrame | pl.LazyFrame]:
    # per agency: row 1 (received) = 10, 20, 30 and row 4 (carried out) = 1, 2, 3 in the total column, plus a
    # natural-person cell that must not count; channel items 7, 8, 9 in two rows each; B2 fails one check
    app = pl.DataFrame(
        {
            "agency_code": [c for c in CODES for _ in range(3)],
            "row_key": ["1", "4", "1"] * 3,
            "column_key": ["total", "total", "natural_person"] * 3,
            "value": [10, 1, 99, 20, 2, 99, 30, 3, 99],
        }
    )
    channel = pl.DataFrame({"agency_code": [c for c in CODES for _ in range(2)], "value": [3, 4, 4, 4, 4, 5]})
    checks = pl.DataFrame({"agency_code": ["A1", "B2", "B2", "C3"], "status": ["pass", "fail", "pass", "pass"]})
    agency_year = pl.DataFrame({"agency_code": CODES, "complete": [True, False, True], "quarantined_rows": [0, 4, 0]})
    return {"fact_application": app.lazy(), "fact_channel": channel.lazy(), "check_result": checks, "agency_year": agency_year}


def test_summary_gives_the_figures_of_the_agencies_shown():
    agencies = pl.DataFrame({"agency_code": CODES, "agency_name": ["甲", "乙", "丙"]})
    got = summary(_facts(), agencies.filter(pl.col("agency_code") == "B2"))
    assert got.select("agency_code", "items", "received", "carried_out", "complete", "quarantined_rows", "checks_failed").rows() == [
        ("B2", 8, 20, 2, False, 4, 1)
    ]
    whole = summary(_facts(), agencies)
    assert whole.get_column("items").to_list() == [7, 8, 9] and whole.get_column("received").to_list() == [10, 20, 30]


def test_preview_counts_the_rows_not_shown():
    frame = pl.DataFrame({"a": [1, 2]})
    assert markdown_table(frame, limit=2, total=5).endswith("\n… 3 more")
    assert "more" not in markdown_table(frame, limit=2, total=2)
    assert markdown_table(frame, limit=1).endswith("\n… 1 more")  # without a total: the frame's own rows
