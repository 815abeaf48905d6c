"""The newer areas (issues 15–18) speak English when the user asks for it (Django i18n, the
language switch or Accept-Language), and Simplified Chinese by default."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

CJK = re.compile(r"[\u4e00-\u9fff]")

#: page → English text it must show (a heading or label from the area's own templates/forms).
PAGES = {
    "vocational:index": "Vocational education",
    "vocational:shortfalls": "Schools below the basic conditions",
    "vocational:rules": "Vocational education rule parameters",
    "cooperation:index": "School–enterprise cooperation and 1+X certificates",
    "cooperation:programmes": "Programme number, school, enterprise or major",
    "cooperation:placement": "Hiring rate",
    "cooperation:sites": "Assessment sites",
    "stem:index": "STEM education",
    "stem:courses": "All carriers",
    "stem:competitions": "STEM competitions and awards",
    "governance:index": "Co-governance",
    "governance:supervisors": "Name or letter of appointment number",
    "governance:units": "“Double reduction” coordination group",
    "coeducation:index": "School–family–community co-education",
}


@pytest.mark.django_db
@pytest.mark.parametrize("name", sorted(PAGES))
def test_area_pages_in_english_and_chinese(client, make_user, name):
    client.force_login(make_user("PROVINCE", region="430000"))
    english = client.get(reverse(name), HTTP_ACCEPT_LANGUAGE="en", follow=True)
    assert english.status_code == 200, name
    text = english.content.decode()
    assert PAGES[name] in text, name
    chinese = client.get(reverse(name), HTTP_ACCEPT_LANGUAGE="zh-hans", follow=True)
    assert PAGES[name] not in chinese.content.decode()
    assert CJK.search(chinese.content.decode())


@pytest.mark.django_db
def test_public_online_parent_school_in_english(client):
    text = client.get(reverse("coeducation:public_courses"), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Online parent school" in text and "No login needed" in text
