"""Test support shared by every area: the scoping-coverage registry.

Each area lists, in ``shuangjian/<area>/testing.py``:

- ``SCOPE_CASES``: one :class:`ScopeCase` per list/detail page or API endpoint that shows
  region-scoped records. The central test (``common/tests/test_scoping.py``) creates a record in
  county B and checks that a county-A regulator gets 404 on its detail URL and does not see it in
  the list, while county B's regulator does (so the case itself can fail).
- ``SCOPE_EXEMPT``: url name → reason, for views that show no region-scoped record (login, the
  caller's own password, public pages that only show public data, pure actions covered by their own
  tests).

A URL that is in neither fails the central test, which prints the uncovered names.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Literal

from shuangjian.common.codes import credit_code_make
from shuangjian.regions.models import Region

_counter = {"n": 0}


def make_credit_code(county: str = "430102") -> str:
    """A fresh valid credit code registered in ``county`` (for tests and demo data)."""
    _counter["n"] += 1
    return credit_code_make(f"52{county}MJ{_counter['n']:07d}")


@dataclass(frozen=True)
class ScopeCase:
    """A scoped page or endpoint.

    ``make(county)`` creates one record in ``county`` and returns ``(url_kwargs, marker)``: the
    kwargs to reverse ``url_name`` (empty for a list) and a text that identifies the record in the
    list's response (a name or code). ``kind`` is "detail" (expects 404 across counties) or "list".
    ``query`` is appended to the URL (``?format=json``...).
    """

    url_name: str
    kind: Literal["detail", "list"]
    make: Callable[[Region], tuple[dict[str, Any], str]]
    query: str = ""


def make_institution(county: Region | str, name: str | None = None, **fields: Any):
    """A saved institution in ``county`` with a valid credit code (tests only)."""
    from shuangjian.institutions.models import Institution

    code = county if isinstance(county, str) else county.code
    credit_code = make_credit_code(code)
    return Institution.objects.create(
        credit_code=credit_code, name=name or f"测试机构{credit_code[-6:]}", county_id=code, **fields
    )
