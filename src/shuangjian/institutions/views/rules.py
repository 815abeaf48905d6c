"""The compliance rules page: rules with their sources and current parameter values; the
provincial regulator sets values here."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views import View

from shuangjian.common.models import RuleParameter
from shuangjian.common.rules import RULES, rule_value
from shuangjian.common.services import rule_parameter_set
from shuangjian.common.views import RegulatorRequiredMixin

from ..compliance import ALL_RULES
from ..forms import RuleParameterForm


class RulesView(RegulatorRequiredMixin, View):
    """The compliance rules with their sources and current parameter values; the provincial
    regulator sets values (whole province or one region) here."""

    def _context(self, request, form=None):
        region = None if request.user.is_superuser else request.user.region_id
        keys = sorted(
            {k for rule in ALL_RULES for k in rule.params} | {"institutions.review_deadline_workdays"}
        )
        overrides = RuleParameter.objects.filter(key__startswith="institutions.").select_related("region")
        return {
            "rules": [(r, r.parameters(region)) for r in ALL_RULES],
            "deadline": {
                "spec": RULES["institutions.review_deadline_workdays"],
                "value": rule_value("institutions.review_deadline_workdays", region),
            },
            "overrides": overrides,
            "can_edit": request.user.is_provincial,
            "form": form or RuleParameterForm(keys=keys),
        }

    def get(self, request):
        return render(request, "institutions/rules.html", self._context(request))

    def post(self, request):
        if not request.user.is_provincial:
            raise PermissionDenied
        keys = sorted(
            {k for rule in ALL_RULES for k in rule.params} | {"institutions.review_deadline_workdays"}
        )
        form = RuleParameterForm(request.POST, keys=keys)
        if form.is_valid():
            data = form.cleaned_data
            rule_parameter_set(
                key=data["key"],
                region_code=data["region"] or None,
                value=data["value"],
                note=data["note"],
                actor=request.user,
            )
            messages.success(request, _("规则参数已保存"))
            return redirect("institutions:rules")
        return render(request, "institutions/rules.html", self._context(request, form))
