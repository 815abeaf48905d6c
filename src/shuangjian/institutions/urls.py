from django.urls import path

from . import api, views

app_name = "institutions"
urlpatterns = [
    path("", views.InstitutionListView.as_view(), name="index"),
    path("<int:pk>/", views.InstitutionDetailView.as_view(), name="detail"),
    path("<int:pk>/transition/", views.InstitutionTransitionView.as_view(), name="transition"),
    path("<int:pk>/particulars/", views.InstitutionParticularsView.as_view(), name="particulars"),
    path("<int:pk>/sites/new/", views.SiteAddView.as_view(), name="site_add"),
    path("<int:pk>/staff/new/", views.PractitionerAddView.as_view(), name="staff_add"),
    path("<int:pk>/items/new/", views.ItemAddView.as_view(), name="item_add"),
    path("sites/<int:pk>/edit/", views.SiteEditView.as_view(), name="site_edit"),
    path("staff/<int:pk>/edit/", views.PractitionerEditView.as_view(), name="staff_edit"),
    path("items/<int:pk>/edit/", views.ItemEditView.as_view(), name="item_edit"),
    path("items/<int:pk>/sessions/new/", views.SessionAddView.as_view(), name="session_add"),
    path("items/<int:pk>/status/", views.ItemStatusView.as_view(), name="item_status"),
    path("import/", views.ImportView.as_view(), name="import"),
    path("register/", views.RegisterView.as_view(), name="register"),
    path("violations/", views.ViolationListView.as_view(), name="violations"),
    path("violations/export.xlsx", views.ViolationExportView.as_view(), name="violations_export"),
    path("violations/<int:pk>/resolve/", views.ViolationResolveView.as_view(), name="violation_resolve"),
    path("compliance/scan/", views.ScanView.as_view(), name="scan"),
    path("compliance/rules/", views.RulesView.as_view(), name="rules"),
    path("applications/", views.ApplicationListView.as_view(), name="applications"),
    path("applications/new/", views.ApplicationCreateView.as_view(), name="application_new"),
    path("applications/<int:pk>/", views.ApplicationDetailView.as_view(), name="application_detail"),
    path("applications/<int:pk>/decide/", views.ApplicationDecideView.as_view(), name="application_decide"),
    path(
        "applications/<int:pk>/resubmit/",
        views.ApplicationResubmitView.as_view(),
        name="application_resubmit",
    ),
    path("materials/<int:pk>/", views.MaterialDownloadView.as_view(), name="material"),
    path("api/", api.InstitutionListApi.as_view(), name="api_list"),
    path("api/<int:pk>/", api.InstitutionDetailApi.as_view(), name="api_detail"),
    path("api/violations/", api.ViolationListApi.as_view(), name="api_violations"),
    path("public/", views.PublicSearchView.as_view(), name="public_search"),
    path("public/blacklist/", views.PublicBlacklistView.as_view(), name="public_blacklist"),
    path("public/<str:credit_code>/", views.PublicDetailView.as_view(), name="public_detail"),
]
