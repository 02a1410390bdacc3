"""The DuckDB warehouse: idempotent yearly loads, scoped replacement, atomic publishing, comments, concurrent readers."""

import hashlib
import json
import subprocess
import sys
import time
from pathlib import Path

import duckdb
import polars as pl
import pytest

import tests.support.ledger_fixtures as F
from pipelines.defs.tables import store
from pipelines.defs.tables.compute import compute_year
from pipelines.defs.warehouse import warehouse as wh

TABLES = (
    "dim_agency",
    "fact_proactive",
    "fact_application",
    "fact_appeal",
    "fact_channel",
    "agency_year",
    "check_result",
    "incomplete_reason",
    "quarantine",
    "ledger_file",
    "published_report",
    "published_proactive",
    "published_application",
    "published_appeal",
    "published_channel",
    "county_year",
    "loaded_input",
    "fact_application_record",
    "fact_appeal_record",
    "fact_proactive_record",
    "application_deadline",
    "calendar_day",
    "warehouse_build",
    "loaded_ledgers",
    "fee_excess",
    "label_proactive_item",
    "label_proactive_metric",
    "label_application_row",
    "label_application_column",
    "label_appeal_group",
    "label_appeal_result",
    "label_channel",
    "label_check",
)
VIEWS = (
    "v_application_deadline",
    "v_deadline_agency_year",
    "v_agency_year",
    "v_county_year",
    "v_county_year_live",
    "v_agency_yoy",
    "v_check_issues",
    "v_quarantine_agency_year",
    "v_computed_vs_published",
    "v_proactive_labelled",
    "v_application_labelled",
    "v_table_a",
    "v_appeal_labelled",
    "v_channel_labelled",
    "v_check_labelled",
)
WORKER = Path(__file__).parents[1] / "support" / "warehouse_worker.py"


def computed(root: Path, years=(2021, 2022, 2023)) -> tuple[pl.DataFrame, dict[int, dict[str, pl.DataFrame]], object]:
    ing = F.ingest_root(root)
    out, previous = {}, None
    for y in years:
        out[y] = compute_year(ing.records, ing.quarantine, y, previous=previous)
        previous = out[y]
    return ing.records["agencies"].drop("source_file", "source_sheet", "source_row"), out, ing


@pytest.fixture(scope="module")
def hand(tmp_path_factory):
    return computed(F.write_hand_worked(tmp_path_factory.mktemp("hand") / "raw"))


@pytest.fixture(scope="module")
def only_a(tmp_path_factory):
    """A raw root that holds agency A alone, with other 2022 data: one application received in 2022, open."""
    root = tmp_path_factory.mktemp("only_a") / "raw"
    F.write_agencies(root, codes=(F.A,))
    F.write_csv(root / "applications" / "a.csv", F.APPLICATION_HEADER, [["N-1", F.A, "2022-03-03", "商业企业", None, None, None, None, None]])
    return computed(root, years=(2022,))


def load(path: Path, year: int, agencies: pl.DataFrame, facts: dict, ing=None) -> dict:
    def work(con):
        written = wh.replace_year(con, year, agencies, facts)
        if ing is not None:
            written["quarantine"] = wh.replace_whole(con, "quarantine", ing.quarantine)
            written["ledger_file"] = wh.replace_whole(con, "ledger_file", ing.files)
        return written

    return wh.load(path, work)


