"""Reads of the registry. Scoped reads start from ``Model.objects.visible_to(user)``."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Exists, F, Max, OuterRef, Q, QuerySet
from django.db.models.functions import Coalesce

from .choices import ItemStatus, Status
from .models import Institution, InstitutionEpisode, TrainingItem, Violation


def episodes_active_on(
    day: dt.date, *, category: str | None = None, mode: str | None = None, audience: str | None = None,
    queryset: QuerySet[InstitutionEpisode] | None = None,
) -> QuerySet[InstitutionEpisode]:
    """Episodes active on ``day`` (approved_on ≤ day and (ended_on null or > day), DESIGN.md),
    optionally of one category / mode / audience (an audience matches when it is among the episode's)."""
    qs = queryset if queryset is not None else InstitutionEpisode.objects.all()
    qs = qs.filter(approved_on__lte=day).filter(Q(ended_on__isnull=True) | Q(ended_on__gt=day))
    if category:
        qs = qs.filter(category=category)
    if mode:
        qs = qs.filter(mode=mode)
    if audience:
        qs = qs.filter(Q(audiences=audience) | Q(audiences__startswith=f"{audience},")
                       | Q(audiences__endswith=f",{audience}") | Q(audiences__contains=f",{audience},"))
    return qs


def institutions_active_on(
    day: dt.date, *, category: str | None = None, mode: str | None = None, audience: str | None = None,
    queryset: QuerySet[Institution] | None = None,
) -> QuerySet[Institution]:
    """Institutions with an episode active on ``day`` matching the filters ("was it active on D in C")."""
    qs = queryset if queryset is not None else Institution.objects.all()
    episodes = episodes_active_on(day, category=category, mode=mode, audience=audience).filter(
        institution=OuterRef("pk")
    )
    return qs.filter(Exists(episodes))


def institution_was_active(institution: Institution, day: dt.date, category: str | None = None) -> bool:
    """Whether ``institution`` was active on ``day`` (in ``category`` when given)."""
    return episodes_active_on(day, category=category).filter(institution=institution).exists()


def institution_filter(qs: QuerySet[Institution], params: Any) -> QuerySet[Institution]:
    """Apply the list page's filters: q (name / credit code), region (code prefix), status,
    category, mode, fund (1/0), active_on (date) with category."""
    q = (params.get("q") or "").strip()
    if q:
        qs = qs.filter(Q(name__icontains=q) | Q(credit_code__iexact=q.upper()))
    region = (params.get("region") or "").strip()
    if region.isdigit() and len(region) == 6:
        prefix = region[:2] if region.endswith("0000") else region[:4] if region.endswith("00") else region
        qs = qs.filter(county__code__startswith=prefix)
    status = params.get("status")
    if status in Status.values:
        qs = qs.filter(status=status)
    for field in ("category", "mode"):
        value = params.get(field)
        if value:
            qs = qs.filter(**{field: value})
    fund = params.get("fund")
    if fund in ("1", "0"):
        qs = qs.filter(fund_supervised=fund == "1")
    active_on = (params.get("active_on") or "").strip()
    if active_on:
        try:
            day = dt.date.fromisoformat(active_on)
        except ValueError:
            day = None
        if day:
            qs = institutions_active_on(day, category=params.get("category") or None, queryset=qs)
    return qs


def public_whitelist(*, q: str = "", county: str = "") -> QuerySet[Institution]:
    """白名单: institutions holding a licence (已审批 / 整改中), searchable by name, code or county."""
    qs = Institution.objects.filter(status__in=[Status.LICENSED, Status.RECTIFYING]).select_related("county")
    if q:
        qs = qs.filter(Q(name__icontains=q) | Q(credit_code__iexact=q.upper()) | Q(county__full_name__contains=q))
    if county:
        qs = qs.filter(Q(county_id=county) | Q(county__name__contains=county))
    return qs.order_by("county_id", "name")


def public_blacklist() -> QuerySet[Institution]:
    """黑名单: licences revoked (吊销) and unlicensed operators closed (无证取缔).

    Each row carries ``listed_on`` (date): the date the lifecycle transition recorded
    (``status_changed_on``), else — for records that predate it — the last episode's end date.
    """
    return (
        Institution.objects.filter(status__in=[Status.REVOKED, Status.BANNED]).select_related("county")
        .annotate(listed_on=Coalesce("status_changed_on", Max("episodes__ended_on")))
        .order_by(F("listed_on").desc(nulls_last=True), "name")
    )


def public_items(institution: Institution) -> QuerySet[TrainingItem]:
    """Approved training items of an institution, for the public page."""
    return institution.items.filter(status=ItemStatus.APPROVED).order_by("name")


def violations_filter(qs: QuerySet[Violation], params: Any) -> QuerySet[Violation]:
    """Filters of the violations page: region (code), rule, status, source, q (institution)."""
    region = (params.get("region") or "").strip()
    if region.isdigit() and len(region) == 6:
        prefix = region[:2] if region.endswith("0000") else region[:4] if region.endswith("00") else region
        qs = qs.filter(institution__county__code__startswith=prefix)
    for field in ("rule_id", "status", "source"):
        value = (params.get(field) or "").strip()
        if value:
            qs = qs.filter(**{field: value})
    q = (params.get("q") or "").strip()
    if q:
        qs = qs.filter(Q(institution__name__icontains=q) | Q(institution__credit_code__iexact=q.upper()))
    return qs
