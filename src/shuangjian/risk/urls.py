from django.urls import path

from shuangjian.common.views import UnderConstructionView

app_name = "risk"
urlpatterns = [
    path("", UnderConstructionView.as_view(area="风险预警"), name="index"),
]
