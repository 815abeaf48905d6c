"""Demo data of STEM education, calibrated to part 二 of 湘教复字〔2023〕283号 (2023-06-05).

``load(scale=..., workdir=..., stdout=...)`` (registered in ``shuangjian.demo.loader.AREA_LOADERS`` after
the schools demo):

1. writes a school list (学校名册) through ``shuangjian import schools``: the document's places —
   保靖县岳阳学校 (湘西州保靖县), 湖南大学幼儿园 (长沙市岳麓区), 郴州市直属机关幼儿园 (郴州市北湖区), a 株洲 primary
   school and 湘西州 schools and kindergartens (generated names, marked 演示) — plus
   kindergartens in every county (half of them in villages), and the 城乡分类 of the schools already in
   the registry (schools of 市辖区 mostly 城区, of 县 mostly 镇区, some 乡村);
2. writes the course list (STEM课程名册) and imports it with ``shuangjian import stem-courses``: the
   document's courses (《农历天空下——廿四节气》, 《游戏点亮童年》, 《湘西非物质文化遗产－土家溜子》, 《湘西民居－湘西木屋》,
   《高脚马》, 《高铁中的STEM》, 《无人驾驶火星车》) and generated courses offered more often in urban than in
   rural schools (the rural gap the department will watch);
3. takes the document's courses through the review workflow with the services (spring 2023: some
   recognised as 省级优秀STEM课程 — the recognitions are demo choices, the document does not say), with a
   plan PDF and a photo through the upload pipeline; a few adoptions from the library;
4. records the 4th 中国STEM教育发展大会 (2021) and the entry 《无人驾驶火星车》: top 50, second in the
   preschool group; and the 郴州 research project, approved and past its mid-term review;
5. re-files the reported weeks' after-school returns of some schools with 科普/STEM activity days.

Loading twice changes nothing.
"""

from __future__ import annotations

import datetime as dt
import io
import random
from pathlib import Path
from typing import Any

from django.core.management import call_command
from django.core.management.base import CommandError

from shuangjian.regions.models import Region, RegionLevel

D = dt.date
#: Kindergartens added per county (odd ones in villages, 乡村). Only kindergartens are added: a new
#: compulsory school without homework and after-school returns would lower the burden-reduction rates.
SCALES = {"small": {"kindergarten": 2}, "province": {"kindergarten": 4}}
#: Probability that a school of each class offers a STEM course (the rural gap).
OFFER = {"城区": 0.8, "镇区": 0.6, "乡村": 0.35}
START = D(2023, 3, 1)  # spring term 2023: offered on 2023-06-05 and, with no end date, this term too

# code, name, county, kind, class, students
NAMED_SCHOOLS = [
    ("4331250901", "保靖县岳阳学校", "433125", "九年一贯制学校", "镇区", 1200),
    ("4301040901", "湖南大学幼儿园", "430104", "幼儿园", "城区", 420),
    ("4310020901", "郴州市直属机关幼儿园", "431002", "幼儿园", "城区", 500),
    ("4302040901", "株洲市石峰区演示小学（高铁STEM）", "430204", "小学", "城区", 1500),
    ("4331010901", "吉首市演示幼儿园（火星车）", "433101", "幼儿园", "城区", 360),
    ("4331010902", "吉首市演示小学（湘西非遗）", "433101", "小学", "镇区", 900),
    ("4331270901", "永顺县演示小学（湘西木屋）", "433127", "小学", "乡村", 260),
    ("4331300901", "龙山县演示幼儿园（高脚马）", "433130", "幼儿园", "乡村", 150),
]

PLAN_TEXT = {
    "objectives": "在真实情境中综合运用多学科知识，经历提出问题、设计方案、动手制作与反思改进的完整过程",
    "problem": "围绕本地生活中的一个真实问题开展项目式学习，形成可展示的作品或解决方案",
    "activities": "观察与提问；查阅资料与实地考察；分组设计方案；动手制作与测试；展示交流与改进",
    "evaluation": "过程性评价（记录单、作品迭代）与表现性评价（展示答辩）相结合，学生自评与互评",
    "safety": "工具使用前进行安全培训，教师全程指导；外出考察有预案、有家长志愿者随行",
}

