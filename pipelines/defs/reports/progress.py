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


def should_report(done: int, total: int, steps: int = 4) -> bool:
    """The first agency, the last, and each time another 1/`steps` of the year is done: a city's 413 agencies
    give six lines (about one every half minute), a township's handful no more."""
    return done == 1 or done == total or (done * steps) // total > ((done - 1) * steps) // total
