"""The obvious alternatives, on the same raw files: what an analyst would write without the pipeline.

- `floor`: one DuckDB count(*) scan over the raw files — reading the bytes once, nothing less is possible.
- `duckdb_sql`: a plain SQL script — read_csv over the ledger folders, the one date format the scale
  generator writes (ISO), group-bys for table A rows 1/2/3.x/4 per applicant type, table R, channels,
  table P. No validation, no quarantine, no replacement of re-exports, no personal-data handling.
- `pandas`: the same with pandas read_csv + groupby.

Both return per-agency base cells, turned into grand totals (`totals.from_baseline`) that the bench
compares with the pipeline's: a baseline that computes something else is not a comparison.
Label → key maps are the vocabulary the scale generator writes (an analyst copies them from the form).
"""

from pathlib import Path

import polars as pl

from pipelines.bench import totals
from pipelines.bench.clock import Clock
from pipelines.bench.data import input_format
from schemas import vocabulary as v

KINDS = ("disclosures", "applications", "appeals")


def label_maps() -> dict[str, dict[str, str]]:
    from pipelines.defs.generate.scale import rows

    return {
        "channel": {c.label: c.key for c in v.CHANNELS},
        "applicant_type": {label: key for key, label in rows._TYPE_LABELS.items()},
        "outcome": {rows._outcome_label(key): key for key in v.OUTCOME_KEYS},
        "proceeding": {label: key for key, label in rows._PROCEEDING_LABELS.items()},
        "result": {label: key for key, label in rows._RESULT_LABELS.items()},
        "category": {label: key for key, label in rows.CATEGORY_LABELS.items()},
    }


def _files(root: Path, kind: str, fmt: str) -> list[Path]:
    return sorted((Path(root) / kind).rglob(f"*.{fmt}"))


# --------------------------------------------------------------------------- floor


def _files_glob(root: str, kind: str, ext: str) -> str:
    """The kind's files as a DuckDB string literal (a raw root given with --data may hold an apostrophe)."""
    pattern = f"{root}/{kind}/**/*.{ext}".replace("'", "''")
    return f"'{pattern}'"


def floor(root: str, year: int) -> dict:
    """One DuckDB count(*) over every raw ledger file: the cost of reading the bytes."""
    import duckdb

    fmt = input_format(Path(root))
    con = duckdb.connect()
    rows = 0
    with Clock() as clock:
        for kind in KINDS:
            if _files(Path(root), kind, fmt):
                src = (
                    f"read_csv({_files_glob(root, kind, 'csv')}, header=true, all_varchar=true)"
                    if fmt == "csv"
                    else f"read_parquet({_files_glob(root, kind, 'parquet')})"
                )
                rows += con.execute(f"SELECT count(*) FROM {src}").fetchone()[0]
    return clock.times() | {"rows": rows}


# ---------------------------------------------------------------------- duckdb SQL

_EMPTY = {
    "disclosures": "SELECT NULL::VARCHAR agency_code, NULL::DATE published_on, NULL::VARCHAR channel, NULL::VARCHAR category, "
    "NULL::VARCHAR doc_number, NULL::VARCHAR doc_action, NULL::DOUBLE amount_yuan WHERE false",
    "applications": "SELECT NULL::VARCHAR agency_code, NULL::DATE received_on, NULL::DATE closed_on, NULL::VARCHAR applicant_type, "
    "NULL::VARCHAR outcome WHERE false",
    "appeals": "SELECT NULL::VARCHAR agency_code, NULL::VARCHAR proceeding, NULL::DATE filed_on, NULL::DATE concluded_on, NULL::VARCHAR result WHERE false",
}
_COLUMNS = {
    "disclosures": "agency_code, CAST(published_on AS DATE) AS published_on, channel, category, doc_number, doc_action, "
    "CAST(amount_yuan AS DOUBLE) AS amount_yuan",
    "applications": "agency_code, CAST(received_on AS DATE) AS received_on, CAST(closed_on AS DATE) AS closed_on, applicant_type, outcome",
    "appeals": "agency_code, proceeding, CAST(filed_on AS DATE) AS filed_on, CAST(concluded_on AS DATE) AS concluded_on, result",
}
_DATES = {"disclosures": ("published_on",), "applications": ("received_on", "closed_on"), "appeals": ("filed_on", "concluded_on")}

