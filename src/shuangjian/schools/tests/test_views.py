"""Pages: a school publishes homework and reports after-school service; a county sees which schools
fall short; the province sees the rates by city; parents see a class's homework of the day."""

from __future__ import annotations

import datetime as dt
import io

import openpyxl
import pytest
from django.urls import reverse
from django.utils import timezone

from shuangjian.schools.models import AfterSchoolWeek, Exam, HomeworkDay
from shuangjian.schools.testing import make_school

from .conftest import D

pytestmark = pytest.mark.django_db
PERIOD = "?from=2026-09-28&to=2026-10-11"


def test_teacher_publishes_homework_and_parents_see_it(client, make_user):
    school = make_school("430102", classes_per_grade=1)
    grade3 = school.classes.get(grade=3)
    client.force_login(make_user("SCHOOL", school=school))
    url = reverse("schools:homework_publish", args=[grade3.pk])
    assert client.get(url).status_code == 200
    today = timezone.localdate()
    form = {
        "date": today.isoformat(),
        "note": "",
        "items-TOTAL_FORMS": "6",
        "items-INITIAL_FORMS": "0",
        "items-MIN_NUM_FORMS": "0",
        "items-MAX_NUM_FORMS": "12",
        "items-0-subject": "数学",
        "items-0-content": "练习册第7页",
        "items-0-minutes": "40",
        "items-0-is_written": "on",
        "items-1-subject": "语文",
        "items-1-content": "默写古诗",
        "items-1-minutes": "30",
        "items-1-is_written": "on",
        "items-2-subject": "英语",
        "items-2-content": "跟读录音",
        "items-2-minutes": "10",
    }
    response = client.post(url, form, follow=True)
    assert response.status_code == 200
    day = HomeworkDay.objects.get(school_class=grade3, date=today)
    assert (day.written_minutes, day.total_minutes) == (70, 80)
    assert (
        "超过小学三至六年级每日 60 分钟上限" in response.content.decode()
    )  # shown as a warning, still published
    client.logout()
    public = client.get(reverse("schools:class_public", args=[grade3.public_key]))
    assert public.status_code == 200
    text = public.content.decode()
    assert "练习册第7页" in text and "默写古诗" in text and "书面作业合计 70 分钟" in text
    assert "小学三至六年级每天书面作业不超过 60 分钟" in text


def test_public_page_on_a_holiday_and_without_record(client, monkeypatch):
    school = make_school("430102", classes_per_grade=1)
    grade1 = school.classes.get(grade=1)
    monkeypatch.setattr(timezone, "localdate", lambda *a, **k: dt.date(2026, 10, 1))
    holiday = client.get(reverse("schools:class_public", args=[grade1.public_key])).content.decode()
    assert "今天是法定节假日，不上课" in holiday and "小学一、二年级不布置书面家庭作业" in holiday
    monkeypatch.setattr(timezone, "localdate", lambda *a, **k: dt.date(2026, 10, 10))
    adjusted = client.get(reverse("schools:class_public", args=[grade1.public_key])).content.decode()
    assert "班级尚未公示今日作业" in adjusted  # 调休 Saturday: homework is due


def test_writes_are_limited_to_the_own_school(client, make_user):
    own = make_school("430102", classes_per_grade=1)
    other = make_school("430102", classes_per_grade=1)
    client.force_login(make_user("SCHOOL", school=own))
    assert client.get(reverse("schools:homework_publish", args=[other.classes.first().pk])).status_code == 404
    assert client.get(reverse("schools:school", args=[other.pk])).status_code == 404
    assert client.get(reverse("schools:class", args=[other.classes.first().pk])).status_code == 404
    assert client.get(reverse("schools:index")).url == reverse("schools:school", args=[own.pk])
    client.force_login(make_user("COUNTY", region="430102"))
    assert client.get(reverse("schools:homework_publish", args=[own.classes.first().pk])).status_code == 403
    assert client.get(reverse("schools:after_school_report")).status_code == 403
    assert client.post(reverse("schools:exam_register"), {}).status_code == 403


def test_school_reports_after_school_service_and_registers_exams(client, make_user):
    school = make_school("430102", kind="JUNIOR")
    client.force_login(make_user("SCHOOL", school=school))
    response = client.post(
        reverse("schools:after_school_report"),
        {
            "week": "2026-10-09",
            "days_offered": 3,
            "hours_per_day": "2",
            "end_time": "17:40",
            "students_enrolled": 300,
            "students_requested": 320,
            "staff_count": 25,
            "external_staff_count": 2,
            "fee_yuan": "0",
            "subsidy_yuan": "1500.5",
        },
    )
    assert response.status_code == 302
    record = AfterSchoolWeek.objects.get(school=school)
    assert record.week_start == D(2026, 10, 5) and record.subsidy_fen == 150050
    for name, held_on in (("七年级期中", "2026-09-30"), ("七年级第二次期中", "2026-10-09")):
        assert (
            client.post(
                reverse("schools:exam_register"),
                {"grade": 7, "kind": "MIDTERM", "name": name, "held_on": held_on, "is_written": "on"},
            ).status_code
            == 302
        )
    assert Exam.objects.filter(school=school).count() == 2
    page = client.get(reverse("schools:school", args=[school.pk]) + PERIOD).content.decode()
    assert "参加 300 人，少于申请的 320 人（应接尽接）" in page
    assert "七年级本学期第 2 次期中考试" in page
    refused = client.post(
        reverse("schools:exam_register"),
        {"grade": 3, "kind": "FINAL", "name": "x", "held_on": "2027-01-10", "is_written": "on"},
    )
    assert (
        refused.status_code == 200 and Exam.objects.filter(school=school).count() == 2
    )  # no grade 3 in a junior school


