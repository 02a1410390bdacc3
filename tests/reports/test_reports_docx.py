"""The DOCX as an agency publishes it: opened with python-docx, checked cell by cell."""

import docx
import pytest

from schemas.vocabulary import APPLICATION_ROW_KEYS, SECTIONS
from tests.support.report_expected import (
    APPEALS,
    APPLICATION_SENTENCE,
    FEE_SENTENCE,
    PROACTIVE_ROWS,
    PROACTIVE_SENTENCE,
    application_value,
)


@pytest.fixture(scope="module")
def document(sample_files):
    return docx.Document(sample_files["docx"])


def texts(document) -> list[str]:
    return [p.text for p in document.paragraphs]


def same(table, a, b) -> bool:
    """python-docx gives a merged range one cell element."""
    return table.cell(*a)._tc is table.cell(*b)._tc


def test_title_and_sections_in_order(document):
    paras = [t for t in texts(document) if t]
    assert paras[0] == "昌乐县示例街道办事处"
    assert paras[1] == "2022年政府信息公开工作年度报告"
    headings = [t for t in paras if t in {s.heading for s in SECTIONS}]
    assert headings == [
        "一、总体情况",
        "二、主动公开政府信息情况",
        "三、收到和处理政府信息公开申请情况",
        "四、政府信息公开行政复议、行政诉讼情况",
        "五、存在的主要问题及改进情况",
        "六、其他需要报告的事项",
    ]


def test_figures_in_the_text(document):
    paras = texts(document)
    assert PROACTIVE_SENTENCE in paras
    assert APPLICATION_SENTENCE in paras
    assert "（一）收取信息处理费情况。" + FEE_SENTENCE in paras
    # section 6 carries the fee sentence
    six = paras.index("六、其他需要报告的事项")
    assert FEE_SENTENCE in paras[six + 1]


def test_page_is_a4_portrait(document):
    section = document.sections[0]
    assert round(section.page_width.cm, 1) == 21.0 and round(section.page_height.cm, 1) == 29.7
    assert section.left_margin.cm > 2 and section.right_margin.cm > 2


def test_chinese_font_is_set(document):
    rfonts = document.styles["Normal"].element.rPr.rFonts
    assert rfonts.get("{http://schemas.openxmlformats.org/wordprocessingml/2006/main}eastAsia") == "仿宋"


def test_three_tables_with_form_shapes(document):
    p, a, r = document.tables
    assert (len(p.rows), len(p.columns)) == (14, 4)
    assert (len(a.rows), len(a.columns)) == (3 + 25, 10)
    assert (len(r.rows), len(r.columns)) == (4, 15)


def test_table_p_blocks_and_values(document):
    p = document.tables[0]
    blocks = [p.cell(i, 0).text for i in range(len(p.rows)) if same(p, (i, 0), (i, 3))]
    assert blocks == ["第二十条第（一）项", "第二十条第（五）项", "第二十条第（六）项", "第二十条第（八）项"]
    assert [p.cell(1, c).text for c in range(4)] == ["信息内容", "本年制发件数", "本年废止件数", "现行有效件数"]
    assert p.cell(5, 1).text == "本年处理决定数量" and same(p, (5, 1), (5, 3))
    assert p.cell(12, 1).text == "本年收费金额（单位：万元）"
    rows = {p.cell(i, 0).text: i for i in range(len(p.rows))}
    for label, values in PROACTIVE_ROWS:
        i = rows[label]
        if len(values) == 1:  # a one-metric block: the number spans the three value columns
            assert same(p, (i, 1), (i, 3)) and p.cell(i, 1).text == values[0]
        else:
            assert [p.cell(i, 1 + k).text for k in range(3)] == list(values)


def test_table_a_headers_are_merged_like_the_form(document):
    a = document.tables[1]
    assert a.cell(0, 0).text.startswith("（本列数据的勾稽关系为：第一项加第二项之和等于第三项加第四项之和")
    assert same(a, (0, 0), (2, 2))
    assert a.cell(0, 3).text == "申请人情况"
    assert same(a, (0, 3), (0, 9)) and not same(a, (0, 2), (0, 3))  # spans all 7 value columns
    assert a.cell(1, 3).text == "自然人" and same(a, (1, 3), (2, 3))
    assert a.cell(1, 4).text == "法人或其他组织" and same(a, (1, 4), (1, 8)) and not same(a, (1, 8), (1, 9))
    assert [a.cell(2, c).text for c in range(4, 9)] == ["商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他"]
    assert a.cell(1, 9).text == "总计" and same(a, (1, 9), (2, 9))


def test_table_a_row_labels_nest_like_the_form(document):
    a = document.tables[1]
    body = 3
    assert a.cell(body, 0).text == "一、本年新收政府信息公开申请数量" and same(a, (body, 0), (body, 2))
    # 三、本年度办理结果 spans 3.1 … 3.7: 22 rows
    assert a.cell(body + 2, 0).text == "三、本年度办理结果"
    assert same(a, (body + 2, 0), (body + 23, 0)) and not same(a, (body + 2, 0), (body + 24, 0))
    assert a.cell(body + 2, 1).text == "（一）予以公开" and same(a, (body + 2, 1), (body + 2, 2))
    # （三）不予公开 spans its eight rows; its items sit in the third label column
    assert a.cell(body + 4, 1).text == "（三）不予公开"
    assert same(a, (body + 4, 1), (body + 11, 1)) and not same(a, (body + 4, 1), (body + 12, 1))
    assert a.cell(body + 4, 2).text == "1.属于国家秘密" and a.cell(body + 11, 2).text == "8.属于行政查询事项"
    assert a.cell(body + 12, 1).text == "（四）无法提供" and same(a, (body + 12, 1), (body + 14, 1))
    assert a.cell(body + 15, 1).text == "（五）不予处理" and same(a, (body + 15, 1), (body + 19, 1))
    assert a.cell(body + 20, 1).text == "（六）其他处理" and same(a, (body + 20, 1), (body + 22, 1))
    assert a.cell(body + 23, 1).text == "（七）总计"
    assert a.cell(body + 24, 0).text == "四、结转下年度继续办理" and same(a, (body + 24, 0), (body + 24, 2))


def test_table_a_values_cell_by_cell(document):
    a = document.tables[1]
    for i, row_key in enumerate(APPLICATION_ROW_KEYS):
        got = [a.cell(3 + i, 3 + j).text for j in range(7)]
        assert got == [str(application_value(row_key, j)) for j in range(7)], row_key


def test_table_r_headers_and_values(document):
    r = document.tables[2]
    assert r.cell(0, 0).text == "行政复议" and same(r, (0, 0), (0, 4)) and not same(r, (0, 4), (0, 5))
    assert r.cell(0, 5).text == "行政诉讼" and same(r, (0, 5), (0, 14))
    assert r.cell(1, 5).text == "未经复议直接起诉" and same(r, (1, 5), (1, 9))
    assert r.cell(1, 10).text == "复议后起诉" and same(r, (1, 10), (1, 14))
    assert [r.cell(1, c).text for c in range(5)] == ["结果维持", "结果纠正", "其他结果", "尚未审结", "总计"]
    assert same(r, (1, 0), (2, 0))  # 行政复议's result labels fill two header rows
    assert [r.cell(2, c).text for c in range(5, 15)] == ["结果维持", "结果纠正", "其他结果", "尚未审结", "总计"] * 2
    assert [int(r.cell(3, c).text) for c in range(15)] == list(APPEALS)


def test_signature_closes_the_report(document):
    paras = [t for t in texts(document) if t]
    assert paras[-2:] == ["昌乐县示例街道办事处", "2023年1月15日"]
