"""Write ledger files byte-for-byte deterministically (fixed XLSX properties and zip times, fixed mtimes)."""

import csv
import datetime as dt
import io
import os
import random
from decimal import Decimal
from pathlib import Path

import polars as pl
import xlsxwriter

from pipelines.defs.generate.messiness import Profile, Raw, excel_serial, fullwidth, header, render_date, spell, spell_outcome
from pipelines.defs.generate.records import LedgerFile, Record
from schemas.columns import KINDS, Kind

# Workbook properties are part of the bytes; pin them.
XLSX_CREATED = dt.datetime(2024, 1, 1, 8, 0, 0)
_POLARS_TYPES = {"date": pl.Date, "int": pl.Int64, "decimal": pl.Float64, "bool": pl.Boolean}


def set_mtime(path: Path, when: dt.datetime) -> None:
    ts = when.timestamp()
    os.utime(path, (ts, ts))


def _weighted(rng: random.Random, options: tuple[tuple[str, int], ...]) -> str:
    return rng.choices([o for o, _ in options], weights=[w for _, w in options])[0]


def _number_text(value: object) -> str:
    if isinstance(value, Decimal):
        return format(value, "f")
    return str(value)


def _text_cell(rng: random.Random, profile: Profile, kind: Kind, key: str, record: Record) -> str:
    """The text of one CSV cell."""
    value = record.values.get(key)
    if key in record.spelled:
        return record.spelled[key]
    if isinstance(value, Raw):
        return value.text
    if value is None:
        return ""
    col = kind.column(key)
    if col.type == "date":
        text = str(render_date(value, _weighted(rng, profile.date_styles)))  # type: ignore[arg-type]
        return fullwidth(text) if rng.random() < profile.fullwidth_rate else text
    if col.type == "bool":
        if not value and rng.random() < 0.5:
            return ""  # empty means no
        return str(profile.yes_no[0] if value else profile.yes_no[1])
    if col.type in ("int", "decimal"):
        text = _number_text(value)
        return fullwidth(text) if rng.random() < profile.fullwidth_rate else text
    if col.type == "code":
        return spell_outcome(rng, profile, str(value)) if key == "outcome" else spell(rng, profile, key, str(value))
    return str(value)


def _headers(lf: LedgerFile) -> list[str]:
    kind = KINDS[lf.kind]
    names = [header(lf.profile, kind, k) for k in kind.keys]
    if lf.profile.extra_first:
        names.insert(0, lf.profile.extra_first)
    if lf.profile.extra_last:
        names.append(lf.profile.extra_last)
    return names


def _row_texts(rng: random.Random, lf: LedgerFile, index: int, record: Record) -> list[str]:
    kind = KINDS[lf.kind]
    cells = [_text_cell(rng, lf.profile, kind, k, record) for k in kind.keys]
    if lf.profile.extra_first:
        cells.insert(0, str(index + 1))
    if lf.profile.extra_last:
        cells.append("已核" if rng.random() < 0.1 else "")
    return cells


def write_csv(root: Path, lf: LedgerFile, seed: int) -> None:
    rng = random.Random(f"{seed}:{lf.path}")
    buf = io.StringIO(newline="")
    writer = csv.writer(buf, lineterminator=lf.profile.newline)
    writer.writerow(_headers(lf))
    for i, record in enumerate(lf.records):
        writer.writerow(_row_texts(rng, lf, i, record))
    (root / lf.path).write_bytes(buf.getvalue().encode(lf.profile.encoding or "utf-8"))


def write_xlsx(root: Path, lf: LedgerFile, seed: int) -> None:
    rng = random.Random(f"{seed}:{lf.path}")
    kind = KINDS[lf.kind]
    book = xlsxwriter.Workbook(str(root / lf.path), {"in_memory": True, "strings_to_formulas": False})  # text stays text
    book.set_properties({"created": XLSX_CREATED, "author": "政务公开办", "title": kind.label})
    bold = book.add_format({"bold": True})
    date_fmt = book.add_format({"num_format": "yyyy-mm-dd"})
    sheet = book.add_worksheet(lf.sheet or kind.label)
    for c, name in enumerate(_headers(lf)):
        sheet.write_string(0, c, name, bold)
    offset = 1 if lf.profile.extra_first else 0
    for i, record in enumerate(lf.records):
        r = i + 1
        if lf.profile.extra_first:
            sheet.write_number(r, 0, i + 1)
        for c, key in enumerate(kind.keys, start=offset):
            value = record.values.get(key)
            col = kind.column(key)
            if key in record.spelled:
                sheet.write_string(r, c, record.spelled[key])
            elif isinstance(value, Raw):
                sheet.write_string(r, c, value.text)
            elif value is None:
                continue
            elif col.type == "date":
                if record.serial_date == key:
                    sheet.write_number(r, c, excel_serial(value))  # a pasted value: the bare serial number
                else:
                    sheet.write_datetime(r, c, dt.datetime.combine(value, dt.time()), date_fmt)  # type: ignore[arg-type]
            elif col.type == "bool":
                sheet.write(r, c, lf.profile.yes_no[0] if value else lf.profile.yes_no[1])
            elif col.type in ("int", "decimal"):
                sheet.write_number(r, c, float(value))  # type: ignore[arg-type]
            else:
                sheet.write_string(r, c, _text_cell(rng, lf.profile, kind, key, record))
        if lf.profile.extra_last and rng.random() < 0.1:
            sheet.write_string(r, offset + len(kind.keys), "已核")
    sheet.set_column(0, len(kind.keys) + 1, 16)
    book.close()


def write_parquet(root: Path, lf: LedgerFile, seed: int) -> None:
    rng = random.Random(f"{seed}:{lf.path}")
    kind = KINDS[lf.kind]
    columns: dict[str, list] = {}
    schema: dict[str, pl.DataType] = {}
    for key in kind.keys:
        col = kind.column(key)
        if col.type in _POLARS_TYPES:
            if any(isinstance(r.values.get(key), Raw) or key in r.spelled for r in lf.records):
                raise ValueError(f"{lf.path}: typed Parquet column {key} cannot hold a raw value")
            values = [r.values.get(key) for r in lf.records]
            columns[key] = [float(v) if isinstance(v, Decimal) else v for v in values]
            schema[key] = _POLARS_TYPES[col.type]
        else:
            columns[key] = [_text_cell(rng, lf.profile, kind, key, r) or None for r in lf.records]
            schema[key] = pl.String
    pl.DataFrame(columns, schema=schema).write_parquet(root / lf.path, compression="zstd", statistics=False)


WRITERS = {"csv": write_csv, "xlsx": write_xlsx, "parquet": write_parquet}


def write_ledger(root: Path, lf: LedgerFile, seed: int) -> None:
    path = root / lf.path
    path.parent.mkdir(parents=True, exist_ok=True)
    WRITERS[lf.profile.format](root, lf, seed)
    set_mtime(path, lf.exported_at)


def bad_row_numbers(lf: LedgerFile) -> list[tuple[int, Record]]:
    """(row number a person sees, record) of each deliberate bad row: the header is row 1 in every format."""
    return [(i + 2, r) for i, r in enumerate(lf.records) if r.bad]
