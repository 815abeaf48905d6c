"""Reads of the registry. Scoped reads start from ``Model.objects.visible_to(user)``."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db.models import CharField, Exists, F, Max, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce

from .choices import ItemStatus, Status
from .models import Institution, InstitutionEpisode, InstitutionProfile, TrainingItem, Violation


def episodes_active_on(
    day: dt.date,
    *,
    category: str | None = None,
    mode: str | None = None,
    audience: str | None = None,
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
        qs = qs.filter(
            Q(audiences=audience)
            | Q(audiences__startswith=f"{audience},")
            | Q(audiences__endswith=f",{audience}")
            | Q(audiences__contains=f",{audience},")
        )
    return qs


def institutions_active_on(
    day: dt.date,
    *,
    category: str | None = None,
    mode: str | None = None,
    audience: str | None = None,
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


# --- values in force on a date (登记事项 per episode) -------------------------------------------------


def profiles_in_force_on(
    day: dt.date,
    *,
    queryset: QuerySet[InstitutionProfile] | None = None,
) -> QuerySet[InstitutionProfile]:
    """Profiles in force on ``day`` (valid_from ≤ day < valid_to) of episodes active on ``day``."""
    qs = queryset if queryset is not None else InstitutionProfile.objects.all()
    return (
        qs.filter(valid_from__lte=day, episode__approved_on__lte=day)
        .filter(Q(valid_to__isnull=True) | Q(valid_to__gt=day))
        .filter(Q(episode__ended_on__isnull=True) | Q(episode__ended_on__gt=day))
    )


def _bare_episodes_active_on(day: dt.date) -> QuerySet[InstitutionEpisode]:
    """Episodes active on ``day`` with no profile at all (they fall back to the institution's fields)."""
    return episodes_active_on(day).exclude(Exists(InstitutionProfile.objects.filter(episode=OuterRef("pk"))))


def supervised_on(day: dt.date) -> Q:
    """A filter on :class:`Institution`: included in fund supervision (纳入资金监管) on ``day``.

    True when the profile in force on ``day`` of an episode active on ``day`` says 是 (DESIGN.md:
    statistics on D use the values of the episode active on D); an active episode recorded
    without any profile uses ``Institution.fund_supervised``.
    """
    in_force = profiles_in_force_on(day).filter(institution=OuterRef("pk"), fund_supervised=True)
    bare = _bare_episodes_active_on(day).filter(institution=OuterRef("pk"))
    return Q(Exists(in_force)) | (Q(Exists(bare)) & Q(fund_supervised=True))


def with_values_on(qs: QuerySet[Institution], day: dt.date) -> QuerySet[Institution]:
    """Annotate each institution with its values on ``day``: ``name_on`` (机构名称), ``fund_on``
    (纳入资金监管, bool), ``license_on`` (办学许可证号) and ``county_on`` (county code).

    The values come from the profile in force on ``day`` (the most recently approved active episode
    first); an institution with no such profile shows its current values.
    """
    profile = (
        profiles_in_force_on(day)
        .filter(institution=OuterRef("pk"))
        .order_by("-episode__approved_on", "-valid_from")
    )
    episode = episodes_active_on(day).filter(institution=OuterRef("pk")).order_by("-approved_on")
    return qs.annotate(
        name_on=Coalesce(Subquery(profile.values("name")[:1]), F("name")),
        fund_on=Coalesce(Subquery(profile.values("fund_supervised")[:1]), F("fund_supervised")),
        license_on=Coalesce(Subquery(episode.values("license_no")[:1]), F("license_no")),
        county_on=Coalesce(
            Subquery(profile.values("county_id")[:1]), F("county_id"), output_field=CharField()
        ),
    )


def _profiles_of(institution: Institution) -> list[InstitutionProfile]:
    """The institution's profiles with their episodes, in date order (uses a ``profiles__episode``
    prefetch when the caller made one)."""
    if "profiles" in getattr(institution, "_prefetched_objects_cache", {}):
        profiles = list(institution.profiles.all())
    else:
        profiles = list(institution.profiles.select_related("episode"))
    return sorted(profiles, key=lambda p: (p.valid_from, p.episode.approved_on, p.pk or 0))


@dataclass(frozen=True)
class NamePeriod:
    """A name an institution bore from ``start`` until ``end`` (exclusive; None: still bears it)."""

    name: str
    start: dt.date
    end: dt.date | None


def institution_name_history(institution: Institution) -> list[NamePeriod]:
    """Every name of ``institution`` in date order, consecutive periods with one name merged.

    A period ends where the next profile starts, or where its episode ended. Institutions without
    profiles have no dated history (an empty list).
    """
    periods: list[NamePeriod] = []
    for profile in _profiles_of(institution):
        end = profile.valid_to or profile.episode.ended_on
        if periods and periods[-1].name == profile.name:
            last = periods[-1]
            periods[-1] = NamePeriod(
                last.name, last.start, None if last.end is None or end is None else max(last.end, end)
            )
        else:
            periods.append(NamePeriod(profile.name, profile.valid_from, end))
    return periods


def institution_former_names(institution: Institution) -> list[NamePeriod]:
    """The names ``institution`` bore before its current one (曾用名), oldest first."""
    return [p for p in institution_name_history(institution) if p.name != institution.name]


def institution_name_on(institution: Institution, day: dt.date) -> str:
    """The institution's name on ``day``: the profile in force then (of an episode active then), else
    the last profile started before ``day``, else the current name."""
    profiles = _profiles_of(institution)
    in_force = [p for p in profiles if p.is_in_force_on(day) and p.episode.is_active_on(day)]
    if in_force:
        return in_force[-1].name
    before = [p for p in profiles if p.valid_from <= day]
    return before[-1].name if before else institution.name


def name_matches(q: str) -> Q:
    """A filter on :class:`Institution`: the current or an earlier name contains ``q``."""
    former = InstitutionProfile.objects.filter(institution=OuterRef("pk"), name__icontains=q)
    return Q(name__icontains=q) | Q(Exists(former))


def with_matched_former_name(qs: QuerySet[Institution], q: str) -> QuerySet[Institution]:
    """Annotate ``matched_former_name``: an earlier name containing ``q`` when the current one does not
    (so a result found by its old name is labelled with the name it has now, and why it matched)."""
    if not q:
        return qs
    former = (
        InstitutionProfile.objects.filter(institution=OuterRef("pk"), name__icontains=q)
        .exclude(name=OuterRef("name"))
        .order_by("-valid_from")
        .values("name")[:1]
    )
    return qs.annotate(matched_former_name=Subquery(former))


def institution_search(q: str, *, queryset: QuerySet[Institution] | None = None) -> QuerySet[Institution]:
    """Institutions whose current or earlier name contains ``q``, or whose credit code is ``q``;
    annotated with ``matched_former_name`` (see :func:`with_matched_former_name`)."""
    qs = queryset if queryset is not None else Institution.objects.all()
    q = (q or "").strip()
    if not q:
        return qs
    return with_matched_former_name(qs.filter(name_matches(q) | Q(credit_code__iexact=q.upper())), q)


def institution_filter(qs: QuerySet[Institution], params: Any) -> QuerySet[Institution]:
    """Apply the list page's filters: q (current or earlier name / credit code), region (code prefix),
    status, category, mode, fund (1/0), active_on (date) with category.

    With ``active_on`` the fund filter uses the supervision flag in force on that date and each row
    carries its values on that date (:func:`with_values_on`)."""
    q = (params.get("q") or "").strip()
    if q:
        qs = institution_search(q, queryset=qs)
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
    active_on = (params.get("active_on") or "").strip()
    day: dt.date | None = None
    if active_on:
        try:
            day = dt.date.fromisoformat(active_on)
        except ValueError:
            day = None
        if day:
            qs = with_values_on(
                institutions_active_on(day, category=params.get("category") or None, queryset=qs), day
            )
    fund = params.get("fund")
    if fund in ("1", "0"):
        if day:
            qs = qs.filter(supervised_on(day)) if fund == "1" else qs.exclude(supervised_on(day))
        else:
            qs = qs.filter(fund_supervised=fund == "1")
    return qs


def public_whitelist(*, q: str = "", county: str = "") -> QuerySet[Institution]:
    """白名单: institutions holding a licence (已审批 / 整改中), searchable by name, code or county."""
    qs: QuerySet[Institution] = Institution.objects.filter(
        status__in=[Status.LICENSED, Status.RECTIFYING]
    ).select_related("county")
    if q:
        qs = with_matched_former_name(
            qs.filter(name_matches(q) | Q(credit_code__iexact=q.upper()) | Q(county__full_name__contains=q)),
            q,
        )
    if county:
        qs = qs.filter(Q(county_id=county) | Q(county__name__contains=county))
    return qs.order_by("county_id", "name")


def public_blacklist(*, q: str = "") -> QuerySet[Institution]:
    """黑名单: licences revoked (吊销) and unlicensed operators closed (无证取缔), searchable by the
    current or an earlier name or the credit code (``q``).

    Each row carries ``listed_on`` (date): the date the lifecycle transition recorded
    (``status_changed_on``), else — for records that predate it — the last episode's end date.
    """
    qs: QuerySet[Institution] = Institution.objects.filter(status__in=[Status.REVOKED, Status.BANNED])
    if q:
        qs = institution_search(q, queryset=qs)
    return (
        qs.select_related("county")
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
        former = InstitutionProfile.objects.filter(institution=OuterRef("institution"), name__icontains=q)
        qs = qs.filter(
            Q(institution__name__icontains=q)
            | Q(institution__credit_code__iexact=q.upper())
            | Q(Exists(former))
        )
    return qs
