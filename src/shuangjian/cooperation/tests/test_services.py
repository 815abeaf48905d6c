"""The filing workflow, the apprenticeship checks, order-class outcomes and 1+X sites (real database)."""

from __future__ import annotations

import datetime as dt

import pytest

from shuangjian.common.testing import make_credit_code
from shuangjian.cooperation import services
from shuangjian.cooperation.checks import programme_checks
from shuangjian.cooperation.choices import FilingState, SiteState
from shuangjian.cooperation.models import Programme
from shuangjian.cooperation.services import CooperationError
from shuangjian.cooperation.testing import make_voc_school

pytestmark = pytest.mark.django_db


@pytest.fixture
def college(make_user):
    school = make_voc_school("430102", level="ASSOCIATE", majors=("460103", "510201"))
    staff = make_user("vocational", vocational_school=school)
    return school, staff


def _draft(school, staff, **kw):
    enterprise, _ = services.enterprise_upsert(
        credit_code=make_credit_code("430104"), name="湖南测试机械有限公司", actor=staff, industry="装备制造"
    )
    return services.programme_create(
        actor=staff,
        school=school,
        kind=kw.get("kind", "APPRENTICESHIP"),
        major_code="460103",
        enterprise=enterprise,
        entry_year=2022,
        students=40,
        agreement_signed_on=dt.date(2022, 8, 20),
    )


def _complete_plan(programme, staff, *, birth=dt.date(2004, 3, 1), guardian=False, hours=8):
    sm = services.mentor_add(
        programme=programme,
        actor=staff,
        side="SCHOOL",
        name="李老师",
        qualification="双师型",
        dual_qualified=True,
    )
    em = services.mentor_add(
        programme=programme,
        actor=staff,
        side="ENTERPRISE",
        name="王师傅",
        qualification="高级技师",
        practice_years=12,
    )
    services.period_add(
        programme=programme,
        actor=staff,
        place="SCHOOL",
        starts_on=dt.date(2022, 9, 1),
        ends_on=dt.date(2023, 1, 15),
        hours_per_day=6,
    )
    services.period_add(
        programme=programme,
        actor=staff,
        place="ENTERPRISE",
        starts_on=dt.date(2023, 2, 20),
        ends_on=dt.date(2023, 6, 30),
        hours_per_day=hours,
    )
    services.apprentice_add(
        programme=programme,
        actor=staff,
        ref="XT-0001",
        birth_month=birth,
        school_mentor=sm,
        enterprise_mentor=em,
        agreement_signed_on=dt.date(2022, 8, 25),
        guardian_signed=guardian,
    )
    return sm, em


def test_filing_workflow_province_reviews_a_college(college, make_user):
    school, staff = college
    programme = _draft(school, staff)
    _complete_plan(programme, staff)
    services.programme_submit(programme=programme, actor=staff)
    programme.refresh_from_db()
    assert programme.state == FilingState.SUBMITTED and programme.review_due_on > dt.date.today()
    county = make_user("county", region="430102")
    with pytest.raises(CooperationError, match="省级"):
        services.programme_review(programme=programme, actor=county, decision="approve")
    province = make_user("province", region="430000")
    with pytest.raises(CooperationError, match="理由"):
        services.programme_review(programme=programme, actor=province, decision="return")
    services.programme_review(
        programme=programme, actor=province, decision="return", reason="三方协议扫描件不清晰"
    )
    programme.refresh_from_db()
    assert programme.state == FilingState.RETURNED
    services.programme_submit(programme=programme, actor=staff)
    services.programme_review(programme=programme, actor=province, decision="approve")
    programme.refresh_from_db()
    assert programme.state == FilingState.APPROVED
    with pytest.raises(CooperationError, match="年度报告"):
        services.programme_complete(programme=programme, actor=staff, ended_on=dt.date(2023, 7, 1))
    services.annual_report_file(
        programme=programme, actor=staff, year=2022, students_in_training=40, summary="按计划完成第一学年"
    )
    services.programme_complete(programme=programme, actor=staff, ended_on=dt.date(2023, 7, 1))
    programme.refresh_from_db()
    assert programme.state == FilingState.COMPLETED
    reasons = [h.history_change_reason for h in programme.history.order_by("history_date")]
    assert "退回修改：三方协议扫描件不清晰" in reasons and reasons[-1].startswith("项目结业")
    assert {h.history_user_id for h in programme.history.all()} >= {staff.pk, province.pk}


def test_secondary_school_is_reviewed_by_county(make_user):
    school = make_voc_school("430102", level="SECONDARY", majors=("660103",))
    staff = make_user("vocational", vocational_school=school)
    enterprise, _ = services.enterprise_upsert(credit_code=make_credit_code(), name="某企业", actor=staff)
    programme = services.programme_create(
        actor=staff,
        school=school,
        kind="ORDER_CLASS",
        major_code="660103",
        enterprise=enterprise,
        entry_year=2022,
        students=30,
        agreement_signed_on=dt.date(2022, 9, 1),
    )
    services.programme_submit(programme=programme, actor=staff)
    with pytest.raises(CooperationError, match="县级或市级"):
        services.programme_review(
            programme=programme, actor=make_user("province", region="430000"), decision="approve"
        )
    with pytest.raises(CooperationError):
        services.programme_review(
            programme=programme, actor=make_user("county", region="430103"), decision="approve"
        )
    services.programme_review(
        programme=programme, actor=make_user("county", region="430102"), decision="approve"
    )


