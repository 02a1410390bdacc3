"""MANIFEST.json tells the truth: bad rows sit where it says, they are the only rule breakers,
and its counts are what a correct reader finds in the files."""

import datetime as dt
from collections import Counter
from decimal import Decimal

from schemas.rules import RULES
from schemas.vocabulary import APPEAL_GROUP_KEYS, APPEAL_RESULT_KEYS, APPLICATION_COLUMN_KEYS, APPLICATION_ROW_KEYS
from tests.support import oracle

TANGWU = "11370725MB28501425"

EXPECTED_BAD = {
    ("disclosures/2022/宝城街道_主动公开台账_2022.csv", "agency_unknown"),
    ("disclosures/2023/朱刘街道_主动公开台账_2023.csv", "agency_code_invalid"),
    ("disclosures/2022/宝都街道_主动公开台账_2022.csv", "date_invalid"),
    ("disclosures/2021/红河镇_主动公开台账_2021.csv", "duplicate_record"),
    ("disclosures/2023/住建局_主动公开台账_2023.csv", "repeal_unknown_document"),
    ("disclosures/2022/自然资源局_主动公开台账_2022.xlsx", "doc_number_missing"),
    ("applications/2022/自然资源局_依申请公开台账_2022.csv", "closed_before_received"),
    ("applications/2022/县政府_依申请公开台账_2022.csv", "outcome_without_closed_on"),
    ("applications/2023/住建局_依申请公开台账_2023.xlsx", "value_invalid"),
    ("applications/2023/综合执法局_依申请公开台账_2023.csv", "number_invalid"),
    ("applications/2023/宝城街道_依申请公开台账_2023.csv", "correction_before_received"),
    ("appeals/昌乐县复议诉讼台账.xlsx", "concluded_before_filed"),
}


def test_the_bad_rows_listed(manifest):
    bad = manifest["bad_rows"]
    assert {(b["path"], b["rule"]) for b in bad} == EXPECTED_BAD
    assert len(bad) == 13  # 12 rows + the second occurrence of the duplicate
    assert all(b["rule"] in RULES for b in bad)
    assert not [b for b in bad if b["agency_code"] == "11370725MB28501425"]
    dup = [b for b in bad if b["rule"] == "duplicate_record"]
    assert dup[0]["record_id"] == dup[1]["record_id"] and dup[0]["row"] != dup[1]["row"]


def test_bad_rows_are_exactly_the_rows_a_reader_rejects(checked, manifest):
    found = {(r.path, r.row, r.rule) for r in checked if r.rule}
    listed = {(b["path"], b["row"], b["rule"]) for b in manifest["bad_rows"]}
    assert found == listed


def test_bad_rows_sit_at_the_rows_the_manifest_says(sample_root, manifest):
    for b in manifest["bad_rows"]:
        f = next(f for f in manifest["files"] if f["path"] == b["path"])
        cells = dict(oracle.read_cells(sample_root, b["path"], b["kind"], f["encoding"]))
        row = cells[b["row"]]
        id_column = {"disclosures": "item_id", "applications": "application_id", "appeals": "case_id"}[b["kind"]]
        assert row[id_column] == b["record_id"], b
        assert row["agency_code"] == b["agency_code"], b


def test_some_bad_values_by_hand(sample_root, manifest, checked):
    by_rule = {b["rule"]: b for b in manifest["bad_rows"]}
    rows = {(r.path, r.row): r for r in checked}
    date_row = rows[(by_rule["date_invalid"]["path"], by_rule["date_invalid"]["row"])]
    assert date_row.raw["published_on"] == "2022.02.30"
    fee_row = rows[(by_rule["number_invalid"]["path"], by_rule["number_invalid"]["row"])]
    assert fee_row.raw["fee_yuan"] == "-100"
    code = by_rule["agency_code_invalid"]["agency_code"]
    assert code[:17] == "11370725MB2850106" and code != "11370725MB2850106D"
    repeal = rows[(by_rule["repeal_unknown_document"]["path"], by_rule["repeal_unknown_document"]["row"])]
    assert repeal.values["doc_number"] == "乐住建规〔2019〕7号" and repeal.values["doc_action"] == "repeal"


