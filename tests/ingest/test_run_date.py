"""A date after the day of the run is implausible — until that day comes. The per-file cache and the
carry-over of a nightly run must not keep the old verdict past it."""

import datetime as dt

import polars as pl

from pipelines.defs.ingest import lake
from pipelines.defs.ingest.discover import discover
from pipelines.defs.ingest.ingest import ingest
from tests.support.raw_ledgers import DEPT, TANGWU, raw_root, write_csv

ROW = {
    "application_id": "A-1",
    "agency_code": TANGWU,
    "received_on": "2024-06-20",
    "applicant_type": "自然人",
    "closed_on": "2024-07-10",
    "outcome": "予以公开",
}
OTHER = ROW | {"application_id": "B-1", "agency_code": DEPT, "closed_on": "2024-06-25"}


def _sorted(frame: pl.DataFrame) -> pl.DataFrame:
    return frame.sort(frame.columns, nulls_last=True)


def test_a_future_date_is_judged_again_on_the_day_it_arrives(tmp_path):
    root = raw_root(tmp_path)
    write_csv(root / "applications" / "tangwu.csv", [ROW])
    for n in range(7):  # enough unchanged files that a nightly run carries them over rather than redoing all
        write_csv(root / "applications" / f"dept_{n}.csv", [OTHER | {"application_id": f"B-{n}"}])
    lake_dir, cache = tmp_path / "lake", tmp_path / "cache"

    def run(today: dt.date):
        previous = lake.current(lake_dir)
        gen = lake.new_generation(lake_dir)
        result = ingest(discover(root), b"k", cache_dir=cache, out_dir=gen, previous=previous, today=today)
        lake.publish(lake_dir, gen)
        return result

    before = run(dt.date(2024, 6, 30))  # closed on 10 July: not yet possible on 30 June
    assert before.quarantine.select("record_id", "rule").rows() == [("A-1", "date_implausible")]
    again = run(dt.date(2024, 7, 9))  # still the day before: the cached verdict holds
    assert (again.cache_hits, again.agencies_redone) == (9, 0)
    assert again.quarantine.height == 1
    on_the_day = run(dt.date(2024, 7, 10))
    # the file is read again (the others come from the cache) and its agency redone
    assert (on_the_day.cache_hits, on_the_day.cache_misses, on_the_day.agencies_redone) == (8, 1, 1)
    assert on_the_day.quarantine.is_empty()
    assert sorted(on_the_day.records["applications"].get_column("application_id").to_list()) == ["A-1", *(f"B-{n}" for n in range(7))]
    scratch = ingest(discover(root), b"k", today=dt.date(2024, 7, 10))
    for kind in scratch.records:
        assert _sorted(on_the_day.records[kind]).equals(_sorted(scratch.records[kind])), kind
    assert _sorted(on_the_day.files).equals(_sorted(scratch.files))
