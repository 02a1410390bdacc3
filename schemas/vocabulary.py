"""The vocabulary of the national format (国办公开办函〔2021〕30号) and of the ledgers.

This module is the one place that holds row and column keys, official labels and
the aliases clerks type. Every stage (readers, validation, tables, warehouse,
reports, the published-report reader) imports from here; nothing else may keep
its own copy of a label list.

Keys are gongkai's public contract (docs/national-format.md).
"""

import re
import unicodedata
from dataclasses import dataclass

import polars as pl

# --------------------------------------------------------------------------- text

# What matching ignores after NFKC: white space, quotes and the punctuation clerks vary.
# \x1c-\x1f: Python's \s has them, Rust's (Polars) does not; listing them keeps `fold` and `fold_expr` equal.
FOLD_DROP = re.compile(r"[\s\x1c-\x1f\"'“”‘’「」『』《》,，:：;；]")


def fold(text: str) -> str:
    """Fold a label or value the way matching needs it.

    NFKC turns full-width letters, digits and brackets into ASCII; spaces,
    quotes and the punctuation clerks vary are dropped.
    """
    # NFKC again at the end: dropping a space can leave a combining mark that composes with its neighbour.
    return unicodedata.normalize("NFKC", FOLD_DROP.sub("", unicodedata.normalize("NFKC", str(text))).lower())


def fold_expr(expr: pl.Expr) -> pl.Expr:
    """`fold` for a Polars string column, vectorized."""
    return expr.str.normalize("NFKC").str.replace_all(FOLD_DROP.pattern, "").str.to_lowercase().str.normalize("NFKC")


# ------------------------------------------------------------------- table P


@dataclass(frozen=True)
class Metric:
    key: str
    label: str


@dataclass(frozen=True)
class ProactiveItem:
    key: str
    label: str
    article: str  # 第二十条第（x）项
    category: str  # ledger category value that feeds it
    metrics: tuple[Metric, ...]


ISSUED = Metric("issued", "本年制发件数")
REPEALED = Metric("repealed", "本年废止件数")
IN_FORCE = Metric("in_force", "现行有效件数")
DECISIONS = Metric("decisions", "本年处理决定数量")
AMOUNT = Metric("amount_wan_yuan", "本年收费金额（单位：万元）")

PROACTIVE_ITEMS: tuple[ProactiveItem, ...] = (
    ProactiveItem("regulation", "规章", "（一）", "规章", (ISSUED, REPEALED, IN_FORCE)),
    ProactiveItem("normative_document", "行政规范性文件", "（一）", "行政规范性文件", (ISSUED, REPEALED, IN_FORCE)),
    ProactiveItem("license", "行政许可", "（五）", "行政许可", (DECISIONS,)),
    ProactiveItem("penalty", "行政处罚", "（六）", "行政处罚", (DECISIONS,)),
    ProactiveItem("enforcement", "行政强制", "（六）", "行政强制", (DECISIONS,)),
    ProactiveItem("admin_fee", "行政事业性收费", "（八）", "行政事业性收费", (AMOUNT,)),
)
PROACTIVE_BY_KEY = {i.key: i for i in PROACTIVE_ITEMS}
# (item, metric) pairs in form order: the grain of fact_proactive.
PROACTIVE_CELLS: tuple[tuple[str, str], ...] = tuple((i.key, m.key) for i in PROACTIVE_ITEMS for m in i.metrics)
DOCUMENT_ITEMS = ("regulation", "normative_document")
DECISION_ITEMS = ("license", "penalty", "enforcement")

# Ledger categories (信息类别) → item key; "other" feeds no table-P cell.
CATEGORY_ALIASES: dict[str, str] = {
    **{i.category: i.key for i in PROACTIVE_ITEMS},
    "规范性文件": "normative_document",
    "其他": "other",
    "其它": "other",
}

# Document actions (文件动作).
DOC_ACTION_ALIASES: dict[str, str] = {
    "制发": "issue",
    "新制发": "issue",
    "印发": "issue",
    "发布": "issue",
    "修改": "amend",
    "修订": "amend",
    "修正": "amend",
    "废止": "repeal",
    "废除": "repeal",
}
DOC_ACTION_LABELS = {"issue": "制发", "amend": "修改", "repeal": "废止"}

