"""Scoping coverage of the vocational pages (see shuangjian.common.testing), and test helpers."""

from __future__ import annotations

import itertools
from typing import Any

from shuangjian.common.testing import ScopeCase

_seq = itertools.count(1)


def make_vocational_school(county: Any, *, level: str = "SECONDARY", sponsor: str = "PUBLIC", name: str | None = None,
                           **fields: Any):
    """A saved vocational school in ``county`` (a Region or a code) with a valid 10-digit 学校标识码."""
    from .models import IDENTIFIER_TYPE, Level, VocationalSchool

    code = county if isinstance(county, str) else county.code
    n = next(_seq)
    school = VocationalSchool(
        code=f"{IDENTIFIER_TYPE[Level(level)]}43{n:06d}", name=name or f"测试职校{code}-{n}", county_id=code,
        level=level, sponsor=sponsor, **fields,
    )
    school.full_clean()
    school.save()
    return school


SCOPE_CASES: list[ScopeCase] = []
SCOPE_EXEMPT: dict[str, str] = {}
