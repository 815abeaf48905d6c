"""Demo data of school–enterprise cooperation, calibrated to 湘教复字〔2023〕283号 part 三 (as of 2023-06-05).

``load(scale=..., workdir=..., stdout=...)`` runs after the vocational registry's demo. It writes the
DESIGN.md files — 校企合作项目 (``vocational-programmes``) and 1+X证书考核站点 (``x-certificate-sites``) —
into ``workdir`` and imports them with ``shuangjian import``; the rest goes through the services:

- 学徒制: 67 高职专科 schools, 418 school × major pairs, a 2021 and a 2022 cohort each (≥ 50,000 students
  active on 2023-06-05), plus completed 2019 cohorts;
- 订单班: 472 schools of every level with four active classes each (≥ 100,000 students) and 2019 classes
  graduated on 2022-06-30 with their outcomes (a few with low placement rates);
- 1+X: a catalogue of certificates, 402 sites approved by 2023-06-05 (some revoked since), every 高职专科
  but two piloting (69 / 71 = 0.9718), assessment sessions and results in 2022–2023;
- a few programmes filed through the whole workflow (agreements, mentors, apprentices, 工学交替 plan,
  review, annual report) and some waiting for review, industry–education bodies, craftsmen, training
  volumes, 产教融合型企业.

When the registry has fewer schools than the document's counts need (472 with order classes, 71 高职专科),
the missing schools are added through the registry's own import (or, without it, its models). Loading
twice changes nothing (imports are idempotent; the service steps check first).
"""

from __future__ import annotations

import csv
import datetime as dt
import importlib.util
import random
from pathlib import Path
from typing import Any

from django.core.management import call_command

from shuangjian.common.codes import credit_code_make
from shuangjian.regions.models import Region, RegionLevel

from .testing import SYSTEM

AS_OF = dt.date(2023, 6, 5)
APPRENTICESHIP_SCHOOLS = 67  # "开展中国特色学徒制培养的高职院校 67所"
APPRENTICESHIP_MAJORS = 418  # "涉及专业 418个"
APPRENTICESHIP_STUDENTS = 50_600  # "培养学生 5万余人"
ORDER_CLASS_SCHOOLS = 472  # "472所职业院校推行…订单培养模式"
ORDER_CLASS_STUDENTS = 100_800  # "学生规模 10万余人"
ASSOCIATE_SCHOOLS = 71  # 69 / 71 = 0.9718 (facts §4, INFERRED)
PILOT_SCHOOLS = 69
SITES = 402  # "累计建设 1+X证书考核站点 402个"
SEED = 16

#: 1+X certificates of the demo catalogue (names as in the national lists; organisations as published).
CERTIFICATES = [
    ("Web前端开发", "工业和信息化部教育与考试中心", 1),
    ("老年照护", "北京中福长者文化科技有限公司", 1),
    ("建筑信息模型（BIM）", "廊坊市中科建筑产业化创新研究中心", 1),
    ("汽车运用与维修", "北京中车行高新技术有限公司", 1),
    ("物流管理", "北京中物联物流采购培训中心", 1),
    ("智能财税", "中联集团教育科技有限公司", 1),
    ("工业机器人操作与运维", "北京新奥时代科技有限责任公司", 2),
    ("网店运营推广", "中教畅享（北京）科技有限公司", 2),
    ("母婴护理", "济南阳光大姐服务有限责任公司", 2),
    ("传感网应用开发", "北京新大陆时代教育科技有限公司", 2),
    ("电子商务数据运营", "北京博导前程信息技术股份有限公司", 2),
    ("失智老年人照护", "北京中民福祉教育科技有限责任公司", 3),
    ("业财一体信息化应用", "新道科技股份有限公司", 3),
    ("数控车铣加工", "武汉华中数控股份有限公司", 3),
    ("轨道交通装备制造", "中车株洲电力机车有限公司（演示）", 4),
]
INDUSTRIES = [
    "装备制造",
    "轨道交通",
    "航空动力",
    "工程机械",
    "电子信息",
    "生物医药",
    "新材料",
    "现代物流",
    "文化旅游",
    "现代农业",
    "汽车制造",
    "建筑建材",
    "食品加工",
    "医疗健康",
    "金融服务",
]
BRANDS = [
    "远大",
    "中联",
    "三一",
    "华菱",
    "楚天",
    "湘江",
    "洞庭",
    "岳麓",
    "麓谷",
    "韶山",
    "潇湘",
    "衡岳",
    "梅山",
    "芙蓉",
    "星沙",
    "南岭",
    "雪峰",
    "武陵",
    "沅澧",
    "资江",
    "舜德",
    "炎帝",
    "九嶷",
    "崀山",
]
SUFFIX = {
    "装备制造": "装备制造有限公司",
    "轨道交通": "轨道交通装备有限公司",
    "航空动力": "航空动力科技有限公司",
    "工程机械": "重工机械有限公司",
    "电子信息": "电子信息技术有限公司",
    "生物医药": "生物医药有限公司",
    "新材料": "新材料股份有限公司",
    "现代物流": "物流有限公司",
    "文化旅游": "文化旅游发展有限公司",
    "现代农业": "农业科技有限公司",
    "汽车制造": "汽车制造有限公司",
    "建筑建材": "建设集团有限公司",
    "食品加工": "食品有限公司",
    "医疗健康": "健康产业有限公司",
    "金融服务": "财务咨询有限公司",
}


