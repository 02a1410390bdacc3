"""The scrubber's masks, worked out by hand: what is a personal number, what only looks like one.

Each expected value below was written by counting characters: an 18-character ID number keeps its first 4 and
last 4 (10 stars), a 15-digit one its first 4 and last 3 (8 stars), a mobile its first 3 and last 4 (4 stars),
a landline its area code and last 2 digits (6 stars).
"""

import polars as pl
import pytest

from pipelines.defs.ingest.discover import discover
from pipelines.defs.ingest.pii import personal_values, scrub, scrub_text, scrub_texts

MASKED = [
    # ID numbers: 370725 area, 19880808 birth date, 123 sequence, X check character
    ("37072519880808123X", "3707**********123X"),
    ("37072519880808123x", "3707**********123x"),
    ("370725198808081234", "3707**********1234"),
    ("身份证号37072519880808123X。", "身份证号3707**********123X。"),
    ("ID:37072519880808123X", "ID:3707**********123X"),
    ("３７０７２５１９８８０８０８１２３Ｘ", "3707**********123X"),  # full-width digits are digits (NFKC)
    # 15-digit ID (before 1999): 370725 area, 880808 yymmdd, 123 sequence
    ("370725880808123", "3707********123"),
    # mobiles
    ("13905361234", "139****1234"),
    ("电话：139-0536-1234", "电话：139****1234"),
    ("+86 139 0536 1234", "+86 139****1234"),
    ("8613905361234", "86139****1234"),
    # two numbers one separator apart both masked (the separator is shared by both boundaries)
    ("13905361234,13905361235,13905361236", "139****1234,139****1235,139****1236"),
    ("37072519880808123X/13905361234", "3707**********123X/139****1234"),
    # landlines with area code (kept) and without
    ("0536-8123456", "0536-******56"),
    ("0536 81234567", "0536 ******67"),
    ("(010)87654321", "(010)******21"),
    ("（0536）8123456", "（0536）******56"),
    ("05368123456", "0536******56"),
    ("0536-8123456-806", "0536-******56-806"),
    ("8765-4321", "****-**21"),
    ("876-5432", "****-**32"),
    ("87654321", "******21"),
    ("8765432", "******32"),
]

KEPT = [
    "3707251988080812",  # 16 digits
    "37072519880808123",  # 17 digits: one short of an ID number
    "3707251988080812345",  # a 19-digit run is no ID number, and no 18 of its digits are one
    "37072519880808123X5",  # nor is an 18-character run followed by a digit
    "11370725004123456X",  # an agency's credit code: 18 characters, but no birth date in places 7-14
    "1390536123",  # 10 digits
    "139053612345",  # 12 digits
    "12905361234",  # 11 digits, but no mobile starts 12
    "20220305",  # a date written as 8 digits
    "19991231",
    "2021-2022年度",  # a year range
    "2022-03-05",
    "2022年3月5日",
    "123456",  # 6 digits
    "1234567",  # 7 digits starting 1: no local number starts 1
    "金额12000000元",  # 8 digits starting 1
    "潍政发〔2022〕15号",
    "11370725MB0123456X/2022-00001",  # an index number
    "11370725MB28501425",  # a credit code: 28501425 touches a letter, so it is no local number
    "统一社会信用代码“11370725MB28501425”不在机构名录中",
    "",
]


@pytest.mark.parametrize(("raw", "masked"), MASKED)
def test_masked(raw, masked):
    assert scrub_text(raw) == masked


@pytest.mark.parametrize("raw", KEPT)
def test_kept(raw):
    assert scrub_text(raw) == raw


def test_scrubbing_twice_changes_nothing_more():
    once = scrub_texts([m for _, m in MASKED])
    assert once == [m for _, m in MASKED]


def test_identifiers_keep_bare_local_numbers():
    # a record id 2022001 has the shape of a 7-digit local number: in an identifier only ID/mobile/area-code
    # numbers are masked
    assert scrub_text("2022001", identifier=True) == "2022001"
    assert scrub_text("2022001") == "******01"
    assert scrub_text("13905361234", identifier=True) == "139****1234"
    assert scrub_text("37072519880808123X", identifier=True) == "3707**********123X"


def test_personal_values_are_masked_wherever_they_recur():
    frame = pl.DataFrame(
        {
            "applicant_name": ["欧阳娜娜", " 王五 ", "无", None],
            "applicant_address": ["潍坊市昌乐县鄌郚镇88号", None, "潍坊市", "无"],
            "applicant_phone": [None, None, None, None],
            "other": ["x", "y", "z", "w"],
        }
    )
    values = personal_values(frame)
    # longest first, one-character values (无) left out, spaces trimmed
    assert values.to_list() == ["潍坊市昌乐县鄌郚镇88号", "欧阳娜娜", "潍坊市", "王五"]
    text = pl.DataFrame({"t": ["欧阳娜娜住潍坊市昌乐县鄌郚镇88号，王五", "潍坊市无", None, "王五13905361234"]})
    out = text.select(scrub(pl.col("t"), values)).to_series().to_list()
    # the whole address is masked, not its prefix 潍坊市 (longest first); 无 stays
    assert out == ["***住***，***", "***无", None, "***139****1234"]


