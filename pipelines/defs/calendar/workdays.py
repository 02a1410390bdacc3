"""Working days on the official calendar, with its make-up working days (调休): the one module that knows it.

The calendar is chinesecalendar's (the State Council's yearly notices) plus an optional override file in the
raw root (`calendar.csv`: date,kind with kind holiday|workday) for a year the package does not know yet, or to
correct a day. Counting is done on a working-day index built once: every day of the covered years with
`number`, the working days up to and including it, so a due date is a join, not a loop over days.

A day outside the covered years has no answer: "unknown", with a message saying how to add the year — never
a Monday–Friday guess. The covered years are the run of consecutive years from chinesecalendar's first one,
each known to chinesecalendar or listed in the override file.
"""

import csv
import datetime as dt
import hashlib
from dataclasses import dataclass
from pathlib import Path

import polars as pl
from chinese_calendar import constants

OVERRIDE_FILE = "calendar.csv"
KINDS = {"holiday": False, "workday": True, "节假日": False, "休息日": False, "调休上班": True, "工作日": True}
HEADERS = {"date": "date", "日期": "date", "kind": "kind", "类型": "kind"}
DAYS = pl.Schema({"day": pl.Date, "workday": pl.Boolean, "number": pl.Int32})


@dataclass(frozen=True)
class Calendar:
    days: pl.DataFrame  # DAYS: every day of the covered years, in order
    problems: tuple[str, ...]  # bad rows of the override file, one line each (Chinese / English)
    fingerprint: int  # changes when any day's kind changes: the due dates computed from it are stale

    @property
    def first(self) -> dt.date:
        return self.days.item(0, "day")

    @property
    def last(self) -> dt.date:
        return self.days.item(-1, "day")

    def covers(self, day: dt.date) -> bool:
        return self.first <= day <= self.last

    def workdays(self) -> pl.DataFrame:
        """number → the working day that is that number (for "the n-th working day after")."""
        return self.days.filter(pl.col("workday")).select("number", "day")


def uncovered_message(year: int) -> str:
    """What a person reads when a due date needs a day of `year` and the calendar does not have it."""
    return (
        f"{year}年的节假日安排尚未收录：请升级 chinesecalendar，或在台账根目录的 {OVERRIDE_FILE} 中逐行列出该年全部节假日与调休上班日"
        f"（列 date,kind；kind 为 holiday 或 workday） / the official calendar of {year} is not known: upgrade chinesecalendar, or list "
        f"every holiday and make-up working day of {year} in {OVERRIDE_FILE} in the raw root (columns date,kind; kind holiday or workday)"
    )


def read_override(path: Path) -> tuple[pl.DataFrame, tuple[str, ...]]:
    """The override file's good rows (day, workday) and one line per bad row, like a ledger's quarantine:
    a date that is not YYYY-MM-DD, a kind that is not holiday|workday, a day listed twice with both kinds."""
    rows: list[tuple[dt.date, bool, int]] = []
    problems: list[str] = []
    if not path.is_file():
        return pl.DataFrame(schema={"day": pl.Date, "workday": pl.Boolean}), ()
    with path.open(encoding="utf-8-sig", newline="") as f:
        reader = csv.reader(f)
        header = [HEADERS.get(h.strip().lower(), "") for h in next(reader, [])]
        if "date" not in header or "kind" not in header:
            line = f"{path.name}：缺少 date、kind 两列，文件未读取 / {path.name}: the columns date and kind are missing; the file is not read"
            return pl.DataFrame(schema={"day": pl.Date, "workday": pl.Boolean}), (line,)
        at_date, at_kind = header.index("date"), header.index("kind")
        for line_no, raw in enumerate(reader, start=2):
            if not any(cell.strip() for cell in raw):
                continue
            date_text = raw[at_date].strip() if at_date < len(raw) else ""
            kind_text = raw[at_kind].strip().lower() if at_kind < len(raw) else ""
            try:
                day = dt.date.fromisoformat(date_text)
            except ValueError:
                problems.append(
                    f"{path.name} 第{line_no}行：日期“{date_text}”应为 YYYY-MM-DD / {path.name} row {line_no}: date {date_text!r} is not YYYY-MM-DD"
                )
                continue
            if kind_text not in KINDS:
                problems.append(
                    f"{path.name} 第{line_no}行：类型“{kind_text}”应为 holiday 或 workday / {path.name} row {line_no}: kind {kind_text!r} is not holiday or workday"
                )
                continue
            rows.append((day, KINDS[kind_text], line_no))
    frame = pl.DataFrame(rows, schema={"day": pl.Date, "workday": pl.Boolean, "line": pl.Int32}, orient="row")
    both = frame.group_by("day").agg(pl.col("workday").n_unique().alias("kinds"), pl.col("line").min()).filter(pl.col("kinds") > 1).sort("line")
    for day, line_no in both.select("day", "line").iter_rows():
        problems.append(
            f"{path.name} 第{line_no}行：{day} 既列为 holiday 又列为 workday，两行均未采用 / {path.name} row {line_no}: {day} is listed both as holiday and "
            "as workday; neither row is used"
        )
    good = frame.filter(~pl.col("day").is_in(both.get_column("day").implode())).unique("day", keep="last").select("day", "workday")
    return good, tuple(problems)


