"""Grand totals (summed over agencies) of every cell of tables P, A, R and of the channel counts.

The same shape for the pipeline's facts and for each baseline's per-agency output, so a baseline that
counts something else fails loudly instead of looking fast.
"""

from collections.abc import Mapping

import polars as pl

from schemas import vocabulary as v

Totals = dict[str, dict[str, float]]  # table → "row|column" → value


def _cells(frame: pl.DataFrame | pl.LazyFrame, keys: list[str]) -> dict[str, float]:
    out = frame.lazy().group_by(keys).agg(pl.col("value").sum()).collect(engine="streaming").iter_rows()
    return {"|".join(str(k) for k in row[:-1]): float(row[-1]) for row in out if row[-1]}


def from_facts(facts: Mapping[str, pl.DataFrame | pl.LazyFrame]) -> Totals:
    """Totals of the pipeline's fact tables (derived cells 3.7, total included as the pipeline stores them);
    scans are summed as they stream."""
    return {
        "P": _cells(facts["fact_proactive"], ["item", "metric"]),
        "A": _cells(facts["fact_application"], ["row_key", "column_key"]),
        "R": _cells(facts["fact_appeal"], ["group_key", "result"]),
        "channels": _cells(facts["fact_channel"], ["channel"]),
    }


def from_baseline(p: pl.DataFrame, a: pl.DataFrame, r: pl.DataFrame, ch: pl.DataFrame) -> Totals:
    """Totals of a baseline's per-agency base cells (columns as in the facts, `value`); the derived cells —
    3.7 (sum of the outcome rows), the `total` column of A and R — are added here by arithmetic."""
    a_cells = _cells(a, ["row_key", "column_key"])
    for col in v.APPLICANT_KEYS:
        s = sum(a_cells.get(f"{row}|{col}", 0.0) for row in v.OUTCOME_KEYS)
        if s:
            a_cells[f"3.7|{col}"] = s
    for row in v.APPLICATION_ROW_KEYS:
        s = sum(a_cells.get(f"{row}|{col}", 0.0) for col in v.APPLICANT_KEYS)
        if s:
            a_cells[f"{row}|total"] = s
    r_cells = _cells(r, ["group_key", "result"])
    for group in v.APPEAL_GROUP_KEYS:
        s = sum(r_cells.get(f"{group}|{res}", 0.0) for res in v.APPEAL_RESULT_KEYS if res != "total")
        if s:
            r_cells[f"{group}|total"] = s
    return {"P": _cells(p, ["item", "metric"]), "A": a_cells, "R": r_cells, "channels": _cells(ch, ["channel"])}


def differences(expected: Totals, got: Totals, tolerance: float = 1e-3) -> list[str]:
    """Cells that differ (amounts in 万元 are sums of per-agency roundings: compared within `tolerance`)."""
    out = []
    for table in ("P", "A", "R", "channels"):
        e, g = expected.get(table, {}), got.get(table, {})
        for cell in sorted(set(e) | set(g)):
            if abs(e.get(cell, 0.0) - g.get(cell, 0.0)) > tolerance:
                out.append(f"{table}[{cell}]: pipeline {e.get(cell, 0.0):g} ≠ {g.get(cell, 0.0):g}")
    return out


def summary(t: Totals) -> dict[str, float]:
    """A few headline numbers for the report."""
    return {
        "items": sum(t["channels"].values()),
        "applications_received": t["A"].get("1|total", 0.0),
        "applications_closed": t["A"].get("3.7|total", 0.0),
        "cases_pending": sum(val for k, val in t["R"].items() if k.endswith("|pending")),
    }
