"""Options shared by several commands, each with its environment variable (interfaces.md)."""

from enum import Enum
from pathlib import Path
from typing import Annotated

import typer

Raw = Annotated[
    Path | None,
    # the environment (GONGKAI_RAW_DIR) is read by pipelines/settings.py, the one place that reads it
    typer.Option("--raw", help="台账根目录 / raw ledger root [env: GONGKAI_RAW_DIR; default: data/raw]", show_default=False),
]
Warehouse = Annotated[
    Path | None,
    typer.Option("--warehouse", help="数据仓库文件 / DuckDB warehouse [env: GONGKAI_WAREHOUSE; default: data/warehouse/gongkai.duckdb]", show_default=False),
]


class Format(str, Enum):
    text = "text"
    json = "json"
    csv = "csv"


class TextOrJson(str, Enum):
    text = "text"
    json = "json"


def parse_years(year: int | None, years: str | None) -> list[int]:
    """`--year 2022` or `--years 2021-2023` (also `2021,2023`)."""
    from pipelines.errors import GongkaiError

    if (year is None) == (years is None):
        raise GongkaiError("请指定 --year 或 --years 之一", "give exactly one of --year or --years")
    from pipelines.partitions import read_years

    return read_years(str(year) if year is not None else str(years))
