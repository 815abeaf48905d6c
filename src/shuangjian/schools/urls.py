from django.urls import path

from . import views

app_name = "schools"
urlpatterns = [
    path("", views.IndexView.as_view(), name="index"),
    path("region/<str:code>/", views.RegionView.as_view(), name="region"),
    path("shortfalls/", views.ShortfallsView.as_view(), name="shortfalls"),
    path("school/<int:pk>/", views.SchoolDetailView.as_view(), name="school"),
    path("class/<int:pk>/", views.ClassDetailView.as_view(), name="class"),
    path("class/<int:pk>/homework/", views.HomeworkPublishView.as_view(), name="homework_publish"),
    path("after-school/report/", views.AfterSchoolReportView.as_view(), name="after_school_report"),
    path("exams/register/", views.ExamRegisterView.as_view(), name="exam_register"),
    path("public/class/<uuid:key>/", views.ClassPublicView.as_view(), name="class_public"),
    path("templates/<str:kind>.xlsx", views.TemplateDownloadView.as_view(), name="template"),
    path("import/", views.ImportView.as_view(), name="import"),
    path("api/rates/<str:code>/", views.RatesApiView.as_view(), name="api_rates"),
]
