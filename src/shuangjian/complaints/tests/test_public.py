"""The public form: photos, routing, receipt, tracking by query code, abuse limits."""

from __future__ import annotations

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from shuangjian.common.testing import make_institution
from shuangjian.complaints.choices import ReportType, Status
from shuangjian.complaints.models import PendingPhoto, Report
from shuangjian.complaints.photos import MAX_PHOTO_BYTES

from .helpers import jpeg_bytes, png_bytes

pytestmark = pytest.mark.django_db


def _post(client, **overrides):
    data = {
        "report_type": ReportType.ILLEGAL_SUBJECT_TRAINING,
        "description": "周末在小区内开设初中数学补习班，约二十名学生",
        "place": "长沙市芙蓉区五一大道100号",
        "county": "",
        "institution_text": "某某学习中心",
        "phone": "13812345678",
    }
    data.update(overrides)
    return client.post(reverse("complaints:public_new"), data)


def _receipt(client, response):
    assert response.status_code == 302, response.content.decode()[:2000]
    page = client.get(response["Location"])
    receipt = page.context["receipt"]
    return Report.objects.get(number=receipt["number"]), receipt["code"]


def test_form_is_public_and_mobile_ready(client):
    response = client.get(reverse("complaints:public_new"))
    assert response.status_code == 200
    html = response.content.decode()
    assert 'name="viewport"' in html and "校外培训随手拍" in html
    assert "multiple" in html and 'accept="image/*"' in html


def test_submission_routes_by_address_and_gives_receipt(client):
    report, code = _receipt(client, _post(client))
    assert report.county_id == "430102"
    assert report.source == "SNAPSHOT" and report.status == Status.NEW
    assert len(code) == 8 and code not in report.query_code_hash  # only a hash is stored
    assert report.reporter_phone == "13812345678"
    # The receipt is shown once.
    assert client.get(reverse("complaints:public_done")).status_code == 302


def test_jpeg_with_gps_exif_is_stored_without_any_metadata(client):
    original = jpeg_bytes(800, 600, gps=True)
    assert Image.open(io.BytesIO(original)).getexif().get_ifd(0x8825)  # the fixture really has GPS
    upload = SimpleUploadedFile("gps.jpg", original, content_type="image/jpeg")
    report, _code = _receipt(client, _post(client, photos=[upload]))
    photo = report.photos.get()
    stored = photo.image.read()
    image = Image.open(io.BytesIO(stored))
    assert image.format == "JPEG"
    assert len(image.getexif()) == 0
    assert not image.getexif().get_ifd(0x8825)
    assert b"Exif" not in stored[:4096] and b"TestCam" not in stored
    assert "icc_profile" not in image.info
    thumb = Image.open(io.BytesIO(photo.thumbnail.read()))
    assert max(thumb.size) <= 320 and len(thumb.getexif()) == 0


def test_png_is_accepted_and_reencoded(client):
    upload = SimpleUploadedFile("shot.png", png_bytes(), content_type="image/png")
    report, _code = _receipt(client, _post(client, photos=[upload]))
    assert Image.open(io.BytesIO(report.photos.get().image.read())).format == "JPEG"


def test_not_an_image_with_jpg_extension_is_refused_and_the_form_kept(client):
    good = SimpleUploadedFile("good.jpg", jpeg_bytes(), content_type="image/jpeg")
    fake = SimpleUploadedFile("scan.jpg", b"%PDF-1.4 this is not a picture" * 20, content_type="image/jpeg")
    response = _post(client, photos=[good, fake], description="周六上午在某写字楼开设英语学科类培训班")
    assert response.status_code == 200
    html = response.content.decode()
    assert "“scan.jpg”不是有效的图片文件" in html
    assert "周六上午在某写字楼开设英语学科类培训班" in html  # the rest is kept
    assert "长沙市芙蓉区五一大道100号" in html
    assert not Report.objects.exists()
    kept = PendingPhoto.objects.get()
    assert kept.original_name == "good.jpg" and kept.token in html
    # Resubmitting with the kept photo (and without the bad file) attaches it.
    response = _post(client, keep_photo=[kept.token], description="周六上午在某写字楼开设英语学科类培训班")
    report, _code = _receipt(client, response)
    assert report.photos.count() == 1 and not PendingPhoto.objects.exists()


def test_another_session_cannot_use_or_see_kept_photos(client):
    from django.test import Client

    good = SimpleUploadedFile("good.jpg", jpeg_bytes(), content_type="image/jpeg")
    _post(client, photos=[good], description="短")
    token = PendingPhoto.objects.get().token
    assert client.get(reverse("complaints:public_pending_photo", args=[token])).status_code == 200
    other = Client()
    assert other.get(reverse("complaints:public_pending_photo", args=[token])).status_code == 404
    report, _code = _receipt(other, _post(other, keep_photo=[token]))
    assert report.photos.count() == 0


def test_oversized_images_are_refused(client):
    big_pixels = io.BytesIO()
    Image.new("L", (8000, 6000)).save(big_pixels, format="PNG")  # 48 MP, small file
    huge = SimpleUploadedFile("huge.png", big_pixels.getvalue(), content_type="image/png")
    response = _post(client, photos=[huge])
    assert "像素过多" in response.content.decode()
    heavy = SimpleUploadedFile(
        "heavy.jpg", b"\xff\xd8" + b"0" * (MAX_PHOTO_BYTES + 10), content_type="image/jpeg"
    )
    response = _post(client, photos=[heavy])
    assert "太大" in response.content.decode() and "每张照片不超过 10 MB" in response.content.decode()
    assert not Report.objects.exists()


