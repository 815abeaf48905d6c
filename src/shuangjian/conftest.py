"""Project-wide pytest fixtures: the region table is loaded once into the test database."""

from __future__ import annotations

from pathlib import Path

import pytest


def pytest_configure(config):
    """Compile the .po catalogues whose .mo is missing or older, so plain ``pytest`` runs the English
    tests without ``make messages`` first (same compiler and rules: Babel, fuzzy entries left out)."""
    from babel.messages.mofile import write_mo
    from babel.messages.pofile import read_po

    for po in (Path(__file__).parent / "locale").glob("*/LC_MESSAGES/django.po"):
        mo = po.with_suffix(".mo")
        if mo.exists() and mo.stat().st_mtime >= po.stat().st_mtime:
            continue
        with po.open("rb") as source:
            catalog = read_po(source)
        with mo.open("wb") as target:
            write_mo(target, catalog)


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """Load the real GB/T 2260 region table once per test session."""
    from django.core.cache import cache

    from shuangjian.regions.services import regions_load

    with django_db_blocker.unblock():
        regions_load()
        cache.clear()


@pytest.fixture(autouse=True)
def _default_language():
    """Every test starts in the site's default language (Simplified Chinese). A request sent with
    ``Accept-Language: en`` makes LocaleMiddleware activate English in the test's thread, and nothing
    resets it after the response, so a later test calling a service directly would get English."""
    from django.conf import settings
    from django.utils import translation

    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture(autouse=True)
def _regions_after_flush(request):
    """Transactional tests (``django_db(transaction=True)``) empty every table when they end, the
    region table included: load it again before each of them, whatever ran before."""
    marker = request.node.get_closest_marker("django_db")
    if marker is None or not (marker.kwargs.get("transaction") or (marker.args and marker.args[0])):
        return
    request.getfixturevalue("transactional_db")
    from django.core.cache import cache

    from shuangjian.regions.services import regions_load

    regions_load()
    cache.clear()


def _flushes_tables(item) -> bool:
    """Whether a test empties every table when it ends (transactional database, live server)."""
    marker = item.get_closest_marker("django_db")
    if marker is not None and (marker.kwargs.get("transaction") or (marker.args and marker.args[0])):
        return True
    return bool({"transactional_db", "live_server", "browser_page"} & set(getattr(item, "fixturenames", ())))


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(items):
    """Tests that flush the tables run after all the others, whatever order another plugin chose:
    the others rely on the region table loaded once with the test database. Python's sort is stable,
    so every other order is kept.

    With the kept database of ``make test-fast`` (SHUANGJIAN_TEST_KEEPDB=1) a test that flushes would
    empty what the migrations loaded for every later run: refuse to start instead."""
    items.sort(key=_flushes_tables)
    from django.conf import settings

    if getattr(settings, "KEEPDB", False):
        flushing = [item.nodeid for item in items if _flushes_tables(item)]
        if flushing:
            raise pytest.UsageError(
                "SHUANGJIAN_TEST_KEEPDB=1 keeps the test database between runs; these tests empty its "
                f"tables, run them without it (make test): {', '.join(flushing[:5])}"
            )


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


# --- Browser tests: Debian's chromium driven by Playwright (never a downloaded browser) ---------
import os  # noqa: E402

# Playwright's sync API runs an event loop in the test thread; the ORM calls the test makes
# between browser steps are still synchronous and safe.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-quic",
    "--no-first-run",
    "--disable-sync",
]
SCREENSHOT_DIR = Path(__file__).resolve().parents[2] / "test-output" / "screenshots"


@pytest.fixture(scope="session")
def chromium_browser():
    """One headless Debian chromium for the session."""
    from playwright.sync_api import sync_playwright

    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing: `make test` installs Debian's chromium (make system-deps)")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        yield browser
        browser.close()


@pytest.fixture
def browser_page(chromium_browser, live_server):
    """A fresh desktop-sized page; ``page.base_url`` is the live server's address."""
    context = chromium_browser.new_context(viewport={"width": 1280, "height": 900}, locale="zh-CN")
    page = context.new_page()
    page.set_default_timeout(15000)
    page.base_url = live_server.url
    yield page
    context.close()


@pytest.fixture
def phone_page(chromium_browser, live_server):
    """A fresh phone-sized page (390×844, touch)."""
    context = chromium_browser.new_context(
        viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True, locale="zh-CN"
    )
    page = context.new_page()
    page.set_default_timeout(15000)
    page.base_url = live_server.url
    yield page
    context.close()


def save_screenshot(page, name: str) -> Path:
    """Save a full-page PNG under test-output/screenshots/ (ignored by git)."""
    SCREENSHOT_DIR.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOT_DIR / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path