# name, school code, stage, carrier, anchor, subjects, hours, grades, pupils, resource kinds, resources, summary
NAMED_COURSES = [
    (
        "农历天空下——廿四节气",
        "4331250901",
        "小学",
        "学科融合",
        "语文",
        "数学、科学、美术、音乐、书法、表演",
        24,
        "三至六年级",
        480,
        "科普基地",
        "学校种植园、保靖县气象站",
        "以语文课程为本，融合数学、科学、美术、音乐、书法、表演等学科，认识二十四节气与物候、天文的关系。",
    ),
    (
        "游戏点亮童年",
        "4301040901",
        "学前",
        "游戏活动",
        "游戏活动",
        "科学、数学、艺术、健康",
        60,
        "小班至大班",
        400,
        "高校",
        "湖南大学",
        "户外自主游戏主题：沙水池、滑索、涂鸦、小山坡、娃娃家、爬树、滚球、丛林冒险等游戏中融入STEM教育理念。",
    ),
    (
        "湘西非物质文化遗产－土家溜子",
        "4331010902",
        "小学",
        "传统文化",
        "音乐",
        "科学、数学、美术",
        16,
        "四至六年级",
        200,
        "其他",
        "湘西州非物质文化遗产传承人",
        "从土家族打击乐“溜子”中挖掘声学、节奏与数学规律，制作简易打击乐器。",
    ),
    (
        "湘西民居－湘西木屋",
        "4331270901",
        "小学",
        "传统文化",
        "美术",
        "数学、科学、劳动",
        16,
        "五、六年级",
        120,
        "其他",
        "永顺县传统村落",
        "考察湘西吊脚楼木构榫卯结构，测量、绘图并制作木屋模型，理解结构与力学。",
    ),
    (
        "高脚马",
        "4331300901",
        "学前",
        "传统文化",
        "健康",
        "科学、数学、艺术",
        20,
        "中班、大班",
        90,
        "",
        "",
        "以土家族传统体育游戏高脚马为载体，探究平衡、高度与材料，幼儿动手制作并改进高脚马。",
    ),
    (
        "高铁中的STEM",
        "4302040901",
        "小学",
        "现代科技",
        "科学",
        "数学、美术、信息科技、道德与法治",
        20,
        "四至六年级",
        600,
        "合作企业、科技馆",
        "株洲轨道交通装备企业、株洲市科技馆",
        "在高铁中发掘STEM因素：研究高铁中的文化因素、如何让乘客更舒适、应该设计什么样的图标。",
    ),
    (
        "无人驾驶火星车",
        "4331010901",
        "学前",
        "现代科技",
        "科学",
        "数学、艺术、语言",
        16,
        "大班",
        120,
        "科技馆",
        "湘西州科技馆",
        "利用幼儿对宇宙的兴趣，结合现代高科技，设计并搭建能按指令行驶的“火星车”。",
    ),
]

# course → workflow steps (decision, date, reason); demo choices, the document gives no review states
FLOWS: dict[str, list[tuple[str, dt.date, str]]] = {
    "农历天空下——廿四节气": [
        ("submit", D(2023, 3, 20), ""),
        ("county_pass", D(2023, 4, 3), ""),
        ("city_recommend", D(2023, 4, 24), "学科融合示范"),
        ("province_recognise", D(2023, 5, 22), ""),
    ],
    "游戏点亮童年": [
        ("submit", D(2023, 3, 15), ""),
        ("county_pass", D(2023, 3, 30), ""),
        ("city_recommend", D(2023, 4, 18), ""),
        ("province_recognise", D(2023, 5, 22), ""),
    ],
    "高铁中的STEM": [
        ("submit", D(2023, 3, 10), ""),
        ("county_pass", D(2023, 3, 24), ""),
        ("city_recommend", D(2023, 4, 14), ""),
        ("province_recognise", D(2023, 5, 22), ""),
    ],
    "无人驾驶火星车": [
        ("submit", D(2023, 3, 6), ""),
        ("county_pass", D(2023, 3, 17), ""),
        ("city_recommend", D(2023, 4, 7), "第四届中国STEM教育发展大会学前教育段第二名"),
        ("province_recognise", D(2023, 5, 22), ""),
    ],
    "湘西非物质文化遗产－土家溜子": [
        ("submit", D(2023, 4, 3), ""),
        ("county_pass", D(2023, 4, 17), ""),
        ("city_recommend", D(2023, 5, 12), ""),
    ],
    "湘西民居－湘西木屋": [
        ("submit", D(2023, 4, 10), ""),
        ("county_return", D(2023, 4, 20), "安全预案需补充刻刀与木工工具的使用规范"),
        ("submit", D(2023, 4, 28), ""),
        ("county_pass", D(2023, 5, 16), ""),
    ],
    "高脚马": [("submit", D(2023, 5, 25), "")],
}


