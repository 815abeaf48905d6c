"""Reads of the enforcement area: case and campaign lists, and the figures for statistics.

Counts are per period (both days inclusive) on the case's own dates: a case counts as opened on
``opened_on`` and closed on ``closed_on`` (revoked cases are never counted). ``subjects_count`` lets
one case cover several black institutions; ``ads_removed`` counts advertisements. Scoped through
``Case.objects.visible_to(user)`` when ``user`` is given, and to ``region_code``'s subtree.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Count, Q, QuerySet, Sum

from shuangjian.common.rules import province_code

from .models import Campaign, Case, CaseKind, CaseState


def _scoped(user: Any, region_code: str | None) -> QuerySet[Case]:
    qs = Case.objects.all() if user is None else Case.objects.visible_to(user)
    return qs.in_region(region_code) if region_code else qs


def cases_qs(
    *,
    date_from: dt.date | None = None,
    date_to: dt.date | None = None,
    region_code: str | None = None,
    user: Any = None,
    kind: str | None = None,
    closed: bool = False,
    campaign: Campaign | None = None,
    state: str | None = None,
    include_revoked: bool = False,
) -> QuerySet[Case]:
    """Cases opened (or, with ``closed``, closed) in [date_from, date_to], excluding revoked ones
    (unless ``include_revoked``, for the list page's 撤销立案 filter)."""
    qs = _scoped(user, region_code)
    if not include_revoked:
        qs = qs.exclude(state=CaseState.REVOKED)
    field = "closed_on" if closed else "opened_on"
    if closed:
        qs = qs.filter(state=CaseState.CLOSED)
    if date_from:
        qs = qs.filter(**{f"{field}__gte": date_from})
    if date_to:
        qs = qs.filter(**{f"{field}__lte": date_to})
    if kind:
        qs = qs.filter(kind=kind)
    if campaign is not None:
        qs = qs.filter(campaign=campaign)
    if state:
        qs = qs.filter(state=state)
    return qs.select_related("county", "institution", "campaign").order_by("-opened_on", "-id")


def ads_cases_qs(
    *, date_from: dt.date, date_to: dt.date, region_code: str | None = None, user: Any = None
) -> QuerySet[Case]:
    """拆除违规广告 cases opened in the period (the records behind ``ads_removed``)."""
    return cases_qs(
        date_from=date_from, date_to=date_to, region_code=region_code, user=user, kind=CaseKind.ADVERTISEMENT
    )


def unlicensed_closed_qs(
    *, date_from: dt.date, date_to: dt.date, region_code: str | None = None, user: Any = None
) -> QuerySet[Case]:
    """取缔黑机构 cases closed in the period (the records behind ``unlicensed_closed``)."""
    return cases_qs(
        date_from=date_from,
        date_to=date_to,
        region_code=region_code,
        user=user,
        kind=CaseKind.UNLICENSED,
        closed=True,
    )


def enforcement_stats(
    *,
    date_from: dt.date,
    date_to: dt.date,
    region_code: str | None = None,
    user: Any = None,
    campaign: Campaign | None = None,
) -> dict[str, Any]:
    """Figures for a period: ``{"cases_opened": n, "cases_by_kind": {kind label: n}, "cases_closed": n,
    "ads_removed": n, "unlicensed_closed": n}``.

    ``cases_by_kind`` counts cases opened in the period, every kind listed (0 included);
    ``ads_removed`` sums advertisements of 拆除违规广告 cases opened in the period; ``unlicensed_closed``
    sums the institutions (``subjects_count``) of 取缔黑机构 cases closed in the period.
    """
    opened = cases_qs(
        date_from=date_from, date_to=date_to, region_code=region_code, user=user, campaign=campaign
    )
    by_kind = dict(opened.order_by().values("kind").annotate(n=Count("id")).values_list("kind", "n"))
    closed = cases_qs(
        date_from=date_from,
        date_to=date_to,
        region_code=region_code,
        user=user,
        campaign=campaign,
        closed=True,
    )
    ads = opened.filter(kind=CaseKind.ADVERTISEMENT).aggregate(s=Sum("ads_removed"))["s"] or 0
    banned = closed.filter(kind=CaseKind.UNLICENSED).aggregate(s=Sum("subjects_count"))["s"] or 0
    return {
        "cases_opened": opened.count(),
        "cases_by_kind": {str(label): by_kind.get(value, 0) for value, label in CaseKind.choices},
        "cases_closed": closed.count(),
        "ads_removed": int(ads),
        "unlicensed_closed": int(banned),
    }


def stats_by_region(
    *,
    date_from: dt.date,
    date_to: dt.date,
    user: Any = None,
    region_code: str | None = None,
    campaign: Campaign | None = None,
) -> list[dict[str, Any]]:
    """Per child region (cities of the province, counties of a city) of the user's or given region:
    cases opened by kind, closed, ads removed, institutions banned. Rows sorted by code."""
    from shuangjian.regions.models import Region

    root: Region | None
    if region_code:
        root = Region.objects.get(code=region_code)
    elif user is not None and getattr(user, "region", None) is not None:
        root = user.region
    else:  # the platform's province: the one holding the most cases (Hunan in this deployment)
        top = Case.objects.order_by().values("county_id").annotate(n=Count("id")).order_by("-n").first()
        code = (top["county_id"][:2] + "0000") if top else province_code()
        root = Region.objects.filter(code=code).first()
    if root is None:
        return []
    children = list(root.children.order_by("code")) or [root]
    opened = cases_qs(
        date_from=date_from, date_to=date_to, user=user, region_code=root.code, campaign=campaign
    )
    closed = cases_qs(
        date_from=date_from, date_to=date_to, user=user, region_code=root.code, campaign=campaign, closed=True
    )
    rows = []
    for child in children:
        prefix = child.subtree_prefix
        o = opened.filter(county__code__startswith=prefix).order_by()
        c = closed.filter(county__code__startswith=prefix).order_by()
        kinds = dict(o.values("kind").annotate(n=Count("id")).values_list("kind", "n"))
        agg = o.aggregate(ads=Sum("ads_removed", filter=Q(kind=CaseKind.ADVERTISEMENT)))
        rows.append(
            {
                "code": child.code,
                "name": child.name,
                "by_kind": [kinds.get(v, 0) for v in CaseKind.values],
                "opened": sum(kinds.values()),
                "closed": c.count(),
                "ads_removed": agg["ads"] or 0,
                "unlicensed_closed": c.filter(kind=CaseKind.UNLICENSED).aggregate(s=Sum("subjects_count"))[
                    "s"
                ]
                or 0,
            }
        )
    return rows


def campaigns_visible(user: Any) -> QuerySet[Campaign]:
    """Campaigns over the user's region subtree or over a region above it (a county officer sees the
    provincial campaign); none for users without a region."""
    from shuangjian.common.scoping import user_region_prefix

    prefix = user_region_prefix(user)
    if prefix is None:
        return Campaign.objects.none()
    if prefix == "":
        return Campaign.objects.all()
    region = user.region
    above = [r.code for r in region.ancestors()]
    return Campaign.objects.filter(Q(region__code__startswith=prefix) | Q(region_id__in=above))


def illegal_charging_cases_by_institution(ids: list[int], start: dt.date, end: dt.date) -> dict[int, int]:
    """Cases of kind 违规收费 opened in ``start < opened_on <= end``, not revoked, per institution id
    (one grouped query): the risk area's "outside cases" signal (registered in ``risk.signals``)."""
    rows = (
        Case.objects.filter(
            institution_id__in=ids, kind=CaseKind.ILLEGAL_CHARGING, opened_on__gt=start, opened_on__lte=end
        )
        .exclude(state=CaseState.REVOKED)
        .values("institution_id")
        .annotate(n=Count("id"))
    )
    return {row["institution_id"]: row["n"] for row in rows}
