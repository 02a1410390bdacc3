"""Later exports replace earlier ones record by record; every file's rows are accounted for."""

import polars as pl

from pipelines.defs.ingest.discover import discover
from pipelines.defs.ingest.ingest import ingest
from tests.support.raw_ledgers import TANGWU, raw_root, write_csv

BASE = {"申请编号": "", "受理机构代码": TANGWU, "收到申请日期": "2022-12-20", "申请人类型": "自然人", "答复日期": "", "处理结果": ""}


def _app(i, **kw):
    return BASE | {"申请编号": f"A-{i}"} | kw


def test_later_export_by_mtime_replaces_record_by_record(tmp_path):
    root = raw_root(tmp_path)
    # The newer file has the older name: modification time decides, not the name.
    write_csv(root / "applications" / "z_first_export.csv", [_app(1), _app(2), _app(3)], mtime=1_700_000_000)
    write_csv(root / "applications" / "a_reexport.csv", [_app(2, 答复日期="2023-01-05", 处理结果="部分公开"), _app(4)], mtime=1_700_100_000)
    result = ingest(discover(root), b"k")
    apps = result.records["applications"].sort("application_id")
    assert apps.get_column("application_id").to_list() == ["A-1", "A-2", "A-3", "A-4"]
    a2 = apps.row(1, named=True)
    assert (a2["outcome"], str(a2["closed_on"]), a2["source_file"], a2["source_row"]) == ("3.2", "2023-01-05", "applications/a_reexport.csv", 2)
    files = {r["path"]: (r["rows"], r["accepted"], r["quarantined"]) for r in result.files.iter_rows(named=True)}
    # the replaced row still counts as accepted in its own file
    assert files["applications/z_first_export.csv"] == (3, 3, 0)
    assert files["applications/a_reexport.csv"] == (2, 2, 0)


def test_same_mtime_the_later_name_wins(tmp_path):
    root = raw_root(tmp_path)
    write_csv(root / "applications" / "2022-11.csv", [_app(1)], mtime=1_700_000_000)
    write_csv(root / "applications" / "2022-12.csv", [_app(1, 答复日期="2022-12-28", 处理结果="予以公开")], mtime=1_700_000_000)
    apps = ingest(discover(root), b"k").records["applications"]
    assert apps.height == 1 and apps.get_column("outcome").item() == "3.1"


def test_a_bad_later_version_leaves_the_earlier_accepted_one(tmp_path):
    root = raw_root(tmp_path)
    write_csv(root / "applications" / "old.csv", [_app(1)], mtime=1_700_000_000)
    write_csv(root / "applications" / "new.csv", [_app(1, 答复日期="2022-01-01", 处理结果="予以公开")], mtime=1_700_100_000)
    result = ingest(discover(root), b"k")
    assert result.quarantine.get_column("rule").to_list() == ["closed_before_received"]
    apps = result.records["applications"]
    assert apps.height == 1 and apps.get_column("closed_on").item() is None


def test_conservation_rows_read_equal_accepted_plus_quarantined_for_every_file(tmp_path):
    root = raw_root(tmp_path)
    write_csv(root / "applications" / "x" / "one.csv", [_app(1), _app(2, 收到申请日期="bad"), _app(3, 申请人类型="?")], mtime=1_700_000_000)
    write_csv(root / "applications" / "two.csv", [_app(1, 处理结果="予以公开"), _app(5)], encoding="gb18030", mtime=1_700_100_000)
    result = ingest(discover(root), b"k")
    f = result.files
    assert f.filter(pl.col("rows") != pl.col("accepted") + pl.col("quarantined")).is_empty()
    assert f.get_column("rows").sum() == 2 + 3 + 2  # agencies + both ledgers
    assert result.quarantine.height == 3
    assert int(f.get_column("accepted").sum()) + result.quarantine.height == int(f.get_column("rows").sum())


def test_a_bad_row_corrected_in_a_later_export_no_longer_makes_the_year_incomplete(tmp_path):
    from pipelines.defs.tables.tables import quarantined_per_agency_year

    root = raw_root(tmp_path)
    write_csv(root / "applications" / "old.csv", [_app(1, 答复日期="2022-01-01", 处理结果="予以公开"), _app(2)], mtime=1_700_000_000)
    write_csv(root / "applications" / "new.csv", [_app(1, 答复日期="2022-12-28", 处理结果="予以公开")], mtime=1_700_100_000)
    result = ingest(discover(root), b"k")
    q = result.quarantine.row(0, named=True)
    assert (q["path"], q["rule"], q["superseded"]) == ("applications/old.csv", "closed_before_received", True)
    agencies = result.records["agencies"].get_column("agency_code")
    counts = quarantined_per_agency_year(result.quarantine, result.records, agencies, [2022])
    assert counts.filter(pl.col("agency_code") == TANGWU).get_column("quarantined_rows").to_list() == [0]

    # while the bad version is the latest, the year stays incomplete
    write_csv(root / "applications" / "newest.csv", [_app(1, 答复日期="2021-06-01", 处理结果="予以公开")], mtime=1_700_200_000)
    result = ingest(discover(root), b"k")
    assert sorted(result.quarantine.select("path", "superseded").rows()) == [("applications/newest.csv", False), ("applications/old.csv", True)]
    counts = quarantined_per_agency_year(result.quarantine, result.records, agencies, [2022])
    assert counts.filter(pl.col("agency_code") == TANGWU).get_column("quarantined_rows").to_list() == [1]


