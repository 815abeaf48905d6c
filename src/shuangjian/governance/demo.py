"""Demo data of co-governance, calibrated to 湘教复字〔2023〕283号 (2023-06-05).

``load(scale=..., workdir=..., stdout=...)`` (registered in ``demo/loader.py`` AREA_LOADERS):

- 社会监督员名册 .csv written to ``workdir`` and imported with ``shuangjian import supervisors``: the
  document's 103 provincial supervisors (选聘 2022-03-01, two-year term) plus 2 per city; the demo
  login ``jianduyuan`` is bound to the first provincial one and given tasks and findings (reports
  with source 社会监督 in the county's queue);
- the 24 provincial member units of the coordination group (``coordination_data``) with duties, and
  tasks assigned in 2023, some overdue on 2023-06-05 and today;
- the 2022 evaluation indicator set and the June 2022 field inspection of 14 cities and 39 counties
  with the inspection group's scores and rectification tasks;
- 优质普通高中招生计划 2022 .csv imported with ``shuangjian import admission-plans`` (指标生 share over
  50 % and admission ratio over 85 % province-wide, a few counties short to show the shortfall list);
- the 2022 publicity events the document names (红网访谈, 《湖南教育》专刊, 短视频, 征文; counts generated).

Names are generated; figures not in the document are generated and said to be. Loading twice
changes nothing.
"""

from __future__ import annotations

import csv
import datetime as dt
import random
from pathlib import Path
from typing import Any

from django.core.management import call_command
from django.db import transaction

from shuangjian.regions.models import Region, RegionLevel

from . import services
from .coordination_data import PROVINCIAL_UNITS
from .models import CampaignTarget, CoordinationUnit, InspectionCampaign, PublicityEvent, Supervisor

SEED = "湘教复字〔2023〕283号"
PROVINCIAL_SUPERVISORS = 103  # “选聘103名省级校外培训社会监督员”
CITIES_INSPECTED, COUNTIES_INSPECTED = 14, 39  # “去年6月……在14个市州、39个县市区开展实地督查”
APPOINTED_ON = dt.date(2022, 3, 1)  # generated: the document gives no date
SURNAMES = (
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘蒋蔡余杜叶程魏苏吕丁任沈姚卢"
)
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰萍红鹏辉建文斌宇浩凯晨欣怡佳琪嘉雨婷"
UNITS_OF = [
    "家长代表",
    "人大代表",
    "政协委员",
    "退休教师",
    "律师",
    "社区工作者",
    "媒体记者",
    "中小学教师",
    "高校教师",
    "企业职工",
]

INDICATORS_2022 = [
    {
        "code": "1",
        "name": "线下义务教育阶段学科类培训机构压减率",
        "weight": 20,
        "method": "KPI",
        "kpi_id": "institutions.offline_compulsory_subject.reduction_rate",
        "target": 0.8,
        "guidance": "压减率≥80%得满分，不足按比例计分",
    },
    {
        "code": "2",
        "name": "校外培训机构预收费全流程监管比例",
        "weight": 20,
        "method": "KPI",
        "kpi_id": "institutions.fund_supervision_rate",
        "target": 0.95,
        "guidance": "≥95%得满分，不足按比例计分",
    },
    {
        "code": "3",
        "name": "投诉举报线索办结率",
        "weight": 15,
        "method": "KPI",
        "kpi_id": "reports.closed_rate",
        "target": 0.9,
        "guidance": "≥90%得满分，不足按比例计分",
    },
    {
        "code": "4",
        "name": "义务教育学校课后服务覆盖率",
        "weight": 15,
        "method": "KPI",
        "kpi_id": "schools.after_school_coverage_rate",
        "target": 1.0,
        "guidance": "100%得满分，不足按比例计分",
    },
    {
        "code": "5",
        "name": "组织领导与工作机制（协调机制、专人专班、经费保障）",
        "weight": 15,
        "method": "INSPECTOR",
        "guidance": "督查组查阅资料、座谈后评分",
    },
    {
        "code": "6",
        "name": "校内减负提质与家校社共育（作业、考试管理，家长学校）",
        "weight": 15,
        "method": "INSPECTOR",
        "guidance": "督查组实地察看学校后评分",
    },
]


