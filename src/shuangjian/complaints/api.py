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

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import generics, serializers
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response
from rest_framework.views import APIView

from shuangjian.common.api import ApiAuthMixin, ScopedApiMixin

from . import selectors
from .choices import ReportType, Source, Status
from .models import Report


class ReportOut(serializers.ModelSerializer):
    source_label = serializers.CharField(source="get_source_display")
    type_label = serializers.CharField(source="get_report_type_display")
    status_label = serializers.CharField(source="get_status_display")
    credit_code = serializers.SerializerMethodField()
    institution_name = serializers.SerializerMethodField()
    reporter_phone = serializers.SerializerMethodField()
    duplicate_of: serializers.SlugRelatedField = serializers.SlugRelatedField(
        slug_field="number", read_only=True, allow_null=True, help_text="并入的首件编号（非重复件为 null）"
    )

    class Meta:
        model = Report
        fields = [
            "id",
            "number",
            "source",
            "source_label",
            "report_type",
            "type_label",
            "county",
            "place",
            "credit_code",
            "institution_name",
            "description",
            "received_at",
            "ack_due",
            "due_date",
            "urgent",
            "status",
            "status_label",
            "is_valid",
            "validity_reason",
            "result",
            "closed_at",
            "duplicate_of",
            "escalation_level",
            "reporter_phone",
        ]

    def get_credit_code(self, obj: Report) -> str:
        return obj.institution.credit_code if obj.institution_id else obj.institution_credit_code

    def get_institution_name(self, obj: Report) -> str:
        return obj.institution.name if obj.institution_id else obj.institution_text

    def get_reporter_phone(self, obj: Report) -> str:
        return obj.phone_for(self.context["request"].user)


@extend_schema_view(
    get=extend_schema(
        parameters=[
            # Filters are lenient, as on the list page: a value that is not one of those described is ignored.
            OpenApiParameter("type", str, description="类型：" + " / ".join(ReportType.values)),
            OpenApiParameter("source", str, description="来源：" + " / ".join(Source.values)),
            OpenApiParameter("status", str, description="状态：" + " / ".join(Status.values)),
            OpenApiParameter("validity", str, description="有效性"),
            OpenApiParameter("overdue", str, description="1：仅逾期"),
            OpenApiParameter("urgent", str, description="1：仅紧急（爆雷/冒烟）"),
            OpenApiParameter("escalated", str, description="1：仅已升级督办"),
            OpenApiParameter("county", str, description="区县代码"),
            OpenApiParameter("q", str, description="编号、机构或内容包含"),
            OpenApiParameter("from", str, description="受理日期自（含，YYYY-MM-DD）"),
            OpenApiParameter("to", str, description="受理日期至（含，YYYY-MM-DD）"),
        ]
    )
)
class ReportListApi(ScopedApiMixin, generics.ListAPIView):
    """Reports visible to the caller, with the list page's filters (unknown values are ignored)."""

    model = Report
    serializer_class = ReportOut

    def get_queryset(self):
        filters = {
            k: self.request.query_params.get(k, "").strip()[:60]
            for k in (
                "type",
                "source",
                "status",
                "validity",
                "overdue",
                "urgent",
                "escalated",
                "county",
                "q",
                "from",
                "to",
            )
        }
        return selectors.report_list(self.request.user, filters).select_related("duplicate_of")


class ReportDetailApi(ScopedApiMixin, generics.RetrieveAPIView):
    """One report; 404 when outside the caller's scope."""

    model = Report
    serializer_class = ReportOut


class ReportStatsApi(ApiAuthMixin, APIView):
    """The reports.* KPIs for a period (受理时间, Shanghai dates, both inclusive) within the caller's scope."""

    @extend_schema(
        responses={200: dict},
        parameters=[
            OpenApiParameter("from", OpenApiTypes.DATE, required=True, description="受理日期自（含）"),
            OpenApiParameter("to", OpenApiTypes.DATE, required=True, description="受理日期至（含）"),
            OpenApiParameter("region", str, description="区划代码（默认：调用者的可见范围）"),
        ],
    )
    def get(self, request):
        try:
            date_from = dt.date.fromisoformat(request.query_params.get("from", ""))
            date_to = dt.date.fromisoformat(request.query_params.get("to", ""))
        except ValueError:
            raise ValidationError({"detail": "from 和 to 须为 YYYY-MM-DD 日期"}) from None
        region = request.query_params.get("region") or None
        from shuangjian.regions.models import Region

        # A region code is six digits; anything else (a NUL byte, which PostgreSQL cannot even
        # compare) is refused before it reaches the database.
        if region and (
            not (region.isascii() and region.isdigit() and len(region) == 6)
            or not Region.objects.filter(code=region).exists()
        ):
            raise ValidationError({"detail": f"区划代码“{region[:20]}”不存在"})
        return Response(
            selectors.report_stats(
                region_code=region, date_from=date_from, date_to=date_to, user=request.user
            )
        )
