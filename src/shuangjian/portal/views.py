"""The public portal (公众服务): one entry page for parents and the public, no login; and every
role's home page (the top layer: it links to every area)."""

from django.contrib.auth.decorators import login_not_required
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.generic import TemplateView

from shuangjian.accounts.models import Role
from shuangjian.institutions.models import Institution


@login_not_required
def portal_index(request):
    """Links to every public service: white/black lists, reporting, tracking, contract balance."""
    return render(request, "portal/index.html")


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
        if user.institution_id:
            institution = user.institution
            context["scope_label"] = institution.name
            context["cards"] = [
                {
                    "label": _("机构（可见范围内）"),
                    "value": Institution.objects.visible_to(user).count(),
                    "url": reverse("institutions:index"),
                },
                {
                    "label": _("本机构信息（场所、人员、培训项目）"),
                    "value": institution.get_status_display(),
                    "url": reverse("institutions:detail", args=[institution.pk]),
                },
                {
                    "label": _("办学许可申请"),
                    "value": _("申请/进度"),
                    "url": reverse("institutions:applications"),
                },
                {"label": _("培训合同与预收费"), "value": _("查看"), "url": reverse("funds:index")},
            ]
        elif user.school_id:
            context["scope_label"] = user.school.name
            context["cards"] = [
                {
                    "label": _("作业公示、课后服务周报、考试备案"),
                    "value": user.school.name,
                    "url": reverse("schools:school", args=[user.school_id]),
                },
            ]
        else:
            context["cards"] = [
                {"label": _("我提交的投诉举报"), "value": _("查看"), "url": reverse("complaints:index")},
                {
                    "label": _("随手拍：提交新的举报"),
                    "value": _("举报"),
                    "url": reverse("complaints:public_new"),
                },
            ]
            if user.role == Role.SUPERVISOR:  # social supervisors: their inspection tasks (governance area)
                context["cards"].insert(
                    0, {"label": _("我的督查任务"), "value": _("查看"), "url": reverse("governance:my_tasks")}
                )
        return context
