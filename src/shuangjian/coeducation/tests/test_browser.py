"""A parent completes an online parent-school lesson on a phone (Debian chromium, no login)."""

from __future__ import annotations

import pytest

from shuangjian.conftest import save_screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_parent_completes_a_lesson_on_a_phone(phone_page):
    from django.core.cache import cache

    from shuangjian.coeducation import services
    from shuangjian.coeducation.models import LessonCompletion
    from shuangjian.regions.services import regions_load

    regions_load()
    cache.clear()
    services.course_publish(
        actor=None,
        slug="shuangjian",
        title="“双减”之后，家长怎么做",
        summary="理解政策",
        audience="小学、初中家长",
        lessons=[
            ("“双减”减的是什么", "减轻过重的作业负担和校外培训负担。\n让孩子在校内学足学好。", 8),
            ("课后时间怎么安排", "运动、阅读和家务劳动。", 10),
        ],
    )
    page = phone_page
    page.goto(page.base_url + "/coeducation/public/")
    page.click("a:has-text('“双减”之后，家长怎么做')")
    page.click("a:has-text('“双减”减的是什么')")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    page.select_option("#id_county", "430102")
    save_screenshot(page, "coeducation-phone-lesson")
    page.click("#btn-complete")
    page.wait_for_selector("#lesson-done")
    completion = LessonCompletion.objects.get()
    assert completion.county_id == "430102" and len(completion.learner_ref) == 64
    page.click("a:has-text('“双减”之后，家长怎么做')")
    assert "已完成" in page.inner_text("#lessons")
    save_screenshot(page, "coeducation-phone-course")
