"""The desk's parts on their own: the register, decisions as the reports read them, upload checks, one run at a time."""

import threading

import pytest

from pipelines.defs.reports.dismissals import dismissed_findings
from pipelines.desk import register
from pipelines.desk.jobs import Refresh
from pipelines.desk.store import Store
from pipelines.desk.uploads import OLE, ZIP, UploadRefused, check_type, safe_name
from tests.desk.support import add_users, client, csrf, desk_settings
from tests.support.raw_ledgers import DEPT, TANGWU


def test_register_rows_are_appended_once_in_the_contract_columns(tmp_path):
    assert register.declare(tmp_path, TANGWU, 2022, "appeals", "none") is True
    assert register.declare(tmp_path, TANGWU, 2022, "appeals", "none") is False  # said already
    assert register.declare(tmp_path, DEPT, 2022, "applications", "handed_in") is True
    text = (tmp_path / "submissions.csv").read_text(encoding="utf-8")
    assert text == f"agency_code,year,kind,status\n{TANGWU},2022,appeals,none\n{DEPT},2022,applications,handed_in\n"
    assert register.declared(tmp_path, TANGWU, 2022) == {"appeals": "none"}
    assert register.declared(tmp_path, TANGWU, 2023) == {}
    # a ledger handed in after "none": the row is replaced, never a second row the pipeline would quarantine
    assert register.declare(tmp_path, TANGWU, 2022, "appeals", "handed_in") is True
    text = (tmp_path / "submissions.csv").read_text(encoding="utf-8")
    assert text == f"agency_code,year,kind,status\n{DEPT},2022,applications,handed_in\n{TANGWU},2022,appeals,handed_in\n"


def test_a_register_written_by_hand_in_chinese_keeps_its_rows_and_language(tmp_path):
    (tmp_path / "submissions.csv").write_text(
        f"统一社会信用代码,年度,台账类型,报送情况,备注\n{DEPT},2022,主动公开,已报送,县里补录\n{TANGWU},2022,复议诉讼,本年无,\n", encoding="utf-8-sig"
    )
    assert register.declared(tmp_path, TANGWU, 2022) == {"appeals": "none"}
    assert register.declare(tmp_path, TANGWU, 2022, "appeals", "handed_in") is True
    raw = (tmp_path / "submissions.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")  # saved by Excel with a BOM, kept so
    text = raw.decode("utf-8-sig")
    assert text == f"统一社会信用代码,年度,台账类型,报送情况,备注\n{DEPT},2022,主动公开,已报送,县里补录\n{TANGWU},2022,复议诉讼,已报送,\n"


def test_the_latest_decision_counts_and_only_dismissals_reach_the_reports(tmp_path):
    db = tmp_path / "desk.sqlite"
    assert dismissed_findings(db, 2022) == {}  # no desk yet: nothing dismissed, nothing fails
    store = Store(db)
    store.decide(TANGWU, 2022, "check:P1", "dismiss", "上年报告数字有误", "changle")
    store.decide(TANGWU, 2022, "ledger:appeals", "dismiss", "无案件", "changle")
    store.decide(TANGWU, 2022, "ledger:appeals", "confirm", "又发现一件", "changle")  # changed their mind
    store.decide(DEPT, 2023, "check:P1", "dismiss", "另一年", "changle")
    assert dismissed_findings(db, 2022) == {TANGWU: frozenset({"check:P1"})}
    assert dismissed_findings(db, 2023) == {DEPT: frozenset({"check:P1"})}


def test_uploads_are_checked_by_suffix_and_first_bytes():
    assert check_type("a.csv", "编号,日期\n".encode()) == ".csv"
    assert check_type("a.XLSX", ZIP + b"rest") == ".xlsx"
    for name, head in (
        ("a.xlsx", b"id,date\n"),
        ("a.csv", ZIP + b"x"),
        ("a.csv", OLE),
        ("a.csv", b"a\x00b"),
        ("a.docx", ZIP),
        ("a.exe", b"MZ"),
        ("noext", b"x"),
    ):
        with pytest.raises(UploadRefused):
            check_type(name, head)


