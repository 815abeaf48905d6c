"""Demo data of vocational education over Hunan's real 14 cities and 122 counties.

``load(scale=..., workdir=..., stdout=...)`` writes the platform's own .xlsx templates, filled — the
职业院校名册 with two statistical years of returns (2021, 2022) and the 专业设置 — into ``workdir`` and
imports them through ``shuangjian import``; then adds a few 贯通 partnerships, 职普融通 pilots and 特色综合
高中 through the services. Calibrated to 湘教复字〔2023〕283号 (as of 2023-06-05):

- public 中职 in exactly 97 counties (``vocational.secondary.public_counties`` 97): every county with a
  poverty-exit 职教中心, the demo login's 芙蓉区, at least one county per city, the rest drawn at random;
- 51 职教中心, one per poverty-exit county of ``data/poverty_counties.csv`` (洪江区's in 洪江市);
- 112 省"双优" schools (``vocational.double_excellence.schools``), 14 市级职业教育培训中心 (one per city);
- 高职 in every city (71 高职专科 + 3 职业本科), majors covering every 专业大类;
- a spread of 中职 below the standard (one to three key indicators short), some improving from 2021
  to 2022, one closed private school and one founded in 2022 (outside the 达标工程 scope).

Names are generated from the county names. Loading twice changes nothing (the imports are idempotent,
the service steps check first).
"""

from __future__ import annotations

import csv
import datetime as dt
import math
import random
from pathlib import Path
from typing import Any

from django.core.management import call_command

from shuangjian.regions.models import Region, RegionLevel

from .choices import Level, Sponsor
from .importers import SchoolMajorImporter, VocationalSchoolImporter

DATA = Path(__file__).resolve().parent / "data"
PUBLIC_COUNTIES = 97  # 湘教复字〔2023〕283号："97个县市重点办好1所以上公办中职"
DOUBLE_EXCELLENCE = 112  # "112所省“双优”建设学校"
ASSOCIATE_COUNT = 71  # INFERRED in the reference (§4): 69/71 高职 piloting 1+X = 97.18 %
BACHELOR_COUNT = 3
DEMO_LOGIN_SCHOOL = ("3643000001", "长沙市芙蓉区演示职业中专学校", "430102")  # the demo login ``zhixiao``
YEARS = (2021, 2022)
SEED = 15


def poverty_counties() -> list[tuple[str, str]]:
    """(name, GB/T 2260 code) of the 51 poverty-exit counties, in the file's order (洪江区 → 431281)."""
    with open(DATA / "poverty_counties.csv", encoding="utf-8") as stream:
        return [(row["区县"], row["区划代码"]) for row in csv.DictReader(stream)]


def _short(name: str) -> str:
    for suffix in ("苗族侗族自治县", "侗族自治县", "苗族自治县", "瑶族自治县", "土家族苗族自治州", "自治县"):
        if name.endswith(suffix):
            return name[: -len(suffix)]
    return name[:-1] if len(name) > 2 and name[-1] in "县市区" else name


class _Codes:
    def __init__(self) -> None:
        self.n = {"36": 100, "41": 100}

    def next(self, aa: str, city: str) -> str:
        self.n[aa] += 1
        return f"{aa}43{city[2:4]}{self.n[aa]:04d}"


def _conditions(rng: random.Random, students: int, *, short: set[str]) -> dict[str, Any]:
    """Figures of a return meeting the 一般类 thresholds with margin, except the indicators in ``short``."""
    teachers = max(60, math.ceil(students / rng.uniform(14, 18.5)))
    figures = {
        "teachers": teachers,
        "dual": round(teachers * rng.uniform(0.32, 0.6)),
        "land": max(40000, students * rng.uniform(36, 55)),
        "building": max(24000, students * rng.uniform(21.5, 30)),
        "equipment": max(3_000_000, students * rng.uniform(2700, 4500)),
        "books": students * rng.uniform(32, 48),
    }
    if "student_teacher_ratio" in short:
        figures["teachers"] = max(60, math.floor(students / rng.uniform(22, 26)))
        figures["dual"] = round(figures["teachers"] * 0.35)
    if "teachers" in short:
        figures["teachers"] = rng.randint(40, 56)
        figures["dual"] = round(figures["teachers"] * 0.35)
    if "land_per_student" in short:
        figures["land"] = students * rng.uniform(24, 31)
    if "building_per_student" in short:
        figures["building"] = students * rng.uniform(14, 19)
    if "equipment_per_student" in short:
        figures["equipment"] = students * rng.uniform(1500, 2300)
    if "books_per_student" in short:
        figures["books"] = students * rng.uniform(18, 28)
    return figures