SQL = """
-- table P: decisions, fees (万元, 4 decimals), normative documents issued / repealed / in force
CREATE TEMP TABLE p AS
SELECT agency_code, m.key AS item, 'decisions' AS metric, count(*)::DOUBLE AS value
FROM d JOIN map_category m ON d.category = m.label
WHERE published_on BETWEEN $s AND $e AND m.key IN ('license', 'penalty', 'enforcement')
GROUP BY ALL
UNION ALL
-- 万元 rounded half up (四舍五入) in whole cents: round(double, 4) would turn 4279.5 元 into 0.4279
SELECT agency_code, 'admin_fee', 'amount_wan_yuan', ((sum(CAST(amount_yuan AS DECIMAL(18, 2))) * 100)::BIGINT + 50) // 100 / 10000
FROM d WHERE published_on BETWEEN $s AND $e AND category = '行政事业性收费'
GROUP BY ALL
UNION ALL
(WITH docs AS (
     SELECT agency_code, m.key AS item, doc_number, doc_action, published_on
     FROM d JOIN map_category m ON d.category = m.label
     WHERE m.key IN ('regulation', 'normative_document') AND doc_action IN ('制发', '废止')),
 issued AS (SELECT agency_code, item, doc_number, min(published_on) AS issued_on FROM docs WHERE doc_action = '制发' GROUP BY ALL),
 life AS (
     SELECT i.agency_code, i.item, i.doc_number, i.issued_on, min(r.published_on) AS repealed_on
     FROM issued i LEFT JOIN docs r
       ON r.doc_action = '废止' AND r.agency_code = i.agency_code AND r.item = i.item AND r.doc_number = i.doc_number
      AND r.published_on >= i.issued_on
     GROUP BY ALL)
 UNPIVOT (
     SELECT agency_code, item,
            count(*) FILTER (WHERE issued_on BETWEEN $s AND $e)::DOUBLE AS issued,
            count(*) FILTER (WHERE repealed_on BETWEEN $s AND $e)::DOUBLE AS repealed,
            count(*) FILTER (WHERE issued_on <= $e AND (repealed_on IS NULL OR repealed_on > $e))::DOUBLE AS in_force
     FROM life GROUP BY ALL)
 ON issued, repealed, in_force INTO NAME metric VALUE value);

-- channels
CREATE TEMP TABLE ch AS
SELECT agency_code, m.key AS channel, count(*) AS value
FROM d JOIN map_channel m ON d.channel = m.label
WHERE published_on BETWEEN $s AND $e
GROUP BY ALL;

-- table A: rows 1, 2, 3.x (by outcome), 4, per applicant type
CREATE TEMP TABLE ta AS
SELECT agency_code, row_key, t.key AS column_key, count(*) AS value
FROM (
    SELECT agency_code, '1' AS row_key, applicant_type FROM a WHERE received_on BETWEEN $s AND $e
    UNION ALL
    SELECT agency_code, '2', applicant_type FROM a WHERE received_on < $s AND (closed_on IS NULL OR closed_on >= $s)
    UNION ALL
    SELECT agency_code, o.key, applicant_type FROM a JOIN map_outcome o ON a.outcome = o.label WHERE closed_on BETWEEN $s AND $e
    UNION ALL
    SELECT agency_code, '4', applicant_type FROM a WHERE received_on <= $e AND (closed_on IS NULL OR closed_on > $e)
) x JOIN map_applicant_type t ON x.applicant_type = t.label
GROUP BY ALL;

-- table R: concluded in the year by result, pending at its end
CREATE TEMP TABLE tr AS
SELECT agency_code, g.key AS group_key, result AS result, count(*) AS value
FROM (
    SELECT c.agency_code, c.proceeding, m.key AS result FROM c JOIN map_result m ON c.result = m.label
    WHERE concluded_on BETWEEN $s AND $e
    UNION ALL
    SELECT agency_code, proceeding, 'pending' FROM c WHERE filed_on <= $e AND (concluded_on IS NULL OR concluded_on > $e)
) x JOIN map_proceeding g ON x.proceeding = g.label
GROUP BY ALL;
"""


