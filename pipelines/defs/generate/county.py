"""The sample county: 昌乐县 (Weifang, Shandong), its townships, subdistricts and a few departments.

Names and the township list are real; 鄌郚镇's credit code is its real one, the
others are made up with a valid GB 32100 check character.
"""

from dataclasses import dataclass

from schemas.codes import check_character

PROVINCE = "山东省"
CITY = "潍坊市"
COUNTY = "昌乐县"
COUNTY_DIVISION = "370725"


@dataclass(frozen=True)
class Agency:
    code: str
    name: str
    short: str  # what clerks call it in titles and file names
    division_code: str
    level: str
    doc_prefix: str = ""  # 文号 prefix of its normative documents, e.g. 乐自然资规
    abbr: str = ""  # prefix of its application registration numbers

    def as_row(self) -> dict[str, str]:
        return {
            "agency_code": self.code,
            "agency_name": self.name,
            "division_code": self.division_code,
            "county": COUNTY,
            "city": CITY,
            "province": PROVINCE,
            "level": self.level,
        }


def credit_code(org9: str, division: str = COUNTY_DIVISION, kind: str = "11") -> str:
    """A GB 32100 code: 11 (机关) + 6-digit division + 9-character organization code + check character."""
    first17 = f"{kind}{division}{org9}"
    return first17 + check_character(first17)


def _agency(org9: str, name: str, short: str, division: str, level: str, abbr: str, doc_prefix: str = "") -> Agency:
    return Agency(credit_code(org9), name, short, division, level, doc_prefix, abbr)


# (org code, name, short name, 12-digit division code, registration-number prefix)
_TOWNSHIPS = (
    ("MB2850085", "昌乐县宝城街道办事处", "宝城街道", "370725001000", "BCJD"),
    ("MB2850093", "昌乐县宝都街道办事处", "宝都街道", "370725002000", "BDJD"),
    ("MB2850106", "昌乐县朱刘街道办事处", "朱刘街道", "370725003000", "ZLJD"),
    ("MB2850114", "昌乐县五图街道办事处", "五图街道", "370725004000", "WTJD"),
    ("MB2850122", "昌乐县乔官镇人民政府", "乔官镇", "370725101000", "QGZ"),
    ("MB2850130", "昌乐县营丘镇人民政府", "营丘镇", "370725102000", "YQZ"),
    ("MB2850142", "昌乐县鄌郚镇人民政府", "鄌郚镇", "370725103000", "TWZ"),
    ("MB2850159", "昌乐县红河镇人民政府", "红河镇", "370725104000", "HHZ"),
)
_COUNTY_LEVEL = "370725000000"

AGENCIES: tuple[Agency, ...] = (
    _agency("004358012", "昌乐县人民政府", "县政府", _COUNTY_LEVEL, "county_government", "CLXZF", "乐政规"),
    *(_agency(org, name, short, div, "township", abbr) for org, name, short, div, abbr in _TOWNSHIPS),
    _agency("MB2849561", "昌乐县自然资源局", "自然资源局", _COUNTY_LEVEL, "county_department", "ZRZYJ", "乐自然资规"),
    _agency("MB2849174", "昌乐县市场监督管理局", "市场监管局", _COUNTY_LEVEL, "county_department", "SCJGJ", "乐市监规"),
    _agency("004359163", "昌乐县教育和体育局", "教育和体育局", _COUNTY_LEVEL, "county_department", "JTJ", "乐教体规"),
    _agency("004358223", "昌乐县住房和城乡建设局", "住建局", _COUNTY_LEVEL, "county_department", "ZJJ", "乐住建规"),
    _agency("MB2851302", "昌乐县综合行政执法局", "综合执法局", _COUNTY_LEVEL, "county_department", "ZHZFJ", "乐综执规"),
)
BY_SHORT = {a.short: a for a in AGENCIES}
TANGWU = BY_SHORT["鄌郚镇"]
assert TANGWU.code == "11370725MB28501425", TANGWU.code  # the real code, from its published report

# A real-looking agency of the neighbouring city (昌邑市), absent from agencies.csv: rows naming it are agency_unknown.
FOREIGN_AGENCY_CODE = credit_code("MB2861236", division="370786")
