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


def _files(folder, bucket):
    """The bucket's files as (generation, part)."""
    return [(gen, part) for gen, part, _ in buckets.listing(folder)[bucket]]


def _rows(folder, bucket, gen=0, part=0):
    return [tuple(r) for r in pl.read_parquet(folder / buckets.file_name(bucket, gen, part)).rows()]


def _ino(folder, bucket):
    return (folder / buckets.file_name(bucket)).stat().st_ino


def _superseded(folder):
    return sorted(buckets.superseded(folder).rows())


def _live(folder):
    return sorted(buckets.scan(folder).collect().rows(), key=lambda r: r[1])


def _night(before, tmp_path, n, fresh_rows, redo):
    """One nightly carry-over: `before` → a new folder, with `fresh_rows` for the `redo` agencies."""
    fresh, target = tmp_path / f"fresh{n}", tmp_path / f"night{n}"
    buckets.write(_table(fresh_rows), fresh)
    buckets.finish(fresh, _table([]))
    buckets.carry_over(before, fresh, target, pl.Series(redo))
    return target


def test_carry_over_links_every_old_file_and_adds_the_fresh_rows_as_a_new_generation(tmp_path):
    before, fresh, target = tmp_path / "before", tmp_path / "fresh", tmp_path / "target"
    buckets.write(_table([(A1, 1), (A2, 2), (A1, 3), (B1, 4), (C1, 5)]), before)
    # redone: A1 (new rows), C1 (gone: no fresh rows, the only agency of its bucket), D1 (a new bucket)
    buckets.write(_table([(A1, 10), (D1, 11)]), fresh)
    buckets.carry_over(before, fresh, target, pl.Series([A1, C1, D1]))
    # one folder, a file per bucket, generation and part; no folder per bucket
    assert sorted(p.name for p in target.iterdir()) == [
        "3707_0_0.parquet",
        "3707_1_0.parquet",
        "3708_0_0.parquet",
        "3709_0_0.parquet",
        "3710_0_0.parquet",
        buckets.SUPERSEDED,
    ]
    # nothing rewritten: every old file is the same file (linked), the fresh rows are generation 1 of their bucket
    for bucket in ("3707", "3708", "3709"):
        assert _ino(target, bucket) == _ino(before, bucket)
    assert _files(target, "3707") == [(0, 0), (1, 0)]
    assert _rows(target, "3707", 1) == [(A1, 10)]
    # a new bucket holds live rows only: generation 0, no entry needed for D1
    assert _files(target, "3710") == [(0, 0)] and _rows(target, "3710") == [(D1, 11)]
    # A1's and C1's rows in files older than generation 1 are not live
    assert _superseded(target) == [(A1, 1), (C1, 1)]
    assert _live(target) == [(A2, 2), (B1, 4), (A1, 10), (D1, 11)]

    # what the warehouse load reads for A1: the generation it was redone in, nothing older
    def read(agencies):
        return [([f.split("/")[-1] for f in files], dead) for files, dead in buckets.live_files(target, pl.Series(agencies, dtype=pl.String))]

    assert read([A1]) == [(["3707_1_0.parquet"], [])]
    # for A1 and A2 (never redone): every generation of their bucket, the first without A1's rows
    assert read([A1, A2]) == [(["3707_0_0.parquet"], [A1]), (["3707_1_0.parquet"], [])]
    # for B1 and D1: their buckets' files, whole (no agency of theirs was superseded)
    assert read([B1, D1]) == [(["3708_0_0.parquet", "3710_0_0.parquet"], [])]
    assert read([]) == []


def test_a_bucket_is_rewritten_once_it_holds_too_many_generations(tmp_path, monkeypatch):
    monkeypatch.setattr(buckets, "GENS_PER_BUCKET", 3)
    monkeypatch.setattr(buckets, "REWRITE_BYTES", 1)  # one bucket per batch: batching must not change a thing
    base = tmp_path / "base"
    buckets.write(_table([(A1, 1), (A2, 2), (B1, 3)]), base)
    one = _night(base, tmp_path, 1, [(A1, 10)], [A1])
    two = _night(one, tmp_path, 2, [(A2, 20), (A2, 21)], [A2])
    assert _files(two, "3707") == [(0, 0), (1, 0), (2, 0)]
    assert _superseded(two) == [(A1, 1), (A2, 2)]
    # A1 again: its generation-1 rows are superseded as well as the first ones
    three = _night(two, tmp_path, 3, [(A1, 30)], [A1])
    # a fourth generation: the bucket is rewritten with its live rows, older generations first, then the fresh ones
    assert _files(three, "3707") == [(0, 0)]
    assert _rows(three, "3707") == [(A2, 20), (A2, 21), (A1, 30)]
    assert _ino(three, "3708") == _ino(base, "3708")
    assert not (three / buckets.SUPERSEDED).exists()  # nothing left superseded: readers read every file whole
    assert _live(three) == [(B1, 3), (A2, 20), (A2, 21), (A1, 30)]
    # a bucket whose agencies were all redone away, rewritten: a file without rows, with the columns
    four = _night(three, tmp_path, 4, [(B1, 40)], [B1])
    monkeypatch.setattr(buckets, "GENS_PER_BUCKET", 1)
    five = _night(four, tmp_path, 5, [], [B1])
    empty = pl.read_parquet(five / buckets.file_name("3708"))
    assert _files(five, "3708") == [(0, 0)] and empty.height == 0 and empty.schema == _table([]).schema
    assert _live(five) == [(A2, 20), (A2, 21), (A1, 30)]