def test_checks_name_every_problem(college):
    school, staff = college
    programme = _draft(school, staff)
    _complete_plan(programme, staff, birth=dt.date(2007, 9, 1), guardian=False, hours=10)
    findings = {f.check.id: f for f in programme_checks(programme)}
    assert findings["DUAL-MENTOR"].passed and findings["AGREEMENT-BEFORE-TRAINING"].passed
    assert not findings["GUARDIAN-CONSENT"].passed
    assert not findings["MIN-AGE"].passed  # 15 on 2023-02-20
    assert "超过 8 小时" in findings["WORK-HOURS"].problems[0]
    with pytest.raises(CooperationError) as exc:
        services.programme_submit(programme=programme, actor=staff)
    assert "监护人" in str(exc.value) and "16周岁" in str(exc.value)
    assert Programme.objects.get(pk=programme.pk).state == FilingState.DRAFT


def test_mentor_ratio_and_missing_mentor(college):
    school, staff = college
    programme = _draft(school, staff)
    sm, em = _complete_plan(programme, staff)
    for i in range(6):
        services.apprentice_add(
            programme=programme,
            actor=staff,
            ref=f"XT-1{i}",
            birth_month=dt.date(2003, 1, 1),
            school_mentor=sm,
            enterprise_mentor=em if i < 5 else None,
            agreement_signed_on=dt.date(2022, 8, 25),
        )
    findings = {f.check.id: f for f in programme_checks(programme)}
    assert findings["DUAL-MENTOR"].problems == ["学徒 XT-15 缺少企业导师"]
    assert findings["MENTOR-RATIO"].problems == ["企业导师 王** 带徒 6 人，超过上限 5 人"]


def test_other_school_staff_cannot_edit(college, make_user):
    school, _staff = college
    other = make_user("vocational", vocational_school=make_voc_school("430102"))
    enterprise, _ = services.enterprise_upsert(credit_code=make_credit_code(), name="某企业", actor=other)
    with pytest.raises(CooperationError, match="本校"):
        services.programme_create(
            actor=other,
            school=school,
            kind="ORDER_CLASS",
            major_code="460103",
            enterprise=enterprise,
            entry_year=2022,
            students=10,
            agreement_signed_on=dt.date(2022, 9, 1),
        )


def test_enterprise_credit_code_checked():
    with pytest.raises(CooperationError, match="校验位"):
        code = make_credit_code()
        services.enterprise_upsert(
            credit_code=code[:17] + ("0" if code[17] != "0" else "1"), name="x", actor=None
        )


def test_order_outcome_and_placement(college):
    school, staff = college
    programme = _draft(school, staff, kind="ORDER_CLASS")
    with pytest.raises(CooperationError, match="之和"):
        services.order_outcome_record(
            programme=programme,
            actor=staff,
            graduated_on=dt.date(2023, 6, 30),
            graduates=40,
            hired_by_orderer=10,
            hired_elsewhere=5,
        )
    outcome = services.order_outcome_record(
        programme=programme,
        actor=staff,
        graduated_on=dt.date(2023, 6, 30),
        graduates=40,
        hired_by_orderer=10,
        hired_elsewhere=20,
        further_study=10,
    )
    assert outcome.placement_rate == 0.25


def test_site_application_review_revoke(college, make_user):
    school, staff = college
    cert, _ = services.certificate_upsert(
        name="工业机器人操作与运维",
        organisation="北京新奥时代科技有限责任公司",
        levels="初级、中级、高级",
        actor=None,
    )
    site = services.site_apply(actor=staff, school=school, certificate=cert, levels=["中级"], capacity=40)
    assert site.state == SiteState.APPLIED and site.levels == "INTERMEDIATE"
    with pytest.raises(CooperationError, match="已有"):
        services.site_apply(actor=staff, school=school, certificate=cert, levels=["初级"])
    city = make_user("city", region="430100")
    with pytest.raises(CooperationError, match="省级"):
        services.site_review(site=site, actor=city, decision="approve")
    province = make_user("province", region="430000")
    services.site_review(site=site, actor=province, decision="approve", approved_on=dt.date(2023, 3, 1))
    site.refresh_from_db()
    assert site.state == SiteState.APPROVED and site.active_on(dt.date(2023, 3, 1))
    services.session_record(
        site=site, actor=staff, held_on=dt.date(2023, 5, 20), level="中级", candidates=40, passed=31
    )
    with pytest.raises(CooperationError, match="等级"):
        services.session_record(
            site=site, actor=staff, held_on=dt.date(2023, 5, 20), level="高级", candidates=4, passed=1
        )
    services.site_revoke(site=site, actor=province, reason="考务违规", revoked_on=dt.date(2023, 6, 1))
    site.refresh_from_db()
    assert site.state == SiteState.REVOKED and not site.active_on(dt.date(2023, 6, 1))
