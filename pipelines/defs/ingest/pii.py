"""Personal data of applicants never leaves ingestion: only a keyed hash survives.

`applicant_key` lets repeated applications by one person be counted (fees per
applicant per month, 大量反复申请) without keeping who they are.
"""

import hashlib

import polars as pl

from schemas.columns import KINDS, PERSONAL_COLUMNS


def keyed_hash(value: str, key: bytes) -> str:
    # BLAKE2b in keyed mode is a MAC: without the key the hash cannot be recomputed from a guessed ID number.
    return hashlib.blake2b(value.encode("utf-8"), key=key[:64], digest_size=16).hexdigest()


def with_applicant_key(frame: pl.DataFrame, key: bytes, drop: bool = True) -> pl.DataFrame:
    """Add `applicant_key` (from the ID number, else the name) and drop every personal column (unless `drop` is
    false: the caller drops them before anything is written)."""
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
    frame = frame.join(lookup, on="_ident", how="left", maintain_order="left").drop("_ident")
    return frame.drop(PERSONAL_COLUMNS, strict=False) if drop else frame


# ------------------------------------------------------------------ scrubbing
#
# Every string that leaves ingestion (a quarantined row's value, message, record id; a file's name, a sheet's
# name, an error naming the cells a file has) goes through `scrub`: ID numbers, mobile and landline numbers
# are masked by their shape, and the values typed in the personal columns wherever they recur. Vectorised: a
# fixed chain of regex replacements (the Rust regex engine has no look-around, so a boundary is a captured
# non-digit put back, and each pattern runs twice: two numbers one separator apart share that separator).

_MARK = "\ue000"  # a private-use character: splits a date so that no phone pattern sees 8 digits in a row
_NOT_DIGIT = "[^0-9]"
_DATE = "(?:0[1-9]|1[0-2])(?:0[1-9]|[12][0-9]|3[01])"  # month and day


def _bounded(core: str, edge: str = _NOT_DIGIT) -> str:
    return f"(^|{edge}){core}({edge}|$)"


# Landlines are shorter and plainer than ID and mobile numbers: one must not touch a letter either, or the digits
# of an agency's credit code (11370725MB28501425) would read as a local number.
_NOT_ALNUM = "[^0-9A-Za-z]"


# (pattern, replacement) in order. Group 1 and the last group are the boundaries, put back as they were.
_MASKS: tuple[tuple[str, str], ...] = (
    # a date written as 8 digits (20220305) or a year range (2021-2022) is not a phone number: protect it
    (_bounded(f"((?:19|20)[0-9]{{2}})({_DATE})"), f"${{1}}${{2}}{_MARK}${{3}}${{4}}"),
    (_bounded("((?:19|20)[0-9]{2})-((?:19|20)[0-9]{2})"), f"${{1}}${{2}}-{_MARK}${{3}}${{4}}"),
    # ID number, 18 characters: area (6), birth date (8), sequence (3), check character (digit or X);
    # 3707**********123X. An 18-digit run without a birth date (an agency's credit code) is left alone.
    (_bounded(f"([1-9][0-9]{{3}})[0-9]{{2}}(?:18|19|20)[0-9]{{2}}{_DATE}([0-9]{{3}}[0-9Xx])"), "${1}${2}**********${3}${4}"),
    # ID number, 15 digits (before 1999): area (6), birth date yymmdd (6), sequence (3)
    (_bounded(f"([1-9][0-9]{{3}})[0-9]{{4}}{_DATE}([0-9]{{3}})"), "${1}${2}********${3}${4}"),
    # mobile: 1[3-9]x, 11 digits, maybe +86 and spaces or dashes (139 0536 1234); 139****1234
    (_bounded("((?:\\+?86[- ]?)?1[3-9][0-9])[- ]?[0-9]{4}[- ]?([0-9]{4})"), "${1}${2}****${3}${4}"),
    # landline with area code (0536-1234567, (010)87654321, 053612345678): the area code stays
    (_bounded("([(（]?0[1-9][0-9]{1,2}[)）]?[- ]?)[0-9]{5,6}([0-9]{2})", _NOT_ALNUM), "${1}${2}******${3}${4}"),
)
# landline without area code: 8765-4321, 876-5432, 87654321, 8765432 (dates were protected above). Not in
# identifiers: a record id such as 2022001 has the same shape, and masking it would lose the record.
_LOCAL_MASKS: tuple[tuple[str, str], ...] = (
    (_bounded("[2-9][0-9]{2,3}-[0-9]{2}([0-9]{2})", _NOT_ALNUM), "${1}****-**${2}${3}"),
    (_bounded("[2-9][0-9]{4,5}([0-9]{2})", _NOT_ALNUM), "${1}******${2}${3}"),
)
_FULL_WIDTH_DIGIT = "[０-９]"
PERSONAL_MASK = "***"
_MIN_PERSONAL = 2  # a one-character value (无, /) would mask that character everywhere
# The words messages are made of (headers, allowed values): typed into a personal column by mistake (自然人 as a
# name), they are not personal data, and masking them would blank out every message's list of allowed values.
VOCABULARY = frozenset(
    word
    for kind in KINDS.values()
    for col in kind.columns
    for word in (col.key, *col.aliases, *col.choices, *col.allowed.split("、"))
    if len(word) >= _MIN_PERSONAL
)


