"""The registry import page (same rules as ``shuangjian import institutions``), limited to the
acting regulator's region."""

from __future__ import annotations

from django.shortcuts import render
from django.views import View

from shuangjian.common.importing import ImportFileError
from shuangjian.common.views import RegulatorRequiredMixin

from ..forms import ImportForm
from ..importers import InstitutionImporter


class ImportView(RegulatorRequiredMixin, View):
    """Upload a registry file (same rules as ``shuangjian import institutions``); row errors shown.

    A regulator below the province may only import rows of its own region: rows elsewhere are
    reported as errors (nothing changes unless 跳过错误行).
    """

    template_name = "institutions/import.html"

    def get(self, request):
        return render(
            request, self.template_name, {"form": ImportForm(), "columns": InstitutionImporter.columns}
        )

    def post(self, request):
        form = ImportForm(request.POST, request.FILES)
        report = None
        error = ""
        if form.is_valid():
            upload = form.cleaned_data["file"]
            importer = ScopedInstitutionImporter(actor=request.user)
            try:
                report = importer.run(
                    upload.name,
                    data=upload.read(),
                    filename=upload.name,
                    skip_invalid=form.cleaned_data["skip_invalid"],
                )
            except ImportFileError as exc:
                error = str(exc)
        return render(
            request,
            self.template_name,
            {
                "form": form,
                "report": report,
                "error": error,
                "columns": InstitutionImporter.columns,
                "shown_errors": report.errors[:500] if report else [],
            },
        )


class ScopedInstitutionImporter(InstitutionImporter):
    """The registry importer restricted to the acting regulator's region subtree."""

    def validate_records(self, records):
        from shuangjian.common.importing import RowError

        errors = super().validate_records(records)
        region = getattr(self.actor, "region", None)
        if region is not None and not self.actor.is_superuser:
            for number, rec in records:
                if not region.contains(rec.county):
                    errors.append(
                        RowError(
                            number, "区县代码", f"“{rec.county}”不在本单位管辖范围（{region.full_name}）内"
                        )
                    )
        return errors
