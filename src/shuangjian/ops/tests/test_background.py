"""Long work in the background: uploads of imports, the weekly report and the compliance scan run as
tasks with their progress and result kept in the database; the same file twice while the first
runs is refused and never applied twice."""

from __future__ import annotations

import csv
import io

import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse

from shuangjian.common.codes import credit_code_make
from shuangjian.ops.background import background_execute, tasks_interrupted_mark, tasks_requeue_stale
from shuangjian.ops.models import BackgroundTask, TaskStatus

pytestmark = pytest.mark.django_db
HEADER = [
    "统一社会信用代码",
    "机构名称",
    "区县代码",
    "培训类别",
    "培训形式",
    "服务对象",
    "办学性质",
    "审批日期",
    "终止日期",
    "终止原因",
    "纳入资金监管",
    "办学许可证号",
]


def registry_csv(
    n: int, county: str = "430102", *, bad_row: int | None = None, foreign_row: int | None = None
) -> bytes:
    """A registry file of ``n`` institutions in ``county`` (GBK, as a bureau's spreadsheet saves it);
    row ``bad_row`` has an impossible date, row ``foreign_row`` lies in 珠晖区 (430405)."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(HEADER)
    for i in range(n):
        where = "430405" if foreign_row is not None and i + 2 == foreign_row else county
        code = credit_code_make(f"52{where}MJ{i:07d}")
        approved = "2020-13-01" if bad_row is not None and i + 2 == bad_row else "2020-05-06"
        writer.writerow(
            [
                code,
                f"测试艺术培训中心{i}",
                where,
                "非学科类",
                "线下",
                "义务教育",
                "营利性",
                approved,
                "",
                "",
                "否",
                "",
            ]
        )
    return out.getvalue().encode("gbk")


def _upload(client, data: bytes, *, kind="institutions", name="名册.csv", **extra):
    return client.post(reverse("ops:import"), {"kind": kind, "file": SimpleUploadedFile(name, data), **extra})


def test_upload_runs_as_a_task_with_progress_and_the_commands_report(
    client, make_user, tmp_path, capsys, django_capture_on_commit_callbacks
):
    from shuangjian.institutions.models import Institution

    client.force_login(make_user("COUNTY", region="430102"))
    data = registry_csv(2500)
    with django_capture_on_commit_callbacks(execute=True):
        response = _upload(client, data)
    task = BackgroundTask.objects.get()
    assert response.status_code == 302 and response.url == reverse("ops:task", args=[task.pk])
    assert task.status == TaskStatus.SUCCEEDED and (task.done, task.total) == (2500, 2500)
    assert Institution.objects.count() == 2500
    # The same result report as `shuangjian import institutions FILE` prints for the same file.
    path = tmp_path / "名册.csv"
    path.write_bytes(data)
    call_command("import", "institutions", str(path), "--quiet")
    command_summary = capsys.readouterr().out.strip()  # the second import: nothing new
    assert task.result["summary"] == "已导入：共 2500 行，新增 2500，更新 0，跳过（重复）0，错误 0 行"
    assert command_summary.startswith("已导入：共 2500 行，新增 0")
    page = client.get(response.url).content.decode()
    assert task.result["summary"] in page and "2500 / 2500" in page and "hx-trigger" not in page
    assert not task.upload and not default_storage.exists(f"tasks/{task.pk}")  # the file is not kept


def test_a_refused_file_lists_every_bad_row_and_changes_nothing(
    client, make_user, django_capture_on_commit_callbacks
):
    from shuangjian.institutions.models import Institution

    client.force_login(make_user("COUNTY", region="430102"))
    with django_capture_on_commit_callbacks(execute=True):
        response = _upload(client, registry_csv(30, bad_row=7, foreign_row=12))
    task = BackgroundTask.objects.get()
    assert task.status == TaskStatus.SUCCEEDED and task.result["applied"] is False
    page = client.get(response.url).content.decode()
    assert "未导入（未做任何修改）" in page and "审批日期" in page and '<td class="num">7</td>' in page
    assert '<td class="num">12</td>' in page and "不在本单位管辖范围" in page
    assert Institution.objects.count() == 0


def test_same_file_while_the_first_runs_is_refused_and_applied_once(
    client, make_user, django_capture_on_commit_callbacks
):
    from shuangjian.institutions.models import Institution

    client.force_login(make_user("COUNTY", region="430102"))
    data = registry_csv(40)
    first = _upload(client, data)  # on_commit not run: the task waits in the queue
    task = BackgroundTask.objects.get()
    assert task.status == TaskStatus.QUEUED
    second = client.post(
        reverse("ops:import"),
        {"kind": "institutions", "file": SimpleUploadedFile("另一个名字.csv", data)},
        follow=True,
    )
    assert "正在进行中" in second.content.decode() and "未重复提交" in second.content.decode()
    assert second.redirect_chain[-1][0] == first.url  # sent to the running task's page
    assert BackgroundTask.objects.count() == 1
    # A different file is accepted beside it.
    _upload(client, registry_csv(5))
    assert BackgroundTask.objects.count() == 2
    # The worker delivers the first task twice (a requeue, a second worker): it runs once.
    assert background_execute(task.pk).status == TaskStatus.SUCCEEDED
    assert background_execute(task.pk) is None
    assert Institution.objects.count() == 40
    # Finished: the same file may be uploaded again; it changes nothing.
    with django_capture_on_commit_callbacks(execute=True):
        _upload(client, data)
    again = BackgroundTask.objects.filter(content_hash=task.content_hash).order_by("-pk").first()
    assert again.pk != task.pk and again.result["created"] == 0 and Institution.objects.count() == 40


def test_fund_events_upload_is_for_the_province_and_keeps_the_ledger(
    client, make_user, tmp_path, django_capture_on_commit_callbacks
):
    from shuangjian.common.testing import make_institution
    from shuangjian.funds.generate import generate_events, write_csv
    from shuangjian.funds.selectors import ledger_check

    codes = [make_institution("430102").credit_code for _ in range(3)]
    path = tmp_path / "流水.csv"
    write_csv(path, generate_events(codes, 300))
    client.force_login(make_user("COUNTY", region="430102"))
    refused = _upload(client, path.read_bytes(), kind="fund-events")
    assert refused.status_code == 400 and not BackgroundTask.objects.exists()
    client.force_login(make_user("PROVINCE", region="430000"))
    assert "导入托管账户流水" in client.get(reverse("funds:index")).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        _upload(client, path.read_bytes(), kind="fund-events")
    task = BackgroundTask.objects.get()
    assert task.result["applied"] and task.result["created"] + task.result["skipped"] == 300
    problems, _counts = ledger_check()
    assert problems == []


def test_compliance_scan_and_weekly_report_from_their_pages(
    client, make_user, django_capture_on_commit_callbacks
):
    from shuangjian.stats.models import WeeklyReportIssue

    county = make_user("COUNTY", region="430102")
    client.force_login(county)
    assert reverse("ops:compliance_scan") in client.get(reverse("institutions:violations")).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("ops:compliance_scan"))
    task = BackgroundTask.objects.get(kind="compliance-scan")
    assert task.status == TaskStatus.SUCCEEDED and task.result["summary"].startswith("已检查")
    assert task.region_id == "430102" and task.result["summary"] in client.get(response.url).content.decode()

    province = make_user("PROVINCE", region="430000")
    client.force_login(province)
    page = client.get(reverse("stats:weekly"), {"week": "2023-W22"}).content.decode()
    assert reverse("ops:weekly") in page
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("ops:weekly"), {"week": "2023-W22", "region": "430000"})
    task = BackgroundTask.objects.get(kind="weekly")
    assert task.status == TaskStatus.SUCCEEDED, task.error
    issue = WeeklyReportIssue.objects.get(region_id="430000", week="2023-W22")
    assert issue.docx and issue.pdf and (task.done, task.total) == (3, 3)
    detail = client.get(response.url).content.decode()
    assert reverse("stats:weekly_file", args=[issue.pk, "pdf"]) in detail
    # A county may not order a report for the province (404, as for any foreign record).
    client.force_login(county)
    assert client.post(reverse("ops:weekly"), {"week": "2023-W22", "region": "430000"}).status_code == 404


def test_a_task_left_running_by_a_dead_worker_is_marked_and_a_lost_one_requeued(make_user):
    import datetime as dt
    import socket

    from django.utils import timezone

    user = make_user("COUNTY", region="430102")
    dead = BackgroundTask.objects.create(
        kind="compliance-scan",
        title="合规扫描",
        status=TaskStatus.RUNNING,
        content_hash="x" * 64,
        worker=f"{socket.gethostname()}:999999999",
    )
    assert tasks_interrupted_mark() == 1
    dead.refresh_from_db()
    assert dead.status == TaskStatus.FAILED and "任务中断" in dead.error
    lost = BackgroundTask.objects.create(
        kind="compliance-scan", title="合规扫描", created_by=user, region_id="430102"
    )
    BackgroundTask.objects.filter(pk=lost.pk).update(created_at=timezone.now() - dt.timedelta(minutes=30))
    assert tasks_requeue_stale() == 1  # immediate mode: the re-enqueued task runs here
    lost.refresh_from_db()
    assert lost.status == TaskStatus.SUCCEEDED
