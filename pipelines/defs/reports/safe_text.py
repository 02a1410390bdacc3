"""Text that every report format can hold. XML 1.0 (DOCX, XLSX) has no place for most C0 control characters: a
clerk's agency name or narrative holding one (a pasted \\x07 or \\x1b) made the whole year's rendering fail.
They are dropped from everything a report shows, once, before any renderer sees it."""

import dataclasses
import re
from functools import cache
from typing import TypeVar

T = TypeVar("T")

# C0 controls but tab, line feed and carriage return; DEL; the non-characters U+FFFE and U+FFFF; lone surrogates
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ufffe\uffff\ud800-\udfff]")


def xml_text(text: str) -> str:
    return _NOT_XML.sub("", text)


_PLAIN = (int, float, bool)


@cache
def _init_fields(cls: type) -> tuple[str, ...]:
    return tuple(f.name for f in dataclasses.fields(cls) if f.init)


def cleaned(value: T) -> T:
    """`value` with xml_text applied to every string in it (dataclasses, lists, tuples and dicts, recursively).

    What holds no such character is returned as it is, not copied: a report's hundreds of table cells almost never
    do, and copying each one (dataclasses.replace) took longer than writing the HTML."""
    if isinstance(value, str):
        return xml_text(value) if _NOT_XML.search(value) else value  # type: ignore[return-value]
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        changes = {}
        for name in _init_fields(type(value)):
            old = getattr(value, name)
            if old is None or type(old) in _PLAIN:  # a table cell's numbers and flags: nothing to look at
                continue
            new = cleaned(old)
            if new is not old:
                changes[name] = new
        return dataclasses.replace(value, **changes) if changes else value  # type: ignore[return-value]
    if isinstance(value, list | tuple):
        items = [cleaned(v) for v in value]
        if all(new is old for new, old in zip(items, value, strict=True)):
            return value
        return items if isinstance(value, list) else tuple(items)  # type: ignore[return-value]
    if isinstance(value, dict):
        pairs = {k: cleaned(v) for k, v in value.items()}
        return value if all(pairs[k] is v for k, v in value.items()) else pairs  # type: ignore[return-value]
    return value
