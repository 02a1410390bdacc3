"""Shortcuts taken for speed give exactly what the general path gives, for clean and messy values alike."""

import polars as pl
from hypothesis import given, settings
from hypothesis import strategies as st

from schemas.codes import ALPHABET, check_character, valid_expr
from schemas.ledgers import per_value
from tests.ingest.ledgers import DEPT, TANGWU


def test_per_value_code_check_equals_the_row_wise_check():
    codes = [TANGWU, DEPT, TANGWU, None, "", TANGWU[:-1] + "X", "１１370725MB28501425", TANGWU.lower(), None, DEPT]
    frame = pl.DataFrame({"c": codes}, schema={"c": pl.String})
    slow = frame.select(valid_expr("c")).to_series()
    fast = frame.select(per_value(valid_expr, pl.col("c"))).to_series()
    assert fast.to_list() == slow.to_list() == [True, True, True, False, False, False, False, False, False, True]


@settings(max_examples=100, deadline=None)
@given(st.lists(st.one_of(st.none(), st.text(alphabet=ALPHABET + "xO ", min_size=17, max_size=19), st.text(max_size=20)), max_size=30))
def test_property_per_value_code_check(values):
    values += [v[:17] + check_character(v[:17]) for v in values if v and len(v) >= 17 and all(ch in ALPHABET for ch in v[:17])]
    frame = pl.DataFrame({"c": values}, schema={"c": pl.String})
    assert frame.select(per_value(valid_expr, pl.col("c"))).to_series().to_list() == frame.select(valid_expr("c")).to_series().to_list()
