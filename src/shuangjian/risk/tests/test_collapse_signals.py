"""The signals drawn from public collapse accounts (issue 19 item 6): each fires on crafted records made
through the services, and stays quiet on the benign counterpart (DbSource → scorer)."""

from __future__ import annotations

import datetime as dt
import itertools

import pytest
from django.utils import timezone

from shuangjian.common.testing import make_institution
from shuangjian.risk.scoring import params_default, score
from shuangjian.risk.signals import DbSource, gather

from .helpers import COUNTY, TODAY, at, steady_institution

pytestmark = pytest.mark.django_db
_ids = itertools.count(1)


def fired(inst, day) -> dict[str, float]:
    return {f.key: f.points for f in score(gather(DbSource(), inst.pk, day), params_default()).fired}


def _id_number() -> str:
    """A valid 18-digit ID number (GB 11643 check digit), a different one on each call."""
    body = f"43010219800101{next(_ids):03d}"
    weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
    check = "10X98765432"[sum(int(c) * w for c, w in zip(body, weights, strict=True)) % 11]
    return body + check


def _roster(inst, n: int, *, days_ago: int):
    """``n`` practitioners registered through the service, their audit rows dated ``days_ago`` days back."""
    from shuangjian.institutions.choices import StaffRole
    from shuangjian.institutions.models import Practitioner
    from shuangjian.institutions.services import practitioner_save

    people = [
        practitioner_save(
            institution=inst, actor=None, name=f"教师{k}", id_number=_id_number(), role=StaffRole.TEACHER
        )
        for k in range(n)
    ]
    when = timezone.now() - dt.timedelta(days=days_ago)
    Practitioner.history.filter(id__in=[p.pk for p in people]).update(history_date=when)
    return people


def _leave(people) -> None:
    from shuangjian.institutions.services import practitioner_save

    for p in people:
        practitioner_save(
            institution=p.institution, actor=None, name=p.name, role=p.role, active=False, practitioner=p
        )


def test_staff_leaving_unreplaced_fires():
    today = timezone.localdate()
    inst = make_institution(COUNTY)
    people = _roster(inst, 6, days_ago=200)
    assert "staff" not in fired(inst, today)
    _leave(people[:3])
    inputs = gather(DbSource(), inst.pk, today)
    assert (inputs.staff_before, inputs.staff_left, inputs.staff_joined) == (6, 3, 0)
    assert "staff" in fired(inst, today)
    # looked at from before the departures, nothing had happened yet
    assert "staff" not in fired(inst, today - dt.timedelta(days=1))


def test_staff_leaving_replaced_stays_quiet():
    """A staff turnover the institution makes good (new practitioners registered) is not the sign."""
    today = timezone.localdate()
    inst = make_institution(COUNTY)
    people = _roster(inst, 6, days_ago=200)
    _roster(inst, 3, days_ago=5)
    _leave(people[:3])
    inputs = gather(DbSource(), inst.pk, today)
    assert (inputs.staff_left, inputs.staff_joined) == (3, 3)
    assert "staff" not in fired(inst, today)


def test_staff_departure_counted_once():
    """A practitioner who left before the window and is edited again inside it is not a new departure."""
    from shuangjian.institutions.models import Practitioner

    today = timezone.localdate()
    inst = make_institution(COUNTY)
    people = _roster(inst, 4, days_ago=200)
    _leave(people[:2])
    Practitioner.history.filter(id__in=[p.pk for p in people[:2]], active=False).update(
        history_date=timezone.now() - dt.timedelta(days=100)
    )
    _leave([Practitioner.objects.get(pk=people[0].pk)])  # an edit of someone already gone
    inputs = gather(DbSource(), inst.pk, today)
    assert (inputs.staff_before, inputs.staff_left) == (2, 0)
    assert "staff" not in fired(inst, today)


def _leave_at(people, days_ago: int) -> None:
    """``people`` leave the roster (through the service), their departure dated ``days_ago`` days back."""
    from shuangjian.institutions.models import Practitioner

    _leave(people)
    Practitioner.history.filter(id__in=[p.pk for p in people], active=False).update(
        history_date=timezone.now() - dt.timedelta(days=days_ago)
    )


def test_staff_trickling_out_over_months_fires_on_the_180_day_window():
    """Leavers spread over half a year (wages in arrears for months, A1, A4, A11): none in the last 60
    days, three of eight unreplaced in 180 — the long window catches what the 60-day one cannot."""
    today = timezone.localdate()
    inst = make_institution(COUNTY)
    people = _roster(inst, 8, days_ago=300)
    for person, days_ago in zip(people[:3], (150, 120, 90), strict=True):
        _leave_at([person], days_ago)
    inputs = gather(DbSource(), inst.pk, today)
    assert (inputs.staff_left, inputs.staff_joined) == (0, 0)
    assert (inputs.staff_long_before, inputs.staff_long_left, inputs.staff_long_joined) == (8, 3, 0)
    explanation = [f for f in score(inputs, params_default()).fired if f.key == "staff"]
    assert explanation and explanation[0].value.startswith("180日内离职3人")
    # half a year before, the roster was whole
    assert "staff" not in fired(inst, today - dt.timedelta(days=151))


def test_staff_trickling_out_but_replaced_stays_quiet():
    """The same departures made good by new practitioners (ordinary turnover) stay quiet on both windows."""
    today = timezone.localdate()
    inst = make_institution(COUNTY)
    people = _roster(inst, 8, days_ago=300)
    for person, days_ago in zip(people[:3], (150, 120, 90), strict=True):
        _leave_at([person], days_ago)
    _roster(inst, 3, days_ago=80)
    inputs = gather(DbSource(), inst.pk, today)
    assert (inputs.staff_long_left, inputs.staff_long_joined) == (3, 3)
    assert "staff" not in fired(inst, today)


