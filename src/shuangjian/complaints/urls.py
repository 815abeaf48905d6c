from django.urls import path

from . import api, views

app_name = "complaints"
urlpatterns = [
    # Regulators (login required; scoped through Report.objects.visible_to)
    path("", views.report_index, name="index"),
    path("export.xlsx", views.report_export, name="export"),
    path("new/", views.report_register, name="register"),
    path("overdue/", views.overdue_list, name="overdue"),
    path("statistics/", views.report_statistics, name="statistics"),
    path("<int:pk>/", views.report_detail, name="detail"),
    path("<int:pk>/<str:action>/", views.report_act, name="act"),
    path("photos/<int:pk>/<str:size>/", views.report_photo, name="photo"),
    # JSON API (session or token auth; scoped)
    path("api/reports/", api.ReportListApi.as_view(), name="api-reports"),
    path("api/reports/<int:pk>/", api.ReportDetailApi.as_view(), name="api-report"),
    path("api/stats/", api.ReportStatsApi.as_view(), name="api-stats"),
    # Public (no login, rate-limited)
    path("public/new/", views.public_new, name="public_new"),
    path("public/done/", views.public_done, name="public_done"),
    path("public/track/", views.public_track, name="public_track"),
    path("public/institutions/", views.institution_search, name="institution_search"),
    path("public/resolve/", views.public_resolve, name="public_resolve"),
    path("public/pending/<str:token>/", views.public_pending_photo, name="public_pending_photo"),
]
