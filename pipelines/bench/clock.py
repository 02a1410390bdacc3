"""Wall and processor time of a measured block.

Wall time on a shared machine is the work plus the waiting for a core: it moves by a fifth within an hour here.
Processor time (user and system, every thread of the process and its finished child processes) is what the
work itself cost, so two versions of the code compare on it even when the machine is busy.
"""

import resource
import time
from types import TracebackType


def cpu_seconds() -> float:
    """User and system time of this process and of its children that have ended (reaped)."""
    own, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


class Clock:
    """`with Clock() as c: ...` (or `c = Clock().start()` … `c.stop()`), then `c.seconds` (wall) and
    `c.cpu_seconds` (processor) of the block."""

    seconds: float
    cpu_seconds: float

    def start(self) -> "Clock":
        self._cpu, self._wall = cpu_seconds(), time.perf_counter()
        return self

    def stop(self) -> "Clock":
        self.seconds = time.perf_counter() - self._wall
        self.cpu_seconds = cpu_seconds() - self._cpu
        return self

    def __enter__(self) -> "Clock":
        return self.start()

    def __exit__(self, kind: type[BaseException] | None, err: BaseException | None, tb: TracebackType | None) -> None:
        self.stop()

    def times(self) -> dict[str, float]:
        return {"seconds": self.seconds, "cpu_seconds": self.cpu_seconds}