def snapshot(path: Path, year: int | None = None, agencies: tuple[str, ...] = ()) -> dict[str, list[tuple]]:
    """Every table and view, sorted; restricted to one year and/or some agencies where the object has those columns."""
    con = wh.reader(path)
    try:
        out = {}
        for name in TABLES + VIEWS:
            cols = [d[0] for d in con.execute(f"SELECT * FROM {name} LIMIT 0").description]
            cond, params = [], []
            if year is not None and "year" in cols:
                cond.append("year = ?")
                params.append(year)
            if agencies and "agency_code" in cols:
                cond.append(f"agency_code IN ({', '.join('?' for _ in agencies)})")
                params += list(agencies)
            where = f"WHERE {' AND '.join(cond)}" if cond else ""
            out[name] = con.execute(f"SELECT * FROM {name} {where} ORDER BY ALL", params).fetchall()
        return out
    finally:
        con.close()


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_loading_a_year_twice_leaves_identical_content(tmp_path, hand):
    agencies, facts, ing = hand
    path = tmp_path / "wh.duckdb"
    load(path, 2021, agencies, facts[2021], ing)
    written = load(path, 2022, agencies, facts[2022], ing)
    assert written["fact_application"] == 3 * 175 and written["fact_appeal"] == 3 * 15 and written["fact_proactive"] == 3 * 10
    first = snapshot(path)
    assert load(path, 2022, agencies, facts[2022], ing) == written
    second = snapshot(path)
    assert first == second
    # no duplicates: 2 years × 3 agencies × 175 cells
    assert len(second["fact_application"]) == 2 * 3 * 175
    assert len(second["agency_year"]) == 6 and len(second["dim_agency"]) == 3
    # the views over the loaded data, worked out by hand (see tests/tables/test_tables.py)
    con = wh.reader(path)
    try:
        ay = con.execute(
            "SELECT applications_received, applications_carried_in, applications_closed, applications_carried_out, items_published, "
            "normative_documents_in_force, appeal_cases, fees_yuan, checks_failed, complete FROM v_agency_year WHERE agency_code = ? AND year = 2022",
            [F.A],
        ).fetchone()
        # received 5 (A22-01…05), carried in 1 (A21-02), closed 4, carried out 2; 6 items; 1 normative document in force;
        # appeals: review 1 + direct 2 + after review 1 = 4 numbers counted; fees 50 + 100 + 200 = 350 元
        assert ay == (5, 1, 4, 2, 6, 1, 4, 350.0, 0, True)
        county = con.execute("SELECT agencies, applications_received, items_published, fees_yuan FROM v_county_year WHERE year = 2022").fetchall()
        assert county == [(3, 6, 7, 350.0)]  # A 5 + B 1 applications; A 6 + B 1 items
        yoy = con.execute(
            "SELECT items_published, items_published_prev, applications_received_change FROM v_agency_yoy WHERE agency_code = ? AND year = 2022", [F.A]
        ).fetchone()
        assert yoy == (6, 6, 5 - 4)
    finally:
        con.close()


def test_loading_2022_does_not_touch_2021(tmp_path, hand, only_a):
    agencies, facts, _ = hand
    path = tmp_path / "wh.duckdb"
    load(path, 2021, agencies, facts[2021])
    before = snapshot(path, year=2021)
    load(path, 2022, agencies, facts[2022])
    load(path, 2022, only_a[0], only_a[1][2022])  # and 2022 once more, from another raw root
    assert snapshot(path, year=2021) == before
    n = wh.query(path, "SELECT year, count(*) AS n FROM fact_application GROUP BY year ORDER BY year")
    assert n.rows() == [(2021, 525), (2022, 525)]


def test_replacing_a_year_touches_only_the_agencies_of_the_raw_root(tmp_path, hand, only_a):
    agencies, facts, _ = hand
    path = tmp_path / "wh.duckdb"
    load(path, 2022, agencies, facts[2022])
    before_others = snapshot(path, agencies=(F.B, F.C))
    # v_county_year sums over all agencies and must change; everything per agency must not
    load(path, 2022, only_a[0], only_a[1][2022])
    after_others = snapshot(path, agencies=(F.B, F.C))
    for county_totals in ("v_county_year", "v_county_year_live", "county_year"):
        assert after_others.pop(county_totals) != before_others.pop(county_totals)
    assert after_others == before_others
    # A's 2022 rows are the new raw root's: one commercial application received and still open
    a = wh.query(path, "SELECT row_key, column_key, value FROM fact_application WHERE agency_code = ? AND year = 2022 AND value <> 0 ORDER BY ALL", [F.A])
    assert a.rows() == [("1", "commercial", 1), ("1", "total", 1), ("4", "commercial", 1), ("4", "total", 1)]
    assert wh.query(path, "SELECT count(*) AS n FROM fact_application WHERE agency_code = ?", [F.A]).item() == 175
    assert wh.query(path, "SELECT count(*) FROM fact_channel WHERE agency_code = ? AND value <> 0", [F.A]).item() == 0
    assert wh.query(path, "SELECT count(*) FROM dim_agency").item() == 3  # B and C stay known


