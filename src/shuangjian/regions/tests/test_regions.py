import pytest
from django.core.management import call_command

from shuangjian.regions.models import Region, RegionLevel
from shuangjian.regions.services import regions_load

pytestmark = pytest.mark.django_db


def test_hunan_has_14_prefectures_and_122_counties():
    hunan = Region.objects.get(code="430000")
    assert hunan.name == "湖南省" and hunan.level == RegionLevel.PROVINCE
    assert hunan.children.filter(level=RegionLevel.PREFECTURE).count() == 14
    assert hunan.counties().count() == 122
    assert hunan.subtree().count() == 1 + 14 + 122


def test_known_code_resolves_to_full_name_and_ancestors():
    furong = Region.objects.get(code="430102")
    assert furong.full_name == "湖南省长沙市芙蓉区"
    assert [r.code for r in furong.ancestors()] == ["430000", "430100", "430102"]
    assert Region.objects.get(code="431202").full_name == "湖南省怀化市鹤城区"
    assert Region.objects.get(code="433101").full_name == "湖南省湘西土家族苗族自治州吉首市"
    # Renamed after the 2018 boundaries: 株洲县 became 渌口区.
    assert Region.objects.get(code="430212").name == "渌口区"


def test_subtree_of_a_city_and_a_municipality():
    changsha = Region.objects.get(code="430100")
    codes = set(changsha.subtree().values_list("code", flat=True))
    assert "430102" in codes and "430400" not in codes and len(codes) == 10
    beijing = Region.objects.get(code="110000")
    dongcheng = Region.objects.get(code="110101")
    assert dongcheng.parent == beijing and dongcheng.full_name == "北京市东城区"
    assert beijing.contains("110101") and not beijing.contains("430102")


def test_functional_zones_are_not_divisions():
    assert not Region.objects.filter(code="430373").exists()  # 湘潭九华示范区


def test_load_is_idempotent(capsys):
    result = regions_load()
    assert result.created == 0 and result.updated == 0 and result.unchanged == Region.objects.count()
    call_command("load-regions")
    assert "新增 0，更新 0" in capsys.readouterr().out
