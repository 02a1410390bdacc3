"""The county overview: every agency, its failing checks and quarantine, year-over-year, inline charts."""

import json
from datetime import date

import pytest
from bs4 import BeautifulSoup

from pipelines.defs.reports import ReportContext, overview_path, render_agency_report, render_county_overview
from pipelines.defs.reports.overview import summarize
from tests.support.report_samples import (
    failing_variant,
    sample_context,
    sample_previous_tables,
    sample_tables,
    tangwu_2022_context,
)

PROBLEM_CODE, PROBLEM_NAME = "11370725MB2850400U", "昌乐县问题示例镇人民政府"


def problem_context() -> ReportContext:
    tables = failing_variant(sample_tables()) | {"agency_code": PROBLEM_CODE, "agency_name": PROBLEM_NAME}
    return sample_context(tables=tables, quarantined_rows=3)


@pytest.fixture(scope="module")
def page(tmp_path_factory):
    out = tmp_path_factory.mktemp("reports")
    current = [sample_context(), tangwu_2022_context(), problem_context()]
    for ctx in current[:2]:  # the problem agency has no rendered files: its links say so
        render_agency_report(ctx, out)
    previous = [ReportContext(tables=sample_previous_tables())]
    path = render_county_overview("昌乐县", 2022, current, out, previous=previous, generated_on=date(2023, 1, 20))
    return out, path


@pytest.fixture(scope="module")
def soup(page):
    return BeautifulSoup(page[1].read_text(encoding="utf-8"), "html.parser")


def row(soup, section, code):
    return soup.find("h2", id=section).find_next("table").find("tr", attrs={"data-agency": code})


def cells(tr) -> list[str]:
    return [td.get_text(strip=True) for td in tr.find_all("td")]


def test_location(page):
    out, path = page
    assert path == overview_path(out, "昌乐县", 2022) == out / "overview" / "昌乐县" / "2022.html"


def test_every_agency_in_every_table(soup):
    for code in ("11370725MB28503006", "11370725MB28501425", PROBLEM_CODE):
        for section in ("issues", "applications", "proactive"):
            assert row(soup, section, code) is not None, (section, code)
    text = soup.get_text()
    for name in ("昌乐县示例街道办事处", "昌乐县鄌郚镇人民政府", PROBLEM_NAME):
        assert name in text


def test_failing_checks_and_quarantine(soup):
    tr = row(soup, "issues", PROBLEM_CODE)
    failing = tr.find("li", attrs={"data-check": "A1"})
    assert "第一项加第二项之和等于第三项加第四项之和" in failing.get_text()
    assert "natural_person: 14 ≠ 15" in failing.get_text()
    assert cells(tr)[3] == "3"  # quarantined rows
    assert "不得发布" in cells(tr)[1]
    clean = row(soup, "issues", "11370725MB28501425")
    # 状态 | 缺报/未报送 | 被隔离行数 | 问题
    assert cells(clean)[1:5] == ["可发布", "无", "0", "无"]


def test_the_ledgers_an_agency_did_not_hand_in_are_named(tmp_path):
    tables = sample_tables() | {"complete": False, "missing_ledgers": ["applications", "appeals"]}
    tables["incomplete_reasons"] = [
        "未报送2022年依申请公开台账：没有该年的记录…… / the applications ledger of 2022 is not accounted for …",
        "未报送2022年复议诉讼台账：没有该年的记录…… / the appeals ledger of 2022 is not accounted for …",
    ]
    ctx = sample_context(tables=tables)
    assert ctx.is_draft and any("未报送2022年依申请公开台账" in r for r in ctx.reasons())
    page = render_county_overview("昌乐县", 2022, [ctx, tangwu_2022_context()], tmp_path)
    soup = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
    tr = row(soup, "issues", "11370725MB28503006")
    assert cells(tr)[2] == "依申请公开台账、复议诉讼台账" and "不得发布" in cells(tr)[1]
    assert "未报送2022年复议诉讼台账" in tr.get_text()
    assert cells(row(soup, "issues", "11370725MB28501425"))[2] == "无"
    headers = [th.get_text() for th in soup.find("h2", id="issues").find_next("table").find_all("th")]
    assert "缺报/未报送" in headers


def test_applications_side_by_side_with_change(soup):
    # 单位 | 新收 2022, 2021, 增减 | 上年结转 | 予以公开 部分公开 不予公开 无法提供 不予处理 其他处理 | 办结 | 结转下年
    assert cells(row(soup, "applications", "11370725MB28503006"))[1:] == ["18", "11", "+7", "3", "7", "3", "2", "4", "1", "2", "19", "2"]
    assert cells(row(soup, "applications", "11370725MB28501425"))[1:] == ["0", "—", "—", "0", "0", "0", "0", "0", "0", "0", "0", "0"]
    total = soup.find("h2", id="applications").find_next("table").find("tr", class_="total")
    assert cells(total)[1] == "36" and cells(total)[-2:] == ["38", "5"]


