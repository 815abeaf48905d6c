"""Coordination group tasks (working-day deadlines, progress, overdue list) and the performance
evaluation computed in the stats layer from the platform's KPIs and the inspectors' scores."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from shuangjian.governance import selectors, services
from shuangjian.governance.testing import make_campaign, make_unit

pytestmark = pytest.mark.django_db


def test_coordination_task_deadline_progress_and_overdue(make_user):
    province = make_user("PROVINCE", region="430000")
    from shuangjian.regions.models import Region

    unit = make_unit(Region.objects.get(code="430000"))
    task = services.coordination_task_assign(
        actor=province, unit=unit, title="报送数据", working_days=5, assigned_on=dt.date(2023, 4, 27)
    )
    # 27 Apr 2023 (Thu) + 5 working days: 28 Apr, Sun 23 Apr is before; 29 Apr–3 May off; 4, 5, Sat 6 May (调休), 8 May.
    assert task.due_date == dt.date(2023, 5, 8)
    assert list(selectors.coordination_overdue(as_of=dt.date(2023, 5, 9))) == [task]
    assert not selectors.coordination_overdue(as_of=dt.date(2023, 5, 8)).exists()
    services.coordination_progress_report(
        actor=province, task=task, percent=100, text="已报送", reported_on=dt.date(2023, 5, 12)
    )
    task.refresh_from_db()
    assert task.status == "DONE" and task.completed_on == dt.date(2023, 5, 12)
    # Done late: still overdue as of a date before it was done, not after.
    assert selectors.coordination_overdue(as_of=dt.date(2023, 5, 10)).exists()
    assert not selectors.coordination_overdue(as_of=dt.date(2023, 5, 13)).exists()
    assert task.history.first().history_change_reason == "办结"


def test_weekly_report_lists_overdue_coordination_tasks(make_user):
    from shuangjian.regions.models import Region
    from shuangjian.stats.weekly import weekly_build

    unit = make_unit(Region.objects.get(code="430000"))
    services.coordination_task_assign(
        actor=None, unit=unit, title="逾期的交办任务", working_days=2, assigned_on=dt.date(2023, 5, 22)
    )
    report = weekly_build(week="2023-W22", region_code="430000")
    section = report.sections[-1]
    assert section.title == "九、协同治理与家校共育"  # after 七、STEM and 八、逾期事项
    overdue = [t for t in section.tables if t.title == "逾期未办结的协调小组交办任务"][0]
    assert overdue.rows[0][:2] == [unit.name, "逾期的交办任务"]


def test_evaluation_scores_from_kpis_and_inspectors_and_links_to_records(client, make_user):
    from shuangjian.common.testing import make_institution
    from shuangjian.institutions.models import InstitutionEpisode
    from shuangjian.regions.models import Region
    from shuangjian.stats.evaluation import campaign_ranking, target_score

    county = Region.objects.get(code="430405")
    # 4 offline subject institutions on the baseline date, 1 still active: reduction rate 0.75.
    for n in range(4):
        inst = make_institution(county)
        InstitutionEpisode.objects.create(
            institution=inst,
            category="SUBJECT",
            mode="OFFLINE",
            audiences="COMPULSORY",
            approved_on=dt.date(2020, 1, 1),
            ended_on=None if n == 0 else dt.date(2021, 12, 1),
        )
    campaign = make_campaign(county)
    target = campaign.targets.get()
    province = make_user("PROVINCE", region="430000")
    services.score_record(
        actor=province,
        target=target,
        indicator=campaign.indicator_set.indicators.get(code="2"),
        percent=80,
        finding="机制健全，个别学校作业公示不及时",
    )
    result = target_score(target)
    kpi_line, inspector_line = result.lines
    assert kpi_line.value == 0.75 and kpi_line.points == 56.25  # 60 × 0.75 / 0.8
    assert inspector_line.points == 32.0 and "作业公示" in inspector_line.finding
    assert result.total == 88.25
    assert campaign_ranking(campaign)["COUNTY"][0].rank == 1

    zhuhui = make_user("COUNTY", region="430405")
    with pytest.raises(Exception, match="不能为自己评分"):
        services.score_record(
            actor=zhuhui,
            target=target,
            indicator=campaign.indicator_set.indicators.get(code="2"),
            percent=100,
            finding="自评",
        )
    client.force_login(zhuhui)
    page = client.get(reverse("stats:evaluation_target", args=[target.pk])).content.decode()
    assert "88.25" in page
    assert "/stats/records/institutions.offline_compulsory_subject.current/?as_of=2022-06-01" in page
    records = client.get(
        "/stats/records/institutions.offline_compulsory_subject.baseline/"
        "?as_of=2022-06-01&from=2022-01-01&to=2022-06-01&region=430405"
    )
    assert records.status_code == 200 and records.context["total"] == 4


def test_rectification_cycle(make_user):
    from shuangjian.regions.models import Region

    campaign = make_campaign(Region.objects.get(code="430405"))
    target = campaign.targets.get()
    province, zhuhui = make_user("PROVINCE", region="430000"), make_user("COUNTY", region="430405")
    rect = services.rectification_assign(
        actor=province, target=target, issue="课后服务形式单一", assigned_on=dt.date(2022, 7, 1)
    )
    assert rect.due_date == dt.date(2022, 7, 29)  # 20 working days
    with pytest.raises(Exception, match="被督查地区提交"):
        services.rectification_submit(actor=province, rectification=rect, report="x")
    rect = services.rectification_submit(actor=zhuhui, rectification=rect, report="已增加科普类课程")
    rect = services.rectification_review(
        actor=province, rectification=rect, accept=False, note="缺少佐证材料"
    )
    assert rect.status == "OPEN"
    rect = services.rectification_submit(actor=zhuhui, rectification=rect, report="补充照片和课表")
    rect = services.rectification_review(actor=province, rectification=rect, accept=True)
    assert rect.status == "ACCEPTED" and rect.history.count() == 5


def test_unit_leaves_the_group(make_user):
    from shuangjian.regions.models import Region

    province = make_user("PROVINCE", region="430000")
    unit = make_unit(Region.objects.get(code="430000"))
    services.unit_leave(actor=province, unit=unit, left_on=dt.date(2023, 1, 1), reason="机构改革")
    assert selectors.coordination_units(as_of=dt.date(2022, 12, 31)).filter(pk=unit.pk).exists()
    assert not selectors.coordination_units(as_of=dt.date(2023, 1, 1)).filter(pk=unit.pk).exists()
    with pytest.raises(services.GovernanceError, match="已退出"):
        services.coordination_task_assign(actor=province, unit=unit, title="x")
    from django.core.exceptions import PermissionDenied

    other = make_unit(Region.objects.get(code="430000"))
    with pytest.raises(PermissionDenied):
        services.unit_leave(
            actor=make_user("COUNTY", region="430102"), unit=other, left_on=dt.date(2023, 1, 2), reason="x"
        )
