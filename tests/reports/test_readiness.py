"""Readiness as reviewers check a report's text (pipelines/defs/readiness.py): on the rendered report's draft
banner (ReportContext), in the desk's findings, and in gongkai check on published reports."""

import json
from pathlib import Path

import pytest
import typer
from typer.testing import CliRunner

from pipelines.cli import check
from pipelines.defs import readiness
from pipelines.defs.reports.narrative import parse_narrative
from pipelines.defs.reports.publish import report_context, year_inputs
from pipelines.desk.reporting import view
from pipelines.desk.store import Store
from tests.desk.support import desk_settings
from tests.support.report_samples import SAMPLE_CODE, SAMPLE_NARRATIVE, sample_context, sample_tables

SEED = Path(__file__).parents[1] / "published" / "fixtures" / "seed-report-2022.txt"
REPEATED, PROBLEMS, FEES = (readiness.readiness_id(k) for k in (readiness.REPEATED, readiness.PROBLEMS_EMPTY, readiness.FEES_NOT_STATED))

# ----------------------------------------------------------------------- the rules


def test_repeated_share_counts_characters_of_sentences_found_last_year():
    # words of this year's sentences: 今年我们做了很多工作 (10), 明年继续努力改进 (8), 一是加强培训 (6) = 24;
    # last year has 明年继续努力改进 only (去年… differs): 8 / 24 = 1/3, one sentence of three
    share, same, total = readiness.repeated_share(["今年我们做了很多工作。明年继续努力改进。", "一是加强培训。"], ["去年我们做了很多工作。明年继续努力改进。"])
    assert (share, same, total) == (pytest.approx(1 / 3), 1, 3)
    # figures and years do not hide a copied sentence: 2023年收到申请5件 and 2022年收到申请3件 are both 年收到申请件
    assert readiness.repeated_share(["2023年收到申请5件。"], ["2022年收到申请3件。"])[0] == 1.0
    # pieces shorter than six characters of words ("无", "一是") are left out of the comparison
    assert readiness.repeated_share(["无。", "一是"], ["无。", "一是"]) == (0.0, 0, 0)


def test_exactly_half_is_not_more_than_half():
    # 甲乙丙丁戊己 (6) repeated, 子丑寅卯辰巳 (6) new: 6 / 12 = 0.5 — no finding; one more repeated sentence makes 12 / 18
    assert readiness.repeated_finding(["甲乙丙丁戊己。子丑寅卯辰巳。"], ["甲乙丙丁戊己。"]) is None
    found = readiness.repeated_finding(["甲乙丙丁戊己。子丑寅卯辰巳。午未申酉戌亥。"], ["甲乙丙丁戊己。午未申酉戌亥。"])
    assert found is not None and found.id == REPEATED and found.dismissible and "67%" in found.title and "3句中2句" in found.title
    assert readiness.repeated_finding(["甲乙丙丁戊己。"], None) is None  # no last year to compare with


def test_section_five_and_six_rules():
    assert readiness.problems_finding(["无。"]).id == PROBLEMS  # 1 character of words
    assert readiness.problems_finding(["本年度无问题。"]).id == PROBLEMS  # 6 < 8
    assert readiness.problems_finding(None).id == PROBLEMS  # no section 5 at all
    assert readiness.problems_finding(["一是公开内容的规范性有待加强。"]) is None  # 14 characters: says something
    assert readiness.fees_finding(["（一）收取信息处理费情况。本年度未收取信息处理费。"]) is None  # none collected is a statement
    assert readiness.fees_finding(["（二）本行政机关认为需要报告的其他事项。无。"]).id == FEES
    assert readiness.fees_finding(None).id == FEES


# ------------------------------------------------------------- the rendered report


def narrative_with(problems: str):
    return parse_narrative(SAMPLE_NARRATIVE.replace("一是公开内容的规范性有待加强。", problems))


def test_an_empty_section_five_is_a_warning_on_the_draft_banner_until_dismissed():
    ctx = sample_context(narrative=narrative_with("无。"))
    assert [f.id for f in ctx.readiness_findings()] == [PROBLEMS]
    assert len(ctx.reasons()) == 1 and "第五部分" in ctx.reasons()[0]
    assert sample_context(narrative=narrative_with("无。"), dismissed=frozenset({PROBLEMS})).reasons() == []
    assert sample_context().readiness_findings() == []  # the sample's section 5 states a problem


def test_a_narrative_copied_from_last_year_is_a_warning_until_dismissed():
    same = parse_narrative(SAMPLE_NARRATIVE.replace("2022", "2021"))  # last year's file, only the years differ
    ctx = sample_context(previous_narrative=same)
    assert [f.id for f in ctx.readiness_findings()] == [REPEATED]
    assert "100%" in ctx.reasons()[0]
    assert sample_context(previous_narrative=same, dismissed=frozenset({REPEATED})).reasons() == []
    other = parse_narrative("## 一、总体情况\n去年我们主要做了三件事情。\n## 五\n去年的问题是人手不足经验欠缺。\n## 六\n去年没有收取费用的情况。\n")
    assert sample_context(previous_narrative=other).readiness_findings() == []


