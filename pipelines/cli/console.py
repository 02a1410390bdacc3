"""Where text output goes: a terminal of some width, or a pipe or file that takes lines of any length."""

import os
import stat
import sys
from typing import IO

from rich.console import Console

# A pipe has no width: tables keep their natural width there instead of rich's default 80 columns.
PIPE_WIDTH = 10_000


def is_terminal(stream: IO[str] | None = None) -> bool:
    stream = stream or sys.stdout
    try:
        return stream.isatty()
    except (AttributeError, ValueError):
        return False


def is_regular_file(stream: IO[str] | None = None) -> bool:
    """True when the stream is redirected to a file (`> out.csv`), not a pipe or terminal."""
    stream = stream or sys.stdout
    try:
        return stat.S_ISREG(os.fstat(stream.fileno()).st_mode)
    except (AttributeError, ValueError, OSError):  # no file descriptor (a test runner's buffer): a pipe
        return False


def console() -> Console:
    """A terminal: its own width (tables wrap to fit). A pipe or file: wide enough that nothing wraps or drops."""
    if is_terminal():
        return Console(highlight=False)
    return Console(highlight=False, width=PIPE_WIDTH, force_terminal=False, no_color=True, soft_wrap=False)


def emit(*renderables: object) -> None:
    """Print each renderable (a markup string, a table) on its own lines to stdout: in a terminal as rich does;
    elsewhere at full width and without the padding rich leaves at line ends."""
    if is_terminal():
        screen = console()
        for r in renderables:
            screen.print(r)
        return
    import io

    buf = io.StringIO()
    wide = Console(file=buf, highlight=False, width=PIPE_WIDTH, force_terminal=False, no_color=True, soft_wrap=False)
    for r in renderables:
        wide.print(r)
    sys.stdout.write("".join(line.rstrip() + "\n" for line in buf.getvalue().splitlines()))