# ------------------------------------------------------------------ channels


@dataclass(frozen=True)
class Channel:
    key: str
    label: str
    aliases: tuple[str, ...] = ()


CHANNELS: tuple[Channel, ...] = (
    Channel("portal_column", "政府信息公开专栏", ("信息公开专栏", "公开专栏", "政务公开专栏")),
    Channel("website", "政府网站", ("门户网站", "政府门户网站", "网站")),
    Channel("gazette", "政府公报", ("公报",)),
    Channel("wechat", "微信公众号", ("微信", "政务微信", "政务新媒体微信")),
    Channel("weibo", "政务微博", ("微博",)),
    Channel("press_conference", "新闻发布会", ("发布会",)),
    Channel("print_broadcast", "报刊广播电视", ("报刊", "广播电视", "报纸")),
    Channel("reading_room", "公开查阅点", ("查阅点", "政府信息查阅点")),
    Channel("other", "其他", ("其它",)),
)
CHANNEL_BY_KEY = {c.key: c for c in CHANNELS}
CHANNEL_KEYS = tuple(c.key for c in CHANNELS)

# ------------------------------------------------------------------- table A


@dataclass(frozen=True)
class ApplicantColumn:
    key: str
    label: str
    aliases: tuple[str, ...] = ()  # ledger values of 申请人类型


APPLICANT_COLUMNS: tuple[ApplicantColumn, ...] = (
    ApplicantColumn("natural_person", "自然人", ("个人", "公民")),
    ApplicantColumn("commercial", "商业企业", ("企业",)),
    ApplicantColumn("research", "科研机构", ()),
    ApplicantColumn("social_welfare", "社会公益组织", ("公益组织",)),
    ApplicantColumn("legal_service", "法律服务机构", ("律师事务所",)),
    ApplicantColumn("other_org", "其他", ("其它", "其他组织", "其他(法人或其他组织)", "法人或其他组织-其他", "法人或其他组织")),
)
APPLICANT_KEYS = tuple(c.key for c in APPLICANT_COLUMNS)
# Columns of table A in form order; `total` is derived (A3).
APPLICATION_COLUMN_KEYS = APPLICANT_KEYS + ("total",)
APPLICATION_COLUMN_LABELS = {c.key: c.label for c in APPLICANT_COLUMNS} | {"total": "总计"}
ORG_GROUP_LABEL = "法人或其他组织"
APPLICANT_GROUP_LABEL = "申请人情况"


@dataclass(frozen=True)
class ApplicationRow:
    key: str
    label: str  # the full official label, as printed in the form
    short: str  # the cell text of the row's own level
    group: str = ""  # the (一)…(七) heading the row sits under, if any
    outcome: bool = False  # one of the mutually exclusive outcomes 3.1–3.6.3
    aliases: tuple[str, ...] = ()  # what clerks type in 处理结果, and pre-2019 labels


