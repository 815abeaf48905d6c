"""Demo data of home–school–community co-education, calibrated to 湘教复字〔2023〕283号.

``load(scale=..., workdir=..., stdout=...)`` (registered in ``demo/loader.py`` AREA_LOADERS):

- 家长学校名册 .csv (12,180 parent schools — “建成家长学校1.2万余所” — run by schools and communities
  in all 122 counties, more where more people live) imported with ``shuangjian import parent-schools``;
- the online parent school (网上家长学校): three courses written for the demo, and anonymous lesson
  completions from January 2023 to today, through the same service the public page uses;
- the family-education weeks of 2022 (the document's “首个家庭教育宣传周”) and 2023, and activities
  (讲座进校园/进社区/进家庭, 专题家长会) in 2022 and 2023, some of them during the weeks.

Counts of activities and completions are generated (the document gives none). Safe to run twice.
"""

from __future__ import annotations

import csv
import datetime as dt
import random
from pathlib import Path
from typing import Any

from django.core.management import call_command
from django.db import transaction
from django.utils import timezone

from shuangjian.regions.models import Region, RegionLevel

from . import services
from .models import FamilyWeek, LessonCompletion, OnlineCourse, ParentActivity, ParentSchool

SEED = "湘教复字〔2023〕283号"
PARENT_SCHOOLS = 12180  # “建成家长学校1.2万余所”
#: Relative weight of each prefecture (resident population in millions, 7th census 2020).
CITY_WEIGHTS = {
    "430100": 10.0,
    "430200": 3.9,
    "430300": 2.7,
    "430400": 6.6,
    "430500": 6.6,
    "430600": 5.1,
    "430700": 5.3,
    "430800": 1.5,
    "430900": 3.9,
    "431000": 4.7,
    "431100": 5.3,
    "431200": 4.6,
    "431300": 3.8,
    "433100": 2.5,
}

COURSES = [
    (
        "shuangjian-jiating",
        "“双减”之后，家长怎么做",
        "小学、初中家长",
        "帮助家长理解“双减”政策，安排好孩子的课后时间。",
        [
            (
                "“双减”减的是什么",
                "“双减”减轻的是过重的作业负担和校外培训负担，不是减少学习。\n学校通过课后服务、作业设计和课堂提质，让孩子在校内学足学好。",
                8,
            ),
            (
                "课后时间怎么安排",
                "每天留出运动、阅读和家务劳动的时间。\n周末和假期多带孩子走进自然、博物馆和图书馆。\n不要把空出来的时间再填满培训班。",
                10,
            ),
            (
                "识别违规培训",
                "学科类培训须经审批并纳入资金监管；一次收费不超过3个月或60课时。\n发现违规培训，可通过“随手拍”举报。",
                8,
            ),
            (
                "和老师保持沟通",
                "关注学校公示的作业和课后服务安排。\n孩子作业时间明显过长时，及时与老师沟通。",
                6,
            ),
        ],
    ),
    (
        "qinzi-goutong",
        "亲子沟通与情绪管理",
        "全体家长",
        "改进教养方式，改善亲子关系。",
        [
            ("倾听先于说教", "每天安排十分钟不被打扰的谈话时间，先听孩子说完。\n用复述确认孩子的感受。", 9),
            ("面对考试焦虑", "关注努力和进步而不是名次。\n保证睡眠：小学生每天10小时、初中生9小时。", 9),
            ("合理使用手机", "和孩子一起约定使用时间和场所，家长以身作则。", 7),
        ],
    ),
    (
        "jiating-laodong",
        "家庭劳动教育",
        "小学家长",
        "在家务劳动中培养责任感。",
        [
            ("按年龄安排家务", "低年级整理书包、摆放碗筷；高年级洗衣、做简单的饭菜。", 6),
            ("劳动清单与鼓励", "和孩子一起制定每周劳动清单，完成后给予具体的肯定。", 6),
        ],
    ),
]


def _weighted_counties(rng: random.Random) -> list[Region]:
    counties = list(Region.objects.filter(level=RegionLevel.COUNTY, code__startswith="43").order_by("code"))
    per_city: dict[str, int] = {}
    for county in counties:
        per_city[county.code[:4]] = per_city.get(county.code[:4], 0) + 1
    weights = [CITY_WEIGHTS.get(c.code[:4] + "00", 3.0) / per_city[c.code[:4]] for c in counties]
    return rng.choices(counties, weights=weights, k=PARENT_SCHOOLS)


