"""Project URLs: the shell, each area under its own prefix, the admin and the JSON API."""

from django.contrib import admin
from django.contrib.auth.decorators import login_not_required
from django.urls import include, path
from django.views.i18n import set_language
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView
from rest_framework.authtoken.views import ObtainAuthToken

from shuangjian.accounts.api import MeView
from shuangjian.common.api import ApiRootView, RegionListView
from shuangjian.portal.views import HomeView


def _provincial_admin_only(request) -> bool:
    user = request.user
    return bool(user.is_active and user.is_staff and user.is_provincial)


admin.site.has_permission = _provincial_admin_only  # type: ignore[method-assign]
admin.site.site_header = "双减监管平台 后台管理"
admin.site.site_title = "双减监管平台"

api_patterns = [
    path("", ApiRootView.as_view(), name="api-root"),
    path("me/", MeView.as_view(), name="api-me"),
    path("regions/", RegionListView.as_view(), name="api-regions"),
    path("token/", login_not_required(ObtainAuthToken.as_view()), name="api-token"),
    path("schema/", login_not_required(SpectacularAPIView.as_view()), name="api-schema"),
    path(
        "docs/",
        login_not_required(SpectacularSwaggerView.as_view(url_name="api-schema")),
        name="api-docs",
    ),
]

urlpatterns = [
    path("", HomeView.as_view(), name="home"),
    path("accounts/", include("shuangjian.accounts.urls")),
    path("i18n/setlang/", login_not_required(set_language), name="set_language"),
    path("common/", include("shuangjian.common.urls")),
    path("institutions/", include("shuangjian.institutions.urls")),
    path("funds/", include("shuangjian.funds.urls")),
    path("complaints/", include("shuangjian.complaints.urls")),
    path("risk/", include("shuangjian.risk.urls")),
    path("enforcement/", include("shuangjian.enforcement.urls")),
    path("schools/", include("shuangjian.schools.urls")),
    path("vocational/", include("shuangjian.vocational.urls")),
    path("stem/", include("shuangjian.stem.urls")),
    path("governance/", include("shuangjian.governance.urls")),
    path("coeducation/", include("shuangjian.coeducation.urls")),
    path("cooperation/", include("shuangjian.cooperation.urls")),
    path("stats/", include("shuangjian.stats.urls")),
    path("public/", include("shuangjian.portal.urls")),
    path("ops/", include("shuangjian.ops.urls")),
    path("admin/", admin.site.urls),
    path("api/", include(api_patterns)),
]

handler404 = "shuangjian.common.views.error_404"
