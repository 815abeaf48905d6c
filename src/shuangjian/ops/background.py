"""Long work started from a page, run by the worker with progress kept in the database.

A view calls :func:`task_submit` (the upload is stored, a row is written, the task is enqueued) and
redirects to the task's page, which polls the row: rows (or steps) done / total, then the same
result report the command prints. Closing the browser loses nothing — the work goes on in the
worker and the page shows the state whenever it is opened again. A second submission of the same
content (same SHA-256 of the file, or the same weekly report / scan parameters) while the first is
queued or running is refused (:class:`TaskDuplicate`, naming the running task); once it has finished,
submitting it again is allowed and changes nothing, since every import is idempotent.

Kinds (:func:`handler_for`): ``import:<kind>`` (every kind of ``shuangjian import``: the registry,
fund events, reports, the school returns …), ``weekly`` (the weekly report's Word and PDF filed in
the archive, registered by the statistics area), ``compliance-scan`` (the compliance rules over the user's region).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
import os
import socket
from collections.abc import Callable
from typing import Any

from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from shuangjian.common.operations import BACKGROUND_HANDLERS, provided

from .models import LIVE_TASK_STATES, BackgroundTask, TaskStatus

logger = logging.getLogger(__name__)
MAX_ERRORS_KEPT = 500


class TaskDuplicate(Exception):
    """The same content is already queued or running: ``existing`` is that task."""

    def __init__(self, existing: BackgroundTask) -> None:
        super().__init__(
            _("相同内容的任务“%(title)s”正在进行中（%(status)s），未重复提交")
            % {"title": existing.title, "status": existing.get_status_display()}
        )
        self.existing = existing


class TaskRefused(Exception):
    """The user may not start this task (message in Chinese)."""


Progress = Callable[[int, int, str], None]
Handler = Callable[[BackgroundTask, Progress], dict[str, Any]]


def _worker() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"


# --- submitting -------------------------------------------------------------------------------------
def task_submit(
    *,
    kind: str,
    title: str,
    user: Any,
    params: dict[str, Any] | None = None,
    upload: UploadedFile | None = None,
    dedupe_key: str = "",
) -> BackgroundTask:
    """Record a background task for ``user`` and enqueue it in the worker.

    ``upload`` is kept in the default storage until the task finished; its SHA-256 (with ``kind``)
    identifies the content; without a file, ``dedupe_key`` (e.g. ``"2023-W22|430000"``) does.
    Raises :class:`TaskDuplicate` when the same content is already queued or running.
    """
    handler_for(kind)  # KeyError for an unknown kind
    digest = ""
    if upload is not None:
        sha = hashlib.sha256()
        for chunk in upload.chunks():
            sha.update(chunk)
        digest = sha.hexdigest()
        upload.seek(0)
    elif dedupe_key:
        digest = hashlib.sha256(dedupe_key.encode()).hexdigest()
    if digest:
        existing = BackgroundTask.objects.filter(
            kind=kind, content_hash=digest, status__in=LIVE_TASK_STATES
        ).first()
        if existing is not None:
            raise TaskDuplicate(existing)
    task = BackgroundTask(
        kind=kind,
        title=title[:200],
        params=params or {},
        content_hash=digest,
        created_by=user,
        region_id=getattr(user, "region_id", None),
        institution_id=getattr(user, "institution_id", None),
        school_id=getattr(user, "school_id", None),
        upload_name=(upload.name or "")[:200] if upload else "",
    )
    if upload is not None:
        task.upload.save(os.path.basename(upload.name or "upload"), upload, save=False)
    try:
        with transaction.atomic():
            task.save()
    except IntegrityError:  # the same content submitted at the same instant by another request
        if task.upload:
            task.upload.delete(save=False)
        existing = BackgroundTask.objects.filter(
            kind=kind, content_hash=digest, status__in=LIVE_TASK_STATES
        ).first()
        if existing is None:
            raise
        raise TaskDuplicate(existing) from None
    from .tasks import background_task_run

    transaction.on_commit(lambda: background_task_run(task.pk))
    return task


# --- running ----------------------------------------------------------------------------------------
def background_execute(task_id: int) -> BackgroundTask | None:
    """Run a queued task once (a second delivery of the same task does nothing) and store its result.

    Progress is written to the row as the handler reports it. A handler's exception is stored as the
    task's error (status FAILED) and logged; it is not raised. The uploaded file is deleted when the
    task has finished (the result report stays).
    """
    claimed = BackgroundTask.objects.filter(pk=task_id, status=TaskStatus.QUEUED).update(
        status=TaskStatus.RUNNING, started_at=timezone.now(), worker=_worker(), phase=_("开始")
    )
    if not claimed:
        return None
    task = BackgroundTask.objects.get(pk=task_id)

    def progress(done: int, total: int, phase: str) -> None:
        BackgroundTask.objects.filter(pk=task_id).update(done=done, total=total, phase=phase[:100])

    handler = handler_for(task.kind)
    try:
        result = handler(task, progress)
    except Exception as exc:
        logger.exception("background task %s (%s) failed", task_id, task.kind)
        task.refresh_from_db()
        task.status = TaskStatus.FAILED
        task.error = (
            str(exc)
            if isinstance(exc, TaskRefused | PermissionDenied) or _is_file_error(exc)
            else f"{exc.__class__.__name__}: {exc}"
        )
    else:
        task.refresh_from_db()
        task.status = TaskStatus.SUCCEEDED
        task.result = result
        task.phase = _("完成")
        if task.total:
            task.done = task.total
    task.finished_at = timezone.now()
    task.save()
    if task.upload:
        task.upload.delete(save=True)
    return task


def _is_file_error(exc: Exception) -> bool:
    from shuangjian.common.importing import ImportFileError

    return isinstance(exc, ImportFileError)


def tasks_interrupted_mark() -> int:
    """Mark as failed the tasks left running by a process of this host that is gone; returns how
    many. (The worker calls it at its start, so a re-upload of the same file is accepted again.)"""
    from .jobs import _pid_alive

    host = socket.gethostname()
    dead = []
    for task in BackgroundTask.objects.filter(status=TaskStatus.RUNNING).only("pk", "worker"):
        task_host, _sep, pid = task.worker.rpartition(":")
        if task_host == host and pid.isdigit() and not _pid_alive(int(pid)):
            dead.append(task.pk)
    return BackgroundTask.objects.filter(pk__in=dead, status=TaskStatus.RUNNING).update(
        status=TaskStatus.FAILED, finished_at=timezone.now(), error=_("任务中断：执行进程已退出，请重新提交")
    )


# --- handlers ---------------------------------------------------------------------------------------
def import_kinds_for(user: Any) -> dict[str, str]:
    """Import kinds ``user`` may upload: kind → Chinese title.

    Regulators: the registry (rows of their own region only) and the school returns; the province
    also fund events and reports (province-wide files); school staff: their school's returns;
    vocational regulators and school staff: the vocational files (rows checked against their scope).
    """
    from shuangjian.common.importing import IMPORTERS, importer_for

    kinds: dict[str, str] = {}
    for kind in IMPORTERS:
        cls = importer_for(kind)
        if kind == "institutions":
            allowed = user.is_superuser or user.is_regulator
        elif kind.startswith("school"):
            allowed = user.is_superuser or user.is_regulator or bool(getattr(user, "school_id", None))
            if kind == "schools":
                allowed = user.is_superuser or user.is_regulator
        elif kind in {"fund-events", "reports"}:
            allowed = user.is_provincial
        elif kind.startswith("vocational-"):  # every row is checked against the uploader's scope
            allowed = (
                user.is_superuser or user.is_regulator or bool(getattr(user, "vocational_school_id", None))
            )
        else:
            allowed = user.is_provincial
        if allowed:
            kinds[kind] = cls.title or kind
    return kinds


def _importer(kind: str, actor: Any):
    from shuangjian.common.importing import importer_for

    if kind == "institutions":
        from shuangjian.institutions.views import ScopedInstitutionImporter

        return ScopedInstitutionImporter
    return importer_for(kind)


def report_result(report: Any) -> dict[str, Any]:
    """An :class:`~shuangjian.common.importing.ImportReport` as JSON: the command's summary line,
    counts, warnings and the first :data:`MAX_ERRORS_KEPT` row errors."""
    return {
        "summary": report.summary(),
        "applied": report.applied,
        "total_rows": report.total_rows,
        "created": report.created,
        "updated": report.updated,
        "skipped": report.skipped,
        "warnings": list(report.warnings),
        "error_count": len(report.errors),
        "errors": [
            {"row": e.row, "column": e.column, "reason": e.reason, "text": str(e)}
            for e in report.errors[:MAX_ERRORS_KEPT]
        ],
    }


def _run_import(task: BackgroundTask, progress: Progress) -> dict[str, Any]:
    kind = task.kind.split(":", 1)[1]
    actor = task.created_by
    if actor is None or kind not in import_kinds_for(actor):
        raise TaskRefused(_("无权导入该类型的数据"))

    def on_rows(done: int, total: int) -> None:
        progress(done, total, _("校验中") if done < total else _("写入数据库"))

    importer = _importer(kind, actor)(progress=on_rows, actor=actor)
    with task.upload.open("rb") as fh:
        data = fh.read()
    report = importer.run(
        task.upload_name,
        data=data,
        filename=task.upload_name,
        skip_invalid=bool(task.params.get("skip_invalid")),
    )
    progress(report.total_rows, report.total_rows, _("完成"))
    return report_result(report)


def _run_compliance_scan(task: BackgroundTask, progress: Progress) -> dict[str, Any]:
    from shuangjian.institutions.compliance import RULES_BY_ID, compliance_scan

    user = task.created_by
    if user is None or not (user.is_superuser or user.is_regulator):
        raise TaskRefused(_("只有监管部门可以运行合规扫描"))
    region = None if user.is_superuser else user.region_id
    result = compliance_scan(
        region_code=region, progress=lambda done, total: progress(done, total, _("检查机构"))
    )
    return {
        "summary": result.summary(),
        "warnings": list(result.warnings),
        "by_rule": [
            {"rule": rule_id, "title": RULES_BY_ID[rule_id].title, "count": count}
            for rule_id, count in result.by_rule.items()
        ],
        "created": result.created,
        "still_open": result.still_open,
        "resolved": result.resolved,
        "institutions": result.institutions,
    }


HANDLERS: dict[str, Handler] = {
    "import": _run_import,
    "compliance-scan": _run_compliance_scan,
}


def handler_for(kind: str) -> Handler:
    """The handler of a task kind (``"import:reports"`` → the ``import`` handler): this module's
    :data:`HANDLERS`, else the one an area registered in
    :data:`shuangjian.common.operations.BACKGROUND_HANDLERS` (``"weekly"``: the statistics area).
    Raises ``KeyError`` for a kind nobody handles."""
    name = kind.split(":")[0]
    if name in HANDLERS:
        return HANDLERS[name]
    if name in BACKGROUND_HANDLERS:
        return provided(BACKGROUND_HANDLERS, name)
    raise KeyError(kind)


def tasks_requeue_stale(*, older_than_minutes: int = 10) -> int:
    """Enqueue again the tasks still queued after ``older_than_minutes`` (lost from the queue, e.g.
    the process died between writing the row and enqueuing it); a second delivery is harmless since
    :func:`background_execute` claims the row first. Returns how many were enqueued."""
    from .tasks import background_task_run

    cutoff = timezone.now() - dt.timedelta(minutes=older_than_minutes)
    ids = list(
        BackgroundTask.objects.filter(status=TaskStatus.QUEUED, created_at__lt=cutoff).values_list(
            "pk", flat=True
        )[:100]
    )
    for pk in ids:
        background_task_run(pk)
    return len(ids)