def _import(kind: str, path: Path, stdout: Any) -> None:
    try:
        call_command("import", kind, str(path), "--quiet", stdout=stdout, stderr=stdout)
    except SystemExit as exit_:
        if exit_.code:
            raise CommandError(f"演示数据导入失败：{kind} {path.name}") from None


def _write_xlsx(path: Path, headers: list[str], rows: list[list[Any]]) -> Path:
    import openpyxl

    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(headers)
    for row in rows:
        sheet.append(row)
    workbook.save(path)
    return path


def _rng(*parts: Any) -> random.Random:
    """A generator seeded by the record's own key, so that loading twice draws the same values."""
    return random.Random("-".join(["stem17", *map(str, parts)]))


def _class_of(county: Region, rng: random.Random) -> str:
    if county.name.endswith("区"):
        return "城区" if rng.random() < 0.85 else "镇区"
    return "镇区" if rng.random() < 0.7 else "乡村"


def school_rows(scale: str) -> list[list[Any]]:
    """Schools to (re-)import: the existing ones with a 城乡分类, the named places, village schools and
    kindergartens in every county. Columns as the schools importer's first seven + 城乡分类."""
    from shuangjian.schools.models import School

    plan = SCALES[scale]
    counties = {c.code: c for c in Region.objects.filter(level=RegionLevel.COUNTY, code__startswith="43")}
    if not counties:
        raise CommandError("行政区划表为空：请先运行 shuangjian load-regions")
    words = {
        "PRIMARY": "小学",
        "JUNIOR": "初级中学",
        "NINE_YEAR": "九年一贯制学校",
        "KINDERGARTEN": "幼儿园",
        "SENIOR": "高级中学",
    }
    rows: list[list[Any]] = []
    named = {row[0] for row in NAMED_SCHOOLS}
    for school in (
        School.objects.filter(county__code__startswith="43").exclude(code__in=named).order_by("code")
    ):
        klass = (
            school.get_urban_rural_display()
            if school.urban_rural
            else _class_of(counties[school.county_id], _rng("class", school.code))
        )
        rows.append(
            [
                school.code,
                school.name,
                school.county_id,
                words[school.kind],
                "是" if school.is_furong else "否",
                school.students,
                None,
                klass,
            ]
        )
    for named_code, named_name, named_county, named_kind, named_class, students in NAMED_SCHOOLS:
        rows.append([named_code, named_name, named_county, named_kind, "否", students, None, named_class])
    existing = {row[0] for row in rows}
    for region in sorted(counties.values(), key=lambda c: c.code):
        for n in range(1, plan["kindergarten"] + 1):
            code = f"{region.code}08{n:02d}"
            klass = "乡村" if n % 2 else _class_of(region, _rng("class", code))
            if code not in existing:
                rows.append(
                    [code, f"{region.name}第{n}幼儿园（演示）", region.code, "幼儿园", "否", 120, None, klass]
                )
    return rows


GENERATED_TITLES = {
    "学科融合": [("植物的一生", "科学", "数学、美术、语文"), ("校园气象站", "科学", "数学、信息科技、地理")],
    "传统文化": [("家乡的桥", "美术", "数学、科学、历史"), ("竹编里的数学", "数学", "美术、劳动、科学")],
    "现代科技": [
        ("我的第一辆电动车", "科学", "数学、信息科技、劳动"),
        ("无人机编程入门", "信息科技", "数学、科学、物理"),
    ],
    "游戏活动": [("光影游戏", "游戏活动", "科学、艺术、语言"), ("水的旅行", "游戏活动", "科学、数学、健康")],
}
STAGE_BY_KIND = {
    "幼儿园": "学前",
    "小学": "小学",
    "初级中学": "初中",
    "九年一贯制学校": "小学",
    "高级中学": "高中",
}


