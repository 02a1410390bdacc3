"""A nightly run re-reads only the ledgers that changed, with the same result as reading everything."""

import os
import shutil

import pytest

from pipelines.defs.generate.sample import generate_sample
from pipelines.defs.ingest.discover import discover
from pipelines.defs.ingest.ingest import ingest
from pipelines.defs.ingest.readers import decode

pytestmark = pytest.mark.slow  # whole pipeline runs


def _same(a, b):
    for kind in a.records:
        assert a.records[kind].sort(a.records[kind].columns[:2]).equals(b.records[kind].sort(b.records[kind].columns[:2])), kind
    assert a.quarantine.sort("path", "row").equals(b.quarantine.sort("path", "row"))
    assert a.files.sort("path").equals(b.files.sort("path"))


def test_unchanged_files_come_from_the_cache_and_give_the_same_result(tmp_path):
    root = tmp_path / "raw"
    generate_sample(root)
    files = discover(root)
    cold = ingest(files, b"k", cache_dir=tmp_path / "cache")
    assert (cold.cache_hits, cold.cache_misses) == (0, len(files))
    warm = ingest(discover(root), b"k", cache_dir=tmp_path / "cache")
    assert (warm.cache_hits, warm.cache_misses) == (len(files), 0)
    _same(cold, warm)
    _same(cold, ingest(discover(root), b"k"))  # and the same as no cache at all


def test_one_changed_file_is_read_again_and_its_change_counts(tmp_path):
    root = tmp_path / "raw"
    generate_sample(root)
    ingest(discover(root), b"k", cache_dir=tmp_path / "cache")
    target = next(p for p in sorted((root / "disclosures" / "2022").glob("*.csv")) if "鄌郚镇" in p.name)
    text, encoding = decode(target.read_bytes())
    lines = text.rstrip("\r\n").splitlines()
    target.write_bytes(("\n".join(lines[:-1]) + "\n").encode(encoding))  # the clerk deleted the last item
    os.utime(target, (2_000_000_000, 2_000_000_000))
    moved = root / "appeals" / "renamed"
    moved.mkdir()
    some = next(iter(sorted((root / "appeals").glob("*.csv"))))
    shutil.move(some, moved / some.name)  # same bytes under another path: still reused
    warm = ingest(discover(root), b"k", cache_dir=tmp_path / "cache")
    assert warm.cache_misses == 1
    full = ingest(discover(root), b"k")
    _same(warm, full)
    tangwu_2022 = warm.records["disclosures"].filter(
        (warm.records["disclosures"]["agency_code"] == "11370725MB28501425") & (warm.records["disclosures"]["published_on"].dt.year() == 2022)
    )
    assert tangwu_2022.height == 378


def test_the_pii_key_is_part_of_the_cache_key(tmp_path):
    root = tmp_path / "raw"
    generate_sample(root)
    ingest(discover(root), b"one", cache_dir=tmp_path / "cache")
    other = ingest(discover(root), b"two", cache_dir=tmp_path / "cache")
    assert other.cache_hits == 0
