from django.urls import path

from . import views

app_name = "governance"
urlpatterns = [
    path("", views.IndexView.as_view(), name="index"),
    path("supervisors/", views.SupervisorListView.as_view(), name="supervisors"),
    path("supervisors/new/", views.SupervisorAppointView.as_view(), name="supervisor_new"),
    path("supervisors/<int:pk>/", views.SupervisorDetailView.as_view(), name="supervisor"),
    path("tasks/<int:pk>/", views.TaskDetailView.as_view(), name="task"),
    path("my/", views.MyTasksView.as_view(), name="my_tasks"),
    path("my/tasks/<int:pk>/", views.MyTaskView.as_view(), name="my_task"),
    path("coordination/", views.UnitListView.as_view(), name="units"),
    path("coordination/units/<int:pk>/", views.UnitDetailView.as_view(), name="unit"),
    path("coordination/tasks/<int:pk>/", views.CoordinationTaskView.as_view(), name="coordination_task"),
    path("coordination/overdue/", views.CoordinationOverdueView.as_view(), name="coordination_overdue"),
    path("campaigns/", views.CampaignListView.as_view(), name="campaigns"),
    path("campaigns/<int:pk>/", views.CampaignDetailView.as_view(), name="campaign"),
    path("targets/<int:pk>/", views.TargetView.as_view(), name="target"),
    path("admissions/", views.AdmissionsView.as_view(), name="admissions"),
    path("publicity/", views.PublicityView.as_view(), name="publicity"),
    path("import/<str:kind>/", views.ImportView.as_view(), name="import"),
]
