"""Ledger rows at scale, one chunk at a time, fully vectorized.

Every random value is keyed by (agency uid, year, row serial), so a chunk's rows
are the same whatever the chunk size, and the per-agency counts (hence the row
ranges) are known before a single row is built.
"""

import datetime as dt

import polars as pl

from pipelines.defs.generate.scale.agencies import check_character_expr
from pipelines.defs.generate.scale.rand import below, choice, lognormal, uniform
from pipelines.defs.generate.scale.spec import ScaleSpec
from schemas.vocabulary import (
    APPEAL_GROUPS,
    APPEAL_RESULTS,
    APPLICANT_COLUMNS,
    APPLICATION_ROW_BY_KEY,
    CHANNEL_BY_KEY,
    DOC_ACTION_LABELS,
    PROACTIVE_BY_KEY,
    REQUEST_CHANNELS,
)

# Stream numbers: one per random quantity, so adding one never shifts another.
S_SIZE, S_YEAR, S_DOCS, S_REPEALS = 1, 2, 3, 4
S_DAY, S_CHANNEL, S_CATEGORY, S_TOPIC, S_AMOUNT, S_BAD = 10, 11, 12, 13, 14, 15
S_APP_SIZE, S_TYPE, S_PERSON, S_REQ, S_CORR, S_CORR2, S_TP, S_EXT, S_DUR, S_OUT, S_FEE = range(20, 31)
S_SUMMARY, S_CASE, S_PROC, S_FILED, S_CONCL, S_RESULT, S_ORGWORD = range(31, 38)

BAD_VALUE = "待核实"  # a value nobody can map: the row breaks value_invalid and nothing else

CATEGORY_LABELS = {key: item.category for key, item in PROACTIVE_BY_KEY.items()} | {"other": "其他"}
_TYPE_LABELS = {c.key: c.label for c in APPLICANT_COLUMNS}
_RESULT_LABELS = {r.key: r.ledger_value for r in APPEAL_RESULTS if r.ledger_value}
_PROCEEDING_LABELS = {g.key: g.full_label for g in APPEAL_GROUPS}


def _outcome_label(key: str) -> str:
    short = APPLICATION_ROW_BY_KEY[key].short
    return short.split(".", 1)[1] if "." in short[:3] else short.split("）", 1)[-1].split("（")[0]


CHANNELS_BY_CLASS = {
    "township": {"wechat": 56, "portal_column": 24, "website": 14, "print_broadcast": 3, "reading_room": 1, "other": 2},
    "department": {"portal_column": 52, "website": 33, "wechat": 12, "weibo": 2, "other": 1},
    "government": {"portal_column": 40, "website": 24, "wechat": 20, "gazette": 5, "weibo": 5, "press_conference": 3, "print_broadcast": 3},
}
CATEGORIES_BY_CLASS = {
    "township": {"other": 97.5, "penalty": 2, "license": 0.5},
    "department": {"other": 62, "license": 20, "penalty": 12, "enforcement": 3, "admin_fee": 3},
    "government": {"other": 99, "license": 1},
}
APPLICANT_TYPES = {"natural_person": 78, "commercial": 9, "research": 1, "social_welfare": 1.5, "legal_service": 5, "other_org": 5.5}
OUTCOMES = {
    "3.1": 38,
    "3.2": 10,
    "3.3.1": 0.5,
    "3.3.2": 1,
    "3.3.3": 0.5,
    "3.3.4": 3,
    "3.3.5": 2,
    "3.3.6": 3,
    "3.3.7": 1,
    "3.3.8": 2,
    "3.4.1": 18,
    "3.4.2": 4,
    "3.4.3": 1.5,
    "3.5.1": 4,
    "3.5.2": 3,
    "3.5.3": 0.5,
    "3.5.4": 0.5,
    "3.5.5": 1,
    "3.6.2": 0.5,
    "3.6.3": 3,
}
REQUEST_WEIGHTS = {"online": 62, "letter": 20, "in_person": 12, "email": 4, "fax": 1, "other": 1}
PROCEEDINGS = {"review": 70, "litigation_direct": 20, "litigation_after_review": 10}
RESULTS = {"upheld": 65, "corrected": 15, "other": 20}

