"""The clerk's narrative file: sections, markers, placeholders."""

import docx
import pytest

from pipelines.defs.reports import load_narrative, narrative_path, parse_narrative, render_agency_report
from pipelines.defs.reports.document import build_document
from pipelines.errors import GongkaiError
from pipelines.settings import settings
from tests.support.report_expected import APPLICATION_SENTENCE, FEE_SENTENCE, PROACTIVE_SENTENCE
from tests.support.report_samples import TANGWU_CODE, sample_context


def section_texts(ctx, key):
    section = next(s for s in build_document(ctx).sections if s.key == key)
    return [b.text for b in section.blocks if hasattr(b, "text")]


def test_placeholders_without_narrative(tmp_path):
    files = render_agency_report(sample_context(narrative=None), tmp_path)
    paras = [p.text for p in docx.Document(files["docx"]).paragraphs]
    for placeholder in ("【待填写：总体情况】", "【待填写：存在的主要问题及改进情况】", "【待填写：其他需要报告的事项】"):
        assert placeholder in paras
        assert placeholder in files["html"].read_text(encoding="utf-8")
    # the figures are there all the same, at the top of their sections
    one = paras.index("一、总体情况")
    assert paras[one + 1 : one + 3] == [PROACTIVE_SENTENCE, APPLICATION_SENTENCE]
    six = paras.index("六、其他需要报告的事项")
    assert paras[six + 1] == FEE_SENTENCE


def test_headings_by_number_title_or_full():
    n = parse_narrative("## 一\n甲\n## 存在的主要问题及改进情况\n乙\n## 六、其他需要报告的事项\n丙\n")
    assert n.sections == {"overview": ["甲"], "problems": ["乙"], "other": ["丙"]}


def test_text_before_the_first_heading_is_the_preamble_and_comments_are_dropped():
    n = parse_narrative("# 标题\n<!-- 说明\n多行 -->\n前面的话\n## 一、总体情况\n甲\n")
    assert n.sections == {"preamble": ["前面的话"], "overview": ["甲"]}


def test_markers_place_the_figures():
    # section 5 states a problem: one that says nothing would be a readiness warning (tests/reports/test_readiness.py)
    n = parse_narrative("## 一、总体情况\n开头\n{{依申请}}\n中间\n{{主动公开}}\n## 五\n一是公开内容的规范性有待加强\n## 六\n费用：{{信息处理费}}\n")
    ctx = sample_context(narrative=n)
    assert section_texts(ctx, "overview") == ["开头", APPLICATION_SENTENCE, "中间", PROACTIVE_SENTENCE]
    assert section_texts(ctx, "other") == ["费用：" + FEE_SENTENCE]
    assert ctx.reasons() == []


def test_partial_narrative_gets_placeholder_and_is_a_draft():
    ctx = sample_context(narrative=parse_narrative("## 一\n甲\n## 六\n丙\n"))
    assert "【待填写：存在的主要问题及改进情况】" in section_texts(ctx, "problems")
    assert any("五、存在的主要问题及改进情况" in r for r in ctx.reasons())


@pytest.mark.parametrize(
    "text, words",
    [
        ("## 七、附件\n甲\n", "未知的章节标题"),
        ("## 一\n{{申请数}}\n", "未知的标记"),
        ("## 一\n甲\n## 一、总体情况\n乙\n", "重复"),
    ],
)
def test_bad_files_are_one_clear_error(text, words):
    with pytest.raises(GongkaiError) as err:
        parse_narrative(text, source="x.md")
    assert words in err.value.zh and "x.md" in err.value.zh


def test_location_and_missing_file(tmp_path):
    assert narrative_path("CODE", 2022, tmp_path) == tmp_path / "CODE" / "2022.md"
    assert load_narrative("CODE", 2022, tmp_path) is None
    (tmp_path / "CODE").mkdir()
    (tmp_path / "CODE" / "2022.md").write_text("## 五\n问题\n", encoding="utf-8")
    assert load_narrative("CODE", 2022, tmp_path).paragraphs("problems") == ["问题"]


def test_env_variable_moves_the_root(tmp_path, monkeypatch):
    monkeypatch.setenv("GONGKAI_NARRATIVES_DIR", str(tmp_path))
    assert narrative_path(TANGWU_CODE, 2022, settings().narratives_dir) == tmp_path / TANGWU_CODE / "2022.md"
