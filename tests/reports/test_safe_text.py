"""cleaned(): control characters dropped from every string of a report, the rest left as it is (not copied)."""

import dataclasses

from pipelines.defs.reports.safe_text import cleaned


@dataclasses.dataclass
class Cell:
    text: str
    value: float | None = None


@dataclasses.dataclass
class Doc:
    name: str
    cells: list[Cell]
    notes: tuple[str, ...] = ()
    meta: dict[str, str] = dataclasses.field(default_factory=dict)


def test_control_characters_are_dropped_wherever_they_are():
    doc = Doc("县\x07政府", [Cell("ok", 1.0), Cell("bell\x1b[0m", None)], ("a\x00b", "tab\tkept\n"), {"k": "\ufffev"})
    out = cleaned(doc)
    # by hand: \x07, \x1b, \x00 and U+FFFE go; "[0m" is ordinary text; tab and line feed are XML
    assert out == Doc("县政府", [Cell("ok", 1.0), Cell("bell[0m", None)], ("ab", "tab\tkept\n"), {"k": "v"})
    assert doc.name == "县\x07政府" and doc.cells[1].text == "bell\x1b[0m"  # the input is not changed
    assert out.cells[0] is doc.cells[0]  # an untouched cell is the same object


def test_nothing_to_drop_returns_the_value_itself():
    doc = Doc("县政府", [Cell("1", 1.0), Cell("二", None)], ("a",), {"k": "v"})
    assert cleaned(doc) is doc
    assert cleaned(["x", ("y",)]) == ["x", ("y",)]
