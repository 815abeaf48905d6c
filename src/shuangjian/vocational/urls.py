from django.urls import path

from . import views

app_name = "vocational"
urlpatterns = [
    path("", views.IndexView.as_view(), name="index"),
    path("region/<str:code>/", views.RegionView.as_view(), name="region"),
    path("school/<int:pk>/", views.SchoolDetailView.as_view(), name="school"),
    path("shortfalls/", views.ShortfallsView.as_view(), name="shortfalls"),
    path("rules/", views.RulesView.as_view(), name="rules"),
    path("templates/<str:kind>.xlsx", views.TemplateDownloadView.as_view(), name="template"),
    path("import/", views.ImportView.as_view(), name="import"),
]
