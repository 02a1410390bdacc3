"""'Complete' means complete: an agency-year is incomplete for each of the four reasons of raw-data.md, and
for no other — worked out by hand on the hand-made raw root (tests/support/ledger_fixtures.py)."""

import datetime as dt
import shutil

import polars as pl
import pytest

from pipelines.defs.tables.compute import compute_year
from tests.support import ledger_fixtures as F

YEARS = (2021, 2022, 2023)
AFTER = dt.date(2026, 11, 30)  # a day after every year of the fixture


def _reasons(facts: dict) -> set[tuple]:
    return set(facts["incomplete_reason"].select("agency_code", "year", "reason", "kind").rows())


def _complete(facts: dict) -> dict[str, bool]:
    return dict(facts["agency_year"].select("agency_code", "complete").iter_rows())


@pytest.fixture(scope="module")
def clean(tmp_path_factory):
    return F.write_hand_worked(tmp_path_factory.mktemp("clean") / "raw")


def test_every_ledger_accounted_for_and_none_declared_is_complete(clean):
    ing = F.ingest_root(clean)
    # the register is read like a ledger: 9 rows for A, 8 for B, 9 for C, all accepted
    f = ing.files.filter(pl.col("kind") == "submissions").row(0, named=True)
    assert (f["rows"], f["accepted"], f["quarantined"]) == (26, 26, 0)
    for year in YEARS:
        facts = compute_year(ing.records, ing.quarantine, year, today=AFTER)
        # C had nothing in any year, and said so (none); B said none for what it had none of
        assert _complete(facts) == {F.A: True, F.B: True, F.C: True}, year
        assert facts["incomplete_reason"].is_empty()


def test_silence_is_not_zero_a_missing_declaration_is_a_missing_ledger(tmp_path, clean):
    root = tmp_path / "raw"
    shutil.copytree(clean, root)
    text = (root / "submissions.csv").read_text(encoding="utf-8")
    # C's 2022 appeals line goes: C had no case in 2022, but nobody said so
    kept = [line for line in text.splitlines() if not (line.startswith(F.C) and ",2022," in line and "appeals" in line)]
    assert len(kept) == len(text.splitlines()) - 1
    (root / "submissions.csv").write_text("\n".join(kept) + "\n", encoding="utf-8")
    ing = F.ingest_root(root)
    facts = {y: compute_year(ing.records, ing.quarantine, y, today=AFTER) for y in YEARS}
    assert _reasons(facts[2022]) == {(F.C, 2022, "ledger_missing", "appeals")}
    assert _reasons(facts[2021]) == _reasons(facts[2023]) == set()
    r = facts[2022]["incomplete_reason"].row(0, named=True)
    assert "复议诉讼台账" in r["detail_zh"] and "本年无" in r["detail_zh"] and "appeals" in r["detail_en"]
    assert _complete(facts[2022]) == {F.A: True, F.B: True, F.C: False}


def test_without_a_register_agencies_without_records_are_incomplete(tmp_path, clean):
    root = tmp_path / "raw"
    shutil.copytree(clean, root)
    (root / "submissions.csv").unlink()
    ing = F.ingest_root(root)
    facts = compute_year(ing.records, ing.quarantine, 2022, today=AFTER)
    # B 2022: a disclosure and an application by their own dates, no case; C: nothing at all
    assert _reasons(facts) == {
        (F.B, 2022, "ledger_missing", "appeals"),
        (F.C, 2022, "ledger_missing", "disclosures"),
        (F.C, 2022, "ledger_missing", "applications"),
        (F.C, 2022, "ledger_missing", "appeals"),
    }
    # an application received in 2021 and closed in 2022 does not account for 2022: A has 2022 ones of its own anyway
    assert _complete(facts) == {F.A: True, F.B: False, F.C: False}


def test_a_year_not_over_is_incomplete_until_it_ends(clean):
    ing = F.ingest_root(clean)
    during = compute_year(ing.records, ing.quarantine, 2023, today=dt.date(2023, 12, 31))
    assert _reasons(during) == {(c, 2023, "year_in_progress", None) for c in (F.A, F.B, F.C)}
    assert not any(_complete(during).values())
    after = compute_year(ing.records, ing.quarantine, 2023, today=dt.date(2024, 1, 1))
    assert all(_complete(after).values())
    assert compute_year(ing.records, ing.quarantine, 2022, today=dt.date(2023, 6, 1))["incomplete_reason"].is_empty()


def test_quarantined_rows_name_their_file_and_rows(tmp_path, clean):
    root = tmp_path / "raw"
    shutil.copytree(clean, root)
    F.add_quarantined_rows(root)
    ing = F.ingest_root(root)
    facts = compute_year(ing.records, ing.quarantine, 2022, today=AFTER)
    # B-02 (applications/b_bad.csv row 2) is B's, 2022; C01 (disclosures/c.csv row 2) has no readable date: every year
    rows = facts["incomplete_reason"].select("agency_code", "reason", "kind", "path", "rows").rows()
    assert sorted(rows) == [
        (F.B, "quarantined_rows", "applications", "applications/b_bad.csv", 1),
        (F.C, "quarantined_rows", "disclosures", "disclosures/c.csv", 1),
    ]
    detail = facts["incomplete_reason"].filter(pl.col("agency_code") == F.B).row(0, named=True)
    assert detail["detail_zh"].startswith("applications/b_bad.csv：1行被隔离（第2行）")
    assert _complete(facts) == {F.A: True, F.B: False, F.C: False}
