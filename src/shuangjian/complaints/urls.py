from django.urls import path

from shuangjian.common.views import UnderConstructionView

app_name = "complaints"
urlpatterns = [
    path("", UnderConstructionView.as_view(area="投诉举报"), name="index"),
]
