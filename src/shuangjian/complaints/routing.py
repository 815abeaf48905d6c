"""Routing a report to its county (承办区县) from a typed address, using the region table.

"长沙市芙蓉区五一大道" → 430102. County names are matched in full (芙蓉区, 长沙县, 吉首市); the
province, city and prefecture names (with or without their suffix: 长沙 / 长沙市, 湘西 / 湘西土家族
苗族自治州) only break ties between counties of the same name and narrow a bare city to its
counties. Only the province of the platform (rule ``common.province_code``) is searched.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.core.cache import cache

from shuangjian.common.rules import province_code as platform_province
from shuangjian.common.text import nfkc
from shuangjian.regions.models import Region, RegionLevel

_SUFFIXES = ("土家族苗族自治州", "自治州", "地区", "市", "州", "盟", "省")


@dataclass
class Resolution:
    """The outcome of :func:`resolve_county`: the county when exactly one fits, else candidates."""

    county: Region | None = None
    candidates: list[Region] = field(default_factory=list)
    city: Region | None = None


def _short(name: str) -> str:
    for suffix in _SUFFIXES:
        if name.endswith(suffix) and len(name) - len(suffix) >= 2:
            return name[: -len(suffix)]
    return name


def _regions(province_code: str) -> list[tuple[str, str, str, str | None]]:
    key = f"complaints:regions:{province_code}"
    rows = cache.get(key)
    if rows is None:
        prefix = province_code[:2]
        rows = list(
            Region.objects.filter(code__startswith=prefix).values_list("code", "name", "level", "parent_id")
        )
        cache.set(key, rows, 3600)
    return rows


def resolve_county(address: str, *, province_code: str | None = None) -> Resolution:
    """Resolve ``address`` to one county-level division of the platform's province.

    Returns a :class:`Resolution` whose ``county`` is set when exactly one county fits; otherwise
    ``candidates`` lists the counties that do (several counties of one name, or every county of a
    city named without its county), and ``city`` the city named, if any. Never raises.
    """
    text = nfkc(address).replace(" ", "")
    if not text:
        return Resolution()
    province_code = province_code or platform_province()
    rows = _regions(province_code)
    by_code = {code: (code, name, level, parent) for code, name, level, parent in rows}
    named_upper: set[str] = set()
    for code, name, level, _parent in rows:
        if level != RegionLevel.COUNTY and (name in text or _short(name) in text):
            named_upper.add(code)
    county_hits: list[tuple[int, str]] = []
    for code, name, level, _parent in rows:
        if level == RegionLevel.COUNTY and name in text:
            county_hits.append((text.find(name), code))
    # A county name inside a longer county name (e.g. two overlapping hits) keeps the longer one.
    names = {code: by_code[code][1] for _pos, code in county_hits}
    county_codes = [
        code
        for _pos, code in county_hits
        if not any(
            other != code and names[code] in names[other] and len(names[other]) > len(names[code])
            for other in names
        )
    ]
    cities = [c for c in named_upper if by_code[c][2] == RegionLevel.PREFECTURE]
    city = Region.objects.get(code=cities[0]) if len(cities) == 1 else None
    if county_codes:
        if len(county_codes) > 1:
            in_city = [c for c in county_codes if by_code[c][3] in named_upper]
            if in_city:
                county_codes = in_city
        if len(county_codes) == 1:
            return Resolution(county=Region.objects.get(code=county_codes[0]), city=city)
        return Resolution(candidates=list(Region.objects.filter(code__in=county_codes)), city=city)
    if city is not None:
        return Resolution(candidates=list(city.counties().exclude(code=city.code)), city=city)
    return Resolution()


def county_choices(province_code: str | None = None) -> list[tuple[str, list[tuple[str, str]]]]:
    """Counties of the province grouped by city, for a <select> with <optgroup>s."""
    province_code = province_code or platform_province()
    rows = _regions(province_code)
    cities = {code: name for code, name, level, _p in rows if level == RegionLevel.PREFECTURE}
    groups: dict[str, list[tuple[str, str]]] = {code: [] for code in sorted(cities)}
    for code, name, level, parent in sorted(rows):
        if level == RegionLevel.COUNTY:
            groups.setdefault(parent or province_code, []).append((code, name))
    return [(cities.get(code, ""), items) for code, items in groups.items() if items]
