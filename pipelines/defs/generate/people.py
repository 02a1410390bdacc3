"""Fake applicants: realistic in shape, obviously not real people.

ID numbers are valid-looking (region 370725…, a birth date, a valid ISO 7064
check digit); phones all sit in the 1380013xxxx block and addresses on a
示例路 (\"example road\"), so nobody mistakes them for real data.
"""

import random
from dataclasses import dataclass

from schemas.codes import check_character

_SURNAMES = "王李张刘陈杨赵黄周吴孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾田董潘袁蔡蒋于"
_GIVEN = "建国华明丽红军伟芳娜敏静磊强洋勇艳杰涛超秀英霞平刚桂兰玉梅志文军海燕晓东春雪"
_PLACES = ("宝城街道", "宝都街道", "朱刘街道", "五图街道", "乔官镇", "营丘镇", "鄌郚镇", "红河镇")
_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_ID_CHECK = "10X98765432"

# applicant type label → name patterns of organisations
_ORG_NAMES = {
    "商业企业": ("潍坊示例{w}有限公司", "昌乐县示例{w}有限公司", "山东示例{w}股份有限公司"),
    "科研机构": ("山东示例{w}研究院", "潍坊示例{w}研究所"),
    "社会公益组织": ("昌乐县示例{w}公益服务中心", "潍坊市示例{w}志愿者协会"),
    "法律服务机构": ("山东示例{w}律师事务所", "昌乐县示例{w}法律服务所"),
    "其他": ("昌乐县示例{w}专业合作社", "潍坊示例{w}商会", "示例{w}村村民委员会"),
}
_ORG_WORDS = ("恒信", "宏达", "鑫源", "华泰", "永盛", "金石", "鸿运", "瑞丰", "同心", "德润", "启明", "博远")


@dataclass(frozen=True)
class Applicant:
    type_label: str  # 申请人类型 as the form names it (自然人, 商业企业, …)
    name: str
    id_number: str
    phone: str
    address: str


def id_check_digit(first17: str) -> str:
    return _ID_CHECK[sum(int(d) * w for d, w in zip(first17, _ID_WEIGHTS, strict=True)) % 11]


def _person(rng: random.Random, serial: int) -> Applicant:
    name = rng.choice(_SURNAMES) + "".join(rng.choice(_GIVEN) for _ in range(rng.choice((1, 2, 2))))
    birth = f"{rng.randint(1950, 2000)}{rng.randint(1, 12):02d}{rng.randint(1, 28):02d}"
    first17 = f"370725{birth}{serial % 1000:03d}"
    return Applicant(
        "自然人",
        name,
        first17 + id_check_digit(first17),
        f"1380013{serial:04d}",
        f"山东省昌乐县{rng.choice(_PLACES)}示例路{rng.randint(1, 300)}号",
    )


def _organisation(rng: random.Random, type_label: str, serial: int) -> Applicant:
    name = rng.choice(_ORG_NAMES[type_label]).format(w=rng.choice(_ORG_WORDS))
    kind = {"商业企业": "91", "法律服务机构": "31", "科研机构": "12", "社会公益组织": "52", "其他": "93"}[type_label]
    first17 = f"{kind}370725MA{serial:07d}"
    return Applicant(
        type_label,
        name,
        first17 + check_character(first17),
        f"0536-621{serial:04d}",
        f"山东省潍坊市昌乐县示例路{rng.randint(301, 600)}号",
    )


def applicant_pool(rng: random.Random, persons: int = 140, organisations: int = 40) -> tuple[list[Applicant], list[Applicant]]:
    """Persons and organisations to draw applications from (drawn with skewed weights, so some repeat)."""
    people = [_person(rng, i + 1) for i in range(persons)]
    org_types = ("商业企业",) * 5 + ("法律服务机构",) * 3 + ("其他",) * 2 + ("科研机构", "社会公益组织")
    orgs = [_organisation(rng, org_types[i % len(org_types)], 500 + i) for i in range(organisations)]
    return people, orgs
