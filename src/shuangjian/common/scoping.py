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

from typing import TYPE_CHECKING, Any, Self

from django.db import models

if TYPE_CHECKING:
    from shuangjian.accounts.models import User


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

    def visible_to(self, user: User | Any) -> Self:
        """Rows ``user`` may open: a regulator's subtree, an institution's or a school's own rows.

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
        return self.none()


class ScopedManager(models.Manager.from_queryset(ScopedQuerySet)):  # type: ignore[misc]
    """Manager form of :class:`ScopedQuerySet`."""
