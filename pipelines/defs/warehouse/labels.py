"""The warehouse's label tables, generated from schemas/vocabulary.py (the one vocabulary).

One table per key of the facts: the key, its position in the form, the official Chinese label, a short label,
the heading it sits under and the English label (label_check: the relation's severity, Chinese and English text). Every load replaces them whole, so a warehouse always speaks
the vocabulary of the code that loaded it.
"""

import duckdb
import polars as pl

from schemas import vocabulary as v

EN = v.ENGLISH_LABELS
LABEL_SCHEMA = {"position": pl.Int32, "label": pl.String, "short_label": pl.String, "group_label": pl.String, "label_en": pl.String}


def _frame(key: str, rows: list[tuple[str, str, str, str | None, str]]) -> pl.DataFrame:
    """rows: (key, label, short label, group label, English label), in form order."""
    return pl.DataFrame(
        [(k, i, label, short, group, en) for i, (k, label, short, group, en) in enumerate(rows, start=1)],
        schema={key: pl.String, **LABEL_SCHEMA},
        orient="row",
    )


def label_frames() -> dict[str, pl.DataFrame]:
    """Every label table by name."""
    article = {i.key: v.ARTICLE_20_BLOCK.format(article=i.article) for i in v.PROACTIVE_ITEMS}
    metrics = {m.key: m for i in v.PROACTIVE_ITEMS for m in i.metrics}
    org = {c.key for c in v.APPLICANT_COLUMNS} - {"natural_person"}
    results_group = {r.key: v.RESULTS_HEADING for r in v.APPLICATION_ROWS if r.key.startswith("3.")}
    return {
        "label_proactive_item": _frame("item", [(i.key, i.label, i.label, article[i.key], EN["proactive_item"][i.key]) for i in v.PROACTIVE_ITEMS]),
        "label_proactive_metric": _frame("metric", [(m.key, m.label, m.label, None, EN["proactive_metric"][m.key]) for m in metrics.values()]),
        "label_application_row": _frame(
            "row_key",
            [(r.key, r.label, r.short, r.group or results_group.get(r.key), EN["application_row"][r.key]) for r in v.APPLICATION_ROWS],
        ),
        "label_application_column": _frame(
            "column_key",
            [
                (
                    k,
                    v.APPLICATION_COLUMN_LABELS[k],
                    v.APPLICATION_COLUMN_LABELS[k],
                    v.ORG_GROUP_LABEL if k in org else (v.APPLICANT_GROUP_LABEL if k != "total" else None),
                    EN["application_column"][k],
                )
                for k in v.APPLICATION_COLUMN_KEYS
            ],
        ),
        "label_appeal_group": _frame("group_key", [(g.key, g.full_label, g.label, g.parent, EN["appeal_group"][g.key]) for g in v.APPEAL_GROUPS]),
        "label_appeal_result": _frame("result", [(r.key, r.label, r.ledger_value or r.label, None, EN["appeal_result"][r.key]) for r in v.APPEAL_RESULTS]),
        "label_channel": _frame("channel", [(c.key, c.label, c.label, None, EN["channel"][c.key]) for c in v.CHANNELS]),
        "label_check": pl.DataFrame(
            [(r.id, i, r.severity, r.zh, r.en) for i, r in enumerate(v.RELATIONS, start=1)],
            schema={"check_id": pl.String, "position": pl.Int32, "severity": pl.String, "label": pl.String, "label_en": pl.String},
            orient="row",
        ),
    }


def write_labels(con: duckdb.DuckDBPyConnection) -> None:
    """Replace every label table with the vocabulary's current labels."""
    for table, frame in label_frames().items():
        con.execute(f"DELETE FROM {table}")
        con.register("_labels", frame)
        con.execute(f"INSERT INTO {table} BY NAME SELECT * FROM _labels")
        con.unregister("_labels")
