"""The Dagster code location in-process: assets, asset checks, schedule and sensors."""

import datetime as dt
import os
import shutil
from zoneinfo import ZoneInfo

import dagster as dg
import polars as pl
import pytest

import tests.support.ledger_fixtures as F
from pipelines.defs import buckets
from pipelines.defs.automation.schedules import YEARS_TAG, ledger_files_changed, nightly, refresh_after_ingest
from pipelines.defs.ingest.assets import validated_ledgers
from pipelines.defs.tables.assets import statutory_tables
from pipelines.defs.warehouse import warehouse as wh
from pipelines.defs.warehouse.assets import warehouse_ledgers, warehouse_year
from pipelines.resources import GongkaiConfig
from pipelines.settings import settings

pytestmark = pytest.mark.slow  # whole pipeline runs

CHECK_NAMES = {"A1", "A2", "A3", "A4", "R1", "P1", "N1", "complete", "deadlines"}


@pytest.fixture
def env(monkeypatch, tmp_path):
    F.pii_env(monkeypatch, tmp_path)
    raw = tmp_path / "raw"
    warehouse = tmp_path / "wh" / "gongkai.duckdb"
    monkeypatch.setenv("GONGKAI_RAW_DIR", str(raw))
    monkeypatch.setenv("GONGKAI_WAREHOUSE", str(warehouse))
    cfg = settings(raw=raw, warehouse=warehouse)
    return {"raw": raw, "warehouse": warehouse, "cfg": cfg, "resources": {"gongkai": GongkaiConfig.from_settings(cfg)}}


def ingest(env, instance):
    return dg.materialize([validated_ledgers, warehouse_ledgers], resources=env["resources"], instance=instance)


def year(env, instance, key: str):
    return dg.materialize([statutory_tables, warehouse_year], partition_key=key, resources=env["resources"], instance=instance)


def meta(result, asset: str) -> dict:
    (mat,) = result.asset_materializations_for_node(asset)
    return {k: getattr(v, "value", v) for k, v in mat.metadata.items()}


def checks(result) -> dict[str, dg.AssetCheckEvaluation]:
    return {e.check_name: e for e in result.get_asset_check_evaluations()}


def check_meta(evaluation) -> dict:
    return {k: getattr(v, "value", v) for k, v in evaluation.metadata.items()}


def test_definitions_load():
    from pipelines.definitions import defs

    dg.Definitions.validate_loadable(defs)
    assert {k.to_user_string() for k in defs.resolve_asset_graph().get_all_asset_keys()} >= {"validated_ledgers", "statutory_tables", "warehouse_year"}


