"""Levels, warnings and their tasks, escalation, the scan command, statistics and pages."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.core.management import call_command
from django.urls import reverse

from shuangjian.common.testing import make_institution
from shuangjian.common.workdays import WorkdayCalendar
from shuangjian.risk import selectors, services
from shuangjian.risk.models import (
    RiskSnapshot,
    RiskWarning,
    TaskEscalation,
    TaskState,
    WarningStatus,
    WarningTask,
)
from shuangjian.risk.scoring import Level, SignalInputs, level_for, params_default, score

pytestmark = pytest.mark.django_db

DAY = dt.date(2026, 6, 1)  # a Monday


def rescore(inst, inputs: SignalInputs, day=DAY):
    return services.risk_rescore(institution_id=inst.pk, as_of=day, inputs=inputs, baselines={})


RED = SignalInputs(collapse_reports=1, smoke_reports=3, refunds_recent=20, refunds_base=1.0)
YELLOW = SignalInputs(smoke_reports=2, open_violations=3)
QUIET = SignalInputs()


def test_levels_follow_the_rule_thresholds():
    p = params_default()
    assert level_for(p["level.red"], p) == Level.RED
    assert level_for(p["level.red"] - 0.1, p) == Level.ORANGE
    assert level_for(p["level.orange"] - 0.1, p) == Level.YELLOW
    assert level_for(p["level.yellow"] - 0.1, p) == Level.BLUE
    assert level_for(p["level.blue"] - 0.1, p) == ""
    assert score(RED, p).level == Level.RED
    assert score(YELLOW, p).level == Level.YELLOW
    assert score(QUIET, p).level == ""


def test_provincial_rule_edit_changes_the_level():
    from shuangjian.common.models import RuleParameter

    inst = make_institution("430102")
    assert rescore(inst, YELLOW).level == Level.YELLOW
    RuleParameter.objects.create(key="risk.level.orange", region_id="430000", value=10)
    assert rescore(inst, YELLOW, DAY + dt.timedelta(days=1)).level == Level.ORANGE


def test_warning_task_deadline_idempotence_and_supersede():
    inst = make_institution("430102")
    rescore(inst, YELLOW)
    warning = RiskWarning.objects.get(institution=inst)
    task = warning.task
    assert (warning.level, task.state) == (Level.YELLOW, TaskState.OPEN)
    assert task.due_on == WorkdayCalendar().add_working_days(DAY, 10)
    # same level again (and on later days): nothing new
    rescore(inst, YELLOW)
    rescore(inst, YELLOW, DAY + dt.timedelta(days=1))
    assert RiskWarning.objects.filter(institution=inst).count() == 1
    assert RiskSnapshot.objects.filter(institution=inst).count() == 2
    # higher level: a new red warning; the yellow one is superseded and its task closed
    rescore(inst, RED, DAY + dt.timedelta(days=2))
    warning.refresh_from_db()
    task.refresh_from_db()
    assert warning.status == WarningStatus.SUPERSEDED and task.state == TaskState.CLOSED
    red = RiskWarning.objects.get(institution=inst, status=WarningStatus.ACTIVE)
    assert red.level == Level.RED
    assert red.task.due_on == WorkdayCalendar().add_working_days(DAY + dt.timedelta(days=2), 2)
    assert any(f["key"] == "collapse" for f in red.explanation)


def test_task_life_and_quiet_period(make_user):
    inst = make_institution("430102")
    officer = make_user("COUNTY", region="430102")
    rescore(inst, YELLOW)
    task = WarningTask.objects.get(warning__institution=inst)
    with pytest.raises(services.TaskError):
        services.task_close(task_id=task.pk, actor=officer)
    services.task_acknowledge(task_id=task.pk, actor=officer)
    with pytest.raises(services.TaskError):
        services.task_handle(task_id=task.pk, actor=officer, outcome="RISK_CLEARED", note=" ")
    services.task_handle(
        task_id=task.pk, actor=officer, outcome="RISK_CLEARED", note="约谈负责人，核实资金正常"
    )
    services.task_close(task_id=task.pk, actor=officer, note="同意关闭")
    task.refresh_from_db()
    assert task.state == TaskState.CLOSED and task.assignee == officer
    assert task.warning.status == WarningStatus.CLOSED
    reasons = list(task.history.values_list("history_change_reason", flat=True))
    assert "签收预警处置任务" in reasons and "审核关闭预警处置任务" in reasons
    # lifted: the same level does not warn again in the quiet period, a higher one does
    rescore(inst, YELLOW, task.warning.closed_on)
    assert RiskWarning.objects.filter(institution=inst).count() == 1
    rescore(inst, RED, task.warning.closed_on)
    assert RiskWarning.objects.filter(institution=inst, status=WarningStatus.ACTIVE, level=Level.RED).exists()


def test_escalation_to_city_then_province_is_idempotent():
    inst = make_institution("430102")
    rescore(inst, RED)
    task = WarningTask.objects.get(warning__institution=inst)
    calendar = WorkdayCalendar()
    assert services.tasks_escalate(as_of=task.due_on).city == 0  # not late yet
    late = calendar.add_working_days(task.due_on, 1)
    summary = services.tasks_escalate(as_of=late)
    assert (summary.city, summary.province) == (1, 0)
    assert services.tasks_escalate(as_of=late).city == 0
    much_later = calendar.add_working_days(task.due_on, 5)
    call_command("risk", "escalate", "--as-of", much_later.isoformat(), stdout=io.StringIO())
    call_command("risk", "escalate", "--as-of", much_later.isoformat(), stdout=io.StringIO())
    levels = list(
        TaskEscalation.objects.filter(task=task).order_by("level").values_list("level", "region_id")
    )
    assert levels == [(1, "430100"), (2, "430000")]
    task.refresh_from_db()
    assert task.escalation_level == 2


def test_handled_task_is_not_escalated(make_user):
    inst = make_institution("430102")
    rescore(inst, RED)
    task = WarningTask.objects.get(warning__institution=inst)
    services.task_handle(
        task_id=task.pk, actor=make_user("COUNTY", region="430102"), outcome="CASE_OPENED", note="已立案"
    )
    assert services.tasks_escalate(as_of=task.due_on + dt.timedelta(days=30)).city == 0


def test_scan_command_is_idempotent_and_scores_from_records():
    from shuangjian.complaints.choices import ReportType, Source
    from shuangjian.complaints.services import report_create

    quiet = make_institution("430102")
    risky = make_institution("430102")
    for n in range(3):
        report_create(
            source=Source.PHONE,
            report_type=ReportType.SMOKE,
            county_code="430102",
            institution=risky,
            description=f"机构疑似要跑路，老师都走了 {n}",
            with_query_code=False,
        )
    report_create(
        source=Source.PHONE,
        report_type=ReportType.COLLAPSE,
        county_code="430102",
        institution=risky,
        description="机构已关门，家长无法退费",
        with_query_code=False,
    )
    out = io.StringIO()
    call_command("risk", "scan", stdout=out, stderr=io.StringIO())
    call_command("risk", "scan", stdout=io.StringIO(), stderr=io.StringIO())
    assert "已评估机构" in out.getvalue()
    assert RiskWarning.objects.filter(institution=risky).count() == 1
    assert not RiskWarning.objects.filter(institution=quiet).exists()
    assert risky.risk_assessment.level == Level.RED
    assert quiet.risk_assessment.score == 0


def test_scan_command_usage_errors(capsys):
    for argv in (
        ["scan", "--as-of", "2026-13-01"],
        ["scan", "--region", "999999"],
        ["escalate", "--as-of", "x"],
    ):
        with pytest.raises(SystemExit) as exit_info:
            call_command("risk", *argv)
        assert exit_info.value.code == 2
        assert "参数错误：" in capsys.readouterr().err


def test_risk_stats_counts_warnings_in_force_and_overdue_tasks(make_user):
    a = make_institution("430102")
    b = make_institution("430405")
    rescore(a, RED)
    rescore(b, YELLOW)
    stats = selectors.risk_stats(as_of=DAY)
    assert stats["warnings_by_level"] == {"红": 1, "橙": 0, "黄": 1, "蓝": 0}
    assert stats["warnings_red_orange"] == 1 and stats["tasks_overdue"] == 0
    later = DAY + dt.timedelta(days=30)
    assert selectors.risk_stats(as_of=later)["tasks_overdue"] == 2
    assert selectors.risk_stats(as_of=later, region_code="430100")["tasks_overdue"] == 1
    assert selectors.risk_stats(as_of=DAY - dt.timedelta(days=1))["warnings_red_orange"] == 0
    officer = make_user("COUNTY", region="430405")
    scoped = selectors.risk_stats(as_of=DAY, user=officer)
    assert scoped["warnings_by_level"]["黄"] == 1 and scoped["warnings_red_orange"] == 0
    assert list(selectors.warnings_qs(as_of=DAY, user=officer)) == [RiskWarning.objects.get(institution=b)]


def test_pages_board_filter_explanation_and_task_actions(client, make_user):
    inst = make_institution("430102", name="冒烟测试培训学校")
    other = make_institution("430102", name="平稳培训学校")
    rescore(inst, RED)
    rescore(other, QUIET)
    officer = make_user("COUNTY", region="430102")
    client.force_login(officer)
    page = client.get(reverse("risk:index") + "?level=RED").content.decode()
    assert "冒烟测试培训学校" in page and "平稳培训学校" not in page and "爆雷举报" in page
    detail = client.get(reverse("risk:institution", args=[inst.pk])).content.decode()
    assert "<svg" in detail and "评分说明" in detail
    task = WarningTask.objects.get(warning__institution=inst)
    client.post(reverse("risk:task", args=[task.pk]), {"action": "acknowledge"})
    client.post(
        reverse("risk:task", args=[task.pk]),
        {"action": "handle", "outcome": "FUNDS_SECURED", "note": "协调银行冻结账户"},
    )
    task.refresh_from_db()
    assert task.state == TaskState.HANDLED and task.history.first().history_user == officer
    city = make_user("CITY", region="430100")
    client.force_login(city)
    assert client.post(reverse("risk:task", args=[task.pk]), {"action": "close"}).status_code == 404
