"""Address → county (承办区县) from the region table."""

import pytest

from shuangjian.complaints.routing import county_choices, resolve_county

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("address", "code"),
    [
        ("长沙市芙蓉区五一大道", "430102"),
        ("湖南省长沙市芙蓉区五一大道389号", "430102"),
        ("芙蓉区五一大道", "430102"),
        ("长沙县星沙街道开元路", "430121"),
        ("长沙市长沙县星沙", "430121"),
        ("浏阳市集里街道", "430181"),
        ("湘西州吉首市人民路", "433101"),
        ("衡阳市珠晖区东风路", "430405"),
        ("ｌｏｕｄｉ 娄底市双峰县永丰镇", "431321"),
    ],
)
def test_address_resolves_to_its_county(address, code):
    assert resolve_county(address).county.code == code


def test_a_bare_city_offers_its_counties():
    resolution = resolve_county("长沙市五一大道")
    assert resolution.county is None and resolution.city.code == "430100"
    codes = {c.code for c in resolution.candidates}
    assert "430102" in codes and "430121" in codes and all(c.startswith("4301") for c in codes)


def test_outside_the_province_or_nonsense_gives_nothing():
    assert resolve_county("北京市朝阳区建国路").county is None
    assert resolve_county("学校旁边").county is None and resolve_county("").candidates == []


def test_county_choices_grouped_by_city():
    groups = dict(county_choices())
    assert ("430102", "芙蓉区") in groups["长沙市"]
    assert sum(len(v) for v in groups.values()) == 122