def _official() -> pl.DataFrame:
    """chinesecalendar's exceptions to the week: holidays (workday False) and make-up working days (True)."""
    return pl.DataFrame(
        {
            "day": [*constants.holidays, *constants.workdays],
            "workday": [False] * len(constants.holidays) + [True] * len(constants.workdays),
        },
        schema={"day": pl.Date, "workday": pl.Boolean},
    )


def build(override: pl.DataFrame | None = None, problems: tuple[str, ...] = ()) -> Calendar:
    """The working-day index from chinesecalendar and the override's days (which win)."""
    official = _official()
    override = override if override is not None else pl.DataFrame(schema={"day": pl.Date, "workday": pl.Boolean})
    known_years = set(official.get_column("day").dt.year().to_list()) | set(override.get_column("day").dt.year().to_list())
    first = min(constants.holidays).year
    last = first
    while last + 1 in known_years:
        last += 1
    exceptions = pl.concat([official.filter(~pl.col("day").is_in(override.get_column("day").implode())), override])
    days = (
        pl.DataFrame({"day": pl.date_range(dt.date(first, 1, 1), dt.date(last, 12, 31), eager=True)})
        .join(exceptions, on="day", how="left", maintain_order="left")
        .with_columns(pl.col("workday").fill_null(pl.col("day").dt.weekday() <= 5))
        .with_columns(pl.col("workday").cast(pl.Int32).cum_sum().alias("number"))
        .cast(dict(DAYS))
    )
    # the days off, as text: a stable fingerprint across runs and polars versions
    off = ",".join(str(d) for d in days.filter(~pl.col("workday")).get_column("day").to_list())
    digest = hashlib.sha256(f"{first}:{last}:{off}".encode())
    return Calendar(days, problems, int.from_bytes(digest.digest()[:8], "little") >> 1)


def load(raw_dir: Path | None) -> Calendar:
    """The calendar a run uses: chinesecalendar plus the raw root's override file, if any."""
    if raw_dir is None:
        return build()
    override, problems = read_override(Path(raw_dir) / OVERRIDE_FILE)
    return build(override, problems)


def add_working_days(frame: pl.LazyFrame, calendar: Calendar, start: str, n: str, out: str) -> pl.LazyFrame:
    """Column `out`: the `n`-th working day after `start` (start is day 0), null when a day needed is not in
    the calendar. Also `{out}_gap`: the first year the calendar would need and does not have (null when known)."""
    days = calendar.days.lazy().select(pl.col("day").alias(start), pl.col("number").alias("_n0"))
    targets = calendar.workdays().lazy().rename({"number": "_target", "day": out})
    first, last = calendar.first, calendar.last
    return (
        frame.join(days, on=start, how="left", maintain_order="left")
        .with_columns((pl.col("_n0") + pl.col(n)).alias("_target"))
        .join(targets, on="_target", how="left", maintain_order="left")
        .with_columns(
            pl.when(pl.col(start).is_null() | pl.col(out).is_not_null())
            .then(None)
            .when(pl.col(start) < first)
            .then(pl.col(start).dt.year())
            .otherwise(pl.lit(last.year + 1))
            .cast(pl.Int32)
            .alias(f"{out}_gap")
        )
        .drop("_n0", "_target")
    )


def working_days_between(frame: pl.LazyFrame, calendar: Calendar, start: str, end: str, out: str) -> pl.LazyFrame:
    """Column `out`: working days after `start` up to and including `end` (negative when end is before start);
    null when either day is outside the calendar."""
    numbers = calendar.days.lazy().select("day", "number")
    return (
        frame.join(numbers.rename({"day": start, "number": "_a"}), on=start, how="left", maintain_order="left")
        .join(numbers.rename({"day": end, "number": "_b"}), on=end, how="left", maintain_order="left")
        .with_columns((pl.col("_b") - pl.col("_a")).cast(pl.Int32).alias(out))
        .drop("_a", "_b")
    )
