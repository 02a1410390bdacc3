"""Pieces of the reader: values, labels, text layouts."""

import pytest

from pipelines.defs.published.extract import _match_row, classify, words
from pipelines.defs.published.report import check_report, to_object
from pipelines.defs.published.text import read_text, split_row
from tests.support.published_reports import Spec, to_text


@pytest.mark.parametrize(
    "text,expected",
    [
        ("0", ("number", 0.0)),
        ("１２６８", ("number", 1268.0)),
        (" 12 ", ("number", 12.0)),
        ("1,268", ("number", 1268.0)),
        ("0.0000", ("number", 0.0)),
        ("-1", ("number", -1.0)),
        ("3件", ("number", 3.0)),
        ("", ("blank", None)),
        ("  ", ("blank", None)),
        ("/", ("placeholder", None)),
        ("／", ("placeholder", None)),
        ("—", ("placeholder", None)),
        ("无", ("placeholder", None)),
        ("自然人", ("text", None)),
    ],
)
def test_classify(text, expected):
    assert classify(text) == expected


@pytest.mark.parametrize(
    "label,key",
    [
        ("5.属于三类内部事业信息", "3.3.5"),  # the seed's misspelling
        ("（5）属于三类内部事务信息", "3.3.5"),
        ("5、属于三类内部事务信息", "3.3.5"),
        ("2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理政府信息公开申请", "3.6.2"),  # the seed drops 其
        ("二、上年转结政府信息公开申请数量", "2"),
        ("四、转结下年度继续办理", "4"),
        ("（二）部分公开", "3.2"),
    ],
)
def test_row_labels(label, key):
    assert _match_row(words(label), -1) == key


def test_short_labels_only_after_their_predecessors():
    assert _match_row("其他", -1) is None  # the column heading before row 1
    assert _match_row("总计", -1) is None
    assert _match_row("其他", 21) == "3.6.3"
    assert _match_row("总计", 22) == "3.7"
    assert _match_row("总计", 22, in_header=True) is None  # a heading repeated after a page break


def test_split_row_and_broken_labels():
    assert split_row("1.属于国家秘密 0 0 / 0 0 0 0") == ["1.属于国家秘密", "0", "0", "/", "0", "0", "0", "0"]
    assert split_row("主动公开政府信息 379 条") is None
    doc = read_text("\t（三）不\n予\n公\n开\n\t1.属于国家秘密\n\t0\n")
    assert [t.text for t in doc.tokens] == ["（三）不予公开", "1.属于国家秘密", "0"]


def test_text_layer_row_without_blank_cells_is_not_guessed(tmp_path):
    # a PDF text layer drops blank cells: 6 numbers for 7 columns cannot be placed
    text = to_text(Spec()).replace("\t1.属于国家秘密\n\t0\n\t0\n\t0\n", "\t1.属于国家秘密\n\t0\n\t0\n", 1)
    path = tmp_path / "r.txt"
    path.write_text(text, encoding="utf-8")
    report = check_report(path)
    assert [(f.id, f.row, f.values) for f in report.findings] == [("row_incomplete", "3.3.1", {"read": ["0"] * 6})]
    assert all(x is None for x in to_object(report)["applications"]["3.3.1"].values())


def test_other_handling_as_one_row_in_a_national_report(tmp_path):
    spec = Spec()
    text = to_text(spec)
    start = text.index("\t（六）其他处理")
    end = text.index("\t（七）总计")
    # the three 3.6 rows replaced by one row under the group heading: 0 0 … 1 for natural person
    one_row = "\t（六）其他处理\n" + "".join(f"\t{x}\n" for x in ["1", "0", "0", "0", "0", "0", "1"]) + "\n\t\n"
    path = tmp_path / "r.txt"
    path.write_text(text[:start] + one_row + text[end:], encoding="utf-8")
    report = check_report(path)
    obj = to_object(report)
    assert obj["format"] == "national-2021"
    assert [(f.id, f.row) for f in report.findings] == [("row_aggregated", "3.6")]
    assert obj["applications"]["3.6.3"]["natural_person"] is None and obj["applications"]["3.7"]["total"] == 18
    assert {c["id"]: c["status"] for c in obj["checks"]}["A2"] == "pass"


def test_fraction_in_table_a_is_n1_and_null(tmp_path):
    spec = Spec()
    spec.applications[("3.3.2", "research")] = "0.5"
    report = check_report(_write(tmp_path, to_text(spec)))
    assert [(f.id, f.severity, f.row, f.column, f.values) for f in report.findings] == [("N1", "error", "3.3.2", "research", {"value": 0.5})]
    assert to_object(report)["applications"]["3.3.2"]["research"] is None


def _write(tmp_path, text):
    path = tmp_path / "r.txt"
    path.write_text(text, encoding="utf-8")
    return path


def test_gbk_text_is_read(tmp_path):
    path = tmp_path / "gbk.txt"
    path.write_bytes(to_text(Spec()).encode("gb18030"))
    assert check_report(path).agency_name == "临朐县城关街道办事处"


def test_unreadable_cell_text(tmp_path):
    spec = Spec()
    spec.applications[("3.5.1", "natural_person")] = "见附件"
    report = check_report(_write(tmp_path, to_text(spec)))
    assert [(f.id, f.row, f.column, f.values) for f in report.findings] == [("cell_unreadable", "3.5.1", "natural_person", {"text": "见附件"})]