def test_proactive_by_channel_and_documents_in_force(soup):
    # 单位 | 条数 2022, 2021, 增减 | 政府信息公开专栏 政府网站 微信公众号 | 现行有效 2022, 2021, 增减
    assert cells(row(soup, "proactive", "11370725MB28503006"))[1:] == ["375", "280", "+95", "120", "45", "210", "23", "20", "+3"]
    assert cells(row(soup, "proactive", "11370725MB28501425"))[1:] == ["379", "—", "—", "11", "0", "368", "0", "—", "—"]
    headers = [th.get_text() for th in soup.find("h2", id="proactive").find_next("table").find_all("th")]
    assert {"政府信息公开专栏", "政府网站", "微信公众号", "行政规范性文件现行有效件数"} <= set(headers)


def test_carry_over_checked_against_the_year_before():
    prev = ReportContext(tables=sample_previous_tables())
    assert summarize(sample_context(), prev).carry_mismatch == []
    broken = sample_tables()
    broken["applications"]["2"]["commercial"] = 0
    assert summarize(sample_context(tables=broken), prev).carry_mismatch == ["commercial"]


def test_links_are_relative_and_resolve(page, soup):
    out, path = page
    links = row(soup, "issues", "11370725MB28503006").find_all("a")
    assert [a.get_text() for a in links] == ["DOCX", "HTML", "XLSX"]
    for a in links:
        assert not a["href"].startswith(("/", "file:", "http"))
        assert (path.parent / a["href"]).resolve() == (out / "11370725MB28503006" / ("2022." + a.get_text().lower())).resolve()
    assert "未生成" in cells(row(soup, "issues", PROBLEM_CODE))[-1]


def test_charts_load_the_one_shared_plotly_file_with_chinese_labels(page):
    out, path = page
    html = path.read_text(encoding="utf-8")
    soup = BeautifulSoup(html, "html.parser")
    sources = [s.get("src") for s in soup.find_all("script") if s.get("src")]
    # one local file beside the pages (offline), shared by every county and year, not 4.8 MB inlined into each
    (script,) = sources
    shared = (path.parent / script).resolve()
    assert shared.parent == (out / "overview").resolve() and shared.name.startswith("plotly-") and shared.name.endswith(".min.js")
    assert "* plotly.js v" in shared.read_text(encoding="utf-8")[:2000]
    assert "* plotly.js v" not in html and len(html.encode()) < 500_000
    assert not soup.find_all("link")
    # the script comes before the first chart that needs it
    assert html.index(script) < html.index("plotly-graph-div")
    assert len(soup.find_all("div", class_="plotly-graph-div")) == 3
    other = render_county_overview("寿光市", 2023, [sample_context()], out)
    assert [s.get("src") for s in BeautifulSoup(other.read_text(encoding="utf-8"), "html.parser").find_all("script") if s.get("src")] == [script]
    assert len(list((out / "overview").glob("plotly-*.js"))) == 1
    for label in ("办理结果构成", "按渠道", "予以公开", "微信公众号", "2021年"):
        assert json.dumps(label)[1:-1] in html  # plotly's JSON escapes non-ASCII as \\uXXXX


def test_a_county_without_reports_yet(tmp_path):
    path = render_county_overview("空县", 2022, [], tmp_path)
    html = path.read_text(encoding="utf-8")
    assert "空县2022年政府信息公开工作年度报告汇总" in html and "plotly" not in html


def test_without_the_year_before_there_is_no_change_column(tmp_path):
    soup = BeautifulSoup(render_county_overview("昌乐县", 2022, [sample_context()], tmp_path).read_text(encoding="utf-8"), "html.parser")
    assert cells(row(soup, "applications", "11370725MB28503006"))[1:3] == ["18", "3"]
    assert "增减" not in soup.get_text()


def test_deadlines_per_agency_with_the_county_total(tmp_path):
    current = [sample_context(), tangwu_2022_context()]
    codes = [c.agency_code for c in current]
    deadlines = {codes[0]: {"answered": 8, "on_time": 6, "late": 2, "on_time_rate": 0.75, "longest_working_days": 31, "due_soon": 3}}
    path = render_county_overview("昌乐县", 2022, current, tmp_path, generated_on=date(2023, 1, 20), deadlines=deadlines)
    soup = BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")
    # 单位 | 答复件数 | 按期 | 逾期 | 按期率 | 最长用时 | 即将到期
    assert cells(row(soup, "deadlines", codes[0]))[1:] == ["8", "6", "2", "75.0%", "31", "3"]
    assert cells(row(soup, "deadlines", codes[1]))[1:] == ["0", "0", "0", "—", "—", "0"]  # no answers in the warehouse
    total = soup.find("h2", id="deadlines").find_next("table").find("tr", class_="total")
    assert cells(total)[1:] == ["8", "6", "2", "75.0%", "31", "3"]
    assert "2023-01-20" in soup.find("h2", id="deadlines").find_next("p").get_text()


def test_without_deadlines_the_section_is_left_out(soup):
    assert soup.find("h2", id="deadlines") is None
