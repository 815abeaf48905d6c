"""Parent schools (import), activities, family-education week and anonymous online lesson completions."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from shuangjian.coeducation import services
from shuangjian.coeducation.importers import ParentSchoolImporter
from shuangjian.coeducation.models import LessonCompletion, ParentSchool

pytestmark = pytest.mark.django_db
HEADER = "家长学校编号,名称,类型,区县代码,依托单位,成立日期,停办日期\n"


def test_parent_school_import_and_kpi(tmp_path):
    from shuangjian.stats.kpis import KpiContext, compute_kpis

    path = tmp_path / "p.csv"
    path.write_text(
        HEADER + "jz001,芙蓉区第一小学家长学校,学校,430102,芙蓉区第一小学,2018-09-01,\n"
        "JZ002,东湖社区家长学校,社区,430102,东湖社区,2019/3/1,2023-01-01\n",
        encoding="utf-8-sig",
    )
    report = ParentSchoolImporter().run(path)
    assert report.applied and report.created == 2 and ParentSchool.objects.get(code="JZ001").kind == "SCHOOL"
    assert ParentSchoolImporter().run(path).skipped == 2
    values = compute_kpis(KpiContext(as_of=dt.date(2023, 6, 5)), ["coeducation.parent_schools"])
    assert values["coeducation.parent_schools"] == 1  # the community one closed on 2023-01-01
    bad = tmp_path / "bad.csv"
    bad.write_text(HEADER + "JZ003,,家庭,999999,,2020-13-01,\n", encoding="utf-8")
    messages = [str(e) for e in ParentSchoolImporter().run(bad).errors]
    assert "第2行“名称”列：不能为空" in messages
    assert any(m.startswith("第2行“类型”列：“家庭”无效") for m in messages)
    assert any(m.startswith("第2行“区县代码”列") for m in messages)
    assert any(m.startswith("第2行“成立日期”列") for m in messages)


def test_lesson_completion_is_anonymous_and_counted_once(client):
    course = services.course_publish(
        actor=None,
        slug="t",
        title="课程",
        summary="",
        audience="",
        lessons=[("第一课", "第一段\n第二段", 5), ("第二课", "内容", 5)],
    )
    lesson = course.lessons.first()
    url = reverse("coeducation:public_lesson", args=[lesson.pk])
    assert client.get(url).status_code == 200
    response = client.post(url, {"county": "430102"})
    assert response.status_code == 302
    learner = response.cookies["sj_learner"].value
    completion = LessonCompletion.objects.get()
    assert completion.county_id == "430102" and learner not in completion.learner_ref
    assert completion.learner_ref == services.learner_ref(learner)
    client.post(url, {"county": "430102"})
    assert LessonCompletion.objects.count() == 1
    assert "您已完成本课时" in client.get(url).content.decode()
    assert client.post(url, {"county": "430100"}).status_code == 302  # a city is not a county: refused
    assert LessonCompletion.objects.count() == 1


def test_activity_in_family_week(make_user):
    week = services.family_week_define(
        actor=None,
        year=2023,
        theme="家校社协同育人",
        start_on=dt.date(2023, 5, 15),
        end_on=dt.date(2023, 5, 21),
    )
    county = make_user("COUNTY", region="430102")
    activity = services.activity_record(
        actor=county,
        county_code="430102",
        kind="LECTURE_COMMUNITY",
        title="家庭教育讲座进社区",
        held_on=dt.date(2023, 5, 16),
        participants=80,
        family_week=week,
    )
    assert activity.history.first().history_user == county
    with pytest.raises(services.CoeducationError, match="不在家庭教育宣传周内"):
        services.activity_record(
            actor=county,
            county_code="430102",
            kind="PARENT_MEETING",
            title="x",
            held_on=dt.date(2023, 6, 1),
            family_week=week,
        )
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        services.activity_record(
            actor=county, county_code="430405", kind="PARENT_MEETING", title="x", held_on=dt.date(2023, 6, 1)
        )
