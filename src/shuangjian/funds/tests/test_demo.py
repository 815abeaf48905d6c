"""The demo hook writes a real statement file and imports it through the import command."""

from __future__ import annotations

import io

import pytest

pytestmark = pytest.mark.django_db


def test_demo_load_imports_a_statement_for_registry_institutions(tmp_path, monkeypatch):
    from shuangjian.common.testing import make_institution
    from shuangjian.funds import demo
    from shuangjian.funds.models import Contract, FundEvent, Lesson, RefundRequest
    from shuangjian.funds.selectors import ledger_check

    for county in ("430102", "430405", "430103"):
        make_institution(county, fund_supervised=True)
    monkeypatch.setitem(demo.EVENTS, "small", 400)
    out = io.StringIO()
    demo.load(scale="small", workdir=tmp_path, stdout=out)
    assert (tmp_path / "fund-events.csv").exists()
    assert FundEvent.objects.filter(key__startswith="DEMO0").count() == 400
    assert Contract.objects.exists() and Lesson.objects.filter(status="PENDING").exists()
    assert RefundRequest.objects.count() == 1
    assert ledger_check()[0] == []
    before = (FundEvent.objects.count(), Lesson.objects.count())
    demo.load(scale="small", workdir=tmp_path, stdout=out)  # a second run changes nothing
    assert (FundEvent.objects.count(), Lesson.objects.count()) == before
    assert "400 条托管流水" in out.getvalue()
