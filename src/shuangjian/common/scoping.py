"""THE region-scoping mechanism (DESIGN.md "Users and their places").

Every model a regulator, institution or school user may read uses :class:`ScopedQuerySet` (as its
manager) and declares where its region, institution and school live::

    class Institution(models.Model):
        scope_region_field = "county"          # path to a FK to regions.Region (keyed by code)
        scope_institution_field = "pk"          # institution users see their own row only
        objects = ScopedQuerySet.as_manager()

``Model.objects.visible_to(user)`` is then the only way views, API endpoints, exports and
statistics fetch records. A record outside the user's subtree is simply absent, so a detail view
built on it answers 404 — a county user never learns that another county's record exists.
"""

from __future__ import annotations

from typing import Any, Self

from django.db import models


def user_region_prefix(user: Any) -> str | None:
    """The region code prefix a regulator may see, "" for all, or None when the user sees no region."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return None
    if user.is_superuser:
        return ""
    if getattr(user, "is_regulator", False) and user.region_id:
        return user.region.subtree_prefix
    return None


class ScopedQuerySet(models.QuerySet):
    """A queryset that knows how to restrict itself to what a user may open."""

    def _path(self, attribute: str) -> str | None:
        return getattr(self.model, attribute, None)

    def in_region(self, region_code: str | None) -> Self:
        """Rows in the subtree of region ``region_code`` (all rows when None)."""
        if not region_code:
            return self
        from shuangjian.regions.models import Region

        region = Region.objects.get(code=region_code)
        return self.in_prefix(region.subtree_prefix)

    def in_prefix(self, prefix: str) -> Self:
        """Rows whose county code starts with ``prefix`` ("" means all)."""
        field = self._path("scope_region_field")
        if field is None:
            raise TypeError(f"{self.model.__name__} declares no scope_region_field")
        if not prefix:
            return self
        # ``county__code`` ends on the FK's own target column, so Django trims the join away.
        return self.filter(**{f"{field}__code__startswith": prefix})

    def visible_to(self, user: Any) -> Self:
        """Rows ``user`` may open: a regulator's subtree, an institution's or a school's own rows
        (a vocational school's staff: ``scope_vocational_school_field``).

        Anonymous, inactive and unbound users get an empty queryset. Superusers see everything.
        """
        prefix = user_region_prefix(user)
        if prefix is not None:
            if prefix == "":
                return self.all()
            if self._path("scope_region_field") is None:
                return self.none()
            return self.in_prefix(prefix)
        if not getattr(user, "is_authenticated", False) or not user.is_active:
            return self.none()
        institution_field = self._path("scope_institution_field")
        if getattr(user, "institution_id", None) and institution_field:
            return self.filter(**{institution_field: user.institution_id})
        school_field = self._path("scope_school_field")
        if getattr(user, "school_id", None) and school_field:
            return self.filter(**{school_field: user.school_id})
        vocational_field = self._path("scope_vocational_school_field")
        if getattr(user, "vocational_school_id", None) and vocational_field:
            return self.filter(**{vocational_field: user.vocational_school_id})
        return self.none()


class ScopedManager(models.Manager.from_queryset(ScopedQuerySet)):  # type: ignore[misc]
    """Manager form of :class:`ScopedQuerySet`."""


# --- Which regions a user may look at --------------------------------------------------------------
def regions_visible_to(user: Any, *, level: str | None = None, include_own: bool = True) -> Any:
    """THE regions-visible-to selector: the divisions a user may pick in a filter or open a
    statistics page for — a regulator's own region and its subtree, a superuser's whole province
    (rule ``common.province_code``), nobody else's (empty queryset).

    ``level`` keeps one level (``RegionLevel`` value); ``include_own=False`` drops the user's own
    region (a superuser's "own" region is the province). Returns a ``QuerySet[Region]`` by code.
    """
    from shuangjian.regions.models import Region

    from .rules import province_code

    prefix = user_region_prefix(user)
    if prefix is None:
        return Region.objects.none()
    own = getattr(user, "region_id", None)
    if prefix == "":
        own = own or province_code()
        prefix = province_code()[:2]
    regions = Region.objects.filter(code__startswith=prefix)
    if level is not None:
        regions = regions.filter(level=level)
    if not include_own and own:
        regions = regions.exclude(code=own)
    return regions.order_by("code")


def region_visible_to(user: Any, code: str | None = None) -> Any:
    """The region ``code`` when it lies in ``user``'s scope, else ``Http404`` (a foreign region is
    absent, never forbidden). Without ``code``: the user's own region, or the province for a
    superuser without one (None when the province is not loaded). Raises ``Http404`` for users who
    see no region at all."""
    from django.http import Http404

    from shuangjian.regions.models import Region

    from .rules import province_code

    prefix = user_region_prefix(user)
    if prefix is None:
        raise Http404
    if code:
        region = Region.objects.filter(code=code).first()
        if region is None or not region.code.startswith(prefix):
            raise Http404
        return region
    if getattr(user, "region_id", None):
        return user.region
    return Region.objects.filter(code=province_code()).first()
