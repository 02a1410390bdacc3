"""Writer and reader processes for the concurrency test (run as scripts, not collected by pytest).

    python warehouse_worker.py write WAREHOUSE FACTS_X FACTS_Y AGENCIES YEAR LOADS DONE
    python warehouse_worker.py read  WAREHOUSE YEAR DONE

The writer loads YEAR alternately from two sets of facts LOADS times, then creates
the file DONE. The reader opens the published file read-only again and again until
DONE exists (and at least a few times), and prints one JSON line: what it saw.
Counted, not timed: on a busy machine the test takes longer, it does not fail.
"""

import json
import sys
from pathlib import Path

import duckdb
import polars as pl

MIN_OPENS = 5


def write(warehouse: str, facts_x: str, facts_y: str, agencies: str, year: int, n_loads: int, done: str) -> None:
    from pipelines.defs.tables import store
    from pipelines.defs.warehouse import warehouse as wh

    versions = [store.read_year(Path(facts_x), year), store.read_year(Path(facts_y), year)]
    agency_frame = pl.read_parquet(agencies)
    loads = 0
    while loads < n_loads:
        facts = versions[loads % 2]
        wh.load(Path(warehouse), lambda con, f=facts: wh.replace_year(con, year, agency_frame, f))
        loads += 1
    Path(done).touch()
    print(json.dumps({"loads": loads}))


def read(warehouse: str, year: int, done: str) -> None:
    seen: dict[str, int] = {}
    opens, errors, bad = 0, [], []
    while opens < MIN_OPENS or not Path(done).exists():
        try:
            con = duckdb.connect(warehouse, read_only=True)
        except duckdb.Error as err:
            errors.append(str(err).splitlines()[0])
            continue
        try:
            opens += 1
            # Every agency-year must have all 175 cells of table A, never a part of them.
            cells = con.execute("SELECT agency_code, year, count(*), sum(value) FROM fact_application GROUP BY ALL ORDER BY ALL").fetchall()
            for agency, y, n, _ in cells:
                if n != 175:
                    bad.append(f"{agency} {y}: {n} cells")
            # The application sum and the fee of one agency-year must come from the same load.
            row = con.execute(
                "SELECT (SELECT sum(value) FROM fact_application WHERE year = ? AND agency_code = ay.agency_code), fees_yuan "
                "FROM agency_year ay WHERE year = ? ORDER BY agency_code LIMIT 1",
                [year, year],
            ).fetchone()
            seen_key = json.dumps(row)
            seen[seen_key] = seen.get(seen_key, 0) + 1
        except duckdb.Error as err:
            errors.append(str(err).splitlines()[0])
        finally:
            con.close()
    print(json.dumps({"opens": opens, "errors": errors[:5], "n_errors": len(errors), "bad": bad[:5], "seen": seen}))


if __name__ == "__main__":
    cmd, *args = sys.argv[1:]
    if cmd == "write":
        write(args[0], args[1], args[2], args[3], int(args[4]), int(args[5]), args[6])
    else:
        read(args[0], int(args[1]), args[2])
