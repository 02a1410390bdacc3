"""Normalizers: every date spelling, full-width digits, yes/no, codes — and properties that hold for any input."""

import datetime as dt

import polars as pl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pipelines.defs.ingest.normalize import parse_bool, parse_code, parse_date, parse_decimal, parse_int
from schemas import vocabulary as v
from schemas.codes import ALPHABET, check_character, is_valid, valid_expr
from schemas.columns import header_key


def _one(expr_fn, value, *args):
    return pl.DataFrame({"x": [value]}, schema={"x": pl.String}).select(expr_fn(pl.col("x"), *args)).item()


@pytest.mark.parametrize(
    "text",
    ["2022-03-05", "2022/3/5", "2022.03.05", "2022年3月5日", "20220305", "２０２２年３月５日", "2022-03-05 00:00:00", " 2022/03/05 ", "44625", "44625.0"],
)
def test_every_date_spelling(text):
    assert _one(parse_date, text) == dt.date(2022, 3, 5)


@pytest.mark.parametrize("text", ["2022-02-30", "2022-13-01", "昨天", "3/5/2022", "2022-3", "123", "", None])
def test_unreadable_dates_are_null_not_guessed(text):
    assert _one(parse_date, text) is None


def _spellings(d: dt.date) -> list[str]:
    serial = (d - dt.date(1899, 12, 30)).days
    full = str.maketrans("0123456789", "０１２３４５６７８９")
    return [
        d.isoformat(),
        f"{d.year}/{d.month}/{d.day}",
        f"{d.year}.{d.month:02d}.{d.day:02d}",
        f"{d.year}年{d.month}月{d.day}日",
        d.strftime("%Y%m%d"),
        f"{d.year}年{d.month}月{d.day}日".translate(full),
        str(serial),
    ]


@settings(max_examples=200, deadline=None)
@given(st.dates(min_value=dt.date(1960, 1, 1), max_value=dt.date(2099, 12, 31)))
def test_property_every_spelling_of_a_date_reads_back_as_that_date(d):
    frame = pl.DataFrame({"x": _spellings(d)})
    assert frame.select(parse_date(pl.col("x"))).to_series().to_list() == [d] * 7


@settings(max_examples=200, deadline=None)
@given(st.integers(min_value=0, max_value=10**9))
def test_property_integers_and_full_width_digits(n):
    full = str(n).translate(str.maketrans("0123456789", "０１２３４５６７８９"))
    frame = pl.DataFrame({"x": [str(n), full, f" {n}.0 ", f"-{n + 1}"]})
    assert frame.select(parse_int(pl.col("x"))).to_series().to_list() == [n, n, n, None]
    assert frame.select(parse_decimal(pl.col("x"))).to_series().to_list() == [float(n), float(n), float(n), float(-(n + 1))]


@pytest.mark.parametrize(
    "text,expected",
    [("是", True), ("否", False), ("Y", True), ("n", False), ("TRUE", True), ("false", False), ("1", True), ("0", False), ("maybe", None), (None, None)],
)
def test_yes_no(text, expected):
    assert _one(parse_bool, text) is expected


@pytest.mark.parametrize(
    "typed,row",
    [
        ("予以公开", "3.1"),
        ("（一）予以公开", "3.1"),
        ("同意公开", "3.1"),
        ("同意部分公开", "3.2"),
        ("部分公开（区分处理的，只计这一情形，不计其他情形）", "3.2"),
        ("1.属于国家秘密", "3.3.1"),
        ("危及“三安全一稳定”", "3.3.3"),
        ("属于三类内部事业信息", "3.3.5"),
        ("信息不存在", "3.4.1"),
        ("非本机关政府信息", "3.4.1"),
        ("本机关不掌握相关政府信息", "3.4.1"),
        ("重复申请", "3.5.2"),
        ("3.6.2", "3.6.2"),
        ("其他", "3.6.3"),
    ],
)
def test_outcome_labels_short_forms_and_pre_2019_aliases(typed, row):
    assert _one(parse_code, typed, v.OUTCOME_ALIASES) == row


def test_unknown_outcome_is_null():
    assert _one(parse_code, "已处理", v.OUTCOME_ALIASES) is None


def test_every_outcome_row_is_reachable_from_its_own_label():
    for row in v.OUTCOME_ROWS:
        assert v.OUTCOME_ALIASES[v.fold(row.short)] == row.key


# Only code points Python's own Unicode database assigns: Polars normalizes with a newer Unicode version
# (U+1E030, Unicode 15, is NFKC-folded by Polars and left alone by Python 3.11) — no ledger text is affected.
@settings(max_examples=200, deadline=None)
@given(st.text(st.characters(exclude_categories=("Cs", "Cn")), max_size=30))
def test_property_fold_and_header_key_are_idempotent(text):
    assert v.fold(v.fold(text)) == v.fold(text)
    assert header_key(header_key(text)) == header_key(text)
    assert pl.DataFrame({"x": [text]}).select(v.fold_expr(pl.col("x"))).item() == v.fold(text)


@pytest.mark.parametrize(
    "header,key",
    [("收到申请日期（必填）", "收到申请日期"), (" 金额（元） ", "金额"), ("ＡＧＥＮＣＹ_ＣＯＤＥ", "agency_code"), ("信息处理费(元)", "信息处理费")],
)
def test_header_folding(header, key):
    assert header_key(header) == key


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=ALPHABET, min_size=17, max_size=17), st.integers(0, 17), st.sampled_from(ALPHABET))
def test_property_gb32100_check_character_catches_any_single_change(first17, pos, ch):
    code = first17 + check_character(first17)
    assert is_valid(code)
    changed = code[:pos] + ch + code[pos + 1 :]
    assert is_valid(changed) == (changed == code)
    assert pl.DataFrame({"c": [code, changed]}).select(valid_expr("c")).to_series().to_list() == [True, changed == code]
