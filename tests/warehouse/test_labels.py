"""Label tables and labelled views: every key of the facts has its labels, and the views read as the form does."""

import shutil
from pathlib import Path

import pytest

import tests.support.ledger_fixtures as F
from pipelines.defs.generate import generate_sample
from pipelines.defs.tables.compute import compute_year
from pipelines.defs.warehouse import warehouse as wh
from pipelines.defs.warehouse.labels import label_frames
from schemas import vocabulary as v

TANGWU = "11370725MB28501425"
LABELLED_VIEWS = ("v_proactive_labelled", "v_application_labelled", "v_table_a", "v_appeal_labelled", "v_channel_labelled", "v_check_labelled")
# label table → (key column, the vocabulary's keys in form order)
KEYS = {
    "label_proactive_item": ("item", [i.key for i in v.PROACTIVE_ITEMS]),
    "label_proactive_metric": ("metric", ["issued", "repealed", "in_force", "decisions", "amount_wan_yuan"]),
    "label_application_row": ("row_key", list(v.APPLICATION_ROW_KEYS)),
    "label_application_column": ("column_key", list(v.APPLICATION_COLUMN_KEYS)),
    "label_appeal_group": ("group_key", list(v.APPEAL_GROUP_KEYS)),
    "label_appeal_result": ("result", list(v.APPEAL_RESULT_KEYS)),
    "label_channel": ("channel", list(v.CHANNEL_KEYS)),
    "label_check": ("check_id", [r.id for r in v.RELATIONS]),
}


def load_root(root: Path, path: Path, year: int) -> None:
    ing = F.ingest_root(root)
    facts = compute_year(ing.records, ing.quarantine, year)
    agencies = ing.records["agencies"].drop("source_file", "source_sheet", "source_row")
    wh.load(path, lambda con: wh.replace_year(con, year, agencies, facts))


@pytest.fixture(scope="module")
def hand(tmp_path_factory) -> Path:
    tmp = tmp_path_factory.mktemp("labels")
    path = tmp / "wh.duckdb"
    load_root(F.write_hand_worked(tmp / "raw"), path, 2022)
    return path


def test_every_key_has_every_label_in_form_order():
    frames = label_frames()
    assert set(frames) == set(KEYS)
    for table, (key, keys) in KEYS.items():
        frame = frames[table]
        assert frame[key].to_list() == keys, table
        assert frame["position"].to_list() == list(range(1, len(keys) + 1)), table
        for column in ("label", "label_en") + (("short_label",) if table != "label_check" else ()):
            assert frame[column].null_count() == 0 and all(s.strip() for s in frame[column]), (table, column)
    # the English labels name exactly the vocabulary's keys (no stale or missing entry)
    for dimension, labels in v.ENGLISH_LABELS.items():
        assert list(labels) == KEYS[f"label_{dimension}"][1], dimension
    rows = {r["row_key"]: r for r in frames["label_application_row"].iter_rows(named=True)}
    assert (rows["3.4.1"]["label"], rows["3.4.1"]["short_label"], rows["3.4.1"]["group_label"]) == (
        "（四）无法提供 1.本机关不掌握相关政府信息",
        "1.本机关不掌握相关政府信息",
        "（四）无法提供",
    )
    assert rows["1"]["group_label"] is None and rows["3.1"]["group_label"] == "三、本年度办理结果"
    groups = {r["group_key"]: (r["label"], r["short_label"]) for r in frames["label_appeal_group"].iter_rows(named=True)}
    assert groups["litigation_direct"] == ("行政诉讼（未经复议直接起诉）", "未经复议直接起诉")


def test_the_warehouse_holds_the_labels_and_every_fact_key_has_one(hand):
    for table, (key, keys) in KEYS.items():
        assert wh.query(hand, f"SELECT {key} FROM {table} ORDER BY position")[key].to_list() == keys, table
    # an anti-join per fact: no key without a label (the views' inner joins would drop its rows)
    for fact, label, key in (
        ("fact_proactive", "label_proactive_item", "item"),
        ("fact_proactive", "label_proactive_metric", "metric"),
        ("fact_application", "label_application_row", "row_key"),
        ("fact_application", "label_application_column", "column_key"),
        ("fact_appeal", "label_appeal_group", "group_key"),
        ("fact_appeal", "label_appeal_result", "result"),
        ("fact_channel", "label_channel", "channel"),
        ("check_result", "label_check", "check_id"),
    ):
        assert wh.query(hand, f"SELECT count(*) FROM {fact} ANTI JOIN {label} USING ({key})").item() == 0, (fact, key)
    for view, fact in (
        ("v_proactive_labelled", "fact_proactive"),
        ("v_application_labelled", "fact_application"),
        ("v_appeal_labelled", "fact_appeal"),
        ("v_channel_labelled", "fact_channel"),
        ("v_check_labelled", "check_result"),
    ):
        assert wh.query(hand, f"SELECT count(*) FROM {view}").item() == wh.query(hand, f"SELECT count(*) FROM {fact}").item() > 0, view