TOPICS = (
    "安全生产",
    "乡村振兴",
    "人居环境整治",
    "防汛抗旱",
    "森林防火",
    "食品安全",
    "优化营商环境",
    "重点项目建设",
    "民生实事",
    "耕地保护",
    "消防安全",
    "困难群众救助",
    "文明城市创建",
    "城乡医保征缴",
    "就业创业",
    "义务教育",
    "养老服务",
    "生态环境保护",
)
TEMPLATES = (("关于开展", "工作的通知"), ("召开", "工作会议"), ("扎实推进", "工作"), ("", "工作动态"), ("关于", "的公示"), ("", "实施方案"))
SUMMARIES = (
    "申请公开土地征收批复文件",
    "申请公开征地补偿安置方案",
    "申请公开低保审批材料",
    "申请公开建设工程规划许可证",
    "申请公开行政处罚决定书",
    "申请公开财政预算执行情况",
    "申请公开房屋征收补偿协议",
    "申请公开项目环评批复",
)
SURNAMES = tuple("王李张刘陈杨赵黄周吴孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾田董潘袁蔡蒋于")
GIVEN = tuple("建国华明丽红军伟芳娜敏静磊强洋勇艳杰涛超秀英霞平刚桂兰玉梅志文海燕晓东春雪")
ORG_WORDS = ("恒信", "宏达", "鑫源", "华泰", "永盛", "金石", "鸿运", "瑞丰", "同心", "德润", "启明", "博远")
ORG_SUFFIX = {"commercial": "有限公司", "research": "研究院", "social_welfare": "公益服务中心", "legal_service": "律师事务所", "other_org": "专业合作社"}
_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_ID_CHECK = "10X98765432"


def _class() -> pl.Expr:
    level = pl.col("level")
    return (
        pl.when(level == "township").then(pl.lit("township")).when(level.str.ends_with("government")).then(pl.lit("government")).otherwise(pl.lit("department"))
    )


def _by_class(u: pl.Expr, table: dict[str, dict[str, float]], labels: dict[str, str] | None = None) -> pl.Expr:
    expr = None
    for cls, weights in table.items():
        picked = choice(u, weights)
        if labels:
            picked = picked.replace_strict(labels, return_dtype=pl.String)
        expr = (pl.when(pl.col("_class") == cls) if expr is None else expr.when(pl.col("_class") == cls)).then(picked)
    return expr.otherwise(None)  # type: ignore[union-attr]


def _agency_year_key(year: int) -> pl.Expr:
    return pl.col("uid") * (1 << 32) + pl.lit(year - 2000, dtype=pl.UInt64) * (1 << 24)


def counts(agencies: pl.DataFrame, year: int, years: tuple[int, ...], spec: ScaleSpec, seed: int) -> pl.DataFrame:
    """Per agency: items (plain, normative issues, repeals) and applications in `year`."""
    size = lognormal(pl.col("uid"), seed, S_SIZE, spec.size_sigma)  # an agency is big or small every year
    year_key = _agency_year_key(year)
    trend = (1 + spec.growth) ** (year - 2021) * (0.9 + 0.2 * uniform(year_key, seed, S_YEAR))
    items_mean = pl.col("level").replace_strict(spec.items, return_dtype=pl.Float64)
    apps_mean = pl.col("level").replace_strict(spec.applications, return_dtype=pl.Float64)
    frame = agencies.with_columns(_class=_class())
    frame = frame.with_columns(
        n_plain=(items_mean * size * trend + uniform(year_key, seed, S_SIZE + 100)).floor().cast(pl.Int64),
        n_issue=_issues(year_key, seed),
        n_apps=(apps_mean * size * trend + uniform(year_key, seed, S_APP_SIZE)).floor().cast(pl.Int64),
    )
    if year - 1 in years:
        previous = _issues(_agency_year_key(year - 1), seed)
        frame = frame.with_columns(n_repeal=pl.min_horizontal(below(year_key, seed, S_REPEALS, 3), previous))
    else:
        frame = frame.with_columns(n_repeal=pl.lit(0, dtype=pl.Int64))  # nothing earlier in the ledger to repeal
    return frame.with_columns(
        n_items=pl.col("n_plain") + pl.col("n_issue") + pl.col("n_repeal"),
        _pool=pl.max_horizontal(pl.lit(50, dtype=pl.Int64), pl.col("n_apps").sum().over("group")),  # applicants per group
    )


def _issues(year_key: pl.Expr, seed: int) -> pl.Expr:
    """Normative documents issued: none by townships, 0–3 by departments, 1–5 by governments."""
    return (
        pl.when(pl.col("level") == "township")
        .then(0)
        .when(pl.col("level").str.ends_with("government"))
        .then(1 + below(year_key, seed, S_DOCS, 5))
        .otherwise(below(year_key, seed, S_DOCS, 4))
    ).cast(pl.Int64)


