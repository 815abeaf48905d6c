"""Project-wide pytest fixtures: the region table is loaded once into the test database."""

from __future__ import annotations

import pytest


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """Load the real GB/T 2260 region table once per test session."""
    from django.core.cache import cache

    from shuangjian.regions.services import regions_load

    with django_db_blocker.unblock():
        regions_load()
        cache.clear()


@pytest.fixture
def make_user(db):
    """Factory: ``make_user("county", region="430102")`` → a saved, full_clean()ed user."""
    from shuangjian.accounts.models import User

    def factory(role: str, *, username: str | None = None, password: str = "Pass-word-123", **binding):
        if "region" in binding and isinstance(binding["region"], str):
            from shuangjian.regions.models import Region

            binding["region"] = Region.objects.get(code=binding["region"])
        factory.n += 1
        user = User(username=username or f"{role.lower()}{factory.n}", role=role.upper(), **binding)
        user.set_password(password)
        user.full_clean()
        user.save()
        return user

    factory.n = 0
    return factory
