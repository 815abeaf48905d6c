from django.urls import path

from . import views

app_name = "enforcement"
urlpatterns = [
    path("", views.CaseListView.as_view(), name="index"),
    path("export.xlsx", views.CaseExportView.as_view(), name="export"),
    path("cases/new/", views.CaseCreateView.as_view(), name="case_create"),
    path("cases/<int:pk>/", views.CaseDetailView.as_view(), name="case"),
    path("inspections/", views.InspectionListView.as_view(), name="inspections"),
    path("inspections/new/", views.InspectionCreateView.as_view(), name="inspection_create"),
    path("campaigns/", views.CampaignListView.as_view(), name="campaigns"),
    path("campaigns/new/", views.CampaignCreateView.as_view(), name="campaign_create"),
    path("campaigns/<int:pk>/", views.CampaignDetailView.as_view(), name="campaign"),
    path("campaigns/<int:pk>/export.xlsx", views.CampaignExportView.as_view(), name="campaign_export"),
]