def test_report_context_reads_last_years_narrative_and_year_inputs_follow_it(tmp_path):
    narratives = tmp_path / "narratives"
    (narratives / SAMPLE_CODE).mkdir(parents=True)
    (narratives / SAMPLE_CODE / "2022.md").write_text(SAMPLE_NARRATIVE, encoding="utf-8")
    obj = sample_tables()
    assert report_context(obj, narratives).readiness_findings() == []  # no 2021 file
    inputs = year_inputs(tmp_path / "none.duckdb", narratives, tmp_path / "desk.sqlite", 2022)
    (narratives / SAMPLE_CODE / "2021.md").write_text(SAMPLE_NARRATIVE.replace("2022", "2021"), encoding="utf-8")
    assert [f.id for f in report_context(obj, narratives).readiness_findings()] == [REPEATED]
    # the 2022 reports are made again when last year's narrative changes: their warning may change
    assert year_inputs(tmp_path / "none.duckdb", narratives, tmp_path / "desk.sqlite", 2022) != inputs
    # last year's file no longer parses: this year's report does not fail for it
    (narratives / SAMPLE_CODE / "2021.md").write_text("## 七、附录\n文字\n", encoding="utf-8")
    assert report_context(obj, narratives).readiness_findings() == []


def test_the_desk_lists_the_warning_and_a_dismissal_takes_it_off_the_banner(tmp_path):
    cfg = desk_settings(tmp_path)
    folder = cfg.narratives_dir / SAMPLE_CODE
    folder.mkdir(parents=True)
    (folder / "2021.md").write_text(SAMPLE_NARRATIVE.replace("2022", "2021"), encoding="utf-8")
    (folder / "2022.md").write_text(SAMPLE_NARRATIVE, encoding="utf-8")
    store = Store(cfg.desk_db)
    rv = view(cfg, store, SAMPLE_CODE, 2022, obj=sample_tables(), with_rows=False)
    found = {f.id: f for f in rv.findings}
    assert REPEATED in found and found[REPEATED].dismissible and found[REPEATED].source == "readiness"
    assert any("上年报告重复" in r for r in rv.reasons)
    store.decide(SAMPLE_CODE, 2022, REPEATED, "dismiss", "格式性表述，已核实", "changle")
    rv = view(cfg, store, SAMPLE_CODE, 2022, obj=sample_tables(), with_rows=False)
    assert REPEATED in {f.id for f in rv.findings} and not any("上年报告重复" in r for r in rv.reasons)


# ------------------------------------------------------------- published reports


@pytest.fixture(scope="module")
def app():
    app = typer.Typer()
    check.register(app)

    @app.callback()
    def _root():
        pass

    return app


def checked(app, *paths) -> list[dict]:
    res = CliRunner().invoke(app, ["check", *map(str, paths), "--format", "json"])
    assert res.exit_code == 0, res.output  # warnings only
    out = json.loads(res.output)
    return out if isinstance(out, list) else [out]


def readiness_ids(obj: dict) -> list[str]:
    return [f["id"] for f in obj["findings"] if f["id"].startswith("readiness:")]


SEED_TEXT = SEED.read_text(encoding="utf-8")
FEE_LINE = "(一) 收取信息处理费情况。2022年，鄌郚镇政府未收取任何政府信息公开信息处理费。\n"


def test_the_seed_is_ready(app):
    assert readiness_ids(checked(app, SEED)[0]) == []


def test_a_published_section_six_without_fees_and_an_empty_section_five(app, tmp_path):
    assert FEE_LINE in SEED_TEXT
    no_fees = tmp_path / "no-fees.txt"
    no_fees.write_text(SEED_TEXT.replace(FEE_LINE, ""), encoding="utf-8")
    obj = checked(app, no_fees)[0]
    assert readiness_ids(obj) == [FEES]
    assert next(f for f in obj["findings"] if f["id"] == FEES)["severity"] == "warning"
    # section 5: everything between its heading and section 6 replaced by 无。
    start = SEED_TEXT.index("五、存在的主要问题及改进情况\n") + len("五、存在的主要问题及改进情况\n")
    empty5 = tmp_path / "empty5.txt"
    empty5.write_text(SEED_TEXT[:start] + "无。\n" + SEED_TEXT[SEED_TEXT.index("六、其他需要报告的事项") :], encoding="utf-8")
    assert readiness_ids(checked(app, empty5)[0]) == [PROBLEMS]


def test_a_published_report_copied_from_the_year_before(app, tmp_path):
    copied = tmp_path / "2023.txt"
    copied.write_text(SEED_TEXT.replace("2022", "2023"), encoding="utf-8")  # every sentence the seed's, years updated
    seed, copy = checked(app, SEED, copied)
    assert copy["year"] == 2023 and readiness_ids(copy) == [REPEATED] and readiness_ids(seed) == []
    assert "100%" in next(f for f in copy["findings"] if f["id"] == REPEATED)["message"]
    assert readiness_ids(checked(app, copied)[0]) == []  # alone, there is nothing to compare with
