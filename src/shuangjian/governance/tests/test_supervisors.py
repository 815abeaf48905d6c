"""Social supervisors: appointment, tasks with working-day deadlines, findings that become reports in
the county's queue, performance, end of term and renewal, and the supervisor's own pages."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from shuangjian.complaints.tests.helpers import jpeg_bytes
from shuangjian.governance import selectors, services
from shuangjian.governance.models import Supervisor

pytestmark = pytest.mark.django_db
ZHUHUI = "430405"
FAR = dt.date(2099, 12, 31)


@pytest.fixture
def province(make_user):
    return make_user("PROVINCE", region="430000")


def appoint(actor, number="HN2022001", region="430000", **kw):
    return services.supervisor_appoint(
        actor=actor,
        number=number,
        name=kw.pop("name", "李明"),
        region_code=region,
        term_start=kw.pop("term_start", dt.date(2022, 3, 1)),
        **kw,
    )


def test_appointment_sets_level_from_region_and_issues_a_login(province):
    s = appoint(province, username="jdy001", password="Sup-pass-2026", phone="13812345678")
    assert s.level == "PROVINCE" and s.status == "IN_OFFICE"
    assert s.term_end == dt.date(2024, 2, 29)  # default term: 2 years (rule data), minus one day
    assert s.user.role == "SUPERVISOR" and s.user.check_password("Sup-pass-2026")
    assert s.phone_masked == "138****5678"
    assert s.history.first().history_user == province
    assert services.supervisor_of(s.user) == s


def test_county_cannot_appoint_a_provincial_supervisor(make_user):
    county = make_user("COUNTY", region="430102")
    with pytest.raises(PermissionDenied):
        appoint(county)
    assert not Supervisor.objects.exists()


def test_duplicate_number_and_bad_term_are_refused(province):
    appoint(province)
    with pytest.raises(services.GovernanceError, match="已存在"):
        appoint(province)
    with pytest.raises(services.GovernanceError, match="不能早于"):
        appoint(province, number="X2", term_end=dt.date(2021, 1, 1))


def test_task_deadline_counts_working_days_across_national_day(province):
    s = appoint(province)
    task = services.task_assign(
        actor=province,
        supervisor=s,
        kind="INSTITUTION_VISIT",
        title="暗访某学习中心",
        county_code=ZHUHUI,
        assigned_on=dt.date(2023, 9, 28),
    )
    # 10 working days after Thu 2023-09-28: 29 Sep–6 Oct off, Sat 7 and Sun 8 Oct are adjusted working days.
    assert task.due_date == dt.date(2023, 10, 18)
    assert task.status == "ASSIGNED" and task.assigned_by == province


def test_finding_becomes_a_report_in_the_county_queue_with_a_clean_photo(province, make_user):
    from shuangjian.complaints.models import Report
    from shuangjian.complaints.photos import process_photo
    from shuangjian.complaints.services import report_judge

    s = appoint(province, username="jdy002", password="Sup-pass-2026", term_end=FAR)
    task = services.task_assign(
        actor=province, supervisor=s, kind="HOMEWORK_CHECK", title="检查作业公示", county_code=ZHUHUI
    )
    photo = process_photo("现场.jpg", jpeg_bytes(800, 600, gps=True))
    finding = services.finding_file(
        actor=s.user,
        supervisor=s,
        task=task,
        report_type="ILLEGAL_SUBJECT_TRAINING",
        description="周末在居民楼内开展初中数学培训",
        photos=[photo],
    )
    report = finding.report
    assert report.source == "SUPERVISION" and report.county_id == ZHUHUI and report.status == "NEW"
    assert report.created_by == s.user and report.photos.count() == 1
    assert "检查作业公示" in report.description
    zhuhui = make_user("COUNTY", region=ZHUHUI)
    furong = make_user("COUNTY", region="430102")
    assert Report.objects.visible_to(zhuhui).filter(pk=report.pk).exists()
    assert not Report.objects.visible_to(furong).filter(pk=report.pk).exists()

    report_judge(report=report, actor=zhuhui, valid=True, reason="经核实属实")
    services.task_complete(actor=s.user, task=task, summary="检查3所学校，发现1处问题")
    perf = selectors.supervisor_performance(Supervisor.objects.filter(pk=s.pk))[0]
    assert (perf["tasks_total"], perf["tasks_done"], perf["findings_total"], perf["findings_confirmed"]) == (
        1,
        1,
        1,
        1,
    )


def test_only_the_assigned_supervisor_files_on_a_task(province):
    a = appoint(province, username="jdy_a", password="Sup-pass-2026", term_end=FAR)
    b = appoint(province, number="HN2022002", username="jdy_b", password="Sup-pass-2026", term_end=FAR)
    task = services.task_assign(actor=province, supervisor=a, kind="OTHER", title="任务", county_code=ZHUHUI)
    with pytest.raises(PermissionDenied):
        services.finding_file(actor=b.user, supervisor=b, task=task, report_type="OTHER", description="x")
    with pytest.raises(PermissionDenied):
        services.task_complete(actor=b.user, task=task, summary="x")


def test_end_of_term_and_renewal(province):
    s = appoint(province, username="jdy003", password="Sup-pass-2026")
    renewed = services.supervisor_renew(
        actor=province, supervisor=s, number="HN2024001", term_start=dt.date(2024, 3, 1)
    )
    s.refresh_from_db()
    assert s.status == "ENDED" and s.user is None and renewed.renewed_from == s
    assert renewed.user.username == "jdy003" and renewed.term_end == dt.date(2026, 2, 28)
    assert selectors.supervisors_in_office(as_of=dt.date(2023, 6, 5)).get() == s
    assert selectors.supervisors_in_office(as_of=dt.date(2024, 6, 5)).get() == renewed
    services.supervisor_end(
        actor=province, supervisor=renewed, ended_on=dt.date(2025, 1, 1), reason="本人申请", dismiss=True
    )
    renewed.refresh_from_db()
    assert renewed.status == "DISMISSED" and not renewed.user.is_active
    with pytest.raises(services.GovernanceError):
        services.task_assign(actor=province, supervisor=renewed, kind="OTHER", title="x", county_code=ZHUHUI)


def test_supervisor_pages_show_only_own_tasks(client, province, make_user):
    a = appoint(province, username="jdy_pa", password="Sup-pass-2026", term_end=FAR)
    b = appoint(province, number="HN2022009", username="jdy_pb", password="Sup-pass-2026", term_end=FAR)
    task_b = services.task_assign(
        actor=province, supervisor=b, kind="OTHER", title="乙的任务", county_code=ZHUHUI
    )
    client.force_login(a.user)
    assert client.get(reverse("governance:my_tasks")).status_code == 200
    assert "乙的任务" not in client.get(reverse("governance:my_tasks")).content.decode()
    assert client.get(reverse("governance:my_task", args=[task_b.pk])).status_code == 404
    client.force_login(make_user("COUNTY", region=ZHUHUI))
    assert client.get(reverse("governance:my_tasks")).status_code == 403


def test_appoint_page_and_task_assignment_through_the_pages(client, province):
    client.force_login(province)
    response = client.post(
        reverse("governance:supervisor_new"),
        {
            "number": "hn2022100",
            "name": "王芳",
            "region": "430000",
            "field": "OFF_CAMPUS",
            "term_start": "2022-03-01",
            "term_end": "2099-12-31",
            "username": "jdy100",
            "password": "Sup-pass-2026",
        },
    )
    s = Supervisor.objects.get(number="HN2022100")
    assert response.status_code == 302 and response.url == reverse("governance:supervisor", args=[s.pk])
    response = client.post(
        reverse("governance:supervisor", args=[s.pk]),
        {"action": "assign", "kind": "INSTITUTION_VISIT", "title": "暗访", "county": ZHUHUI},
    )
    task = s.tasks.get()
    assert response.url == reverse("governance:task", args=[task.pk])
    page = client.get(reverse("governance:supervisors") + "?format=xlsx")
    assert page["Content-Type"].startswith("application/vnd.openxmlformats")


def test_supervisor_kpis_by_level(province):
    from shuangjian.stats.kpis import KpiContext, compute_kpis

    appoint(province)
    appoint(province, number="C1", region="430100")
    appoint(province, number="C2", region="430102", term_start=dt.date(2023, 7, 1))
    values = compute_kpis(
        KpiContext(as_of=dt.date(2023, 6, 5)),
        [
            "governance.supervisors.in_office",
            "governance.supervisors.province",
            "governance.supervisors.city",
            "governance.supervisors.county",
        ],
    )
    assert values == {
        "governance.supervisors.in_office": 2,
        "governance.supervisors.province": 1,
        "governance.supervisors.city": 1,
        "governance.supervisors.county": 0,
    }
