"""The three forms of the CSV-injection guard (Python, Polars, DuckDB SQL) agree, value by value."""

import duckdb
import polars as pl

from pipelines.defs.exports import cells

VALUES = ['=HYPERLINK("http://x","y")', "+86 536", "-2+3 公告", "@SUM(A1)", "\tx", "\rx", "ok", "昌乐县", "a=b", "", "'=already"]
# worked out by hand: a leading = + - @ tab or CR gets an apostrophe; anything else, the empty text included, stays
EXPECTED = ["'" + v for v in VALUES[:6]] + VALUES[6:]


def test_text_frame_and_sql_give_the_same_cells():
    assert [cells.text(v) for v in VALUES] == EXPECTED
    frame = pl.DataFrame({"v": VALUES, "n": list(range(len(VALUES)))})
    assert cells.frame(frame).get_column("v").to_list() == EXPECTED
    assert cells.frame(frame).get_column("n").to_list() == list(range(len(VALUES)))  # numbers untouched
    con = duckdb.connect()
    con.execute("CREATE TABLE t AS SELECT * FROM (SELECT unnest($1) AS v, generate_subscripts($1, 1) AS i)", [VALUES])
    got = [r[0] for r in con.execute(f"SELECT {cells.sql('v')} FROM t ORDER BY i").fetchall()]
    assert got == EXPECTED