def test_a_kept_name_has_no_folders_or_shell_characters():
    assert safe_name("../../etc/passwd") == "passwd"
    assert safe_name("C:\\Users\\x\\鄌郚镇 台账（2022）.xlsx") == "鄌郚镇_台账（2022）.xlsx"
    assert safe_name('=HYPERLINK("x").csv') == "HYPERLINK_x_.csv"
    assert safe_name("...") == "ledger"


def test_one_background_run_at_a_time(tmp_path):
    release, started = threading.Event(), threading.Event()

    def slow(cfg, years, progress):
        progress("读取并校验台账 / reading and validating ledgers")
        started.set()
        release.wait(10)
        return type("Outcome", (), {"years": [2022]})()

    refresh = Refresh(desk_settings(tmp_path), run=slow)
    assert refresh.start("tangwu") is True
    started.wait(10)
    assert refresh.start("changle") is False  # refused while the first runs
    assert refresh.snapshot()["running"] is True and refresh.snapshot()["started_by"] == "tangwu"
    release.set()
    refresh.join(10)
    done = refresh.snapshot()
    assert done["running"] is False and done["error"] is None and done["years"] == [2022] and len(done["steps"]) == 2
    assert refresh.start("changle") is True
    refresh.join(10)


def test_a_failed_run_says_so_on_the_page(tmp_path):
    def broken(cfg, years, progress):
        raise RuntimeError("disk full")

    refresh = Refresh(desk_settings(tmp_path), run=broken)
    refresh.start("tangwu")
    refresh.join(10)
    assert "RuntimeError: disk full" in refresh.snapshot()["error"]


def test_another_agencys_upload_is_not_found_by_changing_the_id(tmp_path):
    cfg = desk_settings(tmp_path)
    add_users(cfg)
    tangwu = client(cfg, "tangwu")
    body = f"申请编号,统一社会信用代码,收到申请日期,申请人类型,答复日期,处理结果\nTW-1,{TANGWU},2022-03-01,自然人,2022-03-05,予以公开\n".encode()
    r = tangwu.post(f"/agency/{TANGWU}/upload", data={"csrf": csrf(tangwu), "kind": "applications", "year": "2022"}, files={"file": ("a.csv", body)})
    upload_id = r.headers["location"].split("/uploads/")[1].split("?")[0]
    assert tangwu.get(f"/agency/{TANGWU}/uploads/{upload_id}").status_code == 200
    dept = client(cfg, "dept")
    assert dept.get(f"/agency/{DEPT}/uploads/{upload_id}").status_code == 404  # its own agency in the URL, another's id
    assert dept.get(f"/agency/{TANGWU}/uploads/{upload_id}").status_code == 403
    # a file larger than the limit is refused before it is kept
    big = b"a,b\n" + b"x" * (cfg.desk_upload_mb * 1024 * 1024 + 10)
    r = tangwu.post(f"/agency/{TANGWU}/upload", data={"csrf": csrf(tangwu), "kind": "applications", "year": "2022"}, files={"file": ("big.csv", big)})
    assert r.status_code == 413
    assert len(list((cfg.desk_dir / "uploads" / TANGWU).iterdir())) == 1


def test_a_report_not_written_is_named_among_the_steps(tmp_path):
    line = "昌乐县鄌郚镇人民政府（11370725MB28501425）2022年：未知的标记 {{乱写}}"

    def one_failed(cfg, years, progress):
        return type("Outcome", (), {"years": [2022], "failed_reports": [line]})()

    refresh = Refresh(desk_settings(tmp_path), run=one_failed)
    refresh.start("tangwu")
    refresh.join(10)
    done = refresh.snapshot()
    assert done["error"] is None and done["years"] == [2022]
    assert [s["message"] for s in done["steps"]][:1] == [f"报告未生成 / report not written: {line}"]
