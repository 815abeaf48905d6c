"""Template context shared by every page."""

from django.conf import settings
from django.urls import NoReverseMatch, reverse


def navigation(request):
    """Navigation entries of the shell: (url, label, active) for each area."""
    items = []
    path = request.path
    for name, label in settings.NAV_AREAS:
        try:
            url = reverse(name)
        except NoReverseMatch:
            continue
        active = path == url if url == "/" else path.startswith(url)
        items.append({"url": url, "label": label, "active": active})
    return {"nav_items": items, "demo_mode": settings.DEMO_MODE}
