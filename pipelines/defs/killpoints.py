"""Named points of a run where the fault-injection test kills the process (tests/faults/test_kill_points.py).

`GONGKAI_KILL_AT=name` (or `name#n`: the n-th time the point is reached) makes the process SIGKILL itself there,
as `kill -9` or a power cut would: no cleanup, no finally. Unset (always, outside that test) a point costs one
lookup. The points sit where a kill leaves the most behind: between the two renames of a tables year, after a
warehouse staging copy is complete but before it is published, between one agency's report and the next."""

import os
import signal
from collections import Counter

POINTS = (
    "ingest.file",  # after each ledger file is read
    "ingest.publish",  # the new lake generation written, not yet current
    "tables.start",  # a year's tables asset begins
    "tables.swap",  # the old tables year moved aside, the new one not yet in place
    "warehouse.staged",  # the staging copy of the warehouse made, nothing loaded into it
    "warehouse.loaded",  # the staging copy loaded and checkpointed, not yet renamed over the published file
    "reports.agency",  # after each agency's report files
    "reports.done",  # every report and overview written, the year not yet stamped
)
_hits: Counter[str] = Counter()


def reached(name: str) -> None:
    from pipelines.settings import kill_at

    target = kill_at()
    if not target:
        return
    point, _, nth = target.partition("#")
    if point != name:
        return
    _hits[name] += 1
    if _hits[name] >= int(nth or 1):
        os.kill(os.getpid(), signal.SIGKILL)
