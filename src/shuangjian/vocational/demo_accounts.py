"""The vocational school bound to the 职业院校管理员 demo login (registered in ``accounts.demo``)."""

from __future__ import annotations

from .models import VocationalSchool


def demo_account_vocational_school() -> VocationalSchool:
    """The demo vocational school (长沙市芙蓉区演示职业中专学校), created once."""
    vocational, _ = VocationalSchool.objects.get_or_create(
        code="3643000001",
        defaults={
            "name": "长沙市芙蓉区演示职业中专学校",
            "county_id": "430102",
            "level": "SECONDARY",
            "sponsor": "PUBLIC",
        },
    )
    return vocational
