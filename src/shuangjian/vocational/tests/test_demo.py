"""The vocational demo reproduces the seed document's figures through the importers."""

from __future__ import annotations

import io
import json

import pytest
from django.core.management import call_command

from shuangjian.vocational.demo import load, poverty_counties
from shuangjian.vocational.models import Designation, VocationalSchool

pytestmark = pytest.mark.django_db


def test_poverty_list_has_51_counties_with_hongjiang_in_hongjiang_city():
    rows = poverty_counties()
    assert len(rows) == 51 and len({code for _, code in rows}) == 50
    assert dict(rows)["洪江区"] == "431281" == dict(rows)["洪江市"]


@pytest.mark.slow  # every region's snapshots or a demo load: minutes on 2 shared cores
def test_demo_prints_the_published_figures(tmp_path):
    load(scale="small", workdir=tmp_path, stdout=io.StringIO())
    out = io.StringIO()
    call_command("kpis", "--as-of", "2023-06-05", "--json", stdout=out)
    figures = json.loads(out.getvalue())
    assert figures["vocational.secondary.public_counties"] == 97
    assert figures["vocational.double_excellence.schools"] == 112
    assert figures["vocational.centres"] == 51
    assert figures["vocational.city_training_centres"] == 14
    assert figures["vocational.higher.cities"] == 14
    assert figures["vocational"]["secondary"]["public_counties"] == 97
    assert 0.7 < figures["vocational.standard.rate"] < 0.9
    centres = Designation.objects.filter(kind="CENTRE").values_list("school__county_id", flat=True)
    assert set(centres) == {code for _, code in poverty_counties()}
    assert VocationalSchool.objects.filter(code="3643000001", county_id="430102").exists()
    # loading again changes nothing
    before = (VocationalSchool.objects.count(), Designation.objects.count())
    load(scale="small", workdir=tmp_path, stdout=io.StringIO())
    assert (VocationalSchool.objects.count(), Designation.objects.count()) == before
