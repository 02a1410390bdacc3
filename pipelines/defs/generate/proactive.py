"""Proactive-disclosure items (主动公开) of the sample county: titles, channels, categories, documents, fees."""

import datetime as dt
import random
from dataclasses import dataclass, field
from decimal import Decimal

from pipelines.defs.generate.county import Agency
from pipelines.defs.generate.records import Record

# Channel mixes by agency level (weights). Townships publish mostly on WeChat, departments on the portal.
CHANNEL_WEIGHTS: dict[str, dict[str, int]] = {
    "township": {"wechat": 56, "portal_column": 24, "website": 14, "print_broadcast": 3, "reading_room": 1, "other": 2},
    "county_department": {"portal_column": 52, "website": 33, "wechat": 12, "weibo": 2, "other": 1},
    "county_government": {
        "portal_column": 40,
        "website": 24,
        "wechat": 20,
        "gazette": 5,
        "weibo": 5,
        "press_conference": 3,
        "print_broadcast": 3,
    },
}


@dataclass(frozen=True)
class Plan:
    """Items per year of one agency: (low, high) ranges, drawn per year."""

    other: tuple[int, int]
    license: tuple[int, int] = (0, 0)
    penalty: tuple[int, int] = (0, 0)
    enforcement: tuple[int, int] = (0, 0)
    documents: tuple[int, int] = (0, 0)  # normative documents issued
    fee_name: str = ""  # a monthly 行政事业性收费 report, if any
    fee_range: tuple[int, int] = (0, 0)  # yuan per month
    permits: tuple[str, ...] = ()
    subjects: tuple[str, ...] = ()  # of normative documents
    topics: tuple[str, ...] = ()


_TOWNSHIP_TOPICS = (
    "秋冬季森林防火",
    "安全生产大排查大整治",
    "农村人居环境整治",
    "乡村振兴",
    "防汛抗旱",
    "秸秆禁烧",
    "文明城市创建",
    "耕地保护",
    "退役军人服务保障",
    "城乡居民医保征缴",
    "高素质农民培训",
    "网格化服务管理",
    "集中供暖",
    "食品安全",
    "消防安全",
    "农村公路养护",
    "困难群众救助",
    "农村饮水安全",
    "疫情防控",
    "矛盾纠纷排查化解",
    "移风易俗",
    "护林防火",
)
TOWNSHIP = Plan(other=(230, 380), penalty=(0, 6), topics=_TOWNSHIP_TOPICS)
TANGWU_TOPICS = _TOWNSHIP_TOPICS + ("吉他产业发展", "吉他文化小镇建设")

PLANS: dict[str, Plan] = {
    "县政府": Plan(
        other=(430, 560),
        documents=(3, 6),
        subjects=(
            "昌乐县政府投资项目管理办法",
            "昌乐县城乡居民最低生活保障实施办法",
            "昌乐县重大行政决策程序规定",
            "昌乐县突发事件应急预案管理办法",
            "昌乐县招商引资优惠政策",
            "昌乐县人才引进激励办法",
            "昌乐县住房公积金管理办法",
            "昌乐县农村集体资产管理办法",
            "昌乐县城市管理办法",
            "昌乐县行政执法公示办法",
        ),
        topics=("县政府常务会议", "优化营商环境", "重点项目建设", "民生实事", "财政预算执行", "安全生产", "乡村振兴", "招商引资"),
    ),
    "自然资源局": Plan(
        other=(110, 160),
        license=(50, 70),
        penalty=(10, 20),
        enforcement=(1, 3),
        documents=(2, 4),
        fee_name="不动产登记费",
        fee_range=(20000, 90000),
        permits=("建设用地规划许可证", "建设工程规划许可证", "乡村建设规划许可证", "临时用地审批"),
        subjects=(
            "昌乐县农村宅基地审批管理办法",
            "昌乐县国有建设用地使用权出让管理规定",
            "昌乐县不动产登记工作规程",
            "昌乐县耕地占补平衡管理办法",
            "昌乐县矿产资源开发利用管理办法",
            "昌乐县集体经营性建设用地入市办法",
            "昌乐县土地储备管理办法",
            "昌乐县地质灾害防治管理办法",
        ),
        topics=("土地征收", "国土空间规划", "耕地保护", "不动产登记", "地质灾害防治", "矿产资源管理"),
    ),
    "市场监管局": Plan(
        other=(120, 170),
        license=(70, 100),
        penalty=(35, 55),
        enforcement=(8, 14),
        documents=(1, 3),
        permits=("食品经营许可", "药品零售许可", "特种设备使用登记", "食品小作坊登记"),
        subjects=(
            "昌乐县食品小作坊登记管理办法",
            "昌乐县市场主体信用分类监管办法",
            "昌乐县质量奖评审管理办法",
            "昌乐县特种设备安全监管办法",
            "昌乐县知识产权资助办法",
        ),
        topics=("食品安全抽检", "双随机一公开", "价格监督检查", "特种设备安全", "消费维权", "市场主体培育"),
    ),
    "教育和体育局": Plan(
        other=(140, 200),
        license=(3, 6),
        penalty=(0, 1),
        documents=(1, 3),
        permits=("民办学校办学许可", "校外培训机构办学许可"),
        subjects=(
            "昌乐县义务教育阶段学校招生工作办法",
            "昌乐县学前教育资助办法",
            "昌乐县校外培训机构管理办法",
            "昌乐县中小学教师招聘办法",
            "昌乐县体育场馆开放管理办法",
        ),
        topics=("招生入学", "学生资助", "教师招聘", "校园安全", "全民健身", "课后服务"),
    ),
    "住建局": Plan(
        other=(100, 150),
        license=(25, 40),
        penalty=(8, 14),
        enforcement=(1, 3),
        documents=(2, 3),
        permits=("建筑工程施工许可证", "商品房预售许可", "燃气经营许可"),
        subjects=(
            "昌乐县住宅专项维修资金管理办法",
            "昌乐县物业管理办法",
            "昌乐县棚户区改造项目管理办法",
            "昌乐县建筑市场信用管理办法",
            "昌乐县城镇燃气管理办法",
            "昌乐县老旧小区改造实施办法",
        ),
        topics=("老旧小区改造", "建筑施工安全", "物业管理", "燃气安全", "保障性住房", "城市更新"),
    ),
    "综合执法局": Plan(
        other=(90, 130),
        license=(12, 20),
        penalty=(50, 80),
        enforcement=(10, 16),
        documents=(0, 2),
        fee_name="城市道路占用挖掘修复费",
        fee_range=(3000, 25000),
        permits=("城市建筑垃圾处置核准", "占用挖掘城市道路许可", "户外广告设置许可"),
        subjects=("昌乐县城市管理综合执法办法", "昌乐县户外广告设置管理办法", "昌乐县建筑垃圾管理办法", "昌乐县占道经营管理办法"),
        topics=("市容环境整治", "违法建设治理", "占道经营治理", "扬尘治理", "城市管理进社区"),
    ),
}

