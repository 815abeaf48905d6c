"""Demo data for the reports area: `load(scale=…, workdir=…, stdout=…)`: the area's own small demo
(its tests use it). The demo province writes its reports file with ``shuangjian.demo.reports``
(calibrated to the seed document) instead; this generator is not in ``AREA_LOADERS``.

Writes a reports file (DESIGN.md columns) into ``workdir`` and imports it through the platform's own
``shuangjian import reports`` command, then escalates what is overdue and files one public report
whose tracking number and query code are printed (so the tracking page can be tried at once).
Deterministic for a given scale (fixed seed; times relative to now); a second run keeps the existing
demo reports (see :func:`load`).
"""

from __future__ import annotations

import csv
import datetime as dt
import random
from pathlib import Path
from typing import Any

from django.core.management import call_command
from django.utils import timezone

from shuangjian.institutions.models import Institution
from shuangjian.regions.models import Region, RegionLevel

from .choices import ReportType, Source

SIZES = {"small": 120, "province": 6000}
TYPE_WEIGHTS = [
    (ReportType.ILLEGAL_SUBJECT_TRAINING, 30),
    (ReportType.TEACHER_PAID_TUTORING, 12),
    (ReportType.ILLEGAL_CHARGING, 22),
    (ReportType.COLLAPSE, 3),
    (ReportType.SMOKE, 6),
    (ReportType.FALSE_ADVERTISING, 10),
    (ReportType.SAFETY_HAZARD, 9),
    (ReportType.OTHER, 8),
]
SOURCE_WEIGHTS = [
    (Source.SNAPSHOT, 45),
    (Source.PHONE, 30),
    (Source.ONLINE, 15),
    (Source.FORWARDED, 6),
    (Source.INSPECTION, 4),
]
TEXTS = {
    ReportType.ILLEGAL_SUBJECT_TRAINING: "周末在{place}开设初中数学、英语培训班，约{n}名学生",
    ReportType.TEACHER_PAID_TUTORING: "某校在职教师在{place}家中组织有偿补课，每次{n}人",
    ReportType.ILLEGAL_CHARGING: "一次性收取{n}个月培训费，要求转账到个人账户",
    ReportType.COLLAPSE: "机构突然停课，负责人联系不上，{n}名学员预付费未退",
    ReportType.SMOKE: "机构大幅打折促销预付课时，拖欠教师工资{n}个月",
    ReportType.FALSE_ADVERTISING: "宣传“保证提分{n}分”，与实际不符",
    ReportType.SAFETY_HAZARD: "{place}培训场所消防通道被堵，容纳约{n}人",
    ReportType.OTHER: "培训时间晚于晚上九点，约{n}名学生",
}
HEADER = [
    "线索编号",
    "来源",
    "类型",
    "区县代码",
    "统一社会信用代码",
    "受理时间",
    "是否有效",
    "办结时间",
    "内容",
]


def _pick(rng: random.Random, weights: list[tuple[Any, int]]) -> Any:
    return rng.choices([w[0] for w in weights], weights=[w[1] for w in weights])[0]


def write_reports_file(path: Path, *, rows: int, seed: int = 5, now: dt.datetime | None = None) -> Path:
    """Write ``rows`` demo reports (CSV, UTF-8 with BOM) to ``path`` and return it."""
    rng = random.Random(seed)
    now = timezone.localtime(now or timezone.now())
    institutions = list(
        Institution.objects.filter(county__code__startswith="43").values_list("credit_code", "county_id")[
            :2000
        ]
    )
    counties = list(
        Region.objects.filter(level=RegionLevel.COUNTY, code__startswith="43").values_list("code", "name")
    )
    names = dict(counties)
    with path.open("w", encoding="utf-8-sig", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(HEADER)
        for i in range(rows):
            report_type = _pick(rng, TYPE_WEIGHTS)
            if institutions and rng.random() < 0.6:
                credit_code, county = rng.choice(institutions)
            else:
                credit_code, county = "", rng.choice(counties)[0]
            received = now - dt.timedelta(
                days=rng.randint(0, 150), hours=rng.randint(0, 23), minutes=rng.randint(0, 59)
            )
            age_days = (now - received).days
            valid = closed = ""
            roll = rng.random()
            if age_days > 3 and roll < 0.75:
                valid = "是" if rng.random() < 0.7 else "否"
                if roll < 0.6:
                    closed_at = received + dt.timedelta(days=rng.randint(1, 40), hours=rng.randint(0, 8))
                    if closed_at < now:
                        closed = closed_at.strftime("%Y-%m-%d %H:%M")
            text = TEXTS[report_type].format(place=names[county], n=rng.randint(3, 40))
            writer.writerow(
                [
                    f"DEMO{now:%Y}{i + 1:06d}",
                    Source(_pick(rng, SOURCE_WEIGHTS)).label,
                    ReportType(report_type).label,
                    county,
                    credit_code,
                    received.strftime("%Y-%m-%d %H:%M"),
                    valid,
                    closed,
                    text,
                ]
            )
    return path


def load(*, scale: str, workdir: Path, stdout: Any) -> None:
    """Import the demo reports, escalate overdue ones, file one public report and print its codes."""
    from .models import Report
    from .services import report_submit_public, reports_escalate

    if Report.objects.filter(number__startswith="DEMO").exists():
        # Times are relative to the first load: a later run would write a different file, which the
        # import contract refuses. The demo reports are kept; only escalation is brought up to date.
        summary = reports_escalate()
        stdout.write(
            f"投诉举报演示数据已存在；逾期升级市级督办 {len(summary.to_city)} 件，省级督办 {len(summary.to_province)} 件"
        )
        return
    path = write_reports_file(Path(workdir) / "reports.csv", rows=SIZES.get(scale, SIZES["small"]))
    call_command("import", "reports", str(path), "--quiet", stdout=stdout)
    summary = reports_escalate()
    stdout.write(
        f"投诉举报：逾期升级市级督办 {len(summary.to_city)} 件，省级督办 {len(summary.to_province)} 件"
    )
    report, code = report_submit_public(
        report_type=ReportType.ILLEGAL_SUBJECT_TRAINING,
        county_code="430102",
        description="演示：周六上午在五一大道某写字楼开设初中数学培训班，约二十名学生",
        place="长沙市芙蓉区五一大道",
        institution_text="（演示）某学习中心",
        reporter_phone="13800000000",
    )
    stdout.write(f"演示随手拍：线索编号 {report.number}，查询码 {code}（/complaints/public/track/）")
