"""Institution staff's own data: sites, practitioners, training items and their sessions (403 on
another institution's records, 404 outside the scope)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views import View

from .. import services
from ..forms import ItemForm, PractitionerEditForm, PractitionerForm, SessionForm, SiteForm
from ..models import Institution, Practitioner, Site, TrainingItem
from ._shared import scoped_institution


class OwnInstitutionMixin:
    """Institution staff editing their own institution's data (sites, staff, items, sessions)."""

    request: Any

    def institution(self, pk) -> Institution:
        inst = scoped_institution(self.request, pk)
        if getattr(self.request.user, "institution_id", None) != inst.pk:
            raise PermissionDenied
        return inst


class _OwnFormView(OwnInstitutionMixin, View):
    form_class: Any = None
    title: Any = ""

    def save(self, inst: Institution, data: dict[str, Any]) -> None:
        raise NotImplementedError

    def render_form(self, request, inst, form, **extra):
        return render(
            request,
            "institutions/form.html",
            {
                "form": form,
                "title": self.title,
                "institution": inst,
                **extra,
            },
        )

    def get(self, request, pk):
        inst = self.institution(pk)
        return self.render_form(request, inst, self.make_form(inst))

    def make_form(self, inst, data=None):
        return self.form_class(data)

    def post(self, request, pk):
        inst = self.institution(pk)
        form = self.make_form(inst, request.POST)
        if form.is_valid():
            try:
                self.save(inst, form.cleaned_data)
            except services.RegistryError as error:
                form.add_error(None, str(error))
            else:
                messages.success(request, _("已保存"))
                return redirect("institutions:detail", pk=inst.pk)
        return self.render_form(request, inst, form)


class SiteAddView(_OwnFormView):
    form_class = SiteForm
    title = _("登记办学场所")

    def save(self, inst, data):
        services.site_save(institution=inst, actor=self.request.user, **data)


class PractitionerAddView(_OwnFormView):
    form_class = PractitionerForm
    title = _("登记从业人员")

    def save(self, inst, data):
        services.practitioner_save(institution=inst, actor=self.request.user, **data)


class ItemAddView(_OwnFormView):
    form_class = ItemForm
    title = _("登记培训项目")

    def save(self, inst, data):
        price = data.pop("price_yuan")
        services.item_save(institution=inst, actor=self.request.user, price_per_hour_fen=price, **data)


class _OwnEditView(OwnInstitutionMixin, View):
    """Edit one of the caller's own institution's records (404 when not visible, 403 when not own)."""

    model: Any = None
    form_class: Any = None
    title: Any = ""

    def _object(self, pk):
        obj = get_object_or_404(self.model.objects.visible_to(self.request.user), pk=pk)
        self.institution(obj.institution_id)
        return obj

    def initial(self, obj) -> dict[str, Any]:
        raise NotImplementedError

    def save(self, obj, data: dict[str, Any]) -> None:
        raise NotImplementedError

    def _render(self, obj, form):
        return render(
            self.request,
            "institutions/form.html",
            {"form": form, "title": self.title, "institution": obj.institution},
        )

    def get(self, request, pk):
        obj = self._object(pk)
        return self._render(obj, self.form_class(initial=self.initial(obj)))

    def post(self, request, pk):
        obj = self._object(pk)
        form = self.form_class(request.POST)
        if form.is_valid():
            try:
                self.save(obj, dict(form.cleaned_data))
            except services.RegistryError as error:
                form.add_error(None, str(error))
            else:
                messages.success(request, _("已保存"))
                return redirect("institutions:detail", pk=obj.institution_id)
        return self._render(obj, form)


class SiteEditView(_OwnEditView):
    model = Site
    form_class = SiteForm
    title = _("修改办学场所")

    def initial(self, obj):
        return {
            "address": obj.address,
            "floor_area_m2": obj.floor_area_m2,
            "capacity": obj.capacity,
            "fire_safety_ok": obj.fire_safety_ok,
        }

    def save(self, obj, data):
        services.site_save(institution=obj.institution, actor=self.request.user, site=obj, **data)


class PractitionerEditView(_OwnEditView):
    model = Practitioner
    form_class = PractitionerEditForm
    title = _("修改从业人员")

    def initial(self, obj):
        fields = [
            "name",
            "role",
            "subject",
            "teaches_subject_training",
            "teacher_certificate",
            "professional_certificate",
            "in_service_teacher",
            "background_check",
            "active",
        ]
        return {f: getattr(obj, f) for f in fields}

    def save(self, obj, data):
        services.practitioner_save(
            institution=obj.institution, actor=self.request.user, practitioner=obj, **data
        )


class ItemEditView(_OwnEditView):
    model = TrainingItem
    form_class = ItemForm
    title = _("修改培训项目（修改后需重新核准）")

    def initial(self, obj):
        fields = [
            "name",
            "description",
            "category",
            "subject_area",
            "mode",
            "class_size",
            "class_minutes",
            "total_hours",
        ]
        values = {f: getattr(obj, f) for f in fields}
        values.update(grades=obj.grade_list, price_yuan=f"{obj.price_per_hour_fen / 100:.2f}")
        return values

    def save(self, obj, data):
        price = data.pop("price_yuan")
        services.item_save(
            institution=obj.institution, actor=self.request.user, item=obj, price_per_hour_fen=price, **data
        )


class SessionAddView(OwnInstitutionMixin, View):
    """Institution staff schedule a session of one of their items."""

    def _item(self, pk) -> TrainingItem:
        item = get_object_or_404(
            TrainingItem.objects.visible_to(self.request.user).select_related("institution"), pk=pk
        )
        self.institution(item.institution_id)
        return item

    def _form(self, item, data=None):
        return SessionForm(data, practitioners=item.institution.practitioners.filter(active=True))

    def get(self, request, pk):
        item = self._item(pk)
        return render(
            request,
            "institutions/form.html",
            {"form": self._form(item), "title": _("排课：%s") % item.name, "institution": item.institution},
        )

    def post(self, request, pk):
        item = self._item(pk)
        form = self._form(item, request.POST)
        if form.is_valid():
            try:
                session = services.session_add(item=item, actor=request.user, **form.cleaned_data)
            except services.RegistryError as error:
                form.add_error(None, str(error))
            else:
                messages.success(request, _("已排课"))
                from ..compliance import check_institution

                time_rules = ["TIME-REST-DAY", "TIME-ONLINE-LENGTH", "TIME-ONLINE-BREAK", "TIME-LATEST-END"]
                for rule, finding in check_institution(item.institution, rule_ids=time_rules):
                    if finding.fingerprint == f"session:{session.pk}":
                        messages.warning(
                            request,
                            _("注意：该节课违反“%(title)s”（%(source)s），将被列入违规记录")
                            % {"title": rule.title, "source": rule.source},
                        )
                return redirect("institutions:detail", pk=item.institution_id)
        return render(
            request,
            "institutions/form.html",
            {"form": form, "title": _("排课：%s") % item.name, "institution": item.institution},
        )
