"""Date bounds, resident ID numbers and several linked report numbers on the enforcement forms."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from shuangjian.enforcement import services
from shuangjian.enforcement.forms import CaseOpenForm
from shuangjian.enforcement.models import Case, CaseKind
from shuangjian.enforcement.validation import IdNumberError, id_number_normalize

pytestmark = pytest.mark.django_db


def _post_case(client, **extra):
    data = {
        "kind": "UNDERGROUND",
        "county": "430102",
        "opened_on": "2022-07-10",
        "party_name": "某人",
        "subjects_count": 1,
    }
    data.update(extra)
    return client.post(reverse("enforcement:case_create"), data)


def test_case_opened_on_is_bounded(client, make_user):
    client.force_login(make_user("COUNTY", region="430102"))
    future = _post_case(client, opened_on="2099-01-01")
    assert future.status_code == 200 and "立案日期：不能晚于今天" in future.content.decode()
    old = _post_case(client, opened_on="1999-12-31")
    assert old.status_code == 200 and "立案日期：不能早于2000-01-01" in old.content.decode()
    assert not Case.objects.exists()
    with pytest.raises(services.CaseError, match="立案日期：不能晚于今天"):
        services.case_open(
            kind=CaseKind.UNDERGROUND,
            county_code="430102",
            party_name="某人",
            opened_on=timezone.localdate() + dt.timedelta(days=1),
        )
    assert _post_case(client).status_code == 302


def test_decide_close_and_inspection_dates_are_bounded(client, make_user):
    officer = make_user("COUNTY", region="430102")
    case = services.case_open(
        kind=CaseKind.UNDERGROUND,
        county_code="430102",
        party_name="某人",
        opened_on=dt.date(2022, 7, 10),
        legal_bases=["D8-UNAUTHORISED"],
    )
    tomorrow = timezone.localdate() + dt.timedelta(days=1)
    with pytest.raises(services.CaseError, match="决定日期：不能晚于今天"):
        services.case_decide(
            case_id=case.pk, actor=officer, decided_on=tomorrow, decision="警告", measures=["WARNING"]
        )
    with pytest.raises(services.CaseError, match="检查日期：不能早于2000-01-01"):
        services.inspection_record(county_code="430102", inspected_on=dt.date(1999, 1, 1), place="某地")
    client.force_login(officer)
    response = client.post(
        reverse("enforcement:inspection_create"),
        {"county": "430102", "inspected_on": tomorrow.isoformat(), "place": "某小区"},
    )
    assert response.status_code == 200 and "检查日期：不能晚于今天" in response.content.decode()


def test_resident_id_numbers():
    assert id_number_normalize("") == ""
    assert id_number_normalize("43010219800101123x".replace("x", "3")) == "430102198001011233"
    assert id_number_normalize("11010519491231002X".lower()) == "11010519491231002X"
    assert id_number_normalize("430102800101123") == "430102800101123"
    for bad, reason in [
        ("123", "应为18位"),
        ("430102198001011234", "校验位不正确"),
        ("430102198013011236", "出生日期"),
        ("43010219800101123A", "最后一位"),
        ("430102801301123", "出生日期"),
    ]:
        with pytest.raises(IdNumberError, match=reason):
            id_number_normalize(bad)


def test_case_form_refuses_a_bad_id_and_splits_report_numbers(client, make_user):
    from shuangjian.complaints.choices import ReportType, Source
    from shuangjian.complaints.services import report_create

    client.force_login(make_user("COUNTY", region="430102"))
    bad = _post_case(client, party_is_person="on", party_id_number="123")
    assert bad.status_code == 200 and "个人证件号：应为18位居民身份证号码" in bad.content.decode()
    assert CaseOpenForm.split("XS-1 XS-2、XS-3，XS-4;XS-1") == ["XS-1", "XS-2", "XS-3", "XS-4"]
    reports = [
        report_create(
            source=Source.PHONE,
            report_type=ReportType.OTHER,
            county_code="430102",
            description=f"本县线索内容{i}",
            with_query_code=False,
        )[0]
        for i in range(3)
    ]
    text = f"{reports[0].number} {reports[1].number}、{reports[2].number}"
    assert _post_case(client, report_numbers=text).status_code == 302
    assert set(Case.objects.get().reports.values_list("number", flat=True)) == {r.number for r in reports}
