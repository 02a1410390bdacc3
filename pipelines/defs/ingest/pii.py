"""Personal data of applicants never leaves ingestion: only a keyed hash survives.

`applicant_key` lets repeated applications by one person be counted (fees per
applicant per month, 大量反复申请) without keeping who they are.
"""

import hashlib

import polars as pl

from schemas.columns import PERSONAL_COLUMNS


def keyed_hash(value: str, key: bytes) -> str:
    # BLAKE2b in keyed mode is a MAC: without the key the hash cannot be recomputed from a guessed ID number.
    return hashlib.blake2b(value.encode("utf-8"), key=key[:64], digest_size=16).hexdigest()


def with_applicant_key(frame: pl.DataFrame, key: bytes) -> pl.DataFrame:
    """Add `applicant_key` (from the ID number, else the name) and drop every personal column."""
    ident = (
        pl.when(pl.col("applicant_id_number").is_not_null())
        .then(pl.lit("id:") + pl.col("applicant_id_number").str.normalize("NFKC").str.replace_all(r"\s", "").str.to_uppercase())
        .when(pl.col("applicant_name").is_not_null())
        .then(pl.lit("name:") + pl.col("applicant_name").str.normalize("NFKC").str.replace_all(r"\s", ""))
    )
    frame = frame.with_columns(ident.alias("_ident"))
    # Hash each distinct identity once; the rest is a vectorized lookup.
    distinct = frame.get_column("_ident").drop_nulls().unique()
    lookup = pl.DataFrame({"_ident": distinct, "applicant_key": pl.Series([keyed_hash(x, key) for x in distinct], dtype=pl.String)})
    return frame.join(lookup, on="_ident", how="left", maintain_order="left").drop("_ident", *PERSONAL_COLUMNS)
