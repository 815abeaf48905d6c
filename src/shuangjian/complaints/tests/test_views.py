"""Regulator pages: list filters, detail, handling through POST, export, overdue list, registration."""

from __future__ import annotations

import datetime as dt
import io

import openpyxl
import pytest
from django.urls import reverse
from django.utils import timezone

from shuangjian.complaints import services
from shuangjian.complaints.choices import ReportType, Source, Status
from shuangjian.complaints.models import Report

pytestmark = pytest.mark.django_db


def _report(county="430102", **kwargs):
    values = {
        "source": Source.PHONE,
        "report_type": ReportType.ILLEGAL_CHARGING,
        "county_code": county,
        "description": kwargs.pop("description", "收费超过三个月"),
        "reporter_phone": "13912345678",
    }
    values.update(kwargs)
    return services.report_create(**values)[0]


def test_list_filters(client, county_officer):
    charging = _report(description="收费问题一")
    hazard = _report(report_type=ReportType.SAFETY_HAZARD, description="安全隐患问题二")
    old = _report(description="很久以前的举报三", received_at=timezone.now() - dt.timedelta(days=60))
    client.force_login(county_officer)
    url = reverse("complaints:index")
    html = client.get(url, {"type": ReportType.SAFETY_HAZARD}).content.decode()
    assert hazard.number in html and charging.number not in html
    html = client.get(url, {"overdue": "1"}).content.decode()
    assert old.number in html and hazard.number not in html
    services.report_judge(report=charging, actor=county_officer, valid=True, reason="属实")
    html = client.get(url, {"validity": "valid"}).content.decode()
    assert charging.number in html and hazard.number not in html
    html = client.get(url, {"status": Status.NEW, "source": Source.PHONE}).content.decode()
    assert hazard.number in html and charging.number not in html


def test_institution_and_school_users_cannot_open_the_pages(client, make_user):
    from shuangjian.common.testing import make_institution

    client.force_login(make_user("INSTITUTION", institution=make_institution("430102")))
    assert client.get(reverse("complaints:index"))["Location"] == reverse("complaints:public_new")
    assert client.get(reverse("complaints:overdue")).status_code == 403
    assert client.get(reverse("complaints:export")).status_code == 403


def test_detail_masks_the_phone_except_for_the_handling_county(client, county_officer, make_user):
    report = _report()
    client.force_login(county_officer)
    assert "13912345678" in client.get(reverse("complaints:detail", args=[report.pk])).content.decode()
    client.force_login(make_user("CITY", region="430100"))
    html = client.get(reverse("complaints:detail", args=[report.pk])).content.decode()
    assert "13912345678" not in html and "139****5678" in html


def test_handling_through_the_pages(client, county_officer):
    report = _report()
    client.force_login(county_officer)
    act = lambda action, **data: client.post(reverse("complaints:act", args=[report.pk, action]), data)  # noqa: E731
    assert act("acknowledge").status_code == 302
    assert act("judge", valid="1", reason="经核实属实").status_code == 302
    assert act("assign", handler=county_officer.pk).status_code == 302
    assert (
        act(
            "action",
            kind="SITE_INSPECTION",
            taken_on=timezone.localdate().isoformat(),
            note="现场检查发现违规收费",
        ).status_code
        == 302
    )
    bad = act("close", result="")
    assert bad.status_code == 400
    assert act("close", result="已责令退还超期收费").status_code == 302
    report.refresh_from_db()
    assert report.status == Status.CLOSED and report.handler == county_officer
    assert report.actions.get().kind == "SITE_INSPECTION"
    # A step the machine does not allow is refused with a Chinese message.
    response = client.post(reverse("complaints:act", args=[report.pk, "acknowledge"]), follow=True)
    assert "当前状态“已办结”下不能执行此操作" in response.content.decode()


def test_act_foreign_is_404(client, make_user):
    report = _report(county="430405")
    client.force_login(make_user("COUNTY", region="430102"))
    assert client.post(reverse("complaints:act", args=[report.pk, "acknowledge"])).status_code == 404
    report.refresh_from_db()
    assert report.status == Status.NEW


def test_city_sees_but_cannot_handle(client, make_user):
    report = _report()
    client.force_login(make_user("CITY", region="430100"))
    response = client.post(reverse("complaints:act", args=[report.pk, "acknowledge"]), follow=True)
    assert "只有承办区县的监管人员可以办理" in response.content.decode()
    report.refresh_from_db()
    assert report.status == Status.NEW


