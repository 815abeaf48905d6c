"""Template context shared by every page."""

from django.conf import settings
from django.urls import NoReverseMatch, reverse


def navigation(request):
    """Navigation entries of the shell: (url, label, active) for each area the user's role may use."""
    items = []
    path = request.path
    user = getattr(request, "user", None)
    role = getattr(user, "role", None)
    superuser = bool(getattr(user, "is_superuser", False))
    for name, label, roles in settings.NAV_AREAS:
        if roles is not None and not superuser and role not in roles:
            continue
        try:
            url = reverse(name)
        except NoReverseMatch:
            continue
        active = path == url if url == "/" else path.startswith(url)
        items.append({"url": url, "label": label, "active": active})
    return {"nav_items": items, "demo_mode": settings.DEMO_MODE}