def course_rows(schools: list[list[Any]]) -> list[list[Any]]:
    """The course list: the named courses and generated ones (more often in urban schools)."""
    rows: list[list[Any]] = []
    for (
        name,
        school,
        stage,
        carrier,
        anchor,
        subjects,
        hours,
        grades,
        pupils,
        kinds,
        resources,
        summary,
    ) in NAMED_COURSES:
        start = D(2020, 9, 1) if name == "无人驾驶火星车" else START
        rows.append(
            [
                school,
                name,
                stage,
                carrier,
                anchor,
                subjects,
                hours,
                start,
                None,
                grades,
                "",
                pupils,
                "是" if stage != "学前" else "否",
                kinds,
                resources,
                summary,
                *PLAN_TEXT.values(),
            ]
        )
    named = {row[0] for row in NAMED_SCHOOLS}
    # some counties lag behind (below the target), as the document's concern for rural schools implies
    lagging = {code for code in {row[2] for row in schools} if _rng("lagging", code).random() < 0.3}
    for code, _name, county, kind, _furong, students, _per_grade, klass in schools:
        if code in named:
            continue
        rng = _rng("course", code)
        chance = OFFER[klass] * (0.4 if county in lagging and klass == "乡村" else 1.0)
        if rng.random() >= chance:
            continue
        stage = STAGE_BY_KIND[kind]
        carrier = "游戏活动" if stage == "学前" else rng.choice(["学科融合", "传统文化", "现代科技"])
        title, anchor, subjects = rng.choice(GENERATED_TITLES[carrier])
        pupils = min(students or 100, rng.randint(30, 120))
        end = D(2023, 7, 10) if rng.random() < 0.15 else None  # ended with the spring term
        rows.append(
            [
                code,
                title,
                stage,
                carrier,
                anchor,
                subjects,
                rng.choice([8, 12, 16]),
                START,
                end,
                "",
                "",
                pupils,
                "是" if rng.random() < 0.5 else "否",
                "",
                "",
                "",
                *PLAN_TEXT.values(),
            ]
        )
    return rows


COURSE_HEADERS = [
    "学校标识码",
    "课程名称",
    "学段",
    "载体",
    "主学科",
    "融合学科",
    "课时",
    "开设日期",
    "结束日期",
    "适用年级",
    "授课教师",
    "参与学生数",
    "纳入课后服务",
    "资源类型",
    "使用资源",
    "课程简介",
    "课程目标",
    "真实问题或项目",
    "探究设计制作环节",
    "评价方式",
    "安全预案",
]
SCHOOL_HEADERS = [
    "学校标识码",
    "学校名称",
    "区县代码",
    "学段类型",
    "芙蓉学校",
    "在校生数",
    "每年级班级数",
    "城乡分类",
]


