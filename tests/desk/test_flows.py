"""The clerk's and the reviewer's flows through the desk's routes, on a small county, with a real background
run through Dagster in between (the browser tests walk the same flows in Chromium on the sample county)."""

import csv
import io
import re

import pytest

from pipelines.defs.reports.dismissals import dismissed_findings
from pipelines.desk.app import build_app
from pipelines.desk.store import Store
from tests.desk.support import LINQU, add_users, client, csrf, desk_settings
from tests.support.raw_ledgers import DEPT, TANGWU, write_csv

APP_HEAD = ["申请编号", "统一社会信用代码", "收到申请日期", "申请人类型", "申请人", "答复日期", "处理结果"]


def _csv(rows: list[list[str]], head=APP_HEAD) -> bytes:
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(head)
    w.writerows(rows)
    return buf.getvalue().encode("utf-8")


# Three applications of 鄌郚镇, 2022; in the first upload the third was answered before it was received (file row 4).
BAD = _csv(
    [
        ["TW-2022-01", TANGWU, "2022-03-01", "自然人", "张三", "2022-03-10", "予以公开"],
        ["TW-2022-02", TANGWU, "2022-04-01", "商业企业", "某公司", "2022-04-15", "部分公开"],
        ["TW-2022-03", TANGWU, "2022-05-10", "自然人", "李四", "2022-05-01", "本机关不掌握相关政府信息"],
    ]
)
GOOD = BAD.replace(b"2022-05-10", b"2022-04-20")
NARRATIVE = """## 一、总体情况
2022年，我镇认真贯彻落实《条例》。
{{主动公开}}
{{依申请}}
## 五、存在的主要问题及改进情况
公开内容还不够全面。
## 六、其他需要报告的事项
{{信息处理费}}
"""


def _up(c, name: str, body: bytes, kind: str = "applications", year: int = 2022):
    return c.post(f"/agency/{TANGWU}/upload", data={"csrf": csrf(c), "kind": kind, "year": str(year)}, files={"file": (name, body, "text/csv")})


