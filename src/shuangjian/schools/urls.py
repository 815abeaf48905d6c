from django.urls import path

from shuangjian.common.views import UnderConstructionView

app_name = "schools"
urlpatterns = [
    path("", UnderConstructionView.as_view(area="校内减负"), name="index"),
]
