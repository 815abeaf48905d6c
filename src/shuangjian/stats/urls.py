from django.urls import path

from . import views

app_name = "stats"
urlpatterns = [
    path("", views.DashboardView.as_view(), name="index"),
    path("definitions/", views.KpiDefinitionsView.as_view(), name="definitions"),
    path("records/<str:kpi_id>/", views.KpiRecordsView.as_view(), name="records"),
]