APPLICATION_ROWS: tuple[ApplicationRow, ...] = (
    ApplicationRow("1", "一、本年新收政府信息公开申请数量", "一、本年新收政府信息公开申请数量"),
    ApplicationRow("2", "二、上年结转政府信息公开申请数量", "二、上年结转政府信息公开申请数量", "", False, ("上年转结政府信息公开申请数量",)),
    ApplicationRow("3.1", "三、本年度办理结果（一）予以公开", "（一）予以公开", "", True, ("予以公开", "公开", "同意公开", "属于已主动公开范围")),
    ApplicationRow(
        "3.2",
        "（二）部分公开（区分处理的，只计这一情形，不计其他情形）",
        "（二）部分公开（区分处理的，只计这一情形，不计其他情形）",
        "",
        True,
        ("部分公开", "同意部分公开", "区分处理"),
    ),
    ApplicationRow("3.3.1", "（三）不予公开 1.属于国家秘密", "1.属于国家秘密", "（三）不予公开", True, ("国家秘密", "涉及国家秘密")),
    ApplicationRow("3.3.2", "2.其他法律行政法规禁止公开", "2.其他法律行政法规禁止公开", "（三）不予公开", True, ("法律行政法规禁止公开",)),
    ApplicationRow("3.3.3", "3.危及“三安全一稳定”", "3.危及“三安全一稳定”", "（三）不予公开", True, ("三安全一稳定",)),
    ApplicationRow(
        "3.3.4",
        "4.保护第三方合法权益",
        "4.保护第三方合法权益",
        "（三）不予公开",
        True,
        ("第三方合法权益", "涉及商业秘密", "涉及个人隐私"),
    ),
    ApplicationRow(
        "3.3.5", "5.属于三类内部事务信息", "5.属于三类内部事务信息", "（三）不予公开", True, ("三类内部事务信息", "内部事务信息", "属于三类内部事业信息")
    ),
    ApplicationRow("3.3.6", "6.属于四类过程性信息", "6.属于四类过程性信息", "（三）不予公开", True, ("四类过程性信息", "过程性信息")),
    ApplicationRow("3.3.7", "7.属于行政执法案卷", "7.属于行政执法案卷", "（三）不予公开", True, ("行政执法案卷",)),
    ApplicationRow("3.3.8", "8.属于行政查询事项", "8.属于行政查询事项", "（三）不予公开", True, ("行政查询事项",)),
    ApplicationRow(
        "3.4.1",
        "（四）无法提供 1.本机关不掌握相关政府信息",
        "1.本机关不掌握相关政府信息",
        "（四）无法提供",
        True,
        ("不掌握相关政府信息", "本机关不掌握", "信息不存在", "申请信息不存在", "非本机关政府信息", "不属于本行政机关公开"),
    ),
    ApplicationRow("3.4.2", "2.没有现成信息需要另行制作", "2.没有现成信息需要另行制作", "（四）无法提供", True, ("需要另行制作", "没有现成信息")),
    ApplicationRow("3.4.3", "3.补正后申请内容仍不明确", "3.补正后申请内容仍不明确", "（四）无法提供", True, ("补正后仍不明确",)),
    ApplicationRow("3.5.1", "（五）不予处理 1.信访举报投诉类申请", "1.信访举报投诉类申请", "（五）不予处理", True, ("信访举报投诉类申请", "信访举报投诉")),
    ApplicationRow("3.5.2", "2.重复申请", "2.重复申请", "（五）不予处理", True),
    ApplicationRow("3.5.3", "3.要求提供公开出版物", "3.要求提供公开出版物", "（五）不予处理", True, ("公开出版物",)),
    ApplicationRow("3.5.4", "4.无正当理由大量反复申请", "4.无正当理由大量反复申请", "（五）不予处理", True, ("大量反复申请",)),
    ApplicationRow(
        "3.5.5",
        "5.要求行政机关确认或重新出具已获取信息",
        "5.要求行政机关确认或重新出具已获取信息",
        "（五）不予处理",
        True,
        ("确认或重新出具已获取信息",),
    ),
    ApplicationRow(
        "3.6.1",
        "（六）其他处理 1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请",
        "1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请",
        "（六）其他处理",
        True,
        ("逾期不补正",),
    ),
    ApplicationRow(
        "3.6.2",
        "2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请",
        "2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请",
        "（六）其他处理",
        True,
        ("逾期未缴费", "逾期未缴纳费用", "逾期未按收费通知要求缴纳费用"),
    ),
    ApplicationRow("3.6.3", "3.其他", "3.其他", "（六）其他处理", True, ("其他处理", "其他", "其它")),
    ApplicationRow("3.7", "（七）总计", "（七）总计"),
    ApplicationRow("4", "四、结转下年度继续办理", "四、结转下年度继续办理", "", False, ("转结下年度继续办理",)),
)
APPLICATION_ROW_KEYS = tuple(r.key for r in APPLICATION_ROWS)
APPLICATION_ROW_BY_KEY = {r.key: r for r in APPLICATION_ROWS}
OUTCOME_ROWS = tuple(r for r in APPLICATION_ROWS if r.outcome)
OUTCOME_KEYS = tuple(r.key for r in OUTCOME_ROWS)
RESULTS_HEADING = "三、本年度办理结果"

# ------------------------------------------------------------------- table R


@dataclass(frozen=True)
class AppealGroup:
    key: str
    label: str
    parent: str  # 行政复议 or 行政诉讼
    aliases: tuple[str, ...] = ()  # ledger values of 案件类型

    @property
    def full_label(self) -> str:
        """The group as one label, as the ledger contract spells 案件类型: 行政复议, 行政诉讼（未经复议直接起诉）."""
        return self.label if self.parent == self.label else f"{self.parent}（{self.label}）"


