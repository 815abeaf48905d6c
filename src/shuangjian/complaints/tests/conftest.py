import pytest


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Rate-limit and challenge counters live in the cache: every test starts from zero."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def county_officer(make_user):
    return make_user("COUNTY", region="430102")
