"""Registry pages for regulators and institution staff (scoped)."""

from __future__ import annotations

from django.views.generic import DetailView, ListView

from shuangjian.common.views import ScopedQuerysetMixin

from .models import Institution


class InstitutionListView(ScopedQuerysetMixin, ListView):
    """Institutions the user may open, searchable by name or credit code."""

    model = Institution
    paginate_by = 50
    template_name = "institutions/institution_list.html"

    def get_queryset(self):
        qs = super().get_queryset().select_related("county")
        q = self.request.GET.get("q", "").strip()
        if q:
            qs = qs.filter(name__icontains=q) | qs.filter(credit_code__iexact=q.upper())
        return qs


class InstitutionDetailView(ScopedQuerysetMixin, DetailView):
    """One institution; 404 when outside the user's scope."""

    model = Institution
    template_name = "institutions/institution_detail.html"
