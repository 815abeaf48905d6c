from django.urls import path

from . import views

app_name = "cooperation"

urlpatterns = [
    path("", views.OverviewView.as_view(), name="index"),
    path("programmes/", views.ProgrammeListView.as_view(), name="programmes"),
    path("programmes/new/", views.ProgrammeCreateView.as_view(), name="programme_create"),
    path("programmes/<int:pk>/", views.ProgrammeDetailView.as_view(), name="programme"),
    path("programmes/<int:pk>/<slug:action>/", views.ProgrammeActionView.as_view(), name="programme_action"),
    path("placement/", views.PlacementView.as_view(), name="placement"),
    path("enterprises/", views.EnterpriseListView.as_view(), name="enterprises"),
    path("enterprises/<int:pk>/", views.EnterpriseDetailView.as_view(), name="enterprise"),
    path("x/certificates/", views.CertificateListView.as_view(), name="certificates"),
    path("x/sites/", views.SiteListView.as_view(), name="sites"),
    path("x/sites/apply/", views.SiteApplyView.as_view(), name="site_apply"),
    path("x/sites/<int:pk>/", views.SiteDetailView.as_view(), name="site"),
    path("x/sessions/", views.SessionListView.as_view(), name="sessions"),
    path("bodies/", views.BodyListView.as_view(), name="bodies"),
    path("bodies/<int:pk>/", views.BodyDetailView.as_view(), name="body"),
    path("craftsmen/", views.CraftsmanListView.as_view(), name="craftsmen"),
    path("training-volumes/", views.TrainingVolumeListView.as_view(), name="volumes"),
]