APPEAL_GROUPS: tuple[AppealGroup, ...] = (
    AppealGroup("review", "行政复议", "行政复议", ("复议",)),
    AppealGroup(
        "litigation_direct",
        "未经复议直接起诉",
        "行政诉讼",
        ("行政诉讼(未经复议直接起诉)", "行政诉讼-未经复议直接起诉", "直接起诉", "行政诉讼"),
    ),
    AppealGroup(
        "litigation_after_review",
        "复议后起诉",
        "行政诉讼",
        ("行政诉讼(复议后起诉)", "行政诉讼-复议后起诉", "复议后诉讼"),
    ),
)
APPEAL_GROUP_KEYS = tuple(g.key for g in APPEAL_GROUPS)


@dataclass(frozen=True)
class AppealResult:
    key: str
    label: str
    ledger_value: str = ""  # what the ledger's 结果 column holds
    aliases: tuple[str, ...] = ()


APPEAL_RESULTS: tuple[AppealResult, ...] = (
    AppealResult("upheld", "结果维持", "维持", ("驳回",)),
    # case systems' words, read as annual reports usually read them
    AppealResult("corrected", "结果纠正", "纠正", ("撤销", "变更", "确认违法", "责令履行")),
    AppealResult("other", "其他结果", "其他", ("其它", "撤回", "撤回申请", "终止", "调解", "和解", "和解协议")),
    AppealResult("pending", "尚未审结"),
    AppealResult("total", "总计"),
)
APPEAL_RESULT_KEYS = tuple(r.key for r in APPEAL_RESULTS)
CONCLUDED_RESULT_KEYS = ("upheld", "corrected", "other")
APPEAL_CELLS: tuple[tuple[str, str], ...] = tuple((g, r) for g in APPEAL_GROUP_KEYS for r in APPEAL_RESULT_KEYS)
LITIGATION_LABEL = "行政诉讼"

# ------------------------------------------------- sections of the report

REPORT_TITLE = "政府信息公开工作年度报告"


@dataclass(frozen=True)
class Section:
    key: str
    number: str  # 一 … 六
    title: str
    aliases: tuple[str, ...] = ()  # titles published reports use instead

    @property
    def label(self) -> str:
        return self.title

    @property
    def heading(self) -> str:
        return f"{self.number}、{self.title}"


SECTIONS: tuple[Section, ...] = (
    Section("overview", "一", "总体情况"),
    Section("proactive", "二", "主动公开政府信息情况"),
    Section("applications", "三", "收到和处理政府信息公开申请情况"),
    Section("appeals", "四", "政府信息公开行政复议、行政诉讼情况", ("政府信息公开行政复议和行政诉讼情况", "行政复议、行政诉讼情况", "行政复议和行政诉讼情况")),
    Section("problems", "五", "存在的主要问题及改进情况", ("存在的主要问题及改进措施", "存在的主要问题和改进情况", "存在的主要问题和改进措施")),
    Section("other", "六", "其他需要报告的事项"),
)
SECTION_BY_KEY = {s.key: s for s in SECTIONS}

# ---------------------------------------- the 2019 trial format (2019–2020)
# Table P of the trial format (国办公开办函〔2019〕60号) has other columns; only
# 处理决定数量 means the same as a national metric. Table A is the same except
# that （六）其他处理 is one row (no 3.6.1–3.6.3); table R is the same.


@dataclass(frozen=True)
class TrialColumn:
    label: str
    metric: str = ""  # the national metric key it equals, if any


