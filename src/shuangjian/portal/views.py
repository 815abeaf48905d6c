"""The public portal (公众服务): one entry page for parents and the public, no login."""

from django.contrib.auth.decorators import login_not_required
from django.shortcuts import render


@login_not_required
def portal_index(request):
    """Links to every public service: white/black lists, reporting, tracking, contract balance."""
    return render(request, "portal/index.html")
