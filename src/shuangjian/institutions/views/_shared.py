"""Helpers shared by the registry pages: who is a regulator, the regions a regulator may filter
by, a bound form's errors as one message, an institution in the caller's scope (404 otherwise)."""

from __future__ import annotations

from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _

from shuangjian.common.scoping import regions_visible_to
from shuangjian.regions.models import Region

from ..models import Institution


def is_regulator(user) -> bool:
    """True for a signed-in regulator (any level) or a superuser."""
    return bool(user.is_authenticated and (user.is_superuser or user.is_regulator))


def regions_for(user) -> list[Region]:
    """Regions a regulator may filter by: every prefecture/county below its own."""
    return list(regions_visible_to(user, include_own=False))


def form_errors_text(form) -> str:
    """ "审核意见：请选择…；理由：…" — every error of a bound form, each with its field's label."""
    parts = []
    for name, errors in form.errors.items():
        label = form.fields[name].label if name in form.fields else ""
        for error in errors:
            parts.append(f"{label}：{error}" if label else str(error))
    return "；".join(parts) or str(_("提交的内容无效"))


def scoped_institution(request, pk) -> Institution:
    """The institution ``pk`` if the caller may see it; Http404 otherwise."""
    return get_object_or_404(Institution.objects.visible_to(request.user), pk=pk)
