"""The synthetic administrative tree and its agencies, as one Polars frame (≈120,000 rows nationally).

The tree (provinces → cities → counties, a few thousand nodes) is drawn with
random.Random; agencies are expanded from it with vectorized Polars.
"""

import random

import polars as pl

from pipelines.defs.generate.scale.spec import ScaleSpec
from schemas.codes import ALPHABET, WEIGHTS

PROVINCES = (
    ("11", "北京市"),
    ("12", "天津市"),
    ("13", "河北省"),
    ("14", "山西省"),
    ("15", "内蒙古自治区"),
    ("21", "辽宁省"),
    ("22", "吉林省"),
    ("23", "黑龙江省"),
    ("31", "上海市"),
    ("32", "江苏省"),
    ("33", "浙江省"),
    ("34", "安徽省"),
    ("35", "福建省"),
    ("36", "江西省"),
    ("37", "山东省"),
    ("41", "河南省"),
    ("42", "湖北省"),
    ("43", "湖南省"),
    ("44", "广东省"),
    ("45", "广西壮族自治区"),
    ("46", "海南省"),
    ("50", "重庆市"),
    ("51", "四川省"),
    ("52", "贵州省"),
    ("53", "云南省"),
    ("54", "西藏自治区"),
    ("61", "陕西省"),
    ("62", "甘肃省"),
    ("63", "青海省"),
    ("64", "宁夏回族自治区"),
    ("65", "新疆维吾尔自治区"),
)
# (name, abbreviation used in 文号)
DEPARTMENTS = (
    ("发展和改革局", "发改"),
    ("教育和体育局", "教体"),
    ("科学技术局", "科技"),
    ("工业和信息化局", "工信"),
    ("公安局", "公"),
    ("民政局", "民"),
    ("司法局", "司"),
    ("财政局", "财"),
    ("人力资源和社会保障局", "人社"),
    ("自然资源局", "自然资"),
    ("生态环境局", "环"),
    ("住房和城乡建设局", "住建"),
    ("交通运输局", "交"),
    ("水利局", "水"),
    ("农业农村局", "农"),
    ("商务局", "商"),
    ("文化和旅游局", "文旅"),
    ("卫生健康局", "卫健"),
    ("退役军人事务局", "退役"),
    ("应急管理局", "应急"),
    ("审计局", "审"),
    ("市场监督管理局", "市监"),
    ("统计局", "统"),
    ("医疗保障局", "医保"),
    ("综合行政执法局", "综执"),
    ("行政审批服务局", "审批"),
    ("林业局", "林"),
    ("信访局", "访"),
    ("人民防空办公室", "人防"),
    ("地方金融监督管理局", "金融"),
    ("大数据局", "数据"),
    ("粮食和物资储备局", "粮"),
    ("机关事务服务中心", "机关"),
    ("国有资产监督管理委员会", "国资"),
    ("城市管理局", "城管"),
    ("园林绿化局", "园林"),
    ("能源局", "能源"),
    ("外事办公室", "外事"),
    ("侨务办公室", "侨务"),
    ("民族宗教事务局", "民宗"),
    ("档案馆", "档"),
    ("地方志办公室", "志"),
    ("乡村振兴局", "振兴"),
    ("体育局", "体"),
    ("药品监督管理局", "药监"),
    ("知识产权局", "知产"),
    ("海洋发展局", "海洋"),
    ("口岸办公室", "口岸"),
    ("投资促进局", "投促"),
    ("人民政府研究室", "研究"),
)
_ID_WEIGHTS = WEIGHTS[:17]

SCHEMA = {
    "agency_code": pl.String,
    "agency_name": pl.String,
    "division_code": pl.String,
    "county": pl.String,
    "city": pl.String,
    "province": pl.String,
    "level": pl.String,
    # not written to agencies.csv: the generator's own bookkeeping
    "uid": pl.UInt64,
    "group": pl.String,
    "doc_prefix": pl.String,
}
PUBLIC_COLUMNS = ("agency_code", "agency_name", "division_code", "county", "city", "province", "level")


