"""The statutory tables for every agency × year at once (national-format.md, counting rules).

Pure Polars over the validated records; no loop per agency or per row. Every
public function returns the full grid (zeros stored) for `agencies` × `years`.

Each table is built in two steps so that it can also be built a few thousand
agencies at a time (compute.iter_year): the records are counted once into the
non-zero cells (`*_counts`, derived cells included), and `block` lays a range of
agencies out as the full grid by position, with no join or sort of the grid.
"""

from dataclasses import dataclass

import polars as pl

from pipelines.defs.tables import frames
from schemas import vocabulary as v

Frame = pl.DataFrame | pl.LazyFrame  # the ledgers: streamed from the lake, or in memory in tests

DATE_COLUMN = {"disclosures": "published_on", "applications": "received_on", "appeals": "filed_on"}


@dataclass(frozen=True)
class Table:
    """A fact frame's cells in output order: (agency, year, cell) sorted as the frame is."""

    keys: tuple[str, ...]
    cells: tuple[tuple[str, ...], ...]
    schema: pl.Schema


# P and channels sort their cells by key, A and R in form order.
PROACTIVE = Table(("item", "metric"), tuple(sorted(v.PROACTIVE_CELLS)), frames.PROACTIVE)
CHANNEL = Table(("channel",), tuple((c,) for c in sorted(v.CHANNEL_KEYS)), frames.CHANNEL)
APPLICATION = Table(("row_key", "column_key"), tuple((r, c) for r in v.APPLICATION_ROW_KEYS for c in v.APPLICATION_COLUMN_KEYS), frames.APPLICATION)
APPEAL = Table(("group_key", "result"), v.APPEAL_CELLS, frames.APPEAL)


def agency_index(agencies: pl.Series) -> pl.DataFrame:
    """The agencies in output order (sorted codes), each with its position `_a`."""
    return pl.DataFrame({"agency_code": agencies}, schema={"agency_code": pl.String}).unique().sort("agency_code").with_row_index("_a")


def locate(counts: pl.DataFrame, index: pl.DataFrame, years: list[int], table: Table) -> pl.DataFrame:
    """Non-zero cells by position: `_a` the agency's, `_o` the (year, cell) offset inside its block.

    Cells outside the grid (unknown agency, year or key) drop out, as a left join onto the grid drops them."""
    cells = pl.DataFrame(table.cells, schema=dict.fromkeys(table.keys, pl.String), orient="row").with_row_index("_c")
    yrs = pl.DataFrame({"year": sorted(set(years))}, schema={"year": pl.Int32}).with_row_index("_y")
    value = table.schema["value"]
    return (
        counts.lazy()
        .join(index.lazy(), on="agency_code")
        .join(yrs.lazy(), on="year")
        .join(cells.lazy(), on=list(table.keys))
        .select("_a", (pl.col("_y").cast(pl.Int64) * len(table.cells) + pl.col("_c")).alias("_o"), pl.col("value").cast(value).fill_null(0))
        .collect()
    )