def _counties() -> list[Region]:
    return list(Region.objects.filter(level=RegionLevel.COUNTY, code__startswith="43").order_by("code"))


def _open_schools(level: str | None = None) -> list[Any]:
    from shuangjian.vocational.models import VocationalSchool, open_on_q

    qs = VocationalSchool.objects.filter(open_on_q(AS_OF)).select_related("county")
    if level:
        qs = qs.filter(level=level)
    return list(qs.order_by("code"))


def _has_importer(module: str) -> bool:
    return importlib.util.find_spec(module) is not None


def top_up_schools(*, workdir: Path, stdout: Any) -> None:
    """Add 高职专科 schools up to 71 and 中职 schools up to 480 open schools (the document's counts need
    them), through the registry's import when it has one; each gets majors of its level."""
    from shuangjian.vocational.models import CatalogueItem, SchoolMajor, VocationalSchool

    rng = random.Random(SEED + 7)
    counties = _counties()
    need_associate = max(0, ASSOCIATE_SCHOOLS - len(_open_schools("ASSOCIATE")))
    need_total = max(0, ORDER_CLASS_SCHOOLS + 8 - len(_open_schools()) - need_associate)
    if not need_associate and not need_total:
        return
    rows: list[dict[str, Any]] = []
    n = (
        VocationalSchool.objects.filter(code__startswith="36439").count()
        + VocationalSchool.objects.filter(code__startswith="41439").count()
    )
    for i in range(need_associate + need_total):
        n += 1
        county = counties[(i * 7) % len(counties)]
        level = "高职专科" if i < need_associate else "中职"
        code = f"{'41' if level == '高职专科' else '36'}439{n:05d}"
        name = (
            f"{county.parent.name[:-1]}{INDUSTRIES[i % len(INDUSTRIES)]}职业技术学院"
            if level == "高职专科"
            else f"{county.name}{BRANDS[i % len(BRANDS)]}职业技术学校"
        )
        rows.append({"code": code, "name": name, "county": county.code, "level": level})
    catalogue = {
        lvl: list(CatalogueItem.objects.filter(kind="MAJOR", level=lvl).values_list("code", "name"))
        for lvl in ("SECONDARY", "ASSOCIATE")
    }
    majors = []
    for row in rows:
        options = catalogue["ASSOCIATE" if row["level"] == "高职专科" else "SECONDARY"]
        for code, name in rng.sample(options, 9 if row["level"] == "高职专科" else 3):
            majors.append([row["code"], code, name, rng.randint(2010, 2019), None])
    if _has_importer("shuangjian.vocational.importers"):
        school_file = workdir / "职业院校名册-校企合作补充.csv"
        with school_file.open("w", newline="", encoding="utf-8") as fh:
            writer = csv.writer(fh)
            writer.writerow(
                [
                    "学校标识码",
                    "学校名称",
                    "区县代码",
                    "办学层次",
                    "举办者类型",
                    "统计年度",
                    "学历教育在校生数",
                    "专任教师数",
                    "双师型教师数",
                    "占地面积",
                    "校舍建筑面积",
                    "教学仪器设备值",
                    "纸质图书",
                ]
            )
            for i, row in enumerate(rows):
                students = rng.randint(1300, 2400) if row["level"] == "中职" else rng.randint(6000, 12000)
                # about one school in five short of the 1:20 teacher ratio, like the registry's own spread
                teachers = students // 24 if i % 5 == 2 else students // 16 + 10
                writer.writerow(
                    [
                        row["code"],
                        row["name"],
                        row["county"],
                        row["level"],
                        "民办",
                        2022,
                        students,
                        teachers,
                        teachers // 2,
                        students * 45,
                        students * 26,
                        f"{students * 3600:.2f}",
                        students * 40,
                    ]
                )
        major_file = workdir / "专业设置-校企合作补充.csv"
        with major_file.open("w", newline="", encoding="utf-8") as fh:
            writer = csv.writer(fh)
            writer.writerow(["学校标识码", "专业代码", "专业名称", "开设年份", "停招年份"])
            writer.writerows(majors)
        call_command("import", "vocational-schools", str(school_file), "--quiet", stdout=stdout)
        call_command("import", "vocational-majors", str(major_file), "--quiet", stdout=stdout)
    else:  # registry without an importer yet: its models directly
        level_key = {"中职": "SECONDARY", "高职专科": "ASSOCIATE"}
        items = {c.code: c for c in CatalogueItem.objects.filter(kind="MAJOR")}
        for row in rows:
            school, _ = VocationalSchool.objects.get_or_create(
                code=row["code"],
                defaults={
                    "name": row["name"],
                    "county_id": row["county"],
                    "level": level_key[row["level"]],
                    "sponsor": "PRIVATE",
                },
            )
        for code, major, name, opened, _stopped in majors:
            school = VocationalSchool.objects.get(code=code)
            SchoolMajor.objects.get_or_create(
                school=school, major=items[major], defaults={"name": name, "opened_year": opened}
            )
    stdout.write(f"校企合作：职业院校名册补充 {len(rows)} 所（演示所需的学校数）")


