"""Pages: scoping of actions and exports, institution staff editing their own data, the rules
page, the public white/black lists (no login, rate-limited)."""

import io

import openpyxl
import pytest
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone

from shuangjian.common.models import RuleParameter
from shuangjian.common.testing import make_institution
from shuangjian.institutions.models import Institution, Site, TrainingItem, TrainingSession, Violation

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_rate_limits():
    """Rate-limit counters live in the cache: start every test from zero."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def two(make_user):
    here = make_institution(
        "430102", name="芙蓉甲机构", status="LICENSED", category="SUBJECT", license_no="L1"
    )
    there = make_institution(
        "430405", name="珠晖乙机构", status="LICENSED", category="SUBJECT", license_no="L2"
    )
    return here, there, make_user("COUNTY", region="430102")


def test_list_filters_and_detail(client, two, make_user):
    here, there, county = two
    client.force_login(county)
    body = client.get(reverse("institutions:index"), {"status": "LICENSED"}).content.decode()
    assert "芙蓉甲机构" in body and "珠晖乙机构" not in body
    assert (
        "芙蓉甲机构" not in client.get(reverse("institutions:index"), {"status": "REVOKED"}).content.decode()
    )
    province = make_user("PROVINCE", region="430000")
    client.force_login(province)
    body = client.get(reverse("institutions:index"), {"region": "430400"}).content.decode()
    assert "珠晖乙机构" in body and "芙蓉甲机构" not in body
    assert client.get(reverse("institutions:detail", args=[there.pk])).status_code == 200


def test_transition_scoped_and_refusal_shown(client, two):
    here, there, county = two
    client.force_login(county)
    url = reverse("institutions:transition", args=[there.pk])
    assert client.post(url, {"action": "revoke", "reason": "x"}).status_code == 404
    response = client.post(
        reverse("institutions:transition", args=[here.pk]), {"action": "finish_rectification"}, follow=True
    )
    assert "不能执行“整改完成”" in response.content.decode()
    client.post(
        reverse("institutions:transition", args=[here.pk]), {"action": "revoke", "reason": "违规收费"}
    )
    here.refresh_from_db()
    assert here.status == "REVOKED" and here.history.first().history_user == county


def test_institution_staff_edit_own_data_only(client, two, make_user):
    here, there, county = two
    staff = make_user("INSTITUTION", institution=here)
    client.force_login(staff)
    assert client.get(reverse("institutions:site_add", args=[there.pk])).status_code == 404
    client.post(
        reverse("institutions:site_add", args=[here.pk]),
        {"address": "芙蓉路1号", "floor_area_m2": "320.5", "capacity": "60", "fire_safety_ok": "on"},
    )
    assert Site.objects.get(institution=here).capacity == 60
    response = client.post(
        reverse("institutions:staff_add", args=[here.pk]),
        {
            "name": "赵老师",
            "id_number": "11010519491231002X",
            "role": "TEACHER",
            "background_check": "PASSED",
            "teacher_certificate": "2021430001",
        },
    )
    assert response.status_code == 302
    assert "110105********002X" in client.get(reverse("institutions:detail", args=[here.pk])).content.decode()
    client.post(
        reverse("institutions:item_add", args=[here.pk]),
        {
            "name": "思维拓展课",
            "description": "以数学拓展题为主，讲解巧算和应用题解题方法",
            "category": "NON_SUBJECT",
            "grades": ["G3", "G4"],
            "mode": "OFFLINE",
            "class_size": "MEDIUM",
            "class_minutes": "45",
            "total_hours": "20",
            "price_yuan": "35.50",
        },
    )
    item = TrainingItem.objects.get(institution=here)
    assert item.price_per_hour_fen == 3550 and item.disguised and item.classified_category == "SUBJECT"
    client.post(
        reverse("institutions:session_add", args=[item.pk]),
        {"date": "2025-09-24", "start": "18:00", "end": "18:45"},
    )
    assert TrainingSession.objects.filter(item=item).count() == 1
    # Regulators read but do not edit an institution's own data.
    client.force_login(county)
    assert client.get(reverse("institutions:site_add", args=[here.pk])).status_code == 403
    # A disguised item cannot be approved; a normal one can.
    response = client.post(
        reverse("institutions:item_status", args=[item.pk]), {"status": "APPROVED"}, follow=True
    )
    assert "不能核准" in response.content.decode()
    other_item = TrainingItem.objects.create(
        institution=there,
        name="x",
        category="SUBJECT",
        grades="G4",
        class_minutes=45,
        total_hours=10,
        price_per_hour_fen=100,
    )
    assert (
        client.post(
            reverse("institutions:item_status", args=[other_item.pk]), {"status": "APPROVED"}
        ).status_code
        == 404
    )


def test_violations_page_export_resolve_and_scan_are_scoped(client, two):
    here, there, county = two
    mine = Violation.objects.create(
        institution=here,
        rule_id="LICENSE",
        title="甲违规",
        detected_at=timezone.now(),
        source="funds",
        evidence={"情形": "甲证据"},
    )
    theirs = Violation.objects.create(
        institution=there,
        rule_id="LICENSE",
        title="乙违规",
        detected_at=timezone.now(),
        source="funds",
        evidence={"情形": "乙证据"},
    )
    client.force_login(county)
    response = client.get(reverse("institutions:violations_export"))
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    cells = [c for row in sheet.iter_rows(values_only=True) for c in row]
    assert "甲违规" in cells and "乙违规" not in cells and "情形：甲证据" in cells
    assert (
        client.post(
            reverse("institutions:violation_resolve", args=[theirs.pk]), {"resolution": "x"}
        ).status_code
        == 404
    )
    client.post(reverse("institutions:violation_resolve", args=[mine.pk]), {"resolution": "已补办许可证"})
    mine.refresh_from_db()
    assert mine.status == "RESOLVED" and mine.resolution == "已补办许可证"
    body = client.get(reverse("institutions:violations"), {"status": "RESOLVED"}).content.decode()
    assert "甲违规" in body
    Institution.objects.filter(pk__in=[here.pk, there.pk]).update(license_no="")
    client.post(reverse("institutions:scan"))
    assert Violation.objects.filter(institution=here, status="OPEN", source="compliance").exists()
    assert not Violation.objects.filter(institution=there, source="compliance").exists()


def test_rules_page_provincial_edits_county_reads(client, make_user):
    county = make_user("COUNTY", region="430102")
    client.force_login(county)
    body = client.get(reverse("institutions:rules")).content.decode()
    assert "TIME-REST-DAY" in body and "D13" in body
    assert (
        client.post(
            reverse("institutions:rules"), {"key": "institutions.guided_price_float", "value": "0.2"}
        ).status_code
        == 403
    )
    province = make_user("PROVINCE", region="430000")
    client.force_login(province)
    response = client.post(
        reverse("institutions:rules"), {"key": "institutions.guided_price_float", "value": '"x"'}
    )
    assert "取值类型应与默认值一致" in response.content.decode()
    client.post(
        reverse("institutions:rules"),
        {
            "key": "institutions.guided_price_float",
            "region": "430100",
            "value": "0.05",
            "note": "长沙市价格通知",
        },
    )
    row = RuleParameter.objects.get(key="institutions.guided_price_float")
    assert row.region_id == "430100" and row.value == 0.05 and row.history.first().history_user == province


def test_public_pages_without_login(client, two):
    here, there, county = two
    revoked = make_institution(
        "430102", name="吊销丙机构", status="REVOKED", status_reason="违规开展学科类培训"
    )
    TrainingItem.objects.create(
        institution=here,
        name="公开项目",
        category="SUBJECT",
        grades="G4",
        class_minutes=45,
        total_hours=20,
        price_per_hour_fen=2500,
        status="APPROVED",
    )
    TrainingItem.objects.create(
        institution=here,
        name="待审项目",
        category="SUBJECT",
        grades="G4",
        class_minutes=45,
        total_hours=20,
        price_per_hour_fen=2500,
    )
    body = client.get(reverse("institutions:public_search"), {"q": "机构"}).content.decode()
    assert "芙蓉甲机构" in body and "珠晖乙机构" in body and "吊销丙机构" not in body
    body = client.get(reverse("institutions:public_search"), {"county": "430405"}).content.decode()
    assert "珠晖乙机构" in body and "芙蓉甲机构" not in body
    body = client.get(reverse("institutions:public_detail", args=[here.credit_code])).content.decode()
    assert "公开项目" in body and "¥25.00" in body and "待审项目" not in body
    body = client.get(reverse("institutions:public_blacklist")).content.decode()
    assert "吊销丙机构" in body and "违规开展学科类培训" in body and "芙蓉甲机构" not in body
    applying = make_institution("430102", status="APPLYING")
    assert client.get(reverse("institutions:public_detail", args=[applying.credit_code])).status_code == 404
    assert revoked.pk


def test_public_search_is_rate_limited(client):
    cache.clear()
    url = reverse("institutions:public_search")
    codes = [client.get(url, {"q": "甲"}).status_code for _ in range(31)]
    assert codes[:30] == [200] * 30 and codes[30] == 429
    cache.clear()


def test_register_applicant_and_unlicensed_closed(client, make_user):
    county = make_user("COUNTY", region="430102")
    client.force_login(county)
    from shuangjian.common.codes import credit_code_make

    code = credit_code_make("52430102MJ7700001")
    response = client.post(
        reverse("institutions:register"),
        {
            "kind": "UNLICENSED",
            "credit_code": code,
            "name": "无证补习班",
            "county": "430405",
            "reason": "无证办学",
        },
    )
    assert response.status_code == 200  # form shown again: the county is outside the region
    assert not Institution.objects.filter(credit_code=code).exists()
    client.post(
        reverse("institutions:register"),
        {
            "kind": "UNLICENSED",
            "credit_code": code,
            "name": "无证补习班",
            "county": "430102",
            "reason": "无证办学",
        },
    )
    banned = Institution.objects.get(credit_code=code)
    assert banned.status == "BANNED" and banned.status_reason == "无证办学"
    assert "无证补习班" in client.get(reverse("institutions:public_blacklist")).content.decode()
    wrong = code[:17] + ("0" if code[17] != "0" else "1")
    response = client.post(
        reverse("institutions:register"),
        {"kind": "APPLICANT", "credit_code": wrong, "name": "甲", "county": "430102"},
    )
    assert "校验位错误" in response.content.decode()


def test_api_filters_active_on_date_and_needs_auth(client, two):
    import datetime as dt

    from shuangjian.institutions.models import InstitutionEpisode

    here, there, county = two
    InstitutionEpisode.objects.create(
        institution=here,
        category="SUBJECT",
        mode="OFFLINE",
        audiences="COMPULSORY",
        approved_on=dt.date(2019, 1, 1),
        ended_on=dt.date(2021, 10, 1),
        end_reason="TRANSFORMED",
    )
    assert client.get(reverse("institutions:api_list")).status_code in (401, 403)
    client.force_login(county)
    data = client.get(
        reverse("institutions:api_list"), {"active_on": "2021-07-24", "category": "SUBJECT"}
    ).json()
    assert [r["credit_code"] for r in data["results"]] == [here.credit_code]
    assert data["results"][0]["episodes"][0]["end_reason"] == "TRANSFORMED"
    assert (
        client.get(
            reverse("institutions:api_list"), {"active_on": "2021-10-01", "category": "SUBJECT"}
        ).json()["count"]
        == 0
    )


def test_every_exempt_action_answers_404_for_foreign_records(client, two, make_user):
    from shuangjian.institutions.testing import make_application

    here, there, county = two
    their_item = TrainingItem.objects.create(
        institution=there,
        name="x",
        category="SUBJECT",
        grades="G4",
        class_minutes=45,
        total_hours=10,
        price_per_hour_fen=100,
    )
    their_app, _material = make_application("430405")
    client.force_login(make_user("INSTITUTION", institution=here))
    for name, pk in (("staff_add", there.pk), ("item_add", there.pk), ("site_add", there.pk)):
        assert client.post(reverse(f"institutions:{name}", args=[pk]), {}).status_code == 404, name
    assert client.get(reverse("institutions:session_add", args=[their_item.pk])).status_code == 404
    assert (
        client.post(reverse("institutions:application_resubmit", args=[their_app.pk]), {}).status_code == 404
    )
    client.force_login(county)
    response = client.post(
        reverse("institutions:application_decide", args=[their_app.pk]), {"decision": "reject", "reason": "x"}
    )
    assert response.status_code == 404
    their_app.refresh_from_db()
    assert their_app.state == "SUBMITTED"


def test_staff_edit_their_items_and_staff(client, two, make_user):
    from shuangjian.institutions import services

    here, there, county = two
    staff_user = make_user("INSTITUTION", institution=here)
    item = services.item_save(
        institution=here,
        actor=staff_user,
        name="少儿篮球",
        description="运球投篮",
        category="NON_SUBJECT",
        subject_area="",
        grades=["G3"],
        mode="OFFLINE",
        class_size="MEDIUM",
        class_minutes=60,
        total_hours=20,
        price_per_hour_fen=8000,
    )
    services.item_set_status(item=item, actor=county, status="APPROVED")
    person = services.practitioner_save(
        institution=here,
        actor=staff_user,
        name="钱教练",
        id_number="11010519491231002X",
        role="TEACHER",
        professional_certificate="国家二级运动员",
    )
    their_person = services.practitioner_save(
        institution=there, actor=county, name="外", id_number="11010519491231002X", role="TEACHER"
    )
    client.force_login(staff_user)
    form = client.get(reverse("institutions:item_edit", args=[item.pk])).content.decode()
    assert "80.00" in form and "少儿篮球" in form
    client.post(
        reverse("institutions:item_edit", args=[item.pk]),
        {
            "name": "少儿篮球",
            "description": "运球投篮",
            "category": "NON_SUBJECT",
            "grades": ["G3", "G4"],
            "mode": "OFFLINE",
            "class_size": "MEDIUM",
            "class_minutes": "60",
            "total_hours": "20",
            "price_yuan": "90",
        },
    )
    item.refresh_from_db()
    assert item.price_per_hour_fen == 9000 and item.status == "DRAFT" and item.grade_list == ["G3", "G4"]
    client.post(
        reverse("institutions:staff_edit", args=[person.pk]),
        {
            "name": "钱教练",
            "id_number": "",
            "role": "TEACHER",
            "background_check": "PASSED",
            "professional_certificate": "国家一级运动员",
        },
    )
    person.refresh_from_db()
    assert person.professional_certificate == "国家一级运动员" and not person.active
    assert person.id_number_masked == "110105********002X"
    assert client.get(reverse("institutions:staff_edit", args=[their_person.pk])).status_code == 404
    client.force_login(county)
    assert client.get(reverse("institutions:item_edit", args=[item.pk])).status_code == 403


def test_public_search_matches_county_names(client, two):
    cache.clear()
    here, there, county = two
    body = client.get(reverse("institutions:public_search"), {"q": "珠晖区"}).content.decode()
    assert "珠晖乙机构" in body and "芙蓉甲机构" not in body


def test_scheduling_a_subject_class_on_a_holiday_warns(client, two, make_user):
    here, there, county = two
    item = TrainingItem.objects.create(
        institution=here,
        name="初中数学",
        category="SUBJECT",
        grades="G7",
        class_minutes=45,
        total_hours=10,
        price_per_hour_fen=2500,
    )
    client.force_login(make_user("INSTITUTION", institution=here))
    response = client.post(
        reverse("institutions:session_add", args=[item.pk]),
        {"date": "2025-10-01", "start": "09:00", "end": "09:45"},
        follow=True,
    )
    assert "学科类培训安排在法定节假日、休息日或寒暑假" in response.content.decode()
    response = client.post(
        reverse("institutions:session_add", args=[item.pk]),
        {"date": "2025-09-28", "start": "18:00", "end": "18:45"},
        follow=True,
    )  # 调休上班
    assert "注意：" not in response.content.decode()