_TRIAL_DOC_COLUMNS = (TrialColumn("本年新制作数量"), TrialColumn("本年新公开数量"), TrialColumn("对外公开总数量"))
_TRIAL_DECISION_COLUMNS = (TrialColumn("上一年项目数量"), TrialColumn("本年增/减"), TrialColumn("处理决定数量", "decisions"))
_TRIAL_FEE_COLUMNS = (TrialColumn("上一年项目数量"), TrialColumn("本年增/减"))
TRIAL_PROACTIVE_COLUMNS: dict[str, tuple[TrialColumn, ...]] = {
    "regulation": _TRIAL_DOC_COLUMNS,
    "normative_document": _TRIAL_DOC_COLUMNS,
    "license": _TRIAL_DECISION_COLUMNS,
    "penalty": _TRIAL_DECISION_COLUMNS,
    "enforcement": _TRIAL_DECISION_COLUMNS,
    "admin_fee": _TRIAL_FEE_COLUMNS,
}
# Column headings only the trial format has: one of them marks a report as trial format.
TRIAL_FORMAT_MARKERS = tuple(c.label for c in _TRIAL_DOC_COLUMNS)
# Headings only the national format has (本年新制发件数 is a common variant of 本年制发件数).
NATIONAL_FORMAT_MARKERS = (ISSUED.label, IN_FORCE.label, "本年新制发件数")

# ------------------------------------------------------ other ledger values

REQUEST_CHANNELS: dict[str, str] = {
    "online": "网上申请",
    "letter": "信函",
    "in_person": "当面",
    "fax": "传真",
    "email": "电子邮件",
    "other": "其他",
}
REQUEST_CHANNEL_ALIASES = {
    "网上": "online",
    "网络": "online",
    "邮寄": "letter",
    "当面申请": "in_person",
    "当面提交": "in_person",
    "邮件": "email",
    "其它": "other",
}

# ------------------------------------------------------ ledgers: names, layout, the submissions register

# What clerks call each ledger (the folder keys are the contract's), and the short form a register uses.
LEDGER_LABELS: dict[str, str] = {"disclosures": "主动公开台账", "applications": "依申请公开台账", "appeals": "复议诉讼台账"}
LEDGER_SHORT_LABELS: dict[str, str] = {"disclosures": "主动公开", "applications": "依申请公开", "appeals": "复议诉讼"}

# A row whose leading cell says one of these (after folding, optionally after one of the prefixes) and that has
# no record id sums the rows above it: a total row, accounted for as such, never a record.
TOTAL_ROW_LABELS = ("合计", "总计", "小计")
TOTAL_ROW_PREFIXES = ("本年", "本年度", "全年", "本月", "本季度", "本页", "累计")
# A row of column numbers under the header (1 2 3 …, 1.0 2.0 …, or 甲 乙 丙 …) belongs to the header block.
COLUMN_NUMERALS = ("甲", "乙", "丙", "丁", "戊", "己", "庚", "辛", "壬", "癸")

# The submissions register (报送登记): which ledger an entry is about, and what it says.
SUBMISSION_KIND_ALIASES: dict[str, str] = {
    **{k: k for k in LEDGER_LABELS},
    **{label: k for k, label in LEDGER_LABELS.items()},
    **{label: k for k, label in LEDGER_SHORT_LABELS.items()},
    "主动公开政府信息": "disclosures",
    "政府信息公开申请": "applications",
    "依申请公开政府信息": "applications",
    "行政复议行政诉讼": "appeals",
    "行政复议和行政诉讼": "appeals",
    "复议诉讼案件": "appeals",
}
SUBMISSION_STATUS_LABELS: dict[str, str] = {"handed_in": "已报送", "none": "本年无"}
SUBMISSION_STATUS_ALIASES: dict[str, str] = {
    "handed_in": "handed_in",
    "handed in": "handed_in",
    "已报送": "handed_in",
    "已提交": "handed_in",
    "已上报": "handed_in",
    "报送": "handed_in",
    "none": "none",
    "本年无": "none",
    "本年度无": "none",
    "当年无": "none",
    "无": "none",
    "没有": "none",
}

YES_VALUES = ("是", "y", "yes", "true", "1", "t")
NO_VALUES = ("否", "n", "no", "false", "0", "f")

# ------------------------------------------------------ consistency relations


@dataclass(frozen=True)
class Relation:
    id: str
    severity: str  # "error" or "warning"
    zh: str
    en: str


