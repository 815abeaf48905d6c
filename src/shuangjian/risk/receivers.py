"""Cross-area follow-ups the risk area listens for: rescore an institution after a payment
(缴费), a refund request (退费申请) or a 爆雷/冒烟 report.

The areas that write those records (funds, complaints) sit below risk and know nothing of it; this
module connects ``post_save`` receivers to their models (in ``RiskConfig.ready``). Each receiver
schedules :func:`~shuangjian.risk.services.risk_rescore` for the institution with
``transaction.on_commit``, so the score is recomputed only once the triggering write is committed
(a refused or rolled-back operation rescores nothing). Enforcement (same layer) calls
``risk_rescore`` itself after opening a 违规收费 case.

Bulk writes (file imports through the funds bulk writer, ``bulk_create``) send no signal: the
nightly ``risk scan`` covers them.
"""

from __future__ import annotations

import logging
from typing import Any

from django.db import transaction
from django.db.models.signals import post_save
from django.utils import timezone

logger = logging.getLogger(__name__)


def rescore_on_commit(institution_id: int | None, *, reason: str) -> None:
    """Schedule a rescoring of ``institution_id`` (today, Shanghai) after the current transaction
    commits; nothing when ``institution_id`` is None. A failure is logged, never raised into the
    request that triggered it (its write is already committed; the nightly scan retries)."""
    if institution_id is None:
        return

    def run() -> None:
        from .services import risk_rescore

        try:
            risk_rescore(institution_id=institution_id, as_of=timezone.localdate())
        except Exception:  # noqa: BLE001 - the triggering operation has committed; log and go on
            logger.exception("risk rescore after %s failed for institution %s", reason, institution_id)

    transaction.on_commit(run)


def _fund_event_saved(sender: Any, instance: Any, created: bool, **kwargs: Any) -> None:
    from shuangjian.funds.models import EventKind

    if created and instance.kind == EventKind.PAYMENT and not kwargs.get("raw"):
        rescore_on_commit(instance.institution_id, reason="payment")


def _refund_request_saved(sender: Any, instance: Any, created: bool, **kwargs: Any) -> None:
    if created and not kwargs.get("raw"):
        rescore_on_commit(instance.contract.institution_id, reason="refund request")


def _risk_flag_saved(sender: Any, instance: Any, created: bool, **kwargs: Any) -> None:
    if created and not kwargs.get("raw"):
        rescore_on_commit(instance.institution_id, reason="爆雷/冒烟 report")


def connect() -> None:
    """Connect the receivers (idempotent: ``dispatch_uid``)."""
    from shuangjian.complaints.models import RiskFlag
    from shuangjian.funds.models import FundEvent, RefundRequest

    post_save.connect(_fund_event_saved, sender=FundEvent, dispatch_uid="risk.rescore.payment")
    post_save.connect(_refund_request_saved, sender=RefundRequest, dispatch_uid="risk.rescore.refund_request")
    post_save.connect(_risk_flag_saved, sender=RiskFlag, dispatch_uid="risk.rescore.risk_flag")
