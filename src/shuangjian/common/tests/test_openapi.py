"""The OpenAPI schema tells the truth: schemathesis runs its coverage, fuzzing and stateful phases
against the live API, as an institution user and as a county user, bounded in examples, and must
find nothing (every status an endpoint answers is documented, bodies match their schemas,
constraints the API enforces are in the schema).

Slow (a few minutes): ``make test-fast`` skips it; ``make test`` and CI run it.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from django.utils import timezone

from shuangjian.common.testing import make_institution

pytestmark = [pytest.mark.slow, pytest.mark.django_db(transaction=True)]

MAX_EXAMPLES = 15
ST = Path(sys.executable).with_name("st")


def _token(user) -> str:
    from rest_framework.authtoken.models import Token

    return Token.objects.get_or_create(user=user)[0].key


def _world(make_user):
    """A county with an institution, a contract with a payment and a report; its users' tokens."""
    from shuangjian.complaints.choices import ReportType, Source
    from shuangjian.complaints.services import report_create
    from shuangjian.funds.services import payment_record

    institution = make_institution("430102", fund_supervised=True, status="LICENSED")
    payment_record(
        key="ST-1",
        institution=institution,
        contract_no="HT-ST-1",
        student_ref="S-1",
        hours=20,
        amount_fen=200_000,
        occurred_at=timezone.now(),
    )
    report_create(
        source=Source.PHONE,
        report_type=ReportType.ILLEGAL_CHARGING,
        county_code="430102",
        institution=institution,
        description="收费不明，要求退费",
        with_query_code=False,
    )
    county = make_user("COUNTY", region="430102")
    staff = make_user("INSTITUTION", institution=institution)
    return {"county": _token(county), "institution": _token(staff)}


@pytest.mark.parametrize("who", ["institution", "county"])
def test_schemathesis_finds_nothing(who, live_server, make_user, tmp_path):
    tokens = _world(make_user)
    command = [
        str(ST),
        "run",
        f"{live_server.url}/api/schema/",
        "--url",
        f"{live_server.url}",
        "--phases",
        "examples,coverage,fuzzing,stateful",
        "--max-examples",
        str(MAX_EXAMPLES),
        "--seed",
        "13",
        "--workers",
        "1",
        "--checks",
        "all",
        # Not applicable here: the token is a fixed header, so "invalid auth" requests still carry it
        # (ignored_auth); the custody API refuses schema-valid operations on business grounds (an
        # unknown institution, the ledger rules) with its documented 422 (positive_data_acceptance).
        "--exclude-checks",
        "ignored_auth,positive_data_acceptance",
        "--header",
        f"Authorization: Token {tokens[who]}",
        "--request-timeout",
        "30",
        "--exclude-path-regex",
        "^/api/(token|docs)/",
        "--report",
        "junit",
        "--report-dir",
        str(tmp_path),
    ]
    result = subprocess.run(command, capture_output=True, text=True, timeout=900, check=False)
    output = result.stdout + result.stderr
    report = Path(__file__).resolve().parents[4] / "test-output" / f"schemathesis-{who}.txt"
    report.parent.mkdir(parents=True, exist_ok=True)
    report.write_text(output, encoding="utf-8")
    assert result.returncode == 0, f"schemathesis found problems (full output: {report}):\n" + output[-6000:]
