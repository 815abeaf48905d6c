"""Material files (pixel limit, PDF structure), price ceiling, date bounds, the decision form's
message and the public blacklist's date and reason."""

import io

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from shuangjian.common.codes import credit_code_make
from shuangjian.common.testing import make_institution
from shuangjian.institutions import services
from shuangjian.institutions.models import Institution, TrainingItem
from shuangjian.institutions.testing import TINY_PDF, make_application
from shuangjian.institutions.validation import MIN_PDF_BYTES, MaterialError, check_image, check_pdf

pytestmark = pytest.mark.django_db


def _png(width, height):
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("1", (width, height)).save(buffer, format="PNG", optimize=True)
    return buffer.getvalue()


def test_images_over_40_megapixels_are_refused_without_decoding():
    check_image(_png(40, 30), "小图.png")
    big = _png(9000, 9000)  # 81 Mpx, a few kB compressed
    assert len(big) < 10 * 1024 * 1024
    with pytest.raises(MaterialError, match="“场地.png”的图片尺寸过大（9000×9000.*不能超过40百万像素"):
        check_image(big, "场地.png")
    with pytest.raises(services.RegistryError, match="图片尺寸过大"):
        services.material_sniff(big, "场地.png")
    bomb = _png(20000, 20000)  # 400 Mpx: Pillow's own bomb guard fires first
    with pytest.raises(MaterialError, match="图片尺寸过大"):
        check_image(bomb, "炸弹.png")


def test_pdf_must_be_structurally_plausible():
    check_pdf(TINY_PDF, "章程.pdf")
    assert services.material_sniff(TINY_PDF, "章程.pdf") == ("application/pdf", "pdf")
    fake = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF"  # 44 bytes
    assert len(fake) == 44
    with pytest.raises(services.RegistryError, match="不是完整的PDF文件：只有44字节"):
        services.material_sniff(fake, "章程.pdf")
    padded = b"%PDF-1.4\n" + b"x" * MIN_PDF_BYTES + b"\n%%EOF\n"
    with pytest.raises(MaterialError, match="startxref"):
        check_pdf(padded, "章程.pdf")
    no_eof = TINY_PDF.replace(b"%%EOF", b"")
    with pytest.raises(MaterialError, match="缺少文件结尾标记"):
        check_pdf(no_eof, "章程.pdf")
    no_root = TINY_PDF.replace(b"/Root", b"/Info")
    with pytest.raises(MaterialError, match="/Root"):
        check_pdf(no_root, "章程.pdf")
    with pytest.raises(MaterialError, match="缺少PDF文件头"):
        check_pdf(b"%PDF-x" + TINY_PDF[6:], "章程.pdf")


def test_price_per_class_hour_has_a_ceiling(client, make_user):
    inst = make_institution("430102", status="LICENSED", category="NON_SUBJECT", license_no="L1")
    client.force_login(make_user("INSTITUTION", institution=inst))
    data = {
        "name": "美术课",
        "description": "儿童美术基础绘画",
        "category": "NON_SUBJECT",
        "grades": ["G3"],
        "mode": "OFFLINE",
        "class_size": "MEDIUM",
        "class_minutes": "45",
        "total_hours": "20",
        "price_yuan": "99999999999",
    }
    response = client.post(reverse("institutions:item_add", args=[inst.pk]), data)
    assert response.status_code == 200
    assert "每课时价格：不能超过¥10,000.00" in response.content.decode()
    assert not TrainingItem.objects.exists()
    data["price_yuan"] = "10000"
    assert client.post(reverse("institutions:item_add", args=[inst.pk]), data).status_code == 302
    assert TrainingItem.objects.get().price_per_hour_fen == 1_000_000


def test_bad_decision_shows_a_message(client, make_user):
    app, _material = make_application("430102")
    client.force_login(make_user("COUNTY", region="430102"))
    response = client.post(
        reverse("institutions:application_decide", args=[app.pk]), {"decision": "XYZ"}, follow=True
    )
    assert "审核意见：“XYZ”不是有效的审核意见" in response.content.decode()
    app.refresh_from_db()
    assert app.state == "SUBMITTED"


def test_transition_and_session_dates_are_bounded(client, make_user):
    inst = make_institution("430102", status="LICENSED", category="SUBJECT", license_no="L1")
    client.force_login(make_user("COUNTY", region="430102"))
    response = client.post(
        reverse("institutions:transition", args=[inst.pk]),
        {"action": "revoke", "reason": "违规", "on": "2099-01-01"},
        follow=True,
    )
    assert "日期：日期不能晚于今天" in response.content.decode()
    inst.refresh_from_db()
    assert inst.status == "LICENSED"


def test_blacklist_shows_date_and_reason_of_revocation(client, make_user):
    inst = make_institution(
        "430102", name="吊销丁机构", status="LICENSED", category="SUBJECT", license_no="L1"
    )
    client.force_login(make_user("COUNTY", region="430102"))
    client.post(
        reverse("institutions:transition", args=[inst.pk]),
        {"action": "revoke", "reason": "超前超标培训屡教不改", "on": "2026-03-02"},
    )
    client.logout()
    body = client.get(reverse("institutions:public_blacklist")).content.decode()
    row = body[body.index("吊销丁机构") :]
    row = row[: row.index("</tr>")]
    assert "2026-03-02" in row and "超前超标培训屡教不改" in row


def test_imported_revocation_has_date_and_reason_and_dates_are_bounded(tmp_path, client, capsys):
    code = credit_code_make("52430102MJ9100001")
    header = "统一社会信用代码,机构名称,区县代码,培训类别,培训形式,服务对象,办学性质,审批日期,终止日期,终止原因,纳入资金监管,办学许可证号\n"
    path = tmp_path / "inst.csv"
    path.write_text(
        header + f"{code},导入吊销机构,430102,学科类,线下,义务教育,营利性,2019-03-01,2022-03-15,吊销,否,L9\n",
        encoding="utf-8",
    )
    call_command("import", "institutions", str(path), "--quiet")
    inst = Institution.objects.get(credit_code=code)
    assert inst.status == "REVOKED" and inst.status_changed_on.isoformat() == "2022-03-15"
    assert "吊销" in inst.status_reason
    body = client.get(reverse("institutions:public_blacklist")).content.decode()
    row = body[body.index("导入吊销机构") :]
    assert "2022-03-15" in row[: row.index("</tr>")]
    future = (timezone.localdate().replace(year=timezone.localdate().year + 1)).isoformat()
    path.write_text(
        header + f"{code},导入吊销机构,430102,学科类,线下,义务教育,营利性,1970-01-01,{future},吊销,否,L9\n",
        encoding="utf-8",
    )
    with pytest.raises(SystemExit):
        call_command("import", "institutions", str(path), "--quiet")
    err = capsys.readouterr().err
    assert "“审批日期”列：不能早于1980-01-01" in err and "“终止日期”列：不能晚于今天" in err


def test_compliance_command_usage_errors(capsys):
    for argv in (["--region", "999999"], ["--today", "notadate"], ["--rule", "NO-SUCH-RULE"]):
        with pytest.raises(SystemExit) as exit_info:
            call_command("compliance", "scan", *argv)
        assert exit_info.value.code == 2
        assert "参数错误：" in capsys.readouterr().err
