"""The course registry, the course standard, the review workflow with its deadlines, adoption,
materials through the photo pipeline, competitions and research projects (real database, real files)."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from PIL import Image

from shuangjian.complaints.tests.helpers import jpeg_bytes
from shuangjian.institutions.testing import TINY_PDF
from shuangjian.schools.testing import make_school
from shuangjian.stem.models import CourseReview, CourseState, ResearchState, StemCourse
from shuangjian.stem.services import (
    StemError,
    competition_upsert,
    course_adopt,
    course_register,
    course_review,
    course_standard_gaps,
    course_submit,
    entry_record,
    material_add,
    research_apply,
    research_transition,
)
from shuangjian.stem.testing import course_input, make_course

COUNTY = "430102"  # 长沙市芙蓉区
OTHER = "430405"  # 衡阳市珠晖区


@pytest.fixture
def people(make_user):
    school = make_school(COUNTY, students=600)
    return {
        "school": school,
        "teacher": make_user("SCHOOL", school=school),
        "county": make_user("COUNTY", region=COUNTY),
        "other_county": make_user("COUNTY", region=OTHER),
        "city": make_user("CITY", region="430100"),
        "other_city": make_user("CITY", region="430400"),
        "province": make_user("PROVINCE", region="430000"),
    }


def test_plan_must_meet_the_standard_before_submission(people):
    course = course_register(
        actor=people["teacher"],
        school=people["school"],
        data=course_input(subjects=["数学"], safety="", name="缺要素课程"),
    )
    gaps = course_standard_gaps(course)
    assert "融合学科：主学科之外至少融合2门学科（现有1门）" in gaps
    assert "安全预案：未填写或少于10字" in gaps
    assert "课程方案文件：未上传" in gaps
    with pytest.raises(StemError, match="课程方案不符合课程规范：.*安全预案"):
        course_submit(actor=people["teacher"], course=course)
    course.refresh_from_db()
    assert course.state == CourseState.REGISTERED


def test_full_review_path_with_deadlines_reasons_and_audit(people, settings):
    teacher, county, city, province = people["teacher"], people["county"], people["city"], people["province"]
    course = make_course(COUNTY, school=people["school"])
    course = course_submit(actor=teacher, course=course)
    assert course.state == CourseState.SUBMITTED and course.due_on is not None
    # the wrong county and the city cannot act on the county step
    for wrong in (people["other_county"], city, province):
        with pytest.raises(StemError, match="只能由学校所在县市区教育行政部门办理"):
            course_review(actor=wrong, course=course, decision="county_pass")
    with pytest.raises(StemError, match="必须填写理由"):
        course_review(actor=county, course=course, decision="county_return")
    course_review(actor=county, course=course, decision="county_return", reason="评价方式需细化到每个环节")
    course.refresh_from_db()
    assert course.state == CourseState.RETURNED and course.due_on is None
    course_submit(actor=teacher, course=course)
    course_review(actor=county, course=course, decision="county_pass")
    with pytest.raises(StemError, match="只能由学校所在市州"):
        course_review(actor=people["other_city"], course=course, decision="city_recommend")
    course_review(actor=city, course=course, decision="city_recommend", reason="特色鲜明")
    review = course_review(actor=province, course=course, decision="province_recognise")
    course.refresh_from_db()
    assert course.state == CourseState.RECOGNISED and course.recognised_on is not None
    assert review.on_time
    steps = list(CourseReview.objects.filter(course=course).values_list("decision", flat=True))
    assert steps == [
        "submit",
        "county_return",
        "submit",
        "county_pass",
        "city_recommend",
        "province_recognise",
    ]
    history = list(
        course.history.order_by("history_date").values_list(
            "state", "history_change_reason", "history_user_id"
        )
    )
    assert ("RETURNED", "退回修改：评价方式需细化到每个环节", county.pk) in history
    assert history[-1] == ("RECOGNISED", "认定为省级优秀STEM课程", province.pk)


def test_deadline_counts_working_days(people, monkeypatch):
    """Submitted on Wednesday 2026-09-30 (eve of 国庆): 15 working days run past the whole holiday and
    count the 调休 Saturday 10-10 → 2026-10-27 (the 15th: 10-08, 09, 10, 12 … 16, 19 … 23, 26, 27)."""
    from django.utils import timezone

    monkeypatch.setattr(timezone, "localdate", lambda *a, **k: dt.date(2026, 9, 30))
    course = course_submit(actor=people["teacher"], course=make_course(COUNTY, school=people["school"]))
    assert course.due_on == dt.date(2026, 10, 27)


def test_late_step_is_recorded_as_late(people):
    course = course_submit(actor=people["teacher"], course=make_course(COUNTY, school=people["school"]))
    StemCourse.objects.filter(pk=course.pk).update(due_on=dt.date(2020, 1, 2))
    review = course_review(actor=people["county"], course=course, decision="county_pass")
    assert review.due_on == dt.date(2020, 1, 2) and review.on_time is False


def test_only_editable_states_change(people):
    course = course_submit(actor=people["teacher"], course=make_course(COUNTY, school=people["school"]))
    with pytest.raises(StemError, match="不能再上传材料"):
        material_add(
            actor=people["teacher"], course=course, kind="PHOTO", filename="a.jpg", data=jpeg_bytes()
        )
    with pytest.raises(StemError, match="不能申报"):
        course_submit(actor=people["teacher"], course=course)


def test_photo_material_loses_exif_and_gps(people):
    course = make_course(COUNTY, school=people["school"])
    original = jpeg_bytes(120, 90, gps=True)
    assert Image.open(io.BytesIO(original)).getexif().get(0x8825)
    material = material_add(
        actor=people["teacher"], course=course, kind="PHOTO", filename="活动.jpg", data=original
    )
    with material.file.open("rb") as fh:
        stored = Image.open(io.BytesIO(fh.read()))
    assert not stored.getexif() and "exif" not in stored.info
    assert material.thumbnail and material.content_type == "image/jpeg"
    assert not material.file.name.endswith("活动.jpg")


def test_bad_materials_are_named(people):
    course = make_course(COUNTY, school=people["school"])
    with pytest.raises(StemError, match="“方案.pdf”不是完整的PDF文件"):
        material_add(
            actor=people["teacher"], course=course, kind="PLAN", filename="方案.pdf", data=b"%PDF-1.4 short"
        )
    with pytest.raises(StemError, match="“照片.jpg”不是有效的图片文件"):
        material_add(
            actor=people["teacher"], course=course, kind="PHOTO", filename="照片.jpg", data=b"hello" * 50
        )
    with pytest.raises(StemError, match="活动照片请上传图片"):
        material_add(actor=people["teacher"], course=course, kind="PHOTO", filename="x.pdf", data=TINY_PDF)


def test_kindergarten_runs_preschool_courses_only(people):
    kindergarten = make_school(COUNTY, kind="KINDERGARTEN", students=200)
    with pytest.raises(StemError, match="幼儿园只能开设学前学段的课程"):
        course_register(actor=None, school=kindergarten, data=course_input())
    course = course_register(
        actor=None, school=kindergarten, data=course_input(stage="PRESCHOOL", carrier="PLAY")
    )
    assert course.get_stage_display() == "学前"


def test_other_school_staff_cannot_register(people, make_user):
    other = make_user("SCHOOL", school=make_school(OTHER))
    with pytest.raises(StemError):
        course_register(actor=other, school=people["school"], data=course_input())


def test_adoption_copies_a_recognised_course_and_counts(people, make_user):
    course = make_course(COUNTY, school=people["school"], state="RECOGNISED")
    adopter_school = make_school(OTHER, students=300)
    adopter = make_user("SCHOOL", school=adopter_school)
    copy = course_adopt(actor=adopter, course=course)
    assert (
        copy.school == adopter_school and copy.adopted_from == course and copy.state == CourseState.REGISTERED
    )
    assert copy.objectives == course.objectives
    assert course.adoptions.count() == 1
    with pytest.raises(StemError, match="已采用"):
        course_adopt(actor=adopter, course=course)
    not_recognised = make_course(COUNTY, school=people["school"])
    with pytest.raises(StemError, match="只能采用省级优秀STEM课程"):
        course_adopt(actor=adopter, course=not_recognised)


def test_competition_result_is_a_record(people):
    course = make_course(COUNTY, school=people["school"])
    competition = competition_upsert(actor=None, name="中国STEM教育发展大会", year=2021, edition=4)
    entry = entry_record(
        actor=people["county"],
        competition=competition,
        school=people["school"],
        course=course,
        title=course.name,
        group="学前教育段",
        top_n=50,
        group_rank=2,
    )
    assert entry.result_text == "进入前50强；学前教育段第2名"
    with pytest.raises(StemError):
        entry_record(
            actor=people["other_county"], competition=competition, school=people["school"], title="x"
        )


def test_research_project_lifecycle(people, make_user):
    project = research_apply(
        actor=people["teacher"],
        school=people["school"],
        title="基于STEM的课程研究",
        stage="PRIMARY",
        lead="王老师",
    )
    # a county regulator without the 教科院 permission cannot review
    with pytest.raises(StemError, match="教科院"):
        research_transition(actor=people["county"], project=project, action="approve")
    from django.contrib.auth.models import Permission

    reviewer = people["province"]
    reviewer.user_permissions.add(Permission.objects.get(codename="review_research"))
    reviewer = type(reviewer).objects.get(pk=reviewer.pk)
    research_transition(actor=reviewer, project=project, action="approve")
    with pytest.raises(StemError, match="中期报告不能为空"):
        research_transition(actor=people["teacher"], project=project, action="file_midterm")
    research_transition(
        actor=people["teacher"], project=project, action="file_midterm", text="已完成两轮实践"
    )
    with pytest.raises(StemError, match="必须填写理由"):
        research_transition(actor=reviewer, project=project, action="return_midterm")
    research_transition(actor=reviewer, project=project, action="pass_midterm")
    research_transition(
        actor=people["teacher"], project=project, action="file_conclusion", text="课程资源包一套"
    )
    project = research_transition(actor=reviewer, project=project, action="conclude")
    assert project.state == ResearchState.CONCLUDED and project.concluded_on and project.approved_on
    assert project.outputs == "课程资源包一套"
