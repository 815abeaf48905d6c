"""Demo registry for Hunan (demo mode only): writes an institutions registry file (机构名册) with a
realistic spread over Hunan's 122 county-level divisions and imports it through the real command
(``shuangjian import institutions``). Calibration to the published figures is a later issue.

The demo province writes its registry with ``shuangjian.demo.institutions`` (calibrated) and calls
only :func:`seed_operations` from here (the ``registry_operations`` step of ``AREA_LOADERS``);
:func:`load` is the area's own small demo, used by its tests.
"""

from __future__ import annotations

import csv
import datetime as dt
import random
from pathlib import Path
from typing import Any

from django.core.management import call_command
from django.core.management.base import CommandError

from shuangjian.common.codes import credit_code_make
from shuangjian.regions.models import Region, RegionLevel

from .models import Institution

HEADER = [
    "统一社会信用代码",
    "机构名称",
    "区县代码",
    "培训类别",
    "培训形式",
    "服务对象",
    "办学性质",
    "审批日期",
    "终止日期",
    "终止原因",
    "纳入资金监管",
    "办学许可证号",
]
SUBJECT_WORDS = [
    "学思",
    "博学",
    "启智",
    "优学",
    "明德",
    "致远",
    "求是",
    "育才",
    "培英",
    "文华",
    "思源",
    "卓越",
    "立达",
]
SUBJECT_KINDS = ["文化培训学校", "教育培训学校", "学科辅导中心", "培训学校"]
NON_SUBJECT = {
    "艺术": ["艺术培训学校", "美术培训中心", "舞蹈艺术学校", "音乐培训中心", "书画院"],
    "体育": ["体育培训中心", "篮球俱乐部", "游泳培训中心", "跆拳道馆", "武术学校"],
    "科技": ["科技培训中心", "编程培训学校", "机器人创客中心"],
    "综合": ["研学实践中心", "围棋培训学校", "口才艺术中心"],
}
NON_SUBJECT_WORDS = [
    "星光",
    "彩虹",
    "童梦",
    "飞扬",
    "小树",
    "悦动",
    "七彩",
    "未来",
    "启航",
    "晨曦",
    "青苗",
    "湘韵",
    "麓山",
]
SCALE_PER_COUNTY = {"small": (2, 6), "province": (25, 80)}


def _short(name: str) -> str:
    for suffix in (
        "土家族苗族自治州",
        "苗族侗族自治县",
        "侗族自治县",
        "瑶族自治县",
        "苗族自治县",
        "土家族自治县",
        "自治县",
        "区",
        "县",
        "市",
    ):
        if name.endswith(suffix) and len(name) > len(suffix) + 1:
            return name[: -len(suffix)]
    return name


def _date(rng: random.Random, start: dt.date, end: dt.date) -> dt.date:
    return start + dt.timedelta(days=rng.randrange(max(1, (end - start).days)))


