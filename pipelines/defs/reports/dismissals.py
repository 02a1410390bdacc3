"""Which warnings a reviewer dismissed at the desk: read from the desk's database as plain data (the reports
never import the desk), so the nightly reports and `gongkai report` agree with what the desk shows."""

import sqlite3
from pathlib import Path

LATEST_DISMISSALS = """
SELECT agency_code, finding_id FROM decision d
WHERE year = ? AND id = (SELECT max(id) FROM decision WHERE agency_code = d.agency_code AND year = d.year AND finding_id = d.finding_id)
  AND decision = 'dismiss'
"""


def dismissed_findings(desk_db: Path, year: int) -> dict[str, frozenset[str]]:
    """Agency code → ids of the findings whose latest decision is a dismissal; {} when the desk was never used."""
    path = Path(desk_db)
    if not path.exists():
        return {}
    con = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True, timeout=30)
    try:
        rows = con.execute(LATEST_DISMISSALS, (year,)).fetchall()
    except sqlite3.OperationalError:  # a desk database without decisions yet
        return {}
    finally:
        con.close()
    out: dict[str, set[str]] = {}
    for code, finding in rows:
        out.setdefault(code, set()).add(finding)
    return {code: frozenset(ids) for code, ids in out.items()}