def block(index: pl.DataFrame, years: list[int], table: Table, located: pl.DataFrame) -> pl.DataFrame:
    """The full grid (zeros stored) of a contiguous range of `agency_index`, in output order.

    Row i is agency i // (years × cells), year and cell by the remainder: the grid is laid out by
    position and the counts are scattered into it."""
    yrs = pl.Series("year", sorted(set(years)), dtype=pl.Int32)
    n_cells = len(table.cells)
    width = yrs.len() * n_cells
    first = index.item(0, "_a") if index.height else 0
    located = located.filter(pl.col("_a").is_between(first, first + index.height - 1))
    i = pl.int_range(0, index.height * width, dtype=pl.Int64, eager=True)
    dtype = table.schema["value"]
    value = pl.zeros(i.len(), dtype, eager=True)
    if located.height:
        value = value.scatter((located["_a"].cast(pl.Int64) - first) * width + located["_o"], located["value"])
    cell = i % n_cells
    columns = {
        "agency_code": index["agency_code"].gather(i // width),
        "year": yrs.gather(i // n_cells % yrs.len()),
        **{k: pl.Series(k, [c[n] for c in table.cells], dtype=pl.String).gather(cell) for n, k in enumerate(table.keys)},
        "value": value,
    }
    return pl.DataFrame(columns).select(list(table.schema)).cast(table.schema)


def full(counts: pl.DataFrame, agencies: pl.Series, years: list[int], table: Table) -> pl.DataFrame:
    """The whole grid of `agencies` × `years` in one piece (compute.iter_year lays it out a chunk at a time)."""
    index = agency_index(agencies)
    return block(index, years, table, locate(counts, index, years, table))


def _years(years: list[int]) -> pl.DataFrame:
    return pl.DataFrame({"year": years}, schema={"year": pl.Int32}).with_columns(
        pl.date(pl.col("year"), 1, 1).alias("_start"), pl.date(pl.col("year"), 12, 31).alias("_end")
    )


def _grid(agencies: pl.Series, years: list[int], cells: list[tuple[str, str]], names: tuple[str, str]) -> pl.DataFrame:
    cell_frame = pl.DataFrame(cells, schema={names[0]: pl.String, names[1]: pl.String}, orient="row")
    return (
        pl.DataFrame({"agency_code": agencies.unique().sort()}, schema={"agency_code": pl.String})
        .join(pl.DataFrame({"year": years}, schema={"year": pl.Int32}), how="cross")
        .join(cell_frame, how="cross")
    )


def _with_total(frame: pl.LazyFrame, col_col: str) -> pl.LazyFrame:
    """Each row once more in the `total` column (the total of a row is the sum over its other columns)."""
    return pl.concat([frame, frame.with_columns(pl.lit("total").alias(col_col))])


def _summed(addends: pl.LazyFrame, keys: tuple[str, str]) -> pl.DataFrame:
    """Cells from their addends: the sum of `value` per agency, year and cell."""
    return addends.group_by("agency_code", "year", *keys).agg(pl.col("value").sum()).collect()


# ------------------------------------------------------------------- table P
#
# Every table is an aggregation of per-record cell membership (`*_hits`): one row per record, year and cell
# it counts in, carrying the record's id. The counts group the hits; the record-level facts
# (pipelines/defs/tables/records.py) list them. One set of rules serves both.

PROACTIVE_HIT = pl.Schema({"agency_code": pl.String, "year": pl.Int32, "item": pl.String, "metric": pl.String, "_r": pl.UInt32, "_v": pl.Float64})


def indexed(ledger: Frame) -> pl.LazyFrame:
    """The ledger with `_r`, each record's position in it: how a hit names its record. The record facts
    (records.py) number the same frame the same way to find the record's columns again — an integer, where an
    id is a string of an agency's own making."""
    return ledger.lazy().with_row_index("_r")


def proactive_hits(disclosures: Frame, years: list[int]) -> pl.LazyFrame:
    """Each disclosure record in each table-P cell it counts in: agency_code, year, item, metric, `_r` (indexed) and
    `_v`, what it adds to the cell (1 for a count, its 元 for the fee amount)."""
    d = indexed(disclosures).with_columns(pl.col("published_on").dt.year().cast(pl.Int32).alias("year"))
    yrs = _years(years).lazy()

    decisions = d.filter(pl.col("category").is_in(v.DECISION_ITEMS) & pl.col("year").is_in(years)).select(
        "agency_code", "year", pl.col("category").alias("item"), pl.lit("decisions").alias("metric"), "_r", pl.lit(1.0).alias("_v")
    )
    fees = d.filter((pl.col("category") == "admin_fee") & pl.col("year").is_in(years)).select(
        "agency_code", "year", pl.lit("admin_fee").alias("item"), pl.lit("amount_wan_yuan").alias("metric"), "_r", pl.col("amount_yuan").alias("_v")
    )
    # A document is (agency, kind, 文号): issued on its first 制发, repealed on its first 废止 after that. Its
    # records: the 制发 row for issued and in force, the 废止 row for repealed.
    doc = ["agency_code", "category", "doc_number"]
    docs = d.filter(pl.col("category").is_in(v.DOCUMENT_ITEMS) & pl.col("doc_action").is_in(["issue", "repeal"]))
    issued_on = (
        docs.filter(pl.col("doc_action") == "issue")
        .group_by(doc)
        .agg(pl.col("published_on").min().alias("issued_on"), pl.col("_r").sort_by("published_on", "item_id").first().alias("issue_r"))
    )
    repealed_on = docs.filter(pl.col("doc_action") == "repeal").select(
        *doc, pl.col("published_on").alias("repealed_on"), pl.col("item_id").alias("repeal_id"), pl.col("_r").alias("repeal_r")
    )
    life = (
        issued_on.join(repealed_on, on=doc, how="left")
        # a 废止 dated before the first 制发 repeals nothing (the document stays issued, and in force)
        .with_columns(pl.when(pl.col("repealed_on") >= pl.col("issued_on")).then(pl.col(c)).alias(c) for c in ("repealed_on", "repeal_id", "repeal_r"))
        .group_by(doc)
        .agg(
            pl.col("issued_on").first(),
            pl.col("issue_r").first(),
            pl.col("repealed_on").min(),
            pl.col("repeal_r").sort_by("repealed_on", "repeal_id", nulls_last=True).first(),
        )
        .join(yrs, how="cross")
    )
    start, end, issued, repealed = pl.col("_start"), pl.col("_end"), pl.col("issued_on"), pl.col("repealed_on")
    documents = [
        life.filter(cond).select(
            "agency_code", "year", pl.col("category").alias("item"), pl.lit(metric).alias("metric"), pl.col(record).alias("_r"), pl.lit(1.0).alias("_v")
        )
        for metric, cond, record in (
            ("issued", issued.is_between(start, end), "issue_r"),
            ("repealed", repealed.is_between(start, end), "repeal_r"),
            ("in_force", (issued <= end) & (repealed.is_null() | (repealed > end)), "issue_r"),
        )
    ]
    return pl.concat([x.cast(PROACTIVE_HIT) for x in (decisions, fees, *documents)], how="vertical")


def proactive_counts(disclosures: Frame, years: list[int], hits: pl.DataFrame | None = None) -> pl.DataFrame:
    """The non-zero cells of table P: the hits summed (given `hits`, those of proactive_hits, collected)."""
    source = proactive_hits(disclosures, years) if hits is None else hits.lazy()
    # Fee amounts are summed in whole fen (integers): a sum of doubles depends on the order of the records, and
    # a total of exactly x.50 元 could come out as x.4999… and round down.
    cents = (pl.col("_v") * 100).round(0, mode="half_away_from_zero").cast(pl.Int64)
    total = pl.col("_cents")
    summed = (
        source.group_by("agency_code", "year", "item", "metric")
        .agg(pl.col("_v").sum().alias("value"), pl.when(pl.col("metric") == "amount_wan_yuan").then(cents).sum().alias("_cents"))
        # 万元 with four decimals (whole 元), rounded half up (四舍五入) as finance offices do
        .with_columns(
            pl.when(pl.col("metric") == "amount_wan_yuan")
            .then(((total.sign() * ((total.abs() + 50) // 100)).cast(pl.Float64) / 10_000).round(4))  # the double nearest 4 decimals
            .otherwise(pl.col("value"))
            .alias("value")
        )
        .select("agency_code", "year", "item", "metric", "value")
    )
    # no common-subplan elimination: it would cache the whole disclosures scan (1.5 GB at national size) for the
    # branches, where scans that each filter early hold next to nothing
    return summed.collect(engine="streaming", optimizations=pl.QueryOptFlags(comm_subplan_elim=False))


def channel_counts(disclosures: Frame, years: list[int]) -> pl.DataFrame:
    return (
        disclosures.lazy()
        .with_columns(pl.col("published_on").dt.year().cast(pl.Int32).alias("year"))
        .filter(pl.col("year").is_in(years))
        .group_by("agency_code", "year", "channel")
        .agg(pl.len().alias("value"))
        .collect(engine="streaming")
    )


# ------------------------------------------------------------------- table A


def application_hits(apps: Frame, years: list[int]) -> pl.LazyFrame:
    """Each application in each cell of table A it counts in by its own row (not the derived 3.7 and `total`:
    application_cells adds those): agency_code, year, row_key, column_key, `_r` (indexed)."""
    a = indexed(apps).join(_years(years).lazy(), how="cross")
    received, closed = pl.col("received_on"), pl.col("closed_on")
    start, end = pl.col("_start"), pl.col("_end")
    # Each application counts in each row whose condition it meets (national-format.md, table A).
    rows = {
        "1": received.is_between(start, end),
        "2": (received < start) & (closed.is_null() | (closed >= start)),
        "outcome": closed.is_between(start, end),
        "4": (received <= end) & (closed.is_null() | (closed > end)),
    }
    parts = []
    for key, cond in rows.items():
        row_key = pl.col("outcome") if key == "outcome" else pl.lit(key)
        parts.append(a.filter(cond).select("agency_code", "year", row_key.alias("row_key"), pl.col("applicant_type").alias("column_key"), "_r"))
    # only cells of the grid count (and count towards the derived ones); 3.7 is derived
    return pl.concat(parts).filter(pl.col("row_key").is_in([r for r in v.APPLICATION_ROW_KEYS if r != "3.7"]) & pl.col("column_key").is_in(v.APPLICANT_KEYS))


def application_cells(hits: pl.DataFrame | pl.LazyFrame) -> pl.LazyFrame:
    """The hits with the derived cells they also count in: row 3.7 for an outcome row (A2), the `total`
    column for every row (A3). Applied to hits it gives membership; to counts (a `value` column), addends."""
    with_outcome_total = pl.concat([hits.lazy(), hits.lazy().filter(pl.col("row_key").is_in(v.OUTCOME_KEYS)).with_columns(pl.lit("3.7").alias("row_key"))])
    return _with_total(with_outcome_total, "column_key")


def application_counts(apps: Frame, years: list[int], hits: pl.DataFrame | None = None) -> pl.DataFrame:
    """The non-zero cells of table A, derived cells included (given `hits`, those of application_hits, collected)."""
    source = application_hits(apps, years) if hits is None else hits.lazy()
    counts = source.group_by("agency_code", "year", "row_key", "column_key").agg(pl.len().cast(pl.Int64).alias("value")).collect(engine="streaming")
    return _summed(application_cells(counts), ("row_key", "column_key"))


# ------------------------------------------------------------------- table R


def appeal_hits(cases: Frame, years: list[int]) -> pl.LazyFrame:
    """Each case in each cell of table R it counts in, but `total` (appeal_cells adds it): agency_code, year,
    group_key, result, `_r` (indexed)."""
    c = indexed(cases).join(_years(years).lazy(), how="cross")
    filed, concluded = pl.col("filed_on"), pl.col("concluded_on")
    start, end = pl.col("_start"), pl.col("_end")
    group = pl.col("proceeding").alias("group_key")
    concluded_in_year = c.filter(concluded.is_between(start, end)).select("agency_code", "year", group, "result", "_r")
    pending = c.filter((filed <= end) & (concluded.is_null() | (concluded > end))).select("agency_code", "year", group, pl.lit("pending").alias("result"), "_r")
    # only cells of the grid count towards the total
    return pl.concat([concluded_in_year, pending]).filter(
        pl.col("group_key").is_in(v.APPEAL_GROUP_KEYS) & pl.col("result").is_in([r for r in v.APPEAL_RESULT_KEYS if r != "total"])
    )


def appeal_cells(hits: pl.DataFrame | pl.LazyFrame) -> pl.LazyFrame:
    """The hits with the `total` of their group (R1): membership, or addends of counts."""
    return _with_total(hits.lazy(), "result")


def appeal_counts(cases: Frame, years: list[int], hits: pl.DataFrame | None = None) -> pl.DataFrame:
    """The non-zero cells of table R, `total` included (given `hits`, those of appeal_hits, collected)."""
    source = appeal_hits(cases, years) if hits is None else hits.lazy()
    counts = source.group_by("agency_code", "year", "group_key", "result").agg(pl.len().cast(pl.Int64).alias("value")).collect(engine="streaming")
    return _summed(appeal_cells(counts), ("group_key", "result"))


# ------------------------------------------------------------ completeness


def fees_collected(apps: Frame, agencies: pl.Series, years: list[int]) -> pl.DataFrame:
    """信息处理费 collected in the year (section 6), by the date the application was closed."""
    counts = (
        apps.lazy()
        .with_columns(pl.col("closed_on").dt.year().cast(pl.Int32).alias("year"))
        .filter(pl.col("year").is_in(years))
        .group_by("agency_code", "year")
        .agg(pl.col("fee_yuan").sum().alias("value"))
        .collect(engine="streaming")
    )
    grid = _grid(agencies, years, [("fee_yuan", "")], ("_a", "_b"))
    return (
        grid.join(counts, on=["agency_code", "year"], how="left")
        .select("agency_code", "year", pl.col("value").fill_null(0.0).cast(pl.Float64).alias("fees_yuan"))
        .sort("agency_code", "year")
    )


def quarantined_hits(quarantine: pl.DataFrame, records: dict[str, pl.DataFrame | pl.LazyFrame], agencies: pl.Series, years: list[int]) -> pl.DataFrame:
    """Each quarantined row, once per agency-year it belongs to: agency_code, year, `_q` (the row's index in
    `quarantine`), kind, path, sheet, row.

    A row that a later export corrected (superseded) no longer counts. A row whose agency cannot be told (bad code) belongs to every agency of its
    file; a row whose year cannot be told belongs to the years its file's
    accepted rows cover (every year when there are none); an application or
    case that may still be open belongs to every year from its own on.
    """
    known = set(agencies.to_list())
    out_schema = pl.Schema(
        {"agency_code": pl.String, "year": pl.Int32, "_q": pl.UInt32, "kind": pl.String, "path": pl.String, "sheet": pl.String, "row": pl.Int32}
    )
    relevant = quarantine.with_row_index("_q").filter((pl.col("kind") != "agencies") & ~pl.col("superseded").fill_null(False))
    relevant = relevant.with_columns(pl.lit(None, out_schema[c]).alias(c) for c in ("sheet", "row") if c not in relevant.columns)
    if relevant.is_empty():
        return pl.DataFrame(schema=out_schema)
    # only the files that hold quarantined rows matter, so the records are streamed and filtered to them
    paths = relevant.get_column("path").unique().implode()
    dated = [
        records[k]
        .lazy()
        .filter(pl.col("source_file").is_in(paths))
        .select(pl.col("source_file").alias("path"), "agency_code", pl.col(DATE_COLUMN[k]).dt.year().cast(pl.Int32).alias("_y"))
        for k in records
        if k in DATE_COLUMN
    ]
    per_file = pl.concat(dated, how="vertical").collect(engine="streaming")
    file_agencies = per_file.select("path", "agency_code").unique()
    file_years = per_file.group_by("path").agg(pl.col("_y").min().alias("_first"), pl.col("_y").max().alias("_last"))
    q = (
        relevant.join(file_years, on="path", how="left")
        .with_columns(
            pl.when(pl.col("year").is_null()).then(pl.col("_first")).otherwise(pl.col("year")).alias("year"),
            # a row closed "before" it was received still belongs to its own year
            pl.when(pl.col("year").is_null())
            .then(pl.col("_last"))
            .when(pl.col("end_year").is_null())
            .then(None)
            .otherwise(pl.max_horizontal("year", "end_year"))
            .alias("end_year"),
        )
        .drop("_first", "_last")
    )
    own = q.filter(pl.col("agency_code").is_in(list(known)))
    orphans = q.filter(~pl.col("agency_code").is_in(list(known)) | pl.col("agency_code").is_null()).drop("agency_code")
    attributed = pl.concat([own, orphans.join(file_agencies, on="path", how="inner").select(own.columns)])
    yrs = pl.DataFrame({"year_": years}, schema={"year_": pl.Int32})
    hits = attributed.join(yrs, how="cross").filter(
        pl.col("year").is_null() | ((pl.col("year") <= pl.col("year_")) & (pl.col("end_year").is_null() | (pl.col("end_year") >= pl.col("year_"))))
    )
    return hits.select("agency_code", pl.col("year_").alias("year"), "_q", "kind", "path", "sheet", "row").unique().cast(out_schema)


def quarantined_per_agency_year(
    quarantine: pl.DataFrame, records: dict[str, pl.DataFrame | pl.LazyFrame], agencies: pl.Series, years: list[int]
) -> pl.DataFrame:
    """Quarantined rows that belong to each agency-year (quarantined_hits); an agency-year with any is incomplete."""
    grid = _grid(agencies, years, [("q", "")], ("_a", "_b")).select("agency_code", "year")
    hits = quarantined_hits(quarantine, records, agencies, years)
    counts = hits.group_by("agency_code", "year").agg(pl.col("_q").n_unique().alias("quarantined_rows"))
    return (
        grid.join(counts, on=["agency_code", "year"], how="left")
        .with_columns(pl.col("quarantined_rows").fill_null(0).cast(pl.Int64))
        .sort("agency_code", "year")
    )
