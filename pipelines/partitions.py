"""Partitions, declared once: report years."""

import dagster as dg

from pipelines.defs.clock import TIMEZONE

FIRST_YEAR = "2019"  # the first year of the 2019 regulation; earlier years are read from published reports

# Dagster has no yearly class; a yearly time window. end_offset=1 keeps the current, unfinished year.
yearly = dg.TimeWindowPartitionsDefinition(start=FIRST_YEAR, fmt="%Y", cron_schedule="0 0 1 1 *", timezone=TIMEZONE, end_offset=1)


def read_years(text: str) -> list[int]:
    """Years as people type them: '2022', '2021-2023' or '2021,2023' → ascending years. Plausible years only
    (2008, when the Regulations took effect, to 2100); a GongkaiError otherwise."""
    from pipelines.errors import GongkaiError

    out: set[int] = set()
    try:
        for part in text.split(","):
            lo, _, hi = part.strip().partition("-")
            out.update(range(int(lo), int(hi or lo) + 1))
    except ValueError as err:
        raise GongkaiError(f"年份写法有误：{text}（如 2022 或 2021-2023）", f"cannot read years {text!r} (e.g. 2022 or 2021-2023)") from err
    if not out or min(out) < 2008 or max(out) > 2100:
        raise GongkaiError(f"年份超出范围：{text}", f"years out of range: {text!r}")
    return sorted(out)


def check_years(years: list[int]) -> None:
    """Every year must be a partition (2019 to next year, by the clock): checked before anything runs, so a
    range reaching past the partitions loads nothing rather than part of it."""
    from pipelines.errors import GongkaiError

    keys = yearly.get_partition_keys()
    outside = [y for y in years if str(y) not in keys]
    if outside:
        first, last = keys[0], keys[-1]
        shown = ",".join(str(y) for y in outside)
        raise GongkaiError(
            f"年度超出范围：{shown}（可处理 {first}–{last} 年；更早的年度只读已公开的年报）",
            f"year out of range: {shown} (years {first}–{last} can be materialized)",
        )
