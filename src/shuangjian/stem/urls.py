from django.urls import path

from . import views

app_name = "stem"
urlpatterns = [
    path("", views.IndexView.as_view(), name="index"),
    path("region/<str:code>/", views.RegionView.as_view(), name="region"),
    path("courses/", views.CourseListView.as_view(), name="courses"),
    path("courses/new/", views.CourseCreateView.as_view(), name="course_new"),
    path("courses/<int:pk>/", views.CourseDetailView.as_view(), name="course"),
    path("courses/<int:pk>/edit/", views.CourseEditView.as_view(), name="course_edit"),
    path("courses/<int:pk>/submit/", views.CourseSubmitView.as_view(), name="course_submit"),
    path("courses/<int:pk>/review/", views.CourseReviewView.as_view(), name="course_review"),
    path("courses/<int:pk>/materials/", views.MaterialUploadView.as_view(), name="material_upload"),
    path("materials/<int:pk>/", views.MaterialFileView.as_view(), name="material"),
    path("reviews/", views.ReviewQueueView.as_view(), name="reviews"),
    path("competitions/", views.CompetitionListView.as_view(), name="competitions"),
    path("competitions/<int:pk>/", views.CompetitionDetailView.as_view(), name="competition"),
    path("research/", views.ResearchListView.as_view(), name="research_list"),
    path("research/new/", views.ResearchCreateView.as_view(), name="research_new"),
    path("research/<int:pk>/", views.ResearchDetailView.as_view(), name="research"),
    path("research/<int:pk>/action/", views.ResearchActionView.as_view(), name="research_action"),
    path("import/", views.ImportView.as_view(), name="import"),
    path("import/template.xlsx", views.TemplateDownloadView.as_view(), name="template"),
    path("library/", views.LibraryView.as_view(), name="library"),
    path("library/<str:key>/", views.LibraryCourseView.as_view(), name="library_course"),
    path("library/<str:key>/adopt/", views.LibraryAdoptView.as_view(), name="library_adopt"),
    path("library/material/<int:pk>/", views.LibraryMaterialView.as_view(), name="library_material"),
]
