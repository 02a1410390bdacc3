"""What each benchmark scale assumes: how many agencies, and items, applications and cases per agency-year.

The figures are documented (with the reasoning) in docs/generator.md; keep both in step.
"""

from dataclasses import dataclass, field

# Mean proactive items per agency-year, before a per-agency lognormal(σ=0.5) size factor (mean ×1.13).
ITEMS = {
    "township": 200,
    "county_department": 170,
    "county_government": 600,
    "city_department": 450,
    "city_government": 1500,
    "province_department": 900,
    "province_government": 3000,
}
# Mean applications received per agency-year (same size factor).
APPLICATIONS = {
    "township": 2.5,
    "county_department": 5,
    "county_government": 35,
    "city_department": 20,
    "city_government": 150,
    "province_department": 50,
    "province_government": 400,
}


@dataclass(frozen=True)
class ScaleSpec:
    name: str
    provinces: int
    cities: tuple[int, int]  # per province, inclusive range
    counties: tuple[int, int]  # per city
    townships: tuple[int, int]  # per county
    county_departments: tuple[int, int]
    city_departments: tuple[int, int]
    province_departments: tuple[int, int]
    city_level: bool  # city governments and departments report too
    province_level: bool
    items: dict[str, float] = field(default_factory=lambda: dict(ITEMS))
    applications: dict[str, float] = field(default_factory=lambda: dict(APPLICATIONS))
    size_sigma: float = 0.5  # spread of the per-agency size factor
    appeal_rate: float = 0.01  # cases per closed application
    growth: float = 0.03  # items and applications grow by this share a year after 2021


SCALES: dict[str, ScaleSpec] = {
    # one prefecture-level city: its government and departments, 8–12 counties
    "city": ScaleSpec("city", 1, (1, 1), (8, 12), (6, 21), (20, 28), (32, 44), (0, 0), True, False),
    # one province of 16 cities
    "province": ScaleSpec("province", 1, (16, 16), (4, 13), (6, 21), (20, 28), (32, 44), (40, 50), True, True),
    # 31 provinces, ~330 cities, ~2,800 counties, ~120,000 agencies
    "national": ScaleSpec("national", 31, (4, 17), (4, 13), (6, 21), (20, 28), (32, 44), (40, 50), True, True),
}