SHORT_CHOICES = [
    "land_per_student",
    "building_per_student",
    "equipment_per_student",
    "books_per_student",
    "student_teacher_ratio",
    "teachers",
]


def build(scale: str = "small") -> tuple[list[list[Any]], list[list[Any]]]:
    """The rows of the two files (职业院校名册, 专业设置), deterministic for a scale."""
    from .models import CatalogueItem

    rng = random.Random(SEED)
    counties = list(Region.objects.filter(level=RegionLevel.COUNTY, code__startswith="43").order_by("code"))
    cities = list(Region.objects.filter(level=RegionLevel.PREFECTURE, code__startswith="43").order_by("code"))
    by_code = {c.code: c for c in counties}
    poverty = poverty_counties()
    chosen = {code for _, code in poverty} | {DEMO_LOGIN_SCHOOL[2]}
    for city in cities:  # at least one county per city hosts public 中职 (its 市级培训中心 goes there)
        if not any(code.startswith(city.code[:4]) for code in chosen):
            chosen.add(next(c.code for c in counties if c.code.startswith(city.code[:4])))
    rest = [c.code for c in counties if c.code not in chosen]
    rng.shuffle(rest)
    chosen |= set(rest[: PUBLIC_COUNTIES - len(chosen)])
    assert len(chosen) == PUBLIC_COUNTIES
    uncovered = sorted(set(by_code) - chosen)

    codes = _Codes()
    schools: list[dict[str, Any]] = []

    def add(code: str, name: str, county: str, level: str, sponsor: str, **extra: Any) -> dict[str, Any]:
        school = {
            "code": code,
            "name": name,
            "county": county,
            "level": level,
            "sponsor": sponsor,
            "centre": False,
            "double": False,
            "city_training": False,
            "founded": None,
            "closed": None,
            "technical": False,
            "industry": "",
            **extra,
        }
        schools.append(school)
        return school

    add(*DEMO_LOGIN_SCHOOL[:2], DEMO_LOGIN_SCHOOL[2], "中职", "公办", founded=dt.date(1985, 9, 1))
    for name, code in poverty:
        county = by_code[code]
        title = (
            "怀化市洪江区职业教育中心"
            if name == "洪江区"
            else f"{county.parent.name}{_short(name)}职业教育中心"
        )
        add(
            codes.next("36", code),
            title,
            code,
            "中职",
            "公办",
            centre=True,
            founded=dt.date(rng.randint(1980, 2005), 9, 1),
        )
    for code in sorted(chosen - {c for _, c in poverty} - {DEMO_LOGIN_SCHOOL[2]}):
        county = by_code[code]
        add(
            codes.next("36", code),
            f"{county.parent.name}{_short(county.name)}职业中等专业学校",
            code,
            "中职",
            "公办",
            founded=dt.date(rng.randint(1978, 2010), 9, 1),
        )
    for city in cities:
        host = sorted(c for c in chosen if c.startswith(city.code[:4]))[0]
        add(
            codes.next("36", host),
            f"{city.name}职业教育培训中心",
            host,
            "中职",
            "公办",
            city_training=True,
            founded=dt.date(rng.randint(1990, 2012), 9, 1),
        )
        hosts = sorted(c for c in chosen if c.startswith(city.code[:4]))
        for i, kind in enumerate(
            ["工业职业技术学校", "财经商贸学校", "卫生职业中专学校"][: 2 if city.code != "430100" else 3]
        ):
            add(
                codes.next("36", hosts[i % len(hosts)]),
                f"{city.name}{kind}",
                hosts[i % len(hosts)],
                "中职",
                "公办",
                founded=dt.date(rng.randint(1970, 2008), 9, 1),
            )
        add(
            codes.next("36", hosts[-1]),
            f"{city.name}技工学校",
            hosts[-1],
            "中职",
            "公办",
            technical=True,
            founded=dt.date(rng.randint(1975, 2000), 9, 1),
        )
    private_counties = uncovered[::2] + sorted(chosen)[::9]
    for i, code in enumerate(private_counties):
        county = by_code[code]
        add(
            codes.next("36", code),
            f"{_short(county.name)}{['华信', '新华', '博才', '育英'][i % 4]}职业学校",
            code,
            "中职",
            "民办",
            founded=dt.date(rng.randint(1998, 2018), 9, 1),
        )
    # one private school closed in 2022 (merged), one founded in 2022 (outside the 达标工程 scope)
    schools[-1]["closed"] = dt.date(2022, 7, 1)
    newest = uncovered[1]
    add(
        codes.next("36", newest),
        f"{_short(by_code[newest].name)}启航职业学校",
        newest,
        "中职",
        "民办",
        founded=dt.date(2022, 9, 1),
    )
    secondary = [
        s for s in schools if s["closed"] is None and (s["founded"] or dt.date.min) < dt.date(2022, 1, 1)
    ]
    for s in rng.sample(
        [s for s in secondary if s["sponsor"] == "公办" and not s["technical"]], DOUBLE_EXCELLENCE
    ):
        s["double"] = True

    # 高职: every city at least one, 长沙 most of them (71 专科 + 3 职业本科)
    weights = [(c, 6 if c.code == "430100" else 1) for c in cities]
    higher_cities = list(cities) + rng.choices(
        [c for c, _ in weights], [w for _, w in weights], k=ASSOCIATE_COUNT + BACHELOR_COUNT - len(cities)
    )
    fields = [
        "工业",
        "交通",
        "商务",
        "信息",
        "建筑",
        "水利水电",
        "机电",
        "汽车",
        "铁道",
        "化工",
        "医学",
        "民政",
        "艺术",
        "财经",
    ]
    for i, city in enumerate(higher_cities):
        district = next(c.code for c in counties if c.code.startswith(city.code[:4]))
        level = "职业本科" if i >= ASSOCIATE_COUNT else "高职专科"
        name = f"{city.name[:-1]}{fields[i % len(fields)]}职业{'技术大学' if level == '职业本科' else '技术学院'}"
        if any(s["name"] == name for s in schools):
            name = name.replace("职业", f"{['第二', '应用', '现代', '科技'][i % 4]}职业")
        add(
            codes.next("41", district),
            name,
            district,
            level,
            "公办" if i % 9 else "民办",
            founded=dt.date(rng.randint(1999, 2015), 6, 1),
            industry=fields[i % len(fields)],
        )

    # returns: 2021 and 2022; about a fifth of the in-scope 中职 below the standard in 2022
    school_rows: list[list[Any]] = []
    scope = [s for s in secondary if s["level"] == "中职"]
    below = {s["code"] for s in rng.sample(scope, round(len(scope) * 0.2))}
    improving = {s["code"] for s in rng.sample(scope, round(len(scope) * 0.1))} - below
    for s in schools:
        base = rng.randint(900, 3200) if s["level"] == "中职" else rng.randint(6000, 16000)
        short = set(rng.sample(SHORT_CHOICES, rng.randint(1, 3))) if s["code"] in below else set()
        for year in YEARS:
            if s["founded"] and s["founded"].year > year:
                continue
            if s["closed"] and s["closed"].year < year:
                continue
            students = round(base * (0.94 if year == 2021 else 1.0))
            year_short = short | (
                {"building_per_student"} if s["code"] in improving and year == 2021 else set()
            )
            f = _conditions(random.Random(f"{s['code']}-{year}"), students, short=year_short)
            if s["level"] != "中职":
                f["teachers"] = max(f["teachers"], round(students / 17))
                f["equipment"] = max(f["equipment"], students * 6000.0)
                f["books"] = max(f["books"], students * 70.0)
            school_rows.append(
                [
                    s["code"],
                    s["name"],
                    s["county"],
                    s["level"],
                    s["sponsor"],
                    year,
                    students,
                    f["teachers"],
                    min(f["dual"], f["teachers"]),
                    round(f["land"]),
                    round(f["building"]),
                    f"{f['equipment']:.2f}",
                    round(f["books"]),
                    "是" if s["double"] and (year == 2022 or rng.random() < 0.5) else "否",
                    "是" if s["centre"] else "否",
                    s["closed"] or None,
                    "是" if s["technical"] else "否",
                    s["founded"],
                    "是" if s["city_training"] else "否",
                    s["industry"],
                    "技工学校" if s["technical"] else ("边远脱贫地区" if s["centre"] else "一般类"),
                ]
            )

    # majors: 中职 3–6, 高职 8–14 of their level; 高职 majors spread over all 19 大类
    catalogue = {
        level: list(
            CatalogueItem.objects.filter(kind="MAJOR", level=level)
            .order_by("code")
            .values_list("code", "name")
        )
        for level in Level
    }
    level_key = {"中职": Level.SECONDARY, "高职专科": Level.ASSOCIATE, "职业本科": Level.BACHELOR}
    major_rows: list[list[Any]] = []
    higher_index = 0
    for s in schools:
        options = catalogue[level_key[s["level"]]]
        count = rng.randint(3, 6) if s["level"] == "中职" else rng.randint(8, 14)
        picks = rng.sample(options, count)
        if s["level"] == "高职专科":  # walk the 19 大类 so that every one is served somewhere
            family = 41 + higher_index % 19
            higher_index += 1
            first = next(o for o in options if o[0].startswith(str(family)))
            if first not in picks:
                picks[0] = first
        for j, (code, name) in enumerate(picks):
            opened = rng.randint(2008, 2021)
            stopped = rng.randint(opened + 1, 2023) if j == count - 1 and rng.random() < 0.3 else None
            major_rows.append([s["code"], code, name, opened, stopped])
    if scale == "province":
        pass  # the registry is the province's real size at both scales (a few hundred schools)
    return school_rows, major_rows


