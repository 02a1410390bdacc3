"""Text that every report format can hold. XML 1.0 (DOCX, XLSX) has no place for most C0 control characters: a
clerk's agency name or narrative holding one (a pasted \\x07 or \\x1b) made the whole year's rendering fail.
They are dropped from everything a report shows, once, before any renderer sees it."""

import dataclasses
import re
from typing import TypeVar

T = TypeVar("T")

# C0 controls but tab, line feed and carriage return; DEL; the non-characters U+FFFE and U+FFFF; lone surrogates
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ufffe\uffff\ud800-\udfff]")


def xml_text(text: str) -> str:
    return _NOT_XML.sub("", text)


def cleaned(value: T) -> T:
    """`value` with xml_text applied to every string in it (dataclasses, lists, tuples and dicts, recursively)."""
    if isinstance(value, str):
        return xml_text(value)  # type: ignore[return-value]
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        changes = {f.name: cleaned(getattr(value, f.name)) for f in dataclasses.fields(value) if f.init}
        return dataclasses.replace(value, **changes)  # type: ignore[return-value]
    if isinstance(value, list):
        return [cleaned(v) for v in value]  # type: ignore[return-value]
    if isinstance(value, tuple):
        return tuple(cleaned(v) for v in value)  # type: ignore[return-value]
    if isinstance(value, dict):
        return {k: cleaned(v) for k, v in value.items()}  # type: ignore[return-value]
    return value
