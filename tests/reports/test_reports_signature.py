"""The date under the signature: the clerk's (narrative front matter), else the publication date, else the render date."""

import dataclasses
from datetime import date
from pathlib import Path

import docx
import pytest
from typer.testing import CliRunner

from pipelines.cli import main
from pipelines.defs.published.report import check_report
from pipelines.defs.reports import render_agency_report
from pipelines.defs.reports.document import build_document
from pipelines.defs.reports.narrative import parse_narrative
from pipelines.defs.reports.publish import fingerprint, publish_reports, published_dates, year_inputs
from pipelines.errors import GongkaiError
from pipelines.run import materialize_years
from pipelines.settings import settings
from tests.support.raw_ledgers import TANGWU, write_csv
from tests.support.report_samples import SAMPLE_NARRATIVE, sample_context

SIGNED = "---\nsigned_on: 2023-01-20\n---\n" + SAMPLE_NARRATIVE


def test_front_matter_sets_the_date_in_either_spelling():
    assert parse_narrative(SIGNED).signed_on == date(2023, 1, 20)
    assert parse_narrative("---\n落款日期: 2023年1月9日\n---\n" + SAMPLE_NARRATIVE).signed_on == date(2023, 1, 9)
    plain = parse_narrative(SAMPLE_NARRATIVE)
    assert plain.signed_on is None
    # the front matter is not report text: the sections read the same with or without it
    assert parse_narrative(SIGNED).sections == plain.sections


@pytest.mark.parametrize(
    ("front", "said"),
    [
        ("---\nsigned_on: 2023-02-30\n---\n", "line 2"),  # no such day
        ("---\nsigned: 2023-01-20\n---\n", "line 2: unknown front matter"),
        ("---\nsigned_on: 2023-01-20\n", "no closing ---"),
    ],
)
def test_a_bad_front_matter_is_an_error_naming_the_line(front, said):
    with pytest.raises(GongkaiError) as err:
        parse_narrative(front + SAMPLE_NARRATIVE, source="n.md")
    assert said in str(err.value) and "n.md" in str(err.value)


def test_line_numbers_after_the_front_matter_and_comments_are_the_files():
    text = "---\nsigned_on: 2023-01-20\n---\n<!--\n a guidance comment\n-->\n## 七、不存在\n"
    with pytest.raises(GongkaiError) as err:
        parse_narrative(text, source="n.md")
    assert "line 7" in str(err.value)


def test_the_signature_date_is_the_clerks_then_the_publications_then_the_render_date():
    rendered = date(2023, 1, 15)  # sample_context's render date
    clerks = sample_context(narrative=parse_narrative(SIGNED))
    assert build_document(clerks).signature[-1] == "2023年1月20日"
    published = sample_context(published_on=date(2023, 1, 10))
    assert build_document(published).signature[-1] == "2023年1月10日"
    assert build_document(dataclasses.replace(published, narrative=parse_narrative(SIGNED))).signature[-1] == "2023年1月20日"
    assert sample_context().generated_on == rendered and build_document(sample_context()).signature[-1] == "2023年1月15日"


def test_a_set_date_is_part_of_the_fingerprint_and_the_render_date_is_not():
    base = sample_context()
    assert fingerprint(base) == fingerprint(dataclasses.replace(base, generated_on=date(2024, 5, 5)))
    signed = sample_context(narrative=parse_narrative(SIGNED))
    later = sample_context(narrative=parse_narrative(SIGNED.replace("2023-01-20", "2023-01-21")))
    assert len({fingerprint(base), fingerprint(signed), fingerprint(later)}) == 3


def test_the_rendered_docx_and_html_carry_the_clerks_date(tmp_path):
    files = render_agency_report(sample_context(narrative=parse_narrative(SIGNED)), tmp_path)
    paras = [p.text for p in docx.Document(str(files["docx"])).paragraphs if p.text.strip()]
    assert paras[-1] == "2023年1月20日"
    html = files["html"].read_text(encoding="utf-8")
    assert "2023年1月20日" in html and "2023年1月15日" not in html


SEED = Path(__file__).parents[1] / "published" / "fixtures" / "seed-report-2022.txt"


def test_the_published_report_gives_its_date():
    # the seed's last lines: 昌乐县鄌郚镇人民政府 / 2023年1月10日 / 1 (a page number)
    assert check_report(SEED).signed_on == date(2023, 1, 10)


@pytest.mark.slow  # whole pipeline runs
def test_a_loaded_published_report_dates_the_agencys_report(tmp_path):
    """鄌郚镇 2022 from its 379 items, then its published report loaded: the re-rendered report is signed
    2023年1月10日 as published, and the year's reports count as stale until they are."""
    root = tmp_path / "raw"
    write_csv(root / "agencies.csv", [{"agency_code": TANGWU, "agency_name": "昌乐县鄌郚镇人民政府", "county": "昌乐县"}])
    items = [
        {"item_id": f"T-{i}", "agency_code": TANGWU, "title": f"信息{i}", "published_on": "2022-06-01", "channel": "微信公众号", "category": "其他"}
        for i in range(379)
    ]
    write_csv(root / "disclosures" / "2022.csv", items)
    cfg = settings(raw=root, warehouse=tmp_path / "wh" / "gongkai.duckdb")
    materialize_years(cfg, [2022])
    before = year_inputs(cfg.warehouse, cfg.narratives_dir, cfg.desk_db, 2022)
    assert published_dates(cfg.warehouse, 2022) == {}

    main._register()
    loaded = CliRunner().invoke(main.app, ["check", str(SEED), "--load", "--warehouse", str(cfg.warehouse)])
    assert loaded.exit_code in (0, 1), loaded.output
    assert published_dates(cfg.warehouse, 2022) == {TANGWU: date(2023, 1, 10)}
    assert year_inputs(cfg.warehouse, cfg.narratives_dir, cfg.desk_db, 2022) != before

    written = publish_reports(cfg.warehouse, 2022, cfg.reports_dir, cfg.narratives_dir, generated_on=date(2024, 3, 3))
    paras = [p.text for p in docx.Document(str(written["reports"][TANGWU]["docx"])).paragraphs if p.text.strip()]
    assert paras[-2:] == ["昌乐县鄌郚镇人民政府", "2023年1月10日"]