def _write(path: Path, importer: Any, rows: list[list[Any]]) -> Path:
    import openpyxl

    workbook = openpyxl.Workbook(write_only=True)
    sheet = workbook.create_sheet(importer.title[:31])
    sheet.append([c.header for c in importer.columns])
    for row in rows:
        sheet.append(row)
    workbook.save(path)
    return path


def _extras(stdout: Any) -> None:
    """贯通 partnerships, 职普融通 pilots and 特色综合高中 through the services (skipped when present)."""
    from .models import Designation, Partnership, VocationalSchool
    from .services import designation_add, partnership_add

    if Partnership.objects.exists():
        return
    rng = random.Random(SEED + 1)
    secondary = list(
        VocationalSchool.objects.filter(
            level=Level.SECONDARY, sponsor=Sponsor.PUBLIC, is_technical=False
        ).order_by("code")
    )
    higher = list(VocationalSchool.objects.filter(level=Level.ASSOCIATE).order_by("code"))
    bachelor = list(VocationalSchool.objects.filter(level=Level.BACHELOR).order_by("code"))
    for i, school in enumerate(rng.sample(secondary, 20)):
        partner = higher[i % len(higher)]
        partnership_add(
            actor=None,
            kind="FIVE_YEAR" if i % 2 else "SECONDARY_HIGHER",
            stage1=school,
            stage2=partner,
            started_on=dt.date(2019 + i % 4, 9, 1),
            stage1_major="660301",
            stage2_major="460301",
        )
    for i, school in enumerate(higher[:6]):
        partnership_add(
            actor=None,
            kind="HIGHER_BACHELOR",
            stage1=school,
            stage2=bachelor[i % len(bachelor)],
            started_on=dt.date(2021, 9, 1),
        )
    modes = ["SCHOOL", "CLASS", "COURSE"]
    for i, school in enumerate(rng.sample(secondary, 12)):
        designation_add(
            actor=None,
            school=school,
            kind="INTEGRATION_PILOT",
            started_on=dt.date(2022, 9, 1),
            integration_mode=modes[i % 3],
            partner=f"{school.county.name}第一中学",
            batch="2022年首批",
        )
    for school in rng.sample(secondary, 8):
        if not Designation.objects.filter(school=school, kind="COMPREHENSIVE_HIGH").exists():
            designation_add(
                actor=None,
                school=school,
                kind="COMPREHENSIVE_HIGH",
                started_on=dt.date(2022, 9, 1),
                batch="2022年",
            )
    stdout.write("职业教育：贯通培养、职普融通试点和特色综合高中已登记\n")


def load(*, scale: str, workdir: Path, stdout: Any) -> None:
    """Write and import the vocational registry and majors, then the service-only records."""
    school_rows, major_rows = build(scale)
    schools_file = _write(workdir / "职业院校名册.xlsx", VocationalSchoolImporter, school_rows)
    majors_file = _write(workdir / "专业设置.xlsx", SchoolMajorImporter, major_rows)
    call_command("import", "vocational-schools", str(schools_file), "--quiet", stdout=stdout)
    call_command("import", "vocational-majors", str(majors_file), "--quiet", stdout=stdout)
    _extras(stdout)