def plan_pdf(course: Any) -> bytes:
    """A one-page course plan as a real PDF (matplotlib with the CJK font the weekly report uses)."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    from shuangjian.common.fonts import cjk_font

    font = cjk_font()
    fig = plt.figure(figsize=(8.27, 11.69))
    lines = [
        f"《{course.name}》课程方案",
        f"{course.school.name}  {course.get_stage_display()}  {course.get_carrier_display()}",
        f"主学科：{course.anchor_subject}  融合学科：{course.subjects}",
        "",
    ]
    for title, field in (
        ("课程目标", "objectives"),
        ("真实问题或项目", "problem"),
        ("探究、设计与制作环节", "activities"),
        ("评价方式", "evaluation"),
        ("安全预案", "safety"),
    ):
        text = getattr(course, field)
        lines.append(f"{title}：")
        lines.extend(text[i : i + 34] for i in range(0, len(text), 34))
    for n, line in enumerate(lines):
        fig.text(0.08, 0.94 - n * 0.03, line, fontproperties=font, fontsize=12 if n else 16)
    out = io.BytesIO()
    fig.savefig(out, format="pdf")
    plt.close(fig)
    return out.getvalue()


def activity_photo(seed: int) -> bytes:
    """A drawn JPEG "photo" carrying EXIF with a GPS position (the upload pipeline removes it)."""
    from PIL import Image, ImageDraw

    rng = random.Random(seed)
    image = Image.new(
        "RGB", (640, 420), (rng.randint(150, 230), rng.randint(180, 240), rng.randint(150, 230))
    )
    draw = ImageDraw.Draw(image)
    for _ in range(12):
        x, y = rng.randint(0, 600), rng.randint(0, 380)
        draw.ellipse(
            (x, y, x + rng.randint(20, 80), y + rng.randint(20, 80)),
            fill=(rng.randint(0, 255), rng.randint(0, 255), rng.randint(0, 255)),
        )
    exif = Image.Exif()
    exif[0x8825] = {1: "N", 2: (28.0, 11.0, 24.0), 3: "E", 4: (112.0, 58.0, 12.0)}
    out = io.BytesIO()
    image.save(out, format="JPEG", exif=exif, quality=85)
    return out.getvalue()


def named_school_returns(workdir: Path, stdout: Any) -> int:
    """Weekly after-school returns of the named compulsory schools for the weeks the schools demo reports
    (the same "5+2"-compliant figures), so that adding them keeps the published 100 % coverage."""
    from shuangjian.schools.demo import history_weeks
    from shuangjian.schools.importers import IMPORTER_CLASSES

    _homework, weeks = history_weeks()
    rows = []
    for code, _name, _county, kind, _klass, students in NAMED_SCHOOLS:
        if kind == "幼儿园":
            continue
        requested = students * 6 // 10
        for monday, days in weeks:
            rows.append(
                [
                    code,
                    monday,
                    len(days),
                    2,
                    "17:45",
                    requested,
                    requested,
                    max(8, students // 40),
                    2,
                    0,
                    2000,
                    "",
                ]
            )
    headers = [c.header for c in IMPORTER_CLASSES["school-weekly"].columns][:12]
    _import("school-weekly", _write_xlsx(workdir / "课后服务周报（STEM学校）.xlsx", headers, rows), stdout)
    return len(rows)


def run_flows(stdout: Any) -> int:
    """The document's courses through the review workflow (idempotent: steps already taken are skipped)."""
    from .models import CourseReview, MaterialKind, StemCourse
    from .services import course_review, course_submit, material_add

    steps = 0
    for name, flow in FLOWS.items():
        course = StemCourse.objects.select_related("school").get(
            name=name, school__code__in=[r[0] for r in NAMED_SCHOOLS], adopted_from__isnull=True
        )
        if not course.materials.exists():
            material_add(
                actor=None,
                course=course,
                kind=MaterialKind.PLAN,
                filename=f"{name}课程方案.pdf",
                data=plan_pdf(course),
                public=True,
            )
            material_add(
                actor=None,
                course=course,
                kind=MaterialKind.PHOTO,
                filename=f"{name}活动照片.jpg",
                data=activity_photo(course.pk),
                public=True,
            )
        done = CourseReview.objects.filter(course=course).count()
        for decision, day, reason in flow[done:]:
            course.refresh_from_db()
            if decision == "submit":
                course_submit(actor=None, course=course, on=day, note=reason)
            else:
                course_review(actor=None, course=course, decision=decision, reason=reason, on=day)
            steps += 1
    return steps


def adopt(rng: random.Random) -> int:
    """A few schools adopt the recognised courses (their copies count as adoptions)."""
    from .models import CourseState, StemCourse
    from .services import CourseInput, course_register

    recognised = list(StemCourse.objects.filter(state=CourseState.RECOGNISED).select_related("school"))
    from shuangjian.schools.models import School

    made = 0
    for source in recognised:
        kind = "KINDERGARTEN" if source.stage == "PRESCHOOL" else "PRIMARY"
        candidates = list(
            School.objects.filter(kind=kind, urban_rural="RURAL")
            .exclude(code__in=[r[0] for r in NAMED_SCHOOLS])
            .order_by("code")[:200]
        )
        for school in rng.sample(candidates, min(3, len(candidates))):
            if StemCourse.objects.filter(school=school, adopted_from=source).exists():
                continue
            name = (
                source.name
                if not StemCourse.objects.filter(school=school, name=source.name).exists()
                else f"{source.name}（采用）"
            )
            data = CourseInput(
                name=name,
                stage=source.stage,
                carrier=source.carrier,
                anchor_subject=source.anchor_subject,
                subjects=source.subject_list,
                hours=source.hours,
                start_on=D(2023, 5, 29),
                pupils=min(school.students or 60, 40),
                objectives=source.objectives,
                problem=source.problem,
                activities=source.activities,
                evaluation=source.evaluation,
                safety=source.safety,
            )
            course_register(actor=None, school=school, data=data, adopted_from=source)
            made += 1
    return made


