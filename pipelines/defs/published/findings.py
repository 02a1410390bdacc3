"""What the checker found in a published report: one `Finding` per problem.

`id` is a relation of national-format.md (A1 A2 A3 R1 N1 S1) or one of the
reading ids below. `row` and `column` are the keys of `gongkai tables`
(row key / group key / item key, column key / result key / metric key).
"""

from dataclasses import asdict, dataclass, field

import polars as pl

from schemas import vocabulary as v

# Reading ids: what the reader met while taking the tables apart.
READING_IDS: dict[str, tuple[str, str, str]] = {
    # id: (severity, zh, en)
    "cell_blank": ("warning", "单元格为空", "the cell is blank"),
    "cell_placeholder": ("warning", "单元格填写“{text}”而非数字", "the cell holds {text!r} instead of a number"),
    "cell_unreadable": ("warning", "单元格“{text}”不是数字", "the cell {text!r} is not a number"),
    "row_missing": ("warning", "未找到该行", "row not found"),
    "row_incomplete": (
        "warning",
        "该行只读到{found}个数（应为{expected}个），无法确定各数所在列",
        "{found} values read for {expected} columns; cannot tell which column each belongs to",
    ),
    "row_extra_cells": (
        "warning",
        "该行读到{found}个数（应为{expected}个），多出的未采用",
        "{found} values read for {expected} columns; the extra ones are ignored",
    ),
    "row_aggregated": ("warning", "“{label}”只填了合计一行，其下各分项未知", "{label!r} is given as one row; its sub-rows are unknown"),
    "table_missing": ("warning", "未找到表{tbl}", "table {tbl} not found"),
    "trial_format": (
        "warning",
        "本报告采用2019年试行格式，表P各列与2021年格式不同，仅“处理决定数量”可对应",
        "the report uses the 2019 trial format: table P has other columns; only decisions map",
    ),
    "channel_unknown": ("warning", "无法识别的公开渠道“{name}”，计入“其他”", "unknown channel {name!r}, counted as other"),
    "narrative_mismatch": ("error", "正文所述{what}为{stated}，表{tbl}为{table_value}", "the text states {what_en} = {stated}, table {tbl} says {table_value}"),
}


@dataclass
class Finding:
    id: str
    severity: str  # "error" or "warning"
    table: str  # "P", "A", "R" or "text"
    row: str | None
    column: str | None
    values: dict = field(default_factory=dict)
    message: str = ""

    def as_dict(self) -> dict:
        return asdict(self)


def reading(
    id_: str, table: str, row: str | None = None, column: str | None = None, values: dict | None = None, where_zh: str = "", where_en: str = "", **fmt
) -> Finding:
    severity, zh, en = READING_IDS[id_]
    zh, en = zh.format(**fmt), en.format(**fmt)
    message = f"{where_zh}{'：' if where_zh else ''}{zh} / {where_en}{': ' if where_en else ''}{en}"
    return Finding(id_, severity, table, row, column, values or {}, message)


def number(x):
    """A JSON number as a reader writes it: 4 rather than 4.0."""
    if x is None:
        return None
    return int(x) if float(x).is_integer() else float(x)


def from_violations(df: pl.DataFrame, rename_rows: dict[str, str] | None = None) -> list[Finding]:
    """Relation failures (relations.violations) of one report as findings."""
    rename_rows = rename_rows or {}
    out = []
    for row in df.iter_rows(named=True):
        r = rename_rows.get(row["row_key"], row["row_key"])
        out.append(
            Finding(
                row["check_id"], row["severity"], row["table"], r, row["column_key"], {"lhs": number(row["lhs"]), "rhs": number(row["rhs"])}, row["message"]
            )
        )
    return out


# Labels for the text a reviewer reads.
def cell_label(table: str, row: str | None, column: str | None) -> str:
    if table == "A":
        r = v.APPLICATION_ROW_BY_KEY.get(row or "")
        rl = f"{r.group}{r.short}" if r else (row or "")
        cl = v.APPLICATION_COLUMN_LABELS.get(column or "", column or "")
        return f"表A「{rl}」{cl}" if column else f"表A「{rl}」"
    if table == "R":
        g = next((g for g in v.APPEAL_GROUPS if g.key == row), None)
        gl = g.full_label if g else (row or "")
        rl = next((r.label for r in v.APPEAL_RESULTS if r.key == column), column or "")
        return f"表R {gl}·{rl}" if column else f"表R {gl}"
    if table == "P":
        item = v.PROACTIVE_BY_KEY.get(row or "")
        ml = next((m.label for m in item.metrics if m.key == column), column or "") if item else (column or "")
        return f"表P {item.label if item else row}·{ml}" if column else f"表P {item.label if item else row}"
    return "正文"
