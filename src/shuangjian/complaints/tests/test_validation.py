"""Bounds on dates, 立案编号, all bad cells of an import row, command usage errors."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from shuangjian.complaints import services
from shuangjian.complaints.choices import ActionKind, ReportType, Source
from shuangjian.complaints.forms import ActionForm
from shuangjian.complaints.models import Report
from shuangjian.complaints.services import ReportError

pytestmark = pytest.mark.django_db


def _handling_report(actor, received_at):
    report, _code = services.report_create(
        source=Source.PHONE,
        report_type=ReportType.ILLEGAL_CHARGING,
        county_code="430102",
        description="一次性收取超过三个月的培训费用",
        received_at=received_at,
    )
    services.report_acknowledge(report=report, actor=actor)
    services.report_assign(report=report, actor=actor, handler=actor)
    return services.report_judge(report=report, actor=actor, valid=True, reason="经核实情况属实")


def _register(client, received_at):
    return client.post(
        reverse("complaints:register"),
        {
            "source": Source.PHONE,
            "received_at": received_at,
            "report_type": ReportType.OTHER,
            "description": "家长来电：某机构周末违规补课",
            "county": "430102",
        },
    )


def test_register_refuses_received_dates_before_2000_or_after_today(client, county_officer):
    client.force_login(county_officer)
    old = _register(client, "1900-01-01T09:00")
    assert old.status_code == 200 and "受理时间不能早于2000-01-01" in old.content.decode()
    tomorrow = (timezone.localdate() + dt.timedelta(days=1)).isoformat()
    future = _register(client, f"{tomorrow}T09:00")
    assert future.status_code == 200 and "受理时间不能晚于今天" in future.content.decode()
    assert not Report.objects.exists()
    assert _register(client, "2025-06-05T09:30").status_code == 302


def test_action_date_not_before_received_nor_in_the_future(county_officer):
    received = timezone.now() - dt.timedelta(days=10)
    report = _handling_report(county_officer, received)
    before = timezone.localdate(received) - dt.timedelta(days=1)
    with pytest.raises(ReportError, match="处置日期不能早于受理日期"):
        services.report_record_action(
            report=report, actor=county_officer, kind=ActionKind.INTERVIEW, taken_on=before, note="约谈"
        )
    with pytest.raises(ReportError, match="处置日期不能晚于今天"):
        services.report_record_action(
            report=report,
            actor=county_officer,
            kind=ActionKind.INTERVIEW,
            taken_on=timezone.localdate() + dt.timedelta(days=1),
            note="约谈",
        )
    assert not report.actions.exists()
    action = services.report_record_action(
        report=report,
        actor=county_officer,
        kind=ActionKind.INTERVIEW,
        taken_on=timezone.localdate(received),
        note="约谈",
    )
    assert action.pk


def test_case_opened_needs_a_case_number(client, county_officer):
    report = _handling_report(county_officer, timezone.now() - dt.timedelta(days=1))
    with pytest.raises(ReportError, match="立案查处须填写立案编号"):
        services.report_record_action(
            report=report,
            actor=county_officer,
            kind=ActionKind.CASE_OPENED,
            taken_on=timezone.localdate(),
            note="立案调查",
        )
    form = ActionForm(
        {
            "kind": ActionKind.CASE_OPENED,
            "taken_on": timezone.localdate().isoformat(),
            "note": "立案调查",
            "case_ref": " ",
        }
    )
    assert not form.is_valid() and "立案查处须填写立案编号" in form.errors["case_ref"][0]
    client.force_login(county_officer)
    response = client.post(
        reverse("complaints:act", args=[report.pk, "action"]),
        {
            "kind": ActionKind.CASE_OPENED,
            "taken_on": timezone.localdate().isoformat(),
            "note": "立案调查",
        },
    )
    assert response.status_code == 400 and "立案查处须填写立案编号" in response.content.decode()
    assert not report.actions.exists()


def test_import_lists_every_bad_cell_of_a_row(tmp_path, capsys):
    path = tmp_path / "reports.csv"
    path.write_text(
        "线索编号,来源,类型,区县代码,统一社会信用代码,受理时间,是否有效,办结时间,内容\n"
        "C1,微信,乱收费,430100,BAD,1999-12-31,可能,,x\n"
        "C2,电话,其他,430102,,2025-06-05,,2025-06-01,\n",
        encoding="utf-8",
    )
    with pytest.raises(SystemExit) as exit_info:
        call_command("import", "reports", str(path), "--quiet")
    assert exit_info.value.code == 1
    err = capsys.readouterr().err
    for expected in [
        "第2行“来源”列",
        "第2行“类型”列",
        "第2行“区县代码”列",
        "第2行“统一社会信用代码”列",
        "第2行“受理时间”列：不能早于2000-01-01",
        "第2行“是否有效”列",
        "第3行“办结时间”列：不能早于受理时间",
    ]:
        assert expected in err, expected
    assert not Report.objects.exists()


def test_escalate_bad_as_of_is_a_usage_error(capsys):
    with pytest.raises(SystemExit) as exit_info:
        call_command("complaints", "escalate", "--as-of", "notadate")
    assert exit_info.value.code == 2
    assert "参数错误：--as-of" in capsys.readouterr().err
