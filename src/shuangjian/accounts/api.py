"""The caller's own account over the API (``/api/me/``)."""

from __future__ import annotations

from rest_framework import generics, serializers

from shuangjian.common.api import ApiAuthMixin

from .models import User


class MeSerializer(serializers.ModelSerializer):
    role_label = serializers.CharField(source="get_role_display")

    class Meta:
        model = User
        fields = ["id", "username", "role", "role_label", "region", "institution", "school"]


class MeView(ApiAuthMixin, generics.RetrieveAPIView):
    """The authenticated caller's own account and scope."""

    serializer_class = MeSerializer

    def get_object(self):
        return self.request.user