def parent_schools_csv(workdir: Path, rng: random.Random) -> Path:
    path = workdir / "家长学校名册.csv"
    counters: dict[str, int] = {}
    with path.open("w", encoding="utf-8-sig", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(["家长学校编号", "名称", "类型", "区县代码", "依托单位", "成立日期", "停办日期"])
        for county in _weighted_counties(rng):
            counters[county.code] = counters.get(county.code, 0) + 1
            n = counters[county.code]
            community = rng.random() < 0.28
            host = f"{county.name}第{n}{'社区' if community else '学校'}"
            established = dt.date(rng.randrange(2012, 2023), rng.randrange(1, 13), 1)
            writer.writerow(
                [
                    f"JZ{county.code}{n:04d}",
                    f"{host}家长学校",
                    "社区" if community else "学校",
                    county.code,
                    host,
                    established,
                    "",
                ]
            )
    return path


@transaction.atomic
def courses_and_weeks_load() -> None:
    for order, (slug, title, audience, summary, lessons) in enumerate(COURSES):
        services.course_publish(
            actor=None,
            slug=slug,
            title=title,
            summary=summary,
            audience=audience,
            lessons=lessons,
            order=order,
        )
    services.family_week_define(
        actor=None,
        year=2022,
        theme="推进家庭教育促进法实施",
        start_on=dt.date(2022, 5, 15),
        end_on=dt.date(2022, 5, 21),
        source=f"{SEED}：启动首个家庭教育宣传周活动（日期待核实）",
    )
    services.family_week_define(
        actor=None,
        year=2023,
        theme="家校社协同育人",
        start_on=dt.date(2023, 5, 15),
        end_on=dt.date(2023, 5, 21),
        source="演示数据（日期待核实）",
    )


def activities_load(rng: random.Random) -> int:
    if ParentActivity.objects.exists():
        return 0
    weeks = {w.year: w for w in FamilyWeek.objects.all()}
    kinds = ["LECTURE_SCHOOL", "LECTURE_COMMUNITY", "LECTURE_HOME", "PARENT_MEETING"]
    titles = {
        "LECTURE_SCHOOL": "科学育儿讲座进校园",
        "LECTURE_COMMUNITY": "家庭教育讲座进社区",
        "LECTURE_HOME": "家庭教育指导进家庭",
        "PARENT_MEETING": "“双减”专题家长会",
    }
    ids = sorted(ParentSchool.objects.values_list("pk", flat=True))
    schools = list(ParentSchool.objects.filter(pk__in=rng.sample(ids, min(400, len(ids)))).order_by("pk"))
    count = 0
    with transaction.atomic():
        for school in schools:
            year = rng.choice((2022, 2023))
            in_week = rng.random() < 0.35
            week = weeks.get(year)
            if in_week and week:
                held_on = week.start_on + dt.timedelta(days=rng.randrange(7))
            else:
                held_on = dt.date(year, rng.randrange(2, 7), rng.randrange(1, 28))
                week = None
            kind = rng.choice(kinds)
            services.activity_record(
                actor=None,
                county_code=school.county_id,
                kind=kind,
                title=titles[kind],
                held_on=held_on,
                participants=rng.randrange(30, 400),
                parent_school=school,
                family_week=week,
            )
            count += 1
    return count


def completions_load(rng: random.Random, *, learners: int) -> int:
    if LessonCompletion.objects.exists():
        return 0
    lessons = [
        lesson
        for course in OnlineCourse.objects.prefetch_related("lessons")
        for lesson in course.lessons.all()
    ]
    counties = list(
        Region.objects.filter(level=RegionLevel.COUNTY, code__startswith="43").values_list("code", flat=True)
    )
    start = dt.datetime(2023, 1, 1, 8, tzinfo=timezone.get_default_timezone())
    span = (timezone.now() - start).total_seconds()
    count = 0
    with transaction.atomic():
        for n in range(learners):
            learner = f"demo-learner-{n:06d}-{rng.randrange(10**9)}"
            county = rng.choice(counties)
            first = start + dt.timedelta(seconds=rng.random() * span)
            for i, lesson in enumerate(rng.sample(lessons, rng.randrange(1, 5))):
                services.lesson_complete(
                    lesson=lesson,
                    learner_id=learner,
                    county_code=county,
                    completed_at=first + dt.timedelta(days=i),
                )
                count += 1
    return count


def load(*, scale: str, workdir: Path, stdout: Any) -> None:
    """Load the co-education demo (see the module docstring); safe to run twice."""
    rng = random.Random(1812)
    path = parent_schools_csv(workdir, rng)
    stdout.write(f"导入 parent-schools：{path.name}")
    call_command("import", "parent-schools", str(path), "--quiet", stdout=stdout)
    courses_and_weeks_load()
    activities = activities_load(rng)
    completions = completions_load(rng, learners=600 if scale == "small" else 6000)
    stdout.write(
        f"家校社共育演示数据：家长学校 {ParentSchool.objects.count()} 所，新增活动 {activities} 场，"
        f"网上家长学校完成课时 {completions} 次"
    )
