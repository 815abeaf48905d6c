"""Template filters for institution names in records of other areas (custody ledger, reports, risk,
enforcement): a record shows the institution's current name, and — where the record dates from a
time when the institution bore another name (a 2021 contract, a 2022 report) — that name too.

    {% load registry_names %}
    {{ contract.institution.name }}{% with then=contract.institution|name_then:contract.opened_at %}
    {% if then %}（缴费时名称：{{ then }}）{% endif %}{% endwith %}
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import template
from django.utils import timezone

register = template.Library()


@register.filter
def name_then(institution: Any, when: dt.date | dt.datetime | None) -> str:
    """The institution's name on ``when`` (a date, or a datetime taken as its Shanghai date) when it
    differs from the current name; "" when it is the same, or without an institution or a date."""
    from shuangjian.institutions.selectors import institution_name_on

    if institution is None or when is None or not getattr(institution, "pk", None):
        return ""
    day = timezone.localdate(when) if isinstance(when, dt.datetime) else when
    name = institution_name_on(institution, day)
    return name if name != institution.name else ""
