"""Fees against the by-count rule of 国办函〔2020〕109号: per applicant, agency and month, the first 10 free,
the 11th–30th 100 元 each, then each further block of 10 costs 100 元 more per application."""

import datetime as dt
import json

import polars as pl
import pytest
from typer.testing import CliRunner

from pipelines.cli import main
from pipelines.defs import findings as F
from pipelines.defs.compliance.fees import by_count_cap, excess_rows, fee_excess
from pipelines.defs.warehouse import warehouse as wh
from pipelines.errors import GongkaiError

D = dt.date


@pytest.mark.parametrize(
    ("n", "cap"),
    [
        (0, 0),
        (10, 0),  # the first 10 are free
        (11, 100),
        (30, 2000),  # 20 × 100
        (31, 2200),  # 20 × 100 + 1 × 200
        (35, 3000),  # the rule's own example: 20 × 100 + 5 × 200
        (40, 4000),  # 20 × 100 + 10 × 200
        (41, 4300),  # … + 1 × 300
        (50, 7000),  # 20 × 100 + 10 × 200 + 10 × 300
        (51, 7400),  # … + 1 × 400
    ],
)
def test_the_by_count_cap(n, cap):
    assert pl.select(by_count_cap(pl.lit(n))).item() == cap


def _apps() -> pl.DataFrame:
    rows = []
    # k1 at X in March 2024: 12 applications, two charged (150 + 100 = 250 元); 12 allow 2 × 100 = 200: over
    for i in range(12):
        rows.append(("X", f"X-03-{i:02d}", D(2024, 3, 1 + i), "k1", {3: 150.0, 7: 100.0}.get(i)))
    # k2 at X in March 2024: 12 applications, 200 元 in all: exactly the cap, no finding
    for i in range(12):
        rows.append(("X", f"X-K2-{i:02d}", D(2024, 3, 5 + i), "k2", 100.0 if i in (0, 1) else None))
    # k1 at X in April 2024: one application charged 50 元: the first 10 of a month are free
    rows.append(("X", "X-04-01", D(2024, 4, 2), "k1", 50.0))
    # k1 at Y in March 2024: its own count (1 application, free, no fee charged)
    rows.append(("Y", "Y-03-01", D(2024, 3, 9), "k1", None))
    # no applicant key (nothing to tell the applicant by): not checked
    rows.append(("X", "X-anon", D(2024, 3, 9), None, 500.0))
    # another year: not in 2024's rows
    rows.append(("X", "X-2023", D(2023, 12, 30), "k1", 500.0))
    return pl.DataFrame(
        rows,
        schema={"agency_code": pl.String, "application_id": pl.String, "received_on": pl.Date, "applicant_key": pl.String, "fee_yuan": pl.Float64},
        orient="row",
    )


def test_months_over_the_cap_name_their_applications():
    got = fee_excess(_apps(), [2024])
    assert got.select("agency_code", "month", "applicant_key", "applications", "fees_yuan", "cap_yuan").rows() == [
        ("X", D(2024, 3, 1), "k1", 12, 250.0, 200.0),
        ("X", D(2024, 4, 1), "k1", 1, 50.0, 0.0),
    ]
    assert got.item(0, "application_ids") == ",".join(f"X-03-{i:02d}" for i in range(12))
    assert got.get_column("year").to_list() == [2024, 2024]


def test_a_finding_per_month_naming_the_records():
    found = F.fee_findings(fee_excess(_apps(), [2024]).to_dicts())
    assert [f.id for f in found] == ["fee:2024-03:k1", "fee:2024-04:k1"]
    assert all(f.severity == F.WARNING and f.dismissible for f in found)
    assert "250" in found[0].title and "200" in found[0].title and "X-03-00" in found[0].where


@pytest.fixture
def loaded(tmp_path):
    path = tmp_path / "gongkai.duckdb"
    excess = fee_excess(_apps(), [2024])
    wh.load(path, lambda con: {"n": wh.replace_whole(con, "fee_excess", excess)})
    return path


def test_gongkai_check_year_lists_the_fee_findings(loaded):
    assert [r["month"] for r in excess_rows(loaded, "X", 2024)] == [D(2024, 3, 1), D(2024, 4, 1)]
    assert excess_rows(loaded, "Y", 2024) == [] and excess_rows(loaded, None, 2023) == []
    main._register()
    out = CliRunner().invoke(main.app, ["check", "--year", "2024", "--agency", "x", "--format", "json", "--warehouse", str(loaded)])
    assert out.exit_code == 0, out.output
    got = json.loads(out.stdout)
    assert [(r["agency_code"], r["id"]) for r in got] == [("X", "fee:2024-03:k1"), ("X", "fee:2024-04:k1")]
    text = CliRunner().invoke(main.app, ["check", "--year", "2024", "--warehouse", str(loaded)])
    assert text.exit_code == 0 and "X-04-01" in text.stdout
    nothing = CliRunner().invoke(main.app, ["check"])
    assert isinstance(nothing.exception, GongkaiError) and nothing.exception.exit_code == 2  # main() prints it on one line
