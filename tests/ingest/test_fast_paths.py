"""Shortcuts taken for speed give exactly what the general path gives, for clean and messy values alike."""

import polars as pl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pipelines.defs.ingest.discover import discover
from pipelines.defs.ingest.ingest import ingest
from pipelines.defs.ingest.normalize import RAW, _mapping, _typed, ascii_text, clean, normalize
from pipelines.defs.ingest.readers import ROW, canonical, drop_blank_rows, is_utf8
from schemas.codes import ALPHABET, check_character, valid_expr
from schemas.columns import KINDS, header_key, header_map
from schemas.ledgers import CROSS_FILE_SCHEMAS, FILE_SCHEMAS, RULE_CHECKS, SCHEMAS, is_duplicated, per_value, rule_checks
from tests.ingest.test_rules import CASES, GOOD, ID
from tests.support.raw_ledgers import DEPT, TANGWU, raw_root, write_csv

# ------------------------------------------------------------------ normalize


def _row_wise(frame: pl.DataFrame, kind: str) -> pl.DataFrame:
    """What `normalize` must give: every value parsed on its own, no distinct-value mapping, no shortcuts."""
    out = []
    for col in KINDS[kind].columns:
        src = pl.col(col.key)
        if col.personal:
            continue
        if col.type != "text":
            out += [clean(src).alias(col.key + RAW), _typed(col, src).alias(col.key)]
        elif col.key == "agency_code":
            out.append(_typed(col, src).alias(col.key))
        elif col.key in ("division_code", "doc_number", KINDS[kind].id_column) or col.key.endswith("_id"):
            out.append(ascii_text(src).alias(col.key))
        else:
            out.append(clean(src).alias(col.key))
    return frame.with_columns(out)


MESSY = {
    "date": [
        "2022-03-05",
        "2022-03-05",
        " 2022-03-05",
        "2022/3/5",
        "2022年3月5日",
        "２０２２-０３-０５",
        "20220305",
        "44625",
        "44625.0",
        "2022-02-30",
        "",
        "  ",
        None,
    ],
    "code": [
        "政府网站",
        "政府网站",
        " 政府网站 ",
        "政府 网站",
        "“政府网站”",
        "ＷＥＢ",
        "抖音",
        "",
        None,
        "其他",
        "其它",
        "自然人",
        "予以公开",
        "（一）予以公开",
    ],
    "decimal": ["0", "12.5", " 12.5", "１２.５", "1,234", "-5", "一百", "", None],
    "int": ["0", "3", "3.0", " 3 ", "３", "2.5", "-1", "", None],
    "bool": ["是", "否", " 是", "Y", "n", "TRUE", "也许", "", None],
    "text": ["A-1", "A-1", " A-1 ", "Ａ－１", "A\u30001", "\u3000", "", None, "示例", "11370725MB28501425", "１１370725MB28501425"],
    "year": ["2022", "2022", " 2022", "2022.0", "2022年", "2022年度", "２０２２", "22", "二〇二二", "", None],
}


def _frame(kind: str, rows: int, pick) -> pl.DataFrame:
    cols = {c.key: [pick(MESSY[c.type], c.key, i) for i in range(rows)] for c in KINDS[kind].columns}
    return pl.DataFrame(cols, schema=dict.fromkeys(cols, pl.String))


@pytest.mark.parametrize("kind", list(KINDS))
def test_normalize_equals_row_wise_parsing_on_messy_values(kind):
    frame = _frame(kind, 60, lambda values, key, i: values[(i * 7 + len(key)) % len(values)])
    assert normalize(frame, kind).equals(_row_wise(frame, kind))


CLEAN = {
    "date": ["2022-03-05", "2022-12-31"],
    "code": ["政府网站", "其他", "自然人", "予以公开", "行政复议", "维持", "是"],
    "decimal": ["0", "12.5"],
    "int": ["0", "3"],
    "bool": ["是", "否"],
    "text": ["A-1", "11370725MB28501425"],
    "year": ["2022", "2023"],
}


@pytest.mark.parametrize("kind", list(KINDS))
def test_normalize_equals_row_wise_parsing_on_clean_values(kind):
    # nothing to trim (the trimmed text is the column itself) and ASCII ids (no NFKC)
    frame = pl.DataFrame({c.key: [CLEAN[c.type][i % len(CLEAN[c.type])] for i in range(40)] for c in KINDS[kind].columns})
    assert normalize(frame, kind).equals(_row_wise(frame, kind))


