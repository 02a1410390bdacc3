"""Partitions, declared once: report years."""

import dagster as dg

from pipelines.defs.clock import TIMEZONE

FIRST_YEAR = "2019"  # the first year of the 2019 regulation; earlier years are read from published reports

# Dagster has no yearly class; a yearly time window. end_offset=1 keeps the current, unfinished year.
yearly = dg.TimeWindowPartitionsDefinition(start=FIRST_YEAR, fmt="%Y", cron_schedule="0 0 1 1 *", timezone=TIMEZONE, end_offset=1)
