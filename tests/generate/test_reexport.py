"""The later re-export repeats records of the earlier file, some of them answered or corrected since."""

import polars as pl


def _read(root, rel):
    return pl.read_csv(root / rel, infer_schema=False)


def test_application_reexport_closes_december_requests_and_corrects_one(sample_root):
    before = _read(sample_root, "applications/2023/县政府_依申请公开台账_2023.csv")
    after = _read(sample_root, "applications/2023/县政府_依申请公开台账_2023_补充导出.csv")
    joined = after.join(before, on="application_id", suffix="_before")
    assert joined.height == after.height >= 4  # every re-exported record was in the first export
    newly_closed = joined.filter(pl.col("closed_on_before").is_null() & pl.col("closed_on").is_not_null())
    assert newly_closed.height >= 1
    assert (newly_closed["closed_on"] > "2024-01-05").all()  # answered after the first export
    assert newly_closed["received_on"].str.starts_with("2023-12").all()
    changed = joined.filter(pl.col("closed_on_before").is_not_null() & (pl.col("outcome") != pl.col("outcome_before")))
    # one outcome corrected (the spelling of an unchanged outcome may differ between exports, so map both)
    from schemas.vocabulary import OUTCOME_ALIASES, fold

    really = [r for r in changed.iter_rows(named=True) if OUTCOME_ALIASES[fold(r["outcome"])] != OUTCOME_ALIASES[fold(r["outcome_before"])]]
    assert len(really) == 1


def test_appeals_update_concludes_cases_pending_in_the_workbook(sample_root, checked):
    update = [r for r in checked if r.path == "appeals/昌乐县复议诉讼台账_更新.csv"]
    main = {r.values["case_id"]: r.values for r in checked if r.path == "appeals/昌乐县复议诉讼台账.xlsx"}
    assert len(update) == 3
    concluded_later = [r for r in update if main[r.values["case_id"]]["concluded_on"] is None and r.values["concluded_on"]]
    assert len(concluded_later) == 2
    assert all(r.values["concluded_on"].year == 2024 for r in concluded_later)
