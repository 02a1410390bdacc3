"""A corpus of malformed ledgers: each bad file lies beside good ones and goes through `gongkai validate`.

Every case must end in quarantined rows, or in a one-line refusal of that file (a file that is not a ledger at
all is listed as not read), with no traceback and exit 1; rows read = accepted + quarantined + total rows for
every file read; the good files' rows are all accepted. The counts each case expects were worked out by hand
from the file it writes (the comment on each case says how).
"""

import datetime as dt
import json
import shutil
import zipfile
from collections.abc import Callable
from pathlib import Path

import openpyxl
import polars as pl
import pytest
from typer.testing import CliRunner

from pipelines.cli import main
from pipelines.defs.ingest.pii import scrub_text
from tests.support.raw_ledgers import TANGWU, code, raw_root, write_csv

FIXTURES = Path(__file__).parent.parent / "fixtures"
HEADER = ["申请编号", "受理机构代码", "收到申请日期", "申请人类型", "答复日期", "处理结果"]
GOOD = ["X-1", TANGWU, "2022-03-05", "自然人", "2022-03-20", "予以公开"]
BAD = ["X-2", TANGWU, "2022-04-01", "群众", "2022-04-10", "予以公开"]  # 群众 is no applicant type
GOOD_FILES = {"applications/good.csv": 2, "disclosures/good.csv": 1}  # rows each good file holds, all accepted


def _lines(rows: list[list[str]], sep: str = ",", end: str = "\n") -> str:
    return "".join(sep.join(r) + end for r in rows)


def _text(name: str, text: str, encoding: str = "utf-8") -> Callable[[Path], Path]:
    def make(folder: Path) -> Path:
        path = folder / name
        path.write_bytes(text.encode(encoding))
        return path

    return make


def _bytes(name: str, data: bytes) -> Callable[[Path], Path]:
    def make(folder: Path) -> Path:
        path = folder / name
        path.write_bytes(data)
        return path

    return make


def _xlsx(name: str, sheets: dict[str, list[list[object]]], cut: float | None = None, merge: str | None = None) -> Callable[[Path], Path]:
    def make(folder: Path) -> Path:
        path = folder / name
        book = openpyxl.Workbook()
        book.remove(book.active)
        for title, rows in sheets.items():
            sheet = book.create_sheet(title)
            for row in rows:
                sheet.append(row)
            if merge:
                sheet.merge_cells(merge)
        book.save(path)
        if cut is not None:
            data = path.read_bytes()
            path.write_bytes(data[: int(len(data) * cut)])
        return path

    return make


def _fixture_xls(name: str, cut: float | None = None) -> Callable[[Path], Path]:
    def make(folder: Path) -> Path:
        path = folder / name
        shutil.copy(FIXTURES / "applications_2022.xls", path)
        if cut is not None:
            data = path.read_bytes()
            path.write_bytes(data[: int(len(data) * cut)])
        return path

    return make


def _parquet(name: str, frame: pl.DataFrame, cut: float | None = None) -> Callable[[Path], Path]:
    def make(folder: Path) -> Path:
        path = folder / name
        frame.write_parquet(path)
        if cut is not None:
            data = path.read_bytes()
            path.write_bytes(data[: int(len(data) * cut)])
        return path

    return make


def _zip_named(name: str) -> Callable[[Path], Path]:
    """A ZIP archive that is no workbook (what a renamed .zip looks like)."""

    def make(folder: Path) -> Path:
        path = folder / name
        with zipfile.ZipFile(path, "w") as z:
            z.writestr("readme.txt", "not a workbook")
        return path

    return make


