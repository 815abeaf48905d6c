"""Handling: state machine, duplicates, urgent risk flags, permissions, phone masking, audit."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from shuangjian.common.testing import make_institution
from shuangjian.complaints import services
from shuangjian.complaints.choices import ActionKind, ReportType, Source, Status
from shuangjian.complaints.models import Report, RiskFlag
from shuangjian.complaints.selectors import urgent_leads_for_institution
from shuangjian.complaints.services import ReportError

pytestmark = pytest.mark.django_db


def _report(county="430102", **kwargs):
    values = {
        "source": Source.PHONE,
        "report_type": ReportType.ILLEGAL_CHARGING,
        "county_code": county,
        "description": "一次性收取超过三个月的培训费用",
    }
    values.update(kwargs)
    report, _code = services.report_create(**values)
    return report


def test_full_lifecycle_is_audited(county_officer):
    institution = make_institution("430102")
    report = _report(institution=institution)
    assert report.status == Status.NEW
    services.report_acknowledge(report=report, actor=county_officer)
    services.report_assign(report=report, actor=county_officer, handler=county_officer)
    report = services.report_judge(report=report, actor=county_officer, valid=True, reason="经核实情况属实")
    assert report.status == Status.HANDLING and report.is_valid is True
    action = services.report_record_action(
        report=report,
        actor=county_officer,
        kind=ActionKind.CASE_OPENED,
        taken_on=timezone.localdate(),
        note="立案调查",
        case_ref="湘教罚〔2026〕1号",
    )
    assert action.institution == institution
    report = services.report_close(report=report, actor=county_officer, result="已立案查处并责令退费")
    assert report.status == Status.CLOSED and report.closed_at is not None and report.closed_on_time
    history = list(report.history.order_by("history_date", "history_id"))
    assert [h.status for h in history] == ["NEW", "ACCEPTED", "ACCEPTED", "HANDLING", "CLOSED"]
    assert all(h.history_user == county_officer for h in history[1:])
    assert "研判为有效线索" in history[3].history_change_reason
    assert action.history.get().history_user == county_officer


def test_invalid_judgement_closes_with_reason(county_officer):
    report = _report()
    report = services.report_judge(report=report, actor=county_officer, valid=False, reason="经查无此机构")
    assert report.status == Status.CLOSED and report.is_valid is False and report.result == "经查无此机构"
    with pytest.raises(ReportError):
        services.report_judge(report=report, actor=county_officer, valid=False, reason="")


def test_transitions_outside_the_machine_are_refused(county_officer):
    report = _report()
    with pytest.raises(ReportError, match="当前状态"):
        services.report_close(report=report, actor=county_officer, result="结果")
    with pytest.raises(ReportError, match="办理中"):
        services.report_record_action(
            report=report,
            actor=county_officer,
            kind=ActionKind.INTERVIEW,
            taken_on=timezone.localdate(),
            note="约谈",
        )


def test_only_the_handling_county_handles(make_user):
    report = _report()
    other_county = make_user("COUNTY", region="430405")
    city = make_user("CITY", region="430100")
    for user in (other_county, city):
        with pytest.raises(PermissionDenied):
            services.report_acknowledge(report=report, actor=user)
    with pytest.raises(ReportError, match="承办人"):
        services.report_assign(
            report=report, actor=make_user("COUNTY", region="430102"), handler=other_county
        )


def test_phone_full_only_for_the_handling_county(make_user):
    report = _report(reporter_phone="13812345678")
    assert report.phone_for(make_user("COUNTY", region="430102")) == "13812345678"
    for user in (
        make_user("COUNTY", region="430405"),
        make_user("CITY", region="430100"),
        make_user("PROVINCE", region="430000"),
        None,
    ):
        assert report.phone_for(user) == "138****5678"


def test_duplicate_same_institution_and_type_is_linked_to_the_first(county_officer):
    institution = make_institution("430102")
    first = _report(institution=institution, description="甲")
    second = _report(institution=institution, description="乙：完全不同的描述")
    third = _report(institution=institution, description="丙")
    other_type = _report(institution=institution, report_type=ReportType.SAFETY_HAZARD, description="丁")
    for dup in (second, third):
        dup.refresh_from_db()
        assert dup.status == Status.MERGED and dup.duplicate_of == first
        assert "同一机构" in dup.duplicate_reason
    assert other_type.status == Status.NEW and other_type.duplicate_of is None
    # Closing the first closes its duplicates with the same result (the reporters see it).
    services.report_judge(report=first, actor=county_officer, valid=True, reason="属实")
    services.report_close(report=Report.objects.get(pk=first.pk), actor=county_officer, result="已责令整改")
    second.refresh_from_db()
    assert second.status == Status.CLOSED and second.result == "已责令整改" and second.is_valid is True


def test_duplicate_window_is_rule_data(county_officer):
    from shuangjian.common.models import RuleParameter

    institution = make_institution("430102")
    old = _report(institution=institution, received_at=timezone.now() - dt.timedelta(days=40))
    new = _report(institution=institution)
    assert new.status == Status.NEW  # 40 days > default window of 30
    RuleParameter.objects.create(key="complaints.duplicate_window_days", region_id="430100", value=60)
    newer = _report(institution=institution)
    assert newer.status == Status.MERGED and newer.duplicate_of == old


def test_near_identical_text_is_a_duplicate_within_the_county():
    text = "芙蓉区某小区3栋2单元有人周末给初中生上数学课，每次十几个学生，收费很高"
    first = _report(description=text, report_type=ReportType.ILLEGAL_SUBJECT_TRAINING)
    again = _report(description=text + "。", report_type=ReportType.ILLEGAL_SUBJECT_TRAINING)
    elsewhere = _report(county="430405", description=text)
    different = _report(description="某机构门口消防通道被杂物堵塞，存在严重的安全隐患问题")
    assert (
        again.duplicate_of == first and again.status == Status.MERGED and "几乎相同" in again.duplicate_reason
    )
    assert elsewhere.duplicate_of is None and different.duplicate_of is None


def test_closed_first_report_is_not_a_merge_target(county_officer):
    institution = make_institution("430102")
    first = _report(institution=institution)
    services.report_judge(report=first, actor=county_officer, valid=False, reason="不属实")
    later = _report(institution=institution)
    assert later.status == Status.NEW and later.duplicate_of is None


def test_manual_merge_and_unmerge(county_officer):
    first = _report(description="第一件")
    second = _report(description="第二件内容不一样的描述文字")
    services.report_merge(report=second, actor=county_officer, primary_number=first.number, reason="同一事项")
    second.refresh_from_db()
    assert second.status == Status.MERGED and second.duplicate_of == first
    services.report_unmerge(report=second, actor=county_officer)
    second.refresh_from_db()
    assert second.status == Status.NEW and second.duplicate_of is None


def test_collapse_and_smoke_are_urgent_and_on_the_risk_list(county_officer):
    institution = make_institution("430102")
    collapse = _report(
        institution=institution, report_type=ReportType.COLLAPSE, description="机构突然关门，老板失联"
    )
    smoke = _report(
        institution=institution, report_type=ReportType.SMOKE, description="机构拖欠老师工资，大力促销"
    )
    ordinary = _report(institution=institution, report_type=ReportType.FALSE_ADVERTISING, description="广告")
    assert collapse.urgent and smoke.urgent and not ordinary.urgent
    flags = list(urgent_leads_for_institution(institution))
    assert {f.report for f in flags} == {collapse, smoke}
    assert {f.kind for f in flags} == {"COLLAPSE", "SMOKE"}
    # Urgent deadlines are shorter (rule data).
    assert collapse.due_date < ordinary.due_date
    services.report_judge(report=smoke, actor=county_officer, valid=False, reason="经核查经营正常")
    assert [f.report for f in urgent_leads_for_institution(institution)] == [collapse]
    assert RiskFlag.objects.get(report=smoke).cleared_at is not None


def test_reroute_moves_the_report_and_its_risk_flag(make_user):
    report = _report(report_type=ReportType.COLLAPSE, description="机构跑路")
    city = make_user("CITY", region="430100")
    services.report_reroute(report=report, actor=city, county_code="430104", reason="地址在岳麓区")
    report.refresh_from_db()
    assert report.county_id == "430104" and RiskFlag.objects.get(report=report).county_id == "430104"
    with pytest.raises(PermissionDenied):
        services.report_reroute(report=report, actor=city, county_code="430405", reason="跨市")


def test_register_is_limited_to_the_users_region(make_user):
    officer = make_user("COUNTY", region="430102")
    report, code = services.report_register(
        actor=officer,
        source=Source.FORWARDED,
        report_type=ReportType.TEACHER_PAID_TUTORING,
        county_code="430102",
        description="部转：某中学教师周末有偿补课",
        received_at=timezone.now() - dt.timedelta(days=1),
    )
    assert report.source == Source.FORWARDED and report.created_by == officer and code
    assert report.history.first().history_user == officer
    with pytest.raises(PermissionDenied):
        services.report_register(
            actor=officer,
            source=Source.PHONE,
            report_type=ReportType.OTHER,
            county_code="430405",
            description="外区县",
        )


def test_audit_trail_keeps_no_phone_or_code_hash():
    report = _report(reporter_phone="13812345678")
    record = report.history.get()
    assert not hasattr(record, "reporter_phone") and not hasattr(record, "query_code_hash")
    assert record.number == report.number
