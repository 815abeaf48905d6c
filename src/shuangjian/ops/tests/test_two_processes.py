"""Nothing shared lives in one process: two `shuangjian serve` processes on two ports, one PostgreSQL
database, one Redis (cache, rate-limit counters, sessions, task queue), one upload folder.

- a login through one process is a login on the other (sessions in the database + Redis);
- a rate limit counts the requests of one client across both (django-ratelimit counters in Redis;
  the client address from X-Forwarded-For, as behind the proxy);
- a photo uploaded through one is served by the other (Django's default storage);
- custody postings for one contract sent through both at once serialise (row locks on PostgreSQL):
  exactly as many lessons as the contract's hours are accepted, `funds check` holds.
"""

from __future__ import annotations

import http.cookiejar
import io
import json
import os
import re
import subprocess
import time
import urllib.error
import urllib.parse
import urllib.request
import zlib
from concurrent.futures import ThreadPoolExecutor
from decimal import Decimal

import pytest
from django.db import connection

from .servers import free_port, manage, server_env, stop, wait_until_healthy

pytestmark = [pytest.mark.postgres_only, pytest.mark.processes, pytest.mark.django_db(transaction=True)]

REDIS_URL = os.environ.get("OPS_TEST_REDIS_URL", "redis://127.0.0.1:6379/14")
PASSWORD = "Two-process-123"
CONTRACT_HOURS = 5
ATTEMPTS = 10


class Browser:
    """A cookie-keeping HTTP client (cookies are per host, so one jar serves both ports)."""

    def __init__(self, forwarded_for: str = "198.51.100.7"):
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.jar), _NoRedirect())
        self.forwarded_for = forwarded_for

    def request(self, url: str, *, data: bytes | None = None, headers: dict | None = None):
        """(status, headers, body bytes); never raises on HTTP error statuses."""
        req = urllib.request.Request(
            url, data=data, headers={"X-Forwarded-For": self.forwarded_for, **(headers or {})}
        )
        try:
            with self.opener.open(req, timeout=60) as response:
                return response.status, response.headers, response.read()
        except urllib.error.HTTPError as error:
            return error.code, error.headers, error.read()

    def csrf(self, url: str) -> str:
        status, _, body = self.request(url)
        assert status == 200, url
        return re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', body).group(1).decode()

    def post_form(self, url: str, fields: dict, files: dict | None = None):
        import urllib3

        fields = {"csrfmiddlewaretoken": self.csrf(url), **fields}
        if files:
            body, content_type = urllib3.encode_multipart_formdata({**fields, **files})
        else:
            body, content_type = urllib.parse.urlencode(fields).encode(), "application/x-www-form-urlencoded"
        return self.request(url, data=body, headers={"Content-Type": content_type, "Referer": url})


class Servers(list):
    """The two base URLs, plus ``media``: the upload folder both processes share."""

    media: object


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


@pytest.fixture
def world(transactional_db):
    """The records both servers read: regions, a county regulator, an institution with an API token
    and a contract of CONTRACT_HOURS hours."""
    import datetime as dt

    from django.contrib.auth.hashers import PBKDF2PasswordHasher
    from rest_framework.authtoken.models import Token

    from shuangjian.accounts.models import User
    from shuangjian.common.testing import make_institution
    from shuangjian.funds.services import payment_record
    from shuangjian.regions.models import Region
    from shuangjian.regions.services import regions_load

    regions_load()
    institution = make_institution("430102")
    # Hashed as the servers' production settings expect (the test settings use a fast MD5 hasher).
    hasher = PBKDF2PasswordHasher()
    User.objects.create(
        username="furong2p",
        role="COUNTY",
        region=Region.objects.get(code="430102"),
        password=hasher.encode(PASSWORD, hasher.salt()),
    )
    staff = User.objects.create(username="jigou2p", role="INSTITUTION", institution=institution, password="!")
    payment_record(
        key="P-2P",
        institution=institution,
        contract_no="HT-2P",
        student_ref="XS1",
        hours=CONTRACT_HOURS,
        amount_fen=CONTRACT_HOURS * 10_000,
        occurred_at=dt.datetime(2024, 3, 1, 9, tzinfo=dt.timezone(dt.timedelta(hours=8))),
    )
    return {"institution": institution, "token": Token.objects.create(user=staff).key}


@pytest.fixture(scope="module")
def servers(django_db_setup, tmp_path_factory):
    """Two `shuangjian serve` processes (2 gunicorn workers each) sharing the test database, Redis and
    one var/ folder (static files, uploads), for the whole module; each test brings its own records."""
    tmp_path = tmp_path_factory.mktemp("two-processes")
    if connection.vendor != "postgresql":
        pytest.skip(
            "needs PostgreSQL (DATABASE_URL=postgres://…): several processes on one SQLite file is not the case"
        )
    import redis

    client = redis.Redis.from_url(REDIS_URL, socket_connect_timeout=3)
    try:
        client.flushdb()
    except redis.ConnectionError:
        pytest.fail(f"Redis is not reachable at {REDIS_URL} (.ci/run starts it)")
    s = connection.settings_dict
    url = f"postgres://{s['USER']}@{s['HOST'] or '127.0.0.1'}:{s['PORT'] or 5432}/{s['NAME']}"
    env = server_env(
        tmp_path,
        DATABASE_URL=url,
        REDIS_URL=REDIS_URL,
        SECRET_KEY="two-process-" + "k" * 50,
        PROXY_HOPS="1",
        LOG_FORMAT="json",
    )
    subprocess.run(manage("collectstatic", "--noinput", "-v0"), env=env, check=True, timeout=300)
    processes, urls = [], []
    try:
        for n in range(2):
            port = free_port()
            out = (tmp_path / f"server{n}.log").open("w")
            processes.append(
                subprocess.Popen(
                    manage(
                        "serve",
                        "--no-prepare",
                        "--no-worker",
                        "--workers",
                        "2",
                        "--bind",
                        f"127.0.0.1:{port}",
                    ),
                    env=env,
                    stdout=out,
                    stderr=subprocess.STDOUT,
                )
            )
            urls.append(f"http://127.0.0.1:{port}")
        for base, process in zip(urls, processes, strict=True):
            wait_until_healthy(base, process, timeout=180)
        shared = Servers(urls)
        shared.media = tmp_path / "var" / "media"
        yield shared
    finally:
        for process in processes:
            stop(process, sig=2)
        client.flushdb()
        client.close()