def test_ingest_then_2022_on_clean_ledgers(env):
    F.write_hand_worked(env["raw"])
    instance = dg.DagsterInstance.ephemeral()
    r = ingest(env, instance)
    assert r.success
    m = meta(r, "validated_ledgers")
    # 3 agencies + 26 register entries + 14 disclosures + 4 + 6 + 1 + 3 application rows + 6 appeals = 63 rows in 8 files
    assert (m["files"], m["rows_read"], m["rows_accepted"], m["rows_quarantined"]) == (8, 63, 63, 0)
    assert m["records_applications"] == 12 and m["records_appeals"] == 6 and m["records_disclosures"] == 14
    assert {e.check_name: e.passed for e in r.get_asset_check_evaluations()} == {"rows_conserved": True, "files_readable": True, "no_quarantine": True}
    led = meta(r, "warehouse_ledgers")
    assert (led["rows_quarantine"], led["rows_ledger_file"]) == (0, 8)

    r22 = year(env, instance, "2022")
    assert r22.success
    t = meta(r22, "statutory_tables")
    # 3 agencies × (175 application, 15 appeal, 10 proactive, 9 channel cells); 2021 not materialized: A4 and P1 not applicable
    assert (t["rows_fact_application"], t["rows_fact_appeal"], t["rows_fact_proactive"], t["rows_fact_channel"]) == (525, 45, 30, 27)
    assert (t["rows_agency_year"], t["rows_check_result"], t["incomplete_agencies"], t["checks_failed"]) == (3, 15, 0, 0)
    # the preview: one line per agency with its headline figures (A: 5 received + 1 carried in = 4 closed + 2 carried out)
    lines = t["preview"].splitlines()
    assert len(lines) == 2 + 3 and "more" not in t["preview"]
    assert lines[2].startswith(f"| {F.A} | {F.NAMES[F.A]} | 6 | 5 | 1 | 4 | 2 | True | 0 | 0 |")
    w = meta(r22, "warehouse_year")
    assert (w["rows_fact_application"], w["rows_dim_agency"], w["agencies_replaced"]) == (525, 3, 3)
    c = checks(r22)
    assert set(c) == CHECK_NAMES
    assert all(c[k].passed for k in CHECK_NAMES - {"deadlines"})
    # two of A's 2022 applications were answered late (2022: 1–3 Jan and 31 Jan – 6 Feb off, Sat 29 and Sun 30 Jan worked):
    # A22-01, received Sat 1 Jan: 4–7 Jan = 1–4, 10–14 = 5–9, 17–21 = 10–14, 24–28 = 15–19, Sat 29 Jan = 20: due 29 Jan,
    # answered 20 Feb; A22-03, received Tue 1 Nov: 2–4 Nov = 1–3, 7–11 = 4–8, 14–18 = 9–13, 21–25 = 14–18, 28, 29 Nov = 19, 20:
    # due 29 Nov, answered 15 Dec. A22-02 (Tue 1 Mar: 2–4 = 1–3 … 28, 29 Mar = 19, 20) is answered 10 Mar; B-01 (Fri 1 Apr:
    # Sat 2 Apr worked = 1, 4–5 off, 6–8 = 2–4, 11–15 = 5–9, 18–22 = 10–14, Sun 24 worked = 15, 25–29 = 16–20) 10 Apr.
    # Open: A22-04 (Wed 1 Jun: 2 Jun = 1, 3 Jun off, 6–10 = 2–6 … 27–30 Jun = 17–20). A22-05 (Sat 31 Dec: 1–2 Jan 2023
    # off, 3–6 = 1–4, 9–13 = 5–9, 16–20 = 10–14, 21–27 off, Sat 28, Sun 29 = 15, 16, 30 Jan – 2 Feb = 17–20) is answered
    # on 1 Jan 2023 in the 2023 file.
    assert not c["deadlines"].passed and c["deadlines"].severity == dg.AssetCheckSeverity.WARN
    assert check_meta(c["deadlines"])["late_by_agency"] == [f"{F.A} {F.NAMES[F.A]}: 2 (A22-01, A22-03)"]
    late = wh.query(env["warehouse"], "SELECT application_id, due_on::VARCHAR, status FROM v_application_deadline WHERE year = 2022 ORDER BY ALL")
    assert late.rows() == [
        ("A22-01", "2022-01-29", "late"),
        ("A22-02", "2022-03-29", "on_time"),
        ("A22-03", "2022-11-29", "late"),
        ("A22-04", "2022-06-30", "open"),
        ("A22-05", "2023-02-02", "on_time"),
        ("B-01", "2022-04-29", "on_time"),
    ]
    # answered in 2022 among the loaded rows: A22-01 used 31 working days (Sat 29 Jan = 20, Sun 30 Jan = 21, 7–11 Feb =
    # 22–26, 14–18 Feb = 27–31; Sun 20 Feb adds none), A22-03 32 (30 Nov = 21, 1–2 Dec = 22, 23, 5–9 = 24–28, 12–15 = 29–32),
    # A22-02 7 (2–4, 7–10 Mar); B-01 4 (Sat 2 Apr, 6–8 Apr; Sun 10 Apr adds none)
    per_year = wh.query(
        env["warehouse"],
        "SELECT agency_code, answered, on_time, late, on_time_rate, longest_working_days FROM v_deadline_agency_year WHERE year = 2022 ORDER BY 1",
    )
    assert per_year.rows() == [(F.A, 3, 1, 2, 1 / 3, 32), (F.B, 1, 1, 0, 1.0, 4)]
    assert check_meta(c["A1"])["agency_years_checked"] == 3
    assert check_meta(c["A4"])["agency_years_checked"] == 0  # no 2021 yet

    # the warehouse now holds the hand-worked 2022 figures of A
    got = wh.query(
        env["warehouse"], "SELECT applications_received, applications_carried_out, fees_yuan FROM v_agency_year WHERE agency_code = ? AND year = 2022", [F.A]
    )
    assert got.rows() == [(5, 2, 350.0)]