def test_a_failure_inside_the_load_leaves_the_published_file_unchanged(tmp_path, hand):
    agencies, facts, _ = hand
    path = tmp_path / "wh.duckdb"
    load(path, 2021, agencies, facts[2021])
    published = digest(path)
    before = snapshot(path)

    def failing(con):
        wh.replace_year(con, 2022, agencies, facts[2022])
        wh.replace_year(con, 2021, agencies, {k: f.head(0) for k, f in facts[2021].items()})  # 2021 deleted, nothing inserted
        raise RuntimeError("disk full (simulated)")

    with pytest.raises(RuntimeError, match="simulated"):
        wh.load(path, failing)
    assert digest(path) == published
    assert snapshot(path) == before
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith(".")) == [], "staging files left behind"
    # the lock is free again: the next load goes through at once
    t = time.monotonic()
    with wh.writer(path, timeout=2) as con:
        wh.replace_year(con, 2022, agencies, facts[2022])
    assert time.monotonic() - t < 5
    assert wh.query(path, "SELECT count(DISTINCT year) FROM fact_application").item() == 2


def test_a_load_by_the_same_code_skips_the_ddl_and_labels_and_other_code_rebuilds_them(tmp_path, hand, monkeypatch):
    agencies, facts, _ = hand
    path = tmp_path / "wh.duckdb"
    load(path, 2021, agencies, facts[2021])
    assert wh.query(path, "SELECT fingerprint FROM warehouse_build").rows() == [(wh.build_fingerprint(),)]
    full = snapshot(path)

    def no_ddl() -> str:
        raise AssertionError("the DDL ran again for a file this code built")

    monkeypatch.setattr(wh, "ddl", no_ddl)
    load(path, 2022, agencies, facts[2022])  # would fail if the DDL ran
    assert wh.query(path, "SELECT year, count(*) FROM fact_application GROUP BY ALL ORDER BY ALL").rows() == [(2021, 525), (2022, 525)]
    monkeypatch.undo()
    # a file built by other code (an older release): a view it lacks, a label it spells otherwise, another fingerprint
    con = duckdb.connect(str(path))
    con.execute("DROP VIEW v_check_labelled")
    con.execute("UPDATE label_check SET label = 'old' WHERE position = 1")
    con.execute("UPDATE warehouse_build SET fingerprint = 'older code'")
    con.close()
    load(path, 2022, agencies, facts[2022])
    rebuilt = snapshot(path)  # reads every view: v_check_labelled is back
    assert rebuilt["label_check"] == full["label_check"]
    assert wh.query(path, "SELECT fingerprint FROM warehouse_build").rows() == [(wh.build_fingerprint(),)]


def test_every_table_and_column_has_a_comment(tmp_path, hand):
    agencies, facts, _ = hand
    path = tmp_path / "wh.duckdb"
    load(path, 2022, agencies, facts[2022])
    con = wh.reader(path)
    try:
        tables = dict(con.execute("SELECT table_name, comment FROM duckdb_tables() WHERE database_name = current_database()").fetchall())
        assert set(tables) == set(TABLES)
        assert {t for t, c in tables.items() if not (c or "").strip()} == set()
        cols = con.execute(
            "SELECT c.table_name, c.column_name, c.comment FROM duckdb_columns() c "
            "JOIN duckdb_tables() t ON t.database_name = c.database_name AND t.schema_name = c.schema_name AND t.table_name = c.table_name "
            "WHERE c.database_name = current_database()"
        ).fetchall()
        assert len(cols) >= 50
        assert [(t, c) for t, c, comment in cols if not (comment or "").strip()] == []
        views = dict(con.execute("SELECT view_name, comment FROM duckdb_views() WHERE NOT internal AND database_name = current_database()").fetchall())
        assert set(views) == set(VIEWS)
        assert {v for v, c in views.items() if not (c or "").strip()} == set()
    finally:
        con.close()


