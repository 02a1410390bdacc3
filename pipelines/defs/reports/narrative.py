"""The clerk's text of the report: one Markdown file per agency-year.

Location: `<narratives root>/<agency_code>/<year>.md`; the root comes from the
configuration (Settings.narratives_dir: GONGKAI_NARRATIVES_DIR, else `data/narratives/`
of the checkout). The format is documented in docs/narratives.md.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
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
    # front matter: the date to print under the signature, when the clerk sets it
    signed_on: date | None = None

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


# Front matter keys (between two `---` lines at the top of the file) and what they set.
FRONT_MATTER_KEYS = {"signed_on": "signed_on", "落款日期": "signed_on"}
_CN_DATE = re.compile(r"^(\d{4})年(\d{1,2})月(\d{1,2})日$")


def _front_date(value: str, where: str, number: int, key: str) -> date:
    """2023-01-20 or 2023年1月20日."""
    found = _CN_DATE.match(value)
    try:
        return date(*map(int, found.groups())) if found else date.fromisoformat(value)
    except ValueError as err:
        raise GongkaiError(
            f"{where} 第{number}行：{key} 应为日期（如 2023-01-20 或 2023年1月20日）：{value}",
            f"{where} line {number}: {key} must be a date (e.g. 2023-01-20): {value!r}",
        ) from err


def _front_matter(lines: list[str], where: str) -> tuple[dict[str, date], int]:
    """The front matter's settings and the number of lines it takes (0 without one)."""
    first = next((i for i, line in enumerate(lines) if line.strip()), None)
    if first is None or lines[first].strip() != "---":
        return {}, 0
    values: dict[str, date] = {}
    for i in range(first + 1, len(lines)):
        line = lines[i].strip()
        if line == "---":
            return values, i + 1
        if not line or line.startswith("#"):
            continue
        key, sep, value = line.partition(":")
        key, value = key.strip(), value.strip().strip("\"'")
        if not sep:  # report text: the closing line was forgotten
            break
        if key not in FRONT_MATTER_KEYS:
            raise GongkaiError(
                f"{where} 第{i + 1}行：未知的设置“{line}”（可用：signed_on: 2023-01-20）",
                f"{where} line {i + 1}: unknown front matter {line!r} (known: signed_on)",
            )
        values[FRONT_MATTER_KEYS[key]] = _front_date(value, where, i + 1, key)
    raise GongkaiError(f"{where}：文件开头的设置（第{first + 1}行起）缺少结束的 ---", f"{where}: the front matter (line {first + 1}) has no closing ---")


def parse_narrative(text: str, source: str | None = None) -> Narrative:
    where = source or "narrative"
    text = re.sub(r"<!--.*?-->", lambda m: "\n" * m.group(0).count("\n"), text, flags=re.S)  # comments are not report text
    all_lines = text.splitlines()
    front, skip = _front_matter(all_lines, where)
    text = "\n" * skip + "\n".join(all_lines[skip:])  # line numbers in errors stay those of the file
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
    return Narrative(sections=sections, source=source, signed_on=front.get("signed_on"))


def missing_sections(narrative: Narrative) -> list[Section]:
    return [s for s in SECTIONS if s.key in REQUIRED_SECTIONS and not narrative.paragraphs(s.key)]
