"""The HTML report: self-contained, every label and every value, spans like the form."""

import pytest
from bs4 import BeautifulSoup

from schemas.vocabulary import (
    APPEAL_GROUPS,
    APPEAL_RESULTS,
    APPLICATION_COLUMN_LABELS,
    APPLICATION_ROW_KEYS,
    APPLICATION_ROWS,
    PROACTIVE_ITEMS,
    SECTIONS,
)
from tests.support.report_expected import APPEALS, APPLICATION_SENTENCE, COLS, FEE_SENTENCE, PROACTIVE_SENTENCE, application_value


@pytest.fixture(scope="module")
def html(sample_files):
    return sample_files["html"].read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def soup(html):
    return BeautifulSoup(html, "html.parser")


def test_self_contained(html, soup):
    assert not soup.find_all("link") and not soup.find_all("img")
    assert all(not s.get("src") for s in soup.find_all("script"))
    assert "http://" not in html and "https://" not in html
    assert soup.find("style") is not None


def test_every_label(soup):
    cells = {c.get_text() for c in soup.find_all(["th", "td"])}
    labels = {r.short for r in APPLICATION_ROWS} | {r.group for r in APPLICATION_ROWS if r.group}
    labels |= set(APPLICATION_COLUMN_LABELS.values()) | {"三、本年度办理结果", "申请人情况", "法人或其他组织"}
    labels |= {i.label for i in PROACTIVE_ITEMS} | {m.label for i in PROACTIVE_ITEMS for m in i.metrics}
    labels |= {g.label for g in APPEAL_GROUPS} | {g.parent for g in APPEAL_GROUPS} | {r.label for r in APPEAL_RESULTS}
    assert labels - cells == set()
    headings = [h.get_text() for h in soup.find_all("h2")]
    assert headings == [s.heading for s in SECTIONS]


def test_every_value(soup):
    by_key = {c["data-key"]: c.get_text() for c in soup.find_all("td", attrs={"data-key": True})}
    assert len(by_key) == 10 + 25 * 7 + 15
    for row_key in APPLICATION_ROW_KEYS:
        for j, col in enumerate(COLS):
            assert by_key[f"{row_key}/{col}"] == str(application_value(row_key, j))
    results = [r.key for r in APPEAL_RESULTS]
    got = [by_key[f"{g.key}/{r}"] for g in APPEAL_GROUPS for r in results]
    assert got == [str(v) for v in APPEALS]
    assert by_key["normative_document/in_force"] == "23" and by_key["admin_fee/amount_wan_yuan"] == "1.2345"


def test_spans_like_the_form(soup):
    def cell(text):
        return soup.find("th", string=text)

    assert cell("申请人情况")["colspan"] == "7"
    assert cell("法人或其他组织")["colspan"] == "5"
    assert cell("三、本年度办理结果")["rowspan"] == "22"
    assert cell("（三）不予公开")["rowspan"] == "8"
    assert cell("行政诉讼")["colspan"] == "10"
    assert cell("未经复议直接起诉")["colspan"] == "5"


def test_text_and_figures(soup):
    paras = [p.get_text() for p in soup.find_all("p")]
    assert PROACTIVE_SENTENCE in paras and APPLICATION_SENTENCE in paras
    assert any(FEE_SENTENCE in p for p in paras)
    assert soup.find("h1").get_text() == "昌乐县示例街道办事处2022年政府信息公开工作年度报告"
