"""The cooperation demo reproduces the document's figures on 2023-06-05 from filed records."""

from __future__ import annotations

import datetime as dt
import io

import pytest

from shuangjian.cooperation import demo
from shuangjian.cooperation.models import AssessmentSite, Programme
from shuangjian.stats.kpis import KpiContext, compute_kpis

pytestmark = pytest.mark.django_db


@pytest.mark.slow  # every region's snapshots or a demo load: minutes on 2 shared cores
def test_demo_prints_the_documents_figures(tmp_path):
    """On top of the vocational registry's own demo (as ``demo load`` runs them)."""
    from shuangjian.vocational import demo as registry_demo

    out = io.StringIO()
    registry_demo.load(scale="small", workdir=tmp_path, stdout=out)
    demo.load(scale="small", workdir=tmp_path, stdout=out)
    figures = compute_kpis(KpiContext(as_of=dt.date(2023, 6, 5)))
    assert figures["vocational.apprenticeship.schools"] == 67
    assert figures["vocational.apprenticeship.majors"] == 418
    assert figures["vocational.apprenticeship.students"] >= 50_000
    assert figures["vocational.order_class.schools"] == 472
    assert figures["vocational.order_class.students"] >= 100_000
    assert figures["vocational.x_certificate.pilot_share"] == 0.9718
    assert figures["vocational.x_certificate.sites"] == 402
    assert figures["vocational.x_certificate.sites_active"] < 402
    assert 0.5 < figures["vocational.order_class.placement_rate"] < 0.95
    assert 0.6 < figures["vocational.x_certificate.pass_rate"] < 1
    counts = (Programme.objects.count(), AssessmentSite.objects.count())
    demo.load(scale="small", workdir=tmp_path, stdout=out)
    assert (Programme.objects.count(), AssessmentSite.objects.count()) == counts
