"""The per-file cache keeps only the files of the last run: a corrected or withdrawn ledger leaves nothing."""

import json
import os

from pipelines.defs.ingest.discover import discover
from pipelines.defs.ingest.ingest import ingest
from tests.support.raw_ledgers import TANGWU, raw_root, write_csv

ROW = {
    "申请编号": "A-1",
    "受理机构代码": TANGWU,
    "收到申请日期": "2022-03-01",
    "申请人类型": "自然人",
    "申请人姓名/名称": "欧阳娜娜",
    "答复日期": "2022-03-10",
    "处理结果": "予以公开",
}


def _entries(cache):
    return sorted(p.name.split(".")[0] for p in cache.rglob("*.json") if p.name != "index.json")


def test_changed_and_vanished_files_leave_the_cache(tmp_path):
    root = raw_root(tmp_path)
    a = write_csv(root / "applications" / "a.csv", [ROW | {"申请方式": "13905361234"}])  # quarantined
    write_csv(root / "applications" / "b.csv", [ROW | {"申请编号": "B-1"}])
    cache = tmp_path / "cache"
    ingest(discover(root), b"k" * 32, cache_dir=cache, out_dir=tmp_path / "lake1")
    first = _entries(cache)
    assert len(first) == 3  # agencies.csv, a.csv, b.csv
    assert len(list(cache.rglob("*.quarantine.parquet"))) == 1  # a.csv's one bad row

    # the clerk corrects a.csv and withdraws b.csv; a killed run had left a half-written entry behind
    write_csv(a, [ROW | {"申请方式": "网上申请"}])
    os.utime(a, ns=(a.stat().st_mtime_ns + 10**9,) * 2)
    (root / "applications" / "b.csv").unlink()
    stray = cache / "ab" / "abc.tmp999"
    stray.parent.mkdir(exist_ok=True)
    stray.write_text("{}")
    result = ingest(discover(root), b"k" * 32, cache_dir=cache, out_dir=tmp_path / "lake2")
    assert result.cache_hits == 1 and result.cache_misses == 1  # agencies.csv reused, a.csv read again
    second = _entries(cache)
    # agencies.csv's entry stays; a.csv has a new entry; the old a.csv and b.csv entries are gone
    assert len(second) == 2 and len(set(first) & set(second)) == 1
    assert not list(cache.rglob("*.quarantine.parquet"))
    assert not stray.exists() and not (cache / "ab").exists()
    index = json.loads((cache / "index.json").read_text())
    assert len(index) == 2  # agencies.csv and a.csv; b.csv's line is gone
    assert not any("a.csv" in k or "b.csv" in k for k in index)  # keyed by a keyed hash of the path

    # a third run with nothing changed reads nothing and keeps both entries
    third = ingest(discover(root), b"k" * 32, cache_dir=cache, out_dir=tmp_path / "lake3")
    assert (third.cache_hits, third.cache_misses) == (2, 0)
    assert _entries(cache) == second


def test_an_entry_written_again_and_killed_half_way_keeps_its_whole_old_files(tmp_path, monkeypatch):
    # an entry is written again under the same key (its bytes under another name, a date that stopped being in
    # the future); a kill in the middle of that write must not leave a torn Parquet under metadata trusted after
    import polars as pl
    import pytest

    from pipelines.defs.ingest.cache import FileCache
    from pipelines.defs.ingest.quarantine import empty

    fc = FileCache(tmp_path / "cache", b"k" * 32)
    before = pl.DataFrame({"agency_code": ["A1", "A2"], "n": [1, 2]})
    path = fc.put("ab" + "0" * 38, before, empty(), {"accepted_rows": 2})

    def torn(self, file, *args, **kwargs):
        with open(file, "wb") as fh:
            fh.write(b"PAR1 half a file")
        raise KeyboardInterrupt("killed")

    monkeypatch.setattr(pl.DataFrame, "write_parquet", torn)
    with pytest.raises(KeyboardInterrupt):
        fc.put("ab" + "0" * 38, before.head(1), empty(), {"accepted_rows": 1})
    monkeypatch.undo()
    assert pl.read_parquet(path).equals(before)
    assert json.loads(path.with_name(path.name.replace(".accepted.parquet", ".json")).read_text())["accepted_rows"] == 2
    fc.prune({"ab" + "0" * 38})  # the next run's prune removes what the kill left aside
    assert sorted(p.name for p in path.parent.iterdir()) == sorted([path.name, path.name.replace(".accepted.parquet", ".json")])
