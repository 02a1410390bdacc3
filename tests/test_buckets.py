"""Bucketed tables (pipelines/defs/buckets.py): what a carry-over keeps, links and rewrites, worked out by hand."""

import polars as pl

from pipelines.defs import buckets

# agency codes: characters 3–6 are the bucket (the city)
A1, A2 = "11370725AAAAAAAAA1", "11370725AAAAAAAAA2"  # bucket 3707, both
B1 = "11370825BBBBBBBBB1"  # bucket 3708
C1 = "11370925CCCCCCCCC1"  # bucket 3709
D1 = "11371025DDDDDDDDD1"  # bucket 3710: new in the fresh rows


def _table(rows: list[tuple[str, int]]) -> pl.DataFrame:
    return pl.DataFrame(rows, schema={"agency_code": pl.String, "n": pl.Int64}, orient="row")


def _bucket(folder, bucket):
    return [tuple(r) for r in pl.read_parquet(folder / f"{buckets.PREFIX}{bucket}" / buckets.FILE).rows()]


def test_carry_over_links_untouched_buckets_and_rewrites_the_others_in_order(tmp_path, monkeypatch):
    before, fresh, target = tmp_path / "before", tmp_path / "fresh", tmp_path / "target"
    buckets.write(_table([(A1, 1), (A2, 2), (A1, 3), (B1, 4), (C1, 5)]), before)
    # redone: A1 (new rows), C1 (gone: no fresh rows, the only agency of its bucket), D1 (a new bucket)
    buckets.write(_table([(A1, 10), (D1, 11)]), fresh)
    monkeypatch.setattr(buckets, "REWRITE_BYTES", 1)  # one bucket per batch: batching must not change a thing
    buckets.carry_over(before, fresh, target, pl.Series([A1, C1, D1]))
    assert sorted(p.name for p in target.iterdir()) == [f"{buckets.PREFIX}{b}" for b in ("3707", "3708", "3709", "3710")]
    # the old rows kept (A2), in their order, then the fresh ones
    assert _bucket(target, "3707") == [(A2, 2), (A1, 10)]
    # untouched: the same file, linked
    assert (target / f"{buckets.PREFIX}3708" / buckets.FILE).stat().st_ino == (before / f"{buckets.PREFIX}3708" / buckets.FILE).stat().st_ino
    # every agency of the bucket redone away: a file without rows, with the columns
    empty = pl.read_parquet(target / f"{buckets.PREFIX}3709" / buckets.FILE)
    assert empty.height == 0 and empty.schema == _table([]).schema
    assert _bucket(target, "3710") == [(D1, 11)]
    assert buckets.scan(target).collect().sort("n").rows() == [(A2, 2), (B1, 4), (A1, 10), (D1, 11)]


def test_files_of_lists_only_the_wanted_buckets(tmp_path):
    buckets.write(_table([(A1, 1), (B1, 2)]), tmp_path / "t", part=0)
    buckets.write(_table([(A1, 3)]), tmp_path / "t", part=1)
    assert [p.split("/")[-2:] for p in buckets.files_of(tmp_path / "t", {"3707", "3799"})] == [
        [f"{buckets.PREFIX}3707", "data_0.parquet"],
        [f"{buckets.PREFIX}3707", "data_1.parquet"],
    ]
    buckets.finish(tmp_path / "none", _table([]))
    assert [p.split("/")[-1] for p in buckets.files_of(tmp_path / "none", {"3707"})] == ["empty.parquet"]