def test_words_of_the_messages_are_no_personal_values():
    # 自然人 typed as a name is an applicant type in the wrong column, not a person: every message listing the
    # allowed applicant types would otherwise show ***
    frame = pl.DataFrame({"applicant_name": ["自然人", "欧阳娜娜"], "applicant_address": ["申请人类型", None]})
    assert personal_values(frame).to_list() == ["欧阳娜娜"]


def test_no_personal_columns_no_values():
    assert personal_values(pl.DataFrame({"a": ["x"]})).len() == 0


def test_file_names_are_masked_and_kept_apart(tmp_path):
    folder = tmp_path / "applications"
    folder.mkdir()
    for name in ("申请-13905361234.csv", "申请-13905551234.csv", "申请-139****1234.csv", "台账2022.csv"):
        (folder / name).write_text("x")
    shown = sorted(f.relpath for f in discover(tmp_path))
    # the real name 申请-139****1234.csv keeps its name; the two masked to it are numbered in the order of
    # their real names (…0536… before …0555…)
    assert shown == [
        "applications/台账2022.csv",
        "applications/申请-139****1234.csv",
        "applications/申请-139****1234（2）.csv",
        "applications/申请-139****1234（3）.csv",
    ]
    real = {f.relpath: f.path.name for f in discover(tmp_path)}
    assert real["applications/申请-139****1234（2）.csv"] == "申请-13905361234.csv"


# ---------------------------------------------------------------- through ingestion

ID_NUMBER = "37072519880808123X"
MOBILE = "13905361234"
NAME = "欧阳娜娜"
ADDRESS = "潍坊市昌乐县鄌郚镇吉他小镇88号"


def test_quarantine_and_file_list_hold_no_personal_data(tmp_path):
    from pipelines.defs.ingest.ingest import ingest
    from tests.support.raw_ledgers import TANGWU, raw_root, write_csv

    root = raw_root(tmp_path)
    base = {
        "申请编号": "",
        "受理机构代码": TANGWU,
        "收到申请日期": "2022-03-01",
        "申请人类型": "自然人",
        "申请人姓名/名称": NAME,
        "证件号码": ID_NUMBER,
        "联系电话": MOBILE,
        "通讯地址": ADDRESS,
        "申请方式": "网上申请",
        "申请内容": f"申请公开{NAME}住{ADDRESS}的征收补偿，电话{MOBILE}",
        "答复日期": "2022-03-10",
        "处理结果": "予以公开",
    }
    rows = [
        base | {"申请编号": "P-1"},  # accepted
        base | {"申请编号": "P-2", "申请人类型": ID_NUMBER},  # an ID number as the applicant type
        base | {"申请编号": "P-3", "申请方式": MOBILE},  # a phone as the channel
        base | {"申请编号": "P-4", "答复日期": f"电话{MOBILE}"},  # and as the reply date
        base | {"申请编号": NAME},  # the name as the id …
        base | {"申请编号": NAME, "处理结果": ""},  # … twice
        base | {"申请编号": "P-7", "受理机构代码": ID_NUMBER},  # an ID number as the agency code
    ]
    write_csv(root / "applications" / f"申请-{MOBILE}.csv", rows)
    result = ingest(discover(root), b"k" * 32, cache_dir=tmp_path / "cache", out_dir=tmp_path / "lake")

    files = result.files.filter(pl.col("kind") == "applications")
    assert files.get_column("path").to_list() == ["applications/申请-139****1234.csv"]
    # 7 rows read: P-1 accepted, the other six quarantined
    assert files.select("rows", "accepted", "quarantined").row(0) == (7, 1, 6)
    q = result.quarantine.sort("row")
    by_row = {r["row"]: r for r in q.iter_rows(named=True)}
    # row numbers: header on line 1, P-1 on line 2 … P-7 on line 8. The values typed in the personal columns
    # are masked whole (***) wherever they recur, before the shapes: an address holding a phone number must
    # not be left half masked
    assert by_row[3]["rule"] == "value_invalid" and by_row[3]["value"] == "***"
    assert by_row[4]["value"] == "***"
    assert by_row[5]["value"] == "电话***"
    assert by_row[6]["rule"] == by_row[7]["rule"] == "duplicate_record"
    assert by_row[6]["record_id"] == by_row[7]["record_id"] == "***"
    assert by_row[8]["agency_code"] == "***" and by_row[8]["rule"] == "agency_code_invalid"
    assert "申请人类型“***”" in by_row[3]["message"]
    everything = "\n".join(str(v) for r in q.iter_rows() for v in r)
    for needle in (ID_NUMBER, MOBILE, NAME, ADDRESS):
        assert needle not in everything
    assert all(p == "applications/申请-139****1234.csv" for p in q.get_column("path"))
    # and the cache: every Parquet file and JSON written under it
    for path in (tmp_path / "cache").rglob("*"):
        if path.is_file():
            text = pl.read_parquet(path).write_csv() if path.suffix == ".parquet" else path.read_text()
            for needle in (ID_NUMBER, MOBILE, NAME, ADDRESS, "申请公开"):
                assert needle not in text, (needle, path)


