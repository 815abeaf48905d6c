"""Demo data for risk: ``load(scale=…, workdir=…, stdout=…)`` (an ``AREA_LOADERS`` entry of
``shuangjian.demo.loader``, after the registry, funds and reports loaders).

Runs the risk scan on whatever the other demo loaders put in the database, on the data's own date
(:func:`data_as_of`): weekly snapshots over the weeks before (so the trend charts have points), then
that date; escalates ignored tasks as of that date. Then the :data:`AFTER_SCAN` steps the areas
acting on warnings register (enforcement: the 2022 cases reproducing the published figures, and
live cases opened from today's red/orange warnings — ``shuangjian.enforcement.demo``).

Idempotent: a second run rescans today and adds no 2022 case twice.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from django.utils import timezone

SNAPSHOT_WEEKS = {"small": 8, "province": 4}


#: Demo steps run after the scan (dotted paths of ``step(*, stdout)``), registered in their
#: AppConfig.ready by the areas that act on warnings, so risk imports none of them.
AFTER_SCAN: list[str] = []


def data_as_of() -> dt.date:
    """The demo world's "today": the Shanghai date of the latest fund event or report (never after
    today), so a demo dated in the past (the seed document's 2023-06-05) is scanned on its own date."""
    from django.db.models import Max

    from shuangjian.complaints.models import Report
    from shuangjian.funds.models import FundEvent

    latest = [
        v
        for v in (
            FundEvent.objects.aggregate(m=Max("occurred_at"))["m"],
            Report.objects.aggregate(m=Max("received_at"))["m"],
        )
        if v is not None
    ]
    today = timezone.localdate()
    return min(timezone.localdate(max(latest)), today) if latest else today


def load(*, scale: str, workdir: Path, stdout: Any) -> None:
    """Scan (weekly snapshots, then the data's date), escalate, then the :data:`AFTER_SCAN` steps."""
    from django.utils.module_loading import import_string

    from .services import risk_scan, tasks_escalate

    today = data_as_of()
    for weeks in range(SNAPSHOT_WEEKS.get(scale, 4), 0, -1):
        risk_scan(as_of=today - dt.timedelta(weeks=weeks))
    summary = risk_scan(as_of=today)
    escalation = tasks_escalate(as_of=today)
    levels = "，".join(f"{k}:{v}" for k, v in sorted(summary.warnings.items())) or "无"
    stdout.write(
        f"风险预警：评估机构 {summary.scored} 家，今日新增预警 {levels}；"
        f"逾期升级市级 {escalation.city} 件、省级 {escalation.province} 件"
    )
    for path in AFTER_SCAN:
        import_string(path)(stdout=stdout)
