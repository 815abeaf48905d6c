"""Cooperation pages with the real database: overview, forms, actions, exports, 404 on foreign ids."""

from __future__ import annotations

import datetime as dt
import io

import openpyxl
import pytest
from django.urls import reverse

from shuangjian.common.testing import make_credit_code
from shuangjian.cooperation.choices import FilingState
from shuangjian.cooperation.models import OrderClassOutcome, Programme
from shuangjian.cooperation.testing import make_programme, make_voc_school

pytestmark = pytest.mark.django_db


def test_overview_and_exports(client, make_user):
    school = make_voc_school("430102")
    make_programme(school, students=55)
    oc = make_programme(school, kind="ORDER_CLASS", students=40)
    OrderClassOutcome.objects.create(
        programme=oc,
        graduated_on=dt.date.today() - dt.timedelta(days=5),
        graduates=40,
        hired_by_orderer=10,
        hired_elsewhere=30,
    )
    client.force_login(make_user("city", region="430100"))
    page = client.get(reverse("cooperation:index")).content.decode()
    assert "开展中国特色学徒制的高职院校数" in page and "长沙市" in page and "装备制造" in page
    response = client.get(reverse("cooperation:programmes") + "?format=xlsx")
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    assert sheet.max_row == 3 and sheet["A1"].value == "项目编号"
    low = client.get(reverse("cooperation:programmes") + "?low=1").content.decode()
    assert oc.code in low and make_programme.__name__  # the apprenticeship has no outcome
    placement = client.get(reverse("cooperation:placement") + "?by=enterprise").content.decode()
    assert "0.2500" in placement and "偏低" in placement


def test_school_staff_create_and_foreign_action_is_404(client, make_user):
    school = make_voc_school("430102", level="SECONDARY", majors=("660103",))
    staff = make_user("vocational", vocational_school=school)
    client.force_login(staff)
    form = client.get(reverse("cooperation:programme_create")).content.decode()
    assert "660103" in form
    response = client.post(
        reverse("cooperation:programme_create"),
        {
            "kind": "ORDER_CLASS",
            "major_code": "660103",
            "credit_code": make_credit_code("430104"),
            "enterprise_name": "湖南某装备有限公司",
            "entry_year": 2023,
            "students": 36,
            "agreement_signed_on": "2023-09-01",
        },
    )
    programme = Programme.objects.get(school=school)
    assert response.status_code == 302 and programme.state == FilingState.DRAFT
    client.post(reverse("cooperation:programme_action", args=[programme.pk, "submit"]))
    assert Programme.objects.get(pk=programme.pk).state == FilingState.SUBMITTED
    other = make_programme(make_voc_school("430103"))
    assert client.post(reverse("cooperation:programme_action", args=[other.pk, "submit"])).status_code == 404
    assert client.get(reverse("cooperation:programme", args=[other.pk])).status_code == 404
    client.force_login(make_user("county", region="430102"))
    assert client.get(reverse("cooperation:programme_create")).status_code == 403
    client.post(
        reverse("cooperation:programme_action", args=[programme.pk, "review"]),
        {"decision": "return", "reason": "请补充订单协议"},
    )
    assert Programme.objects.get(pk=programme.pk).state == FilingState.RETURNED
