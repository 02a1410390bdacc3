"""`gongkai validate` for a clerk: problems first, grouped by rule, in the clerk's own header names; a problem on
every row said once; the incomplete agency-years and why; the full table behind --all; JSON for scripts."""

import json

import pytest
from typer.testing import CliRunner

from pipelines.cli import main
from tests.support import ledger_fixtures as F

HEADER = ["登记号", "受理机构代码", "受理日期", "申请人类型", "办结日期", "答复类型"]  # the clerk's aliases


@pytest.fixture
def root(tmp_path):
    root = tmp_path / "raw"
    F.write_agencies(root)
    F.write_csv(
        root / "submissions.csv", ["agency_code", "year", "kind", "status"], [[F.C, 2022, k, "none"] for k in ("disclosures", "applications", "appeals")]
    )
    F.write_csv(
        root / "applications" / "b_2022.csv",
        HEADER,
        [
            ["B-1", F.B, "2022-02-30", "自然人", "", ""],  # row 2: 30 February
            ["B-2", F.B, "2022-03-01", "自然人", "2022-03-05", "予以公开"],
            ["B-3", F.B, "2022-13-01", "自然人", "", ""],  # row 4: month 13
        ],
    )
    # every row of this file has a 申请人类型 nobody can count: one problem, said once
    F.write_csv(root / "applications" / "c_2022.csv", HEADER, [[f"C-{i}", F.C, "2022-05-01", "群众", "", ""] for i in range(1, 31)])
    (root / "applications" / "说明.docx").write_bytes(b"PK")
    (root / "appeals").mkdir()
    (root / "appeals" / "cases.xlsx").write_bytes(b"PK\x03\x04 truncated")
    return root


def _run(*args):
    main._register()
    return CliRunner().invoke(main.app, ["validate", *args])


def test_text_puts_problems_first_in_the_clerks_words(root):
    res = _run(str(root))
    assert res.exit_code == 1, res.output
    out = res.output
    lines = out.splitlines()
    # a line per file with a problem, before anything else
    first = "\n".join(lines[:6])
    assert "✗ appeals/cases.xlsx" in first and "rejected whole" in first
    assert "· applications/说明.docx" in first and ".docx" in first
    assert "✗ applications/b_2022.csv  3 行 rows，1 通过 accepted，2 隔离 quarantined" in first
    # grouped by rule: the two bad dates under date_invalid, named by the clerk's header 受理日期
    assert "[date_invalid]" in out and "— 2 行 rows" in out
    assert "applications/b_2022.csv 第2行 row 2 B-1 「受理日期」" in out and "第4行 row 4 B-3 「受理日期」" in out
    # 30 rows with the same problem: said once, not 30 times
    assert "applications/c_2022.csv 列 column 「申请人类型」：全部 30 行 / every row (2–31)" in out
    assert out.count("群众") == 3  # the example value, and the message once (its Chinese and its English half)
    # incomplete agency-years: B 2022 (quarantined rows, no disclosures or cases declared), the unreadable docket
    assert "不完整的机构年度 / incomplete agency-years" in out
    assert "applications/b_2022.csv：2行被隔离（第2、4行）" in out
    assert "appeals/cases.xlsx 整个未能读取" in out
    assert "每个文件 / every file" not in out  # the full table only with --all


def test_all_lists_every_file_and_row(root):
    out = _run(str(root), "--all").output
    assert "每个文件 / every file" in out and "agencies.csv  [agencies]  3 = 3 + 0 + 0" in out
    assert "applications/b_2022.csv  [applications]  3 = 1 + 2 + 0" in out
    assert out.count("「申请人类型」") == 1  # still said once


def test_json_keeps_the_interface_and_adds_what_the_clerk_needs(root):
    res = _run(str(root), "--format", "json")
    assert res.exit_code == 1
    report = json.loads(res.output)
    files = {f["path"]: f for f in report["files"]}
    b = files["applications/b_2022.csv"]
    assert (b["rows"], b["accepted"], b["quarantined"], b["total_rows"], b["status"]) == (3, 1, 2, 0, "read")
    assert all(f["rows"] == f["accepted"] + f["quarantined"] + f["total_rows"] for f in report["files"] if f["status"] == "read")
    assert files["appeals/cases.xlsx"]["status"] == "rejected" and files["applications/说明.docx"]["status"] == "not_read"
    q = next(q for q in report["quarantine"] if q["record_id"] == "B-1")
    assert (q["row"], q["rule"], q["column"], q["header"], q["value"]) == (2, "date_invalid", "received_on", "受理日期", "2022-02-30")
    reasons = {(r["agency_code"], r["year"], r["reason"], r["kind"]) for r in report["incomplete"]}
    assert (F.B, 2022, "quarantined_rows", "applications") in reasons
    assert (F.B, 2022, "ledger_missing", "disclosures") in reasons
    assert (F.C, 2022, "quarantined_rows", "applications") in reasons
    assert not any(a == F.C and r == "ledger_missing" for a, _, r, _ in reasons)  # C declared none for all three


def test_only_files_that_are_not_ledgers_is_not_a_data_problem(tmp_path):
    root = tmp_path / "raw"
    F.write_agencies(root)
    F.write_csv(root / "applications" / "a.csv", F.APPLICATION_HEADER, [["A-1", F.A, "2022-01-05", "自然人", "某人", None, "2022-01-10", "予以公开", None]])
    (root / "applications" / "readme.txt").write_text("x")
    res = _run(str(root / "applications"), "--raw", str(root))
    assert res.exit_code == 0, res.output
    assert "· applications/readme.txt" in res.output or "readme.txt" in res.output
