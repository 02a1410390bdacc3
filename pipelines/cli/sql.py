"""`gongkai sql`: a read-only query on the warehouse, with time and memory limits.

Rows are streamed from DuckDB: a text table prints at most `--max-rows` of them (and says so), CSV and JSON
are written batch by batch, so a large result is never held in Python whole.
"""

import json
import sys
import threading
from collections.abc import Iterator
from enum import Enum
from pathlib import Path
from typing import IO, Annotated, Any

import duckdb
import typer

from pipelines.cli.options import Warehouse
from pipelines.defs import atomic
from pipelines.defs.exports import cells
from pipelines.errors import GongkaiError

BATCH_ROWS = 10_000
XLSX_MAX_ROWS = 1_048_575  # an Excel sheet's rows, less the header


class SqlFormat(str, Enum):
    text = "text"
    json = "json"
    csv = "csv"
    xlsx = "xlsx"


def register(app: typer.Typer) -> None:
    app.command("sql")(sql)


def sql(
    query: Annotated[str, typer.Argument(help="SQL 查询语句 / a SELECT statement")],
    fmt: Annotated[SqlFormat, typer.Option("--format", help="text | json | csv | xlsx")] = SqlFormat.text,
    out: Annotated[Path | None, typer.Option("--out", help="写入文件 / write to this file (xlsx needs it)")] = None,
    bom: Annotated[
        bool | None,
        typer.Option("--bom/--no-bom", help="CSV 加 BOM（Excel 识别 UTF-8）/ CSV with a BOM; default: with one into a file, none into a pipe"),
    ] = None,
    max_rows: Annotated[int | None, typer.Option("--max-rows", help="文本表最多显示行数 / rows a text table shows [env: GONGKAI_SQL_MAX_ROWS]")] = None,
    timeout: Annotated[float | None, typer.Option("--timeout", help="查询时限（秒）/ seconds before the query is stopped [env: GONGKAI_SQL_TIMEOUT]")] = None,
    warehouse: Warehouse = None,
) -> None:
    """在数据仓库上执行只读查询 / run a read-only query on the warehouse (writes, files, extensions are refused).
    Tables: dim_agency, fact_proactive, fact_application, fact_appeal, fact_channel, agency_year, check_result,
    quarantine, ledger_file, label_* (labels of every key); views: v_agency_year, v_county_year, v_agency_yoy,
    v_check_issues, v_quarantine_agency_year, v_table_a and the *_labelled views."""
    from pipelines.defs.warehouse.warehouse import reader
    from pipelines.settings import settings

    cfg = settings(warehouse=warehouse)
    if fmt is SqlFormat.xlsx and out is None:
        raise GongkaiError("xlsx 格式需要 --out 文件", "--format xlsx needs --out FILE")
    if fmt is SqlFormat.text and out is not None:
        raise GongkaiError("写入文件请用 --format csv、json 或 xlsx", "with --out, use --format csv, json or xlsx")
    limit = cfg.sql_max_rows if max_rows is None else max_rows
    seconds = cfg.sql_timeout_s if timeout is None else timeout
    con = reader(cfg.warehouse)
    # The limits first, then lock the configuration: a query can change neither.
    con.execute(f"SET memory_limit = '{cfg.sql_memory_limit}'")
    # read_only guards only the warehouse as opened: without this a query could ATTACH the same file
    # READ_WRITE (after DETACHing it) and write past the writer lock, read files, or COPY data out to files.
    con.execute("SET enable_external_access = false")
    con.execute("SET lock_configuration = true")
    timer = threading.Timer(seconds, con.interrupt)
    timer.daemon = True
    kind = ""
    timer.start()
    try:
        statements = con.extract_statements(query)
        for statement in statements[:-1]:
            kind = statement.type.name
            con.execute(statement.query)
            con.complete()  # only the last statement's rows are shown
        if not statements:
            return
        kind = statements[-1].type.name
        # the last statement as a relation: its rows are pulled as they are written, never all at once
        result = con.sql(statements[-1].query)
        if result is None:
            return
        if fmt is SqlFormat.text:
            print_text(result, limit)
        elif out is None:
            write_stream(result, fmt, sys.stdout, bom=bool(bom) if bom is not None else _stdout_is_a_file())
        else:
            write_file(result, fmt, out, bom=True if bom is None else bom)
    except duckdb.InterruptException as err:
        raise GongkaiError(
            f"查询超过时限 {seconds:g} 秒，已停止（--timeout 或 GONGKAI_SQL_TIMEOUT 可调整）",
            f"query stopped after {seconds:g} s (raise it with --timeout or GONGKAI_SQL_TIMEOUT)",
        ) from err
    except duckdb.OutOfMemoryException as err:
        raise GongkaiError(
            f"查询所需内存超过上限 {cfg.sql_memory_limit}（GONGKAI_SQL_MEMORY 可调整）",
            f"query needs more memory than the limit of {cfg.sql_memory_limit} (GONGKAI_SQL_MEMORY)",
        ) from err
    except duckdb.Error as err:
        raise refused_or_failed(err, kind) from err
    finally:
        timer.cancel()
        con.close()


