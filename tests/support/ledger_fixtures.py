"""Small hand-made raw roots whose statutory tables are worked out by hand in the tests.

Agencies (valid GB 32100 codes, made with `schemas.codes.check_character`):

- A  昌乐县鄌郚镇人民政府 — every kind of record, 2021–2023 (the hand-worked one)
- B  昌乐县营丘镇人民政府 — one application and one disclosure in 2022
- C  昌乐县红河镇人民政府 — no records at all (all zeros)

`UNKNOWN` is a valid code that is not in agencies.csv; `INVALID` breaks the check character.

The numbers each table must hold are derived in the comments of
tests/tables/test_tables.py (and used again by the warehouse, Dagster and CLI tests
through the `EXPECTED_*` constants below).
"""

import csv
import os
from pathlib import Path

from schemas.codes import check_character


def make_code(first17: str) -> str:
    return first17 + check_character(first17)


A = make_code("11370725MB2850142")  # 11370725MB28501425, the seed township's own code
B = make_code("11370725MB2850143")
C = make_code("11370725MB2850144")
UNKNOWN = make_code("11370725MB2850145")  # valid, but in no agencies list
INVALID = "11370725MB2850142X"  # X is not the check character of A's first 17
assert INVALID != A

NAMES = {A: "昌乐县鄌郚镇人民政府", B: "昌乐县营丘镇人民政府", C: "昌乐县红河镇人民政府"}

# Modification times that fix the export order (seconds since the epoch).
T0 = 1_700_000_000


def write_csv(path: Path, header: list[str], rows: list[list[object]], *, mtime: int | None = None, encoding: str = "utf-8") -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding=encoding, newline="") as fh:
        w = csv.writer(fh)
        w.writerow(header)
        for r in rows:
            w.writerow(["" if x is None else x for x in r])
    if mtime is not None:
        os.utime(path, (mtime, mtime))
    return path


AGENCY_HEADER = ["agency_code", "agency_name", "division_code", "county", "city", "province", "level"]
DISCLOSURE_HEADER = ["item_id", "agency_code", "title", "published_on", "channel", "category", "doc_number", "doc_action", "amount_yuan"]
APPLICATION_HEADER = [
    "application_id",
    "agency_code",
    "received_on",
    "applicant_type",
    "applicant_name",
    "applicant_id_number",
    "closed_on",
    "outcome",
    "fee_yuan",
]
# Appeals are written with the Chinese headers clerks use.
APPEAL_HEADER = ["案号", "统一社会信用代码", "申请编号", "案件类型", "立案日期", "审结日期", "结果"]


def write_agencies(root: Path, codes: tuple[str, ...] = (A, B, C)) -> None:
    divisions = {A: "370725104000", B: "370725105000", C: "370725106000"}
    write_csv(
        root / "agencies.csv",
        AGENCY_HEADER,
        [[c, NAMES[c], divisions[c], "昌乐县", "潍坊市", "山东省", "township"] for c in codes],
        mtime=T0,
    )


