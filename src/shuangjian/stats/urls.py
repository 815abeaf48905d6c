from django.urls import path

from shuangjian.common.views import UnderConstructionView

app_name = "stats"
urlpatterns = [
    path("", UnderConstructionView.as_view(area="统计与专报"), name="index"),
]
