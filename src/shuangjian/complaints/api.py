"""JSON API of the reports area (read-only, scoped; session or token auth).

- ``api/reports/`` — reports the caller may see, newest first, paginated; the list filters of the
  regulator page as query parameters (type, source, status, validity, overdue, urgent, escalated,
  county, q, from, to).
- ``api/reports/{id}/`` — one report (404 outside the caller's scope).
- ``api/stats/?from=YYYY-MM-DD&to=YYYY-MM-DD[&region=CODE]`` — :func:`selectors.report_stats`.

The reporter's phone is masked except for the regulators of the handling county; the query code
is never exposed.
"""

from __future__ import annotations

import datetime as dt

from drf_spectacular.utils import extend_schema
from rest_framework import generics, serializers
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response
from rest_framework.views import APIView

from shuangjian.common.api import ApiAuthMixin, ScopedApiMixin

from . import selectors
from .models import Report


class ReportOut(serializers.ModelSerializer):
    source_label = serializers.CharField(source="get_source_display")
    type_label = serializers.CharField(source="get_report_type_display")
    status_label = serializers.CharField(source="get_status_display")
    credit_code = serializers.SerializerMethodField()
    institution_name = serializers.SerializerMethodField()
    reporter_phone = serializers.SerializerMethodField()
    duplicate_of: serializers.SlugRelatedField = serializers.SlugRelatedField(slug_field="number", read_only=True)

    class Meta:
        model = Report
        fields = ["id", "number", "source", "source_label", "report_type", "type_label", "county", "place",
                  "credit_code", "institution_name", "description", "received_at", "ack_due", "due_date", "urgent",
                  "status", "status_label", "is_valid", "validity_reason", "result", "closed_at", "duplicate_of",
                  "escalation_level", "reporter_phone"]

    def get_credit_code(self, obj: Report) -> str:
        return obj.institution.credit_code if obj.institution_id else obj.institution_credit_code

    def get_institution_name(self, obj: Report) -> str:
        return obj.institution.name if obj.institution_id else obj.institution_text

    def get_reporter_phone(self, obj: Report) -> str:
        return obj.phone_for(self.context["request"].user)


class ReportListApi(ScopedApiMixin, generics.ListAPIView):
    """Reports visible to the caller, with the list page's filters."""

    model = Report
    serializer_class = ReportOut

    def get_queryset(self):
        filters = {k: self.request.query_params.get(k, "").strip()[:60] for k in
                   ("type", "source", "status", "validity", "overdue", "urgent", "escalated", "county", "q", "from", "to")}
        return selectors.report_list(self.request.user, filters).select_related("duplicate_of")


class ReportDetailApi(ScopedApiMixin, generics.RetrieveAPIView):
    """One report; 404 when outside the caller's scope."""

    model = Report
    serializer_class = ReportOut


class ReportStatsApi(ApiAuthMixin, APIView):
    """The reports.* KPIs for a period (受理时间, Shanghai dates, both inclusive) within the caller's scope."""

    @extend_schema(responses={200: dict})
    def get(self, request):
        try:
            date_from = dt.date.fromisoformat(request.query_params.get("from", ""))
            date_to = dt.date.fromisoformat(request.query_params.get("to", ""))
        except ValueError:
            raise ValidationError({"detail": "from 和 to 须为 YYYY-MM-DD 日期"}) from None
        region = request.query_params.get("region") or None
        from shuangjian.regions.models import Region

        if region and not Region.objects.filter(code=region).exists():
            raise ValidationError({"detail": f"区划代码“{region}”不存在"})
        return Response(selectors.report_stats(region_code=region, date_from=date_from, date_to=date_to,
                                               user=request.user))