def _name(rng: random.Random) -> str:
    return rng.choice(SURNAMES) + "".join(rng.choice(GIVEN) for _ in range(rng.choice((1, 2))))


def _write_csv(path: Path, header: list[str], rows: list[list[Any]]) -> Path:
    with path.open("w", encoding="utf-8-sig", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(header)
        writer.writerows(rows)
    return path


def supervisors_csv(workdir: Path, rng: random.Random) -> Path:
    term_end = dt.date(2024, 2, 29)
    rows = []
    for n in range(1, PROVINCIAL_SUPERVISORS + 1):
        rows.append(
            [
                f"HNSJD2022{n:03d}",
                _name(rng),
                "430000",
                "校外培训" if n % 5 else "校内减负",
                rng.choice(UNITS_OF),
                f"139{rng.randrange(10**8):08d}",
                APPOINTED_ON,
                term_end,
                f"{SEED}：选聘103名省级校外培训社会监督员",
            ]
        )
    for city in Region.objects.filter(level=RegionLevel.PREFECTURE, code__startswith="43").order_by("code"):
        for n in range(1, 3):
            rows.append(
                [
                    f"SJD{city.code}2022{n:02d}",
                    _name(rng),
                    city.code,
                    "综合",
                    rng.choice(UNITS_OF),
                    "",
                    dt.date(2022, 4, 1),
                    dt.date(2024, 3, 31),
                    f"{city.name}选聘（演示数据）",
                ]
            )
    return _write_csv(
        workdir / "社会监督员名册.csv",
        [
            "聘书编号",
            "姓名",
            "选聘区域代码",
            "监督领域",
            "工作单位",
            "联系电话",
            "聘期开始",
            "聘期结束",
            "选聘依据",
        ],
        rows,
    )


def admissions_csv(workdir: Path, rng: random.Random) -> Path:
    counties = list(Region.objects.filter(level=RegionLevel.COUNTY, code__startswith="43").order_by("code"))
    short = {c.code for c in rng.sample(counties, 4)}
    rows = []
    for county in counties:
        for n in range(1, (3 if county.code.endswith("02") else 2) + 1):
            plan = rng.randrange(300, 1200, 50)
            share = rng.uniform(0.42, 0.48) if county.code in short else rng.uniform(0.52, 0.62)
            allocated = round(plan * share)
            admitted = round(allocated * rng.uniform(0.88, 0.97))
            cross = (
                rng.choice((8, 15)) if county.code in short and n == 2 and county.code.endswith("02") else 0
            )
            rows.append(
                [
                    2022,
                    county.code,
                    f"{county.code}G{n:02d}",
                    f"{county.name}第{'一二三'[n - 1]}中学",
                    plan,
                    allocated,
                    admitted,
                    cross,
                ]
            )
    return _write_csv(
        workdir / "优质普通高中招生计划2022.csv",
        [
            "年度",
            "区县代码",
            "学校标识码",
            "学校名称",
            "招生计划数",
            "指标生分配数",
            "指标生录取数",
            "跨区域招生数",
        ],
        rows,
    )


def _demo_login() -> Any:
    """The demo supervisor login (created here when demo-accounts has not run yet; demo-accounts
    later sets its password and keeps it bound)."""
    from shuangjian.accounts.models import Role, User

    user, _ = User.objects.get_or_create(
        username="jianduyuan", defaults={"role": Role.SUPERVISOR, "last_name": "社会监督员"}
    )
    return user


@transaction.atomic
def coordination_load(today: dt.date) -> None:
    if CoordinationUnit.objects.filter(region_id="430000").exists():
        return
    units = []
    for order, (name, role, duty, source, status) in enumerate(PROVINCIAL_UNITS, start=1):
        units.append(
            services.unit_add(
                actor=None,
                region_code="430000",
                name=name,
                role=role,
                order=order,
                joined_on=dt.date(2021, 9, 1),
                source=source,
                source_status=status,
                duties=[(duty, source)],
            )
        )
    plan = [  # (unit index, task, assigned on, working days, completed on)
        (0, "汇总2023年春季学期“双减”工作进展", dt.date(2023, 3, 1), 15, dt.date(2023, 3, 20)),
        (4, "开展寒假校外培训广告专项清理", dt.date(2023, 1, 9), 10, dt.date(2023, 1, 19)),
        (6, "评估学科类培训政府指导价执行情况", dt.date(2023, 4, 3), 20, None),
        (19, "报送托管银行预收费资金监管数据", dt.date(2023, 4, 20), 10, None),
        (8, "清理未按期年检的非营利性培训机构", dt.date(2023, 5, 4), 15, None),
        (1, "组织“双减”两周年宣传报道", dt.date(2023, 5, 22), 20, None),
        (23, "组织家庭教育宣传周活动", dt.date(2023, 4, 10), 15, dt.date(2023, 5, 21)),
        (10, "核查培训机构从业人员资质", dt.date(2023, 3, 15), 20, dt.date(2023, 4, 20)),
        (0, "部署暑期校外培训专项治理", today - dt.timedelta(days=40), 15, None),
    ]
    for index, title, assigned_on, days, completed_on in plan:
        task = services.coordination_task_assign(
            actor=None, unit=units[index], title=title, working_days=days, assigned_on=assigned_on
        )
        if completed_on:
            services.coordination_progress_report(
                actor=None, task=task, percent=100, text="已按要求完成并报送", reported_on=completed_on
            )
        else:
            services.coordination_progress_report(
                actor=None,
                task=task,
                percent=40,
                text="正在推进",
                reported_on=assigned_on + dt.timedelta(days=5),
            )


@transaction.atomic
def inspection_load(rng: random.Random) -> None:
    if InspectionCampaign.objects.exists():
        return
    indicator_set = services.indicator_set_define(
        actor=None,
        year=2022,
        name="2022年市县两级政府“双减”履职评价指标",
        source=f"{SEED}：省政府教育督导办将“双减”纳入市、县两级政府履职评价指标（指标和分值为演示设计）",
        source_status="UNCERTAIN",
        indicators=INDICATORS_2022,
    )
    cities = list(Region.objects.filter(level=RegionLevel.PREFECTURE, code__startswith="43").order_by("code"))
    counties: list[str] = []
    for i, city in enumerate(cities):  # 39 counties: 3 in each of the first 11 cities, 2 in the last 3
        pool = list(
            Region.objects.filter(level=RegionLevel.COUNTY, parent=city)
            .order_by("code")
            .values_list("code", flat=True)
        )
        counties += rng.sample(pool, min(len(pool), 3 if i < 11 else 2))
    campaign = services.campaign_create(
        actor=None,
        name="2022年6月“双减”工作实地督查",
        indicator_set=indicator_set,
        start_on=dt.date(2022, 6, 6),
        end_on=dt.date(2022, 6, 24),
        as_of=dt.date(2022, 6, 30),
        period_from=dt.date(2022, 1, 1),
        period_to=dt.date(2022, 6, 30),
        organiser="省政府教育督导办联合相关省直部门",
        region_codes=[c.code for c in cities] + counties[:COUNTIES_INSPECTED],
        source=f"{SEED}：去年6月联合相关省直部门在14个市州、39个县市区开展实地督查",
    )
    inspector_indicators = list(indicator_set.indicators.filter(method="INSPECTOR"))
    findings = [
        "协调机制健全，专班运行正常",
        "课后服务经费保障到位",
        "个别学校作业公示不及时",
        "家长学校活动记录不完整",
        "校外培训监管执法力量不足",
        "部分乡镇学校课后服务形式单一",
    ]
    for target in CampaignTarget.objects.filter(campaign=campaign).order_by("region_id"):
        target.visited_on = dt.date(2022, 6, rng.randrange(6, 25))
        target.save(update_fields=["visited_on"])
        for indicator in inspector_indicators:
            services.score_record(
                actor=None,
                target=target,
                indicator=indicator,
                percent=rng.randrange(70, 101),
                finding=rng.choice(findings),
                scored_on=target.visited_on,
            )
        if rng.random() < 0.3:
            rect = services.rectification_assign(
                actor=None, target=target, issue=rng.choice(findings[2:]), assigned_on=dt.date(2022, 7, 1)
            )
            if rng.random() < 0.7:
                rect = services.rectification_submit(
                    actor=None,
                    rectification=rect,
                    report="已制定整改方案并完成整改",
                    submitted_on=dt.date(2022, 7, 20),
                )
                services.rectification_review(actor=None, rectification=rect, accept=True)


@transaction.atomic
def publicity_load() -> None:
    if PublicityEvent.objects.exists():
        return
    events = [  # the document names the events; dates and counts are generated
        ("INTERVIEW", "“双减”系列访谈", "红网", dt.date(2022, 7, 20), 12),
        ("SPECIAL_ISSUE", "“双减一周年”专刊", "《湖南教育》杂志", dt.date(2022, 7, 24), 1),
        ("SHORT_VIDEO", "“共话双减，共育新人”短视频", "", dt.date(2022, 9, 1), 320),
        ("ESSAY", "“共话双减，共育新人”征文", "", dt.date(2022, 10, 15), 1860),
        ("OPEN_LETTER", "致全省中小学生家长的一封信", "", dt.date(2022, 6, 28), 1),
    ]
    for kind, title, partner, held_on, count in events:
        services.publicity_record(
            actor=None,
            region_code="430000",
            kind=kind,
            title=title,
            partner=partner,
            held_on=held_on,
            count=count,
            source=SEED,
        )


def supervision_load(today: dt.date) -> None:
    """Bind the demo login to the first provincial supervisor, give it tasks (one overdue on the
    seed date, one open now) and two findings filed as reports in 芙蓉区's queue."""
    from shuangjian.complaints.photos import process_photo

    supervisor = Supervisor.objects.filter(number="HNSJD2022001").first()
    if supervisor is None or supervisor.tasks.exists():
        return
    user = _demo_login()
    with transaction.atomic():
        supervisor.user = user
        supervisor.save(update_fields=["user"])
        # Assigned during the first term and left open: overdue on the seed date.
        services.task_assign(
            actor=None,
            supervisor=supervisor,
            kind="INSTITUTION_VISIT",
            title="暗访芙蓉区五一商圈培训机构",
            county_code="430102",
            assigned_on=dt.date(2023, 5, 8),
        )
        # The demo login keeps working after the first term: it is renewed on the term's end.
        current = services.supervisor_renew(
            actor=None,
            supervisor=supervisor,
            number="HNSJD2024001",
            term_start=dt.date(2024, 3, 1),
            term_end=dt.date(2099, 2, 28),
        )
    services.task_assign(
        actor=None,
        supervisor=current,
        kind="HOMEWORK_CHECK",
        title="检查芙蓉区小学作业公示",
        county_code="430102",
        assigned_on=today - dt.timedelta(days=3),
        instructions="抽查3所小学本周作业公示，核对书面作业时长",
    )
    task = services.task_assign(
        actor=None,
        supervisor=current,
        kind="INSTITUTION_VISIT",
        title="暗访雨花区周末学科类培训",
        county_code="430111",
        assigned_on=today - dt.timedelta(days=2),
    )
    image = _demo_photo()
    services.finding_file(
        actor=user,
        supervisor=current,
        task=task,
        report_type="ILLEGAL_SUBJECT_TRAINING",
        description="周六上午在写字楼内开展初中数学培训，约15名学生",
        place="长沙市雨花区",
        institution_text="某学习中心",
        photos=[process_photo("现场.jpg", image)],
    )


def _demo_photo() -> bytes:
    import io

    from PIL import Image, ImageDraw

    image = Image.new("RGB", (640, 480), (235, 235, 228))
    draw = ImageDraw.Draw(image)
    draw.rectangle((80, 60, 560, 420), outline=(90, 90, 90), width=6)
    out = io.BytesIO()
    image.save(out, format="JPEG", quality=85)
    return out.getvalue()


def load(*, scale: str, workdir: Path, stdout: Any) -> None:
    """Load the co-governance demo (see the module docstring); safe to run twice."""
    from django.utils import timezone

    rng = random.Random(18)
    today = timezone.localdate()
    for kind, write in (("supervisors", supervisors_csv), ("admission-plans", admissions_csv)):
        path = write(workdir, rng)
        stdout.write(f"导入 {kind}：{path.name}")
        call_command("import", kind, str(path), "--quiet", stdout=stdout)
    coordination_load(today)
    inspection_load(rng)
    publicity_load()
    supervision_load(today)
    stdout.write(
        f"协同治理演示数据：社会监督员 {Supervisor.objects.count()} 人，"
        f"协调小组成员单位 {CoordinationUnit.objects.count()} 家，督查地区 {CampaignTarget.objects.count()} 个"
    )