def build_rows(*, scale: str, seed: int = 20210724) -> list[list[Any]]:
    """Rows of the demo registry file (one per institution per category episode)."""
    rng = random.Random(seed)
    low, high = SCALE_PER_COUNTY[scale]
    rows: list[list[Any]] = []
    serial = 0
    counties = list(Region.objects.filter(level=RegionLevel.COUNTY, code__startswith="43").order_by("code"))
    for county in counties:
        urban = county.name.endswith("区")
        weight = 2.0 if county.code.startswith("4301") else 1.0
        weight *= 1.5 if urban else 1.0
        count = int(rng.randint(low, high) * weight)
        short = _short(county.name)
        for _ in range(count):
            serial += 1
            subject = rng.random() < 0.45
            if subject:
                name = f"{short}{rng.choice(SUBJECT_WORDS)}{rng.choice(SUBJECT_KINDS)}"
                code = credit_code_make(f"52{county.code}MJ{serial:07d}")
                approved = _date(rng, dt.date(2014, 1, 1), dt.date(2021, 7, 1))
                license_no = f"教民{county.code}{approved.year}X{serial:05d}"
                online = county.code.startswith("4301") and rng.random() < 0.04
                mode = "线上" if online else "线下"
                audience = rng.choice(["义务教育", "义务教育", "义务教育", "义务教育、普通高中", "普通高中"])
                fate = rng.random()
                if fate < 0.55:  # 转型 to non-subject training
                    ended = _date(rng, dt.date(2021, 9, 1), dt.date(2022, 6, 30))
                    rows.append(
                        [
                            code,
                            name,
                            county.code,
                            "学科类",
                            mode,
                            audience,
                            "非营利性",
                            approved.isoformat(),
                            ended.isoformat(),
                            "转型",
                            "是",
                            license_no,
                        ]
                    )
                    rows.append(
                        [
                            code,
                            name,
                            county.code,
                            "非学科类",
                            "线下",
                            rng.choice(["义务教育", "学龄前、义务教育"]),
                            "非营利性",
                            ended.isoformat(),
                            "",
                            "",
                            "是",
                            license_no,
                        ]
                    )
                elif fate < 0.90:
                    ended = _date(rng, dt.date(2021, 8, 1), dt.date(2023, 6, 30))
                    reason = rng.choice(["注销", "注销", "停办"])
                    rows.append(
                        [
                            code,
                            name,
                            county.code,
                            "学科类",
                            mode,
                            audience,
                            "非营利性",
                            approved.isoformat(),
                            ended.isoformat(),
                            reason,
                            "否",
                            license_no,
                        ]
                    )
                elif fate < 0.93:
                    ended = _date(rng, dt.date(2022, 1, 1), dt.date(2025, 6, 30))
                    rows.append(
                        [
                            code,
                            name,
                            county.code,
                            "学科类",
                            mode,
                            audience,
                            "非营利性",
                            approved.isoformat(),
                            ended.isoformat(),
                            "吊销",
                            "否",
                            license_no,
                        ]
                    )
                else:
                    rows.append(
                        [
                            code,
                            name,
                            county.code,
                            "学科类",
                            mode,
                            audience,
                            "非营利性",
                            approved.isoformat(),
                            "",
                            "",
                            "是" if rng.random() < 0.95 else "否",
                            license_no,
                        ]
                    )
            else:
                family = rng.choice(list(NON_SUBJECT))
                name = f"{short}{rng.choice(NON_SUBJECT_WORDS)}{rng.choice(NON_SUBJECT[family])}"
                code = credit_code_make(f"91{county.code}MA{serial:07d}")
                approved = _date(rng, dt.date(2018, 1, 1), dt.date(2025, 10, 1))
                license_no = f"教民{county.code}{approved.year}F{serial:05d}"
                audience = rng.choice(["义务教育", "学龄前、义务教育", "义务教育、普通高中", "学龄前"])
                ended_text, reason = "", ""
                if rng.random() < 0.12:
                    ended_text = _date(
                        rng, max(approved, dt.date(2022, 1, 1)) + dt.timedelta(days=30), dt.date(2025, 10, 31)
                    ).isoformat()
                    reason = rng.choice(["停办", "注销"])
                rows.append(
                    [
                        code,
                        name,
                        county.code,
                        "非学科类",
                        "线下",
                        audience,
                        "营利性",
                        approved.isoformat(),
                        ended_text,
                        reason,
                        "是" if rng.random() < 0.8 else "否",
                        license_no,
                    ]
                )
    return rows


ITEMS_PER_SCALE = {"small": 60, "province": 600}
_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_ID_CHECK = "10X98765432"
SURNAMES = "王李张刘陈杨黄赵周吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董萧程曹袁邓许傅沈曾彭吕苏卢蒋蔡贾丁魏薛叶阎余潘杜戴夏钟汪田任姜范方石姚谭廖邹熊金陆郝孔白崔康毛邱秦江史顾侯邵孟龙万段雷钱汤尹黎易常武乔贺赖龚文"
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰萍红鹏辉建文婷晨欣怡宇航思雨佳琪子涵"


def _id_number(rng: random.Random, county: str) -> str:
    birth = dt.date(1975, 1, 1) + dt.timedelta(days=rng.randrange(8000))
    body = f"{county}{birth:%Y%m%d}{rng.randrange(1000):03d}"
    return body + _ID_CHECK[sum(int(c) * w for c, w in zip(body, _ID_WEIGHTS, strict=True)) % 11]


