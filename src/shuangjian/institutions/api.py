"""JSON API of the registry (scoped through ``visible_to``; session or token auth; OpenAPI schema).

- ``GET /institutions/api/`` — institutions with their episodes and former names; the list page's
  filters apply (``q`` matches current and earlier names, ``region``, ``status``, ``category``,
  ``mode``, ``fund``, ``active_on`` with ``category``).
- ``GET /institutions/api/<id>/`` — one institution (404 outside the caller's scope).
- ``GET /institutions/api/violations/`` — violations (``region``, ``rule_id``, ``status``, ``source``, ``q``).
"""

from __future__ import annotations

from typing import Any

from rest_framework import generics, serializers

from shuangjian.common.api import ScopedApiMixin

from . import selectors
from .models import Institution, InstitutionEpisode, Violation


class EpisodeSerializer(serializers.ModelSerializer):
    audiences = serializers.ListField(source="audience_list", child=serializers.CharField())

    class Meta:
        model = InstitutionEpisode
        fields = ["category", "mode", "audiences", "approved_on", "ended_on", "end_reason", "license_no"]


class NamePeriodSerializer(serializers.Serializer):
    name = serializers.CharField()
    start = serializers.DateField()
    end = serializers.DateField(allow_null=True)


class InstitutionSerializer(serializers.ModelSerializer):
    """An institution with its current values (``name`` … ``fund_supervised``), its episodes, and
    ``former_names`` (曾用名: name, start, end — end exclusive). A list filtered by ``q`` that matched
    an earlier name carries it in ``matched_former_name``."""

    county = serializers.CharField(source="county_id")
    audiences = serializers.ListField(source="audience_list", child=serializers.CharField())
    episodes = EpisodeSerializer(many=True, read_only=True)
    former_names = serializers.SerializerMethodField()
    matched_former_name = serializers.SerializerMethodField()

    def get_former_names(self, obj: Institution) -> list[dict[str, Any]]:
        return list(NamePeriodSerializer(selectors.institution_former_names(obj), many=True).data)

    def get_matched_former_name(self, obj: Institution) -> str | None:
        return getattr(obj, "matched_former_name", None)

    class Meta:
        model = Institution
        fields = [
            "id",
            "credit_code",
            "name",
            "county",
            "address",
            "status",
            "category",
            "mode",
            "audiences",
            "nature",
            "non_profit_converted_on",
            "license_no",
            "license_valid_until",
            "fund_supervised",
            "episodes",
            "former_names",
            "matched_former_name",
        ]


class ViolationSerializer(serializers.ModelSerializer):
    credit_code = serializers.CharField(source="institution.credit_code")
    institution_name = serializers.CharField(source="institution.name")
    county = serializers.CharField(source="institution.county_id")

    class Meta:
        model = Violation
        fields = [
            "id",
            "credit_code",
            "institution_name",
            "county",
            "rule_id",
            "title",
            "evidence",
            "source",
            "policy_source",
            "detected_at",
            "status",
            "resolved_at",
            "resolution",
        ]


class InstitutionListApi(ScopedApiMixin, generics.ListAPIView):
    """Institutions in the caller's scope, filterable like the list page."""

    model: Any = Institution
    serializer_class = InstitutionSerializer

    def get_queryset(self):
        qs = super().get_queryset().prefetch_related("episodes", "profiles__episode").order_by("credit_code")
        return selectors.institution_filter(qs, self.request.query_params)


class InstitutionDetailApi(ScopedApiMixin, generics.RetrieveAPIView):
    """One institution with its episodes."""

    model: Any = Institution
    serializer_class = InstitutionSerializer

    def get_queryset(self):
        return super().get_queryset().prefetch_related("episodes", "profiles__episode")


class ViolationListApi(ScopedApiMixin, generics.ListAPIView):
    """Violations in the caller's scope (all statuses unless ``status`` is given)."""

    model: Any = Violation
    serializer_class = ViolationSerializer

    def get_queryset(self):
        qs = super().get_queryset().select_related("institution").order_by("-detected_at", "id")
        return selectors.violations_filter(qs, self.request.query_params)