def test_rows_per_file_match(sample_root, manifest, checked):
    per_file = Counter(r.path for r in checked)
    for f in manifest["files"]:
        if f["kind"] not in ("agencies", "submissions"):
            assert per_file[f["path"]] == f["rows"], f["path"]
    assert per_file["applications/2022/鄌郚镇_依申请公开台账_2022.xlsx"] == 0  # header only


def test_sizes(manifest):
    rows = Counter()
    for f in manifest["files"]:
        rows[f["kind"]] += f["rows"]
    assert 9_000 <= rows["disclosures"] <= 15_000
    assert 250 <= rows["applications"] <= 500
    assert 10 <= rows["appeals"] <= 25
    assert rows["agencies"] == 14


def _table_a(apps: list[dict], year: int) -> dict:
    start, end = dt.date(year, 1, 1), dt.date(year, 12, 31)
    table = {row: dict.fromkeys(APPLICATION_COLUMN_KEYS, 0) for row in APPLICATION_ROW_KEYS}
    for a in apps:
        got, closed, col = a["received_on"], a["closed_on"], a["applicant_type"]
        hits = [
            k
            for k, cond in (
                ("1", got.year == year),
                ("2", got < start and (closed is None or closed >= start)),
                (a["outcome"], closed is not None and closed.year == year),
                ("3.7", closed is not None and closed.year == year),
                ("4", got <= end and (closed is None or closed > end)),
            )
            if cond
        ]
        for k in hits:
            table[k][col] += 1
            table[k]["total"] += 1
    return table


def _table_r(cases: list[dict], year: int) -> dict:
    end = dt.date(year, 12, 31)
    table = {g: dict.fromkeys(APPEAL_RESULT_KEYS, 0) for g in APPEAL_GROUP_KEYS}
    for c in cases:
        if c["concluded_on"] and c["concluded_on"].year == year:
            result = c["result"]
        elif c["filed_on"] <= end and (c["concluded_on"] is None or c["concluded_on"] > end):
            result = "pending"
        else:
            continue
        table[c["proceeding"]][result] += 1
        table[c["proceeding"]]["total"] += 1
    return table


def test_truth_is_what_the_files_say(checked, manifest):
    final = oracle.final(checked)
    for t in manifest["truth"]:
        code, year = t["agency_code"], t["year"]
        items = [v for v in final["disclosures"] if v["agency_code"] == code and v["published_on"].year == year]
        assert t["proactive"]["total"] == len(items)
        assert t["proactive"]["channels"] == dict(sorted(Counter(v["channel"] for v in items).items()))
        assert t["proactive"]["categories"] == dict(sorted(Counter(v["category"] for v in items).items()))
        fees = sum((v["amount_yuan"] for v in items if v["category"] == "admin_fee"), Decimal(0))
        assert Decimal(str(t["proactive"]["table"]["admin_fee"]["amount_yuan"])) == fees
        normative = [v for v in items if v["category"] == "normative_document"]
        assert t["proactive"]["table"]["normative_document"]["issued"] == sum(v["doc_action"] == "issue" for v in normative)
        assert t["proactive"]["table"]["normative_document"]["repealed"] == sum(v["doc_action"] == "repeal" for v in normative)
        assert t["proactive"]["table"]["penalty"]["decisions"] == sum(v["category"] == "penalty" for v in items)
        apps = [v for v in final["applications"] if v["agency_code"] == code]
        assert t["applications"] == _table_a(apps, year), (code, year)
        cases = [v for v in final["appeals"] if v["agency_code"] == code]
        assert t["appeals"] == _table_r(cases, year), (code, year)
        quarantined = sum(1 for b in manifest["bad_rows"] if b["agency_code"] == code and b["year"] == year)
        assert t["quarantined_rows"] == quarantined and t["complete"] == (quarantined == 0 and not t["missing_ledgers"])