def duckdb_sql(root: str, year: int) -> dict:
    """The plain DuckDB script; `seconds` covers reading the raw files to the four per-agency tables."""
    import duckdb

    fmt = input_format(Path(root))
    con = duckdb.connect()
    for name, mapping in label_maps().items():
        con.execute(f"CREATE TEMP TABLE map_{name} (label VARCHAR, key VARCHAR)")
        con.executemany(f"INSERT INTO map_{name} VALUES (?, ?)", list(mapping.items()))
    clock = Clock().start()
    rows = 0
    for kind, alias in zip(KINDS, ("d", "a", "c"), strict=True):
        if not _files(Path(root), kind, fmt):
            src = _EMPTY[kind]
        elif fmt == "csv":
            dates = ", ".join(f"'{c}': 'DATE'" for c in _DATES[kind])
            src = (
                f"SELECT {_COLUMNS[kind]} FROM read_csv({_files_glob(root, kind, 'csv')}, header=true, dateformat='%Y-%m-%d', "
                f"types={{'agency_code': 'VARCHAR', {dates}}})"
            )
        else:
            src = f"SELECT {_COLUMNS[kind]} FROM read_parquet({_files_glob(root, kind, 'parquet')})"
        con.execute(f"CREATE TEMP TABLE {alias} AS {src}")
        rows += con.execute(f"SELECT count(*) FROM {alias}").fetchone()[0]
    con.execute(SQL.replace("$s", f"DATE '{year}-01-01'").replace("$e", f"DATE '{year}-12-31'"))
    out = {name: con.sql(f"SELECT * FROM {name}").pl() for name in ("p", "ta", "tr", "ch")}
    clock.stop()
    return clock.times() | {"rows": rows, "totals": totals.from_baseline(out["p"], out["ta"], out["tr"], out["ch"])}


# --------------------------------------------------------------------------- pandas

_USECOLS = {
    "disclosures": ["agency_code", "published_on", "channel", "category", "doc_number", "doc_action", "amount_yuan"],
    "applications": ["agency_code", "received_on", "closed_on", "applicant_type", "outcome"],
    "appeals": ["agency_code", "proceeding", "filed_on", "concluded_on", "result"],
}