@pytest.mark.slow
def test_a_reader_never_sees_a_half_loaded_year_nor_a_lock(tmp_path, hand):
    agencies, facts, _ = hand
    path = tmp_path / "wh.duckdb"
    x = facts[2022]
    # version Y: every application cell of the year doubled, and A's fee changed — so a reader can tell
    # which load a table came from; a mix of the two is a half-loaded year.
    y = dict(x)
    y["fact_application"] = x["fact_application"].with_columns(pl.col("value") * 2)
    y["agency_year"] = x["agency_year"].with_columns(pl.when(pl.col("agency_code") == F.A).then(999.0).otherwise(pl.col("fees_yuan")).alias("fees_yuan"))
    store.write_year(tmp_path / "x", 2022, x)
    store.write_year(tmp_path / "y", 2022, y)
    agencies.write_parquet(tmp_path / "agencies.parquet")
    load(path, 2021, agencies, facts[2021])
    load(path, 2022, agencies, x)

    done = str(tmp_path / "writer.done")
    writer = subprocess.Popen(
        [sys.executable, str(WORKER), "write", str(path), str(tmp_path / "x"), str(tmp_path / "y"), str(tmp_path / "agencies.parquet"), "2022", "6", done],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    reader = subprocess.Popen([sys.executable, str(WORKER), "read", str(path), "2022", done], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        w_out, w_err = writer.communicate(timeout=600)
        r_out, r_err = reader.communicate(timeout=600)
    finally:
        for p in (writer, reader):
            if p.poll() is None:
                p.kill()
    assert writer.returncode == 0, w_err
    assert reader.returncode == 0, r_err
    wrote, saw = json.loads(w_out), json.loads(r_out)
    assert wrote["loads"] == 6, wrote
    assert saw["n_errors"] == 0, saw["errors"]
    assert saw["bad"] == [], saw["bad"]
    assert saw["opens"] >= 5, saw
    # A's 2022 application cells: rows 1 (5) + 2 (1) + outcomes (4) + 3.7 (4) + 4 (2) = 16, once in the
    # applicant columns and once in total → 32
    sum_x = int(x["fact_application"].filter(pl.col("agency_code") == F.A)["value"].sum())
    assert sum_x == 32
    allowed = {json.dumps([sum_x, 350.0]), json.dumps([2 * sum_x, 999.0])}
    assert set(saw["seen"]) <= allowed, saw["seen"]
    # 2021 stays whole throughout and after
    assert wh.query(path, "SELECT count(*) FROM fact_application WHERE year = 2021").item() == 525


def test_stored_county_totals_equal_the_live_computation(tmp_path):
    """v_county_year reads the county_year table each load stores; it must equal computing it now."""
    from pipelines.run import materialize_years
    from pipelines.settings import settings

    root = F.write_hand_worked(tmp_path / "raw")
    cfg = settings(raw=root, warehouse=tmp_path / "wh" / "gongkai.duckdb")
    materialize_years(cfg, [2021, 2022], include_reports=False)
    con = duckdb.connect(str(cfg.warehouse), read_only=True)
    stored = con.execute("SELECT * FROM v_county_year ORDER BY ALL").fetchall()
    live = con.execute("SELECT * FROM v_county_year_live ORDER BY ALL").fetchall()
    con.close()
    assert stored == live and len(stored) >= 2


def test_the_fact_grain_holds_after_loading_twice(tmp_path):
    """No primary-key index guards the facts (it would cost gigabytes at national size): the load does."""
    from pipelines.run import materialize_years
    from pipelines.settings import settings

    cfg = settings(raw=F.write_hand_worked(tmp_path / "raw"), warehouse=tmp_path / "wh" / "gongkai.duckdb")
    materialize_years(cfg, [2022], include_reports=False)
    materialize_years(cfg, [2022, 2023], include_reports=False)
    con = duckdb.connect(str(cfg.warehouse), read_only=True)
    grains = {
        "fact_proactive": "agency_code, year, item, metric",
        "fact_application": "agency_code, year, row_key, column_key",
        "fact_appeal": "agency_code, year, group_key, result",
        "fact_channel": "agency_code, year, channel",
    }
    for table, key in grains.items():
        dupes = con.execute(f"SELECT count(*) FROM (SELECT {key} FROM {table} GROUP BY ALL HAVING count(*) > 1)").fetchall()
        assert dupes == [(0,)], table
    assert con.execute("SELECT count(*) FROM fact_application WHERE year = 2022").fetchall() == [(3 * 175,)]
    con.close()
