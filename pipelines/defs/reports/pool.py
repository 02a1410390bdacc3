"""A year's reports over worker processes: one per core, each taking chunks of agencies.

Rendering is CPU-bound Python (lxml, python-docx, openpyxl), so threads would share one core; processes do not.
Workers are started with "spawn": the parent holds Dagster's and DuckDB's threads, and a forked child of a
threaded process can inherit a lock held by a thread that does not exist in it. Starting a worker costs about a
second (imports), so a year of few agencies stays in the calling process. Everything a worker gets or gives back
is plain data (dicts, paths, dates, dataclasses of them): it is pickled on the way.
"""

from __future__ import annotations

import multiprocessing as mp
import os
import threading
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from contextlib import contextmanager
from dataclasses import dataclass
from functools import partial
from multiprocessing.process import BaseProcess
from typing import Any, TypeVar

Item = TypeVar("Item")
Result = TypeVar("Result")

# below this many agencies the pool's start-up (about 1 s: each worker imports the renderers) costs more than
# rendering on one core saves; a province's or a city's year is well above it, a township's handful below
MIN_AGENCIES = 20
MAX_CHUNK = 32  # agencies per task: few enough tasks to cost nothing, small enough to balance and show progress
TASKS_PER_WORKER = 4


def worker_count(items: int) -> int:
    """How many processes render `items` agencies: 1 (this process) for a small year, on a single core, or in a
    daemonic process (which may not have children), else one per core."""
    cores = os.cpu_count() or 1
    if items < MIN_AGENCIES or cores < 2 or mp.current_process().daemon:
        return 1
    return cores


def chunks(items: Sequence[Item], workers: int) -> list[list[Item]]:
    """`items` in order, cut into about TASKS_PER_WORKER pieces per worker of at most MAX_CHUNK each."""
    size = max(1, min(MAX_CHUNK, -(-len(items) // (workers * TASKS_PER_WORKER))))
    return [list(items[i : i + size]) for i in range(0, len(items), size)]


@dataclass(frozen=True)
class Pool:
    executor: ProcessPoolExecutor
    workers: int


def _worker_start(initializer: Callable[[], None] | None) -> None:
    """A worker's first steps: leave when the calling process is gone (killed: its queue never closes, and an
    orphaned worker would wait on it for ever), then the caller's initializer."""
    parent = mp.parent_process()
    if parent is not None:
        threading.Thread(target=_exit_with, args=(parent,), daemon=True).start()
    if initializer is not None:
        initializer()


def _exit_with(parent: BaseProcess) -> None:
    parent.join()  # returns when the parent process has ended
    os._exit(1)


def _ready() -> None:
    """A first task per worker: submitting it starts the worker (the executor starts them on demand)."""


@contextmanager
def started(items: int, initializer: Callable[[], None] | None = None) -> Iterator[Pool | None]:
    """Worker processes for `items` agencies, started now so that they import while the caller reads the year's
    tables; None when the year is rendered in this process (worker_count). Whatever is still queued when the
    block ends by an error is not started."""
    workers = worker_count(items)
    if workers == 1:
        yield None
        return
    start = partial(_worker_start, initializer)
    executor = ProcessPoolExecutor(max_workers=workers, mp_context=mp.get_context("spawn"), initializer=start)
    try:
        for _ in range(workers):
            executor.submit(_ready)
        yield Pool(executor, workers)
    except BaseException:
        executor.shutdown(wait=True, cancel_futures=True)
        raise
    executor.shutdown(wait=True)


def run_chunks(
    pool: Pool, task: Callable[[list[Item], Any], list[Result]], pieces: list[list[Item]], common: Any
) -> Iterator[tuple[list[Item], list[Result] | None]]:
    """`task(piece, common)` for every piece on the pool's workers; yields (piece, its results) as pieces finish,
    in the order they finish. A piece whose worker died (killed, out of memory) comes with None: the caller names
    its items as failed. Any other error of a task is raised here, as it would be in process."""
    pending: dict[Future, list[Item]] = {pool.executor.submit(task, piece, common): piece for piece in pieces}
    try:
        while pending:
            done, _ = wait(pending, return_when=FIRST_COMPLETED)
            for future in done:
                piece = pending.pop(future)
                try:
                    yield piece, future.result()
                except BrokenProcessPool:
                    yield piece, None
    finally:
        for future in pending:  # an error, or the caller stopped early: do not start what is still queued
            future.cancel()