def scrub(expr: pl.Expr, personal: pl.Series | None = None, identifier: bool = False) -> pl.Expr:
    """`expr` (text) with personal data masked: ID numbers, mobile and landline numbers, and any of the
    `personal` values (those typed in the personal columns; see `personal_values`). An `identifier` (a
    record id, an agency code) keeps a bare 7–8 digit number, which is a phone number only in free text."""
    text = expr.cast(pl.String)
    # full-width digits are digits: a value holding any is read in its NFKC form (the rest stays as typed)
    text = pl.when(text.str.contains(_FULL_WIDTH_DIGIT)).then(text.str.normalize("NFKC")).otherwise(text)
    if personal is not None and personal.len():
        text = text.str.replace_many(personal.implode(), pl.lit(PERSONAL_MASK).implode(), ascii_case_insensitive=True, leftmost=True)
    for pattern, replacement in _MASKS if identifier else _MASKS + _LOCAL_MASKS:
        text = text.str.replace_all(pattern, replacement).str.replace_all(pattern, replacement)
    return text.str.replace_all(_MARK, "", literal=True)


def _may_hold_number(value: str | None) -> bool:
    # the shortest number masked has 7 digits (separators aside): most names and messages have fewer
    return value is not None and sum(c.isdigit() for c in value) >= 7


def scrub_texts(values: list[str | None], identifier: bool = False) -> list[str | None]:
    """`scrub` (by shape only) for a few Python strings: file and sheet names, error details, headers."""
    if not any(map(_may_hold_number, values)):
        return list(values)
    return pl.Series(values, dtype=pl.String).to_frame("v").select(scrub(pl.col("v"), identifier=identifier)).to_series().to_list()


def scrub_text(value: str | None, identifier: bool = False) -> str | None:
    return scrub_texts([value], identifier)[0]


_PERSONAL_NUMBER = "|".join(p for p, _ in _MASKS[2:])  # an ID number (18 or 15), a mobile or a landline with its area code


def holds_personal(text: pl.Expr, personal: list[str], code: pl.Expr | None = None) -> pl.Expr:
    """Per row: whether `text` (a record id) holds an ID, mobile or landline number with area code, or a value (two characters or more)
    of the same row's `personal` columns. A leading `code` (the row's agency code: an index number starts with
    it, and an all-digit credit code may have the shape of an ID number) is not looked at."""
    if code is not None:
        text = pl.when(text.str.starts_with(code)).then(text.str.slice(18)).otherwise(text)
    hit = text.str.contains(_PERSONAL_NUMBER)
    for column in personal:
        own = pl.col(column).cast(pl.String).str.strip_chars()
        hit = hit | ((own.str.len_chars() >= _MIN_PERSONAL) & text.str.contains(own, literal=True))
    return hit.fill_null(False)


def mask_own_values(texts: list[str], frame: pl.DataFrame) -> list[str]:
    """`texts` (a workbook's sheet names) with any value of `frame`'s personal columns masked: one vectorised
    pass over the rows per text, for the few names a workbook has."""
    cols = [c for c in PERSONAL_COLUMNS if c in frame.columns]
    if not cols or not texts:
        return texts
    values = frame.lazy().select(pl.concat_list([pl.col(c).cast(pl.String).str.strip_chars() for c in cols]).explode().alias("v"))
    values = values.filter((pl.col("v").str.len_chars() >= _MIN_PERSONAL) & ~pl.col("v").is_in(list(VOCABULARY)))
    out = []
    for text in texts:
        found = values.filter(pl.lit(text).str.contains(pl.col("v"), literal=True)).unique().collect().get_column("v")
        for value in sorted(found.to_list(), key=len, reverse=True):
            text = text.replace(value, PERSONAL_MASK)
        out.append(text)
    return out


def personal_values(frame: pl.DataFrame) -> pl.Series:
    """The distinct values of the personal columns a frame holds, longest first (so that the longer of two
    overlapping values is masked whole)."""
    cols = [c for c in PERSONAL_COLUMNS if c in frame.columns]
    if not cols:
        return pl.Series("personal", [], dtype=pl.String)
    values = (
        frame.lazy()
        .select(pl.concat_list([pl.col(c).cast(pl.String).str.strip_chars() for c in cols]).explode().alias("personal"))
        .drop_nulls()
        .unique()
        .filter((pl.col("personal").str.len_chars() >= _MIN_PERSONAL) & ~pl.col("personal").is_in(list(VOCABULARY)))
        .sort(pl.col("personal").str.len_chars(), pl.col("personal"), descending=[True, False])
        .collect()
    )
    return values.get_column("personal")