def _ensure_majors(school: Any, count: int, rng: random.Random) -> list[str]:
    """Codes of at least ``count`` majors the school offers (added through the registry if short)."""
    from shuangjian.vocational.models import CatalogueItem, SchoolMajor

    codes = sorted(school.majors.values_list("major__code", flat=True))
    if len(codes) < count:
        options = [
            c for c in CatalogueItem.objects.filter(kind="MAJOR", level=school.level) if c.code not in codes
        ]
        for item in rng.sample(options, count - len(codes)):
            SchoolMajor.objects.get_or_create(
                school=school, major=item, defaults={"name": item.name, "opened_year": 2015}
            )
            codes.append(item.code)
    return sorted(codes)


class _Enterprises:
    """A pool of demo enterprises (credit codes registered in the school's city)."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.by_city: dict[str, list[tuple[str, str]]] = {}
        self.n = 0
        self.counties = _counties()

    def pick(self, county: str) -> tuple[str, str]:
        city = county[:4]
        pool = self.by_city.setdefault(city, [])
        if len(pool) < 40 or self.rng.random() < 0.15:
            self.n += 1
            local = [c for c in self.counties if c.code.startswith(city)] or self.counties
            where = self.rng.choice(local)
            industry = INDUSTRIES[self.n % len(INDUSTRIES)]
            org = f"MA4L{self.n:05d}"
            code = credit_code_make(f"91{where.code}{org}")
            name = f"湖南{BRANDS[self.n % len(BRANDS)]}{where.name[:2]}{SUFFIX[industry]}"
            if any(name == p[1] for p in pool):
                name = name.replace("有限公司", f"{self.n}号有限公司")
            pool.append((code, name))
            return code, name
        return self.rng.choice(pool)


PROGRAMME_HEAD = [
    "项目编号",
    "项目类型",
    "学校标识码",
    "专业代码",
    "企业统一社会信用代码",
    "企业名称",
    "年级",
    "学生人数",
    "协议签订日期",
    "结束日期",
]


def _spread(total: int, parts: int, rng: random.Random, low: int, high: int) -> list[int]:
    """``parts`` integers within [low, high] summing to ``total`` (adjusting randomly drawn values)."""
    values = [rng.randint(low, high) for _ in range(parts)]
    diff = total - sum(values)
    i = 0
    while diff and i < parts * 50:
        k = i % parts
        step = 1 if diff > 0 else -1
        if low <= values[k] + step <= high:
            values[k] += step
            diff -= step
        i += 1
    return values


def build_programmes(rng: random.Random) -> tuple[list[list[Any]], list[tuple[str, int, int, int]]]:
    """Rows of the 校企合作项目 file and the outcomes of graduated order classes (code, graduates, hired,
    elsewhere)."""
    associates = _open_schools("ASSOCIATE")
    schools = _open_schools()
    enterprises = _Enterprises(rng)
    rows: list[list[Any]] = []
    outcomes: list[tuple[str, int, int, int]] = []
    # apprenticeships: 67 schools × 6–7 majors = 418 pairs, cohorts 2021 and 2022
    app_schools = associates[:APPRENTICESHIP_SCHOOLS]
    pairs: list[tuple[Any, str]] = []
    for i, school in enumerate(app_schools):
        want = 7 if i < APPRENTICESHIP_MAJORS - 6 * APPRENTICESHIP_SCHOOLS else 6
        for code in _ensure_majors(school, want, rng)[:want]:
            pairs.append((school, code))
    sizes = _spread(APPRENTICESHIP_STUDENTS, len(pairs) * 2, rng, 45, 75)
    k = 0
    for school, major in pairs:
        credit, name = enterprises.pick(school.county_id)
        for year in (2021, 2022):
            rows.append(
                [
                    f"XT{school.code}{major}{year}",
                    "学徒制",
                    school.code,
                    major,
                    credit,
                    name,
                    year,
                    sizes[k],
                    f"{year}-08-{rng.randint(10, 28)}",
                    "",
                ]
            )
            k += 1
        if rng.random() < 0.1:  # a completed 2019 cohort
            rows.append(
                [
                    f"XT{school.code}{major}2019",
                    "学徒制",
                    school.code,
                    major,
                    credit,
                    name,
                    2019,
                    rng.randint(40, 60),
                    "2019-08-20",
                    "2022-06-30",
                ]
            )
    # order classes: 472 schools, two majors × cohorts 2021 and 2022; 2019 classes graduated 2022-06-30
    login_school = [s for s in schools if s.code == "3643000001"]  # the demo login's school, when present
    oc_schools = (
        login_school
        + [s for s in schools if s.code != "3643000001"][: ORDER_CLASS_SCHOOLS - len(login_school)]
    )
    classes = [(s, m, y) for s in oc_schools for m in _ensure_majors(s, 2, rng)[:2] for y in (2021, 2022)]
    sizes = _spread(ORDER_CLASS_STUDENTS, len(classes), rng, 40, 66)
    for (school, major, year), size in zip(classes, sizes, strict=True):
        credit, name = enterprises.pick(school.county_id)
        rows.append(
            [
                f"DD{school.code}{major}{year}",
                "订单班",
                school.code,
                major,
                credit,
                name,
                year,
                size,
                f"{year}-09-{rng.randint(1, 20)}",
                "",
            ]
        )
    for i, school in enumerate(oc_schools[::2]):
        major = _ensure_majors(school, 1, rng)[0]
        credit, name = enterprises.pick(school.county_id)
        code = f"DD{school.code}{major}2019"
        size = rng.randint(38, 60)
        rows.append(
            [code, "订单班", school.code, major, credit, name, 2019, size, "2019-09-05", "2022-06-30"]
        )
        rate = rng.uniform(0.2, 0.45) if i % 23 == 5 else rng.uniform(0.62, 0.95)
        hired = round(size * rate)
        elsewhere = round((size - hired) * 0.7)
        outcomes.append((code, size, hired, elsewhere))
    return rows, outcomes


def build_sites(rng: random.Random) -> list[list[Any]]:
    """Rows of the 1+X证书考核站点 file: 402 sites approved 2019–2023-05, 69 高职专科 piloting."""
    associates = _open_schools("ASSOCIATE")[:ASSOCIATE_SCHOOLS]
    piloting, idle = associates[:PILOT_SCHOOLS], associates[PILOT_SCHOOLS:]
    secondary = [s for s in _open_schools("SECONDARY") if s.code != "3643000001"]
    labels = {1: "初级、中级", 2: "初级、中级、高级", 3: "中级"}
    rows: list[list[Any]] = []
    hosts = [piloting[i % len(piloting)] for i in range(PILOT_SCHOOLS * 4)]
    hosts += rng.sample(secondary, SITES - len(hosts) - 1)
    for i, school in enumerate(hosts):
        name, org, batch = CERTIFICATES[(i * 5 + i // len(CERTIFICATES)) % len(CERTIFICATES)]
        approved = dt.date(
            2019 + batch - 1 + rng.randint(0, 1), rng.choice([3, 6, 9, 11]), rng.randint(1, 28)
        )
        approved = min(approved, dt.date(2023, 5, 20))
        # a few revoked sites: never the only one of a piloting 高职 (its first four are kept)
        revoked = (
            dt.date(2022, 12, 31)
            if i >= PILOT_SCHOOLS * 4 and i % 37 == 3 and approved < dt.date(2022, 12, 1)
            else None
        )
        rows.append([f"ZD{school.code}{i:04d}", school.code, name, org, labels[1 + i % 3], approved, revoked])
    # one 高职 had a site, revoked in 2022 and no assessment in 2023: it does not pilot on 2023-06-05
    name, org, _batch = CERTIFICATES[0]
    rows.append(
        [f"ZD{idle[0].code}R001", idle[0].code, name, org, "初级", dt.date(2020, 6, 1), dt.date(2022, 6, 30)]
    )
    return rows


def _write_csv(path: Path, head: list[str], rows: list[list[Any]]) -> Path:
    with path.open("w", newline="", encoding="utf-8") as fh:
        writer = csv.writer(fh)
        writer.writerow(head)
        writer.writerows([["" if v is None else v for v in row] for row in rows])
    return path


def _outcomes(outcomes: list[tuple[str, int, int, int]]) -> None:
    from .models import OrderClassOutcome, Programme
    from .services import order_outcome_record

    done = set(OrderClassOutcome.objects.values_list("programme__code", flat=True))
    programmes = {p.code: p for p in Programme.objects.filter(code__in=[o[0] for o in outcomes])}
    for code, graduates, hired, elsewhere in outcomes:
        if code in done:
            continue
        rest = graduates - hired - elsewhere
        order_outcome_record(
            programme=programmes[code],
            actor=SYSTEM,
            graduated_on=dt.date(2022, 6, 30),
            graduates=graduates,
            hired_by_orderer=hired,
            hired_elsewhere=elsewhere,
            further_study=rest // 2,
            other=rest - rest // 2,
        )


def _sessions(rng: random.Random) -> None:
    from .models import AssessmentSession, AssessmentSite
    from .services import session_record

    if AssessmentSession.objects.exists():
        return
    for site in AssessmentSite.objects.filter(state="APPROVED").order_by("code"):
        for held_on in (dt.date(2022, 6, 18), dt.date(2022, 12, 10), dt.date(2023, 5, 27)):
            if not site.active_on(held_on) or rng.random() < 0.4:
                continue
            level = rng.choice(site.levels.split(","))
            candidates = rng.randint(20, 80)
            passed = round(candidates * rng.uniform(0.62, 0.95))
            session_record(
                site=site, actor=SYSTEM, held_on=held_on, level=level, candidates=candidates, passed=passed
            )


def _workflows(rng: random.Random, stdout: Any) -> None:
    """Programmes filed through the services: one fully filed with agreements, mentors, apprentices, plan,
    review and annual report; one waiting for the province; the demo login school's draft and order
    class. Agreement dates after 2023-06-05, so the calibrated figures on that date are unchanged."""
    from shuangjian.vocational.models import VocationalSchool

    from . import services
    from .models import Programme

    if Programme.objects.filter(source="form").exists():
        return
    associates = _open_schools("ASSOCIATE")
    zhixiao = VocationalSchool.objects.filter(code="3643000001").first()

    def plan(programme: Programme, apprentices: int, start: dt.date) -> None:
        sm = services.mentor_add(
            programme=programme,
            actor=SYSTEM,
            side="SCHOOL",
            name="李明",
            qualification="双师型（高级）",
            dual_qualified=True,
            practice_years=8,
        )
        mentors = [
            services.mentor_add(
                programme=programme,
                actor=SYSTEM,
                side="ENTERPRISE",
                name=n,
                qualification="高级技师",
                practice_years=12 + i,
            )
            for i, n in enumerate(["王建国", "赵卫东"])
        ]
        services.period_add(
            programme=programme,
            actor=SYSTEM,
            place="SCHOOL",
            starts_on=start,
            ends_on=start + dt.timedelta(days=130),
            hours_per_day=6,
            content="专业基础课程",
        )
        services.period_add(
            programme=programme,
            actor=SYSTEM,
            place="ENTERPRISE",
            starts_on=start + dt.timedelta(days=170),
            ends_on=start + dt.timedelta(days=290),
            hours_per_day=8,
            content="岗位轮训与师带徒",
        )
        for i in range(apprentices):
            services.apprentice_add(
                programme=programme,
                actor=SYSTEM,
                ref=f"XT{start.year}-{i + 1:03d}",
                birth_month=dt.date(2004 + i % 2, 1 + i % 12, 1),
                school_mentor=sm,
                enterprise_mentor=mentors[i % 2],
                agreement_signed_on=start - dt.timedelta(days=10),
            )

    enterprise, _ = services.enterprise_upsert(
        credit_code=credit_code_make("91430200MA4LDEM01"),
        name="湖南株洲轨道交通装备演示有限公司",
        industry="轨道交通",
        actor=SYSTEM,
    )
    services.enterprise_set_ie_status(
        enterprise=enterprise,
        actor=SYSTEM,
        status="RECOGNISED",
        level="PROVINCIAL",
        recognised_on=dt.date(2022, 12, 1),
    )
    if associates:
        school = associates[0]
        major = _ensure_majors(school, 1, rng)[0]
        filed = services.programme_create(
            actor=SYSTEM,
            school=school,
            kind="APPRENTICESHIP",
            major_code=major,
            enterprise=enterprise,
            entry_year=2023,
            students=6,
            agreement_signed_on=dt.date(2023, 8, 25),
            name="现场工程师学徒班",
        )
        plan(filed, 6, dt.date(2023, 9, 1))
        services.programme_submit(programme=filed, actor=SYSTEM)
        services.programme_review(programme=filed, actor=SYSTEM, decision="approve")
        services.annual_report_file(
            programme=filed,
            actor=SYSTEM,
            year=2023,
            students_in_training=6,
            summary="完成第一学期在校学习和企业认岗，学徒全部在训。",
        )
        waiting = services.programme_create(
            actor=SYSTEM,
            school=associates[1],
            kind="APPRENTICESHIP",
            major_code=_ensure_majors(associates[1], 1, rng)[0],
            enterprise=enterprise,
            entry_year=2024,
            students=4,
            agreement_signed_on=dt.date(2024, 8, 20),
        )
        plan(waiting, 4, dt.date(2024, 9, 1))
        services.programme_submit(programme=waiting, actor=SYSTEM)
    if zhixiao is not None:
        major = _ensure_majors(zhixiao, 1, rng)[0]
        services.programme_create(
            actor=SYSTEM,
            school=zhixiao,
            kind="APPRENTICESHIP",
            major_code=major,
            enterprise=enterprise,
            entry_year=2024,
            students=20,
            agreement_signed_on=dt.date(2024, 8, 28),
            name="演示学徒班（草稿）",
        )
    stdout.write("校企合作：学徒制备案流程示例已登记")


def _bodies_and_craftsmen(rng: random.Random) -> None:
    from .models import CraftsmanRecognition, Enterprise, IndustryEducationBody, TrainingVolume
    from .services import (
        body_activity_add,
        body_create,
        body_member_add,
        craftsman_record,
        enterprise_set_ie_status,
        training_volume_record,
    )

    if IndustryEducationBody.objects.exists():
        return
    cities = list(Region.objects.filter(level=RegionLevel.PREFECTURE, code__startswith="43").order_by("code"))
    associates = _open_schools("ASSOCIATE")
    secondary = _open_schools("SECONDARY")
    enterprises = list(Enterprise.objects.order_by("pk")[:400])
    chains = ["工程机械", "轨道交通", "航空动力", "先进储能材料", "生物医药"]
    specs = [
        ("CONSORTIUM", "PROVINCIAL", f"{c.name}市域产教联合体", f"{c.name[:2]}经济技术开发区", c)
        for c in cities
    ]
    specs += [
        ("COMMUNITY", "PROVINCIAL", f"湖南{ch}行业产教融合共同体", f"{ch}产业链", cities[i % 3])
        for i, ch in enumerate(chains)
    ]
    specs += [("PRACTICE_CENTRE", "CITY", f"{c.name}产教融合实践中心", "", c) for c in cities[:10]]
    for i, (kind, level, name, anchor, city) in enumerate(specs):
        county = (
            Region.objects.filter(code__startswith=city.code[:4], level=RegionLevel.COUNTY)
            .order_by("code")
            .first()
        )
        body = body_create(
            actor=SYSTEM,
            name=name,
            kind=kind,
            level=level,
            county_code=county.code,
            founded_on=dt.date(2023, 5 + i % 2, 10),
            anchor=anchor,
            batch="2023年首批",
        )
        local = [s for s in associates if s.county_id.startswith(city.code[:4])] or associates
        body_member_add(body=body, actor=SYSTEM, role="LEAD_ENTERPRISE", enterprise=enterprises[i])
        body_member_add(body=body, actor=SYSTEM, role="LEAD_SCHOOL", school=local[0])
        if kind == "COMMUNITY":
            body_member_add(body=body, actor=SYSTEM, role="LEAD_UNIVERSITY", other_name="中南大学")
        for s in rng.sample(secondary, 3):
            body_member_add(body=body, actor=SYSTEM, role="MEMBER", school=s)
        for e in rng.sample(enterprises, 4):
            body_member_add(body=body, actor=SYSTEM, role="MEMBER", enterprise=e)
        body_activity_add(
            body=body,
            actor=SYSTEM,
            held_on=dt.date(2023, 9, 15),
            title="发布核心产品、技术需求和人才需求清单",
            participants=rng.randint(60, 200),
        )
    for e in enterprises[:60]:
        enterprise_set_ie_status(
            enterprise=e,
            actor=SYSTEM,
            status="RECOGNISED",
            level="PROVINCIAL",
            recognised_on=dt.date(2021 + rng.randint(0, 2), 12, 1),
        )
    if not CraftsmanRecognition.objects.exists():
        surnames = "王李张刘陈杨黄赵周吴徐孙胡朱高林何郭马罗"
        counties = _counties()
        plan = [("NATIONAL", 2), ("PROVINCE", 30), ("CITY", 80), ("COUNTY", 160)]
        n = 0
        for year in (2021, 2022):
            for level, count in plan:
                for _ in range(count):
                    n += 1
                    county = rng.choice(counties)
                    craftsman_record(
                        actor=SYSTEM,
                        name=rng.choice(surnames) + "某某",
                        id_number=f"DEMO{n:08d}",
                        level=level,
                        year=year,
                        field=rng.choice(INDUSTRIES),
                        county_code=county.code,
                        employer=f"{county.name}{rng.choice(INDUSTRIES)}企业（演示）",
                    )
    if not TrainingVolume.objects.exists():
        for school in rng.sample(secondary + associates, min(300, len(secondary) + len(associates))):
            for year in (2021, 2022):
                training_volume_record(
                    actor=SYSTEM,
                    school=school,
                    year=year,
                    subsidised=rng.randint(200, 3000),
                    market=rng.randint(0, 1500),
                )


def load(*, scale: str, workdir: Path, stdout: Any) -> None:
    """Top up the registry if needed, write and import the programmes and sites, then the service steps."""
    rng = random.Random(SEED)
    top_up_schools(workdir=workdir, stdout=stdout)
    rows, outcomes = build_programmes(rng)
    path = _write_csv(workdir / "校企合作项目.csv", PROGRAMME_HEAD, rows)
    stdout.write(f"导入 vocational-programmes：{path.name}")
    call_command("import", "vocational-programmes", str(path), "--quiet", stdout=stdout)
    _outcomes(outcomes)
    path = _write_csv(
        workdir / "1+X证书考核站点.csv",
        ["站点编号", "学校标识码", "证书名称", "培训评价组织", "等级", "批准日期", "撤销日期"],
        build_sites(random.Random(SEED + 1)),
    )
    stdout.write(f"导入 x-certificate-sites：{path.name}")
    call_command("import", "x-certificate-sites", str(path), "--quiet", stdout=stdout)
    _sessions(random.Random(SEED + 2))
    _workflows(random.Random(SEED + 3), stdout)
    _bodies_and_craftsmen(random.Random(SEED + 4))
