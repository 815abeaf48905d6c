"""Figures computed ahead of the page (指标快照): the dashboards read them instead of computing 60-odd
KPIs per view (issue 19 item 7).

One definition per figure stays in :mod:`shuangjian.stats.kpis`; this module only decides *when*
it is computed:

- the daily job ``stats_snapshots`` (03:00 Asia/Shanghai, after the night's scans) computes every
  KPI of every region (province, cities, counties) for today and the period from 1 January, and the
  dashboard's monthly series for the last 12 month ends (:func:`snapshots_build`);
- every write to records behind the figures inserts a :class:`~shuangjian.stats.models.RecordChange`
  in the writer's own transaction — Django's ``post_save``/``post_delete`` of every model that
  declares ``scope_region_field``, rule and calendar changes, and
  :data:`shuangjian.common.signals.records_changed` sent by imports, bulk writes and daily jobs;
- a periodic task (every minute) recomputes the snapshots a change made stale
  (:func:`snapshots_refresh`); a page asking for a key nobody computed yet computes it once and
  stores it;
- pages show when their figures were computed (数据截至) and whether newer records are waiting.

A snapshot is fresh while no change of its region (or of its subtree, or of everything) came after
``computed_at - CHANGE_SLACK``: a writer's change row carries the time of its insert, which may be
before its commit, so a computation that started shortly after it may not have seen it.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ObjectDoesNotExist
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone

from shuangjian.regions.models import Region

from .kpis import KPIS, KpiContext, compute_kpis
from .models import KpiSnapshot, RecordChange

logger = logging.getLogger(__name__)

#: How long before a computation started a change may still have been uncommitted (see module doc).
CHANGE_SLACK = dt.timedelta(minutes=2)
#: Month ends of the dashboard's time series kept as snapshots.
SERIES_MONTHS = 12

Key = tuple[str, dt.date, dt.date, dt.date]  # (region code, as_of, date_from, date_to)


@dataclass
class Figures:
    """KPI values of one key, when they were computed, and whether records changed since."""

    values: dict[str, Any]
    computed_at: dt.datetime
    fresh: bool


# --- Which regions a change touches ----------------------------------------------------------------
def change_columns(code: str) -> dict[str, str]:
    """The :class:`RecordChange` columns of a record held at region ``code`` (6 digits, GB/T 2260):
    a county fills county, city and province; a city fills city and province; a province only
    province."""
    province = code[:2] + "0000"
    if code == province:
        return {"province": province}
    city = code[:4] + "00"
    if code == city:
        return {"city": city, "province": province}
    return {"county": code, "city": city, "province": province}


def changes_record(regions: Iterable[str] | None, *, at: dt.datetime | None = None) -> None:
    """Insert the change rows of a write to records of ``regions`` (codes; None: everything)."""
    at = at or timezone.now()
    if regions is None:
        RecordChange.objects.create(at=at, everything=True)
        return
    codes = sorted({c for c in regions if c and len(c) == 6})
    if codes:
        RecordChange.objects.bulk_create([RecordChange(at=at, **change_columns(c)) for c in codes])


def _region_code_of(instance: Any, path: str) -> str | None:
    """The region code behind ``instance`` along its ``scope_region_field`` path, None when unknown."""
    parts = path.split("__")
    obj = instance
    try:
        for part in parts[:-1]:
            obj = getattr(obj, part, None)
            if obj is None:
                return None
        return getattr(obj, parts[-1] + "_id", None)
    except ObjectDoesNotExist:
        return None


def _on_record_saved(sender: Any, instance: Any, raw: bool = False, **kwargs: Any) -> None:
    if raw:
        return
    path = getattr(sender, "scope_region_field", None)
    if path is None:
        return
    code = _region_code_of(instance, path)
    changes_record([code] if code else None)


def _on_rules_changed(sender: Any, raw: bool = False, **kwargs: Any) -> None:
    if not raw:
        changes_record(None)


def _on_records_changed(sender: Any, regions: frozenset[str] | None = None, **kwargs: Any) -> None:
    changes_record(regions)


def receivers_connect() -> None:
    """Connect the receivers (``StatsConfig.ready``)."""
    from django.db.models.signals import post_delete, post_save

    from shuangjian.common.models import CalendarDay, RuleParameter
    from shuangjian.common.signals import records_changed

    post_save.connect(_on_record_saved, dispatch_uid="stats_snapshot_saved")
    post_delete.connect(_on_record_saved, dispatch_uid="stats_snapshot_deleted")
    for model in (RuleParameter, CalendarDay):
        post_save.connect(
            _on_rules_changed, sender=model, dispatch_uid=f"stats_snapshot_rules_{model.__name__}"
        )
        post_delete.connect(
            _on_rules_changed, sender=model, dispatch_uid=f"stats_snapshot_rules_d_{model.__name__}"
        )
    records_changed.connect(_on_records_changed, dispatch_uid="stats_snapshot_records_changed")


# --- Reading -------------------------------------------------------------------------------------
def _level_column(code: str) -> str:
    columns = change_columns(code)
    return "county" if "county" in columns else "city" if "city" in columns else "province"


def last_changes(codes: Iterable[str]) -> dict[str, dt.datetime | None]:
    """``{code: time of the last change touching its subtree (or everything)}`` in four queries."""
    codes = set(codes)
    everything = RecordChange.objects.filter(everything=True).aggregate(m=Max("at"))["m"]
    out: dict[str, dt.datetime | None] = dict.fromkeys(codes, everything)
    by_column: dict[str, list[str]] = {}
    for code in codes:
        by_column.setdefault(_level_column(code), []).append(code)
    for column, members in by_column.items():
        rows = (
            RecordChange.objects.filter(**{f"{column}__in": members})
            .values(column)
            .annotate(m=Max("at"))
            .values_list(column, "m")
        )
        for code, at in rows:
            current = out[code]
            out[code] = at if current is None or at > current else current
    return out


def _fresh(computed_at: dt.datetime, changed: dt.datetime | None, *, slack: bool = False) -> bool:
    """No change after the computation started (with ``slack``: none in the slack before it either)."""
    return changed is None or changed < computed_at - (CHANGE_SLACK if slack else dt.timedelta(0))


def _compute(key: Key, ids: Sequence[str]) -> dict[str, Any]:
    code, as_of, date_from, date_to = key
    ctx = KpiContext(as_of=as_of, date_from=date_from, date_to=date_to, region_code=code, user=None)
    return compute_kpis(ctx, list(ids))


def _store(key: Key, values: dict[str, Any], computed_at: dt.datetime) -> None:
    code, as_of, date_from, date_to = key
    try:
        with transaction.atomic():
            KpiSnapshot.objects.update_or_create(
                region_id=code,
                as_of=as_of,
                date_from=date_from,
                date_to=date_to,
                defaults={"values": values, "computed_at": computed_at},
            )
    except IntegrityError:  # a concurrent page stored the same key first: theirs is as good
        pass


def figures_for(keys: Sequence[Key], ids: Sequence[str]) -> dict[Key, Figures]:
    """The KPIs ``ids`` for each key ``(region code, as_of, date_from, date_to)``, from snapshots.

    A key without a snapshot is computed now and stored; ids a snapshot lacks are computed now and
    added to it. A stale snapshot is served as it is (``fresh`` False) — the minute task
    recomputes it. The figures are a regulator's view of the region's subtree; callers check that
    the user may see the region (:func:`shuangjian.common.scoping.region_visible_to`).
    A fixed number of queries for the snapshots and their freshness, plus the computations needed.
    """
    ids = list(dict.fromkeys(ids))
    wanted = list(dict.fromkeys(keys))
    if not wanted:
        return {}
    codes = {k[0] for k in wanted}
    stored = {
        (s.region_id, s.as_of, s.date_from, s.date_to): s
        for s in KpiSnapshot.objects.filter(
            region_id__in=codes, as_of__in={k[1] for k in wanted}, date_from__in={k[2] for k in wanted}
        )
    }
    changes = last_changes(codes)
    out: dict[Key, Figures] = {}
    for key in wanted:
        snapshot = stored.get(key)
        if snapshot is None:
            started = timezone.now()
            values = _compute(key, ids)
            _store(key, values, started)
            out[key] = Figures(values, started, _fresh(started, changes[key[0]]))
            continue
        values = dict(snapshot.values)
        missing = [k for k in ids if k not in values]
        if missing:
            values.update(_compute(key, missing))
            # Added only if nobody recomputed the snapshot meanwhile (theirs would be newer).
            KpiSnapshot.objects.filter(pk=snapshot.pk, computed_at=snapshot.computed_at).update(values=values)
        out[key] = Figures(
            {k: values[k] for k in ids}, snapshot.computed_at, _fresh(snapshot.computed_at, changes[key[0]])
        )
    return out


def figures_one(
    code: str, as_of: dt.date, date_from: dt.date, date_to: dt.date, ids: Sequence[str]
) -> Figures:
    """:func:`figures_for` of one key."""
    key = (code, as_of, date_from, date_to)
    return figures_for([key], ids)[key]


# --- Computing ahead -----------------------------------------------------------------------------
def month_keys(code: str, as_of: dt.date, months: int = SERIES_MONTHS) -> list[Key]:
    """The keys of the dashboard's monthly series: each month end up to ``as_of``, its month's period."""
    from .selectors import month_ends

    return [(code, day, day.replace(day=1), day) for day in month_ends(as_of, months)]


def today_key(code: str, day: dt.date) -> Key:
    """The dashboard's default key: as of ``day``, period from 1 January of its year."""
    return (code, day, dt.date(day.year, 1, 1), day)


