"""A province officer opens the vocational dashboard, drills to a county short of a public 中职, opens a
school below the standard and exports the shortfall list (Debian chromium through Playwright)."""

from __future__ import annotations

import csv
import io

import openpyxl
import pytest
from django.core.management import call_command

from shuangjian.conftest import save_screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

HEADER = [
    "学校标识码",
    "学校名称",
    "区县代码",
    "办学层次",
    "举办者类型",
    "统计年度",
    "学历教育在校生数",
    "专任教师数",
    "双师型教师数",
    "占地面积",
    "校舍建筑面积",
    "教学仪器设备值",
    "纸质图书",
    "省双优建设",
    "职教中心",
]
ROWS = [
    # 衡阳市: 珠晖区 has only a private 中职, below the standard (land and books per student short)
    [
        "3643040001",
        "珠晖区华信职业学校",
        "430405",
        "中职",
        "民办",
        "2022",
        "2000",
        "110",
        "40",
        "50000",
        "45000",
        "6000000",
        "40000",
        "否",
        "否",
    ],
    [
        "3643040002",
        "衡阳县职业中等专业学校",
        "430421",
        "中职",
        "公办",
        "2022",
        "1500",
        "90",
        "40",
        "60000",
        "36000",
        "4500000",
        "60000",
        "是",
        "否",
    ],
    [
        "4143040003",
        "衡阳示例职业技术学院",
        "430407",
        "高职专科",
        "公办",
        "2022",
        "8000",
        "450",
        "200",
        "500000",
        "200000",
        "60000000",
        "600000",
        "",
        "",
    ],
]


def test_province_drills_to_a_county_without_public_secondary_and_exports_shortfalls(
    browser_page, make_user, tmp_path
):
    from shuangjian.regions.services import regions_load

    regions_load()
    path = tmp_path / "schools.csv"
    with open(path, "w", encoding="utf-8", newline="") as stream:
        writer = csv.writer(stream)
        writer.writerow(HEADER)
        writer.writerows(ROWS)
    call_command("import", "vocational-schools", str(path), "--quiet", stdout=io.StringIO())
    make_user("PROVINCE", username="sheng", region="430000", password="Province-pass-1")

    page = browser_page
    page.goto(page.base_url + "/accounts/login/")
    page.fill("#id_username", "sheng")
    page.fill("#id_password", "Province-pass-1")
    page.click("button[type=submit]")
    page.wait_for_selector("main h1")
    page.click("nav.mainnav a:text-is('职业教育')")
    page.wait_for_selector("main h1:has-text('湖南省 职业教育')")
    assert "有公办中职的县市区数" in page.inner_text("main")
    save_screenshot(page, "vocational-province")

    page.click("#children-table a:text-is('衡阳市')")
    page.wait_for_selector("main h1:has-text('湖南省衡阳市 职业教育')")
    assert "珠晖区" in page.inner_text("#counties-without")
    page.click("#counties-without a:text-is('珠晖区')")
    page.wait_for_selector("main h1:has-text('湖南省衡阳市珠晖区 职业教育')")
    row = page.inner_text("#county-schools")
    assert "珠晖区华信职业学校" in row and "不达标（2项）" in row
    save_screenshot(page, "vocational-county")

    page.click("#county-schools a:text-is('珠晖区华信职业学校')")
    page.wait_for_selector("#indicators")
    assert page.inner_text("#result").startswith("不达标")
    indicators = page.inner_text("#indicators")
    assert "生均占地面积" in indicators and "未达到" in indicators
    save_screenshot(page, "vocational-school")

    page.go_back()
    page.click("#shortfalls-link")
    page.wait_for_selector("#shortfalls")
    assert "珠晖区华信职业学校" in page.inner_text("#shortfalls")
    with page.expect_download() as download_info:
        page.click("#export")
    saved = tmp_path / "shortfalls.xlsx"
    download_info.value.save_as(saved)
    sheet = openpyxl.load_workbook(saved).worksheets[0]
    rows = [[c.value for c in r] for r in sheet.iter_rows()]
    assert rows[0][:4] == ["区县代码", "区县", "学校标识码", "学校名称"]
    assert any(r[2] == "3643040001" and "生均占地面积" in r[9] for r in rows[1:])
    assert all(r[2] != "3643040002" for r in rows[1:])