def test_a_number_at_the_edge_of_a_clipped_value_is_masked_whole(tmp_path):
    from pipelines.defs.ingest.ingest import ingest
    from pipelines.defs.ingest.quarantine import SHOWN_IN_MESSAGE
    from tests.support.raw_ledgers import TANGWU, raw_root, write_csv

    root = raw_root(tmp_path)
    # the ID number starts 10 characters before the message's cut: clipped first, its first 10 digits would show
    value = "群" * (SHOWN_IN_MESSAGE - 10) + ID_NUMBER
    row = {"申请编号": "P-1", "受理机构代码": TANGWU, "收到申请日期": "2022-03-01", "申请人类型": value, "答复日期": "", "处理结果": ""}
    write_csv(root / "applications" / "a.csv", [row])
    q = ingest(discover(root), b"k").quarantine.row(0, named=True)
    assert q["rule"] == "value_invalid"
    assert q["value"] == "群" * (SHOWN_IN_MESSAGE - 10) + "3707**********123X"
    # the message quotes the first 200 characters of the masked value: 190 群, then 3707******, then …
    assert "“" + "群" * (SHOWN_IN_MESSAGE - 10) + "3707******…”" in q["message"]
    assert ID_NUMBER[:10] not in q["message"]


def test_an_index_number_starting_with_an_all_digit_credit_code_is_no_personal_id():
    from pipelines.defs.ingest.pii import holds_personal

    # 113707 + 19880808 + 123 + 4: an all-digit code whose places 7-14 read as a birth date
    code = "113707198808081234"
    frame = pl.DataFrame(
        {"id": [f"{code}/2022-00001", "37072519880808123X/1", "A-1", "欧阳娜娜-1"], "agency_code": [code] * 4, "applicant_name": [None, None, None, "欧阳娜娜"]}
    )
    got = frame.select(holds_personal(pl.col("id"), ["applicant_name"], pl.col("agency_code"))).to_series().to_list()
    assert got == [False, True, False, True]


def test_a_file_named_after_its_applicant_is_shown_masked_also_from_the_cache(tmp_path):
    import os

    from pipelines.defs.ingest.ingest import ingest
    from tests.support.raw_ledgers import TANGWU, raw_root, write_csv

    root = raw_root(tmp_path)
    row = {"申请编号": "P-1", "受理机构代码": TANGWU, "收到申请日期": "2022-03-01", "申请人类型": "自然人", "答复日期": "", "处理结果": ""}
    a = write_csv(root / "applications" / f"{NAME}的申请.csv", [row | {"申请人姓名/名称": NAME}], mtime=1_600_000_000)
    write_csv(root / "applications" / "王五的申请.csv", [row | {"申请编号": "P-2", "申请人姓名/名称": "王五", "申请人类型": "群众"}], mtime=1_600_000_100)
    cache = tmp_path / "cache"

    def shown(result):
        return sorted(result.files.filter(pl.col("kind") == "applications").get_column("path").to_list())

    # both names masked to ***的申请.csv: the later export (王五's) gets （2）; its quarantined row says so too
    expected = ["applications/***的申请.csv", "applications/***的申请（2）.csv"]
    first = ingest(discover(root), b"k" * 32, cache_dir=cache, out_dir=tmp_path / "l1")
    assert shown(first) == expected
    assert first.quarantine.get_column("path").to_list() == ["applications/***的申请（2）.csv"]
    assert set(first.records["applications"].get_column("source_file")) == {"applications/***的申请.csv"}
    # from the cache: the same names, nothing read again
    second = ingest(discover(root), b"k" * 32, cache_dir=cache, out_dir=tmp_path / "l2")
    assert (second.cache_hits, second.cache_misses) == (3, 0) and shown(second) == expected
    # the same bytes under another name: read again, since the cache cannot tell what the new name holds
    a.rename(root / "applications" / f"致{NAME}.csv")
    os.utime(root / "applications" / f"致{NAME}.csv", (1_600_000_000, 1_600_000_000))
    third = ingest(discover(root), b"k" * 32, cache_dir=cache, out_dir=tmp_path / "l3")
    assert third.cache_misses == 1 and shown(third) == ["applications/***的申请.csv", "applications/致***.csv"]
    # a copy of it under a third name: read once to see its name, then both are reused run after run
    import shutil

    shutil.copy2(root / "applications" / f"致{NAME}.csv", root / "applications" / f"致{NAME} - 副本.csv")
    fourth = ingest(discover(root), b"k" * 32, cache_dir=cache, out_dir=tmp_path / "l4")
    assert fourth.cache_misses == 1 and "applications/致*** - 副本.csv" in shown(fourth)
    fifth = ingest(discover(root), b"k" * 32, cache_dir=cache, out_dir=tmp_path / "l5")
    assert (fifth.cache_hits, fifth.cache_misses) == (4, 0) and shown(fifth) == shown(fourth)
    for path in cache.rglob("*"):
        if path.is_file():
            assert NAME.encode() not in path.read_bytes() and "王五".encode() not in path.read_bytes(), path