def _login(browser: Browser, base: str) -> None:
    status, headers, _ = browser.post_form(
        f"{base}/accounts/login/", {"username": "furong2p", "password": PASSWORD}
    )
    assert status == 302, "login refused"


def test_both_processes_answer_ready_with_database_redis_and_queue(servers, transactional_db):
    for base in servers:
        status, _, body = Browser().request(f"{base}/readyz")
        assert status == 200
        assert json.loads(body)["checks"] == {"database": "ok", "redis": "ok", "task_queue": "ok"}


def test_a_login_on_one_process_works_on_the_other(servers, world):
    a, b = servers
    browser = Browser()
    assert browser.request(f"{b}/complaints/")[0] == 302  # not logged in: sent to the login page
    _login(browser, a)
    status, _, body = browser.request(f"{b}/complaints/")
    assert status == 200 and "芙蓉区".encode() in body
    assert Browser().request(f"{b}/complaints/")[0] == 302  # a stranger still is not


def _address_with_time_left(period: int, at_least: int) -> str:
    """A client address whose django-ratelimit window (end = edge + crc32(address) % period) ends
    ``at_least`` seconds or more from now, so that the whole burst falls into one window."""
    for n in range(1, 255):
        address = f"203.0.113.{n}"
        now = int(time.time())
        end = now - (now % period) + (zlib.crc32(address.encode()) % period)
        if end < now:
            end += period
        if end - now >= at_least:
            return address
    raise AssertionError("no address found")


def test_a_rate_limit_counts_one_client_across_both_processes(servers, world):
    a, b = servers
    # The public white-list search allows 30 requests a minute per client address.
    browser = Browser(forwarded_for=_address_with_time_left(60, 40))
    statuses = [
        browser.request(f"{(a, b)[i % 2]}/institutions/public/?q=%E5%9F%B9%E8%AE%AD")[0] for i in range(34)
    ]
    assert statuses.count(200) == 30 and statuses.count(429) == 4, statuses
    assert statuses[:30] == [200] * 30  # each process alone saw only 17: the counter is shared
    # Another client is not limited.
    assert Browser(forwarded_for="192.0.2.99").request(f"{a}/institutions/public/?q=x")[0] == 200


def test_a_photo_uploaded_through_one_process_is_served_by_the_other(servers, world):
    from PIL import Image

    from shuangjian.complaints.models import ReportPhoto

    a, b = servers
    image = io.BytesIO()
    Image.new("RGB", (640, 480), (200, 30, 30)).save(image, "JPEG")
    reporter = Browser(forwarded_for="198.51.100.20")
    status, headers, body = reporter.post_form(
        f"{a}/complaints/public/new/",
        {
            "report_type": "ILLEGAL_SUBJECT_TRAINING",
            "description": "周末在小区内开设初中数学补习班，约二十名学生",
            "place": "长沙市芙蓉区五一大道100号",
            "county": "",
            "institution_text": "某某学习中心",
            "phone": "",
            "challenge": "",
            "website": "",
        },
        files={"photos": ("现场.jpg", image.getvalue(), "image/jpeg")},
    )
    assert status == 302, body.decode()[:3000]
    photo = ReportPhoto.objects.get()
    stored = (servers.media / photo.image.name).read_bytes()
    regulator = Browser()
    _login(regulator, a)
    status, headers, served = regulator.request(f"{b}/complaints/photos/{photo.pk}/full/")
    assert status == 200 and headers["Content-Type"] == "image/jpeg"
    assert served == stored


def test_custody_postings_for_one_contract_through_both_processes_serialise(servers, world):
    from shuangjian.funds.models import Contract, FundEvent
    from shuangjian.funds.selectors import ledger_check

    a, b = servers

    def post(i: int) -> int:
        body = json.dumps(
            {
                "idempotency_key": f"C-2P-{i}",
                "credit_code": world["institution"].credit_code,
                "contract_no": "HT-2P",
                "student_ref": "XS1",
                "hours": "1",
                "occurred_at": f"2024-03-02T10:{i:02d}:00+08:00",
            }
        ).encode()
        status, _, _ = Browser().request(
            f"{(a, b)[i % 2]}/funds/api/consumptions/",
            data=body,
            headers={"Authorization": f"Token {world['token']}", "Content-Type": "application/json"},
        )
        return status

    with ThreadPoolExecutor(max_workers=ATTEMPTS) as pool:
        statuses = list(pool.map(post, range(ATTEMPTS)))
    assert statuses.count(201) == CONTRACT_HOURS and statuses.count(422) == ATTEMPTS - CONTRACT_HOURS, (
        statuses
    )
    contract = Contract.objects.get(contract_no="HT-2P")
    assert contract.hours_pending == Decimal(CONTRACT_HOURS)
    assert FundEvent.objects.filter(key__startswith="C-2P-").count() == CONTRACT_HOURS
    problems, _ = ledger_check()
    assert problems == []
