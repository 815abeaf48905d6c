"""Reads of school–enterprise cooperation: the querysets behind every figure and page.

Definitions (DESIGN.md kpis contract, stocks on the as-of date D):
- a programme counts when it is filed (已备案 / 已结业), its agreement was signed on or before D and it
  had not ended on D (结束日期 empty or after D), and its school is open on D;
- a school pilots 1+X on D when it hosts a site active on D or one of its sites held an assessment
  with candidates in the calendar year of D;
- a site counts as built (累计建设) once approved on or before D, revoked or not.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from django.db.models import Exists, OuterRef, Q, QuerySet, Sum

from shuangjian.vocational.choices import Level as VocationalLevel

from .choices import COUNTED_STATES, ProgrammeKind, SiteState
from .majors import major_category_name
from .models import AssessmentSession, AssessmentSite, OrderClassOutcome, Programme

ASSOCIATE_LEVEL = VocationalLevel.ASSOCIATE  # 高职专科


def school_open_q(day: dt.date, prefix: str = "") -> Q:
    """Schools open on ``day`` (the vocational registry's rule: founded, not yet closed)."""
    from shuangjian.vocational.models import open_on_q

    return open_on_q(day, prefix)


def active_programmes(qs: QuerySet, day: dt.date, kind: str | None = None) -> QuerySet:
    """Filed programmes of ``qs`` active on ``day`` at a school open on ``day``."""
    qs = (
        qs.filter(state__in=COUNTED_STATES, agreement_signed_on__lte=day)
        .filter(Q(ended_on__isnull=True) | Q(ended_on__gt=day))
        .filter(school_open_q(day, "school__"))
    )
    return qs.filter(kind=kind) if kind else qs


def apprenticeship_programmes(qs: QuerySet, day: dt.date) -> QuerySet:
    """Active apprenticeship programmes at 高职专科 schools (the document's 67 / 418 / 5万)."""
    return active_programmes(qs, day, ProgrammeKind.APPRENTICESHIP).filter(school__level=ASSOCIATE_LEVEL)


def schools_with(schools: QuerySet, programmes: QuerySet) -> QuerySet:
    """Schools of ``schools`` having at least one of ``programmes``."""
    return schools.filter(Exists(programmes.filter(school=OuterRef("pk"))))


def distinct_majors(programmes: QuerySet) -> int:
    """Distinct school × major pairs among ``programmes``."""
    return programmes.values("school_id", "major_code").distinct().count()


def students(programmes: QuerySet) -> int:
    return programmes.aggregate(n=Sum("students"))["n"] or 0


def sites_built(qs: QuerySet, day: dt.date) -> QuerySet:
    """Sites approved on or before ``day`` (revoked ones included: 累计建设)."""
    return qs.filter(state__in=[SiteState.APPROVED, SiteState.REVOKED], approved_on__lte=day)


def sites_active(qs: QuerySet, day: dt.date) -> QuerySet:
    return sites_built(qs, day).filter(Q(revoked_on__isnull=True) | Q(revoked_on__gt=day))


def piloting_schools(schools: QuerySet, day: dt.date) -> QuerySet:
    """Schools of ``schools`` piloting 1+X on ``day`` (DESIGN.md)."""
    active = sites_active(AssessmentSite.objects.all(), day).filter(school=OuterRef("pk"))
    sat = AssessmentSession.objects.filter(
        site__school=OuterRef("pk"), held_on__year=day.year, held_on__lte=day, candidates__gt=0
    )
    return schools.filter(Exists(active) | Exists(sat))


def outcomes_in(qs: QuerySet, date_from: dt.date, date_to: dt.date) -> QuerySet:
    """Order-class outcomes (毕业去向) of programmes in ``qs`` graduated in [date_from, date_to]."""
    return OrderClassOutcome.objects.filter(
        programme__in=qs, graduated_on__gte=date_from, graduated_on__lte=date_to
    )


def placement_window(
    as_of: dt.date, date_from: dt.date | None, date_to: dt.date | None
) -> tuple[dt.date, dt.date]:
    """The graduation window of placement rates: the given period, else the 12 months up to ``as_of``."""
    if date_from or date_to:
        return date_from or dt.date(as_of.year, 1, 1), date_to or as_of
    return as_of - dt.timedelta(days=364), as_of


@dataclass
class PlacementRow:
    """Placement figures of one group (a programme, a school or an enterprise)."""

    key: Any
    label: str
    graduates: int = 0
    hired_by_orderer: int = 0
    classes: int = 0

    @property
    def rate(self) -> float | None:
        from shuangjian.common.kpicards import rate

        return rate(self.hired_by_orderer, self.graduates)


def placement_by(outcomes: QuerySet, group: str) -> list[PlacementRow]:
    """Placement per ``group`` ("programme", "school" or "enterprise"), lowest rate first."""
    rows: dict[Any, PlacementRow] = {}
    for o in outcomes.select_related("programme__school", "programme__enterprise"):
        p = o.programme
        key, label = {
            "programme": (p.pk, f"{p.code} {p.school.name} {p.major_name or p.major_code}"),
            "school": (p.school_id, p.school.name),
            "enterprise": (p.enterprise_id, p.enterprise.name),
        }[group]
        row = rows.setdefault(key, PlacementRow(key, label))
        row.graduates += o.graduates
        row.hired_by_orderer += o.hired_by_orderer
        row.classes += 1
    return sorted(rows.values(), key=lambda r: (r.rate is None, r.rate or 0, r.label))


def pass_rates(sessions: QuerySet) -> dict[str, dict[str, int]]:
    """Candidates and passes per level: {level: {"candidates": n, "passed": m}}."""
    out: dict[str, dict[str, int]] = defaultdict(lambda: {"candidates": 0, "passed": 0})
    for row in sessions.values("level").annotate(c=Sum("candidates"), p=Sum("passed")):
        out[row["level"]] = {"candidates": row["c"] or 0, "passed": row["p"] or 0}
    return dict(out)


def by_city(programmes: QuerySet) -> dict[str, dict[str, int]]:
    """{city code: {"schools": n, "students": m, "programmes": k}} of ``programmes``."""
    out: dict[str, dict[str, Any]] = {}
    for city, school_id, n in programmes.values_list("school__county_id", "school_id", "students"):
        row = out.setdefault(city[:4] + "00", {"schools": set(), "students": 0, "programmes": 0})
        row["schools"].add(school_id)
        row["students"] += n
        row["programmes"] += 1
    return {
        k: {"schools": len(v["schools"]), "students": v["students"], "programmes": v["programmes"]}
        for k, v in sorted(out.items())
    }


def by_major_category(programmes: QuerySet) -> dict[str, dict[str, int]]:
    """{专业大类 name: {"majors": school×major pairs, "students": m}} of ``programmes``."""
    out: dict[str, dict[str, Any]] = {}
    for school_id, code, n in programmes.values_list("school_id", "major_code", "students"):
        row = out.setdefault(major_category_name(code), {"majors": set(), "students": 0})
        row["majors"].add((school_id, code))
        row["students"] += n
    return {
        k: {"majors": len(v["majors"]), "students": v["students"]}
        for k, v in sorted(out.items(), key=lambda kv: -kv[1]["students"])
    }


def overdue_reviews(qs: QuerySet, today: dt.date) -> QuerySet:
    """Submitted programmes past their review deadline."""
    from .choices import FilingState

    return qs.filter(state=FilingState.SUBMITTED, review_due_on__lt=today)


def programmes_visible(user: Any) -> QuerySet:
    return Programme.objects.visible_to(user).select_related("school", "school__county", "enterprise")
