"""Report files are written beside their target under a name of their own process and renamed into place: two
runs at once never write the same temp file, and what a killed run left is removed by the next one."""

import hashlib
import os
import re
from pathlib import Path

from pipelines.defs.processes import alive
from pipelines.defs.reports.safe_text import xml_text

_TEMP = re.compile(r"^\..+\.(\d+)\.tmp(\.\w+)?$")


def temp_beside(path: Path) -> Path:
    """`.<name>.<pid>.tmp<suffix>` next to `path` (the suffix kept: writers may go by it)."""
    return path.with_name(f".{path.name}.{os.getpid()}.tmp{path.suffix}")


def clear_dead_temps(folder: Path) -> None:
    """Remove the temp files of processes that no longer run (killed part-way through writing)."""
    if not folder.is_dir():
        return
    for path in folder.iterdir():
        found = _TEMP.match(path.name)
        if found and not alive(int(found.group(1))):
            path.unlink(missing_ok=True)


def write_text_atomically(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = temp_beside(path)
    try:
        tmp.write_text(text, encoding="utf-8")
        os.replace(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)


def path_component(name: str, fallback: str, limit: int = 120) -> str:
    """`name` as one folder name: no control character (NUL included), no separator, not '.' or '..', at most
    `limit` bytes (file systems allow 255; a longer name is cut and given a hash of the whole, so two long
    names that start alike stay apart)."""
    safe = re.sub(r"[/\\\s]+", "_", xml_text(name)).strip("._") or fallback
    if len(safe.encode("utf-8")) > limit:
        cut = safe.encode("utf-8")[: limit - 9].decode("utf-8", "ignore")
        safe = f"{cut}-{hashlib.sha256(name.encode('utf-8', 'surrogatepass')).hexdigest()[:8]}"
    return safe
