from django.urls import path

from . import views

app_name = "ops"
urlpatterns = [
    path("jobs/", views.JobsView.as_view(), name="jobs"),
    path("jobs/<str:job_id>/", views.JobHistoryView.as_view(), name="job_history"),
    path("tasks/", views.TaskListView.as_view(), name="tasks"),
    path("tasks/<int:pk>/", views.TaskDetailView.as_view(), name="task"),
    path("tasks/<int:pk>/progress/", views.TaskProgressView.as_view(), name="task_progress"),
    path("import/", views.ImportUploadView.as_view(), name="import"),
    path("weekly/", views.WeeklyTaskView.as_view(), name="weekly"),
    path("compliance-scan/", views.ComplianceScanTaskView.as_view(), name="compliance_scan"),
]
