"""The fund-event generator writes a real statement file that imports through the import command."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command

pytestmark = pytest.mark.django_db


def test_generated_statement_imports_and_balances(tmp_path):
    from shuangjian.common.testing import make_institution
    from shuangjian.funds.generate import HEADER, generate_events, write_csv, yuan_text
    from shuangjian.funds.models import Contract, FundEvent
    from shuangjian.funds.selectors import ledger_check

    codes = [make_institution(county, fund_supervised=True).credit_code for county in ("430102", "430405")]
    path = tmp_path / "fund-events.csv"
    assert write_csv(path, generate_events(codes, 400, seed=2024, key_prefix="GEN")) == 400
    assert path.read_text(encoding="utf-8").splitlines()[0] == ",".join(HEADER)
    out = io.StringIO()
    call_command("import", "fund-events", str(path), "--quiet", stdout=out, stderr=out)
    assert FundEvent.objects.filter(key__startswith="GEN").count() == 400
    assert Contract.objects.exists()
    assert ledger_check()[0] == []
    before = FundEvent.objects.count()
    call_command("import", "fund-events", str(path), "--quiet", stdout=out, stderr=out)  # idempotent
    assert FundEvent.objects.count() == before
    assert yuan_text(123456) == "1234.56" and yuan_text(5) == "0.05"
