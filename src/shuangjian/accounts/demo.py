"""Demo accounts, one per role (demo mode only; never in production settings)."""

from __future__ import annotations

import secrets
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth.models import Group, Permission
from django.core.exceptions import ImproperlyConfigured
from django.db import transaction

from shuangjian.common.codes import credit_code_make
from shuangjian.regions.models import Region

from .models import Role, User


@dataclass(frozen=True)
class DemoAccount:
    """A demo login: username, role label, scope label, password."""

    username: str
    role: str
    scope: str
    password: str


# username, role, region code (regulators), full name
DEMO_REGULATORS = [
    ("province", Role.PROVINCE, "430000", "省级监管员"),
    ("changsha", Role.CITY, "430100", "长沙市监管员"),
    ("furong", Role.COUNTY, "430102", "芙蓉区监管员"),
    ("hengyang", Role.CITY, "430400", "衡阳市监管员"),
    ("zhuhui", Role.COUNTY, "430405", "珠晖区监管员"),
]

PROVINCIAL_GROUP = "省级监管"


def provincial_group() -> Group:
    """The group holding every permission, for provincial regulators using the admin."""
    group, _ = Group.objects.get_or_create(name=PROVINCIAL_GROUP)
    group.permissions.set(Permission.objects.all())
    return group


@transaction.atomic
def demo_accounts_create() -> list[DemoAccount]:
    """Create (or reset) one account per role with fresh random passwords; returns the logins.

    Needs the region table loaded. Raises ``ImproperlyConfigured`` outside demo mode
    (``SHUANGJIAN_DEMO=1``) so that production never gets known passwords.
    """
    if not settings.DEMO_MODE:
        raise ImproperlyConfigured("演示账户只能在演示模式（SHUANGJIAN_DEMO=1）下创建")
    from shuangjian.institutions.models import Institution
    from shuangjian.schools.models import School

    accounts: list[DemoAccount] = []

    def make(username: str, *, role: str, name: str, **binding) -> User:
        password = f"Demo-{secrets.token_hex(4)}"
        user, _ = User.objects.get_or_create(username=username, defaults={"role": role})
        user.role = role
        user.last_name = name
        user.region = binding.get("region")
        user.institution = binding.get("institution")
        user.school = binding.get("school")
        user.vocational_school = binding.get("vocational_school")
        user.is_staff = role == Role.PROVINCE
        user.set_password(password)
        user.full_clean()
        user.save()
        scope = (binding.get("region") or binding.get("institution") or binding.get("school")
                 or binding.get("vocational_school") or "—")
        accounts.append(DemoAccount(username, str(Role(role).label), str(scope), password))
        return user

    group = provincial_group()
    for username, role, code, name in DEMO_REGULATORS:
        user = make(username, role=role, name=name, region=Region.objects.get(code=code))
        if role == Role.PROVINCE:
            user.groups.add(group)
    # The demo institution is still applying for its licence (申请中), so that its user can file the
    # licensing application from its home page; it is not on the public white list until approved.
    institution, _ = Institution.objects.get_or_create(
        credit_code=credit_code_make("52430102MJ0000001"),
        defaults={"name": "芙蓉区星光艺术培训学校（演示）", "county_id": "430102", "address": "长沙市芙蓉区演示路1号",
                  "status": "APPLYING", "nature": "NON_PROFIT"},
    )
    make("jigou", role=Role.INSTITUTION, name="机构管理员", institution=institution)
    school, _ = School.objects.get_or_create(
        code="4301020001", defaults={"name": "长沙市芙蓉区演示小学", "county_id": "430102", "kind": "PRIMARY"}
    )
    make("xuexiao", role=Role.SCHOOL, name="学校管理员", school=school)
    from shuangjian.vocational.models import VocationalSchool

    vocational, _ = VocationalSchool.objects.get_or_create(
        code="3643000001",
        defaults={"name": "长沙市芙蓉区演示职业中专学校", "county_id": "430102", "level": "SECONDARY", "sponsor": "PUBLIC"},
    )
    make("zhixiao", role=Role.VOCATIONAL, name="职业院校管理员", vocational_school=vocational)
    make("jianduyuan", role=Role.SUPERVISOR, name="社会监督员")
    return accounts