CSV = _lines([HEADER, GOOD, BAD])
# Outcomes: ("read", rows, accepted, quarantined, total_rows) | ("rejected", rule) | ("not_read",)
READ_1_1 = ("read", 2, 1, 1, 0)  # GOOD accepted, BAD quarantined
CASES: dict[str, tuple[Callable[[Path], Path], tuple]] = {
    # -------------------------------------------------------------- encodings
    "utf8": (_text("a.csv", CSV), READ_1_1),
    "utf8_bom": (_text("a.csv", CSV, "utf-8-sig"), READ_1_1),
    "gbk": (_text("a.csv", CSV, "gbk"), READ_1_1),
    "gb18030": (_text("a.csv", _lines([HEADER, GOOD, ["X-2", TANGWU, "2022-04-01", "𠀀群众", "2022-04-10", "予以公开"]]), "gb18030"), READ_1_1),
    "utf16_bom": (_text("a.csv", CSV, "utf-16"), READ_1_1),  # Excel's "Unicode" export: BOM, then UTF-16LE
    "utf16_be_bom": (_bytes("a.csv", b"\xfe\xff" + CSV.encode("utf-16-be")), READ_1_1),
    "utf16_no_bom": (_text("a.csv", CSV, "utf-16-le"), ("rejected", "file_encoding")),
    # a UTF-8 file with one line saved as GBK: neither encoding reads it whole, so it is refused, not guessed
    "mixed_utf8_gbk": (_bytes("a.csv", _lines([HEADER, GOOD]).encode() + _lines([BAD]).encode("gbk")), ("rejected", "file_encoding")),
    "utf8_bom_then_gbk": (_bytes("a.csv", b"\xef\xbb\xbf" + CSV.encode("gbk")), ("rejected", "file_encoding")),
    "binary_noise": (_bytes("a.csv", bytes(range(256)) * 8), ("rejected", "file_encoding")),
    # ----------------------------------------------------------- truncations
    "csv_cut_mid_line": (_text("a.csv", CSV + "X-3," + TANGWU[:7]), ("read", 3, 1, 2, 0)),  # code cut short
    # a quote opened and never closed: the rest of the file is one cell, so the file cannot be parsed
    "csv_cut_in_quotes": (_text("a.csv", CSV + 'X-3,"' + TANGWU), ("rejected", "file_unreadable")),
    # … and the cell it quotes in its error is left out: it may be an applicant's name
    "csv_cut_in_quotes_name": (_text("a.csv", CSV + '"欧阳娜娜,' + TANGWU), ("rejected", "file_unreadable")),
    "csv_no_final_newline": (_text("a.csv", CSV.rstrip("\n")), READ_1_1),
    "csv_crlf": (_text("a.csv", _lines([HEADER, GOOD, BAD], end="\r\n")), READ_1_1),
    "xlsx_cut_half": (_xlsx("a.xlsx", {"台账": [HEADER, GOOD, BAD]}, cut=0.5), ("rejected", "file_unreadable")),
    "xlsx_cut_tail": (_xlsx("a.xlsx", {"台账": [HEADER, GOOD, BAD]}, cut=0.97), ("rejected", "file_unreadable")),
    "xlsx_empty_bytes": (_bytes("a.xlsx", b""), ("rejected", "file_unreadable")),
    "xls_cut": (_fixture_xls("a.xls", cut=0.5), ("rejected", "file_unreadable")),
    "parquet_cut": (
        _parquet("a.parquet", pl.DataFrame({h: [g, b] for h, g, b in zip(HEADER, GOOD, BAD, strict=True)}), cut=0.6),
        ("rejected", "file_unreadable"),
    ),
    # --------------------------------------------------------- empty, header only
    "empty_csv": (_bytes("a.csv", b""), ("rejected", "header_not_found")),
    "blank_lines_only": (_text("a.csv", "\n\n  \n"), ("rejected", "header_not_found")),
    "bom_only": (_bytes("a.csv", b"\xef\xbb\xbf"), ("rejected", "header_not_found")),
    "header_only": (_text("a.csv", _lines([HEADER])), ("read", 0, 0, 0, 0)),
    "header_only_xlsx": (_xlsx("a.xlsx", {"台账": [HEADER]}), ("read", 0, 0, 0, 0)),
    "xlsx_no_sheet_content": (_xlsx("a.xlsx", {"Sheet1": []}), ("rejected", "header_not_found")),
    # ------------------------------------------------------------- the header
    "no_header": (_text("a.csv", _lines([GOOD, BAD])), ("rejected", "header_not_found")),
    "header_too_deep": (_text("a.csv", _lines([["说明"]] * 12 + [HEADER, GOOD, BAD])), ("rejected", "header_not_found")),
    "semicolons": (_text("a.csv", _lines([HEADER, GOOD, BAD], sep=";")), ("rejected", "header_not_found")),
    "tabs": (_text("a.csv", _lines([HEADER, GOOD, BAD], sep="\t")), ("rejected", "header_not_found")),
    # 处理结果 missing: every row quarantined (columns_missing), none accepted
    "required_column_missing": (_text("a.csv", _lines([HEADER[:5], GOOD[:5], BAD[:5]])), ("read", 2, 0, 2, 0)),
    # 申请编号 twice: the first is read, the second is an unknown header (listed), the rows as usual
    "duplicated_header": (_text("a.csv", _lines([[*HEADER, "申请编号"], [*GOOD, "Z-1"], [*BAD, "Z-2"]])), READ_1_1),
    "header_decorated": (_text("a.csv", _lines([[f" {h}（必填） " for h in HEADER], GOOD, BAD])), READ_1_1),
    "header_full_width_spaces": (_text("a.csv", _lines([[f"\u3000{h}\u3000" for h in HEADER], GOOD, BAD])), READ_1_1),
    "title_rows": (_text("a.csv", _lines([["鄌郚镇依申请公开台账（2022年）"], ["单位：鄌郚镇"], [], HEADER, GOOD, BAD])), READ_1_1),
    "numbering_row": (_text("a.csv", _lines([HEADER, ["1", "2", "3", "4", "5", "6"], GOOD, BAD])), READ_1_1),
    "total_row": (_text("a.csv", _lines([["序号", *HEADER], ["1", *GOOD], ["2", *BAD], ["合计", "", "", "", "", "", ""]])), ("read", 3, 1, 1, 1)),
    # the same in GBK and UTF-16: whether a file may hold a total row is read from its bytes once decoded (计 is
    # other bytes in GBK), so these count it too
    "total_row_gbk": (_text("a.csv", _lines([["序号", *HEADER], ["1", *GOOD], ["2", *BAD], ["合计", "", "", "", "", "", ""]]), "gbk"), ("read", 3, 1, 1, 1)),
    "total_row_utf16": (
        _text("a.csv", _lines([["序号", *HEADER], ["1", *GOOD], ["2", *BAD], ["小计", "", "", "", "", "", ""]]), "utf-16"),
        ("read", 3, 1, 1, 1),
    ),
    "control_char_in_header": (_text("a.csv", _lines([[h + "\x07" if i == 3 else h for i, h in enumerate(HEADER)], GOOD, BAD])), READ_1_1),
    # --------------------------------------------------------------- workbooks
    "cover_sheet": (_xlsx("a.xlsx", {"填表说明": [["填表说明"], ["每件申请填一行"]], "台账": [HEADER, GOOD, BAD]}), READ_1_1),
    "only_cover_sheet": (_xlsx("a.xlsx", {"填表说明": [["填表说明"], ["每件申请填一行"]]}), ("rejected", "header_not_found")),
    "merged_title": (_xlsx("a.xlsx", {"台账": [["鄌郚镇依申请公开台账"], HEADER, GOOD, BAD]}, merge="A1:F1"), READ_1_1),
    "xlsx_total_row": (_xlsx("a.xlsx", {"台账": [HEADER, GOOD, BAD, ["总计", None, None, None, None, None]]}), ("read", 3, 1, 1, 1)),
    "xlsx_date_cells": (_xlsx("a.xlsx", {"台账": [HEADER, [*GOOD[:2], dt.date(2022, 3, 5), *GOOD[3:]], BAD]}), READ_1_1),
    "xlsx_numbers_as_ids": (_xlsx("a.xlsx", {"台账": [HEADER, [101, *GOOD[1:]], [102, *BAD[1:]]]}), READ_1_1),
    # a formula cell openpyxl writes has no cached value: the id reads as empty → record_id_missing
    "xlsx_formula_cell": (_xlsx("a.xlsx", {"台账": [HEADER, GOOD, ['=CONCAT("X","-2")', *GOOD[1:]]]}), READ_1_1),
    "two_ledger_sheets": (_xlsx("a.xlsx", {"上半年": [HEADER, GOOD], "下半年": [HEADER, BAD]}), READ_1_1),
    "xlsx_renamed_csv": (_text("a.xlsx", CSV), ("rejected", "file_unreadable")),
    "zip_not_workbook": (_zip_named("a.xlsx"), ("rejected", "file_unreadable")),
    "html_saved_as_xls": (_text("a.xls", "<html><body><table><tr><td>申请编号</td></tr></table></body></html>"), ("rejected", "file_unreadable")),
    "csv_that_is_a_workbook": (_xlsx("a.csv", {"台账": [HEADER, GOOD, BAD]}), ("rejected", "file_encoding")),
    # tests/fixtures/applications_2022.xls: cover sheet, merged title, 2 records (both good), a 合计 row
    "old_xls": (_fixture_xls("a.xls"), ("read", 3, 2, 0, 1)),
    # ----------------------------------------------------------------- parquet
    "parquet_typed": (_parquet("a.parquet", pl.DataFrame({h: [g, b] for h, g, b in zip(HEADER, GOOD, BAD, strict=True)})), READ_1_1),
    "parquet_list_column": (
        _parquet("a.parquet", pl.DataFrame({h: [g, b] for h, g, b in zip(HEADER, GOOD, BAD, strict=True)} | {"附件": [["a"], ["b", "c"]]})),
        ("rejected", "file_unreadable"),
    ),
    "parquet_unknown_columns": (_parquet("a.parquet", pl.DataFrame({"a": [1], "b": ["x"]})), ("rejected", "header_not_found")),
    "parquet_int_id": (
        _parquet("a.parquet", pl.DataFrame({HEADER[0]: [1, 2]} | {h: [g, b] for h, g, b in zip(HEADER[1:], GOOD[1:], BAD[1:], strict=True)})),
        READ_1_1,
    ),
    # ------------------------------------------------------------- the values
    "wrong_types": (_text("a.csv", _lines([HEADER, GOOD, ["X-2", TANGWU, "三月", "自然人", "44999.5x", "予以公开"]])), READ_1_1),
    "impossible_date": (_text("a.csv", _lines([HEADER, GOOD, ["X-2", TANGWU, "2022-02-30", "自然人", "", ""]])), READ_1_1),
    "date_1900": (_text("a.csv", _lines([HEADER, GOOD, ["X-2", TANGWU, "1900-01-01", "自然人", "", ""]])), READ_1_1),
    "date_in_2099": (_text("a.csv", _lines([HEADER, GOOD, ["X-2", TANGWU, "2099-01-01", "自然人", "", ""]])), READ_1_1),
    "full_width_digits": (_text("a.csv", _lines([HEADER, ["X-1", TANGWU, "２０２２年３月５日", "自然人", "2022.3.20", "予以公开"], BAD])), READ_1_1),
    "formula_text_as_type": (_text("a.csv", _lines([HEADER, GOOD, ["X-2", TANGWU, "2022-04-01", '"=HYPERLINK(""http://x"",""点我"")"', "", ""]])), READ_1_1),
    "formula_text_as_id": (_text("a.csv", _lines([HEADER, GOOD, ["=1+1", TANGWU, "2022-04-01", "群众", "", ""]])), READ_1_1),
    "plus_minus_at_values": (_text("a.csv", _lines([HEADER, GOOD, ["X-2", "+" + TANGWU, "2022-04-01", "@自然人", "", ""]])), READ_1_1),
    "control_chars": (
        _text(
            "a.csv",
            _lines([HEADER, ["X-1\x0b", TANGWU, "2022-03-05", "自然人", "2022-03-20", "予以公开"], ["X-2", TANGWU, "2022-04-01", "自然\x00人\x1b", "", ""]]),
        ),
        READ_1_1,
    ),
    "giant_cell": (_text("a.csv", _lines([HEADER, GOOD, ["X-2", TANGWU, "2022-04-01", "群" * 2_000_000, "", ""]])), READ_1_1),
    # a line break inside a quoted cell: 自然⏎人 folds to 自然人 (accepted); 群⏎众 is quarantined, its message one line
    "embedded_newline": (
        _text("a.csv", _lines([HEADER, GOOD, ["X-2", TANGWU, "2022-04-01", '"自然\n人"', "", ""], ["X-3", TANGWU, "2022-04-01", '"群\n众"', "", ""]])),
        ("read", 3, 2, 1, 0),
    ),
    "newline_in_no_header": (_text("a.csv", _lines([['"申请\n编号"', "x"], ["1", "2"]])), ("rejected", "header_not_found")),
    "ragged_rows": (_text("a.csv", _lines([HEADER, [*GOOD, "多余", "多余"], BAD[:3]])), READ_1_1),
    "duplicate_id": (_text("a.csv", _lines([HEADER, GOOD, ["X-2", *GOOD[1:]], ["X-2", *GOOD[1:]]])), ("read", 3, 1, 2, 0)),
    "unknown_agency": (_text("a.csv", _lines([HEADER, GOOD, ["X-2", TANGWU[:-2] + "00", *GOOD[2:]]])), READ_1_1),
    "negative_fee": (_text("a.csv", _lines([[*HEADER, "信息处理费（元）"], [*GOOD, "0"], [*BAD[:3], "自然人", *BAD[4:], "-5"]])), READ_1_1),
    # ------------------------------------------------------------- file names
    "name_with_spaces_and_symbols": (_text("台账 #1 (最终版) 100%;'.csv", CSV), READ_1_1),
    "name_with_emoji": (_text("📄台账.csv", CSV), READ_1_1),
    "name_very_long": (_text("台" * 80 + ".csv", CSV), READ_1_1),
    "name_upper_suffix": (_text("A.CSV", CSV), READ_1_1),
    "name_with_newline": (_text("a\nb.csv", CSV), READ_1_1),
    "name_leading_dash": (_text("-rf.csv", CSV), READ_1_1),
    "name_with_id_number": (_text("申请人37072519880808123X.csv", CSV), READ_1_1),
    "no_extension": (_text("台账", CSV), ("not_read",)),
    "lock_file": (_text("~$台账.xlsx", "x"), ("not_read",)),
    "docx_beside": (_bytes("说明.docx", b"PK\x03\x04"), ("not_read",)),
}


