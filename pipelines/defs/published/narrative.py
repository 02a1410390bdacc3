"""Figures stated in the report's text: items published per channel (S1) and applications received.

"主动公开政府信息379条。其中，通过政府信息公开专栏主动公开政府信息11条，通过微信公众号
主动公开政府信息368条" gives a stated total and two channels; "收到…申请17件" or
"未接到…申请" (0) is compared with table A row 1.
"""

import re
from dataclasses import dataclass, field

from pipelines.defs.published.findings import Finding, reading
from pipelines.defs.published.text import Document, nfkc
from schemas import vocabulary as v

_UNIT = r"(?:条|篇|则|期)"
_CHANNEL = re.compile(
    r"(?:通过|在|于|利用|依托|经)(?P<name>[^，,。；;]{1,30}?)(?:主动|累计|共|共计)?(?:公开|发布|推送|更新)"
    rf"(?:各类|政府|政务)?(?:信息|消息|文章)?(?:共计|共|累计)?(?P<n>\d+){_UNIT}"
)
_TOTAL = re.compile(rf"主动公开(?:各类|政府|政务)?信息(?:共计|共|总数|合计|累计|总计)?(?P<n>\d+){_UNIT}")
_NONE_RECEIVED = re.compile(r"(?:未|没有)(?:收到|接到|受理|收到过|接收)[^。；;，,]{0,25}?申请")
_RECEIVED = re.compile(r"(?P<verb>新收|收到|受理|接收|接到)(?P<mid>[^。；;，,\d]{0,25}?)(?P<n>\d+)(?:件|个|份|条)(?P<after>[^。；;，,]{0,15})")


@dataclass
class Narrative:
    channels: dict[str, int] = field(default_factory=dict)
    stated_total: int | None = None
    applications_stated: list[tuple[int, bool, str]] = field(default_factory=list)  # (count, new only, sentence)
    findings: list[Finding] = field(default_factory=list)


def channel_key(name: str) -> str | None:
    f = v.fold(name)
    if f in v.CHANNEL_ALIASES:
        return v.CHANNEL_ALIASES[f]
    hits = [(len(alias), key) for alias, key in v.CHANNEL_ALIASES.items() if len(alias) >= 2 and alias in f and key != "other"]
    return max(hits)[1] if hits else None


def _sentences(lines: list[str]) -> list[str]:
    # lines are joined without a break: a PDF text layer wraps one sentence over several lines
    text = nfkc("".join(line.strip() for line in lines))
    return [s.strip() for s in re.split(r"[。;；]", text) if s.strip()]


def read_narrative(doc: Document, secs: dict[str, int]) -> Narrative:
    out = Narrative()
    proactive_at = secs.get("proactive", len(doc.tokens))
    appeals_at = secs.get("appeals", len(doc.tokens))
    overview = [t.text for i, t in enumerate(doc.tokens) if not t.cell and i < proactive_at]
    before_appeals = [t.text for i, t in enumerate(doc.tokens) if not t.cell and i < appeals_at]
    for sentence in _sentences(overview):
        for clause in re.split(r"[，,]", sentence):
            m = _CHANNEL.search(clause)
            if m:
                key = channel_key(m.group("name"))
                if key is None:
                    key = "other"
                    out.findings.append(reading("channel_unknown", "text", None, "other", {"name": m.group("name")}, "", "", name=m.group("name")))
                if key not in out.channels:  # the first statement per channel
                    out.channels[key] = int(m.group("n"))
                continue
            m = _TOTAL.search(clause)
            if m and out.stated_total is None:
                out.stated_total = int(m.group("n"))
    for sentence in _sentences(before_appeals):
        if "复议" in sentence or "诉讼" in sentence:
            continue
        if _NONE_RECEIVED.search(sentence):
            out.applications_stated.append((0, True, sentence))
            continue
        for m in _RECEIVED.finditer(sentence):
            if "申请" not in m.group("mid") + m.group("after") or "结转" in m.group("mid"):
                continue
            new_only = m.group("verb") == "新收" or "新" in m.group("mid")
            out.applications_stated.append((int(m.group("n")), new_only, sentence))
            break
    return out


def narrative_findings(nar: Narrative, applications: dict[tuple[str, str], float | None]) -> tuple[list[Finding], str | None]:
    """S1 and narrative-vs-table findings, and the S1 status ("pass"/"fail"/None when not applicable)."""
    found: list[Finding] = []
    s1 = None
    if nar.channels and nar.stated_total is not None:
        total = sum(nar.channels.values())
        s1 = "pass" if total == nar.stated_total else "fail"
        if s1 == "fail":
            parts_zh = "+".join(f"{v.CHANNEL_BY_KEY[k].label}({n})" for k, n in nar.channels.items())
            parts_en = " + ".join(f"{k} {n}" for k, n in nar.channels.items())
            found.append(
                Finding(
                    "S1",
                    "error",
                    "text",
                    None,
                    "total",
                    {"channels": dict(nar.channels), "sum": total, "stated_total": nar.stated_total},
                    f"总体情况：各渠道之和 {parts_zh}={total} ≠ 主动公开总数 {nar.stated_total} / "
                    f"overview: channels {parts_en} = {total} ≠ stated total {nar.stated_total}",
                )
            )
    row1 = applications.get(("1", "total"))
    row2 = applications.get(("2", "total"))
    for count, new_only, sentence in nar.applications_stated[:1]:
        if row1 is None:
            break
        ok = count == row1 or (not new_only and row2 is not None and count == row1 + row2)
        if not ok:
            f = reading(
                "narrative_mismatch",
                "text",
                "1",
                "total",
                {"stated": count, "table": int(row1)},
                "",
                "",
                what="本年新收申请数",
                what_en="applications received",
                stated=count,
                tbl="A",
                table_value=int(row1),
            )
            f.message = f"“{sentence[:60]}”：{f.message}"
            found.append(f)
    return found, s1