def test_table_a_reads_as_the_form_with_hand_worked_values(hand):
    # hand-worked 2022 of agency A (tests/tables/test_tables.py): row 1 = 3 natural persons + 1 legal service
    # + 1 other organisation = 5; row 4 = 2 natural persons; 3.3.4 = 1 natural person
    a = wh.query(hand, "SELECT * FROM v_table_a WHERE agency_code = ? AND year = 2022", [F.A])
    assert a["row_key"].to_list() == list(v.APPLICATION_ROW_KEYS)
    assert a["row_position"].to_list() == list(range(1, 26))
    first = a.row(0, named=True)
    assert first["agency_name"] == "昌乐县鄌郚镇人民政府" and first["row_label"] == "一、本年新收政府信息公开申请数量"
    assert [first[k] for k in v.APPLICATION_COLUMN_KEYS] == [3, 0, 0, 0, 1, 1, 5]
    last = a.row(24, named=True)
    assert (last["row_label"], last["natural_person"], last["total"]) == ("四、结转下年度继续办理", 2, 2)
    cell = wh.query(
        hand,
        "SELECT row_label, row_group, column_label, column_group, value FROM v_application_labelled "
        "WHERE agency_code = ? AND year = 2022 AND row_key = '3.3.4' AND column_key = 'natural_person'",
        [F.A],
    ).row(0)
    assert cell == ("4.保护第三方合法权益", "（三）不予公开", "自然人", "申请人情况", 1)
    columns = wh.query(hand, "SELECT column_label FROM v_application_labelled WHERE agency_code = ? AND year = 2022 AND row_key = '1'", [F.A])[
        "column_label"
    ].to_list()
    assert columns == ["自然人", "商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他", "总计"]
    appeals = wh.query(hand, "SELECT group_label, result_label, value FROM v_appeal_labelled WHERE agency_code = ? AND year = 2022 AND value > 0", [F.A]).rows()
    # review: 1 corrected (total 1); direct litigation: 1 other + 1 pending (total 2); after review: 1 pending
    assert appeals == [
        ("行政复议", "结果纠正", 1),
        ("行政复议", "总计", 1),
        ("行政诉讼（未经复议直接起诉）", "其他结果", 1),
        ("行政诉讼（未经复议直接起诉）", "尚未审结", 1),
        ("行政诉讼（未经复议直接起诉）", "总计", 2),
        ("行政诉讼（复议后起诉）", "尚未审结", 1),
        ("行政诉讼（复议后起诉）", "总计", 1),
    ]


def test_every_column_of_the_labelled_views_has_a_comment(hand):
    con = wh.reader(hand)
    try:
        cols = con.execute(
            f"SELECT table_name, column_name, comment FROM duckdb_columns() WHERE table_name IN {LABELLED_VIEWS} AND database_name = current_database()"
        ).fetchall()
    finally:
        con.close()
    assert {t for t, _, _ in cols} == set(LABELLED_VIEWS)
    assert [(t, c) for t, c, comment in cols if not (comment or "").strip()] == []


def test_the_seed_reports_379_items_read_with_chinese_labels(tmp_path):
    """鄌郚镇 2022 as published: 主动公开政府信息379条，其中通过政府信息公开专栏公开11条，通过微信公众号公开368条。

    The sample county's 2022 ledger of 鄌郚镇 (a GBK CSV of 379 rows) is ingested alone and loaded."""
    sample = tmp_path / "sample"
    generate_sample(sample)
    root = tmp_path / "raw"
    (root / "disclosures").mkdir(parents=True)
    shutil.copy(sample / "agencies.csv", root / "agencies.csv")
    shutil.copy(sample / "disclosures/2022/鄌郚镇_主动公开台账_2022.csv", root / "disclosures")
    path = tmp_path / "wh.duckdb"
    load_root(root, path, 2022)
    got = wh.query(
        path, "SELECT agency_name, channel_label, value FROM v_channel_labelled WHERE agency_code = ? AND year = 2022 AND value > 0", [TANGWU]
    ).rows()
    assert got == [("昌乐县鄌郚镇人民政府", "政府信息公开专栏", 11), ("昌乐县鄌郚镇人民政府", "微信公众号", 368)]
    assert wh.query(path, "SELECT sum(value) FROM v_channel_labelled WHERE agency_code = ? AND year = 2022", [TANGWU]).item() == 379