def _elsewhere(where: str, make: Callable[[Path], Path]) -> Callable[[Path], Path]:
    """A case's file in another folder of the raw root (`where` relative to it; "" for the root itself)."""

    def moved(folder: Path) -> Path:
        target = folder.parent / where
        target.mkdir(parents=True, exist_ok=True)
        return make(target)

    return moved


D_HEADER = ["索引号", "发布机构代码", "标题", "发布日期", "发布渠道", "信息类别"]
C_HEADER = ["案号", "被申请人/被告机构代码", "案件类型", "立案日期", "审结日期", "结果"]
NEW_AGENCY = code("11370725MB0000009")
CASES |= {
    # ------------------------------------------------------- the other kinds
    # formula text as a title is a title (text is never evaluated); 抖音 is no channel
    "disclosures_gbk_formula_title": (
        _elsewhere(
            "disclosures",
            _text(
                "d.csv",
                _lines(
                    [
                        D_HEADER,
                        ["D-2", TANGWU, '"=HYPERLINK(""http://x"",""点我"")"', "2022-03-05", "微信公众号", "其他"],
                        ["D-3", TANGWU, "通知", "2022-03-06", "抖音", "其他"],
                    ]
                ),
                "gbk",
            ),
        ),
        READ_1_1,
    ),
    "appeals_xlsx_bad_proceeding": (
        _elsewhere(
            "appeals",
            _xlsx(
                "c.xlsx", {"台账": [C_HEADER, ["C-1", TANGWU, "行政复议", "2022-04-01", "2022-05-01", "维持"], ["C-2", TANGWU, "信访", "2022-04-01", "", ""]]}
            ),
        ),
        READ_1_1,
    ),
    # a second agency list: a name typed as a formula is a formula cell, which has no value until Excel computes
    # it (openpyxl stores none), so the name is missing; a code with a wrong check character is invalid
    "agencies_formula_name": (
        _elsewhere(
            "",
            _xlsx(
                "agencies.xlsx",
                {
                    "机构": [
                        ["统一社会信用代码", "机构名称"],
                        [NEW_AGENCY, '=HYPERLINK("http://x","点我")'],
                        [NEW_AGENCY[:-1] + ("0" if NEW_AGENCY[-1] != "0" else "1"), "某局"],
                    ]
                },
            ),
        ),
        ("read", 2, 0, 2, 0),
    ),
    # the register: 已交 is no status
    "submissions_bad_status": (
        _elsewhere(
            "",
            _text(
                "submissions.csv",
                _lines([["统一社会信用代码", "年度", "台账类型", "报送情况"], [TANGWU, "2022", "复议诉讼", "本年无"], [TANGWU, "2022", "主动公开", "已交"]]),
            ),
        ),
        READ_1_1,
    ),
}


