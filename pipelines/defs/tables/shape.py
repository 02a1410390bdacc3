"""The tables object of interfaces.md (`gongkai tables --format json`), built from fact frames.

Every key is present with zeros included, whatever the frames hold, so readers
of the JSON never meet a missing cell.
"""

from typing import Any

import polars as pl

from schemas import vocabulary as v


def _cell_map(frame: pl.DataFrame | None, keys: tuple[str, str]) -> dict[tuple[str, str], float]:
    if frame is None or frame.is_empty():
        return {}
    return {(a, b): val for a, b, val in frame.select(*keys, "value").iter_rows()}


def _int(value: float | None) -> int:
    return int(round(value or 0))


def tables_object(
    *,
    agency_code: str,
    agency_name: str,
    year: int,
    complete: bool,
    proactive: pl.DataFrame | None = None,
    channels: pl.DataFrame | None = None,
    applications: pl.DataFrame | None = None,
    appeals: pl.DataFrame | None = None,
    checks: pl.DataFrame | None = None,
    reasons: pl.DataFrame | None = None,
) -> dict[str, Any]:
    """One agency-year; the frames hold that agency-year's rows in the shapes of `frames` (`reasons`:
    frames.INCOMPLETE_REASON, why it is incomplete)."""
    p = _cell_map(proactive, ("item", "metric"))
    a = _cell_map(applications, ("row_key", "column_key"))
    r = _cell_map(appeals, ("group_key", "result"))
    ch = {} if channels is None else dict(channels.select("channel", "value").iter_rows())
    proactive_obj = {
        item.key: {
            m.key: round(float(p.get((item.key, m.key), 0.0)), 4) if m.key == "amount_wan_yuan" else _int(p.get((item.key, m.key))) for m in item.metrics
        }
        for item in v.PROACTIVE_ITEMS
    }
    channel_obj = {key: _int(ch[key]) for key in v.CHANNEL_KEYS if ch.get(key)}
    channel_obj["total"] = sum(channel_obj.values())
    return {
        "agency_code": agency_code,
        "agency_name": agency_name,
        "year": int(year),
        "complete": bool(complete),
        "incomplete_reasons": [] if reasons is None else [f"{zh} / {en}" for zh, en in reasons.select("detail_zh", "detail_en").iter_rows()],
        # the ledgers not accounted for (the county overview's 缺报/未报送 column)
        "missing_ledgers": [] if reasons is None else reasons.filter(pl.col("reason") == "ledger_missing").get_column("kind").to_list(),
        # the same reasons as data, for what decides on them (a ledger not accounted for is a finding a reviewer may dismiss)
        "incomplete": []
        if reasons is None
        else reasons.select("reason", "kind", pl.concat_str("detail_zh", pl.lit(" / "), "detail_en").alias("text")).to_dicts(),
        "proactive": proactive_obj,
        "channels": channel_obj,
        "applications": {row: {col: _int(a.get((row, col))) for col in v.APPLICATION_COLUMN_KEYS} for row in v.APPLICATION_ROW_KEYS},
        "appeals": {g: {res: _int(r.get((g, res))) for res in v.APPEAL_RESULT_KEYS} for g in v.APPEAL_GROUP_KEYS},
        "checks": []
        if checks is None
        else [{"id": cid, "status": status, "message": msg} for cid, status, msg in checks.select("check_id", "status", "message").iter_rows()],
    }