def pandas(root: str, year: int) -> dict:
    """read_csv + groupby. Reports `unavailable` when pandas is not installed (it is not a project dependency)."""
    try:
        import pandas as pd
    except ImportError:
        return {"unavailable": "pandas not installed"}
    fmt = input_format(Path(root))
    maps = label_maps()
    start, end = pd.Timestamp(year, 1, 1), pd.Timestamp(year, 12, 31)
    clock = Clock().start()

    def read(kind: str) -> "pd.DataFrame":
        cols = _USECOLS[kind]
        files = _files(Path(root), kind, fmt)
        if fmt == "csv":
            parts = [pd.read_csv(f, usecols=cols, dtype=str) for f in files]
        else:
            parts = [pd.read_parquet(f, columns=cols) for f in files]
        frame = pd.concat(parts, ignore_index=True) if parts else pd.DataFrame({c: pd.Series(dtype=str) for c in cols})
        for c in _DATES[kind]:
            frame[c] = pd.to_datetime(frame[c], format="%Y-%m-%d")
        return frame

    d, a, c = read("disclosures"), read("applications"), read("appeals")
    rows = len(d) + len(a) + len(c)
    d["amount_yuan"] = d["amount_yuan"].astype(float)
    d_year = d[(d["published_on"] >= start) & (d["published_on"] <= end)]
    item = d_year["category"].map(maps["category"])

    # channels
    ch = d_year.assign(channel=d_year["channel"].map(maps["channel"])).groupby(["agency_code", "channel"]).size().rename("value").reset_index()
    # table P
    dec = d_year[item.isin(["license", "penalty", "enforcement"])]
    decisions = dec.groupby(["agency_code", item[dec.index]]).size().rename("value").reset_index().rename(columns={"category": "item"})
    decisions["metric"] = "decisions"
    fee_rows = d_year[d_year["category"] == "行政事业性收费"]
    # 万元 rounded half up (四舍五入) in whole cents: float .round(4) would turn 4279.5 元 into 0.4279
    cents = (fee_rows["amount_yuan"] * 100).round().astype("int64").groupby(fee_rows["agency_code"]).sum()
    fees = (((cents + 50) // 100) / 10_000).rename("value").reset_index()
    fees["item"], fees["metric"] = "admin_fee", "amount_wan_yuan"
    docs = d[d["category"].isin(["规章", "行政规范性文件"]) & d["doc_action"].isin(["制发", "废止"])]
    docs = docs.assign(item=docs["category"].map(maps["category"]))
    keys = ["agency_code", "item", "doc_number"]
    issued = docs[docs["doc_action"] == "制发"].groupby(keys)["published_on"].min().rename("issued_on").reset_index()
    repeals = docs[docs["doc_action"] == "废止"][keys + ["published_on"]].rename(columns={"published_on": "repealed_on"})
    life = issued.merge(repeals, on=keys, how="left")
    life = life[life["repealed_on"].isna() | (life["repealed_on"] >= life["issued_on"])]
    life = life.groupby(keys, dropna=False).agg(issued_on=("issued_on", "first"), repealed_on=("repealed_on", "min")).reset_index()
    life["issued"] = life["issued_on"].between(start, end)
    life["repealed"] = life["repealed_on"].between(start, end)
    life["in_force"] = (life["issued_on"] <= end) & (life["repealed_on"].isna() | (life["repealed_on"] > end))
    documents = life.groupby(["agency_code", "item"])[["issued", "repealed", "in_force"]].sum().reset_index()
    documents = documents.melt(id_vars=["agency_code", "item"], var_name="metric", value_name="value")
    p = pd.concat([decisions, fees, documents], ignore_index=True)

    # table A
    a_type = a["applicant_type"].map(maps["applicant_type"])
    rec, clo = a["received_on"], a["closed_on"]
    parts = [
        a.loc[rec.between(start, end), ["agency_code"]].assign(row_key="1", column_key=a_type),
        a.loc[(rec < start) & (clo.isna() | (clo >= start)), ["agency_code"]].assign(row_key="2", column_key=a_type),
        a.loc[clo.between(start, end), ["agency_code"]].assign(row_key=a["outcome"].map(maps["outcome"]), column_key=a_type),
        a.loc[(rec <= end) & (clo.isna() | (clo > end)), ["agency_code"]].assign(row_key="4", column_key=a_type),
    ]
    ta = pd.concat(parts).groupby(["agency_code", "row_key", "column_key"]).size().rename("value").reset_index()

    # table R
    group = c["proceeding"].map(maps["proceeding"])
    concluded = c.loc[c["concluded_on"].between(start, end), ["agency_code"]].assign(group_key=group, result=c["result"].map(maps["result"]))
    pending = c.loc[(c["filed_on"] <= end) & (c["concluded_on"].isna() | (c["concluded_on"] > end)), ["agency_code"]].assign(group_key=group, result="pending")
    tr = pd.concat([concluded, pending]).groupby(["agency_code", "group_key", "result"]).size().rename("value").reset_index()
    clock.stop()

    def to_pl(frame: "pd.DataFrame", cols: list[str]) -> pl.DataFrame:
        return pl.DataFrame({col: frame[col].astype(float if col == "value" else str).tolist() for col in cols})

    return clock.times() | {
        "rows": rows,
        "totals": totals.from_baseline(
            to_pl(p, ["agency_code", "item", "metric", "value"]),
            to_pl(ta, ["agency_code", "row_key", "column_key", "value"]),
            to_pl(tr, ["agency_code", "group_key", "result", "value"]),
            to_pl(ch, ["agency_code", "channel", "value"]),
        ),
    }
