"""A rejected file makes the agency-years it may hold incomplete — never none: those it held when last read,
else those its name names, else every agency."""

import datetime as dt

import openpyxl
import polars as pl

from pipelines.defs.ingest import lake
from pipelines.defs.ingest.discover import discover
from pipelines.defs.ingest.ingest import ingest
from pipelines.defs.tables.compute import compute_year
from tests.support import ledger_fixtures as F

TODAY = dt.date(2024, 3, 1)


def _xlsx(path, rows):
    path.parent.mkdir(parents=True, exist_ok=True)
    book = openpyxl.Workbook()
    for row in [F.APPLICATION_HEADER, *rows]:
        book.active.append(row)
    book.save(path)


def _truncate(path):
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2])


def _run(root, lake_dir):
    previous = lake.current(lake_dir)
    gen = lake.new_generation(lake_dir)
    result = ingest(discover(root), b"k", out_dir=gen, previous=previous, today=TODAY)
    lake.publish(lake_dir, gen)
    return result


def _reasons(result, year):
    facts = compute_year(result.records, result.quarantine, year, rejected=result.rejected, today=TODAY)
    return set(facts["incomplete_reason"].filter(pl.col("reason") == "file_rejected").select("agency_code", "path").rows())


def test_a_truncated_workbook_read_before_makes_its_agency_years_incomplete(tmp_path):
    root = F.write_hand_worked(tmp_path / "raw")
    target = root / "applications" / "export_0415.xlsx"  # the name says nothing about whose it is
    _xlsx(target, [["B-07", F.B, "2022-04-15", "自然人", "某人", None, "2022-04-20", "予以公开", None]])
    first = _run(root, tmp_path / "lake")
    assert first.rejected.is_empty() and "B-07" in first.records["applications"].get_column("application_id").to_list()
    _truncate(target)
    second = _run(root, tmp_path / "lake")
    f = second.files.filter(pl.col("path") == "applications/export_0415.xlsx").row(0, named=True)
    assert (f["status"], f["error_rule"], f["rows"]) == ("rejected", "file_unreadable", None)
    assert second.rejected.select("agency_code", "year", "basis").rows() == [(F.B, 2022, "last_read")]
    assert _reasons(second, 2022) == {(F.B, "applications/export_0415.xlsx")}
    assert _reasons(second, 2021) == _reasons(second, 2023) == set()
    # rejected again the next night: still B's (what it held when it was last read)
    third = _run(root, tmp_path / "lake")
    assert third.rejected.select("agency_code", "year", "basis").rows() == [(F.B, 2022, "last_read")]


def test_a_truncated_workbook_never_read_is_attributed_by_its_name_or_to_everyone(tmp_path):
    root = F.write_hand_worked(tmp_path / "raw")
    named = root / "applications" / "2022" / "鄌郚镇_依申请公开台账_2022.xlsx"
    anonymous = root / "applications" / "导出.xlsx"
    for path in (named, anonymous):
        _xlsx(path, [["X-1", F.A, "2022-04-15", "自然人", "某人", None, "2022-04-20", "予以公开", None]])
        _truncate(path)
    result = _run(root, tmp_path / "lake")
    got = set(result.rejected.select("path", "agency_code", "year", "basis").rows())
    assert got == {
        # 鄌郚镇 is A's name without the county and 人民政府; 2022 is in the path
        ("applications/2022/鄌郚镇_依申请公开台账_2022.xlsx", F.A, 2022, "named"),
        # nothing says whose or which year: every agency, every year
        ("applications/导出.xlsx", F.A, None, "every_agency"),
        ("applications/导出.xlsx", F.B, None, "every_agency"),
        ("applications/导出.xlsx", F.C, None, "every_agency"),
    }
    assert _reasons(result, 2022) == {
        (F.A, "applications/2022/鄌郚镇_依申请公开台账_2022.xlsx"),
        (F.A, "applications/导出.xlsx"),
        (F.B, "applications/导出.xlsx"),
        (F.C, "applications/导出.xlsx"),
    }
    assert _reasons(result, 2021) == {(c, "applications/导出.xlsx") for c in (F.A, F.B, F.C)}