def _root(tmp_path: Path) -> Path:
    root = raw_root(tmp_path)
    write_csv(
        root / "applications" / "good.csv",
        [
            dict(zip(HEADER, ["G-1", TANGWU, "2022-05-01", "自然人", "2022-05-10", "予以公开"], strict=True)),
            dict(zip(HEADER, ["G-2", TANGWU, "2022-06-01", "商业企业", "", ""], strict=True)),
        ],
    )
    write_csv(
        root / "disclosures" / "good.csv",
        [{"索引号": "D-1", "发布机构代码": TANGWU, "标题": "关于春耕的通知", "发布日期": "2022-03-05", "发布渠道": "微信公众号", "信息类别": "其他"}],
    )
    return root


def _validate(root: Path) -> tuple[int, str, dict]:
    main._register()
    res = CliRunner().invoke(main.app, ["validate", str(root), "--format", "json"])
    assert res.exception is None or isinstance(res.exception, SystemExit), repr(res.exception)
    assert "Traceback" not in res.output
    return res.exit_code, res.output, json.loads(res.output)


@pytest.mark.parametrize("case", list(CASES))
def test_malformed_file_beside_good_ones(tmp_path, case):
    make, expected = CASES[case]
    root = _root(tmp_path)
    path = make(root / "applications")
    code, _, report = _validate(root)
    files = {f["path"]: f for f in report["files"]}
    # the good files are read whole
    for good, rows in GOOD_FILES.items():
        f = files[good]
        assert (f["status"], f["rows"], f["accepted"], f["quarantined"]) == ("read", rows, rows, 0), f
    # every file read conserves its rows
    for f in files.values():
        if f["status"] == "read":
            assert f["rows"] == f["accepted"] + f["quarantined"] + f["total_rows"], f
    # the bad file, by the name it is shown under (a control character in it shows as �)
    bad_file = files[(scrub_text(path.relative_to(root).as_posix(), identifier=True) or "").replace("\n", "\ufffd")]
    assert len(files) == 4, files.keys()  # agencies.csv, the two good files, the bad one
    if expected[0] == "read":
        got = (bad_file["status"], bad_file["rows"], bad_file["accepted"], bad_file["quarantined"], bad_file["total_rows"])
        assert got == expected, bad_file
        quarantined = [q for q in report["quarantine"] if q["path"] == bad_file["path"]]
        assert len(quarantined) == expected[3]
        assert all(q["rule"] and q["message"] and "\n" not in q["message"] and len(q["message"]) < 1000 for q in quarantined)
        assert all(q["value"] is None or len(q["value"]) <= 1001 for q in quarantined)  # a giant cell is clipped
    else:
        assert bad_file["status"] == expected[0], bad_file
        if expected[0] == "rejected":
            assert bad_file["rule"] == expected[1], bad_file
        # one line that a person can read, naming the file in the listing
        assert bad_file["error"] and "\n" not in bad_file["error"] and len(bad_file["error"]) < 1000, bad_file
        assert "欧阳娜娜" not in bad_file["error"]
    assert "\n" not in bad_file["path"]
    # exit 1: something was quarantined or refused (the good files alone would pass)
    assert code == (1 if expected[0] == "rejected" or (expected[0] == "read" and expected[3]) else 0)


