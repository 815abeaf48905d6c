"""Login (with django-axes lock-out). The role's home page is ``portal.views.HomeView``."""

from __future__ import annotations

from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.utils.decorators import method_decorator


@method_decorator(login_not_required, name="dispatch")
class LoginView(auth_views.LoginView):
    """Username/password login; repeated failures lock the account (django-axes)."""

    template_name = "accounts/login.html"
    redirect_authenticated_user = True
