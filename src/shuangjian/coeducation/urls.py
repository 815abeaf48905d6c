from django.urls import path

from . import views

app_name = "coeducation"
urlpatterns = [
    path("", views.IndexView.as_view(), name="index"),
    path("parent-schools/", views.ParentSchoolListView.as_view(), name="parent_schools"),
    path("activities/", views.ActivityListView.as_view(), name="activities"),
    path("public/", views.PublicCoursesView.as_view(), name="public_courses"),
    path("public/courses/<slug:slug>/", views.PublicCourseView.as_view(), name="public_course"),
    path("public/lessons/<int:pk>/", views.PublicLessonView.as_view(), name="public_lesson"),
]