def _province_regions() -> list[str]:
    from shuangjian.common.rules import province_code

    return list(
        Region.objects.filter(code__startswith=province_code()[:2])
        .order_by("-level", "code")
        .values_list("code", flat=True)
    )


def snapshots_build(day: dt.date, *, progress: Any = None) -> dict[str, int]:
    """The daily job: every KPI of every region of the province as of ``day`` (period from 1
    January), and the series KPIs at the last 12 month ends; snapshots of other keys are deleted,
    and change rows older than every snapshot pruned. Returns counts ``{"regions", "snapshots",
    "deleted"}``. One transaction per region."""
    from .selectors import series_kpis

    codes = _province_regions()
    series = series_kpis()
    everything = list(KPIS)
    made = 0
    keep: set[Key] = set()
    for done, code in enumerate(codes, start=1):
        plan: list[tuple[Key, list[str]]] = [(today_key(code, day), everything)]
        plan += [(key, series) for key in month_keys(code, day) if key != plan[0][0]]
        for key, ids in plan:
            started = timezone.now()
            _store(key, _compute(key, ids), started)
            keep.add(key)
            made += 1
        if progress:
            progress(done, len(codes))
    deleted = 0
    for snapshot in KpiSnapshot.objects.only("region_id", "as_of", "date_from", "date_to").iterator():
        if (snapshot.region_id, snapshot.as_of, snapshot.date_from, snapshot.date_to) not in keep:
            snapshot.delete()
            deleted += 1
    changes_prune()
    return {"regions": len(codes), "snapshots": made, "deleted": deleted}


