from django.urls import path

from shuangjian.common.views import UnderConstructionView

app_name = "enforcement"
urlpatterns = [
    path("", UnderConstructionView.as_view(area="执法检查"), name="index"),
]
