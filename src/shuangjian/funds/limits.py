"""The prepayment limits policy (预收费上限, RULES.md §1.2 and §1.3): which limits are in force for a
county (rule data, resolved through the common rule book) and which of them a prepayment breaches;
and the registry facts they depend on (whether an institution trains subject courses on a day).
The ledger operations (:mod:`.services`) and the bulk import (:mod:`.importers`) both apply it.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db.models import Q

from shuangjian.common.rules import resolve, rule_value

from . import rules
from .ledger import hours_text, yuan
from .models import ViolationRule


def add_months(day: dt.date, months: int) -> dt.date:
    """``day`` plus ``months`` calendar months (clamped to the month's last day)."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    for last in (31, 30, 29, 28):
        try:
            return dt.date(year, month, min(day.day, last))
        except ValueError:
            continue
    raise ValueError(day)


def is_subject_institution(institution_id: int, day: dt.date) -> bool:
    """Whether the institution has an active subject-training (学科类) episode on ``day``."""
    from shuangjian.institutions.models import InstitutionEpisode

    return InstitutionEpisode.objects.filter(
        Q(ended_on__isnull=True) | Q(ended_on__gt=day),
        institution_id=institution_id,
        category="SUBJECT",
        approved_on__lte=day,
    ).exists()


@dataclass(frozen=True)
class PrepaymentLimits:
    """The prepayment limits in force for one county (RULES.md §1.2, §1.3)."""

    max_hours_centi: int | None
    max_months: int | None
    max_fen_subject: int | None
    max_fen_non_subject: int | None

    @classmethod
    def for_county(
        cls, county_code: str, table: dict[str, dict[str | None, Any]] | None = None
    ) -> PrepaymentLimits:
        """The limits for ``county_code``; ``table`` (from :func:`rule_table`) avoids a query per rule."""

        def number(key: str) -> int | None:
            value = rule_value(key, county_code) if table is None else resolve(table, key, county_code)
            return None if value in (None, "") else int(value)

        hours = number(rules.MAX_HOURS.key)
        return cls(
            max_hours_centi=None if hours is None else hours * 100,
            max_months=number(rules.MAX_MONTHS.key),
            max_fen_subject=number(rules.MAX_FEN_SUBJECT.key),
            max_fen_non_subject=number(rules.MAX_FEN_NON_SUBJECT.key),
        )

    def breaches(
        self, *, hours_centi: int, amount_fen: int, start: dt.date, end: dt.date | None, subject: bool
    ) -> list[tuple[str, str, str]]:
        """(rule, Chinese detail, source) for every limit the prepayment exceeds."""
        found: list[tuple[str, str, str]] = []
        if self.max_hours_centi is not None and hours_centi > self.max_hours_centi:
            found.append(
                (
                    ViolationRule.HOURS,
                    f"一次性收取{hours_text(hours_centi)}课时费用，超过{hours_text(self.max_hours_centi)}课时上限",
                    rules.MAX_HOURS.source,
                )
            )
        if self.max_months is not None and end is not None and end > add_months(start, self.max_months):
            found.append(
                (
                    ViolationRule.SPAN,
                    f"收费覆盖{start}至{end}，超过{self.max_months}个月上限",
                    rules.MAX_MONTHS.source,
                )
            )
        cap = self.max_fen_subject if subject else self.max_fen_non_subject
        if cap is not None and amount_fen > cap:
            spec = rules.MAX_FEN_SUBJECT if subject else rules.MAX_FEN_NON_SUBJECT
            found.append(
                (
                    ViolationRule.AMOUNT,
                    f"一次性收费{yuan(amount_fen)}，超过{'学科类' if subject else '非学科类'}{yuan(cap)}上限",
                    spec.source,
                )
            )
        return found
