"""Public pages (no login, rate-limited per IP): 白名单 search, an institution's public page and the
黑名单."""

from __future__ import annotations

from django.contrib.auth.decorators import login_not_required
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils.decorators import method_decorator
from django.views import View
from django_ratelimit.decorators import ratelimit

from shuangjian.common.rules import province_prefix
from shuangjian.regions.models import Region, RegionLevel

from .. import selectors
from ..choices import ItemStatus, Status
from ..models import Institution


def _limited(request) -> HttpResponse:
    return render(request, "institutions/public_limited.html", status=429)


@method_decorator(login_not_required, name="dispatch")
@method_decorator(ratelimit(key="ip", rate="30/m", method="GET", block=False), name="get")
class PublicSearchView(View):
    """白名单: search licensed institutions by name, credit code or county (rate-limited per IP)."""

    def get(self, request):
        if getattr(request, "limited", False):
            return _limited(request)
        q = (request.GET.get("q") or "").strip()[:60]
        county = (request.GET.get("county") or "").strip()[:20]
        results = None
        if q or county:
            qs = selectors.public_whitelist(q=q, county=county).annotate(
                n_items=Count("items", filter=Q(items__status=ItemStatus.APPROVED))
            )
            results = Paginator(qs, 30).get_page(request.GET.get("page"))
        return render(
            request,
            "institutions/public_search.html",
            {
                "q": q,
                "county": county,
                "results": results,
                "counties": Region.objects.filter(
                    level=RegionLevel.COUNTY, code__startswith=province_prefix()
                ),
            },
        )


@method_decorator(login_not_required, name="dispatch")
@method_decorator(ratelimit(key="ip", rate="60/m", method="GET", block=False), name="get")
class PublicDetailView(View):
    """A licensed (or blacklisted) institution's public page: licence, approved items and prices."""

    def get(self, request, credit_code):
        if getattr(request, "limited", False):
            return _limited(request)
        inst = get_object_or_404(
            Institution.objects.select_related("county").filter(
                status__in=[Status.LICENSED, Status.RECTIFYING, Status.REVOKED, Status.BANNED]
            ),
            credit_code=credit_code.upper(),
        )
        return render(
            request,
            "institutions/public_detail.html",
            {
                "inst": inst,
                "items": selectors.public_items(inst) if inst.is_operating else [],
                "episodes": inst.episodes.all(),
                "former_names": selectors.institution_former_names(inst),
            },
        )


@method_decorator(login_not_required, name="dispatch")
@method_decorator(ratelimit(key="ip", rate="60/m", method="GET", block=False), name="get")
class PublicBlacklistView(View):
    """黑名单: revoked licences and unlicensed operators closed by the regulator, searchable by the
    current or an earlier name or the credit code (``?q=``)."""

    def get(self, request):
        if getattr(request, "limited", False):
            return _limited(request)
        q = (request.GET.get("q") or "").strip()[:60]
        page = Paginator(selectors.public_blacklist(q=q), 50).get_page(request.GET.get("page"))
        return render(request, "institutions/public_blacklist.html", {"page": page, "q": q})