_OTHER_TEMPLATES = (
    "{a}关于开展{t}工作的通知",
    "{a}召开{t}工作会议",
    "{a}扎实推进{t}工作",
    "{a}{m}月份{t}工作动态",
    "{a}关于{t}的公示",
    "{a}{y}年{t}实施方案",
    "{a}开展{t}专项行动",
    "{a}{y}年度{t}工作总结",
)
_DEPT_EXTRA = ("{a}{y}年部门预算", "{a}{y}年部门决算", "{a}{y}年度法治政府建设情况报告", "{a}权责清单")
_COMPANY = ("示例{w}商贸有限公司", "示例{w}建材有限公司", "示例{w}食品有限公司", "示例{w}置业有限公司", "示例{w}餐饮店")
_WORDS = ("恒信", "宏达", "鑫源", "华泰", "永盛", "金石", "鸿运", "瑞丰", "同心", "德润", "启明", "博远", "乐安", "丰泽")


@dataclass
class DocumentLedger:
    """Normative documents an agency has issued in the ledger so far, so repeals and amendments name real ones."""

    in_force: dict[str, str] = field(default_factory=dict)  # doc_number → subject
    issued_year: dict[str, int] = field(default_factory=dict)


def working_days(year: int) -> list[dt.date]:
    day, out = dt.date(year, 1, 1), []
    while day.year == year:
        if day.weekday() < 5:
            out.append(day)
        day += dt.timedelta(days=1)
    return out


def _record(agency: Agency, day: dt.date, title: str, channel: str, category: str, **extra: object) -> Record:
    values: dict[str, object] = {
        "item_id": None,
        "agency_code": agency.code,
        "title": title,
        "published_on": day,
        "channel": channel,
        "category": category,
        "doc_number": None,
        "doc_action": None,
        "amount_yuan": None,
    }
    values.update(extra)
    return Record("disclosures", values, day.year)


def _pick_channel(rng: random.Random, weights: dict[str, int]) -> str:
    return rng.choices(list(weights), weights=list(weights.values()))[0]