def test_the_oldest_generations_are_rewritten_once_the_table_holds_too_many(tmp_path, monkeypatch):
    monkeypatch.setattr(buckets, "GENS_PER_TABLE", 2)
    base = tmp_path / "base"
    buckets.write(_table([(A1, 1), (B1, 2), (C1, 3)]), base)
    one = _night(base, tmp_path, 1, [(A1, 10)], [A1])
    two = _night(one, tmp_path, 2, [(B1, 20)], [B1])
    three = _night(two, tmp_path, 3, [(C1, 30)], [C1])
    # generations 1, 2, 3 are more than 2: the buckets holding the oldest two (1 and 2) are rewritten
    assert _files(three, "3707") == [(0, 0)] and _rows(three, "3707") == [(A1, 10)]
    assert _files(three, "3708") == [(0, 0)] and _rows(three, "3708") == [(B1, 20)]
    assert _files(three, "3709") == [(0, 0), (3, 0)]
    assert _superseded(three) == [(C1, 3)]
    assert _live(three) == [(A1, 10), (B1, 20), (C1, 30)]


def test_live_files_of_a_table_without_later_generations(tmp_path):
    buckets.write(_table([(A1, 1), (B1, 2)]), tmp_path / "t", part=0)
    buckets.write(_table([(A1, 3)]), tmp_path / "t", part=1)
    assert [([f.split("/")[-1] for f in files], dead) for files, dead in buckets.live_files(tmp_path / "t", pl.Series([A1, "11379925ZZZZZZZZZ9"]))] == [
        (["3707_0_0.parquet", "3707_0_1.parquet"], [])
    ]
    buckets.finish(tmp_path / "none", _table([]))
    assert [([f.split("/")[-1] for f in files], dead) for files, dead in buckets.live_files(tmp_path / "none", pl.Series([A1]))] == [(["empty.parquet"], [])]


def test_a_table_in_the_earlier_layout_is_read_and_carried_over(tmp_path):
    """A folder per bucket (`_bucket=3707/data_0.parquet`), as releases before the flat layout wrote it."""
    before = tmp_path / "before"
    for bucket, rows in (("3707", [(A1, 1), (A2, 2)]), ("3708", [(B1, 3)])):
        (before / f"_bucket={bucket}").mkdir(parents=True)
        _table(rows).write_parquet(before / f"_bucket={bucket}" / "data_0.parquet")
    assert sorted(buckets.listing(before)) == ["3707", "3708"]
    assert _live(before) == [(A1, 1), (A2, 2), (B1, 3)]
    after = _night(before, tmp_path, 1, [(A1, 10)], [A1])
    assert sorted(p.name for p in after.iterdir()) == ["3707_0_0.parquet", "3707_1_0.parquet", "3708_0_0.parquet", buckets.SUPERSEDED]
    assert _live(after) == [(A2, 2), (B1, 3), (A1, 10)]


def test_a_bucket_with_letters_is_a_bucket_like_any_other(tmp_path):
    """A code's characters 3–6 are checked against the code's alphabet, which has letters."""
    odd = "11AB0725EEEEEEEEE1"  # bucket AB07
    before = tmp_path / "before"
    buckets.write(_table([(odd, 1), (A1, 2)]), before)
    assert sorted(buckets.listing(before)) == ["3707", "AB07"]
    after = _night(before, tmp_path, 1, [(odd, 10)], [odd])
    assert _files(after, "AB07") == [(0, 0), (1, 0)]
    assert _live(after) == [(A1, 2), (odd, 10)]
    assert [[f.split("/")[-1] for f in files] for files, _ in buckets.live_files(after, pl.Series([odd]))] == [["AB07_1_0.parquet"]]
