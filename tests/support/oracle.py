"""An independent, slow reading of a raw root by the rules of raw-data.md, for the generator's tests.

It does not share code with the generator (only the contract in schemas/), so a
generator bug that writes something a correct reader would misread shows up here.
"""

import datetime as dt
import re
import unicodedata
from collections import Counter
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from pathlib import Path

import openpyxl
import polars as pl

from schemas import codes
from schemas.columns import KINDS, header_map, required_keys
from schemas.vocabulary import (
    APPEAL_GROUP_ALIASES,
    APPEAL_RESULT_ALIASES,
    APPLICANT_ALIASES,
    CHANNEL_ALIASES,
    FOLDED_CATEGORY_ALIASES,
    FOLDED_DOC_ACTION_ALIASES,
    FOLDED_REQUEST_CHANNEL_ALIASES,
    NO_VALUES,
    OUTCOME_ALIASES,
    YES_VALUES,
    fold,
)

CODE_MAPS = {
    "channel": CHANNEL_ALIASES,
    "category": FOLDED_CATEGORY_ALIASES,
    "doc_action": FOLDED_DOC_ACTION_ALIASES,
    "applicant_type": APPLICANT_ALIASES,
    "request_channel": FOLDED_REQUEST_CHANNEL_ALIASES,
    "outcome": OUTCOME_ALIASES,
    "proceeding": APPEAL_GROUP_ALIASES,
    "result": APPEAL_RESULT_ALIASES,
}
_DATE_PATTERNS = (
    r"(\d{4})-(\d{1,2})-(\d{1,2})",
    r"(\d{4})/(\d{1,2})/(\d{1,2})",
    r"(\d{4})\.(\d{1,2})\.(\d{1,2})",
    r"(\d{4})年(\d{1,2})月(\d{1,2})日",
    r"(\d{4})(\d{2})(\d{2})",
)


class Invalid(ValueError):
    pass


@dataclass
class Row:
    path: str
    row: int
    kind: str
    values: dict  # parsed
    raw: dict  # as read
    rule: str | None = None


def read_cells(root: Path, rel: str, kind: str, encoding: str | None = None) -> list[tuple[int, dict]]:
    path = root / rel
    mapping = header_map(KINDS[kind])
    if path.suffix == ".csv":
        data = path.read_bytes()
        if encoding is None:
            try:
                text = data.decode("utf-8-sig")
            except UnicodeDecodeError:
                text = data.decode("gb18030")
        else:
            text = data.decode(encoding)
        frame = pl.read_csv(text.encode("utf-8"), infer_schema=False)
        records = frame.to_dicts()
        headers = frame.columns
    elif path.suffix == ".xlsx":
        book = openpyxl.load_workbook(path, read_only=True, data_only=True)
        rows = list(book.worksheets[0].iter_rows(values_only=True))
        headers = [str(h) for h in rows[0]]
        records = [dict(zip(headers, r, strict=False)) for r in rows[1:]]
    else:
        frame = pl.read_parquet(path)
        headers = frame.columns
        records = frame.to_dicts()
    from schemas.columns import header_key

    keyed = {h: mapping.get(header_key(h)) for h in headers}
    out = []
    for i, rec in enumerate(records):
        out.append((i + 2, {keyed[h]: v for h, v in rec.items() if keyed[h]}))
    return out


def _empty(value: object) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def parse_date(value: object) -> dt.date:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, (int, float)):
        return dt.date(1899, 12, 30) + dt.timedelta(days=int(value))
    text = unicodedata.normalize("NFKC", str(value)).strip()
    for pattern in _DATE_PATTERNS:
        m = re.fullmatch(pattern, text)
        if m:
            try:
                return dt.date(*map(int, m.groups()))
            except ValueError as err:
                raise Invalid("date_invalid") from err
    raise Invalid("date_invalid")


def parse_number(value: object) -> Decimal:
    try:
        number = Decimal(unicodedata.normalize("NFKC", str(value)).strip())
    except InvalidOperation as err:
        raise Invalid("number_invalid") from err
    if number < 0:
        raise Invalid("number_invalid")
    return number


def parse_bool(value: object) -> bool:
    if isinstance(value, bool):
        return value
    text = fold(str(int(value) if isinstance(value, float) else value)).lower()
    if text in YES_VALUES:
        return True
    if text in NO_VALUES:
        return False
    raise Invalid("yes_no_invalid")