def test_a4_uses_the_previous_partition_and_names_the_failing_agency(env):
    F.write_hand_worked(env["raw"])
    instance = dg.DagsterInstance.ephemeral()
    assert ingest(env, instance).success
    assert year(env, instance, "2021").success
    r22 = year(env, instance, "2022")
    c = checks(r22)
    assert c["A4"].passed and check_meta(c["A4"])["agency_years_checked"] == 3
    assert c["P1"].passed and check_meta(c["P1"])["agency_years_checked"] == 3

    # Tamper with the stored 2021 tables: B's row 4 now says one application was carried out of 2021.
    stored = env["warehouse"].parent / "tables" / "2021" / "fact_application"
    frame = buckets.scan(stored).collect()
    shutil.rmtree(stored)
    buckets.write(
        frame.with_columns(
            pl.when((pl.col("agency_code") == F.B) & (pl.col("row_key") == "4") & (pl.col("column_key") == "natural_person"))
            .then(1)
            .otherwise(pl.col("value"))
            .alias("value")
        ),
        stored,
    )
    # 2022's inputs did not change (the fingerprints do not read the stored figures): nothing is redone …
    assert meta(year(env, instance, "2022"), "statutory_tables")["agencies_recomputed"] == 0
    # … until what 2022 was computed from is forgotten
    (env["warehouse"].parent / "tables" / "2022" / "inputs.parquet").unlink()
    r22 = year(env, instance, "2022")
    assert r22.success  # a failing check does not fail the run …
    c = checks(r22)
    assert not c["A4"].passed and c["A4"].severity == dg.AssetCheckSeverity.ERROR
    assert check_meta(c["A4"])["failing_agencies"] == [f"{F.B} {F.NAMES[F.B]}"]  # … it names the agency
    assert all(c[k].passed for k in CHECK_NAMES - {"A4", "deadlines"})
    assert meta(r22, "statutory_tables")["checks_failed"] == 1


def test_complete_check_lists_the_agencies_with_quarantined_rows(env):
    F.write_hand_worked(env["raw"])
    F.add_quarantined_rows(env["raw"])
    instance = dg.DagsterInstance.ephemeral()
    r = ingest(env, instance)
    assert r.success
    assert meta(r, "validated_ledgers")["rows_quarantined"] == 3
    ing_checks = {e.check_name: e.passed for e in r.get_asset_check_evaluations()}
    assert ing_checks == {"rows_conserved": True, "files_readable": True, "no_quarantine": False}

    r22 = year(env, instance, "2022")
    c = checks(r22)
    assert not c["complete"].passed and c["complete"].severity == dg.AssetCheckSeverity.WARN
    # 2022: B (B-02, closed before received) and C (a date nobody can read); A's bad row is a 2023 one
    assert check_meta(c["complete"])["incomplete_agencies"] == [f"{F.B} {F.NAMES[F.B]} (1)", f"{F.C} {F.NAMES[F.C]} (1)"]
    assert meta(r22, "statutory_tables")["incomplete_agencies"] == 2
    assert all(c[k].passed for k in CHECK_NAMES - {"complete", "deadlines"})

    r23 = year(env, instance, "2023")
    assert check_meta(checks(r23)["complete"])["incomplete_agencies"] == [f"{F.A} {F.NAMES[F.A]} (1)", f"{F.C} {F.NAMES[F.C]} (1)"]
    flags = wh.query(env["warehouse"], "SELECT agency_code, year, complete FROM agency_year ORDER BY ALL")
    assert flags.rows() == [(F.A, 2022, True), (F.A, 2023, False), (F.B, 2022, False), (F.B, 2023, True), (F.C, 2022, False), (F.C, 2023, False)]


# -------------------------------------------------------------- automation


