"""The platform's URLs and ``/bench/bare/``: a view through the whole middleware stack that answers
two bytes without touching the database (the baseline of ``benchmarks/load.py``)."""

from django.contrib.auth.decorators import login_not_required
from django.http import HttpRequest, HttpResponse
from django.urls import path

from shuangjian.urls import urlpatterns as platform_urlpatterns

handler404 = "shuangjian.common.views.error_404"


@login_not_required
def bare(request: HttpRequest) -> HttpResponse:
    """``ok`` as text/plain."""
    return HttpResponse(b"ok", content_type="text/plain")


urlpatterns = [path("bench/bare/", bare), *platform_urlpatterns]