def _rows_of(counted: pl.DataFrame, n_column: str, start: int, stop: int) -> pl.DataFrame:
    """Rows start..stop-1 of the group, each with its agency's columns and its serial within the agency."""
    starts = counted[n_column].cum_sum() - counted[n_column]
    idx = pl.int_range(start, stop, dtype=pl.Int64, eager=True)
    pos = starts.search_sorted(idx, side="right").cast(pl.Int64) - 1
    frame = counted[pos]
    return frame.with_columns(seq=(idx - starts.gather(pos)) + 1)


def _random_day(key: pl.Expr, seed: int, stream: int, year: int) -> pl.Expr:
    days = (dt.date(year + 1, 1, 1) - dt.date(year, 1, 1)).days
    return pl.lit(dt.date(year, 1, 1)) + pl.duration(days=below(key, seed, stream, days))


def disclosures(counted: pl.DataFrame, year: int, start: int, stop: int, seed: int, bad_rate: float) -> pl.DataFrame:
    rows = _rows_of(counted, "n_items", start, stop)
    rows = rows.with_columns(_k=_agency_year_key(year) + pl.col("seq").cast(pl.UInt64))
    key = pl.col("_k")  # staged: expressions refer to the column, not to a copy of its tree
    seq = pl.col("seq")
    issue = (seq > pl.col("n_plain")) & (seq <= pl.col("n_plain") + pl.col("n_issue"))
    repeal = seq > pl.col("n_plain") + pl.col("n_issue")
    topic = pl.lit(pl.Series(TOPICS)).gather(below(key, seed, S_TOPIC, len(TOPICS)))
    template = below(key, seed, S_TOPIC + 100, len(TEMPLATES))
    before = pl.lit(pl.Series([t[0] for t in TEMPLATES])).gather(template)
    after = pl.lit(pl.Series([t[1] for t in TEMPLATES])).gather(template)
    doc_serial = pl.when(issue).then(seq - pl.col("n_plain")).otherwise(seq - pl.col("n_plain") - pl.col("n_issue"))
    doc_year = pl.when(issue).then(pl.lit(year)).otherwise(pl.lit(year - 1))
    category = _by_class(uniform(key, seed, S_CATEGORY), CATEGORIES_BY_CLASS, CATEGORY_LABELS)
    channel = _by_class(uniform(key, seed, S_CHANNEL), CHANNELS_BY_CLASS, {k: c.label for k, c in CHANNEL_BY_KEY.items()})
    bad = uniform(key, seed, S_BAD) < bad_rate
    category = pl.when(issue | repeal).then(pl.lit(CATEGORY_LABELS["normative_document"])).otherwise(category)
    return rows.with_columns(_category=category).select(
        item_id=pl.col("agency_code") + f"/{year}-" + seq.cast(pl.String).str.zfill(6),
        agency_code=pl.col("agency_code"),
        title=pl.when(issue | repeal)
        .then(
            pl.concat_str(
                [
                    pl.lit("关于"),
                    pl.when(issue).then(pl.lit("印发")).otherwise(pl.lit("废止")),
                    pl.col("doc_prefix"),
                    doc_year.cast(pl.String),
                    pl.lit("年第"),
                    doc_serial.cast(pl.String),
                    pl.lit("号文件的通知"),
                ]
            )
        )
        .otherwise(pl.concat_str([pl.col("agency_name"), before, topic, after])),
        published_on=_random_day(key, seed, S_DAY, year),
        channel=pl.when(bad).then(pl.lit(BAD_VALUE)).otherwise(channel),
        category=pl.col("_category"),
        doc_number=pl.when(issue | repeal).then(
            pl.concat_str([pl.col("doc_prefix"), pl.lit("〔"), doc_year.cast(pl.String), pl.lit("〕"), doc_serial.cast(pl.String), pl.lit("号")])
        ),
        doc_action=pl.when(issue).then(pl.lit(DOC_ACTION_LABELS["issue"])).when(repeal).then(pl.lit(DOC_ACTION_LABELS["repeal"])),
        amount_yuan=pl.when(pl.col("_category") == CATEGORY_LABELS["admin_fee"]).then((100 + uniform(key, seed, S_AMOUNT) * 50_000).round(2)),
        _bad=bad,
        _group=pl.col("group"),
    )