RELATIONS: tuple[Relation, ...] = (
    Relation("A1", "error", "第一项加第二项之和等于第三项加第四项之和", "row 1 + row 2 = row 3.7 + row 4, per column"),
    Relation("A2", "error", "办理结果总计等于各分项之和", "row 3.7 = sum of rows 3.1 … 3.6.3, per column"),
    Relation("A3", "error", "总计等于六类申请人之和", "total = sum of the six applicant columns, per row"),
    Relation("A4", "error", "本年“上年结转”等于上年“结转下年度”", "row 2 of Y = row 4 of Y−1, per column"),
    Relation("R1", "error", "总计等于维持、纠正、其他、尚未审结之和", "total = upheld + corrected + other + pending, per group"),
    Relation("P1", "warning", "现行有效件数 = 上年现行有效 + 本年制发 − 本年废止", "in_force(Y) = in_force(Y−1) + issued(Y) − repealed(Y)"),
    Relation("N1", "error", "各项数量为非负整数、金额非负", "every count is a whole number ≥ 0; amounts ≥ 0"),
    Relation("S1", "error", "总体情况所列各渠道数字之和等于总数", "narrative channel figures add up"),
)
RELATION_BY_ID = {r.id: r for r in RELATIONS}

# ------------------------------------------------------------ lookups


def _alias_map(pairs: list[tuple[str, str]]) -> dict[str, str]:
    out: dict[str, str] = {}
    for alias, key in pairs:
        folded = fold(alias)
        if out.get(folded, key) != key:
            raise ValueError(f"alias {alias!r} maps to both {out[folded]!r} and {key!r}")
        out[folded] = key
    return out


def _strip_numbering(label: str) -> str:
    # "（一）予以公开" / "1.属于国家秘密" / "3、其他" → the words alone
    return re.sub(r"^(\([一二三四五六七八九十\d]+\)|[一二三四五六七八九十]+、|\d+[.、])", "", fold(label))


def _outcome_pairs() -> list[tuple[str, str]]:
    pairs = []
    for row in OUTCOME_ROWS:
        pairs += [(row.key, row.key), (row.short, row.key), (_strip_numbering(row.short), row.key)]
        pairs += [(a, row.key) for a in row.aliases]
    # the full label of 3.2 carries its parenthesised note; clerks often drop it
    pairs.append(("部分公开(区分处理的,只计这一情形,不计其他情形)", "3.2"))
    return pairs


OUTCOME_ALIASES: dict[str, str] = _alias_map(_outcome_pairs())
# What a ledger template offers in its 处理结果 drop-down: each outcome row's own words, without the numbering and
# the bracketed note ("1.属于国家秘密" → "属于国家秘密", "（二）部分公开（区分处理的…）" → "部分公开").
OUTCOME_CHOICES: tuple[str, ...] = tuple(re.sub(r"^(（[一二三四五六七八九十]+）|\d+\.)", "", r.short).split("（")[0] for r in OUTCOME_ROWS)
APPLICANT_ALIASES: dict[str, str] = _alias_map([(c.label, c.key) for c in APPLICANT_COLUMNS] + [(a, c.key) for c in APPLICANT_COLUMNS for a in c.aliases])
CHANNEL_ALIASES: dict[str, str] = _alias_map(
    [(c.label, c.key) for c in CHANNELS] + [(c.key, c.key) for c in CHANNELS] + [(a, c.key) for c in CHANNELS for a in c.aliases]
)
APPEAL_GROUP_ALIASES: dict[str, str] = _alias_map(
    [(g.label, g.key) for g in APPEAL_GROUPS] + [(g.key, g.key) for g in APPEAL_GROUPS] + [(a, g.key) for g in APPEAL_GROUPS for a in g.aliases]
)
APPEAL_RESULT_ALIASES: dict[str, str] = _alias_map(
    [(r.ledger_value, r.key) for r in APPEAL_RESULTS if r.ledger_value]
    + [(r.label, r.key) for r in APPEAL_RESULTS if r.ledger_value]
    + [(a, r.key) for r in APPEAL_RESULTS for a in r.aliases]
)
FOLDED_CATEGORY_ALIASES = _alias_map(list(CATEGORY_ALIASES.items()))
FOLDED_DOC_ACTION_ALIASES = _alias_map(list(DOC_ACTION_ALIASES.items()))
FOLDED_REQUEST_CHANNEL_ALIASES = _alias_map(
    [(v, k) for k, v in REQUEST_CHANNELS.items()] + list(REQUEST_CHANNEL_ALIASES.items()) + [(k, k) for k in REQUEST_CHANNELS]
)
FOLDED_SUBMISSION_KIND_ALIASES = _alias_map(list(SUBMISSION_KIND_ALIASES.items()))
FOLDED_SUBMISSION_STATUS_ALIASES = _alias_map(list(SUBMISSION_STATUS_ALIASES.items()))
FOLDED_TOTAL_ROW_LABELS = tuple(fold(p + label) for p in ("", *TOTAL_ROW_PREFIXES) for label in TOTAL_ROW_LABELS)

