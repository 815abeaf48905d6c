"""Demo accounts, one per role (demo mode only; never in production settings)."""

from __future__ import annotations

import secrets
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth.models import Group, Permission
from django.core.exceptions import ImproperlyConfigured
from django.db import transaction
from django.utils.module_loading import import_string

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

#: Demo accounts bound to a record of a higher area: (username, role, full name, User field to bind,
#: dotted path of a function returning the record). The owning area appends its entry in its
#: AppConfig.ready (institutions: 机构管理员; schools: 学校管理员), in INSTALLED_APPS order.
DEMO_BOUND_ACCOUNTS: list[tuple[str, str, str, str, str]] = []


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
        scope = (
            binding.get("region")
            or binding.get("institution")
            or binding.get("school")
            or binding.get("vocational_school")
            or "—"
        )
        accounts.append(DemoAccount(username, str(Role(role).label), str(scope), password))
        return user

    group = provincial_group()
    for username, role, code, name in DEMO_REGULATORS:
        user = make(username, role=role, name=name, region=Region.objects.get(code=code))
        if role == Role.PROVINCE:
            user.groups.add(group)
    # Accounts bound to another area's record (an institution, a school): that area registers the
    # record's factory in DEMO_BOUND_ACCOUNTS (its AppConfig.ready), so accounts imports no area above it.
    for username, bound_role, name, binding, factory_path in DEMO_BOUND_ACCOUNTS:
        make(username, role=bound_role, name=name, **{binding: import_string(factory_path)()})
    make("jianduyuan", role=Role.SUPERVISOR, name="社会监督员")
    return accounts