@pytest.mark.slow
def test_clerk_and_reviewer_flows(tmp_path):
    cfg = desk_settings(tmp_path)
    add_users(cfg)
    # disclosures already in the raw root: 2 items of 鄌郚镇; a bad row of 自然资源局 (an error for the reviewer)
    write_csv(
        cfg.raw_dir / "disclosures" / "d2022.csv",
        [
            {"索引号": "TW-D-1", "统一社会信用代码": TANGWU, "标题": "通知一", "发布日期": "2022-02-01", "发布渠道": "政府网站", "信息类别": "其他"},
            {"索引号": "TW-D-2", "统一社会信用代码": TANGWU, "标题": "通知二", "发布日期": "2022-06-01", "发布渠道": "微信公众号", "信息类别": "其他"},
            {"索引号": "ZR-D-1", "统一社会信用代码": DEPT, "标题": "公告", "发布日期": "2022-13-01", "发布渠道": "政府网站", "信息类别": "其他"},
        ],
    )
    app = build_app(cfg)
    clerk = client(cfg, "tangwu", app)

    # 1. a ledger with one bad row: kept, placed under the raw root, its problem shown by row with what to do
    r = _up(clerk, "鄌郚镇依申请台账.csv", BAD)
    assert r.status_code == 303
    page = clerk.get(r.headers["location"]).text
    assert "有问题 <strong>1</strong> 行" in page and "第4行" in page and "答复日期早于收到申请日期" in page and "TW-2022-03" in page
    kept = sorted((cfg.desk_dir / "uploads" / TANGWU).iterdir())
    placed = sorted((cfg.raw_dir / "applications" / TANGWU).iterdir())
    assert len(kept) == 1 and kept[0].read_bytes() == BAD and [p.name for p in placed] == [kept[0].name]

    # 2. the corrected file: a new file beside the first (nothing overwritten), all rows accepted
    r = _up(clerk, "鄌郚镇依申请台账.csv", GOOD)
    assert "全部通过" in clerk.get(r.headers["location"]).text
    assert len(list((cfg.desk_dir / "uploads" / TANGWU).iterdir())) == 2 and len(list((cfg.raw_dir / "applications" / TANGWU).iterdir())) == 2

    # 3. refused: another agency's rows (kept as handed in, never placed), a workbook that is not one, a stranger type
    r = _up(clerk, "other.csv", _csv([["LQ-1", LINQU, "2022-03-01", "自然人", "王五", "2022-03-02", "予以公开"]]))
    assert "只能上传本机关的台账" in clerk.get(r.headers["location"]).text
    assert len(list((cfg.raw_dir / "applications" / TANGWU).iterdir())) == 2
    assert _up(clerk, "fake.xlsx", b"not a workbook").status_code == 400
    assert _up(clerk, "ledger.docx", b"PK\x03\x04xx").status_code == 400

    # 4. the background run through Dagster, one at a time, with its progress
    assert clerk.post(f"/agency/{TANGWU}/refresh", data={"csrf": csrf(clerk), "back": f"/agency/{TANGWU}/2022"}).status_code == 303
    app.state.desk.refresh.join(600)
    job = clerk.get(f"/agency/{TANGWU}/refresh").json()
    assert job["running"] is False and job["error"] is None and 2022 in job["years"] and len(job["steps"]) >= 3

    # 5. the narrative: a heading the format does not know is refused with its line; a good one is saved
    bad = clerk.post(f"/agency/{TANGWU}/2022/narrative", data={"csrf": csrf(clerk), "text": "## 七、附录\n文字"})
    assert bad.status_code == 400 and "第1行" in bad.text and "未知的章节标题" in bad.text
    saved = clerk.post(f"/agency/{TANGWU}/2022/narrative", data={"csrf": csrf(clerk), "text": NARRATIVE})
    assert saved.status_code == 200 and "已保存" in saved.text
    # the year's figures beside the editor: 2 items published, 3 applications received (one corrected)
    assert "本年度主动公开政府信息2条" in saved.text and "本年度新收政府信息公开申请3件" in saved.text

    # 6. still a draft: no appeals ledger and no "none" for it — a warning
    home = clerk.get(f"/agency/{TANGWU}/2022").text
    assert "未报送2022年复议诉讼台账" in home and "已报送（本年 3 条）" in home

    # 7. the reviewer: the board, the findings, a dismissal with a reason; an error cannot be dismissed
    reviewer = client(cfg, "changle", app)
    board = reviewer.get("/county/昌乐县/2022").text
    assert "昌乐县鄌郚镇人民政府" in board and "昌乐县自然资源局" in board and "临朐县" not in board
    review = reviewer.get(f"/agency/{TANGWU}/2022/review").text
    assert 'data-finding="ledger:appeals"' in review and "/cell/A.1.total" in review
    cell = reviewer.get(f"/agency/{TANGWU}/2022/cell/A.1.total").text
    assert re.search(r'id="cell-value">3<', cell)
    # the records behind it (explain): the three applications of the corrected upload, one table row each
    records = cell.split('id="cell-records"')[1].split("</table>")[0]
    assert [records.count(f"<td>TW-2022-0{n}</td>") for n in (1, 2, 3)] == [1, 1, 1] and records.count("<tr>") == 4
    url = f"/agency/{TANGWU}/2022/decision"
    assert reviewer.post(url, data={"csrf": csrf(reviewer), "finding": "ledger:appeals", "decision": "dismiss", "reason": ""}).status_code == 400
    dept_review = reviewer.get(f"/agency/{DEPT}/2022/review").text
    error_id = re.search(r'data-finding="(quarantine:[^"]+)"', dept_review).group(1)
    r = reviewer.post(f"/agency/{DEPT}/2022/decision", data={"csrf": csrf(reviewer), "finding": error_id, "decision": "dismiss", "reason": "不用改了吧"})
    assert r.status_code == 400 and "错误不能忽略" in r.text
    r = reviewer.post(url, data={"csrf": csrf(reviewer), "finding": "ledger:appeals", "decision": "dismiss", "reason": "经核实2022年无复议诉讼案件"})
    assert r.status_code == 303
    assert dismissed_findings(cfg.desk_db, 2022) == {TANGWU: frozenset({"ledger:appeals"})}

    # 8. the decision survives a restart; the report is no longer a draft; the preview carries no draft banner
    app2 = build_app(cfg)
    reviewer = client(cfg, "changle", app2)
    review = reviewer.get(f"/agency/{TANGWU}/2022/review").text
    assert "经核实2022年无复议诉讼案件" in review and 'id="ready"' in review
    preview = reviewer.get(f"/agency/{TANGWU}/2022/report.html").text
    assert "昌乐县鄌郚镇人民政府" in preview and "草稿" not in preview
    docx = reviewer.get(f"/agency/{TANGWU}/2022/report.docx")
    assert docx.status_code == 200 and docx.content[:2] == b"PK"

    # 9. sign-off: the clerk submits, the reviewer approves; the approved files are kept
    clerk = client(cfg, "tangwu", app2)
    assert clerk.post(f"/agency/{TANGWU}/2022/signoff", data={"csrf": csrf(clerk), "action": "approve"}).status_code == 400  # not a clerk's step
    assert clerk.post(f"/agency/{TANGWU}/2022/signoff", data={"csrf": csrf(clerk), "action": "submit"}).status_code == 303
    assert reviewer.post(f"/agency/{TANGWU}/2022/signoff", data={"csrf": csrf(reviewer), "action": "approve"}).status_code == 303
    assert 'id="report-state">已审核通过' in reviewer.get(f"/agency/{TANGWU}/2022/review").text
    assert [s["state"] for s in Store(cfg.desk_db).signoffs(TANGWU, 2022)] == ["submitted", "approved"]
    assert len(list((cfg.desk_dir / "approved" / TANGWU / "2022").glob("*/report.docx"))) == 1

    # 10. a decision taken back makes it a draft again, visibly; given again, the approval stands as it was
    reviewer.post(url, data={"csrf": csrf(reviewer), "finding": "ledger:appeals", "decision": "confirm", "reason": "又发现一件"})
    review = reviewer.get(f"/agency/{TANGWU}/2022/review").text
    assert 'id="reopened"' in review and 'id="report-state">草稿' in review
    reviewer.post(url, data={"csrf": csrf(reviewer), "finding": "ledger:appeals", "decision": "dismiss", "reason": "核实无误，确无案件"})
    assert 'id="report-state">已审核通过' in reviewer.get(f"/agency/{TANGWU}/2022/review").text

    # 11. a later change to what it was computed from reopens it, visibly
    clerk.post(f"/agency/{TANGWU}/2022/narrative", data={"csrf": csrf(clerk), "text": NARRATIVE + "（二）其他事项。无。\n"})
    review = reviewer.get(f"/agency/{TANGWU}/2022/review").text
    assert 'id="reopened"' in review and 'id="report-state">草稿' in review
    assert "已重新打开" in reviewer.get("/county/昌乐县/2022").text
