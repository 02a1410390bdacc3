"""The readable table of a benchmark run."""

LABELS = {
    "floor": "floor: DuckDB count(*) over the raw files",
    "duckdb_sql": "baseline: DuckDB SQL, no validation",
    "pandas": "baseline: pandas read_csv + groupby",
    "ingest": "ingest: read+normalize+validate (cold)",
    "tables": "tables: compute_year (P, A, R, checks)",
    "warehouse": "warehouse: load + atomic publish",
    "query": "query: v_county_year (median)",
    "reports": "reports: publish_reports (sample)",
    "ingest_warm": "ingest warm (1% of files changed, carried over)",
    "e2e": "end to end through Dagster (no reports)",
    "e2e_warm": "end to end, warm (1% changed)",
}


def _num(x: float | None, digits: int = 2) -> str:
    return "—" if x is None else f"{x:,.{digits}f}"


def _rate(rows, seconds) -> str:
    return "—" if not rows or not seconds else f"{rows / seconds:,.0f}"


def _note(name: str, r: dict) -> str:
    if name == "ingest" or name == "ingest_warm":
        s = f"lake written; files read {r['files_read']}/{r['files']}"
        s += f", {r['files_changed']} changed" if "files_changed" in r else ""
        return s + (f", {r['agencies_redone']:,} agencies redone" if r.get("agencies_redone") is not None else "")
    if name == "tables":
        return f"lake read + store write; {r['agencies']:,} agencies, {r['checks_failed']} checks failed"
    if name == "warehouse":
        return f"{r['warehouse_mb']} MB file"
    if name == "query":
        return f"first {r['first_seconds'] * 1000:.1f} ms, connect {r['connect_seconds'] * 1000:.1f} ms, {r['rows']} counties"
    if name == "reports":
        processes = f", {r['workers']} process{'es' if r['workers'] > 1 else ''}" if r.get("workers") else ""
        if r.get("workers") and r.get("production_workers") and r["workers"] != r["production_workers"]:
            processes += f" (all agencies: {r['production_workers']}; sample too small for the pool)"
        cpu = f" (processor {r['cpu_per_agency_seconds']:.3f} s/agency)" if r.get("cpu_per_agency_seconds") is not None else ""
        return f"{r['per_agency_seconds']:.3f} s/agency{processes}{cpu} → all {r['agencies']:,}: {r['extrapolated_seconds']:,.0f} s"
    if name == "e2e_warm" and "files_changed" in r:
        return f"{r['files_changed']} files changed (last row removed), {r.get('agencies_redone') or 0:,} agencies redone"
    return ""


def render(out: dict) -> str:
    m = out["machine"]
    v = m["versions"]
    lines = [
        f"gongkai bench — scale {out['scale']}, year {out['year']}, {out['input_format']} input "
        f"({_num(out['input_mb'], 0)} MB, {out['input_rows'] or '?':,} ledger rows) at {out['data']}",
        f"machine: {m['cores']} cores ({m['cpu']}), {m['memory_gb']} GB, Python {m['python']}; "
        + ", ".join(f"{k} {val or 'not installed'}" for k, val in v.items()),
        f"fastest of {out.get('repeat', 1)} run(s) per measurement, each in a fresh process; "
        f"load average (1 min) before {out.get('load_before', '?')}, after {out.get('load_after', '?')} — other work on the machine skews the numbers",
        "",
    ]
    # processor seconds beside the wall seconds: all threads (and reaped child processes) of the measured work;
    # what two versions of the code compare on when the machine is busy (clock.py)
    head = ("stage", "rows", "seconds", "cpu s", "rows/s", "peak MB", "notes")
    table = []
    for name, r in out["stages"].items():
        label = LABELS.get(name, name)
        if not r.get("ok"):
            why = r.get("skipped") or r.get("unavailable") or r.get("error") or "failed"
            table.append((label, "—", "—", "—", "—", _num(r.get("peak_mb"), 0), why))
            continue
        if "unavailable" in r:
            table.append((label, "—", "—", "—", "—", "—", r["unavailable"]))
            continue
        seconds = r["seconds"]
        rate = _rate(r.get("rows"), seconds) if name not in ("query", "reports", "warehouse") else ""
        if name == "query":
            shown = f"{seconds * 1000:.1f} ms"
        else:
            shown = _num(seconds)
        table.append(
            (
                label,
                f"{r.get('rows', 0):,}",
                shown,
                _num(r.get("cpu_seconds")),
                rate,
                _num(r.get("peak_mb"), 0) + ("*" if r.get("peak_shared") else ""),
                _note(name, r),
            )
        )
    widths = [max(len(str(row[i])) for row in [head, *table]) for i in range(len(head))]

    def fmt(row) -> str:
        return "  ".join(str(c).ljust(widths[i]) if i in (0, len(head) - 1) else str(c).rjust(widths[i]) for i, c in enumerate(row))

    lines += [fmt(head), fmt(tuple("-" * w for w in widths)), *map(fmt, table)]
    if any(r.get("peak_shared") for r in out["stages"].values()):
        lines.append("* in-process run: peak of the whole process so far")
    lines.append("")
    comps = out["comparisons"]
    for name in ("duckdb_sql", "pandas"):
        c = comps.get(name)
        if not c:
            continue
        if not c["compared"]:
            lines.append(f"{name}: not compared ({c['reason']})")
        elif c["equal"]:
            lines.append(f"{name}: same totals as the pipeline in all {c['cells']} cells of P, A, R and channels ✓")
        else:
            lines.append(f"{name}: DIFFERENT totals from the pipeline ✗ " + "; ".join(c["differences"][:5]))
    if "headline" in comps:
        h = comps["headline"]
        lines.append(
            f"year totals: {h['items']:,.0f} items, {h['applications_received']:,.0f} applications received, "
            f"{h['applications_closed']:,.0f} closed, {h['cases_pending']:,.0f} cases pending"
        )
    if "dagster_overhead" in out:
        d = out["dagster_overhead"]
        lines.append(f"Dagster: e2e {d['e2e_seconds']:.2f}s − stages {d['stage_seconds']:.2f}s = overhead {d['overhead_seconds']:.2f}s")
    lines.append("")
    lines.append("targets:")
    for t in out["targets"]:
        unit = t["unit"]
        value = "—" if t["value"] is None else (f"{t['value']:.2f}{unit}" if unit == "×" else f"{t['value']:,.1f} {unit}")
        limit = f"{t['limit']:g}{unit}" if unit == "×" else f"{t['limit']:g} {unit}"
        if t["status"] == "met":
            status = "met"
        elif t["status"] == "missed":
            status = f"MISSED by {t['by']:,.2f}{'' if unit == '×' else ' ' + unit} ({t['by_ratio']:.2f}× the limit)"
        else:
            status = "n/a at this scale" if t["value"] is not None else "n/a"
        note = f"  [{t['note']}]" if t.get("note") else ""
        lines.append(f"  {status:<44} {value:>12} vs < {limit:<8} {t['description']}{note}")
    return "\n".join(lines)
