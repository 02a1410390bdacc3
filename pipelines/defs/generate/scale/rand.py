"""Counter-based random numbers as Polars expressions (SplitMix64), so every column is vectorized
and a row's values depend only on its key, never on chunk boundaries or evaluation order."""

import math

import polars as pl

_GOLDEN = 0x9E3779B97F4A7C15
_M1 = 0xBF58476D1CE4E5B9
_M2 = 0x94D049BB133111EB
_U64 = pl.UInt64


def _u64(value: int) -> pl.Expr:
    return pl.lit(value & 0xFFFFFFFFFFFFFFFF, dtype=_U64)


def mix(x: pl.Expr) -> pl.Expr:
    """The SplitMix64 finalizer (UInt64 arithmetic wraps in Polars; // 2**k is a right shift)."""
    z = x.cast(_U64)
    z = (z ^ (z // _u64(1 << 30))) * _u64(_M1)
    z = (z ^ (z // _u64(1 << 27))) * _u64(_M2)
    return z ^ (z // _u64(1 << 31))


def bits(key: pl.Expr, seed: int, stream: int) -> pl.Expr:
    """64 random bits for `key` (a UInt64 expression unique per row) in one named stream."""
    return mix(key.cast(_U64) * _u64(_GOLDEN) + _u64(mix_int(seed * 1_000_003 + stream)))


def uniform(key: pl.Expr, seed: int, stream: int) -> pl.Expr:
    """A float in [0, 1)."""
    return (bits(key, seed, stream) // _u64(1 << 11)).cast(pl.Float64) / float(1 << 53)


def below(key: pl.Expr, seed: int, stream: int, n: int | pl.Expr) -> pl.Expr:
    """An integer in [0, n)."""
    return (uniform(key, seed, stream) * n).floor().cast(pl.Int64)


def lognormal(key: pl.Expr, seed: int, stream: int, sigma: float) -> pl.Expr:
    """exp(N(0, sigma²)) by Box–Muller: a skewed size factor around 1."""
    u1 = 1.0 - uniform(key, seed, stream)  # (0, 1]: log is finite
    u2 = uniform(key, seed, stream + 7919)
    normal = (-2.0 * u1.log()).sqrt() * (2 * math.pi * u2).cos()
    return (normal * sigma).exp()


def choice(u: pl.Expr, weights: dict[str, float]) -> pl.Expr:
    """A key drawn with `weights` from a uniform `u` (cumulative thresholds)."""
    total = sum(weights.values())
    items = list(weights.items())
    cumulative = 0.0
    expr = None
    for key, weight in items[:-1]:
        cumulative += weight
        expr = (pl.when(u < cumulative / total) if expr is None else expr.when(u < cumulative / total)).then(pl.lit(key))
    last = pl.lit(items[-1][0])
    return last if expr is None else expr.otherwise(last)


def mix_int(x: int) -> int:
    """The same finalizer on a Python int (for deriving stream constants)."""
    z = x & 0xFFFFFFFFFFFFFFFF
    z = ((z ^ (z >> 30)) * _M1) & 0xFFFFFFFFFFFFFFFF
    z = ((z ^ (z >> 27)) * _M2) & 0xFFFFFFFFFFFFFFFF
    return z ^ (z >> 31)
