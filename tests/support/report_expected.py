"""The hand-worked agency-year (tests/support/report_samples.py), worked out again by hand.

Table A: 18 new + 3 carried over = 19 closed + 2 carried on.
"""

COLS = ("natural_person", "commercial", "research", "social_welfare", "legal_service", "other_org", "total")

# every non-zero row of table A, in column order (zero rows are all zeros)
APPLICATIONS = {
    "1": (12, 3, 0, 1, 2, 0, 18),
    "2": (2, 1, 0, 0, 0, 0, 3),
    "3.1": (5, 1, 0, 1, 0, 0, 7),
    "3.2": (2, 0, 0, 0, 1, 0, 3),
    "3.3.4": (1, 0, 0, 0, 0, 0, 1),
    "3.3.5": (0, 1, 0, 0, 0, 0, 1),
    "3.4.1": (3, 0, 0, 0, 0, 0, 3),
    "3.4.2": (0, 1, 0, 0, 0, 0, 1),
    "3.5.2": (1, 0, 0, 0, 0, 0, 1),
    "3.6.1": (1, 0, 0, 0, 0, 0, 1),
    "3.6.3": (0, 0, 0, 0, 1, 0, 1),
    "3.7": (13, 3, 0, 1, 2, 0, 19),
    "4": (1, 1, 0, 0, 0, 0, 2),
}

# table R, the 15 numbers in form order
APPEALS = (1, 1, 0, 1, 3, 1, 0, 0, 0, 1, 0, 0, 1, 0, 1)

# table P as printed, row by row (label, values)
PROACTIVE_ROWS = [
    ("规章", ("0", "0", "0")),
    ("行政规范性文件", ("4", "1", "23")),
    ("行政许可", ("156",)),
    ("行政处罚", ("37",)),
    ("行政强制", ("5",)),
    ("行政事业性收费", ("1.2345",)),
]

PROACTIVE_SENTENCE = "本年度主动公开政府信息375条，其中通过政府信息公开专栏公开120条，通过政府网站公开45条，通过微信公众号公开210条。"
APPLICATION_SENTENCE = (
    "本年度新收政府信息公开申请18件，上年结转3件；办结19件"
    "（予以公开7件、部分公开3件、不予公开2件、无法提供4件、不予处理1件、其他处理2件）；结转下年度继续办理2件。"
)
FEE_SENTENCE = "本年度共收取信息处理费300元。"


def application_value(row_key: str, col_index: int) -> int:
    return APPLICATIONS.get(row_key, (0,) * 7)[col_index]
