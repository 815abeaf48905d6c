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


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("name", "args", "english", "chinese"),
    [
        (
            "cooperation:index",
            (),
            ['name: "Apprenticeship"', 'name: "Order class"'],
            ['name: "学徒制"', 'name: "订单班"'],
        ),
        (
            "stem:region",
            ("430000",),
            ['name: "Rural coverage"', 'name: "Urban coverage"', 'text: "Courses this term (by carrier)"'],
            ['name: "农村开设率"', 'name: "城区开设率"', 'text: "本学期课程（按载体）"'],
        ),
    ],
)
def test_chart_series_names_follow_the_language(client, make_user, name, args, english, chinese):
    """ECharts series names and titles come from the catalogue ({% translate … as label %} + escapejs)."""
    client.force_login(make_user("PROVINCE", region="430000"))
    text = client.get(reverse(name, args=args), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    for en, zh in zip(english, chinese, strict=True):
        assert en in text and zh not in text, (name, en)
    text = client.get(reverse(name, args=args), HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    for en, zh in zip(english, chinese, strict=True):
        assert zh in text and en not in text, (name, zh)


#: the filter arguments and sentences the templates now pass through gettext → their English.
FRAGMENTS = [
    ('{{ v|yesno:_("是,否") }}', {"v": True}, "Yes"),
    ('{{ v|yesno:_("合格,未提供") }}', {"v": False}, "Not provided"),
    ('{{ v|yesno:_("已纳入,未纳入") }}', {"v": True}, "Included"),
    ('{{ v|default:_("系统") }}', {"v": None}, "System"),
    ('{{ v|default:_("全省") }}', {"v": None}, "Whole province"),
    ('{{ v|default:_("未开通") }}', {"v": ""}, "No account"),
    ('{{ v|default_if_none:_("不适用") }}', {"v": None}, "Not applicable"),
    ("{% blocktranslate with number=v %}第{{ number }}期{% endblocktranslate %}", {"v": 7}, "Issue 7"),
    ("{% blocktranslate with credits=v %}{{ credits }}学分{% endblocktranslate %}", {"v": 4}, "4 credits"),
    (
        "{% blocktranslate with category=v %}（{{ category }}大类）{% endblocktranslate %}",
        {"v": "X"},
        "(X category)",
    ),
    (
        "{% blocktranslate with region=v %}{{ region }}“双减”协调小组{% endblocktranslate %}",
        {"v": "R"},
        "R “Double reduction” coordination group",
    ),
]


@pytest.mark.parametrize(("source", "context", "english"), FRAGMENTS)
def test_template_fragments_in_english(source, context, english):
    from django.template import Context, Template
    from django.utils import translation

    template = Template("{% load i18n %}" + source)
    with translation.override("en"):
        text = template.render(Context(context))
    assert english in text and not CJK.search(text)
    with translation.override("zh-hans"):
        assert CJK.search(template.render(Context(context)))


@pytest.mark.django_db
def test_dashboard_parameter_warning_in_english(client, make_user):
    """The warning about a period whose start is after its end comes from the catalogue (stats/views.py)."""
    client.force_login(make_user("PROVINCE", region="430000"))
    query = {"as_of": "2026-06-30", "from": "2026-05-01", "to": "2026-04-01"}
    text = client.get(reverse("stats:index"), query, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Period start 2026-05-01 is after period end 2026-04-01" in text
    assert "晚于期间止" not in text
    text = client.get(reverse("stats:index"), query, HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    assert "期间起 2026-05-01 晚于期间止 2026-04-01" in text