# A few cases through the whole pipeline: the bad files do not stop the run, the good rows reach the warehouse.
END_TO_END = ["utf16_bom", "xlsx_cut_half", "giant_cell", "control_chars", "name_with_newline", "total_row", "old_xls", "parquet_list_column"]


@pytest.mark.slow
def test_a_few_bad_files_through_materialize(tmp_path, monkeypatch):
    import duckdb

    from pipelines.run import materialize_years
    from pipelines.settings import settings

    root = _root(tmp_path)
    expected = {}
    for case in END_TO_END:
        folder = root / "applications" / case
        folder.mkdir(parents=True)
        path = CASES[case][0](folder)
        # the shown path: a control character in a name shows as �
        expected[path.relative_to(root).as_posix().replace("\n", "\ufffd")] = CASES[case][1]
    cfg = settings(raw=root, warehouse=tmp_path / "out" / "gongkai.duckdb")
    monkeypatch.setenv("DAGSTER_HOME", str(tmp_path / "dagster"))
    materialize_years(cfg, [2022])

    con = duckdb.connect(str(cfg.warehouse), read_only=True)
    try:
        files = {r[0]: r[1:] for r in con.execute('SELECT path, status, "rows", accepted, quarantined, total_rows, error_rule FROM ledger_file').fetchall()}
        ids = {r[0] for r in con.execute("SELECT application_id FROM fact_application_record WHERE year = 2022").fetchall()}
    finally:
        con.close()
    for path, outcome in expected.items():
        status, rows, accepted, quarantined, total, rule = files[path]
        if outcome[0] == "read":
            assert (status, rows, accepted, quarantined, total) == outcome, path
        else:
            assert (status, rule) == outcome, path
    for good, rows in GOOD_FILES.items():
        assert files[good][:3] == ("read", rows, rows)
    # the good file's two applications, and X-1 of each bad file read (the .xls: X-2022-01 and X-2022-02)
    assert {"G-1", "G-2", "X-1", "X-2022-01", "X-2022-02"} <= ids
    assert (cfg.warehouse.parent / "reports").is_dir() and any((cfg.warehouse.parent / "reports").rglob("*.html"))


