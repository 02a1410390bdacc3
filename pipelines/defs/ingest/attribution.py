"""Whose rows a rejected file may hold: the agency-years it makes incomplete.

A file that cannot be read (unreadable, not decodable, no header) is rejected whole, so nothing says whose
records it held. It is attributed, in this order (docs/ledger-contract.md):

1. `last_read` — to the agencies (and years) the same path or the same content held when it was last read:
   the previous lake generation keeps, per file, the agency-years of its rows (`holdings.parquet`), and which
   agencies a file rejected then was attributed to;
2. `named` — else to the agencies whose code or name its file name or folders name (years: those its path
   names, else every year);
3. `every_agency` — else to every agency of the register. Never to none.
"""

import re
from pathlib import Path

import polars as pl

from schemas import vocabulary as v

HOLDINGS = "holdings.parquet"  # per read file of a generation: the agency-years its rows belong to
REJECTED = "rejected.parquet"  # per rejected file of a generation: the agency-years it is attributed to
HOLDINGS_SCHEMA = {"path": pl.String, "key": pl.String, "agency_code": pl.String, "year": pl.Int32}
SCHEMA = {
    "path": pl.String,
    "kind": pl.String,
    "error_rule": pl.String,
    "error_zh": pl.String,  # why it was rejected
    "error_en": pl.String,
    "agency_code": pl.String,
    "year": pl.Int32,  # null: every year
    "basis": pl.String,  # last_read | named | every_agency
}
# Words every government name ends with: naming them names no agency in particular.
_GENERIC = ("人民政府办公室", "人民政府", "街道办事处", "办事处", "政府", "委员会")
_YEAR = re.compile(r"(?<!\d)(20\d{2})(?!\d)")


def holdings(rows: list[tuple[str, str | None, list]]) -> pl.DataFrame:
    """(path, content key, [[agency_code, year], …]) per read file → the holdings table."""
    flat = [(path, key, code, year) for path, key, pairs in rows for code, year in pairs]
    return pl.DataFrame(flat, schema=HOLDINGS_SCHEMA, orient="row")


def _previous(gen: Path | None, name: str, schema: dict) -> pl.DataFrame:
    if gen is not None and (gen / name).exists():
        try:
            return pl.read_parquet(gen / name).select(list(schema)).cast(schema)
        except (pl.exceptions.PolarsError, OSError):
            pass
    return pl.DataFrame(schema=schema)


def name_tokens(agencies: pl.DataFrame) -> list[tuple[str, str]]:
    """(agency_code, folded token) pairs a path may name an agency by: its code, its name, and its name without
    the county, city or province in front and without the generic ending (昌乐县鄌郚镇人民政府 → 鄌郚镇)."""
    out = []
    cols = set(agencies.columns)
    for row in agencies.iter_rows(named=True):
        name = row.get("agency_name") or ""
        tokens = {row["agency_code"], name}
        short = name
        for place in ("province", "city", "county"):
            prefix = (row.get(place) if place in cols else None) or ""
            if prefix and short.startswith(prefix):
                short = short[len(prefix) :]
        for ending in _GENERIC:
            if short.endswith(ending) and len(short) > len(ending):
                short = short[: -len(ending)]
                break
        tokens.add(short)
        out += [(row["agency_code"], v.fold(t)) for t in tokens if t and len(v.fold(t)) >= 2 and v.fold(t) not in {v.fold(g) for g in _GENERIC}]
    return out


def years_named(path: str, last_year: int) -> list[int]:
    return sorted({int(y) for y in _YEAR.findall(path) if 2008 <= int(y) <= last_year})


def attribute(
    rejected: pl.DataFrame,
    agencies: pl.DataFrame,
    previous: Path | None,
    last_year: int,
) -> pl.DataFrame:
    """`rejected`: path, key, kind, error_rule, error_zh, error_en of this run's rejected files (agency lists excluded).
    `agencies`: the register (agency_code, agency_name, county, city, province). Returns SCHEMA rows."""
    if rejected.is_empty():
        return pl.DataFrame(schema=SCHEMA)
    registered = agencies.get_column("agency_code")
    held = _previous(previous, HOLDINGS, HOLDINGS_SCHEMA).filter(pl.col("agency_code").is_in(registered.implode()))
    before = _previous(previous, REJECTED, SCHEMA).filter((pl.col("basis") == "last_read") & pl.col("agency_code").is_in(registered.implode()))
    tokens = name_tokens(agencies)
    out = []
    for f in rejected.iter_rows(named=True):
        base = {k: f[k] for k in ("path", "kind", "error_rule", "error_zh", "error_en")}
        same = pl.col("path") == f["path"]
        if f["key"] is not None:
            same |= (pl.col("key") == f["key"]).fill_null(False)
        last = held.filter(same).select("agency_code", "year")
        last = pl.concat([last, before.filter(pl.col("path") == f["path"]).select("agency_code", "year")]).unique()
        if last.height:
            out += [base | {"agency_code": c, "year": y, "basis": "last_read"} for c, y in last.iter_rows()]
            continue
        folded = v.fold(f["path"])
        named = sorted({code for code, token in tokens if token in folded})
        years: list[int | None] = list(years_named(f["path"], last_year)) or [None]
        codes, basis = (named, "named") if named else (registered.to_list(), "every_agency")
        out += [base | {"agency_code": c, "year": y, "basis": basis} for c in codes for y in years]
    return pl.DataFrame(out, schema=SCHEMA).unique().sort("path", "agency_code", "year", nulls_last=True)
