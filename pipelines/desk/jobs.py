"""The one background run of the desk: materialize through Dagster (pipelines/run.py, as `gongkai materialize
--changed` does) in a thread, one at a time, with its progress kept for the page to poll."""

import datetime as dt
import threading
from collections.abc import Callable

from pipelines.errors import GongkaiError
from pipelines.settings import Settings


def _now() -> str:
    return dt.datetime.now().astimezone().isoformat(timespec="seconds")


class Refresh:
    def __init__(self, cfg: Settings, run: Callable | None = None):
        self.cfg = cfg
        self._lock = threading.Lock()
        self._run = run  # for tests: what to call instead of materialize_years
        self.state: dict = {"running": False, "steps": [], "error": None, "started_by": None, "started_at": None, "finished_at": None, "years": []}
        self._thread: threading.Thread | None = None

    def snapshot(self) -> dict:
        with self._lock:
            return {**self.state, "steps": list(self.state["steps"])}

    def start(self, by: str) -> bool:
        """Start a run unless one is running; False when one is."""
        with self._lock:
            if self.state["running"]:
                return False
            self.state = {"running": True, "steps": [], "error": None, "started_by": by, "started_at": _now(), "finished_at": None, "years": []}
            self._thread = threading.Thread(target=self._work, name="gongkai-desk-refresh", daemon=True)
            self._thread.start()
            return True

    def join(self, timeout: float | None = None) -> None:
        if self._thread:
            self._thread.join(timeout)

    def _step(self, message: str) -> None:
        with self._lock:
            self.state["steps"].append({"at": _now(), "message": message})

    def _work(self) -> None:
        error = None
        years: list[int] = []
        try:
            if self._run is not None:
                outcome = self._run(self.cfg, None, progress=self._step)
            else:
                from pipelines.run import materialize_years

                outcome = materialize_years(self.cfg, None, progress=self._step)
            years = list(outcome.years)
            for line in getattr(outcome, "failed_reports", []):  # named, the rest was written
                self._step(f"报告未生成 / report not written: {line}")
        except GongkaiError as err:
            error = str(err)
        except Exception as err:  # noqa: BLE001 — the page must say the run failed, whatever failed
            error = f"内部错误 / internal error: {type(err).__name__}: {err}"
        with self._lock:
            self.state.update(running=False, error=error, finished_at=_now(), years=years)
            if error is None:
                self.state["steps"].append({"at": _now(), "message": f"完成 / done ({'、'.join(map(str, years)) or '无需更新的年度 / nothing to redo'})"})
