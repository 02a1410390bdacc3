"""The applications still open on a day, by due date: the list a clerk needs each morning (`gongkai due`, the
desk, the nightly run). Read from the warehouse: the due dates and the calendar they were counted on."""

import datetime as dt
from pathlib import Path

import duckdb
import polars as pl

from pipelines.defs import atomic
from pipelines.defs.calendar.workdays import uncovered_message
from pipelines.defs.exports import cells
from pipelines.defs.warehouse import warehouse
from pipelines.errors import GongkaiError

COLUMNS = ("agency_code", "application_id", "received_on", "due_on", "working_days_left", "reason")
DUE_DIR = "due"  # under the reports folder: the nightly run's lists

_SQL = """
SELECT a.agency_code, d.agency_name, a.application_id, a.received_on, a.due_on,
       (c.number - $today_number)::INTEGER AS working_days_left, a.unknown_reason AS reason
FROM application_deadline a
LEFT JOIN dim_agency d USING (agency_code)
LEFT JOIN calendar_day c ON c.day = a.due_on
WHERE a.received_on <= $on
  AND (a.closed_on IS NULL OR a.closed_on > $on)
  AND a.clock_start_on IS NOT NULL  -- waiting for the applicant's correction: no time limit runs
  AND ($agency IS NULL OR a.agency_code = $agency)
ORDER BY a.due_on NULLS LAST, a.agency_code, a.application_id
"""


def today() -> dt.date:
    """The day the list is for: the run date (GONGKAI_RUN_DATE) or today in Asia/Shanghai."""
    from pipelines.settings import settings

    return settings().today()


def due_list(warehouse_path: Path, on: dt.date, within: int | None = None, agency_code: str | None = None) -> pl.DataFrame:
    """Applications open on `on` (received by then, not answered by then), by due date: COLUMNS plus agency_name.
    `within` keeps those due within that many working days, overdue ones included (negative days left) and those
    whose due date is unknown (they may be due). Null days left and a reason where the calendar lacks a day."""
    con = warehouse.reader(Path(warehouse_path))
    try:
        found = con.execute("SELECT number FROM calendar_day WHERE day = ?", [on]).fetchall()
        today_number = found[0][0] if found else None
        frame = con.sql(_SQL, params={"on": on, "today_number": today_number, "agency": agency_code.strip().upper() if agency_code else None}).pl()
    except duckdb.CatalogException as err:
        raise GongkaiError(
            "数据仓库中还没有答复期限（请重新运行 gongkai materialize）", "the warehouse has no deadlines yet (run gongkai materialize again)"
        ) from err
    finally:
        con.close()
    if today_number is None:  # the day itself is outside the calendar: no count of days left
        frame = frame.with_columns(pl.lit(None, pl.Int32).alias("working_days_left"), pl.coalesce("reason", pl.lit(uncovered_message(on.year))).alias("reason"))
    if within is not None:
        frame = frame.filter(pl.col("working_days_left").is_null() | (pl.col("working_days_left") <= within))
    return frame.select(*COLUMNS[:2], "agency_name", *COLUMNS[2:])


def _shown(frame: pl.DataFrame) -> pl.DataFrame:
    """COLUMNS with the dates as ISO text (vectorized: a national list is a hundred thousand rows)."""
    return frame.select(COLUMNS).with_columns(pl.col("received_on", "due_on").dt.to_string("%Y-%m-%d"))


def as_json(frame: pl.DataFrame) -> list[dict]:
    """The JSON shape of interfaces.md: agency_code, application_id, received_on, due_on (null when unknown),
    working_days_left, and the reason when due_on is null."""
    return _shown(frame).to_dicts()


def as_csv(frame: pl.DataFrame, for_people: bool = False) -> str:
    """`for_people`: a file a clerk opens in a spreadsheet, where a cell that would run as a formula stays text."""
    shown = _shown(frame)
    return (cells.frame(shown) if for_people else shown).write_csv(line_terminator="\n")


def json_text(frame: pl.DataFrame) -> str:
    """`as_json` as a JSON array, one application per line (written by Polars: Python's indenting encoder took a
    second for a national list)."""
    lines = _shown(frame).write_ndjson().splitlines()
    return "[\n" + ",\n".join(lines) + "\n]" if lines else "[]"


def as_text(frame: pl.DataFrame, on: dt.date, within: int | None) -> str:
    scope = f"{within}个工作日内到期（含已逾期） / due within {within} working days, overdue included" if within is not None else "全部 / all"
    lines = [f"{on} 未办结的政府信息公开申请，按答复期限排序 / applications open on {on}, by due date — {scope}"]
    if frame.is_empty():
        lines.append("  无 / none")
        return "\n".join(lines)
    for r in frame.iter_rows(named=True):
        if r["due_on"] is None:
            when = f"期限不明 / due date unknown: {r['reason']}"
        elif r["working_days_left"] is None:
            when = f"{r['due_on']}（剩余工作日不明 / working days left unknown）"
        elif r["working_days_left"] < 0:
            when = f"{r['due_on']}  已逾期 {-r['working_days_left']} 个工作日 / overdue by {-r['working_days_left']} working days"
        else:
            when = f"{r['due_on']}  剩余 {r['working_days_left']} 个工作日 / {r['working_days_left']} working days left"
        lines.append(f"  {r['agency_code']} {r['agency_name'] or ''}  {r['application_id']}  收到 received {r['received_on']}  {when}")
    return "\n".join(lines)


def write_due_list(warehouse_path: Path, reports_dir: Path, on: dt.date) -> Path | None:
    """The nightly run's list of every open application (reports/due/due-DATE.csv and .json, and due-latest.*);
    None when the warehouse has no deadlines yet."""
    try:
        frame = due_list(warehouse_path, on)
    except GongkaiError:
        return None
    folder = Path(reports_dir) / DUE_DIR
    text_csv, text_json = as_csv(frame, for_people=True), json_text(frame)
    for stem in (f"due-{on.isoformat()}", "due-latest"):
        for suffix, text in ((".csv", text_csv), (".json", text_json)):
            atomic.write_text(folder / f"{stem}{suffix}", text)
    return folder / f"due-{on.isoformat()}.csv"


DUE_SOON = 5  # working days: "due soon" on the county overview (the issue's `gongkai due --within 5`)


def agency_deadlines(warehouse_path: Path, year: int, on: dt.date, within: int = DUE_SOON) -> dict[str, dict] | None:
    """Per agency: the year's answers against their due dates (answered, on_time, late, on_time_rate,
    longest_working_days; year of answer) and `due_soon`, its applications received by the end of `year` and
    still open on `on`, due within `within` working days, overdue included. None when the warehouse has no deadlines."""
    try:
        per_year = warehouse.query(
            warehouse_path,
            "SELECT agency_code, answered, on_time, late, on_time_rate, longest_working_days FROM v_deadline_agency_year WHERE year = ?",
            [year],
        )
        # the year's page counts what it left open: applications received by its end
        soon = due_list(warehouse_path, on, within).filter(pl.col("received_on").dt.year() <= year)
    except (GongkaiError, duckdb.CatalogException):
        return None
    out: dict[str, dict] = {r["agency_code"]: r | {"due_soon": 0} for r in per_year.to_dicts()}
    for code, n in soon.group_by("agency_code").len().iter_rows():
        empty = {"agency_code": code, "answered": 0, "on_time": 0, "late": 0, "on_time_rate": None, "longest_working_days": None}
        out.setdefault(code, empty)["due_soon"] = n
    return out
