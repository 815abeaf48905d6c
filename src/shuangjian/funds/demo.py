"""Demo hook: a realistic custody-bank statement for the institutions already in the registry.

``load(scale=..., workdir=..., stdout=...)`` writes ``fund-events.csv`` into ``workdir`` (payments,
lesson-by-lesson consumption, some refunds, a few over-limit prepayments) for the institutions in
the database, imports it through ``shuangjian import fund-events``, then records a few lessons
waiting for the parent and one refund request through the services, so every page of the area has
something to show. Not in ``shuangjian.demo.loader.AREA_LOADERS``: the demo province imports its own fund events (``shuangjian.demo.funds``); this hook serves the area's own tests.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from django.core.management import call_command
from django.utils import timezone

EVENTS = {"small": 6_000, "province": 200_000}


def load(*, scale: str, workdir: Path, stdout: Any) -> None:
    """Write and import the demo statement (idempotent: a second run skips every row)."""
    from shuangjian.institutions.models import Institution

    from .generate import generate_events, write_csv
    from .ledger import FundsRefused
    from .models import Contract, ContractStatus
    from .services import consumption_record, refund_request_create

    supervised = Institution.objects.filter(fund_supervised=True)
    codes = list(
        (supervised if supervised.exists() else Institution.objects)
        .order_by("credit_code")
        .values_list("credit_code", flat=True)[:5000]
    )
    if not codes:
        stdout.write("预收费监管演示数据：机构名册为空，跳过")
        return
    n = EVENTS.get(scale, EVENTS["small"])
    start = (timezone.localtime() - dt.timedelta(days=150)).replace(hour=8, minute=0, second=0, microsecond=0)
    # Spread n events over about 140 days.
    path = Path(workdir) / "fund-events.csv"
    rows = list(generate_events(codes, n, seed=2024, start=start.replace(tzinfo=None), key_prefix="DEMO"))
    span = max(1, int((140 * 86400) / max(n, 1)))
    base = start.replace(tzinfo=None)
    for i, row in enumerate(rows):
        row[1] = (base + dt.timedelta(seconds=i * span)).strftime("%Y-%m-%d %H:%M:%S")
    write_csv(path, rows)
    call_command("import", "fund-events", str(path), "--quiet", stdout=stdout, stderr=stdout)
    # The online flow: lessons waiting for parents, and one refund request.
    now = timezone.now()
    for i, contract in enumerate(
        Contract.objects.filter(status=ContractStatus.OPEN)
        .select_related("institution")
        .order_by("-opened_at")[:6]
    ):
        try:
            consumption_record(
                key=f"DEMO-LESSON-{contract.pk}",
                institution=contract.institution,
                contract_no=contract.contract_no,
                student_ref=contract.student_ref,
                hours=1,
                occurred_at=contract.opened_at + dt.timedelta(days=1),
                confirmed=False,
            )
            if i == 0:
                refund_request_create(contract_id=contract.pk, reason="孩子转学（演示）", now=now)
        except FundsRefused:
            continue
    stdout.write(f"预收费监管演示数据：{n} 条托管流水，{len(codes)} 家机构")
