"""Licensing workflow: application with materials → review → changes / approval / rejection."""

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from shuangjian.common.models import RuleParameter
from shuangjian.common.testing import make_institution
from shuangjian.common.workdays import WorkdayCalendar
from shuangjian.institutions import services
from shuangjian.institutions.models import Institution, LicenseApplication
from shuangjian.institutions.testing import TINY_PDF

pytestmark = pytest.mark.django_db


def png_bytes():
    import io

    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (4, 4), "red").save(buffer, format="PNG")
    return buffer.getvalue()


MATERIALS = [
    ("CHARTER", "章程.pdf", TINY_PDF),
    ("SITE_PROOF", "租赁合同.png", png_bytes()),
    ("FIRE_SAFETY", "消防.pdf", TINY_PDF),
    ("STAFF_LIST", "名册.pdf", TINY_PDF),
]


@pytest.fixture
def applicant(make_user):
    inst = make_institution("430102", status="APPLYING", category="NON_SUBJECT")
    return inst, make_user("INSTITUTION", institution=inst)


def submit(inst, user, materials=MATERIALS):
    return services.application_submit(
        institution=inst,
        actor=user,
        category="NON_SUBJECT",
        mode="OFFLINE",
        audiences=["COMPULSORY"],
        description="开办艺术培训",
        materials=materials,
    )


def test_submit_stores_materials_and_sets_deadline_in_working_days(applicant):
    inst, user = applicant
    RuleParameter.objects.create(key="institutions.review_deadline_workdays", value=7)
    app = submit(inst, user)
    assert app.state == "SUBMITTED"
    assert app.due_on == WorkdayCalendar().add_working_days(timezone.localdate(), 7)
    assert (app.due_on - timezone.localdate()).days >= 9  # 7 working days span at least one weekend
    stored = app.materials.get(kind="SITE_PROOF")
    assert stored.content_type == "image/png" and stored.original_name == "租赁合同.png"
    path = stored.file.path
    assert path.startswith(str(settings.MEDIA_ROOT)) and path.endswith(".png") and "租赁" not in path
    with pytest.raises(services.RegistryError, match="已有正在办理的申请"):
        submit(inst, user)


@pytest.mark.parametrize(
    "materials,message",
    [
        (MATERIALS[:2], "缺少必需的申请材料：消防安全证明、从业人员名册及资格证明"),
        ([("CHARTER", "章程.pdf", b"MZ\x90\x00 not a pdf")] + MATERIALS[1:], "类型不支持"),
        ([("CHARTER", "章程.pdf", b"%PDF-1.4 truncated")] + MATERIALS[1:], "不是完整的PDF文件"),
        ([("CHARTER", "章程.png", b"\x89PNG\r\n\x1a\n garbage")] + MATERIALS[1:], "不是有效的图片"),
        (
            [("CHARTER", "章程.pdf", b"%PDF-" + b"0" * (10 * 1024 * 1024) + b"%%EOF")] + MATERIALS[1:],
            "超过10 MB",
        ),
    ],
)
def test_bad_materials_are_refused_and_nothing_is_saved(applicant, materials, message):
    inst, user = applicant
    with pytest.raises(services.RegistryError, match=message):
        submit(inst, user, materials)
    assert not LicenseApplication.objects.exists()


def test_changes_resubmit_approve_issues_licence(applicant, make_user):
    inst, user = applicant
    county = make_user("COUNTY", region="430102")
    app = submit(inst, user)
    with pytest.raises(services.RegistryError, match="必须填写理由"):
        services.application_decide(application=app, actor=county, decision="request_changes")
    app = services.application_decide(
        application=app, actor=county, decision="request_changes", reason="消防证明已过期，请补充"
    )
    assert app.state == "CHANGES_REQUESTED"
    with pytest.raises(services.RegistryError, match="不能“批准”"):
        services.application_decide(application=app, actor=county, decision="approve")
    app = services.application_resubmit(
        application=app, actor=user, materials=[("FIRE_SAFETY", "新消防.pdf", TINY_PDF)]
    )
    assert app.state == "SUBMITTED" and app.materials.count() == 5
    app = services.application_decide(application=app, actor=county, decision="approve", reason="同意")
    inst = Institution.objects.get(pk=inst.pk)
    assert app.state == "APPROVED" and app.license_no.startswith("教民430102")
    assert inst.status == "LICENSED" and inst.license_no == app.license_no
    assert inst.episodes.get().category == "NON_SUBJECT"
    assert app.history.first().history_user == county
    with pytest.raises(services.RegistryError, match="申请当前状态为“已批准”"):
        services.application_decide(application=app, actor=county, decision="reject", reason="x")


def test_reject_with_reason_and_foreign_regulator_refused(applicant, make_user):
    inst, user = applicant
    app = submit(inst, user)
    other = make_user("COUNTY", region="430405")
    with pytest.raises(services.RegistryError, match="只有机构所在地的监管部门"):
        services.application_decide(application=app, actor=other, decision="reject", reason="x")
    county = make_user("COUNTY", region="430102")
    app = services.application_decide(application=app, actor=county, decision="reject", reason="场所面积不足")
    assert app.state == "REJECTED" and app.decision_reason == "场所面积不足"
    assert Institution.objects.get(pk=inst.pk).status == "APPLYING"


def test_applicant_sees_status_and_reason_pages(applicant, make_user, client):
    inst, user = applicant
    client.force_login(user)
    response = client.get(reverse("institutions:application_new"))
    assert response.status_code == 200
    from django.core.files.uploadedfile import SimpleUploadedFile

    data = {"category": "NON_SUBJECT", "mode": "OFFLINE", "audiences": ["COMPULSORY"], "description": "x"}
    for kind, name, content in MATERIALS:
        data[f"material_{kind}"] = SimpleUploadedFile(name, content)
    response = client.post(reverse("institutions:application_new"), data)
    app = LicenseApplication.objects.get()
    assert response.status_code == 302 and response.url == reverse(
        "institutions:application_detail", args=[app.pk]
    )
    county = make_user("COUNTY", region="430102")
    services.application_decide(application=app, actor=county, decision="reject", reason="场所面积不足")
    body = client.get(reverse("institutions:application_detail", args=[app.pk])).content.decode()
    assert "不予批准" in body and "场所面积不足" in body
    material = app.materials.first()
    assert client.get(reverse("institutions:material", args=[material.pk])).status_code == 200
    other = make_user("INSTITUTION", institution=make_institution("430102"))
    client.force_login(other)
    assert client.get(reverse("institutions:application_detail", args=[app.pk])).status_code == 404
    assert client.get(reverse("institutions:material", args=[material.pk])).status_code == 404