def test_validate_tells_the_clerk_a_bad_row_was_corrected_later(tmp_path):
    from typer.testing import CliRunner

    from pipelines.cli import main

    root = raw_root(tmp_path)
    write_csv(root / "applications" / "old.csv", [_app(1, 答复日期="2022-01-01", 处理结果="予以公开")], mtime=1_700_000_000)
    write_csv(root / "applications" / "new.csv", [_app(1, 答复日期="2022-12-28", 处理结果="予以公开")], mtime=1_700_100_000)
    main._register()
    res = CliRunner().invoke(main.app, ["validate", str(root)])
    assert res.exit_code == 1  # the old file still holds a bad row
    assert "corrected by a later export" in res.output and "old.csv" in res.output


def test_a_file_spanning_two_cities_is_replaced_record_by_record_in_each_bucket(tmp_path):
    """The latest versions are kept one bucket (city) at a time: a file holding two cities' agencies is split by
    bucket first, and a later single-city export replaces its record in that city only."""
    from pipelines.defs import buckets
    from pipelines.defs.ingest.lake import table_path
    from tests.support.raw_ledgers import AGENCIES, code

    qingdao = code("11370200MB0000003")  # bucket 3702; 昌乐县 (TANGWU) is 3707
    root = tmp_path / "raw"
    write_csv(
        root / "agencies.csv", [*AGENCIES, {"统一社会信用代码": qingdao, "机构名称": "青岛市某局", "行政区划代码": "370200000000", "层级": "city_department"}]
    )
    write_csv(root / "applications" / "both.csv", [_app(1), _app(2), _app(1, 受理机构代码=qingdao), _app(7, 受理机构代码=qingdao)], mtime=1_700_000_000)
    write_csv(root / "applications" / "qingdao.csv", [_app(1, 受理机构代码=qingdao, 答复日期="2023-01-05", 处理结果="予以公开")], mtime=1_700_100_000)
    out = tmp_path / "gen"
    result = ingest(discover(root), b"k", out_dir=out)
    folder = table_path(out, "applications")
    assert sorted(buckets.listing(folder)) == ["3702", "3707"]
    rows = {(r["agency_code"], r["application_id"]): (r["outcome"], r["source_file"]) for r in result.records["applications"].iter_rows(named=True)}
    # 4 rows + 1 later version of one of them = 4 records: 昌乐县's A-1 untouched, 青岛's A-1 from the later export
    assert rows == {
        (TANGWU, "A-1"): (None, "applications/both.csv"),
        (TANGWU, "A-2"): (None, "applications/both.csv"),
        (qingdao, "A-1"): ("3.1", "applications/qingdao.csv"),
        (qingdao, "A-7"): (None, "applications/both.csv"),
    }
    # each bucket file holds only its city's agencies
    for bucket in ("3702", "3707"):
        codes = pl.read_parquet(folder / buckets.file_name(bucket)).get_column("agency_code").unique().to_list()
        assert {c[2:6] for c in codes} == {bucket}


def test_a_ledger_gone_between_listing_and_reading_is_rejected_alone(tmp_path):
    """A clerk deletes (or a sync tool moves) a ledger while the run is under way: that file is rejected as
    unreadable, named, and every other file is read — with the per-file cache on, whose key hashing meets it first."""
    root = raw_root(tmp_path)
    write_csv(root / "applications" / "kept.csv", [_app(1), _app(2)], mtime=1_700_000_000)
    gone = write_csv(root / "applications" / "gone.csv", [_app(3)], mtime=1_700_100_000)
    files = discover(root)
    gone.unlink()
    result = ingest(files, b"k", cache_dir=tmp_path / "cache")
    status = {r["path"]: (r["status"], r["error_rule"], r["accepted"]) for r in result.files.iter_rows(named=True)}
    assert status["applications/gone.csv"] == ("rejected", "file_unreadable", None)
    assert status["applications/kept.csv"] == ("read", None, 2)
    assert sorted(result.records["applications"].get_column("application_id").to_list()) == ["A-1", "A-2"]
