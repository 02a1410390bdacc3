"""The benchmark generator, on tiny specs only: counts, determinism, chunking, validity."""

import dataclasses
import json
import os
from collections import Counter

import polars as pl
import pytest
from typer.testing import CliRunner

from pipelines.defs.generate.scale import SCALES, ScaleSpec, generate_scale
from pipelines.defs.generate.scale import run as scale_run
from pipelines.defs.generate.scale.agencies import agencies
from pipelines.defs.generate.scale.rows import counts
from pipelines.errors import GongkaiError
from schemas import codes
from tests.support import oracle

pytestmark = pytest.mark.slow  # whole pipeline runs

LEVEL_ITEMS = {
    "township": 12,
    "county_department": 10,
    "county_government": 20,
    "city_department": 15,
    "city_government": 30,
    "province_department": 15,
    "province_government": 30,
}
LEVEL_APPS = dict.fromkeys(LEVEL_ITEMS, 3.0)
# one city with 2 counties, each with 1 government, 3 departments and 2–3 townships; the city has 2 departments
TINY = ScaleSpec("tiny", 1, (1, 1), (2, 2), (2, 3), (3, 3), (2, 2), (0, 0), True, False, items=LEVEL_ITEMS, applications=LEVEL_APPS, appeal_rate=0.2)


def _snapshot(root):
    return {p.relative_to(root).as_posix(): (p.read_bytes(), os.stat(p).st_mtime_ns) for p in sorted(root.rglob("*")) if p.is_file()}


def _as_manifest(root, manifest):
    """The sample-manifest shape the oracle reads."""
    files = [{"path": f["path"], "kind": f["kind"], "encoding": "utf-8", "mtime": int(os.stat(root / f["path"]).st_mtime)} for f in manifest.files]
    return {"files": files}


@pytest.fixture(scope="module")
def tiny(tmp_path_factory):
    root = tmp_path_factory.mktemp("tiny")
    return root, generate_scale(root, TINY, (2021, 2022), seed=5, chunk_rows=7)


def test_tiny_agencies(tiny):
    root, manifest = tiny
    frame = pl.read_csv(root / "agencies.csv", infer_schema=False)
    levels = Counter(frame["level"].to_list())
    assert levels["county_government"] == 2 and levels["county_department"] == 6
    assert levels["city_government"] == 1 and levels["city_department"] == 2
    assert 4 <= levels["township"] <= 6
    assert frame.height == manifest.agencies == sum(levels.values())
    assert frame["agency_code"].n_unique() == frame.height
    assert all(codes.is_valid(c) for c in frame["agency_code"])
    assert frame["division_code"].str.contains(r"^\d{12}$").all()


def test_row_counts_match_the_plan_and_the_files(tiny):
    root, manifest = tiny
    table = agencies(TINY, 5)
    for year in (2021, 2022):
        planned = counts(table, year, (2021, 2022), TINY, 5)
        assert manifest.totals["disclosures"][str(year)] == planned["n_items"].sum()
        assert manifest.totals["applications"][str(year)] == planned["n_apps"].sum()
    for f in manifest.files:
        assert pl.read_csv(root / f["path"], infer_schema=False).height == f["rows"], f["path"]
    # one file per group (the city level, two counties) per kind per year; appeals only where there are cases
    per_kind = Counter((f["kind"], f["year"]) for f in manifest.files)
    assert per_kind[("disclosures", 2021)] == per_kind[("applications", 2022)] == 3
    assert json.loads((root / "MANIFEST.json").read_text())["totals"] == manifest.totals


def test_every_row_is_valid_by_the_contract(tiny):
    root, manifest = tiny
    checked = oracle.check(root, _as_manifest(root, manifest))
    assert len(checked) == sum(f["rows"] for f in manifest.files)
    assert [(r.path, r.row, r.rule) for r in checked if r.rule] == []
    final = oracle.final(checked)
    repeals = [v for v in final["disclosures"] if v["doc_action"] == "repeal"]
    issued = {(v["agency_code"], v["doc_number"]) for v in final["disclosures"] if v["doc_action"] == "issue"}
    assert repeals and all((v["agency_code"], v["doc_number"]) in issued for v in repeals)
    assert all("〔2021〕" in v["doc_number"] and v["published_on"].year == 2022 for v in repeals)
    assert final["appeals"] and {v["proceeding"] for v in final["appeals"]} <= {"review", "litigation_direct", "litigation_after_review"}
    ids = [v["applicant_id_number"] for v in final["applications"]]
    assert len(set(ids)) < len(ids)  # some people apply more than once