def _tree(spec: ScaleSpec, seed: int) -> list[dict]:
    """One row per agency group: a county, or the city-level or province-level agencies of a city/province."""
    rng = random.Random(f"{seed}:tree:{spec.name}")
    provinces = PROVINCES if spec.provinces >= len(PROVINCES) else tuple(p for p in PROVINCES if p[0] == "37")[: spec.provinces]
    groups = []
    for p_code, p_name in provinces:
        if spec.province_level:
            groups.append(
                {
                    "group": f"{p_code}0000",
                    "level": "province",
                    "province": p_name,
                    "city": "",
                    "county": "",
                    "short": p_name,
                    "departments": rng.randint(*spec.province_departments),
                    "townships": 0,
                }
            )
        for c in range(1, rng.randint(*spec.cities) + 1):
            c_code = f"{p_code}{c:02d}"
            c_name = f"{p_name[:2]}第{c}市"
            if spec.city_level:
                groups.append(
                    {
                        "group": f"{c_code}00",
                        "level": "city",
                        "province": p_name,
                        "city": c_name,
                        "county": "",
                        "short": c_name,
                        "departments": rng.randint(*spec.city_departments),
                        "townships": 0,
                    }
                )
            for k in range(1, rng.randint(*spec.counties) + 1):
                k_name = f"{c_name}第{k}县"
                groups.append(
                    {
                        "group": f"{c_code}{k:02d}",
                        "level": "county",
                        "province": p_name,
                        "city": c_name,
                        "county": k_name,
                        "short": k_name,
                        "departments": rng.randint(*spec.county_departments),
                        "townships": rng.randint(*spec.townships),
                    }
                )
    return groups


def check_character_expr(first17: pl.Expr) -> pl.Expr:
    """GB 32100 check character of 17 digits (our synthetic codes are all digits, whose value is the digit)."""
    total = pl.sum_horizontal(first17.str.slice(i, 1).cast(pl.Int64) * w for i, w in enumerate(_ID_WEIGHTS))
    return ((31 - total % 31) % 31).replace_strict(dict(enumerate(ALPHABET)), return_dtype=pl.String)


def agencies(spec: ScaleSpec, seed: int) -> pl.DataFrame:
    """Every agency of the scale, grouped (column `group`: the 6-digit division of its county/city/province)."""
    groups = pl.DataFrame(_tree(spec, seed))
    dept_names = pl.Series([d[0] for d in DEPARTMENTS])
    dept_abbr = pl.Series([d[1] for d in DEPARTMENTS])
    parts = []
    gov_level = {"county": "county_government", "city": "city_government", "province": "province_government"}
    dept_level = {"county": "county_department", "city": "city_department", "province": "province_department"}
    # governments: one per group
    parts.append(
        groups.select(
            "group",
            "province",
            "city",
            "county",
            pl.lit(0, dtype=pl.Int64).alias("slot"),
            pl.col("level").replace_strict(gov_level).alias("level"),
            (pl.col("short") + "人民政府").alias("agency_name"),
            (pl.col("group") + "000000").alias("division_code"),
            pl.lit("政规").alias("abbr"),
        )
    )
    # departments: slot 1..n, names from the list (cycled)
    depts = groups.with_columns(slot=pl.int_ranges(1, pl.col("departments") + 1)).explode("slot")
    idx = (pl.col("slot") - 1) % len(DEPARTMENTS)
    parts.append(
        depts.select(
            "group",
            "province",
            "city",
            "county",
            pl.col("slot").cast(pl.Int64),
            pl.col("level").replace_strict(dept_level).alias("level"),
            (pl.col("short") + pl.lit(dept_names).gather(idx)).alias("agency_name"),
            (pl.col("group") + "000000").alias("division_code"),
            (pl.lit(dept_abbr).gather(idx) + "规").alias("abbr"),
        )
    )
    # townships: slot 100+t; streets first, then towns
    towns = groups.filter(pl.col("townships") > 0).with_columns(t=pl.int_ranges(1, pl.col("townships") + 1)).explode("t")
    parts.append(
        towns.select(
            "group",
            "province",
            "city",
            "county",
            (pl.col("t") + 100).cast(pl.Int64).alias("slot"),
            pl.lit("township").alias("level"),
            pl.when(pl.col("t") <= 3)
            .then(pl.col("short") + "第" + pl.col("t").cast(pl.String) + "街道办事处")
            .otherwise(pl.col("short") + "第" + pl.col("t").cast(pl.String) + "镇人民政府")
            .alias("agency_name"),
            (pl.col("group") + pl.col("t").cast(pl.String).str.zfill(3) + "000").alias("division_code"),
            pl.lit("镇规").alias("abbr"),
        )
    )
    frame = pl.concat(parts).sort("group", "slot")
    frame = frame.with_columns(uid=pl.int_range(pl.len(), dtype=pl.UInt64))
    first17 = pl.lit("11") + pl.col("group") + pl.col("uid").cast(pl.String).str.zfill(9)
    return frame.select(
        (first17 + check_character_expr(first17)).alias("agency_code"),
        "agency_name",
        "division_code",
        "county",
        "city",
        "province",
        "level",
        "uid",
        "group",
        (pl.col("agency_name").str.slice(0, 2) + pl.col("abbr")).alias("doc_prefix"),
    )