def shanghai(*args) -> dt.datetime:
    return dt.datetime(*args, tzinfo=ZoneInfo("Asia/Shanghai"))


def test_nightly_schedule_ingests_at_two_in_shanghai():
    data = nightly.evaluate_tick(dg.build_schedule_context(scheduled_execution_time=shanghai(2027, 1, 15, 2, 0)))
    (request,) = data.run_requests
    assert YEARS_TAG not in request.tags  # the years follow from what changed (refresh_after_ingest)
    assert nightly.execution_timezone == "Asia/Shanghai" and nightly.cron_schedule == "0 2 * * *"
    assert nightly.job_name == "ingest_ledgers"


def test_ledger_sensor_skips_when_unchanged_and_runs_when_a_file_changes(env):
    F.write_hand_worked(env["raw"])
    instance = dg.DagsterInstance.ephemeral()
    first = ledger_files_changed.evaluate_tick(dg.build_sensor_context(instance=instance, resources=env["resources"], cursor=None))
    (req,) = first.run_requests
    assert first.cursor and req.run_key == first.cursor

    same = ledger_files_changed.evaluate_tick(dg.build_sensor_context(instance=instance, resources=env["resources"], cursor=first.cursor))
    assert same.run_requests == [] and same.skip_message
    assert same.cursor in (None, first.cursor)

    # a clerk re-exports a file: same name, new modification time
    changed = env["raw"] / "applications" / "a_2023.csv"
    os.utime(changed, (F.T0 + 1000, F.T0 + 1000))
    after = ledger_files_changed.evaluate_tick(dg.build_sensor_context(instance=instance, resources=env["resources"], cursor=first.cursor))
    (req2,) = after.run_requests
    assert after.cursor != first.cursor and req2.run_key == after.cursor

    # a new file
    F.write_csv(env["raw"] / "appeals" / "more.csv", F.APPEAL_HEADER, [["R9", F.A, None, "行政复议", "2023-02-01", None, None]], mtime=F.T0 + 2000)
    more = ledger_files_changed.evaluate_tick(dg.build_sensor_context(instance=instance, resources=env["resources"], cursor=after.cursor))
    assert len(more.run_requests) == 1 and more.cursor not in (first.cursor, after.cursor)


def test_refresh_after_ingest_requests_the_changed_and_the_tagged_years_in_order(env):
    from pipelines.definitions import build_defs

    F.write_hand_worked(env["raw"])
    instance = dg.DagsterInstance.ephemeral()
    # the job of the code location, with the tmp paths (defs' own resource was read from the environment at import)
    job = build_defs(env["cfg"]).resolve_job_def("ingest_ledgers")

    def requested(tags: dict) -> list[str]:
        result = job.execute_in_process(instance=instance, tags=tags)
        assert result.success
        run = instance.get_run_by_id(result.run_id)
        event = next(e for e in instance.all_logs(result.run_id) if e.dagster_event and e.dagster_event.event_type == dg.DagsterEventType.RUN_SUCCESS)
        ctx = dg.build_run_status_sensor_context(
            sensor_name="refresh_after_ingest", dagster_instance=instance, dagster_run=run, dagster_event=event.dagster_event, resources=env["resources"]
        )
        requests = list(refresh_after_ingest(ctx))
        assert len({r.run_key for r in requests}) == len(requests)
        return [r.partition_key for r in requests]

    # nothing computed yet: the years the ledgers hold (2021–2023 in the fixtures) and the year in progress — no
    # year in between that has nothing in it
    current = dt.datetime.now(ZoneInfo("Asia/Shanghai")).year
    wanted = ["2021", "2022", "2023", str(current)]
    assert requested({}) == wanted
    for y in wanted:
        assert year(env, instance, y).success
    assert requested({}) == []  # all up to date
    assert requested({YEARS_TAG: "2023,2022"}) == ["2022", "2023"]  # asked for explicitly
    # a 2023 application arrives: 2023 and every later year worth running (carry-over), not 2021 or 2022
    F.write_csv(
        env["raw"] / "applications" / "late.csv", F.APPLICATION_HEADER, [["N9", F.A, "2023-03-01", "自然人", "周九", None, None, None, None]], mtime=F.T0 + 5000
    )
    assert requested({}) == ["2023", str(current)]