def test_carry_over_across_year_ends(manifest):
    truth = {(t["agency_code"], t["year"]): t for t in manifest["truth"]}
    carried = [(c, y) for (c, y), t in truth.items() if y > 2021 and t["applications"]["2"]["total"]]
    assert len(carried) >= 3
    for (code, year), t in truth.items():
        if year > 2021:  # A4: row 2 of Y = row 4 of Y−1
            assert t["applications"]["2"] == truth[(code, year - 1)]["applications"]["4"]
    still_open = sum(t["applications"]["4"]["total"] for (c, y), t in truth.items() if y == 2023)
    assert still_open >= 3
    pending = sum(g["pending"] for (c, y), t in truth.items() if y == 2023 for g in t["appeals"].values())
    # 自然资源局's litigation (never concluded) and two reviews filed late in 2023 that the March 2024
    # re-export shows concluded in 2024: pending on 31 December 2023 all the same
    assert pending == 3


def test_record_ids_are_unique_across_agencies_too(checked):
    # the contract keys records by (agency, id); the sample also never reuses an id across agencies in a file,
    # so even a reader that forgets the agency finds only the deliberate duplicate
    for path in {r.path for r in checked}:
        rows = [r for r in checked if r.path == path]
        id_column = {"disclosures": "item_id", "applications": "application_id", "appeals": "case_id"}[rows[0].kind]
        counts = Counter(r.raw[id_column] for r in rows)
        assert [i for i, n in counts.items() if n > 1] == (
            [] if "红河镇_主动公开台账_2021" not in path else [next(r.raw[id_column] for r in rows if r.rule == "duplicate_record")]
        )


def test_fees_by_hand(checked, manifest):
    # 国办函〔2020〕109号 by count: one person's 11th–13th request of March 2023 may cost 100 元 each, but the 11th
    # was charged 200 (the sample's over-charged fee: 400 元 where 300 is the most); one 45-page reply in 2022 cost
    # 15 × 10 元. In id order (CLXZF before ZRZYJ, the 11th request before the 12th and 13th):
    final = oracle.final(checked)
    fees = sorted((v["application_id"], v["fee_yuan"]) for v in final["applications"] if v["fee_yuan"])
    assert [f for _, f in fees] == [Decimal(150), Decimal(200), Decimal(100), Decimal(100)]
    heavy = Counter(
        v["applicant_id_number"] for v in final["applications"] if v["agency_code"] == "11370725MB28495614" and v["received_on"].strftime("%Y-%m") == "2023-03"
    ).most_common(1)[0]
    assert heavy[1] == 13
    payers = {v["applicant_id_number"] for v in final["applications"] if v["fee_yuan"] == 100}
    assert payers == {heavy[0]}
    truth = {(t["agency_name"], t["year"]): t["application_fees_yuan"] for t in manifest["truth"] if t["application_fees_yuan"]}
    assert truth == {("昌乐县人民政府", 2022): 150.0, ("昌乐县自然资源局", 2023): 400.0}


def test_the_register_declares_what_was_not_there_but_one_ledger(sample_root, manifest):
    import csv

    with (sample_root / "submissions.csv").open(encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.DictReader(fh))
    assert list(rows[0]) == ["统一社会信用代码", "单位名称", "年度", "台账类型", "报送情况"]
    entries = {(r["统一社会信用代码"], int(r["年度"]), r["台账类型"]): r["报送情况"] for r in rows}
    assert len(entries) == len(rows) == 14 * 3 * 3 - 1  # every agency, year and ledger but one
    honghe = "11370725MB2850159U"
    assert (honghe, 2023, "复议诉讼") not in entries  # nobody said 红河镇 had no case in 2023
    # 鄌郚镇 2022 (its published report): no applications, no cases — declared, so zero is the truth, not silence
    assert entries[(TANGWU, 2022, "依申请公开")] == entries[(TANGWU, 2022, "复议诉讼")] == "本年无"
    assert entries[(TANGWU, 2022, "主动公开")] == "已报送"
    missing = {(t["agency_name"], t["year"]): t["missing_ledgers"] for t in manifest["truth"] if t["missing_ledgers"]}
    assert missing == {("昌乐县红河镇人民政府", 2023): ["appeals"]}
    t = next(t for t in manifest["truth"] if t["agency_code"] == honghe and t["year"] == 2023)
    assert t["complete"] is False and t["quarantined_rows"] == 0