def _with_people(frame: pl.DataFrame, seed: int) -> pl.DataFrame:
    """Fake but well-formed personal data; skewed draws from the group's pool (`_pool`) make repeat applicants."""
    key = pl.col("_k")
    person = (uniform(key, seed, S_PERSON).pow(2) * pl.col("_pool")).floor().cast(pl.UInt64)  # low numbers ask most
    frame = frame.with_columns(_person=person)
    frame = frame.with_columns(_pkey=pl.col("group").cast(pl.UInt64, strict=False).fill_null(0) * (1 << 20) + pl.col("_person"))
    pkey, person = pl.col("_pkey"), pl.col("_person")
    birth = pl.lit(dt.date(1950, 1, 1)) + pl.duration(days=below(pkey, seed, S_PERSON + 1, 18_000))
    frame = frame.with_columns(
        _first17=pl.concat_str([pl.col("group"), birth.dt.strftime("%Y%m%d"), (person % 1000).cast(pl.String).str.zfill(3)]),
        _org17=pl.concat_str([pl.lit("91"), pl.col("group"), person.cast(pl.String).str.zfill(9)]),
    )
    total = pl.sum_horizontal(pl.col("_first17").str.slice(i, 1).cast(pl.Int64) * w for i, w in enumerate(_ID_WEIGHTS))
    check = (total % 11).replace_strict(dict(enumerate(_ID_CHECK)), return_dtype=pl.String)
    natural = pl.col("applicant_type") == _TYPE_LABELS["natural_person"]
    given = pl.lit(pl.Series(GIVEN))
    name = (
        pl.lit(pl.Series(SURNAMES)).gather(below(pkey, seed, S_PERSON + 2, len(SURNAMES)))
        + given.gather(below(pkey, seed, S_PERSON + 3, len(GIVEN)))
        + given.gather(below(pkey, seed, S_PERSON + 4, len(GIVEN)))
    )
    org_name = pl.concat_str(
        [
            pl.lit("示例"),
            pl.lit(pl.Series(ORG_WORDS)).gather(below(pkey, seed, S_ORGWORD, len(ORG_WORDS))),
            pl.col("_type_key").replace_strict(ORG_SUFFIX, default="有限公司", return_dtype=pl.String),
        ]
    )
    return frame.with_columns(
        applicant_name=pl.when(natural).then(name).otherwise(org_name),
        applicant_id_number=pl.when(natural).then(pl.col("_first17") + check).otherwise(pl.col("_org17") + check_character_expr(pl.col("_org17"))),
        applicant_phone=pl.lit("1380013") + (person % 10_000).cast(pl.String).str.zfill(4),
        applicant_address=pl.concat_str(
            [pl.col("province"), pl.col("city"), pl.col("county"), pl.lit("示例路"), (person % 300 + 1).cast(pl.String), pl.lit("号")]
        ),
    )