def _eval_courses() -> list[dict[str, str]]:
    with (Path(__file__).parent / "data" / "classify_eval.csv").open(encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def seed_operations(*, scale: str, seed: int = 2023) -> dict[str, int]:
    """Staff, training items and next month's sessions for a sample of licensed institutions, through
    the real services (items are classified on save). A few breaches are planted on purpose (weekend
    subject sessions, late classes, an in-service teacher, a missing certificate, over-priced items)
    so the compliance scan has something to find. Returns counts."""
    from django.utils import timezone

    from . import services
    from .choices import ItemStatus, Status
    from .models import Institution

    rng = random.Random(seed)
    courses = _eval_courses()
    by_kind = {
        "SUBJECT": [c for c in courses if c["申报类别"] == "学科类" and c["适用对象"] != "学龄前"],
        "NON_SUBJECT": [c for c in courses if c["申报类别"] == "非学科类"],
    }
    grade_sets = {"小学": ["G3", "G4", "G5"], "初中": ["G7", "G8"], "高中": ["G10", "G11"], "学龄前": ["PRE"]}
    licensed = list(Institution.objects.filter(status=Status.LICENSED, items__isnull=True).order_by("pk"))
    sample = rng.sample(licensed, min(ITEMS_PER_SCALE[scale], len(licensed)))
    counts = {"institutions": 0, "items": 0, "sessions": 0, "practitioners": 0}
    start = timezone.localdate() + dt.timedelta(days=1)
    for inst in sample:
        category = inst.category or "NON_SUBJECT"
        teachers = []
        for n in range(rng.randint(1, 3)):
            certified = rng.random() > 0.08
            teachers.append(
                services.practitioner_save(
                    institution=inst,
                    actor=None,
                    name=rng.choice(SURNAMES) + "".join(rng.sample(GIVEN, 2)),
                    id_number=_id_number(rng, inst.county_id),
                    role="TEACHER",
                    teaches_subject_training=category == "SUBJECT",
                    teacher_certificate=f"{2010 + n}43{rng.randrange(10**9):09d}" if certified else "",
                    professional_certificate=""
                    if category == "SUBJECT"
                    else rng.choice(["钢琴十级", "国家二级运动员", "美术学学士"]),
                    in_service_teacher=rng.random() < 0.03,
                    background_check="PASSED",
                )
            )
            counts["practitioners"] += 1
        for course in rng.sample(by_kind[category], rng.randint(1, 2)):
            grades = grade_sets.get(course["适用对象"], ["G4"])
            price = (
                rng.choice([2000, 2200, 2500, 2700, 3200])
                if category == "SUBJECT"
                else rng.randrange(4000, 15000, 500)
            )
            item = services.item_save(
                institution=inst,
                actor=None,
                name=course["项目名称"],
                description=course["项目简介"],
                category=category,
                subject_area="",
                grades=grades,
                mode="OFFLINE",
                class_size="MEDIUM",
                class_minutes=45 if category == "SUBJECT" else rng.choice([45, 60, 90]),
                total_hours=rng.choice([16, 20, 24]),
                price_per_hour_fen=price,
            )
            if not item.disguised:
                services.item_set_status(item=item, actor=None, status=ItemStatus.APPROVED, reason="演示数据")
            counts["items"] += 1
            for week in range(4):
                day = start + dt.timedelta(days=7 * week + rng.randrange(7))
                late = rng.random() < 0.05
                begin = dt.time(20, 0) if late else dt.time(rng.choice([9, 14, 16, 18]), 0)
                end = (dt.datetime.combine(day, begin) + dt.timedelta(minutes=item.class_minutes)).time()
                services.session_add(
                    item=item, actor=None, date=day, start=begin, end=end, practitioner=rng.choice(teachers)
                )
                counts["sessions"] += 1
        counts["institutions"] += 1
    return counts


def load(*, scale: str, workdir: Path, stdout: Any) -> Path:
    """Write ``机构名册-demo.csv`` (UTF-8 with BOM) into ``workdir``, import it, then seed staff,
    items and sessions for a sample of licensed institutions (:func:`seed_operations`).

    Raises ``CommandError`` when the import is refused (it never should be: the rows are valid).
    """
    rows = build_rows(scale=scale)
    path = Path(workdir) / "机构名册-demo.csv"
    with path.open("w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(HEADER)
        writer.writerows(rows)
    stdout.write(f"机构名册：{len(rows)} 行 → {path.name}\n")
    try:
        call_command("import", "institutions", str(path), stdout=stdout)
    except SystemExit as exit_:
        if exit_.code:
            raise CommandError(f"演示机构名册导入失败（退出码 {exit_.code}）") from None
    counts = seed_operations(scale=scale)
    stdout.write(
        f"培训项目：{counts['institutions']} 家机构，{counts['items']} 个项目，{counts['sessions']} 节排课，"
        f"{counts['practitioners']} 名从业人员\n"
    )
    return path


def demo_account_institution() -> Institution:
    """The institution of the 机构管理员 demo login (``accounts.demo``): still applying for its licence
    (申请中) so that its user can file the licensing application from its home page; it is not on
    the public white list until approved."""
    institution, _ = Institution.objects.get_or_create(
        credit_code=credit_code_make("52430102MJ0000001"),
        defaults={
            "name": "芙蓉区星光艺术培训学校（演示）",
            "county_id": "430102",
            "address": "长沙市芙蓉区演示路1号",
            "status": "APPLYING",
            "nature": "NON_PROFIT",
        },
    )
    return institution
