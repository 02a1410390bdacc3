"""The ledger contract (docs/ledger-contract.md): which columns each kind has.

Header aliases live here and only here; readers match a file's headers against
them after `header_key` folding.
"""

import re
import unicodedata
from dataclasses import dataclass

from schemas import vocabulary as v


@dataclass(frozen=True)
class Column:
    key: str
    aliases: tuple[str, ...]
    type: str  # text | date | int | decimal | bool | year | code (an enum folded through vocabulary)
    values: dict[str, str] | None = None  # for "code" columns: folded alias → key (from vocabulary)
    allowed: str = ""  # for "code" columns: what a clerk may write, shown in messages
    required: bool = False  # the file must have this column (its values may still be checked per row)
    personal: bool = False  # personal data: dropped at ingestion
    choices: tuple[str, ...] = ()  # "code" and "bool" columns: the values a ledger template offers in a drop-down


@dataclass(frozen=True)
class Kind:
    key: str
    label: str  # what a clerk calls the ledger
    id_column: str  # the record id, unique within an agency
    date_column: str | None  # the date that places a record in a year
    columns: tuple[Column, ...]
    key_columns: tuple[str, ...] = ()  # what identifies a record within an agency, when more than `id_column`

    @property
    def keys(self) -> tuple[str, ...]:
        return tuple(c.key for c in self.columns)

    @property
    def record_key(self) -> tuple[str, ...]:
        """The columns that identify a record within an agency (a later export of the same key replaces it)."""
        return self.key_columns or (self.id_column,)

    def column(self, key: str) -> Column:
        return next(c for c in self.columns if c.key == key)


AGENCIES = Kind(
    "agencies",
    "机构名录",
    "agency_code",
    None,
    (
        Column("agency_code", ("统一社会信用代码", "机构代码"), "text", required=True),
        Column("agency_name", ("机构名称", "单位名称"), "text", required=True),
        Column("division_code", ("行政区划代码", "区划代码"), "text"),
        Column("county", ("县区", "所属县（市、区）"), "text"),
        Column("city", ("地市", "所属市"), "text"),
        Column("province", ("省份", "所属省"), "text"),
        Column("level", ("层级",), "text"),
    ),
)

# What a clerk may write in each enumerated column (the drop-downs of a ledger template; also the messages).
_CHANNELS = tuple(c.label for c in v.CHANNELS)
_CATEGORIES = tuple(i.label for i in v.PROACTIVE_ITEMS) + ("其他",)
_DOC_ACTIONS = tuple(v.DOC_ACTION_LABELS.values())
_APPLICANT_TYPES = tuple(c.label for c in v.APPLICANT_COLUMNS)
_REQUEST_CHANNELS = tuple(v.REQUEST_CHANNELS.values())
_PROCEEDINGS = tuple(g.full_label for g in v.APPEAL_GROUPS)
_APPEAL_RESULTS = tuple(r.ledger_value for r in v.APPEAL_RESULTS if r.ledger_value)
_YES_NO = ("是", "否")

DISCLOSURES = Kind(
    "disclosures",
    v.LEDGER_LABELS["disclosures"],
    "item_id",
    "published_on",
    (
        Column("item_id", ("索引号",), "text", required=True),
        Column("agency_code", ("统一社会信用代码", "发布机构代码"), "text", required=True),
        Column("title", ("标题", "信息名称"), "text", required=True),
        Column("published_on", ("发布日期", "发文日期"), "date", required=True),
        Column("channel", ("发布渠道", "公开渠道"), "code", v.CHANNEL_ALIASES, "、".join(_CHANNELS), required=True, choices=_CHANNELS),
        Column("category", ("信息类别", "类别"), "code", v.FOLDED_CATEGORY_ALIASES, "、".join(_CATEGORIES), required=True, choices=_CATEGORIES),
        Column("doc_number", ("文号",), "text"),
        Column("doc_action", ("文件动作", "制发/废止"), "code", v.FOLDED_DOC_ACTION_ALIASES, "、".join(_DOC_ACTIONS), choices=_DOC_ACTIONS),
        Column("amount_yuan", ("金额（元）", "收费金额"), "decimal"),
    ),
)

