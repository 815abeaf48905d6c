"""Shared view building blocks: the scoped list/detail mixin, placeholders, the audit trail."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_not_required
from django.contrib.auth.mixins import UserPassesTestMixin
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Model
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.generic import TemplateView
from simple_history.models import registered_models


class ScopedQuerysetMixin:
    """Fetch ``model`` rows through ``Model.objects.visible_to(request.user)`` — the one scoping path.

    A detail view built on it answers 404 for a record outside the user's scope.
    """

    model: type[Model]
    request: Any

    def get_queryset(self):
        return self.model.objects.visible_to(self.request.user)  # type: ignore[attr-defined]


class RegulatorRequiredMixin(UserPassesTestMixin):
    """Only province, city and county regulators (and superusers)."""

    request: Any

    def test_func(self) -> bool:
        user = self.request.user
        return bool(user.is_authenticated and (user.is_superuser or user.is_regulator))


class ProvincialRequiredMixin(UserPassesTestMixin):
    """Only the provincial regulator (and superusers)."""

    request: Any

    def test_func(self) -> bool:
        user = self.request.user
        return bool(user.is_authenticated and user.is_provincial)


class UnderConstructionView(TemplateView):
    """An area whose pages are not built yet: says 建设中 inside the shell."""

    template_name = "common/under_construction.html"
    area = ""

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["area"] = self.area
        return context


def _history_models() -> dict[str, Any]:
    """label → historical model for every audited model."""
    out = {}
    for model in registered_models.values():
        history_model = model.history.model
        out[f"{model._meta.app_label}.{model._meta.model_name}"] = (model, history_model)
    return dict(sorted(out.items()))


class AuditTrailView(ProvincialRequiredMixin, TemplateView):
    """The audit trail (操作留痕): who changed which record, when, and what before and after.

    Provincial regulators only. Filter by record type (``?model=institutions.institution``) and
    record id (``?object=12``). Each entry lists the changed fields with old and new values.
    """

    template_name = "common/audit.html"
    page_size = 50

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        models = _history_models()
        chosen = self.request.GET.get("model") or ""
        object_id = self.request.GET.get("object") or ""
        if chosen and chosen not in models:
            raise PermissionDenied
        selected = [chosen] if chosen else list(models)
        entries = []
        for label in selected:
            model, history_model = models[label]
            qs = history_model.objects.select_related("history_user").order_by("-history_date")
            if object_id:
                qs = qs.filter(**{model._meta.pk.attname: object_id})
            for record in qs[: self.page_size * 4]:
                entries.append((label, model, record))
        entries.sort(key=lambda e: e[2].history_date, reverse=True)
        page = Paginator(entries, self.page_size).get_page(self.request.GET.get("page"))
        rows = []
        for label, model, record in page.object_list:
            changes = []
            previous = record.prev_record
            if previous is not None and record.history_type == "~":
                delta = record.diff_against(previous)
                changes = [(c.field, c.old, c.new) for c in delta.changes]
            rows.append(
                {
                    "label": model._meta.verbose_name,
                    "model": label,
                    "object_id": getattr(record, model._meta.pk.attname),
                    "object": str(record.instance) if record.history_type != "-" else "",
                    "type": {"+": _("新增"), "~": _("修改"), "-": _("删除")}[record.history_type],
                    "when": record.history_date,
                    "who": record.history_user,
                    "reason": record.history_change_reason or "",
                    "changes": changes,
                }
            )
        context.update(
            page=page,
            rows=rows,
            models=[(k, v[0]._meta.verbose_name) for k, v in models.items()],
            chosen=chosen,
            object_id=object_id,
        )
        return context


@login_not_required
def error_404(request, exception=None):
    return render(request, "common/404.html", status=404)
