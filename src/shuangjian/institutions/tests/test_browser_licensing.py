"""Browser: an institution files a licence application with materials, the county regulator asks
for changes, the applicant resubmits, the regulator approves; the public then finds it (白名单)."""

import pytest

from shuangjian.conftest import save_screenshot
from shuangjian.institutions.testing import TINY_PDF

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def login(page, username, password="Pass-word-123"):
    page.goto(page.base_url + "/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.click("button[type=submit]")
    page.wait_for_selector("h1")


def logout(page):
    page.click("header button:has-text('退出')")
    page.wait_for_url("**/accounts/login/")


def pdf(name):
    return {"name": name, "mimeType": "application/pdf", "buffer": TINY_PDF}


def test_application_to_approval_flow(browser_page, make_user):
    from shuangjian.common.testing import make_institution
    from shuangjian.institutions.models import Institution, LicenseApplication
    from shuangjian.regions.services import regions_load

    regions_load()
    inst = make_institution("430102", name="芙蓉区晨曦艺术培训学校", status="APPLYING")
    make_user("INSTITUTION", username="applicant", institution=inst)
    make_user("COUNTY", username="furong_reg", region="430102")
    page = browser_page

    login(page, "applicant")
    page.goto(page.base_url + "/institutions/applications/new/")
    page.select_option("#id_category", "NON_SUBJECT")
    page.select_option("#id_mode", "OFFLINE")
    page.check("input[name=audiences][value=COMPULSORY]")
    page.fill("#id_description", "开办少儿美术、舞蹈培训")
    # Forgetting the fire-safety certificate is refused with the reason.
    page.set_input_files("#id_material_CHARTER", pdf("章程.pdf"))
    page.set_input_files("#id_material_SITE_PROOF", pdf("租赁合同.pdf"))
    page.set_input_files("#id_material_STAFF_LIST", pdf("人员名册.pdf"))
    page.click("#application-form button[type=submit]")
    assert "缺少必需的申请材料：消防安全证明" in page.inner_text("#form-errors")
    for field, name in (
        ("CHARTER", "章程.pdf"),
        ("SITE_PROOF", "租赁合同.pdf"),
        ("FIRE_SAFETY", "消防.pdf"),
        ("STAFF_LIST", "人员名册.pdf"),
    ):
        page.set_input_files(f"#id_material_{field}", pdf(name))
    page.check("input[name=audiences][value=COMPULSORY]")
    page.click("#application-form button[type=submit]")
    page.wait_for_selector("#app-state")
    assert "待审核" in page.inner_text("#app-state")
    save_screenshot(page, "licensing-1-submitted")
    logout(page)

    login(page, "furong_reg")
    page.goto(page.base_url + "/institutions/applications/")
    page.click("text=芙蓉区晨曦艺术培训学校")
    page.select_option("select[name=decision]", "request_changes")
    page.fill("textarea[name=reason]", "消防证明需为近一年内出具")
    page.click("#decide-form button[type=submit]")
    page.wait_for_selector("#app-state:has-text('需补正')")
    logout(page)

    login(page, "applicant")
    app = LicenseApplication.objects.get()
    page.goto(page.base_url + f"/institutions/applications/{app.pk}/")
    assert "消防证明需为近一年内出具" in page.inner_text("#app-reason")
    page.set_input_files("#id_material_FIRE_SAFETY", pdf("新消防证明.pdf"))
    page.click("button:has-text('重新提交')")
    page.wait_for_selector("#app-state:has-text('待审核')")
    logout(page)

    login(page, "furong_reg")
    page.goto(page.base_url + f"/institutions/applications/{app.pk}/")
    assert page.locator("text=消防安全证明：新消防证明.pdf").count() == 1
    page.select_option("select[name=decision]", "approve")
    page.click("#decide-form button[type=submit]")
    page.wait_for_selector("#app-state:has-text('已批准')")
    license_no = page.inner_text("#app-license").strip()
    assert license_no.startswith("教民430102")
    save_screenshot(page, "licensing-2-approved")
    page.goto(page.base_url + f"/institutions/{inst.pk}/")
    assert "已审批" in page.inner_text("#inst-status")
    assert license_no in page.inner_text("#license-no")
    logout(page)
    assert Institution.objects.get(pk=inst.pk).status == "LICENSED"

    page.goto(page.base_url + "/institutions/public/?q=晨曦")
    assert license_no in page.inner_text("#public-results")
    save_screenshot(page, "licensing-3-public")
