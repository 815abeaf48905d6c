"""Pages: forms and actions check who acts (foreign records 404, wrong roles 403), the public library
shows recognised courses only, materials are served only to whom may see them. No write on GET."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from shuangjian.complaints.tests.helpers import jpeg_bytes
from shuangjian.institutions.testing import TINY_PDF
from shuangjian.schools.testing import make_school
from shuangjian.stem.models import CourseState, StemCourse
from shuangjian.stem.testing import PLAN, make_course

COUNTY, OTHER = "430102", "430405"


@pytest.fixture
def world(make_user):
    school = make_school(COUNTY, students=600)
    return {
        "school": school,
        "teacher": make_user("SCHOOL", school=school),
        "county": make_user("COUNTY", region=COUNTY),
        "other": make_user("COUNTY", region=OTHER),
    }


def course_post(**overrides):
    data = {
        "name": "校园气象站",
        "stage": "PRIMARY",
        "carrier": "SUBJECT",
        "anchor_subject": "科学",
        "subjects": "数学、信息科技、地理",
        "hours": "12",
        "pupils": "40",
        "start_on": "2026-09-01",
        "resource_kinds": ["MUSEUM"],
        **PLAN,
    }
    data.update(overrides)
    return data


def test_school_files_uploads_and_submits(client, world):
    client.force_login(world["teacher"])
    response = client.post(reverse("stem:course_new"), course_post())
    course = StemCourse.objects.get(name="校园气象站")
    assert response.status_code == 302 and course.school == world["school"]
    page = client.get(reverse("stem:course", args=[course.pk])).content.decode()
    assert "课程方案文件：未上传" in page
    client.post(reverse("stem:course_submit", args=[course.pk]))
    assert StemCourse.objects.get(pk=course.pk).state == CourseState.REGISTERED
    from django.core.files.uploadedfile import SimpleUploadedFile

    client.post(
        reverse("stem:material_upload", args=[course.pk]),
        {"kind": "PLAN", "file": SimpleUploadedFile("方案.pdf", TINY_PDF, "application/pdf")},
    )
    client.post(
        reverse("stem:material_upload", args=[course.pk]),
        {
            "kind": "PHOTO",
            "public": "on",
            "file": SimpleUploadedFile("a.jpg", jpeg_bytes(gps=True), "image/jpeg"),
        },
    )
    assert course.materials.count() == 2
    client.post(reverse("stem:course_submit", args=[course.pk]))
    assert StemCourse.objects.get(pk=course.pk).state == CourseState.SUBMITTED


def test_regulator_cannot_file_and_foreign_course_is_404(client, world):
    client.force_login(world["county"])
    assert client.get(reverse("stem:course_new")).status_code == 403
    course = make_course(OTHER)
    for name in ("stem:course", "stem:course_edit"):
        assert client.get(reverse(name, args=[course.pk])).status_code == 404
    assert (
        client.post(reverse("stem:course_review", args=[course.pk]), {"decision": "county_pass"}).status_code
        == 404
    )
    own = make_course(COUNTY, school=world["school"])
    assert client.get(reverse("stem:course_edit", args=[own.pk])).status_code == 403


def test_county_review_needs_reason_to_return(client, world):
    course = make_course(COUNTY, school=world["school"], state="SUBMITTED")
    client.force_login(world["county"])
    page = client.post(
        reverse("stem:course_review", args=[course.pk]), {"decision": "county_return"}
    ).content.decode()
    assert "“退回修改”必须填写理由" in page
    client.post(reverse("stem:course_review", args=[course.pk]), {"decision": "county_pass"})
    assert StemCourse.objects.get(pk=course.pk).state == CourseState.COUNTY_PASSED


def test_public_library_shows_recognised_courses_only(client, world, make_user):
    recognised = make_course(COUNTY, school=world["school"], state="RECOGNISED", name="高铁中的STEM")
    pending = make_course(COUNTY, school=world["school"], state="CITY_RECOMMENDED", name="待认定课程")
    from shuangjian.stem.services import material_add

    hidden = material_add(actor=None, course=recognised, kind="PHOTO", filename="x.jpg", data=jpeg_bytes())
    shown = material_add(
        actor=None, course=recognised, kind="PHOTO", filename="y.jpg", data=jpeg_bytes(), public=True
    )
    page = client.get(reverse("stem:library")).content.decode()
    assert "高铁中的STEM" in page and "待认定课程" not in page
    assert client.get(reverse("stem:library_course", args=[pending.public_key])).status_code == 404
    detail = client.get(reverse("stem:library_course", args=[recognised.public_key])).content.decode()
    assert "已被 0 所学校（幼儿园）采用" in detail
    assert client.get(reverse("stem:library_material", args=[hidden.pk])).status_code == 404
    assert client.get(reverse("stem:library_material", args=[shown.pk])).status_code == 200
    # a school elsewhere adopts it; the count follows
    adopter = make_user("SCHOOL", school=make_school(OTHER))
    client.force_login(adopter)
    assert client.get(reverse("stem:library_course", args=[recognised.public_key])).status_code == 200
    client.post(reverse("stem:library_adopt", args=[recognised.public_key]))
    client.logout()
    detail = client.get(reverse("stem:library_course", args=[recognised.public_key])).content.decode()
    assert "已被 1 所学校（幼儿园）采用" in detail


def test_material_served_only_within_scope(client, world):
    course = make_course(COUNTY, school=world["school"])
    material = course.materials.get()
    client.force_login(world["other"])
    assert client.get(reverse("stem:material", args=[material.pk])).status_code == 404
    client.force_login(world["county"])
    response = client.get(reverse("stem:material", args=[material.pk]))
    assert response.status_code == 200 and b"".join(response.streaming_content).startswith(b"%PDF-")


def test_research_actions_by_role(client, world, make_user):
    client.force_login(world["teacher"])
    client.post(
        reverse("stem:research_new"),
        {
            "title": "幼小衔接STEM研究",
            "stage": "PRIMARY",
            "lead": "王老师",
            "level": "省级",
            "summary": "研究内容",
        },
    )
    from shuangjian.stem.models import ResearchProject

    project = ResearchProject.objects.get()
    response = client.post(reverse("stem:research_action", args=[project.pk]), {"action": "approve"})
    assert "教科院" in response.content.decode()
    province = make_user("PROVINCE", region="430000")
    from django.contrib.auth.models import Permission

    province.user_permissions.add(Permission.objects.get(codename="review_research"))
    client.force_login(province)
    client.post(reverse("stem:research_action", args=[project.pk]), {"action": "approve"})
    assert ResearchProject.objects.get().state == "APPROVED"


def test_region_page_and_export(client, world):
    make_course(COUNTY, school=world["school"], start_on=dt.date(2026, 9, 1))
    client.force_login(world["county"])
    page = client.get(reverse("stem:region", args=[COUNTY]) + "?as_of=2026-10-15").content.decode()
    assert world["school"].name in page and "农村学校STEM课程开设率" in page
    response = client.get(reverse("stem:region", args=[COUNTY]) + "?as_of=2026-10-15&format=xlsx")
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert client.get(reverse("stem:region", args=["430400"])).status_code == 404