def parse_row(kind: str, raw: dict) -> tuple[dict, str | None]:
    """Parsed values and the first generic rule broken (None if none)."""
    values: dict = {}
    broken: list[str] = []
    for col in KINDS[kind].columns:
        value = raw.get(col.key)
        if _empty(value):
            values[col.key] = None
            continue
        try:
            if col.type == "date":
                values[col.key] = parse_date(value)
            elif col.type == "decimal":
                values[col.key] = parse_number(value)
            elif col.type == "int":
                number = parse_number(value)
                if number != int(number):
                    raise Invalid("integer_invalid")
                values[col.key] = int(number)
            elif col.type == "bool":
                values[col.key] = parse_bool(value)
            elif col.type == "code" and col.key in CODE_MAPS:
                key = CODE_MAPS[col.key].get(fold(str(value)))
                if key is None:
                    raise Invalid("value_invalid")
                values[col.key] = key
            else:
                values[col.key] = unicodedata.normalize("NFKC", str(value)).strip()
        except Invalid as err:
            broken.append(str(err))
    from schemas.rules import RULE_ORDER

    return values, min(broken, key=RULE_ORDER.__getitem__) if broken else None


def check(root: Path, manifest: dict) -> list[Row]:
    """Every ledger row of the raw root, with the first rule it breaks (None when valid)."""
    agencies = {r["agency_code"] for _, r in read_cells(root, "agencies.csv", "agencies")}
    files = sorted((f for f in manifest["files"] if f["kind"] not in ("agencies", "submissions")), key=lambda f: (f["mtime"], f["path"]))
    issued: dict[str, set] = {}
    out: list[Row] = []
    for f in files:
        kind = f["kind"]
        id_col = KINDS[kind].id_column
        cells = read_cells(root, f["path"], kind, f["encoding"])
        ids = Counter((c.get("agency_code"), c.get(id_col)) for _, c in cells)  # a record is (agency, id)
        for row_number, raw in cells:
            values, rule = parse_row(kind, raw)
            code = values.get("agency_code")
            first = None
            if not code:
                first = "agency_code_missing"
            elif not codes.is_valid(code):
                first = "agency_code_invalid"
            elif code not in agencies:
                first = "agency_unknown"
            elif not values.get(id_col):
                first = "record_id_missing"
            elif ids[(raw.get("agency_code"), raw.get(id_col))] > 1:
                first = "duplicate_record"
            elif any(
                values.get(k) is None and _empty(raw.get(k))
                for k in required_keys(KINDS[kind])
                if k not in ("closed_on", "outcome", "concluded_on", "result", "doc_number", "doc_action")
            ):
                first = "value_missing"
            elif rule:
                first = rule
            else:
                first = _kind_rule(kind, values, issued)
            if first is None and kind == "disclosures" and values["doc_action"] == "issue":
                issued.setdefault(code, set()).add(values["doc_number"])
            out.append(Row(f["path"], row_number, kind, values, raw, first))
    return out


def _kind_rule(kind: str, v: dict, issued: dict[str, set]) -> str | None:
    if kind == "disclosures":
        if v["category"] in ("regulation", "normative_document"):
            if not v["doc_number"]:
                return "doc_number_missing"
            if not v["doc_action"]:
                return "doc_action_missing"
            if v["doc_action"] == "repeal" and v["doc_number"] not in issued.get(v["agency_code"], set()):
                return "repeal_unknown_document"
        if v["category"] == "admin_fee" and v["amount_yuan"] is None:
            return "amount_missing"
    elif kind == "applications":
        if v["closed_on"] and v["closed_on"] < v["received_on"]:
            return "closed_before_received"
        if v["correction_received_on"] and v["correction_received_on"] < v["received_on"]:
            return "correction_before_received"
        if v["outcome"] and not v["closed_on"]:
            return "outcome_without_closed_on"
        if v["closed_on"] and not v["outcome"]:
            return "closed_on_without_outcome"
    else:
        if v["concluded_on"] and v["concluded_on"] < v["filed_on"]:
            return "concluded_before_filed"
        if v["result"] and not v["concluded_on"]:
            return "result_without_concluded_on"
        if v["concluded_on"] and not v["result"]:
            return "concluded_on_without_result"
    return None


def final(rows: list[Row]) -> dict[str, list[dict]]:
    """Accepted rows per kind, later files replacing earlier ones (rows are in file order already)."""
    latest: dict[tuple, dict] = {}
    for r in rows:
        if r.rule is None:
            latest[(r.kind, r.values["agency_code"], r.values[KINDS[r.kind].id_column])] = r.values
    out: dict[str, list[dict]] = {"disclosures": [], "applications": [], "appeals": []}
    for (kind, _, _), values in latest.items():
        out[kind].append(values)
    return out