def _item(inst):
    from shuangjian.institutions.choices import Category, Grade, Mode
    from shuangjian.institutions.services import item_save

    return item_save(
        institution=inst,
        actor=None,
        name="少儿美术创作",
        description="绘画与手工",
        category=Category.NON_SUBJECT,
        subject_area="美术",
        grades=[Grade.values[0]],
        mode=Mode.OFFLINE,
        class_size="MEDIUM",
        class_minutes=45,
        total_hours=40,
        price_per_hour_fen=8_000,
    )


def _sessions(item, days: list[int], today: dt.date) -> None:
    from shuangjian.institutions.services import session_add

    for offset in days:
        session_add(
            item=item, actor=None, date=today + dt.timedelta(days=offset), start=dt.time(9), end=dt.time(10)
        )


def test_schedule_stopping_fires_and_a_filled_timetable_stays_quiet():
    today = timezone.localdate()
    inst = make_institution(COUNTY)
    item = _item(inst)
    _sessions(item, list(range(-27, 1, 2)), today)  # 14 sessions held in the last 28 days
    inputs = gather(DbSource(), inst.pk, today)
    assert (inputs.sessions_held, inputs.sessions_ahead) == (14, 0)
    assert "schedule" in fired(inst, today)
    _sessions(item, list(range(1, 28, 2)), today)  # the next four weeks scheduled as before
    assert "schedule" not in fired(inst, today)


def test_schedule_counts_only_sessions_scheduled_by_the_date():
    """Seen from yesterday, sessions added today were not on the timetable yet."""
    today = timezone.localdate()
    yesterday = today - dt.timedelta(days=1)
    inst = make_institution(COUNTY)
    item = _item(inst)
    _sessions(item, list(range(-27, 0, 2)), today)
    from shuangjian.institutions.models import TrainingSession

    TrainingSession.history.filter(item__isnull=False).update(
        history_date=timezone.now() - dt.timedelta(days=40)
    )
    _sessions(item, list(range(1, 28, 2)), today)
    assert gather(DbSource(), inst.pk, yesterday).sessions_ahead == 0
    assert "schedule" in fired(inst, yesterday)
    assert "schedule" not in fired(inst, today)


def test_long_package_drive_fires():
    """Prepayment per new contract doubling in the last 30 days (a long-package drive, README A1/A3/A10)."""
    from shuangjian.funds.services import payment_record

    inst = steady_institution(days=100)
    assert "package" not in fired(inst, TODAY)
    for k in range(5):
        payment_record(
            key=f"PKG{inst.pk}-{k}",
            institution=inst,
            contract_no=f"PKG{inst.pk}-{k}",
            student_ref=f"PKG{k}",
            hours=60,
            amount_fen=900_000,
            occurred_at=at(TODAY - dt.timedelta(days=3 + k)),
        )
    inputs = gather(DbSource(), inst.pk, TODAY)
    assert inputs.contracts_recent == 10 and inputs.package_ratio == pytest.approx(2.0)
    assert "package" in fired(inst, TODAY)


def test_package_needs_enough_new_contracts():
    from shuangjian.funds.services import payment_record

    inst = steady_institution(days=100, recent_pay_factor=0.2)
    payment_record(
        key=f"PKG{inst.pk}",
        institution=inst,
        contract_no=f"PKG{inst.pk}",
        student_ref="PKG",
        hours=60,
        amount_fen=900_000,
        occurred_at=at(TODAY - dt.timedelta(days=3)),
    )
    inputs = gather(DbSource(), inst.pk, TODAY)
    assert inputs.contracts_recent < 4 and inputs.package_ratio is not None and inputs.package_ratio > 1.5
    assert "package" not in fired(inst, TODAY)


def test_registry_change_fires_within_90_days():
    from shuangjian.institutions.models import InstitutionEpisode
    from shuangjian.institutions.services import institution_particulars_change

    today = timezone.localdate()
    inst = make_institution(COUNTY, category="NON_SUBJECT", mode="OFFLINE")
    InstitutionEpisode.objects.create(
        institution=inst,
        category="NON_SUBJECT",
        mode="OFFLINE",
        audiences="COMPULSORY",
        approved_on=today - dt.timedelta(days=400),
    )
    assert "registry" not in fired(inst, today)  # the episode's own start is no change
    institution_particulars_change(
        institution=inst, actor=None, on=today - dt.timedelta(days=10), name="新名称艺术培训", reason="更名"
    )
    assert gather(DbSource(), inst.pk, today).registry_changes == 1
    assert "registry" in fired(inst, today)
    assert "registry" not in fired(inst, today - dt.timedelta(days=11))
    assert "registry" not in fired(inst, today + dt.timedelta(days=85))


def test_prefetch_matches_single_for_the_new_signals():
    today = timezone.localdate()
    a, b = make_institution(COUNTY), make_institution(COUNTY)
    _leave(_roster(a, 5, days_ago=200)[:2])
    _sessions(_item(b), list(range(-20, 10, 3)), today)
    single = {i.pk: gather(DbSource(), i.pk, today) for i in (a, b)}
    source = DbSource()
    source.prefetch([a.pk, b.pk], today)
    assert {i.pk: gather(source, i.pk, today) for i in (a, b)} == single
    source.prefetch(COUNTY, today)
    assert {i.pk: gather(source, i.pk, today) for i in (a, b)} == single
