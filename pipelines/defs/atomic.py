"""Files written whole or not at all: each is written beside its target under a temporary name of the writing
process, `.<name>.<pid>.tmp<suffix>`, and renamed over it. A reader sees the old file or the new one, two processes
never write the same temporary file, and a writer that goes by the suffix (xlsx, parquet) still sees it. What a
killed writer left is removed by `clear_dead_temps` in gongkai's own folders (reports), or by the folder's own
cleanup (the per-file cache's prune); never in a folder a person chose (an export, `gongkai sql --out`)."""

import os
import re
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from pipelines.defs.processes import alive

_TEMP = re.compile(r"^\..+\.(\d+)\.tmp(\.\w+)?$")


def temp_beside(path: Path) -> Path:
    """`.<name>.<pid>.tmp<suffix>` next to `path`."""
    path = Path(path)
    return path.with_name(f".{path.name}.{os.getpid()}.tmp{path.suffix}")


@contextmanager
def replacing(path: Path) -> Iterator[Path]:
    """The temporary path to write `path`'s new content to: renamed over `path` when the block ends without an
    error, removed in any case."""
    tmp = temp_beside(path)
    try:
        yield tmp
        os.replace(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)


def write_text(path: Path, text: str) -> None:
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    with replacing(path) as tmp:
        tmp.write_text(text, encoding="utf-8")


def clear_dead_temps(folder: Path) -> None:
    """Remove the temporary files of processes that no longer run (killed part-way through writing)."""
    if not Path(folder).is_dir():
        return
    for path in Path(folder).iterdir():
        found = _TEMP.match(path.name)
        if found and not alive(int(found.group(1))):
            path.unlink(missing_ok=True)
