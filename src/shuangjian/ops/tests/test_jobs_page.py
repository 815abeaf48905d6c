"""The regulators' page of the daily jobs: last run, duration, counts, failure with its error, history."""

from __future__ import annotations

import dataclasses

import pytest
from django.urls import reverse

from shuangjian.ops import jobs
from shuangjian.ops.models import JobRun, RunStatus

pytestmark = pytest.mark.django_db


def test_jobs_page_shows_each_jobs_last_run_counts_failure_and_history(client, make_user, monkeypatch):
    province = make_user("PROVINCE", region="430000")
    client.force_login(province)
    page = client.get(reverse("ops:jobs")).content.decode()
    assert "预收费自动确认与自动退费" in page and "从未运行" in page and "未检测到任务进程" in page

    jobs.jobs_catch_up(only=["complaints_escalate"])

    def boom(day):
        raise ValueError("规则参数缺失：risk.level.red")

    monkeypatch.setitem(jobs.JOBS, "risk_scan", dataclasses.replace(jobs.JOBS["risk_scan"], run=boom))
    jobs.jobs_catch_up(only=["risk_scan"])
    monkeypatch.undo()

    page = client.get(reverse("ops:jobs")).content.decode()
    assert "任务进程运行中" in page  # the catch-up left its heartbeat
    ok = JobRun.objects.get(job="complaints_escalate")
    assert f"{ok.duration_ms} ms" in page and "升级市级督办：0" in page
    assert "ValueError: 规则参数缺失：risk.level.red" in page and "失败" in page

    history = client.get(reverse("ops:job_history", args=["risk_scan"])).content.decode()
    assert "ValueError: 规则参数缺失" in history and "补跑" in history
    assert client.get(reverse("ops:job_history", args=["nope"])).status_code == 404


@pytest.mark.slow  # every region's snapshots or a demo load: minutes on 2 shared cores
def test_catch_up_button_runs_due_jobs_through_the_queue(client, make_user):
    client.force_login(make_user("PROVINCE", region="430000"))
    response = client.post(reverse("ops:jobs"))  # immediate mode: the enqueued catch-up runs here
    assert response.status_code == 302
    assert set(JobRun.objects.filter(status=RunStatus.SUCCEEDED).values_list("job", flat=True)) == set(
        jobs.JOBS
    )


def test_only_the_province_opens_the_jobs_page(client, make_user):
    client.force_login(make_user("CITY", region="430100"))
    assert client.get(reverse("ops:jobs")).status_code == 403
    assert client.post(reverse("ops:jobs")).status_code == 403
    assert client.get(reverse("ops:job_history", args=["funds_tick"])).status_code == 403