def test_text_output_gives_each_refused_file_one_line(tmp_path):
    """`gongkai validate` as a clerk reads it: every refused file is one line naming it, even when its name or the
    cells it shows hold line breaks, and nothing is a traceback."""
    root = _root(tmp_path)
    refused = ["xlsx_cut_half", "empty_csv", "newline_in_no_header", "csv_cut_in_quotes", "zip_not_workbook", "utf16_no_bom"]
    shown = []
    for i, case in enumerate(refused):
        folder = root / "applications" / f"{i}\n{case}"  # a line break in the folder name, too
        folder.mkdir()
        path = CASES[case][0](folder)
        shown.append(path.relative_to(root).as_posix().replace("\n", "\ufffd"))
    main._register()
    res = CliRunner().invoke(main.app, ["validate", str(root)])
    assert res.exit_code == 1 and "Traceback" not in res.output
    lines = res.output.splitlines()
    for case, path in zip(refused, shown, strict=True):
        mine = [line for line in lines if line.startswith(f"✗ {path}")]
        # one line per file: ✗ <path>  整个文件未读取 / rejected whole: <why> (later sections may name it again)
        assert len(mine) == 1 and "rejected whole" in mine[0], (path, mine)
        assert not any(line.lstrip().startswith(case) for line in lines)  # no name split over two lines