def applications(counted: pl.DataFrame, year: int, last_year: int, start: int, stop: int, seed: int, bad_rate: float) -> pl.DataFrame:
    rows = _rows_of(counted, "n_apps", start, stop)
    rows = rows.with_columns(_k=_agency_year_key(year) + pl.col("seq").cast(pl.UInt64) + (1 << 23))  # apart from the items' keys
    key = pl.col("_k")
    type_key = choice(uniform(key, seed, S_TYPE), APPLICANT_TYPES)
    rows = rows.with_columns(
        _received=_random_day(key, seed, S_DAY, year),
        _corrected=uniform(key, seed, S_CORR) < 0.10,
        _never_u=uniform(key, seed, S_CORR2) < 0.2,  # never answered the 补正 request: 3.6.1
        _third=pl.when(uniform(key, seed, S_TP) < 0.05).then(5 + below(key, seed, S_TP + 100, 11)).otherwise(0),
        _extended=uniform(key, seed, S_EXT) < 0.08,
        _type_key=type_key,
        applicant_type=type_key.replace_strict(_TYPE_LABELS, return_dtype=pl.String),
        _bad=uniform(key, seed, S_BAD + 100) < bad_rate,
    )
    corrected, never = pl.col("_corrected"), pl.col("_corrected") & pl.col("_never_u")
    rows = rows.with_columns(
        _asked=pl.col("_received") + pl.duration(days=2 + below(key, seed, S_CORR + 100, 6)),
    ).with_columns(
        _answered=pl.col("_asked") + pl.duration(days=1 + below(key, seed, S_CORR2 + 100, 12)),
    )
    start_day = pl.when(corrected & ~never).then(pl.col("_answered")).when(never).then(pl.col("_asked")).otherwise(pl.col("_received"))
    duration = (
        3 + below(key, seed, S_DUR, 25) + pl.col("_third") * 7 // 5 + pl.when(pl.col("_extended")).then(10 + below(key, seed, S_EXT + 100, 16)).otherwise(0)
    )
    rows = rows.with_columns(_closed=start_day + pl.duration(days=pl.when(never).then(20 + below(key, seed, S_DUR + 100, 16)).otherwise(duration)))
    # in the last year some requests are still open when the ledger is exported
    open_ = pl.lit(year == last_year) & (pl.col("_closed") > pl.lit(dt.date(last_year, 12, 31) + dt.timedelta(days=10)))
    labels = {k: _outcome_label(k) for k in list(OUTCOMES) + ["3.6.1"]}
    outcome = pl.when(never).then(pl.lit("3.6.1")).otherwise(choice(uniform(key, seed, S_OUT), OUTCOMES))
    rows = _with_people(rows.with_columns(_open=open_), seed)
    closed = ~pl.col("_open")
    return rows.select(
        application_id=pl.lit(f"YSQ-{year}-") + pl.col("seq").cast(pl.String).str.zfill(5),
        agency_code=pl.col("agency_code"),
        received_on=pl.col("_received"),
        applicant_type=pl.when(pl.col("_bad")).then(pl.lit(BAD_VALUE)).otherwise(pl.col("applicant_type")),
        applicant_name=pl.col("applicant_name"),
        applicant_id_number=pl.col("applicant_id_number"),
        applicant_phone=pl.col("applicant_phone"),
        applicant_address=pl.col("applicant_address"),
        request_channel=choice(uniform(key, seed, S_REQ), REQUEST_WEIGHTS).replace_strict(REQUEST_CHANNELS, return_dtype=pl.String),
        request_summary=pl.lit(pl.Series(SUMMARIES)).gather(below(key, seed, S_SUMMARY, len(SUMMARIES))),
        correction_requested_on=pl.when(corrected).then(pl.col("_asked")),
        correction_received_on=pl.when(corrected & ~never).then(pl.col("_answered")),
        third_party_days=pl.col("_third").cast(pl.Int64),
        extended=pl.col("_extended"),
        closed_on=pl.when(closed).then(pl.col("_closed")),
        outcome=pl.when(closed).then(outcome.replace_strict(labels, return_dtype=pl.String)),
        fee_yuan=pl.when(closed & (uniform(key, seed, S_FEE) < 0.01)).then(pl.lit(100.0)),
        _bad=pl.col("_bad"),
        _seq=pl.col("seq"),
        _uid=pl.col("uid"),
        _group=pl.col("group"),
    )


def appeals(apps: pl.DataFrame, year: int, last_year: int, seed: int, rate: float, bad_rate: float) -> pl.DataFrame:
    """Cases against about `rate` of the closed applications of the chunk."""
    apps = apps.with_columns(_k=pl.col("_uid") * (1 << 32) + pl.lit(year - 2000, dtype=pl.UInt64) * (1 << 24) + pl.col("_seq").cast(pl.UInt64) + (1 << 22))
    key = pl.col("_k")
    picked = apps.filter(pl.col("closed_on").is_not_null() & ~pl.col("_bad")).filter(uniform(key, seed, S_CASE) < rate)
    picked = picked.with_columns(_filed=pl.col("closed_on") + pl.duration(days=5 + below(key, seed, S_FILED, 50)))
    picked = picked.with_columns(_concluded=pl.col("_filed") + pl.duration(days=30 + below(key, seed, S_CONCL, 120)))
    filed, concluded = pl.col("_filed"), pl.col("_concluded")
    pending = concluded > pl.lit(dt.date(last_year, 12, 31)) + pl.duration(days=30)
    bad = uniform(key, seed, S_BAD + 200) < bad_rate
    proceeding = choice(uniform(key, seed, S_PROC), PROCEEDINGS).replace_strict(_PROCEEDING_LABELS, return_dtype=pl.String)
    return picked.select(
        case_id=pl.lit(f"AJ-{year}-") + pl.col("_seq").cast(pl.String).str.zfill(5),
        agency_code=pl.col("agency_code"),
        application_id=pl.col("application_id"),
        proceeding=pl.when(bad).then(pl.lit(BAD_VALUE)).otherwise(proceeding),
        filed_on=filed,
        concluded_on=pl.when(~pending).then(concluded),
        result=pl.when(~pending).then(choice(uniform(key, seed, S_RESULT), RESULTS).replace_strict(_RESULT_LABELS, return_dtype=pl.String)),
        _bad=bad,
        _group=pl.col("_group"),
    )
