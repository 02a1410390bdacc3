"""昌乐县鄌郚镇 2022 rendered from its figures and narrative reads like the published report."""

import re

import docx
import openpyxl
import pytest

from pipelines.settings import PROJECT_ROOT
from schemas.vocabulary import SECTIONS, fold

# the copy kept with the published-report fixtures (shared/ is not always beside the checkout)
SEED = PROJECT_ROOT / "tests" / "published" / "fixtures" / "seed-report-2022.txt"
HEADING = re.compile(r"^[一二三四五六]、")


@pytest.fixture(scope="module")
def seed_lines() -> list[str]:
    return [line.strip() for line in SEED.read_text(encoding="utf-8").splitlines()]


@pytest.fixture(scope="module")
def document(tangwu_files):
    return docx.Document(tangwu_files["docx"])


def seed_section(lines, number) -> list[str]:
    start = next(i for i, line in enumerate(lines) if line.startswith(number + "、"))
    end = next((i for i in range(start + 1, len(lines)) if HEADING.match(lines[i])), len(lines))
    return [line for line in lines[start + 1 : end] if line]


def test_same_title_and_sections(seed_lines, document):
    paras = [p.text for p in document.paragraphs if p.text]
    assert paras[:2] == [seed_lines[0], seed_lines[1]]
    raw = SEED.read_text(encoding="utf-8").splitlines()
    seed_headings = [line.strip() for line in raw if HEADING.match(line)]  # table cells are tab-indented
    ours = [p for p in paras if p in {s.heading for s in SECTIONS}]
    assert ours == seed_headings == [s.heading for s in SECTIONS]


def test_same_numbers(document, tangwu_files):
    paras = [p.text for p in document.paragraphs]
    # seed: 主动公开政府信息379条 … 政府信息公开专栏 … 11条 … 微信公众号 … 368条
    assert "本年度主动公开政府信息379条，其中通过政府信息公开专栏公开11条，通过微信公众号公开368条。" in paras
    assert "本年度未收到政府信息公开申请，无上年结转的申请。" in paras
    assert "（一）收取信息处理费情况。本年度未收取信息处理费。" in paras
    p, a, r = document.tables

    # the seed's tables: 10 proactive figures, 25 × 7 application figures, 15 appeal figures, all 0
    def values(t, rows, cols) -> list[str]:
        return [t.cell(i, j).text for i in rows for j in cols]

    assert values(a, range(3, 28), range(3, 10)) == ["0"] * 175
    assert values(r, [3], range(15)) == ["0"] * 15
    proactive = {c._tc: c.text for row in p.rows for c in row.cells[1:] if c.text.isdigit()}
    assert list(proactive.values()) == ["0"] * 10
    wb = openpyxl.load_workbook(tangwu_files["xlsx"])
    numbers = [c.value for ws in wb.worksheets for row in ws.iter_rows() for c in row if isinstance(c.value, (int, float))]
    assert len(numbers) == 10 + 175 + 15 and not any(numbers)


def test_same_text(seed_lines, document):
    paras = [p.text for p in document.paragraphs]
    for line in seed_section(seed_lines, "五"):
        assert line in paras
    # section 六 line for line, but the fee sentence is worked out from the ledgers
    ours = {fold(q) for q in paras}  # the seed mixes half- and full-width brackets
    items = [line for line in seed_section(seed_lines, "六") if line.startswith("(")]
    assert len(items) == 7
    for line in items[1:]:
        assert fold(line) in ours
    assert seed_lines[3] in paras  # the preamble


def test_signed_and_dated_like_the_seed(seed_lines, document):
    paras = [p.text for p in document.paragraphs if p.text]
    assert paras[-2:] == ["昌乐县鄌郚镇人民政府", "2023年1月10日"]
    assert "2023年1月10日" in seed_lines


def test_publishable(tangwu_files):
    assert "DRAFT" not in tangwu_files["html"].read_text(encoding="utf-8")
