"""Run a kind's Pandera schema over all its rows at once and split accepted from quarantined."""

import pandera.errors
import pandera.polars as pa
import polars as pl

from pipelines.defs.ingest import quarantine
from schemas.ledgers import CHECK_ORDER, SCHEMAS, SEP, rule_checks


def validate(frame: pl.DataFrame, kind: str, schema: pa.DataFrameSchema | None = None) -> tuple[pl.DataFrame, pl.DataFrame]:
    """(accepted rows, quarantine rows). Every input row is in exactly one of them. Personal columns still in
    `frame` are masked wherever their values recur in the quarantine rows (quarantine.py)."""
    schema = SCHEMAS[kind] if schema is None else schema
    if not rule_checks(schema) or frame.is_empty():
        return frame, quarantine.empty()
    try:
        schema.validate(frame, lazy=True)
        return frame, quarantine.empty()
    except pandera.errors.SchemaErrors as err:
        cases = err.failure_cases
    rule_cases = cases.filter(pl.col("check").str.contains(SEP, literal=True) & pl.col("index").is_not_null())
    if rule_cases.height != cases.height:
        # A failure that is not one of our row rules (a column of the wrong type) is a bug here, not bad input.
        other = cases.filter(~pl.col("check").str.contains(SEP, literal=True) | pl.col("index").is_null())
        raise RuntimeError(f"{kind}: schema failure outside the row rules: {other.head(3).to_dicts()}")
    bad = quarantine.from_failures(kind, frame, rule_cases, CHECK_ORDER[kind])
    bad_index = rule_cases.get_column("index").cast(pl.UInt32).unique()
    accepted = frame.with_row_index("_i").filter(~pl.col("_i").is_in(bad_index.implode())).drop("_i")
    return accepted, bad