def write_disclosures(root: Path) -> None:
    doc1, doc2, reg = "鄌政发〔2021〕1号", "鄌政发〔2021〕2号", "鄌政规〔2021〕1号"
    rows = [
        # 2021
        ["D01", A, "关于印发某办法的通知", "2021-02-01", "政府信息公开专栏", "行政规范性文件", doc1, "制发", None],
        ["D02", A, "关于印发某规定的通知", "2021/4/1", "政府网站", "行政规范性文件", doc2, "制发", None],
        ["D05", A, "某规章", "2021年8月1日", "政府公报", "规章", reg, "制发", None],
        ["D06", A, "行政许可决定一", "2021-09-01", "政府信息公开专栏", "行政许可", None, None, None],
        ["D07", A, "行政许可决定二", "20210902", "政府信息公开专栏", "行政许可", None, None, None],
        ["D12", A, "工作动态", "2021-10-01", "微信公众号", "其他", None, None, None],
        # 2022
        ["D03", A, "关于废止某办法的通知", "2022-12-31", "政府信息公开专栏", "行政规范性文件", doc1, "废止", None],
        ["D04", A, "关于修改某规定的决定", "2022-06-01", "微信公众号", "行政规范性文件", doc2, "修改", None],
        ["D08", A, "行政处罚决定", "2022-03-03", "微信公众号", "行政处罚", None, None, None],
        ["D09", A, "行政强制决定", "2022-03-04", "政务微博", "行政强制", None, None, None],
        ["D10", A, "收费公示一", "2022-07-01", "政府信息公开专栏", "行政事业性收费", None, None, "12,345"],
        ["D11", A, "收费公示二", "2022-08-01", "政府信息公开专栏", "行政事业性收费", None, None, "6000"],
        ["B01", B, "营丘镇工作动态", "2022-02-02", "政府网站", "其他", None, None, None],
        # 2023
        ["D13", A, "关于印发某细则的通知", "2023-01-10", "其他", "行政规范性文件", "鄌政发〔2023〕1号", "制发", None],
    ]
    write_csv(root / "disclosures" / "disclosures_all.csv", DISCLOSURE_HEADER, rows, mtime=T0 + 10)


def write_applications(root: Path) -> None:
    folder = root / "applications"
    write_csv(
        folder / "a_2021.csv",
        APPLICATION_HEADER,
        [
            ["A21-01", A, "2021-03-01", "自然人", "张三", "370725199001011234", "2021-03-20", "予以公开", "30"],
            ["A21-02", A, "2021-12-20", "商业企业", "某公司", None, "2022-01-10", "部分公开", "50"],
            ["A21-03", A, "2021-05-05", "科研机构", "某研究所", None, "2021-06-01", "信息不存在", None],
            ["A21-04", A, "2021-07-01", "社会公益组织", "某基金会", None, "2021-07-15", "非本机关政府信息", None],
        ],
        mtime=T0 + 20,
    )
    # The first 2022 export: A22-03 still open. Its name sorts *after* the re-export's,
    # so only the modification time can make the re-export win.
    write_csv(
        folder / "z_export_2022.csv",
        APPLICATION_HEADER,
        [
            ["A22-01", A, "2022-01-01", "法律服务机构", "某律所", None, "2022-02-20", "同意公开", "100"],
            ["A22-02", A, "2022-03-01", "其他", "某协会", None, "2022-03-10", "重复申请", "200"],
            ["A22-03", A, "2022-11-01", "自然人", "李四", "370725199202021234", None, None, None],
            ["A22-04", A, "2022-06-01", "自然人", "王五", None, None, None, None],
            ["A22-05", A, "2022-12-31", "自然人", "孙八", None, None, None, None],
            ["B-01", B, "2022-04-01", "自然人", "赵六", None, "2022-04-10", "予以公开", None],
        ],
        mtime=T0 + 30,
    )
    # The re-export, a later file: A22-03 closed on 15 Dec 2022 (保护第三方合法权益, 3.3.4).
    write_csv(
        folder / "a_reexport_2022.csv",
        APPLICATION_HEADER,
        [["A22-03", A, "2022-11-01", "自然人", "李四", "370725199202021234", "2022-12-15", "保护第三方合法权益", None]],
        mtime=T0 + 40,
    )
    write_csv(
        folder / "a_2023.csv",
        APPLICATION_HEADER,
        [
            ["A23-01", A, "2023-12-01", "商业企业", "某公司", None, None, None, None],
            ["A23-02", A, "2023-02-01", "科研机构", "某研究所", None, "2023-04-01", "逾期未缴费", None],
            # A22-05 again, now closed on 1 Jan 2023 (涉及国家秘密 → 3.3.1)
            ["A22-05", A, "2022-12-31", "自然人", "孙八", None, "2023-01-01", "涉及国家秘密", None],
        ],
        mtime=T0 + 50,
    )