def test_county_sees_which_schools_fall_short(client, make_user, dataset):
    compliant = make_school("430102", name="芙蓉区达标小学")
    compliant.classes.all().delete()  # no classes: nothing due for homework
    from shuangjian.schools.services import after_school_report

    from .conftest import returned

    for monday in (D(2026, 9, 28), D(2026, 10, 5)):
        after_school_report(actor=None, school=compliant, week_start=monday, data=returned(3))
    client.force_login(make_user("COUNTY", region="430102"))
    page = client.get(reverse("schools:shortfalls") + PERIOD).content.decode()
    assert "芙蓉区甲小学" in page and "作业未公示 4 个" in page
    assert "芙蓉区达标小学" not in page
    assert "珠晖区乙中学" not in page  # another county's school is invisible
    export = client.get(reverse("schools:shortfalls") + PERIOD + "&format=xlsx")
    sheet = openpyxl.load_workbook(io.BytesIO(export.content)).worksheets[0]
    names = [row[1] for row in sheet.iter_rows(min_row=2, values_only=True)]
    assert names == ["芙蓉区甲小学"]
    county_page = client.get(reverse("schools:index") + PERIOD).content.decode()
    assert "芙蓉区达标小学" in county_page and "未达标" in county_page
    assert client.get(reverse("schools:region", args=["430405"]) + PERIOD).status_code == 404


def test_province_sees_rates_by_city_and_drills_down(client, make_user, dataset):
    client.force_login(make_user("PROVINCE", region="430000"))
    page = client.get(reverse("schools:index") + PERIOD).content.decode()
    assert "<svg" in page and "长沙市" in page and "衡阳市" in page
    assert "72.22%" in page and "76.92%" in page  # province totals (13/18, 10/13)
    assert "已公示的“班级·上课日”数" in page  # the definition is on the page
    city = client.get(reverse("schools:region", args=["430100"]) + PERIOD).content.decode()
    assert "芙蓉区" in city and "66.67%" in city  # 8 / 12
    county = client.get(reverse("schools:region", args=["430102"]) + PERIOD).content.decode()
    assert "芙蓉区甲小学" in county
    school = client.get(reverse("schools:school", args=[dataset["primary"].pk]) + PERIOD).content.decode()
    assert "一年级1班" in school and "33.33%" in school  # g1: 2 of 6 published
    klass = client.get(reverse("schools:class", args=[dataset["g1"].pk]) + PERIOD).content.decode()
    assert "调休上课日" in klass and "未公示" in klass and "不布置书面家庭作业" in klass
    export = client.get(reverse("schools:region", args=["430000"]) + PERIOD + "&format=xlsx")
    rows = list(openpyxl.load_workbook(io.BytesIO(export.content)).worksheets[0].iter_rows(values_only=True))
    by_code = {r[0]: r for r in rows[1:]}
    assert by_code["430100"][2:6] == (0.75, 0.6667, 0.5, 0.0)
    api = client.get(reverse("schools:api_rates", args=["430000"]) + PERIOD).json()
    assert api["homework_publication_rate"] == 0.7222 and api["exam_compliance_rate"] == 0.3333
    assert {c["code"] for c in api["children"]} >= {"430100", "430400"}


def test_others_cannot_open_regional_pages(client, make_user):
    client.force_login(make_user("SUPERVISOR"))
    assert client.get(reverse("schools:index")).status_code == 403
    assert client.get(reverse("schools:region", args=["430000"])).status_code == 404


def test_region_page_lists_the_rules_in_force(client, make_user):
    from shuangjian.common.models import RuleParameter

    RuleParameter.objects.create(key="schools.after_school.earliest_end", region_id="430100", value="18:00")
    client.force_login(make_user("CITY", region="430100"))
    page = client.get(reverse("schools:index")).content.decode()
    assert "课后服务结束时间不早于" in page and "18:00" in page and "D11 考试管理通知" in page
    client.force_login(make_user("CITY", region="430400"))
    assert "17:30" in client.get(reverse("schools:index")).content.decode()


def test_school_page_shows_which_classes_published_today(client, make_user, monkeypatch):
    from shuangjian.schools.services import homework_publish

    from .conftest import written

    school = make_school("430102", classes_per_grade=1)
    monkeypatch.setattr(timezone, "localdate", lambda *a, **k: dt.date(2026, 10, 9))
    homework_publish(
        actor=None, school_class=school.classes.get(grade=5), date=dt.date(2026, 10, 9), items=written(30)
    )
    client.force_login(make_user("SCHOOL", school=school))
    page = client.get(reverse("schools:school", args=[school.pk])).content.decode()
    assert page.count('badge">已公示<') == 1 and page.count('badge orange">未公示<') == 5
    monkeypatch.setattr(timezone, "localdate", lambda *a, **k: dt.date(2026, 10, 2))
    page = client.get(reverse("schools:school", args=[school.pk])).content.decode()
    assert 'badge">已公示<' not in page and page.count('<span class="muted">法定节假日</span>') == 6
