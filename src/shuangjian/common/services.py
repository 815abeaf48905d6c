"""Writes of the common area: rule parameter values (规则参数) set by the provincial regulator."""

from __future__ import annotations

from typing import Any

from django.db import transaction

from .audit import save_audited
from .models import RuleParameter
from .rules import RULES


@transaction.atomic
def rule_parameter_set(
    *, key: str, region_code: str | None, value: Any, note: str, actor: Any
) -> RuleParameter:
    """Store ``value`` as parameter ``key``'s value for ``region_code`` (None: the global row),
    creating the row with the declared source when absent; audited "修改规则参数：<note>".

    Raises ``KeyError`` for an undeclared key.
    """
    spec = RULES[key]
    row, _created = RuleParameter.objects.get_or_create(
        key=key,
        region_id=region_code or None,
        defaults={"value": value, "source": spec.source[:300], "note": note},
    )
    row.value, row.note = value, note
    return save_audited(row, user=actor, reason=f"修改规则参数：{note}")