APPLICATIONS = Kind(
    "applications",
    v.LEDGER_LABELS["applications"],
    "application_id",
    "received_on",
    (
        Column("application_id", ("申请编号", "登记号"), "text", required=True),
        Column("agency_code", ("统一社会信用代码", "受理机构代码"), "text", required=True),
        Column("received_on", ("收到申请日期", "受理日期"), "date", required=True),
        Column("applicant_type", ("申请人类型",), "code", v.APPLICANT_ALIASES, "、".join(_APPLICANT_TYPES), required=True, choices=_APPLICANT_TYPES),
        Column("applicant_name", ("申请人", "申请人姓名/名称"), "text", personal=True),
        Column("applicant_id_number", ("证件号码", "身份证号"), "text", personal=True),
        Column("applicant_phone", ("联系电话",), "text", personal=True),
        Column("applicant_address", ("通讯地址",), "text", personal=True),
        Column("request_channel", ("申请方式",), "code", v.FOLDED_REQUEST_CHANNEL_ALIASES, "、".join(_REQUEST_CHANNELS), choices=_REQUEST_CHANNELS),
        # free text names people (the applicant, third parties) and addresses no pattern can find: not kept
        Column("request_summary", ("申请内容",), "text", personal=True),
        Column("correction_requested_on", ("补正告知日期",), "date"),
        Column("correction_received_on", ("补正完成日期",), "date"),
        Column("third_party_days", ("征求第三方意见天数",), "int"),
        Column("extended", ("是否延期",), "bool", choices=_YES_NO),
        Column("closed_on", ("答复日期", "办结日期"), "date", required=True),
        Column(
            "outcome",
            ("处理结果", "答复类型"),
            "code",
            v.OUTCOME_ALIASES,
            "表A第三项各情形，如" + "、".join(r.aliases[0] for r in v.OUTCOME_ROWS[:3]) + "……",
            required=True,
            choices=v.OUTCOME_CHOICES,
        ),
        Column("fee_yuan", ("信息处理费（元）", "信息处理费"), "decimal"),
    ),
)

APPEALS = Kind(
    "appeals",
    v.LEDGER_LABELS["appeals"],
    "case_id",
    "filed_on",
    (
        Column("case_id", ("案号", "案件编号"), "text", required=True),
        Column("agency_code", ("统一社会信用代码", "被申请人/被告机构代码"), "text", required=True),
        Column("application_id", ("申请编号",), "text"),
        Column(
            "proceeding",
            ("案件类型",),
            "code",
            v.APPEAL_GROUP_ALIASES,
            "、".join(_PROCEEDINGS),
            required=True,
            choices=_PROCEEDINGS,
        ),
        Column("filed_on", ("立案日期", "受理日期"), "date", required=True),
        Column("concluded_on", ("审结日期",), "date", required=True),
        Column("result", ("结果",), "code", v.APPEAL_RESULT_ALIASES, "、".join(_APPEAL_RESULTS), required=True, choices=_APPEAL_RESULTS),
    ),
)

# The submissions register (报送登记): per agency, year and ledger, whether it was handed in or there was
# nothing of that kind (本年无). An entry is identified by (year, kind) within its agency.
SUBMISSIONS = Kind(
    "submissions",
    "报送登记",
    "year",
    None,
    (
        Column("agency_code", ("统一社会信用代码", "机构代码"), "text", required=True),
        Column("year", ("年度", "报告年度"), "year", required=True),
        Column("kind", ("台账类型", "台账"), "code", v.FOLDED_SUBMISSION_KIND_ALIASES, "、".join(v.LEDGER_SHORT_LABELS.values()), required=True),
        Column("status", ("报送情况", "报送状态"), "code", v.FOLDED_SUBMISSION_STATUS_ALIASES, "、".join(v.SUBMISSION_STATUS_LABELS.values()), required=True),
    ),
    key_columns=("year", "kind"),
)

KINDS: dict[str, Kind] = {k.key: k for k in (AGENCIES, DISCLOSURES, APPLICATIONS, APPEALS, SUBMISSIONS)}
LEDGER_KINDS = ("disclosures", "applications", "appeals")
REGISTERS = ("agencies", "submissions")  # the files at the raw root, read whole on every run


def required_keys(kind: Kind) -> tuple[str, ...]:
    return tuple(c.key for c in kind.columns if c.required)


PERSONAL_COLUMNS = tuple(c.key for c in APPLICATIONS.columns if c.personal)


def header_key(header: object) -> str:
    """Fold a header cell for matching: NFKC (full-width → ASCII), no spaces or control characters,
    English lower-cased, and trailing bracketed notes such as "（必填）" or a unit dropped."""
    text = unicodedata.normalize("NFKC", "" if header is None else str(header)).strip().lower()
    text = re.sub(r"[\s\x00-\x1f\x7f]+", "", text)  # control characters too: invisible in a cell
    while True:
        stripped = re.sub(r"(\([^()]*\)|\[[^\[\]]*\]|【[^【】]*】)$", "", text)
        if stripped == text or not stripped:
            return unicodedata.normalize("NFKC", text)
        text = stripped


def header_map(kind: Kind) -> dict[str, str]:
    """Folded header → column key, for one kind (English keys and Chinese aliases)."""
    out: dict[str, str] = {}
    for col in kind.columns:
        for name in (col.key, *col.aliases):
            folded = header_key(name)
            if out.get(folded, col.key) != col.key:
                raise ValueError(f"{kind.key}: header {name!r} is claimed by {out[folded]} and {col.key}")
            out[folded] = col.key
    return out
