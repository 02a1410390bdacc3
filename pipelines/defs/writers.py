"""Files written by background threads while the main thread computes the next ones (Polars writes outside
the GIL): the ingestion's cache entries and lake buckets, the tables store's pieces."""

from collections import deque
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor

WRITES_QUEUED = 8  # writes waiting at most: each holds its rows, so memory stays bounded when writing lags


class Writer:
    """Writes of one `lane` go to the same thread, in order. At most `queued` wait; leaving the block waits for
    all and raises a failed write's error."""

    def __init__(self, threads: int = 1, queued: int = WRITES_QUEUED) -> None:
        self._pools = [ThreadPoolExecutor(max_workers=1, thread_name_prefix="gongkai-write") for _ in range(threads)]
        self._queued: deque[Future] = deque()
        self._limit = queued

    def submit(self, lane: str, fn: Callable, *args, **kwargs) -> None:
        while len(self._queued) >= self._limit:
            self._queued.popleft().result()
        self._queued.append(self._pools[hash(lane) % len(self._pools)].submit(fn, *args, **kwargs))

    def __enter__(self) -> "Writer":
        return self

    def __exit__(self, error: type[BaseException] | None, *_: object) -> None:
        for pool in self._pools:
            pool.shutdown(wait=True)
        while self._queued and error is None:  # an error on its way out is the one to report
            self._queued.popleft().result()
