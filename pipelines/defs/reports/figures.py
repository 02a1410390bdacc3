"""Figures the text of the report states, worked out from the tables (never typed by a clerk)."""

from __future__ import annotations

import re
from dataclasses import dataclass

from schemas.vocabulary import CHANNEL_BY_KEY, CHANNEL_KEYS, FEE_LABEL, OUTCOME_ROWS


def bare_label(label: str) -> str:
    """ "（三）不予公开" → "不予公开"; "（二）部分公开（区分处理的…）" → "部分公开"."""
    label = re.sub(r"^(（[一二三四五六七八九十]+）|[一二三四五六七八九十]+、|\d+\.)", "", label)
    return re.sub(r"（.*）$", "", label)


@dataclass(frozen=True)
class OutcomeGroup:
    label: str  # e.g. 不予公开
    row_keys: tuple[str, ...]


def outcome_groups() -> tuple[OutcomeGroup, ...]:
    """The six outcome groups of table A, (一) … (六), each with its rows."""
    groups: dict[str, list[str]] = {}
    for row in OUTCOME_ROWS:
        groups.setdefault(bare_label(row.group or row.short), []).append(row.key)
    return tuple(OutcomeGroup(label, tuple(keys)) for label, keys in groups.items())


def outcome_mix(tables: dict, column: str = "total") -> dict[str, int]:
    apps = tables["applications"]
    return {g.label: sum(int(apps[k][column]) for k in g.row_keys) for g in outcome_groups()}


def channel_counts(tables: dict) -> list[tuple[str, int]]:
    """(label, count) of every channel with items, in the order of CHANNELS."""
    channels = tables["channels"]
    return [(CHANNEL_BY_KEY[k].label, int(channels[k])) for k in CHANNEL_KEYS if channels.get(k)]


def proactive_sentence(tables: dict) -> str:
    total = int(tables["channels"].get("total", 0))
    parts = [f"通过{label}公开{count}条" for label, count in channel_counts(tables)]
    if total == 0 or not parts:
        return f"本年度主动公开政府信息{total}条。"
    return f"本年度主动公开政府信息{total}条，其中" + "，".join(parts) + "。"


def application_sentence(tables: dict) -> str:
    apps = tables["applications"]
    received, carried, closed, pending = (int(apps[k]["total"]) for k in ("1", "2", "3.7", "4"))
    if received == carried == closed == pending == 0:
        return "本年度未收到政府信息公开申请，无上年结转的申请。"
    mix = "、".join(f"{label}{n}件" for label, n in outcome_mix(tables).items() if n)
    text = f"本年度新收政府信息公开申请{received}件，上年结转{carried}件；办结{closed}件"
    text += f"（{mix}）" if mix else ""
    return text + f"；结转下年度继续办理{pending}件。"


def format_yuan(amount: float) -> str:
    return f"{amount:,.2f}".rstrip("0").rstrip(".") if amount % 1 else f"{int(amount):,}"


def fee_sentence(fees_collected_yuan: float) -> str:
    if not fees_collected_yuan:
        return f"本年度未收取{FEE_LABEL}。"
    return f"本年度共收取{FEE_LABEL}{format_yuan(fees_collected_yuan)}元。"