def write_appeals(root: Path) -> None:
    review, direct, after = "行政复议", "行政诉讼（未经复议直接起诉）", "行政诉讼（复议后起诉）"
    write_csv(
        root / "appeals" / "cases.csv",
        APPEAL_HEADER,
        [
            ["R1", A, "A21-01", review, "2021-06-01", "2021-08-01", "维持"],
            ["R2", A, None, review, "2021-11-01", "2022-02-01", "纠正"],
            ["R3", A, None, direct, "2022-03-01", "2022-09-01", "其他"],
            ["R4", A, None, after, "2022-12-31", None, None],
            ["R5", A, None, direct, "2021-12-01", "2023-03-01", "维持"],
            ["R6", A, None, after, "2023-01-01", "2023-05-01", "纠正"],
        ],
        mtime=T0 + 60,
    )


SUBMISSION_HEADER = ["统一社会信用代码", "年度", "台账类型", "报送情况"]


def write_submissions(root: Path) -> None:
    """The register (报送登记): what B and C had none of, so that silence is never read as zero. B had no case in
    2022 and nothing at all in 2021 and 2023; C had nothing in any year. Values in Chinese and English."""
    rows: list[list[object]] = [[A, f"{y}年", kind, "已报送"] for y in (2021, 2022, 2023) for kind in ("主动公开", "依申请公开", "复议诉讼")]
    rows += [[B, "2022", "appeals", "none"], [B, "2022", "依申请公开台账", "已报送"]]
    rows += [[B, y, kind, "本年无"] for y in (2021, 2023) for kind in ("主动公开", "依申请公开", "复议诉讼")]
    rows += [[C, y, kind, "none"] for y in (2021, 2022, 2023) for kind in ("disclosures", "applications", "appeals")]
    write_csv(root / "submissions.csv", SUBMISSION_HEADER, rows, mtime=T0 + 5)


def write_hand_worked(root: Path) -> Path:
    """The clean raw root: nothing in it is quarantined, and every ledger of every agency-year is accounted for."""
    root = Path(root)
    write_agencies(root)
    write_submissions(root)
    write_disclosures(root)
    write_applications(root)
    write_appeals(root)
    return root


def add_quarantined_rows(root: Path) -> None:
    """Bad rows for completeness: B 2022 (closed before received, readable years), C every year
    (an unreadable date), A 2023 (an unknown agency code in a file of A's)."""
    write_csv(
        root / "applications" / "b_bad.csv",
        APPLICATION_HEADER,
        # received 2022-05-01, closed 2022-04-01: closed_before_received; its years are readable (2022)
        [["B-02", B, "2022-05-01", "自然人", "钱七", None, "2022-04-01", "予以公开", None]],
        mtime=T0 + 70,
    )
    write_csv(
        root / "disclosures" / "c.csv",
        DISCLOSURE_HEADER,
        [
            ["C01", C, "红河镇工作动态", "2022-13-45", "政府网站", "其他", None, None, None],  # date_invalid: no year
        ],
        mtime=T0 + 80,
    )
    write_csv(
        root / "appeals" / "cases_2023.csv",
        APPEAL_HEADER,
        [
            ["R7", A, None, "行政复议", "2023-02-01", "2023-02-20", "维持"],  # accepted: makes this a file of A's
            ["R8", UNKNOWN, None, "行政复议", "2023-03-01", "2023-04-01", "维持"],  # agency_unknown, 2023
        ],
        mtime=T0 + 90,
    )


def pii_env(monkeypatch, tmp_path: Path) -> None:
    """Environment every test that ingests or runs Dagster needs: no key file, no ~/.dagster, no repo data/."""
    monkeypatch.setenv("GONGKAI_PII_KEY", "test-key-not-secret")
    monkeypatch.setenv("DAGSTER_HOME", str(tmp_path / "dagster_home"))
    monkeypatch.setenv("GONGKAI_PII_KEY_FILE", str(tmp_path / "no-such-dir" / "pii.key"))


def ingest_root(root: Path):
    from pipelines.defs.ingest.discover import discover
    from pipelines.defs.ingest.ingest import ingest

    return ingest(discover(root), b"test-key-not-secret")
