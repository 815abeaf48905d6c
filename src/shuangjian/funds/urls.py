from django.urls import path

from shuangjian.common.views import UnderConstructionView

app_name = "funds"
urlpatterns = [
    path("", UnderConstructionView.as_view(area="预收费监管"), name="index"),
]
