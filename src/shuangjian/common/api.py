"""API building blocks: scoped viewsets, the API root, regions (the caller's profile: accounts.api)."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_not_required
from django.urls import NoReverseMatch, reverse
from drf_spectacular.utils import extend_schema
from rest_framework import generics, serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from shuangjian.regions.models import Region


class ApiAuthMixin:
    """DRF authenticates inside the view (session or token), so Django's LoginRequiredMiddleware
    lets API requests through; DRF's permission classes then refuse anonymous callers (401/403).
    Every API view of the project inherits this mixin first."""

    @classmethod
    def as_view(cls, **initkwargs):
        return login_not_required(super().as_view(**initkwargs))  # type: ignore[misc]


class ScopedApiMixin(ApiAuthMixin):
    """``get_queryset`` through ``Model.objects.visible_to(request.user)``: the one scoping path."""

    model: Any = None

    def get_queryset(self):
        return self.model.objects.visible_to(self.request.user)  # type: ignore[attr-defined,union-attr]


API_ENDPOINTS = [
    ("me", "api-me"),
    ("regions", "api-regions"),
    ("schema", "api-schema"),
    ("docs", "api-docs"),
    ("token", "api-token"),
    ("funds-payments", "funds:api-payments"),
    ("funds-consumptions", "funds:api-consumptions"),
    ("funds-refunds", "funds:api-refunds"),
    ("funds-contracts", "funds:api-contracts"),
    ("institutions", "institutions:api_list"),
    ("reports", "complaints:api-reports"),
]


class ApiRootView(ApiAuthMixin, APIView):
    """Index of the JSON API (OpenAPI schema at ``schema``, browsable docs at ``docs``)."""

    @extend_schema(responses={200: dict})
    def get(self, request):
        links = {}
        for label, name in API_ENDPOINTS:
            try:
                links[label] = request.build_absolute_uri(reverse(name))
            except NoReverseMatch:
                continue
        return Response(links)


class RegionSerializer(serializers.ModelSerializer):
    class Meta:
        model = Region
        fields = ["code", "name", "level", "parent", "full_name"]


class RegionListView(ApiAuthMixin, generics.ListAPIView):
    """GB/T 2260 divisions (public reference data); ``?parent=430000`` lists one level below."""

    serializer_class = RegionSerializer

    def get_queryset(self):
        qs = Region.objects.all()
        parent = self.request.query_params.get("parent")
        if parent:
            qs = qs.filter(parent_id=parent)
        return qs
