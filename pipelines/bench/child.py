"""Run one measurement in a fresh spawned process, so its peak memory (ru_maxrss) is its own.

The target returns a dict (with its own `seconds`: the timed part, without imports or setup); the
child adds `peak_mb`, the whole process's peak resident memory, imports and input loading included.
"""

import importlib
import multiprocessing as mp
import os
import resource
import sys
import threading
import traceback

from pipelines.settings import apply_env


def peak_mb(who: int = resource.RUSAGE_SELF) -> float:
    kb = resource.getrusage(who).ru_maxrss  # kilobytes on Linux, bytes on macOS
    return round(kb / (1024 * 1024) if sys.platform == "darwin" else kb / 1024, 1)


def _call(target: str, kwargs: dict) -> dict:
    module, name = target.split(":")
    return getattr(importlib.import_module(module), name)(**kwargs)


def _die_with_parent() -> None:
    """A measurement outlives a bench that was stopped (kill, a closed terminal) and would weigh on every run
    after it: it ends when its parent does."""
    parent = mp.parent_process()
    if parent is not None:
        threading.Thread(target=lambda: (parent.join(), os._exit(1)), daemon=True, name="gongkai-parent-watch").start()


def _entry(target: str, kwargs: dict, env: dict, conn) -> None:
    _die_with_parent()
    apply_env(env)
    try:
        out = {"ok": True, **_call(target, kwargs)}
    except BaseException as err:  # noqa: BLE001 - reported to the parent, which carries on with the next stage
        out = {"ok": False, "error": f"{type(err).__name__}: {err}", "traceback": traceback.format_exc()}
    out["peak_mb"] = peak_mb()
    conn.send(out)
    conn.close()


def run(target: str, kwargs: dict, env: dict | None = None, isolate: bool = True) -> dict:
    """`target` is "module:function". With `isolate=False` it runs in this process (tests): `peak_mb`
    is then this process's peak so far, marked `peak_shared`."""
    if not isolate:
        apply_env(env or {})
        try:
            out = {"ok": True, **_call(target, kwargs)}
        except Exception as err:  # noqa: BLE001 - as in the child process: reported, the next stage runs
            out = {"ok": False, "error": f"{type(err).__name__}: {err}", "traceback": traceback.format_exc()}
        return out | {"peak_mb": peak_mb(), "peak_shared": True}
    ctx = mp.get_context("spawn")
    receiver, sender = ctx.Pipe(duplex=False)
    proc = ctx.Process(target=_entry, args=(target, kwargs, env or {}, sender), daemon=False)
    proc.start()
    sender.close()
    try:
        out = receiver.recv()
    except EOFError:
        out = None
    proc.join()
    if out is None:
        signal = -proc.exitcode if proc.exitcode and proc.exitcode < 0 else None
        why = f"killed by signal {signal} (out of memory?)" if signal else f"exited with status {proc.exitcode}"
        return {"ok": False, "error": f"child process {why}", "peak_mb": None}
    return out