def test_export_is_scoped(client, make_user):
    mine = _report()
    foreign = _report(county="430405", description="衡阳的举报")
    client.force_login(make_user("COUNTY", region="430102"))
    response = client.get(reverse("complaints:export"))
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:9] == (
        "线索编号",
        "来源",
        "类型",
        "区县代码",
        "统一社会信用代码",
        "受理时间",
        "是否有效",
        "办结时间",
        "内容",
    )
    numbers = [r[0] for r in rows[1:]]
    assert mine.number in numbers and foreign.number not in numbers
    assert rows[1][-1] == "139****5678"


def test_overdue_page_per_region(client, make_user):
    late = _report(received_at=timezone.now() - dt.timedelta(days=60), description="逾期一")
    other = _report(county="430405", received_at=timezone.now() - dt.timedelta(days=60), description="逾期二")
    services.reports_escalate()
    client.force_login(make_user("CITY", region="430100"))
    html = client.get(reverse("complaints:overdue")).content.decode()
    assert late.number in html and other.number not in html and "长沙市芙蓉区" in html
    assert "省级督办" in html
    html = client.get(reverse("complaints:overdue"), {"level": "1"}).content.decode()
    assert late.number not in html  # it is at province level now


def test_register_page(client, county_officer):
    client.force_login(county_officer)
    page = client.get(reverse("complaints:register"))
    assert page.status_code == 200 and "430405" not in page.content.decode()
    response = client.post(
        reverse("complaints:register"),
        {
            "source": Source.PHONE,
            "received_at": "2025-06-05T09:30",
            "report_type": ReportType.TEACHER_PAID_TUTORING,
            "description": "家长来电：某小学老师在家中有偿补课",
            "county": "430102",
            "phone": "0731-84567890",
        },
    )
    assert response.status_code == 302
    report = Report.objects.get()
    assert report.source == Source.PHONE and report.created_by == county_officer
    assert timezone.localtime(report.received_at).strftime("%Y-%m-%d %H:%M") == "2025-06-05 09:30"
    refused = client.post(
        reverse("complaints:register"),
        {
            "source": Source.PHONE,
            "received_at": "2025-06-05T09:30",
            "report_type": ReportType.OTHER,
            "description": "跨区县登记的举报内容测试",
            "county": "430405",
        },
    )
    assert refused.status_code == 200 and Report.objects.count() == 1


def test_photo_view_is_scoped(client, make_user):
    from shuangjian.complaints.photos import process_photo

    from .helpers import jpeg_bytes

    report = services.report_create(
        source=Source.PHONE,
        report_type=ReportType.OTHER,
        county_code="430405",
        description="带照片",
        photos=[process_photo("a.jpg", jpeg_bytes())],
    )[0]
    photo = report.photos.get()
    client.force_login(make_user("COUNTY", region="430405"))
    assert client.get(reverse("complaints:photo", args=[photo.pk, "full"])).status_code == 200
    client.force_login(make_user("COUNTY", region="430102"))
    assert client.get(reverse("complaints:photo", args=[photo.pk, "full"])).status_code == 404
    client.logout()
    assert client.get(reverse("complaints:photo", args=[photo.pk, "full"])).status_code == 302


def test_api_masks_the_phone_for_the_city(client, county_officer, make_user):
    report = _report()
    client.force_login(county_officer)
    data = client.get(reverse("complaints:api-report", args=[report.pk])).json()
    assert data["reporter_phone"] == "13912345678" and data["number"] == report.number
    assert "query_code_hash" not in data
    client.force_login(make_user("CITY", region="430100"))
    listing = client.get(reverse("complaints:api-reports"), {"type": ReportType.ILLEGAL_CHARGING}).json()
    assert [r["reporter_phone"] for r in listing["results"]] == ["139****5678"]


def test_city_filters_by_county(client, make_user):
    furong = _report(description="芙蓉区的举报")
    yuelu = _report(county="430104", description="岳麓区的举报")
    client.force_login(make_user("CITY", region="430100"))
    page = client.get(reverse("complaints:index"), {"county": "430104"})
    html = page.content.decode()
    assert yuelu.number in html and furong.number not in html
    assert '<option value="430121"' in html and '<option value="430405"' not in html


def test_social_supervisor_sees_own_submissions(client, make_user):
    from shuangjian.complaints.models import Report

    supervisor = make_user("SUPERVISOR")
    someone_else = _report(description="别人提交的举报")
    client.force_login(supervisor)
    response = client.post(
        reverse("complaints:public_new"),
        {
            "report_type": ReportType.FALSE_ADVERTISING,
            "description": "某机构宣传保证提分三十分，与事实不符",
            "place": "衡阳市珠晖区东风路",
            "county": "",
        },
    )
    assert response.status_code == 302
    mine = Report.objects.get(created_by=supervisor)
    assert mine.county_id == "430405"
    html = client.get(reverse("complaints:index")).content.decode()
    assert mine.number in html and someone_else.number not in html
