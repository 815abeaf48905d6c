from django.urls import path

from . import views

app_name = "ops"
urlpatterns = [
    path("jobs/", views.JobsView.as_view(), name="jobs"),
    path("jobs/<str:job_id>/", views.JobHistoryView.as_view(), name="job_history"),
]
