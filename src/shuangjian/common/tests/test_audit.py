import pytest
from django.urls import reverse

from shuangjian.common.testing import make_institution

pytestmark = pytest.mark.django_db


def test_changes_are_recorded_with_before_and_after(client, make_user):
    institution = make_institution("430102", name="旧名称培训学校")
    institution.name = "新名称培训学校"
    institution.save()
    history = list(institution.history.order_by("history_date"))
    assert [h.history_type for h in history] == ["+", "~"]
    delta = history[1].diff_against(history[0])
    assert [(c.field, c.old, c.new) for c in delta.changes] == [("name", "旧名称培训学校", "新名称培训学校")]

    province = make_user("PROVINCE", region="430000")
    client.force_login(province)
    html = client.get(reverse("common:audit"), {"model": "institutions.institution"}).content.decode()
    assert "旧名称培训学校 → 新名称培训学校" in html


def test_changes_through_a_request_record_the_user(client, make_user):
    from shuangjian.accounts.models import User

    province = make_user("PROVINCE", region="430000")
    province.is_staff = True
    province.is_superuser = True
    province.save()
    client.force_login(province)
    target = make_user("COUNTY", region="430102")
    response = client.post(
        reverse("admin:accounts_user_change", args=[target.pk]),
        {
            "username": target.username,
            "role": "COUNTY",
            "region": "430102",
            "last_name": "改名",
            "is_active": "on",
            "date_joined_0": "2026-01-01",
            "date_joined_1": "00:00:00",
            "initial-date_joined_0": "2026-01-01",
            "initial-date_joined_1": "00:00:00",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    record = User.history.filter(id=target.pk).order_by("-history_date").first()
    assert record.last_name == "改名" and record.history_user == province


def test_audit_page_is_provincial_only(client, make_user):
    client.force_login(make_user("COUNTY", region="430102"))
    assert client.get(reverse("common:audit")).status_code == 403
    client.force_login(make_user("CITY", region="430100"))
    assert client.get(reverse("common:audit")).status_code == 403
