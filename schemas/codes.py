"""GB 32100-2015 unified social credit codes (统一社会信用代码)."""

import polars as pl

# The 31 characters of the code (no I, O, Z, S, V), each worth its index.
ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)


def check_character(first17: str) -> str:
    """The 18th character for the first 17."""
    total = sum(ALPHABET.index(ch) * w for ch, w in zip(first17, WEIGHTS, strict=True))
    return ALPHABET[(31 - total % 31) % 31]


def is_valid(code: str) -> bool:
    return isinstance(code, str) and len(code) == 18 and all(ch in ALPHABET for ch in code) and check_character(code[:17]) == code[17]


def valid_expr(col: str | pl.Expr) -> pl.Expr:
    """Vectorized `is_valid` over a string column (null → False)."""
    expr = pl.col(col) if isinstance(col, str) else col
    digits = [pl.lit(ALPHABET).str.find(expr.str.slice(i, 1), literal=True) for i in range(18)]
    total = pl.sum_horizontal(d * w for d, w in zip(digits[:17], WEIGHTS, strict=True))
    expected = (31 - total % 31) % 31
    well_formed = expr.str.contains(f"^[{ALPHABET}]{{18}}$")
    return (well_formed & (digits[17] == expected)).fill_null(False)