def test_chunk_size_changes_neither_bytes_nor_rows(tiny, tmp_path):
    root, _ = tiny
    generate_scale(tmp_path / "big", TINY, (2021, 2022), seed=5, chunk_rows=100_000)
    first, second = _snapshot(root), _snapshot(tmp_path / "big")
    assert first.keys() == second.keys()
    for name in first:
        if name != "MANIFEST.json":  # it records the chunk size
            assert first[name] == second[name], name


def test_chunks_bound_memory(tmp_path, monkeypatch):
    heights = []
    original = scale_run.ChunkWriter.write

    def spy(self, chunk):
        heights.append(chunk.height)
        original(self, chunk)

    monkeypatch.setattr(scale_run.ChunkWriter, "write", spy)
    manifest = generate_scale(tmp_path / "t", TINY, (2022,), seed=5, chunk_rows=5)
    assert heights and max(heights) <= 5
    assert sum(heights) == sum(f["rows"] for f in manifest.files)


def test_parquet_holds_the_same_rows_as_csv(tiny, tmp_path):
    root, manifest = tiny
    generate_scale(tmp_path / "pq", TINY, (2021, 2022), seed=5, chunk_rows=7, fmt="parquet")
    f = next(f for f in manifest.files if f["kind"] == "applications")
    from_csv = pl.read_csv(root / f["path"], try_parse_dates=True, schema_overrides={"applicant_phone": pl.String, "applicant_id_number": pl.String})
    from_parquet = pl.read_parquet(tmp_path / "pq" / f["path"].replace(".csv", ".parquet"))
    assert from_parquet.schema["received_on"] == pl.Date and from_parquet.schema["extended"] == pl.Boolean
    assert from_parquet["application_id"].to_list() == from_csv["application_id"].to_list()
    assert from_parquet["received_on"].to_list() == from_csv["received_on"].to_list()


def test_bad_rate_breaks_exactly_the_rows_it_counts(tmp_path):
    manifest = generate_scale(tmp_path / "bad", TINY, (2022,), seed=5, bad_rate=0.05)
    checked = oracle.check(tmp_path / "bad", _as_manifest(tmp_path / "bad", manifest))
    rules = Counter(r.rule for r in checked if r.rule)
    expected = sum(f["bad_rows"] for f in manifest.files)
    assert expected > 0 and rules == {"value_invalid": expected}


def test_national_assumptions_without_writing_rows():
    spec = SCALES["national"]
    table = agencies(spec, 20230110)
    assert table.height >= 50_000 and table["group"].n_unique() > 3_000
    planned = counts(table, 2022, (2021, 2022, 2023), spec, 20230110)
    assert 28e6 <= planned["n_items"].sum() <= 35e6
    assert 0.9e6 <= planned["n_apps"].sum() <= 1.2e6


def test_cli_city_one_year_and_the_county_guard(tmp_path):
    import typer

    from pipelines.cli import generate as generate_cli

    app = typer.Typer()
    app.callback()(lambda: None)
    generate_cli.register(app)
    runner = CliRunner()
    result = runner.invoke(app, ["generate", "--scale", "city", "--years", "2022", "--format", "parquet", "--out", str(tmp_path / "c")])
    assert result.exit_code == 0, result.output
    manifest = json.loads((tmp_path / "c/MANIFEST.json").read_text())
    assert manifest["scale"] == "city" and manifest["years"] == [2022] and manifest["format"] == "parquet"
    assert manifest["agencies"] > 300 and manifest["totals"]["disclosures"]["2022"] > 80_000
    assert all(f["path"].endswith(".parquet") for f in manifest["files"])
    guard = runner.invoke(app, ["generate", "--format", "parquet", "--out", str(tmp_path / "s")])
    assert isinstance(guard.exception, GongkaiError) and "county" in str(guard.exception)
    years = runner.invoke(app, ["generate", "--scale", "city", "--years", "20x2", "--out", str(tmp_path / "y")])
    assert isinstance(years.exception, GongkaiError) and "20x2" in str(years.exception)


def test_spec_is_a_frozen_dataclass():
    assert dataclasses.is_dataclass(ScaleSpec) and SCALES["city"].city_level and not SCALES["city"].province_level