def test_too_many_photos(client):
    files = [SimpleUploadedFile(f"p{i}.jpg", jpeg_bytes(), content_type="image/jpeg") for i in range(10)]
    response = _post(client, photos=files)
    assert "最多上传 9 张照片" in response.content.decode()
    assert not Report.objects.exists()


def test_unresolvable_address_asks_for_the_county(client):
    response = _post(client, place="学校门口的小巷子里")
    assert response.status_code == 200
    assert "无法从地址识别所在区县" in response.content.decode()
    report, _code = _receipt(client, _post(client, place="学校门口的小巷子里", county="430405"))
    assert report.county_id == "430405"


def test_institution_picked_from_registry(client):
    institution = make_institution("430102", name="星光培训学校")
    report, _code = _receipt(
        client, _post(client, institution=str(institution.pk), institution_text="星光培训学校")
    )
    assert report.institution == institution
    by_code, _code = _receipt(
        client,
        _post(
            client,
            institution_text=institution.credit_code,
            description="另一件不同内容的举报，关于收费问题的情况说明",
        ),
    )
    assert by_code.institution == institution


def test_unregistered_credit_code_is_kept(client):
    from shuangjian.common.testing import make_credit_code

    code = make_credit_code("430102")
    report, _code = _receipt(client, _post(client, institution_text=code.lower()))
    assert report.institution is None and report.institution_credit_code == code


def test_institution_search_htmx(client):
    institution = make_institution("430102", name="星光培训学校")
    html = client.get(reverse("complaints:institution_search"), {"institution_text": "星光"}).content.decode()
    assert "星光培训学校" in html and institution.credit_code in html
    html = client.get(
        reverse("complaints:institution_search"), {"q": institution.credit_code.lower()}
    ).content.decode()
    assert "星光培训学校" in html


def test_resolve_preview(client):
    html = client.get(
        reverse("complaints:public_resolve"), {"place": "长沙市芙蓉区五一大道"}
    ).content.decode()
    assert "芙蓉区" in html


def test_tracking_by_query_code_and_no_access_with_a_wrong_code(client, county_officer):
    from shuangjian.complaints import services

    report, code = _receipt(client, _post(client))
    url = reverse("complaints:public_track")
    wrong = client.post(url, {"number": report.number, "code": "ABCDEFGH"})
    assert wrong.context["report"] is None
    assert "线索编号或查询码不正确" in wrong.content.decode()
    assert report.description not in wrong.content.decode()
    unknown = client.post(url, {"number": "JB00000000000000", "code": code})
    assert unknown.context["report"] is None
    services.report_judge(report=report, actor=county_officer, valid=True, reason="情况属实")
    services.report_close(
        report=Report.objects.get(pk=report.pk),
        actor=county_officer,
        result="已现场检查，责令停止违规培训并退费",
    )
    right = client.post(url, {"number": report.number.lower(), "code": code.lower()})
    html = right.content.decode()
    assert right.context["report"] == report
    assert "已办结" in html and "已现场检查，责令停止违规培训并退费" in html
    assert "13812345678" not in html  # no personal data on the public page


def test_tracking_locks_a_number_after_repeated_failures(client):
    report, code = _receipt(client, _post(client))
    url = reverse("complaints:public_track")
    for _ in range(10):
        client.post(url, {"number": report.number, "code": "WRONG123"})
    locked = client.post(url, {"number": report.number, "code": code})
    assert locked.context["report"] is None and "失败次数过多" in locked.content.decode()


def test_challenge_after_repeated_submissions(client):
    _receipt(client, _post(client))
    _receipt(client, _post(client, description="第二件举报，内容完全不同：某机构虚假宣传提分效果"))
    page = client.get(reverse("complaints:public_new"))
    challenge = client.session["complaint_challenge"]
    assert challenge["question"] in page.content.decode()
    refused = _post(client, description="第三件举报：培训机构消防通道堵塞存在安全隐患", challenge="999")
    assert refused.status_code == 200 and "验证题答案不正确" in refused.content.decode()
    assert Report.objects.count() == 2
    answer = client.session["complaint_challenge"]["answer"]  # a new question after a wrong answer
    _receipt(
        client,
        _post(client, description="第三件举报：培训机构消防通道堵塞存在安全隐患", challenge=str(answer)),
    )
    assert Report.objects.count() == 3


def test_challenge_also_applies_to_a_client_without_cookies(client):
    from django.test import Client

    for i in range(2):
        fresh = Client()
        _receipt(fresh, _post(fresh, description=f"无 Cookie 的客户端第{i}次提交不同内容的举报"))
    bot = Client()
    response = _post(bot, description="第三次提交，应当需要回答验证题才可以")
    assert response.status_code == 200 and "验证题" in response.content.decode()
    assert Report.objects.count() == 2


def test_rate_limit_on_submissions(client, settings):
    from shuangjian.complaints import views

    for _ in range(25):
        response = _post(client, description="短")  # invalid, but counted by the rate limit
    assert response.status_code == 429
    assert "操作过于频繁" in response.content.decode()
    assert views.SUBMIT_RATE == "20/h"


def test_honeypot_and_input_limits(client):
    response = _post(client, website="http://spam.example")
    assert response.status_code == 200 and not Report.objects.exists()
    response = _post(client, description="长" * 2001)
    assert "2000" in response.content.decode() and not Report.objects.exists()
    response = _post(client, phone="12345")
    assert "手机号" in response.content.decode()