def test_the_column_is_its_own_result_only_when_no_value_changes():
    date, code = KINDS["disclosures"].column("published_on"), KINDS["disclosures"].column("agency_code")
    src = pl.col("x")
    raw, typed = _mapping(src, pl.Series(["2022-03-05", "20220306"]), date)
    assert raw is src and typed is not src  # nothing to trim; dates are parsed
    for messy in (" 2022-03-06", "2022-03-06\u3000", "", "  "):
        assert _mapping(src, pl.Series(["2022-03-05", messy]), date)[0] is not src
    assert _mapping(src, pl.Series([TANGWU, DEPT]), code) == (src, src)
    for messy in (TANGWU.lower(), f" {TANGWU}", "１１370725MB28501425"):
        assert _mapping(src, pl.Series([DEPT, messy]), code)[1] is not src


@settings(max_examples=60, deadline=None)
@given(st.data())
def test_property_normalize_equals_row_wise_parsing(data):
    kind = data.draw(st.sampled_from(list(KINDS)))
    rows = data.draw(st.integers(0, 12))
    cells = st.one_of(st.none(), st.text(max_size=12), *(st.sampled_from(v) for v in MESSY.values()))
    frame = pl.DataFrame(
        {c.key: data.draw(st.lists(cells, min_size=rows, max_size=rows)) for c in KINDS[kind].columns}, schema={c.key: pl.String for c in KINDS[kind].columns}
    )
    assert normalize(frame, kind).equals(_row_wise(frame, kind))


# -------------------------------------------------------------------- readers


def _decodes(data: bytes) -> bool:
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


@pytest.mark.parametrize(
    "data",
    [
        b"",
        b"abc",
        "中文,２０２２".encode(),
        "\ufeffa".encode(),
        b"\xff",
        b"\xed\xa0\x80",
        b"\xc0\xaf",
        b"\xf4\x90\x80\x80",
        b"\xe4\xb8",
        "中文".encode("gb18030"),
    ],
)
def test_utf8_check_agrees_with_python(data):
    assert is_utf8(data) == _decodes(data)


@settings(max_examples=300, deadline=None)
@given(st.one_of(st.binary(max_size=40), st.text(max_size=20).map(lambda t: t.encode("utf-8", "surrogatepass"))))
def test_property_utf8_check_agrees_with_python(data):
    assert is_utf8(data) == _decodes(data)


def _blank_rows_row_wise(frame: pl.DataFrame, keys: tuple[str, ...]) -> pl.DataFrame:
    """The rule `drop_blank_rows` keeps, checked on every column of every row."""
    cols = pl.col(keys)
    blank = pl.all_horizontal(cols.is_null() | (cols.str.len_bytes() <= 8)) & pl.all_horizontal(cols.str.strip_chars().fill_null("") == "")
    return frame.filter(~blank)


@pytest.mark.parametrize(
    "rows",
    [
        [["A-1", "x"], ["A-2", "y"]],  # the first column rules every row out
        [[None, None], ["", " "], ["A-1", ""]],  # blank rows
        [[None, "text"], [" ", "long text here"], ["  ", "          "]],  # first cell short, another not blank
        [["          ", None], [None, "\u3000\u3000\u3000"]],  # only white space, but longer than the short-cell bound: kept
    ],
)
def test_blank_rows_checked_on_the_first_column_first(rows):
    frame = pl.DataFrame(rows, schema={"a": pl.String, "b": pl.String}, orient="row").with_columns((pl.int_range(pl.len(), dtype=pl.Int32) + 2).alias(ROW))
    assert drop_blank_rows(frame, ("a", "b")).equals(_blank_rows_row_wise(frame, ("a", "b")))


@settings(max_examples=100, deadline=None)
@given(st.lists(st.tuples(*[st.one_of(st.none(), st.sampled_from(["", " ", "\u3000", " " * 9, "A-1"]), st.text(max_size=10))] * 3), max_size=12))
def test_property_blank_rows(rows):
    frame = pl.DataFrame(rows, schema={"a": pl.String, "b": pl.String, "c": pl.String}, orient="row").with_columns(
        (pl.int_range(pl.len(), dtype=pl.Int32) + 2).alias(ROW)
    )
    assert drop_blank_rows(frame, ("a", "b", "c")).equals(_blank_rows_row_wise(frame, ("a", "b", "c")))