def _stdout_is_a_file() -> bool:
    from pipelines.cli.console import is_regular_file

    return is_regular_file()


def error_text(err: duckdb.Error) -> str:
    """DuckDB's message on one line, its hints kept ("Candidate bindings: …", "Did you mean …")."""
    lines = [line.strip() for line in str(err).strip().splitlines()]
    kept: list[str] = []
    for line in lines:
        if line.startswith("LINE ") or set(line) <= {"^", " "}:
            break  # the statement echoed with a caret: the message already names the place
        if line:
            kept.append(line)
    return " ".join(kept)


def refused_or_failed(err: duckdb.Error, kind: str) -> GongkaiError:
    """What was refused, said as such, or DuckDB's own message."""
    text = error_text(err)
    low = text.lower()
    if "configuration has been locked" in low:
        return GongkaiError(
            "gongkai sql 的设置不能在查询中更改（内存上限：GONGKAI_SQL_MEMORY）",
            f"settings cannot be changed in a query; the memory limit is GONGKAI_SQL_MEMORY ({text})",
        )
    if "read-only" in low or "read only" in low:
        return GongkaiError("数据仓库只读，不能执行写操作", f"the warehouse is read-only here; writes are refused ({text})")
    if isinstance(err, duckdb.PermissionException) or "disabled by configuration" in low or "disabled through configuration" in low:
        if kind == "LOAD" or "extension" in low:
            return GongkaiError("不能安装或加载扩展", f"installing or loading extensions is refused ({text})")
        if "secret" in low:
            return GongkaiError("不能创建或读取密钥", f"secrets are refused ({text})")
        if kind == "ATTACH":
            return GongkaiError("不能附加其他数据库", f"attaching databases is refused ({text})")
        if kind in ("COPY", "EXPORT", "COPY_DATABASE"):
            return GongkaiError("不能写出文件（请用 --format csv|xlsx --out）", f"writing files is refused; use --format csv|xlsx --out ({text})")
        return GongkaiError("不能读取文件：只能查询数据仓库中的表", f"reading files is refused: only the warehouse's tables can be queried ({text})")
    return GongkaiError(f"查询出错：{text}", f"query failed: {text}")


# ---------------------------------------------------------------- output


def batches(result: duckdb.DuckDBPyRelation) -> Iterator[Any]:
    """The result as Polars frames of up to BATCH_ROWS rows."""
    import polars as pl

    reader = result.to_arrow_reader(BATCH_ROWS)
    for batch in reader:
        yield pl.from_arrow(batch)


def print_text(result: duckdb.DuckDBPyRelation, limit: int) -> None:
    """An aligned table (CJK-wide characters measured), at most `limit` rows, then a note if more exist."""
    from rich import box
    from rich.console import Console
    from rich.table import Table
    from rich.text import Text

    from pipelines.cli.console import PIPE_WIDTH, console, emit, is_terminal

    names = result.columns
    numeric = [_is_numeric(str(t)) for t in result.types]
    rows = result.limit(limit + 1).fetchall()
    more = len(rows) > limit
    rows = rows[:limit]
    table = Table(box=box.SIMPLE_HEAD, show_edge=False, pad_edge=False)
    for name, num in zip(names, numeric, strict=True):
        table.add_column(Text(name), justify="right" if num else "left", overflow="fold")
    for row in rows:
        table.add_row(*(Text("NULL", style="dim") if x is None else Text(_cell(x)) for x in row))
    if more:
        note = f"仅显示前 {limit} 行 / first {limit} rows shown, more exist (--max-rows N, or --format csv --out FILE for all)"
    else:
        note = f"{len(rows)} 行 / rows"
    if is_terminal():
        natural = Console(width=PIPE_WIDTH).measure(table).maximum  # rich clamps a measure to the console's width
        if natural > console().width:
            # too wide for the terminal: one block per row, a line per column, rather than columns folded to slivers
            emit(_records(names, rows), Text(note))
            return
    emit(table, Text(note))


