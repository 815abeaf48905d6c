"""Login (with django-axes lock-out) and the home dashboard placeholder."""

from __future__ import annotations

from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.db.models import Count, Q
from django.urls import reverse
from django.utils.decorators import method_decorator
from django.utils.translation import gettext as _
from django.views.generic import TemplateView

from shuangjian.institutions.models import Institution
from shuangjian.regions.models import Region


@method_decorator(login_not_required, name="dispatch")
class LoginView(auth_views.LoginView):
    """Username/password login; repeated failures lock the account (django-axes)."""

    template_name = "accounts/login.html"
    redirect_authenticated_user = True


class HomeView(TemplateView):
    """The role's home page. Regulators get their region's dashboard (the province its cities, a city
    its counties, a county its institutions, schools and open reports); institution and school staff
    their own records; others their scope and counts."""

    template_name = "home.html"

    def get(self, request, *args, **kwargs):
        from django.shortcuts import redirect

        user = request.user
        if user.is_regulator or user.is_superuser:
            return redirect("stats:index")
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        institutions = Institution.objects.visible_to(user)
        context["cards"] = [
            {"label": _("机构（可见范围内）"), "value": institutions.count(), "url": reverse("institutions:index")},
        ]
        if user.is_regulator and user.region_id:
            context["scope_label"] = user.region.full_name
            children = Region.objects.filter(parent=user.region).annotate(
                n_institutions=Count("institutions", distinct=True)
            )
            if user.region.level != "COUNTY":
                # Counties under a prefecture hold the institutions; count them through the code prefix.
                rows = []
                for child in children:
                    child.n_institutions = institutions.filter(
                        Q(county__code__startswith=child.subtree_prefix)
                    ).count()
                    rows.append(child)
                context["children"] = rows
        elif user.institution_id:
            context["scope_label"] = user.institution.name
        elif user.school_id:
            context["scope_label"] = user.school.name
        return context