def competition_and_research() -> None:
    """The 4th 中国STEM教育发展大会 entry and the 郴州 research project (document records)."""
    from shuangjian.schools.models import School

    from .models import ResearchProject, StemCourse
    from .services import competition_upsert, entry_record, research_apply, research_transition

    competition = competition_upsert(
        actor=None,
        name="中国STEM教育发展大会",
        year=2021,
        edition=4,
        level="国家级",
        organisers="中国教育科学研究院、中国教育电视台、中国科学院科学传播局、中国少年儿童科技辅导员协会",
        held_on=D(2021, 4, 17),
        source="湘教复字〔2023〕283号 二；大会启动日期见参考资料 T2",
    )
    course = StemCourse.objects.get(name="无人驾驶火星车", school__code="4331010901")
    entry_record(
        actor=None,
        competition=competition,
        school=course.school,
        course=course,
        title=course.name,
        group="学前教育段",
        top_n=50,
        group_rank=2,
    )
    school = School.objects.get(code="4310020901")
    project = ResearchProject.objects.filter(school=school).first() or research_apply(
        actor=None,
        school=school,
        title="基于STEM幼儿园课程的研发与实践研究",
        stage="PRESCHOOL",
        lead="课题负责人（演示）",
        summary="推动幼儿STEM教育的本土化发展与推广：研发幼儿园STEM课程，在游戏活动中实践并总结。",
        level="省级",
        applied_on=D(2021, 9, 1),
    )
    steps = [
        ("approve", D(2021, 10, 15), ""),
        ("file_midterm", D(2022, 10, 20), "已研发3个STEM主题活动并在大、中班实践"),
        ("pass_midterm", D(2022, 11, 25), ""),
    ]
    order = ["APPLIED", "APPROVED", "MIDTERM_SUBMITTED", "MIDTERM_PASSED"]
    for action, day, text in steps[order.index(project.state) if project.state in order else len(steps) :]:
        project = research_transition(actor=None, project=project, action=action, text=text, on=day)


def science_returns(stdout: Any) -> int:
    """Re-file the demo weeks' after-school returns of about half the schools with 科普/STEM activity days
    (same figures otherwise, read from the registry; the service leaves unchanged returns alone)."""
    from shuangjian.schools.demo import demo_weeks
    from shuangjian.schools.models import AfterSchoolWeek
    from shuangjian.schools.services import AfterSchoolInput, after_school_report

    changed = 0
    mondays = [monday for monday, _days in demo_weeks()]
    for record in (
        AfterSchoolWeek.objects.filter(week_start__in=mondays).select_related("school").order_by("pk")
    ):
        rnd = random.Random(record.pk)
        if rnd.random() < 0.5 or record.days_offered == 0:
            continue
        data = AfterSchoolInput(
            days_offered=record.days_offered,
            hours_per_day=record.hours_per_day,
            end_time=record.end_time,
            students_enrolled=record.students_enrolled,
            students_requested=record.students_requested,
            staff_count=record.staff_count,
            external_staff_count=record.external_staff_count,
            fee_fen=record.fee_fen,
            subsidy_fen=record.subsidy_fen,
            note=record.note,
            science_days=rnd.randint(1, min(2, record.days_offered)),
            science_activities=rnd.choice(["科学小实验", "无人机编程", "植物观察", "科技馆研学"]),
            science_resources=rnd.choice(["科普教育基地", "科技馆", "合作企业", "校内科学实验室"]),
        )
        _record, was_changed = after_school_report(
            actor=None,
            school=record.school,
            week_start=record.week_start,
            data=data,
            reason="演示：课后服务科普活动",
        )
        changed += int(was_changed)
    return changed


def load(*, scale: str, workdir: Path, stdout: Any) -> None:
    """Write and import the demo files, then run the workflow steps (see the module docstring)."""
    if scale not in SCALES:
        raise CommandError(f"未知规模“{scale}”")
    workdir = Path(workdir)
    schools = school_rows(scale)
    _import("schools", _write_xlsx(workdir / "学校名册（STEM）.xlsx", SCHOOL_HEADERS, schools), stdout)
    named_school_returns(workdir, stdout)
    courses = course_rows(schools)
    _import("stem-courses", _write_xlsx(workdir / "STEM课程名册.xlsx", COURSE_HEADERS, courses), stdout)
    steps = run_flows(stdout)
    competition_and_research()
    adopted = adopt(random.Random(29))
    science = science_returns(stdout)
    stdout.write(
        f"STEM教育：{len(schools)} 所学校（幼儿园）名册，{len(courses)} 门课程，审核步骤 {steps} 步，"
        f"采用 {adopted} 次，课后服务科普周报 {science} 份"
    )
