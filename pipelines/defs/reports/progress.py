"""Progress of report rendering, for whoever watches the run.

The reports asset logs its progress to Dagster; a caller that runs the jobs in this process (`gongkai materialize`,
the desk) listens here too, since the Dagster console log is kept quiet there.
"""

from collections.abc import Callable, Iterator
from contextlib import contextmanager

_listeners: list[Callable[[str], None]] = []


@contextmanager
def listening(listener: Callable[[str], None] | None) -> Iterator[None]:
    """Hand progress messages to `listener` while the block runs (None: nobody listens)."""
    if listener is None:
        yield
        return
    _listeners.append(listener)
    try:
        yield
    finally:
        _listeners.remove(listener)


def tell(message: str) -> None:
    for listener in list(_listeners):
        listener(message)


def every(total: int, steps: int = 20) -> int:
    """Report every this many agencies: about `steps` messages for a year, at least one per agency for few."""
    return max(1, total // steps)


def should_report(done: int, total: int, steps: int = 20) -> bool:
    return done == 1 or done == total or done % every(total, steps) == 0
