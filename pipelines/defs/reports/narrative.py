"""The clerk's text of the report: one Markdown file per agency-year.

Location: `<narratives root>/<agency_code>/<year>.md`; the root comes from the
configuration (Settings.narratives_dir: GONGKAI_NARRATIVES_DIR, else `data/narratives/`
of the checkout). The format is documented in docs/narratives.md.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from pipelines.errors import GongkaiError
from schemas.vocabulary import SECTIONS, Section, fold

PREAMBLE = "preamble"
PREAMBLE_HEADING = "前言"
# Sections the clerk must write; the others (preamble, notes under the tables) are optional.
REQUIRED_SECTIONS = ("overview", "problems", "other")

# Markers the clerk places where the generated figures go; a missing marker puts
# the figures at the top of their section, so a report can never lack them.
MARKERS = {
    "proactive_figures": ("{{主动公开}}", "overview"),
    "application_figures": ("{{依申请}}", "overview"),
    "fee_figures": ("{{信息处理费}}", "other"),
}
_MARKER_RE = re.compile(r"\{\{[^{}]*\}\}")


@dataclass
class Narrative:
    """Paragraphs per section key (`preamble` or a SECTIONS key)."""

    sections: dict[str, list[str]] = field(default_factory=dict)
    source: str | None = None

    def paragraphs(self, key: str) -> list[str]:
        return self.sections.get(key, [])


def narrative_path(agency_code: str, year: int, root: Path) -> Path:
    return Path(root) / agency_code / f"{year}.md"


def load_narrative(agency_code: str, year: int, root: Path) -> Narrative | None:
    """The narrative of one agency-year, or None when the clerk has not written one."""
    path = narrative_path(agency_code, year, root)
    if not path.exists():
        return None
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as err:
        raise GongkaiError(f"无法读取文字说明 {path}：{err}", f"cannot read narrative {path}: {err}") from err
    return parse_narrative(text, source=str(path))


def _section_for(heading: str) -> str | None:
    folded = fold(heading)
    if folded == fold(PREAMBLE_HEADING):
        return PREAMBLE
    for section in SECTIONS:
        # "## 五、存在的主要问题及改进情况", "## 五" and "## 存在的主要问题及改进情况" all name section 五
        if folded in (fold(section.heading), section.number, fold(section.title)) or folded.startswith(section.number + "、"):
            return section.key
    return None


def parse_narrative(text: str, source: str | None = None) -> Narrative:
    where = source or "narrative"
    text = re.sub(r"<!--.*?-->", "", text, flags=re.S)  # guidance comments in the file are not report text
    sections: dict[str, list[str]] = {}
    current = PREAMBLE
    known = {m for m, _ in MARKERS.values()}
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        if not line or (line.startswith("# ") or line == "#"):
            continue  # blank lines and the file's own title
        if line.startswith("##"):
            heading = line.lstrip("#").strip()
            key = _section_for(heading)
            if key is None:
                names = "、".join([PREAMBLE_HEADING] + [s.heading for s in SECTIONS])
                raise GongkaiError(
                    f"{where} 第{number}行：未知的章节标题“{heading}”（可用：{names}）",
                    f"{where} line {number}: unknown section heading {heading!r}",
                )
            if key in sections:
                raise GongkaiError(f"{where} 第{number}行：章节“{heading}”重复", f"{where} line {number}: section {heading!r} appears twice")
            current = key
            sections[key] = []
            continue
        for marker in _MARKER_RE.findall(line):
            if marker not in known:
                raise GongkaiError(
                    f"{where} 第{number}行：未知的标记 {marker}（可用：{'、'.join(sorted(known))}）",
                    f"{where} line {number}: unknown marker {marker}",
                )
        sections.setdefault(current, []).append(line)
    return Narrative(sections=sections, source=source)


def missing_sections(narrative: Narrative) -> list[Section]:
    return [s for s in SECTIONS if s.key in REQUIRED_SECTIONS and not narrative.paragraphs(s.key)]
