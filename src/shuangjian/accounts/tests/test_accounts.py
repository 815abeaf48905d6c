import pytest
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured, ValidationError
from django.test import override_settings
from django.urls import reverse

from shuangjian.accounts.models import Role, User

pytestmark = pytest.mark.django_db


def test_production_hasher_is_argon2():
    from shuangjian.settings import base

    assert base.PASSWORD_HASHERS[0].endswith("Argon2PasswordHasher")
    assert settings.AUTH_USER_MODEL == "accounts.User"


def test_regulator_needs_a_region_of_its_level(make_user):
    from shuangjian.regions.models import Region

    with pytest.raises(ValidationError):
        User(username="x", role=Role.COUNTY).full_clean()
    with pytest.raises(ValidationError) as err:
        User(username="y", role=Role.COUNTY, region=Region.objects.get(code="430100")).full_clean()
    assert "级别" in str(err.value)
    user = make_user("CITY", region="430100")
    assert user.is_regulator and not user.is_provincial


def test_institution_user_needs_an_institution():
    with pytest.raises(ValidationError):
        User(username="z", role=Role.INSTITUTION).full_clean()


def test_anonymous_is_sent_to_login(client):
    response = client.get(reverse("home"))
    assert response.status_code == 302 and reverse("accounts:login") in response["Location"]


def test_login_page_is_chinese_and_login_works(client, make_user):
    make_user("COUNTY", username="officer", region="430102", password="Correct-horse-9")
    page = client.get(reverse("accounts:login"))
    assert "登录" in page.content.decode()
    response = client.post(reverse("accounts:login"), {"username": "officer", "password": "Correct-horse-9"})
    assert response.status_code == 302
    home = client.get(reverse("home"), follow=True)
    assert home.redirect_chain[-1][0] == reverse("stats:index")
    assert "湖南省长沙市芙蓉区" in home.content.decode()


def test_lockout_after_repeated_failures(client, make_user):
    make_user("COUNTY", username="target", region="430102", password="Correct-horse-9")
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post(reverse("accounts:login"), {"username": "target", "password": "wrong"})
    response = client.post(reverse("accounts:login"), {"username": "target", "password": "Correct-horse-9"})
    assert response.status_code == 429
    assert "锁定" in response.content.decode()
    assert client.get(reverse("home")).status_code != 200


def test_password_change(client, make_user):
    user = make_user("COUNTY", username="changer", region="430102", password="Old-password-77")
    client.force_login(user)
    response = client.post(
        reverse("accounts:password_change"),
        {
            "old_password": "Old-password-77",
            "new_password1": "Brand-new-pass-88",
            "new_password2": "Brand-new-pass-88",
        },
    )
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.check_password("Brand-new-pass-88")


def test_demo_accounts_refused_outside_demo_mode():
    from shuangjian.accounts.demo import demo_accounts_create

    with override_settings(DEMO_MODE=False), pytest.raises(ImproperlyConfigured):
        demo_accounts_create()


@override_settings(DEMO_MODE=True)
def test_demo_accounts_cover_every_role():
    from shuangjian.accounts.demo import demo_accounts_create

    accounts = demo_accounts_create()
    roles = {u.role for u in User.objects.filter(username__in=[a.username for a in accounts])}
    assert roles == set(Role.values)
    # Re-running resets passwords instead of failing.
    again = demo_accounts_create()
    assert {a.username for a in again} == {a.username for a in accounts}
    user = User.objects.get(username="furong")
    assert user.check_password(next(a.password for a in again if a.username == "furong"))


def test_home_counts_are_scoped(client, make_user):
    from shuangjian.common.testing import make_institution

    mine = make_institution("430405")
    make_institution("430405")
    client.force_login(make_user("INSTITUTION", institution=mine))
    html = client.get(reverse("home")).content.decode()
    assert '<span class="figure">1</span>' in html and mine.name in html
    client.force_login(make_user("SUPERVISOR"))
    html = client.get(reverse("home")).content.decode()
    assert "我提交的投诉举报" in html and "机构（可见范围内）" not in html


def test_navigation_shows_only_the_areas_of_the_role(client, make_user):
    client.force_login(make_user("SUPERVISOR"))
    nav = client.get(reverse("home")).content.decode().split('class="mainnav"')[1].split("</nav>")[0]
    assert "投诉举报" in nav and "风险预警" not in nav and "统计与专报" not in nav
    client.force_login(make_user("COUNTY", region="430102"))
    nav = client.get(reverse("stats:index")).content.decode().split('class="mainnav"')[1].split("</nav>")[0]
    assert "风险预警" in nav and "统计与专报" in nav


def test_forbidden_page_is_the_shell_in_chinese(client, make_user):
    client.force_login(make_user("SUPERVISOR"))
    response = client.get(reverse("stats:index"))
    assert response.status_code == 403 and "无权访问" in response.content.decode()


def test_admin_only_for_provincial(client, make_user):
    county = make_user("COUNTY", region="430102")
    county.is_staff = True
    county.save()
    client.force_login(county)
    assert client.get("/admin/").status_code == 302
    province = make_user("PROVINCE", region="430000")
    province.is_staff = True
    province.is_superuser = True
    province.save()
    client.force_login(province)
    assert client.get("/admin/").status_code == 200


def test_english_is_available(client, make_user):
    client.force_login(make_user("SUPERVISOR"))
    response = client.get(reverse("home"), HTTP_ACCEPT_LANGUAGE="en")
    assert "Workbench" in response.content.decode()
    response = client.get(reverse("home"))
    assert "工作台" in response.content.decode()
