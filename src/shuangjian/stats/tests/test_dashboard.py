import datetime as dt
import io
import re

import openpyxl
import pytest
from django.urls import reverse

from shuangjian.stats.testing import _supervised_institution

pytestmark = pytest.mark.django_db


@pytest.fixture
def spread():
    for county, n in (("430102", 3), ("430103", 2), ("430405", 4)):
        for _ in range(n):
            _supervised_institution(county)


def card_value(html: str, kpi: str) -> str:
    match = re.search(rf'data-kpi="{re.escape(kpi)}">\s*<span class="figure">([^<]+)</span>', html)
    assert match, f"card {kpi} missing"
    return match.group(1)


def test_dashboard_scoping(client, make_user, spread):
    from shuangjian.institutions.models import Institution

    county = make_user("COUNTY", region="430102")
    client.force_login(county)
    html = client.get(reverse("stats:index"), {"as_of": "2023-06-05"}).content.decode()
    assert (
        card_value(html, "institutions.active") == str(Institution.objects.visible_to(county).count()) == "3"
    )

    city = make_user("CITY", region="430100")
    client.force_login(city)
    html = client.get(reverse("stats:index"), {"as_of": "2023-06-05"}).content.decode()
    assert card_value(html, "institutions.active") == "5"
    assert "芙蓉区" in html and "珠晖区" not in html


def test_drill_down_and_foreign_region_is_404(client, make_user, spread):
    province = make_user("PROVINCE", region="430000")
    client.force_login(province)
    html = client.get(reverse("stats:index"), {"as_of": "2023-06-05"}).content.decode()
    assert "长沙市" in html and "湘西土家族苗族自治州" in html
    drilled = client.get(reverse("stats:index"), {"as_of": "2023-06-05", "region": "430100"}).content.decode()
    assert card_value(drilled, "institutions.active") == "5" and "芙蓉区" in drilled

    client.force_login(make_user("CITY", region="430100"))
    assert client.get(reverse("stats:index"), {"region": "430400"}).status_code == 404
    assert client.get(reverse("stats:index"), {"region": "430000"}).status_code == 404


def test_records_behind_a_figure_match_it(client, make_user, spread):
    client.force_login(make_user("PROVINCE", region="430000"))
    url = reverse("stats:records", args=["institutions.active"])
    html = client.get(url, {"as_of": "2023-06-05", "region": "430100"}).content.decode()
    assert re.search(r'id="record-total">5<', html)
    response = client.get(url, {"as_of": "2023-06-05", "region": "430100", "format": "xlsx"})
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    assert sheet.max_row == 1 + 5 and sheet.cell(1, 1).value == "统一社会信用代码"
    assert client.get(reverse("stats:records", args=["no.such.kpi"])).status_code == 404


def test_dashboard_exports_xlsx(client, make_user, spread):
    client.force_login(make_user("CITY", region="430100"))
    response = client.get(reverse("stats:index"), {"as_of": "2023-06-05", "format": "xlsx"})
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    rows = {r[1]: r for r in sheet.iter_rows(min_row=2, values_only=True)}
    assert rows["芙蓉区"][2] == 3 and rows["合计"][2] == 5


def test_non_regulators_have_no_dashboard(client, make_user):
    client.force_login(make_user("SUPERVISOR"))
    assert client.get(reverse("stats:index")).status_code == 403


def test_definitions_page_lists_every_kpi(client, make_user):
    from shuangjian.stats.kpis import KPIS

    client.force_login(make_user("COUNTY", region="430102"))
    html = client.get(reverse("stats:definitions")).content.decode()
    for kpi_id in KPIS:
        assert kpi_id in html


def test_month_ends():
    from shuangjian.stats.selectors import month_ends

    assert month_ends(dt.date(2023, 3, 15), 3) == [
        dt.date(2023, 1, 31),
        dt.date(2023, 2, 28),
        dt.date(2023, 3, 15),
    ]


def test_bad_parameters_are_reported_not_ignored(client, make_user):
    client.force_login(make_user("COUNTY", region="430102"))
    html = client.get(reverse("stats:index"), {"as_of": "2023-02-30"}).content.decode()
    assert 'id="param-errors"' in html and "统计日" in html and "不是有效日期" in html
    html = client.get(reverse("stats:index"), {"from": "2024-01-01", "to": "2023-01-01"}).content.decode()
    assert "晚于期间止" in html