def changes_prune() -> int:
    """Delete change rows no snapshot needs any more (older than every snapshot's computation)."""
    first = KpiSnapshot.objects.order_by("computed_at").values_list("computed_at", flat=True).first()
    if first is None:
        return 0
    deleted, _ = RecordChange.objects.filter(at__lt=first - CHANGE_SLACK).delete()
    return deleted


def snapshots_refresh(
    *, codes: Iterable[str] | None = None, slack: bool = True, now: dt.datetime | None = None
) -> dict[str, int]:
    """Recompute every stale snapshot of the last 13 months (the ids it holds) and delete stale
    older ones — of the regions ``codes``, or of all (the minute task). ``slack``: a change less
    than :data:`CHANGE_SLACK` before a computation also counts (the minute task; a regulator's
    立即刷新 recomputes only what is visibly stale). Returns ``{"refreshed", "deleted"}``."""
    now = now or timezone.now()
    horizon = timezone.localdate(now) - dt.timedelta(days=400)
    # Values are read only for the snapshots that need recomputing (the minute task runs on all).
    snapshots = KpiSnapshot.objects.defer("values")
    if codes is not None:
        snapshots = snapshots.filter(region_id__in=set(codes))
    rows = list(snapshots)
    changes = last_changes({s.region_id for s in rows})
    refreshed = deleted = 0
    # Counties first, then cities, then the province (a page reads its children's rows too).
    for snapshot in sorted(rows, key=lambda s: (-len(s.region_id.rstrip("0")), s.region_id, s.as_of)):
        if _fresh(snapshot.computed_at, changes[snapshot.region_id], slack=slack):
            continue
        if snapshot.as_of < horizon:
            snapshot.delete()
            deleted += 1
            continue
        key = (snapshot.region_id, snapshot.as_of, snapshot.date_from, snapshot.date_to)
        started = timezone.now()
        _store(key, _compute(key, list(snapshot.values)), started)
        refreshed += 1
    return {"refreshed": refreshed, "deleted": deleted}


def snapshots_build_job(day: dt.date) -> tuple[dict[str, int], list[str]]:
    """The daily job ``stats_snapshots`` (03:00, registered in :mod:`shuangjian.common.operations`):
    :func:`snapshots_build` for ``day``, counts ``{"regions", "snapshots", "deleted"}``, no warnings."""
    return snapshots_build(day), []