def test_cli_runs_are_the_code_locations_jobs(env):
    """`gongkai materialize` executes the defined jobs, so the UI lists its runs under them (not an ephemeral job)."""
    from pipelines.run import materialize_years

    F.write_hand_worked(env["raw"])
    outcome = materialize_years(env["cfg"], [2022], include_reports=False)
    instance = dg.DagsterInstance.get()
    runs = [instance.get_run_by_id(r) for r in outcome.run_ids]
    assert [(r.job_name, r.tags.get("dagster/partition")) for r in runs] == [("ingest_ledgers", None), ("refresh_year", "2022")]
    assert {
        e.dagster_event.asset_key.to_user_string() for e in instance.all_logs(runs[1].run_id) if e.dagster_event and e.dagster_event.is_step_materialization
    } == {
        "statutory_tables",
        "warehouse_year",
    }


def test_ingestion_checks_count_total_rows_and_pass_over_files_that_are_not_ledgers(env):
    F.write_hand_worked(env["raw"])
    path = env["raw"] / "applications" / "titled.csv"
    # a title row, the header, one record, a 合计 row; and a Word file next to it
    path.write_text(
        "鄌郚镇依申请公开台账（2022年）\n"
        + ",".join(F.APPLICATION_HEADER)
        + "\n"
        + f"T-1,{F.A},2022-05-05,自然人,某人,,2022-05-09,予以公开,\n"
        + "合计,,,,,,,,\n",
        encoding="utf-8",
    )
    (env["raw"] / "applications" / "说明.docx").write_bytes(b"PK")
    r = ingest(env, dg.DagsterInstance.ephemeral())
    m = meta(r, "validated_ledgers")
    assert (m["total_rows"], m["files_rejected"], m["files_not_read"]) == (1, 0, 1)
    assert {e.check_name: e.passed for e in r.get_asset_check_evaluations()} == {"rows_conserved": True, "files_readable": True, "no_quarantine": True}
    files = wh.query(
        env["warehouse"], "SELECT path, status, \"rows\", accepted, quarantined, total_rows FROM ledger_file WHERE path LIKE 'applications/%' ORDER BY path"
    )
    assert ("applications/titled.csv", "read", 2, 1, 0, 1) in files.rows()
    assert ("applications/说明.docx", "not_read", None, None, None, None) in files.rows()


def test_a_changed_holiday_calendar_recomputes_the_due_dates(env):
    from pipelines.defs.calendar import workdays
    from pipelines.defs.ingest import lake
    from pipelines.defs.tables import inputs, store

    F.write_hand_worked(env["raw"])
    instance = dg.DagsterInstance.ephemeral()
    assert ingest(env, instance).success
    assert year(env, instance, "2022").success
    cfg = env["cfg"]

    def redo() -> list[str]:
        now = inputs.agency_inputs(lake.current(cfg.lake_dir), cfg.tables_dir, cfg.warehouse, 2022, cfg.today(), workdays.load(cfg.raw_dir).fingerprint)
        return sorted(inputs.stale(store.read_inputs(cfg.tables_dir, 2022), now)[0].to_list())

    assert redo() == []
    # Friday 28 January 2022 declared a holiday in the raw root's override file: every agency's due dates may move
    (env["raw"] / workdays.OVERRIDE_FILE).write_text("date,kind\n2022-01-28,holiday\n", encoding="utf-8")
    assert redo() == sorted([F.A, F.B, F.C])
    r22 = year(env, instance, "2022")
    assert meta(r22, "statutory_tables")["agencies_recomputed"] == 3
    # A22-01, received Sat 1 Jan 2022: 4–7 Jan = 1–4, 10–14 = 5–9, 17–21 = 10–14, 24–27 = 15–18, 28 Jan now off,
    # Sat 29 and Sun 30 Jan (make-up days) = 19, 20: due Sun 30 Jan instead of Sat 29 Jan
    due = wh.query(env["warehouse"], "SELECT due_on::VARCHAR FROM v_application_deadline WHERE application_id = 'A22-01'").item()
    assert due == "2022-01-30"
