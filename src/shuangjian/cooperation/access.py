"""Who may do what in the cooperation area (the vocational school's staff, the reviewing level).

A vocational school's staff (role 职业院校) file their own school's programmes, agreements, mentors,
apprentices, plans, reports, outcomes and 1+X site applications. Filing review (备案审核) belongs to the
school's county or city regulator for a 中职, to the province for a 高职专科 or 职业本科 school; 1+X sites
are reviewed by the province (H2: certificates and sites are filed with the 省教育厅).
"""

from __future__ import annotations

from typing import Any

from shuangjian.accounts.models import Role
from shuangjian.vocational.choices import Level as VocationalLevel

SECONDARY_LEVEL = VocationalLevel.SECONDARY


def user_school_id(user: Any) -> int | None:
    """The vocational school a user works for (None for everyone else)."""
    return getattr(user, "vocational_school_id", None)


def is_school_staff_of(user: Any, school: Any) -> bool:
    """Whether ``user`` is staff of ``school`` (superusers count as everyone's staff)."""
    if getattr(user, "is_superuser", False):
        return True
    school_id = user_school_id(user)
    return bool(school_id) and school_id == school.pk


def reviewer_level_label(school: Any) -> str:
    """Chinese name of the level that reviews the filings of ``school``."""
    return "县级或市级教育行政部门" if school.level == SECONDARY_LEVEL else "省级教育行政部门"


def can_review_filing(user: Any, school: Any) -> bool:
    """中职: a county or city regulator whose region contains the school; 高职/本科: the province."""
    if getattr(user, "is_superuser", False):
        return True
    if not getattr(user, "is_regulator", False) or not user.region_id:
        return False
    if not user.region.contains(school.county_id):
        return False
    if school.level == SECONDARY_LEVEL:
        return user.role in (Role.COUNTY, Role.CITY)
    return user.role == Role.PROVINCE


def can_review_site(user: Any, school: Any) -> bool:
    """1+X assessment sites: the provincial regulator."""
    if getattr(user, "is_superuser", False):
        return True
    return bool(
        getattr(user, "is_regulator", False)
        and user.role == Role.PROVINCE
        and user.region.contains(school.county_id)
    )