def _canonical_by_query(frame: pl.DataFrame, kind: str) -> pl.DataFrame:
    """`canonical`'s frame as one query would make it (the way it was built before it was built from Series)."""
    mapping, rename, taken = header_map(KINDS[kind]), {}, set()
    for header in frame.columns:
        key = mapping.get(header_key(header))
        if key is not None and key not in taken:
            rename[header] = key
            taken.add(key)
    frame = frame.select([pl.col(h).cast(pl.String).alias(k) for h, k in rename.items()])
    return frame.with_columns([pl.lit(None, pl.String).alias(k) for k in KINDS[kind].keys if k not in taken]).select(KINDS[kind].keys)


@pytest.mark.parametrize(
    "columns",
    [
        {"item_id": ["1", "2"], "agency_code": [TANGWU, None], "标题": ["a", "b"], "发布日期": ["2022-01-01", ""], "渠道x": ["?", "?"]},
        {"索引号": ["1"], "索引号 ": ["dup"], "金额（元）": [None], "published_on": [None]},  # two headers for one column; all-null
        {"nothing": ["1", "2", "3"], "known": ["a", "b", "c"]},  # no header recognized: no rows
        {"item_id": [], "title": []},  # header only
        {"item_id": [1, 2], "amount_yuan": [1.5, None]},  # typed columns (Parquet, XLSX) become text
    ],
)
def test_canonical_built_from_series_equals_one_query(columns):
    frame = pl.DataFrame(columns)
    assert canonical(frame, "disclosures")[0].equals(_canonical_by_query(frame, "disclosures"))
    assert canonical(frame, "disclosures")[0].schema == _canonical_by_query(frame, "disclosures").schema


# ------------------------------------------------------------------ validate


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


def test_screened_duplicates_equal_the_full_comparison():
    frame = pl.DataFrame(
        {
            "_file": ["a.csv", "a.csv", "b.csv", "a.csv", "a.csv", "a.csv", "a.csv", "a.csv", "a.csv"],
            "agency_code": [TANGWU, TANGWU, TANGWU, DEPT, None, None, TANGWU, TANGWU, DEPT],
            "id": ["1", "1", "1", "1", "2", "2", None, None, "3"],
        }
    )
    full = frame.select(pl.struct("_file", "agency_code", "id").is_duplicated()).to_series()
    screened = frame.select(is_duplicated(["_file", "agency_code", "id"], screen="id")).to_series()
    assert screened.to_list() == full.to_list() == [True, True, False, False, True, True, True, True, False]
    unique = frame.filter(pl.col("id") == "3")
    assert unique.select(is_duplicated(["_file", "agency_code", "id"], screen="id")).to_series().to_list() == [False]


@settings(max_examples=200, deadline=None)
@given(
    st.lists(
        st.tuples(
            st.sampled_from(["a.csv", "b.csv"]),
            st.sampled_from([TANGWU, DEPT, None]),
            st.one_of(st.none(), st.sampled_from(["1", "2", "Ａ"]), st.text(max_size=3)),
        ),
        max_size=25,
    )
)
def test_property_screened_duplicates(rows):
    frame = pl.DataFrame(rows, schema={"_file": pl.String, "agency_code": pl.String, "id": pl.String}, orient="row")
    for columns, screen in ((["_file", "agency_code", "id"], "id"), (["_file", "agency_code"], "agency_code")):
        full = frame.select(pl.struct(*columns).is_duplicated()).to_series().to_list()
        assert frame.select(is_duplicated(columns, screen=screen)).to_series().to_list() == full


def test_every_rule_sits_on_its_column_and_runs():
    for kind, checks in RULE_CHECKS.items():
        assert sorted(c.name for c in rule_checks(SCHEMAS[kind])) == sorted(c.name for c in checks)
        assert sorted(c.name for s in (FILE_SCHEMAS, CROSS_FILE_SCHEMAS) for c in rule_checks(s[kind])) == sorted(c.name for c in checks)


def test_many_bad_rows_in_one_file_each_get_their_rule(tmp_path):
    """Failures reported per column (not whole rows) still name every bad row and its first rule."""
    root = raw_root(tmp_path)
    rows = {kind: [dict(GOOD[kind])] for kind in GOOD}
    expected = []
    for n, (kind, change, rule, column) in enumerate(CASES):
        if rule in ("agency_unknown", "repeal_unknown_document"):
            continue
        rows[kind].append(GOOD[kind] | change | ({ID[kind]: f"BAD-{n}"} if ID[kind] not in change else {}))
        expected.append((kind, len(rows[kind]) + 1, rule, column))
    for kind, r in rows.items():
        write_csv(root / kind / "ledger.csv", r)
    got = ingest(discover(root), b"k").quarantine.select("kind", "row", "rule", "column").rows()
    assert sorted(got) == sorted(expected)
