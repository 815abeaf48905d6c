from django.urls import path

from . import views

app_name = "stats"
urlpatterns = [
    path("", views.DashboardView.as_view(), name="index"),
    path("definitions/", views.KpiDefinitionsView.as_view(), name="definitions"),
    path("records/<str:kpi_id>/", views.KpiRecordsView.as_view(), name="records"),
    path("evaluation/", views.EvaluationView.as_view(), name="evaluation"),
    path("evaluation/<int:pk>/", views.EvaluationTargetView.as_view(), name="evaluation_target"),
    path("weekly/", views.WeeklyReportView.as_view(), name="weekly"),
    path("weekly/archive/", views.WeeklyArchiveView.as_view(), name="weekly_archive"),
    path("weekly/issue/<int:pk>/<str:fmt>/", views.WeeklyIssueFileView.as_view(), name="weekly_file"),
    path("weekly/<str:week>/<str:fmt>/", views.WeeklyReportDownloadView.as_view(), name="weekly_download"),
]
