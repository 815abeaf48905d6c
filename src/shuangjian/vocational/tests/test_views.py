"""Pages: staff see only their school, uploads are checked against the uploader's scope, exports."""

from __future__ import annotations

import io

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from shuangjian.vocational.models import AnnualReturn, CatalogueItem, SchoolMajor
from shuangjian.vocational.testing import make_vocational_school

pytestmark = pytest.mark.django_db


def test_staff_land_on_their_school_and_get_404_elsewhere(client, make_user):
    mine = make_vocational_school("430102")
    other = make_vocational_school("430102")
    client.force_login(make_user("VOCATIONAL", vocational_school=mine))
    response = client.get(reverse("vocational:index"))
    assert response.status_code == 302 and response["Location"] == reverse(
        "vocational:school", args=[mine.pk]
    )
    assert client.get(reverse("vocational:school", args=[mine.pk])).status_code == 200
    assert client.get(reverse("vocational:school", args=[other.pk])).status_code == 404
    assert client.get(reverse("vocational:region", args=["430102"])).status_code == 403
    assert client.get(reverse("vocational:shortfalls")).status_code == 403


def test_staff_upload_majors_only_for_their_school(client, make_user):
    mine = make_vocational_school("430102")
    other = make_vocational_school("430102")
    client.force_login(make_user("VOCATIONAL", vocational_school=mine))
    template = client.get(reverse("vocational:template", args=["vocational-majors"]))
    book = openpyxl.load_workbook(io.BytesIO(template.content))
    sheet = book.worksheets[0]
    sheet.append([mine.code, "660103", "数控技术应用", 2019, None])
    sheet.append([other.code, "660103", "数控技术应用", 2019, None])
    buffer = io.BytesIO()
    book.save(buffer)
    upload = SimpleUploadedFile("m.xlsx", buffer.getvalue())
    html = client.post(
        reverse("vocational:import"), {"kind": "vocational-majors", "file": upload}
    ).content.decode()
    assert "无权填报学校" in html and not SchoolMajor.objects.exists()
    upload = SimpleUploadedFile("m.xlsx", buffer.getvalue())
    client.post(
        reverse("vocational:import"), {"kind": "vocational-majors", "file": upload, "skip_invalid": "1"}
    )
    assert list(SchoolMajor.objects.values_list("school_id", flat=True)) == [mine.pk]
    # staff file their own school's return, not another's, and cannot move their school
    header = "学校标识码,学校名称,区县代码,办学层次,举办者类型,统计年度,学历教育在校生数,专任教师数\n"
    rows = (
        f"{mine.code},{mine.name},430102,中职,公办,2022,800,50\n"
        f"{other.code},{other.name},430102,中职,公办,2022,800,50\n"
        f"{mine.code},{mine.name},430103,中职,民办,2021,800,50\n"
    )
    upload = SimpleUploadedFile("s.csv", (header + rows).encode())
    html = client.post(
        reverse("vocational:import"), {"kind": "vocational-schools", "file": upload, "skip_invalid": "1"}
    ).content.decode()
    assert "不在本账号可填报的范围内" in html and "学校基本信息由主管部门维护" in html
    assert list(AnnualReturn.objects.values_list("school_id", "year")) == [(mine.pk, 2022)]


def test_school_page_shows_gaps_and_shortfall_export(client, make_user):
    school = make_vocational_school("430102", name="芙蓉测试职校")
    AnnualReturn.objects.create(
        school=school,
        year=2022,
        name=school.name,
        students=1000,
        teachers=40,
        land_m2=30000,
        building_m2=30000,
        equipment_fen=400_000_000,
        books=40000,
    )
    SchoolMajor.objects.create(
        school=school, major=CatalogueItem.objects.get(code="660103"), name="数控技术应用", opened_year=2019
    )
    client.force_login(make_user("COUNTY", region="430102"))
    html = client.get(reverse("vocational:school", args=[school.pk]) + "?as_of=2023-06-05").content.decode()
    assert "不达标（4项）" in html and "数控技术应用" in html
    response = client.get(reverse("vocational:shortfalls") + "?as_of=2023-06-05&format=xlsx")
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).worksheets[0]
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[1][3] == "芙蓉测试职校"
    assert "专任教师数：40，应不低于60，差20人" in rows[1][9]
    region = client.get(reverse("vocational:region", args=["430102"]) + "?as_of=2023-06-05").content.decode()
    assert "芙蓉测试职校" in region and "没有公办中职的县市区（0个）" in region
