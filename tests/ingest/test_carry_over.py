"""A nightly run redoes only the agencies of changed files and carries the rest over from the previous
generation — and gives exactly what reading everything from scratch gives, whatever changed."""

import os
import shutil

import polars as pl
import pytest

from pipelines.defs import buckets
from pipelines.defs.generate.sample import generate_sample
from pipelines.defs.ingest import changes, lake
from pipelines.defs.ingest.discover import discover
from pipelines.defs.ingest.ingest import ingest
from pipelines.defs.ingest.readers import decode

pytestmark = pytest.mark.slow  # whole pipeline runs

TANGWU = "11370725MB28501425"  # 鄌郚镇
HONGHE = "11370725MB2850159U"  # 红河镇
LATER = 2_000_000_000  # a modification time after every generated file


def _sorted(frame: pl.DataFrame) -> pl.DataFrame:
    return frame.sort(frame.columns, nulls_last=True)


def _same_as_full(nightly, root):
    full = ingest(discover(root), b"k")
    for kind in full.records:
        assert _sorted(nightly.records[kind]).equals(_sorted(full.records[kind])), kind
    assert _sorted(nightly.quarantine).equals(_sorted(full.quarantine))
    assert _sorted(nightly.files).equals(_sorted(full.files))
    return full


def _runner(root, work):
    """Ingestion as the asset runs it (cache + previous generation); returns (generation, result)."""
    lake_dir = work / "lake"

    def run():
        previous = lake.current(lake_dir)
        gen = lake.new_generation(lake_dir)
        result = ingest(discover(root), b"k", cache_dir=work / "cache", out_dir=gen, previous=previous)
        lake.publish(lake_dir, gen)
        return gen, result

    return run


@pytest.fixture
def nightly(tmp_path):
    """A raw root, and a function that runs ingestion as the asset does."""
    root = tmp_path / "raw"
    generate_sample(root)
    runner = _runner(root, tmp_path)

    def run():
        return runner()[1]

    first = run()
    assert first.agencies_redone is None and first.earliest_changed_year == changes.ALL_YEARS
    return root, run


def _rewrite(path, edit):
    text, encoding = decode(path.read_bytes())
    path.write_bytes(edit(text).encode(encoding))
    os.utime(path, (LATER, LATER))


def test_nothing_changed_redoes_nothing(nightly):
    root, run = nightly
    again = run()
    assert (again.cache_misses, again.agencies_redone, again.earliest_changed_year) == (0, 0, None)
    _same_as_full(again, root)


def test_a_deleted_row_redoes_its_agency_and_dates_the_change(nightly):
    root, run = nightly
    target = next(p for p in (root / "disclosures" / "2022").glob("鄌郚镇*.csv"))
    _rewrite(target, lambda t: "\n".join(t.rstrip("\r\n").splitlines()[:-1]) + "\n")
    after = run()
    assert after.cache_misses == 1
    assert after.agencies_redone == 1  # 鄌郚镇 alone: its file holds only its own rows
    assert after.earliest_changed_year == 2022
    full = _same_as_full(after, root)
    d = full.records["disclosures"]
    assert d.filter((pl.col("agency_code") == TANGWU) & (pl.col("published_on").dt.year() == 2022)).height == 378


def test_same_bytes_new_order_or_new_name(nightly):
    root, run = nightly
    # the older appeals export touched: it is now the latest export, so its versions of the records win
    older = root / "appeals" / "昌乐县复议诉讼台账.xlsx"
    os.utime(older, (LATER, LATER))
    after = run()
    assert after.cache_misses == 0 and after.agencies_redone > 0
    _same_as_full(after, root)
    # a file moved to another folder: the same rows, now traced to the new path
    some = next(iter(sorted((root / "disclosures" / "2021").glob("*.csv"))))
    (root / "disclosures" / "moved").mkdir()
    shutil.move(some, root / "disclosures" / "moved" / some.name)
    moved = run()
    assert moved.cache_misses == 0 and moved.earliest_changed_year == 2021
    _same_as_full(moved, root)