def _records(names: list[str], rows: list[tuple]) -> Any:
    """Rows as blocks of `column  value` lines (psql's expanded display)."""
    from rich import box
    from rich.console import Group
    from rich.table import Table
    from rich.text import Text

    blocks: list[Any] = []
    for n, row in enumerate(rows, start=1):
        block = Table(box=box.SIMPLE, show_header=False, show_edge=False, pad_edge=False, title=f"── {n} ──", title_justify="left")
        block.add_column(style="bold", no_wrap=True)
        block.add_column(overflow="fold")
        for name, value in zip(names, row, strict=True):
            block.add_row(Text(name), Text("NULL", style="dim") if value is None else Text(_cell(value)))
        blocks.append(block)
    return Group(*blocks)


def _is_numeric(type_name: str) -> bool:
    return type_name.upper().split("(")[0] in {
        "TINYINT",
        "SMALLINT",
        "INTEGER",
        "BIGINT",
        "HUGEINT",
        "UTINYINT",
        "USMALLINT",
        "UINTEGER",
        "UBIGINT",
        "UHUGEINT",
        "FLOAT",
        "DOUBLE",
        "DECIMAL",
        "NUMBER",
    }


def _cell(value: object) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value)) if abs(value) < 1e15 else str(value)
    return str(value)


def write_stream(result: duckdb.DuckDBPyRelation, fmt: SqlFormat, stream: IO[str], *, bom: bool) -> None:
    """CSV or JSON, batch by batch."""
    if fmt is SqlFormat.csv:
        if bom:
            stream.write("\ufeff")
        first = True
        for frame in batches(result):
            # with a BOM the CSV is for a spreadsheet: a cell it would run as a formula stays text (exports/cells.py)
            stream.write((cells.frame(frame) if bom else frame).write_csv(include_header=first))
            first = False
        if first:  # no rows: the header alone
            stream.write(",".join(_csv_name(name) for name in result.columns) + "\n")
        return
    stream.write("[")
    sep = "\n"
    for frame in batches(result):
        for row in frame.to_dicts():
            stream.write(sep + "  " + json.dumps(row, ensure_ascii=False, default=str))
            sep = ",\n"
    stream.write("\n]\n" if sep != "\n" else "]\n")


def _csv_name(name: str) -> str:
    return f'"{name.replace(chr(34), chr(34) * 2)}"' if any(c in name for c in ',"\n\r') else name


def write_file(result: duckdb.DuckDBPyRelation, fmt: SqlFormat, path: Path, *, bom: bool) -> None:
    """Written under a temporary name and renamed: a failed query leaves no half file."""
    path = Path(path)
    if path.parent and not path.parent.is_dir():
        raise GongkaiError(f"目录不存在：{path.parent}", f"no such folder: {path.parent}")
    with atomic.replacing(path) as tmp:
        if fmt is SqlFormat.xlsx:
            write_xlsx(result, tmp)
        else:
            with open(tmp, "w", encoding="utf-8", newline="") as fh:
                write_stream(result, fmt, fh, bom=bom and fmt is SqlFormat.csv)
    typer.echo(f"已写入 / written: {path}", err=True)


def write_xlsx(result: duckdb.DuckDBPyRelation, path: Path) -> None:
    """One sheet; every text cell a string (a value starting with = is text, never a formula)."""
    from pipelines.defs.exports.xlsx import date_formats, workbook, write_cell

    book = workbook(path, constant_memory=True)
    try:
        sheet = book.add_worksheet("result")
        formats = date_formats(book)
        sheet.write_row(0, 0, result.columns, book.add_format({"bold": True}))
        r = 0
        for frame in batches(result):
            for row in frame.iter_rows():
                r += 1
                if r > XLSX_MAX_ROWS:
                    raise GongkaiError(
                        f"结果超过 Excel 工作表的行数上限（{XLSX_MAX_ROWS} 行），请用 --format csv",
                        f"the result has more rows than an Excel sheet holds ({XLSX_MAX_ROWS}); use --format csv",
                    )
                for c, value in enumerate(row):
                    write_cell(sheet, r, c, value, formats)
        sheet.freeze_panes(1, 0)
    finally:
        book.close()