def agency_year_items(rng: random.Random, agency: Agency, year: int, plan: Plan, documents: DocumentLedger) -> list[Record]:
    """All valid items of one agency in one year, sorted by date, with their 索引号."""
    days = working_days(year)
    weights = CHANNEL_WEIGHTS[agency.level]
    who = agency.short if agency.level == "township" else agency.name
    items: list[Record] = []

    def count(span: tuple[int, int]) -> int:
        return rng.randint(*span)

    for _ in range(count(plan.other)):
        day = rng.choice(days)
        template = rng.choice(_OTHER_TEMPLATES + (_DEPT_EXTRA if agency.level != "township" else ()))
        title = template.format(a=who, t=rng.choice(plan.topics), m=day.month, y=year)
        items.append(_record(agency, day, title, _pick_channel(rng, weights), "other"))

    decision_channels = {"portal_column": 85, "website": 15}
    punish = agency.doc_prefix.replace("规", "罚") if agency.doc_prefix else f"乐{agency.short[:2]}综执罚"
    for category, span in (("license", plan.license), ("penalty", plan.penalty), ("enforcement", plan.enforcement)):
        for n in range(1, count(span) + 1):
            day = rng.choice(days)
            company = rng.choice(_COMPANY).format(w=rng.choice(_WORDS))
            if category == "license":
                title = f"关于{company}{rng.choice(plan.permits)}的行政许可决定"
            elif category == "penalty":
                title = f"{agency.name}行政处罚决定书（{punish}〔{year}〕{n}号）"
            else:
                title = f"{agency.name}查封扣押决定书（{punish.replace('罚', '强')}〔{year}〕{n}号）"
            items.append(_record(agency, day, title, _pick_channel(rng, decision_channels), category))

    if plan.fee_name:
        for month in range(1, 13):
            month_days = [d for d in days if d.month == month]
            amount = Decimal(rng.randint(plan.fee_range[0] * 100, plan.fee_range[1] * 100)) / 100
            items.append(
                _record(
                    agency,
                    month_days[-1],
                    f"{agency.name}{year}年{month}月{plan.fee_name}收费情况",
                    "portal_column",
                    "admin_fee",
                    amount_yuan=amount.quantize(Decimal("0.01")),
                )
            )

    items += _document_events(rng, agency, year, plan, documents, days)
    items.sort(key=lambda r: r.values["published_on"])  # type: ignore[arg-type, return-value]
    return items


def _document_events(rng: random.Random, agency: Agency, year: int, plan: Plan, documents: DocumentLedger, days: list[dt.date]) -> list[Record]:
    """Issues, amendments and repeals of normative documents; repeals and amendments name documents of earlier years."""
    if not plan.documents[1]:
        return []
    channels = {"portal_column": 70, "website": 15, "gazette": 15} if agency.level == "county_government" else {"portal_column": 75, "website": 25}
    older = [n for n in documents.in_force if documents.issued_year[n] < year]
    events: list[Record] = []
    for number in rng.sample(older, min(len(older), rng.randint(0, 2))):
        subject = documents.in_force.pop(number)
        events.append(
            _record(
                agency,
                rng.choice(days),
                f"关于废止《{subject}》的通知",
                _pick_channel(rng, channels),
                "normative_document",
                doc_number=number,
                doc_action="repeal",
            )
        )
    remaining = [n for n in older if n in documents.in_force]
    if remaining and rng.random() < 0.5:
        number = rng.choice(remaining)
        events.append(
            _record(
                agency,
                rng.choice(days),
                f"关于修改《{documents.in_force[number]}》的决定",
                _pick_channel(rng, channels),
                "normative_document",
                doc_number=number,
                doc_action="amend",
            )
        )
    unused = [s for s in plan.subjects if s not in documents.in_force.values()]
    issue_days = sorted(rng.sample(days, rng.randint(*plan.documents)))
    for seq, day in enumerate(issue_days, start=1):
        number = f"{agency.doc_prefix}〔{year}〕{seq}号"
        subject = unused.pop(rng.randrange(len(unused))) if unused else f"{agency.name}管理办法（{year}年第{seq}号）"
        documents.in_force[number] = subject
        documents.issued_year[number] = year
        events.append(
            _record(agency, day, f"关于印发《{subject}》的通知", _pick_channel(rng, channels), "normative_document", doc_number=number, doc_action="issue")
        )
    return events


def tangwu_2022(rng: random.Random, agency: Agency) -> list[Record]:
    """鄌郚镇 2022 exactly as its published report says: 379 items, 11 on the portal column and 368 on WeChat,
    none of them a table-P item."""
    days = working_days(2022)
    channels = ["portal_column"] * 11 + ["wechat"] * 368
    rng.shuffle(channels)
    items = []
    for channel in channels:
        day = rng.choice(days)
        title = rng.choice(_OTHER_TEMPLATES).format(a=agency.short, t=rng.choice(TANGWU_TOPICS), m=day.month, y=2022)
        items.append(_record(agency, day, title, channel, "other"))
    items.sort(key=lambda r: r.values["published_on"])  # type: ignore[arg-type, return-value]
    return items


def number_items(agency: Agency, year: int, items: list[Record]) -> None:
    """索引号 as portals print them: credit code / year - serial."""
    for seq, item in enumerate(items, start=1):
        item.values["item_id"] = f"{agency.code}/{year}-{seq:05d}"