# ------------------------------------------------ the report document (reports stage)
# Fixed wording of the published report and its forms (section titles are SECTIONS above)
# (国办公开办函〔2021〕30号), used by pipelines/defs/reports.


ARTICLE_20_BLOCK = "第二十条第{article}项"  # heading of each block of table P
PROACTIVE_CONTENT_LABEL = "信息内容"
A1_NOTE = "（本列数据的勾稽关系为：" + RELATION_BY_ID["A1"].zh + "）"  # top-left cell of table A
FEE_LABEL = "信息处理费"

# ------------------------------------------------ English labels (warehouse label tables, exports)
# One English label per key, by dimension; the warehouse's label_* tables and the exports are generated from
# these and the Chinese labels above (pipelines/defs/warehouse/labels.py).

ENGLISH_LABELS: dict[str, dict[str, str]] = {
    "proactive_item": {
        "regulation": "Regulations",
        "normative_document": "Administrative normative documents",
        "license": "Administrative licensing",
        "penalty": "Administrative penalties",
        "enforcement": "Administrative coercion",
        "admin_fee": "Administrative fees",
    },
    "proactive_metric": {
        "issued": "Issued this year",
        "repealed": "Repealed this year",
        "in_force": "In force",
        "decisions": "Decisions this year",
        "amount_wan_yuan": "Amount collected this year (10,000 yuan)",
    },
    "application_row": {
        "1": "New applications received this year",
        "2": "Applications carried over from last year",
        "3.1": "Disclosed",
        "3.2": "Partly disclosed",
        "3.3.1": "Not disclosed: state secret",
        "3.3.2": "Not disclosed: prohibited by other laws and administrative regulations",
        "3.3.3": "Not disclosed: would endanger national, public, economic security or social stability",
        "3.3.4": "Not disclosed: protection of third parties' lawful rights",
        "3.3.5": "Not disclosed: internal affairs information",
        "3.3.6": "Not disclosed: process information",
        "3.3.7": "Not disclosed: administrative enforcement case files",
        "3.3.8": "Not disclosed: administrative inquiry matters",
        "3.4.1": "Cannot be provided: the agency does not hold the information",
        "3.4.2": "Cannot be provided: no existing information, it would have to be produced",
        "3.4.3": "Cannot be provided: the request is still unclear after correction",
        "3.5.1": "Not processed: petitions, reports and complaints",
        "3.5.2": "Not processed: repeated application",
        "3.5.3": "Not processed: asks for public publications",
        "3.5.4": "Not processed: many repeated applications without good reason",
        "3.5.5": "Not processed: asks to confirm or reissue information already obtained",
        "3.6.1": "Other handling: not corrected in time, no longer processed",
        "3.6.2": "Other handling: fees not paid in time, no longer processed",
        "3.6.3": "Other handling: other",
        "3.7": "Total handled this year",
        "4": "Carried over to next year",
    },
    "application_column": {
        "natural_person": "Natural persons",
        "commercial": "Commercial enterprises",
        "research": "Research institutions",
        "social_welfare": "Public-interest organisations",
        "legal_service": "Legal service organisations",
        "other_org": "Other legal persons or organisations",
        "total": "Total",
    },
    "appeal_group": {
        "review": "Administrative review",
        "litigation_direct": "Administrative litigation without prior review",
        "litigation_after_review": "Administrative litigation after review",
    },
    "appeal_result": {
        "upheld": "Upheld",
        "corrected": "Corrected",
        "other": "Other result",
        "pending": "Pending",
        "total": "Total",
    },
    "channel": {
        "portal_column": "Government information disclosure column",
        "website": "Government website",
        "gazette": "Government gazette",
        "wechat": "WeChat official account",
        "weibo": "Government Weibo",
        "press_conference": "Press conferences",
        "print_broadcast": "Newspapers, radio and television",
        "reading_room": "Public reading rooms",
        "other": "Other",
    },
}
