from django.urls import path

from . import views

app_name = "risk"
urlpatterns = [
    path("", views.BoardView.as_view(), name="index"),
    path("institutions/<int:pk>/", views.InstitutionRiskView.as_view(), name="institution"),
    path("tasks/", views.TaskListView.as_view(), name="tasks"),
    path("tasks/<int:pk>/", views.TaskDetailView.as_view(), name="task"),
]