def test_a_removed_file_and_an_unregistered_agency(nightly):
    root, run = nightly
    next(iter((root / "applications" / "2023").glob("红河镇*"))).unlink()
    after = run()
    own_bad = after.quarantine.filter(pl.col("agency_code") == HONGHE).height  # the sample's deliberate bad rows
    _same_as_full(after, root)
    # the older appeals export goes: the records the later one replaced were never in the lake from it
    (root / "appeals" / "昌乐县复议诉讼台账.xlsx").unlink()
    after = run()
    assert after.earliest_changed_year is not None and after.earliest_changed_year <= 2023
    _same_as_full(after, root)
    # 红河镇 leaves the register: every row of it, in files that did not change, is now quarantined
    _rewrite(root / "agencies.csv", lambda t: "".join(line for line in t.splitlines(keepends=True) if HONGHE not in line))
    gone = run()
    assert gone.earliest_changed_year == changes.ALL_YEARS
    full = _same_as_full(gone, root)
    assert full.quarantine.filter(pl.col("agency_code") == HONGHE).height > own_bad + 100
    # and back again
    _rewrite(root / "agencies.csv", lambda t: t + f"{HONGHE},昌乐县红河镇人民政府,370725104000,昌乐县,潍坊市,山东省,township\n")
    back = run()
    full = _same_as_full(back, root)
    assert full.quarantine.filter(pl.col("agency_code") == HONGHE).height == own_bad


def test_an_older_export_emptied_after_a_later_one_replaced_it(nightly):
    root, run = nightly
    original = next(p for p in (root / "disclosures" / "2022").glob("鄌郚镇*.csv"))
    again = original.with_name("鄌郚镇_主动公开台账_2022_重新导出.csv")
    shutil.copy(original, again)
    os.utime(again, (LATER, LATER))
    _same_as_full(run(), root)
    # the clerk empties the older export (still older): none of its rows were in the lake
    _rewrite(original, lambda t: t.splitlines(keepends=True)[0])
    os.utime(original, (LATER - 10, LATER - 10))
    after = run()
    assert after.agencies_redone == 0 and after.earliest_changed_year is None
    full = _same_as_full(after, root)
    assert full.files.filter(pl.col("path") == original.relative_to(root).as_posix()).select("rows", "accepted").row(0) == (0, 0)


def test_buckets_of_unchanged_cities_are_linked_not_rewritten(tmp_path):
    from pipelines.defs.generate.scale import ScaleSpec, generate_scale

    # three cities, so three buckets per kind; every level reports
    spec = ScaleSpec("three-cities", 1, (3, 3), (1, 1), (2, 2), (1, 1), (1, 1), (0, 0), True, False, appeal_rate=0.3)
    root = tmp_path / "raw"
    generate_scale(root, spec, (2022,))
    run = _runner(root, tmp_path)

    before, _ = run()
    assert len(buckets.listing(before / "disclosures")) == 3
    target = sorted((root / "disclosures").rglob("*.csv"))[0]
    _rewrite(target, lambda t: "\n".join(t.rstrip("\r\n").splitlines()[:-1]) + "\n")
    after, result = run()
    _same_as_full(result, root)
    changed_codes = pl.read_csv(target, infer_schema=False).get_column("agency_code").unique().to_list()
    touched = {buckets.bucket_of(c) for c in changed_codes}
    assert len(touched) == 1
    for kind in ("disclosures", "applications", "appeals"):
        now = buckets.listing(after / kind)
        for bucket, files in buckets.listing(before / kind).items():
            assert files == [(0, 0, before / kind / buckets.file_name(bucket))]
            # every old file linked, none rewritten
            assert (before / kind / buckets.file_name(bucket)).stat().st_ino == (after / kind / buckets.file_name(bucket)).stat().st_ino, (kind, bucket)
            # the touched city's redone rows come in as a second generation of its bucket
            assert [(gen, part) for gen, part, _ in now[bucket]] == ([(0, 0), (1, 0)] if bucket in touched else [(0, 0)]), (kind, bucket)
