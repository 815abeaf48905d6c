"""Scoping coverage of the registry's pages and endpoints (see shuangjian.common.testing), plus
builders for the registry's tests."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from shuangjian.common.testing import ScopeCase, make_institution


def _tiny_pdf() -> bytes:
    """A minimal well-formed one-page PDF (catalogue, pages, page; exact xref offsets)."""
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >>",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)


#: Smallest valid PDF the material check accepts.
TINY_PDF = _tiny_pdf()


def _institution(county):
    institution = make_institution(county)
    return {"pk": institution.pk}, institution.credit_code


def make_application(county, *, state="SUBMITTED"):
    """An institution in 申请中 with a submitted application carrying one PDF material (tests)."""
    from django.core.files.base import ContentFile

    from .models import ApplicationMaterial, LicenseApplication

    institution = make_institution(county, status="APPLYING", category="SUBJECT")
    application = LicenseApplication.objects.create(
        institution=institution,
        category="SUBJECT",
        mode="OFFLINE",
        audiences="COMPULSORY",
        submitted_at=timezone.now(),
        due_on=timezone.localdate() + dt.timedelta(days=28),
        state=state,
    )
    material = ApplicationMaterial(
        application=application,
        kind="CHARTER",
        original_name="章程.pdf",
        content_type="application/pdf",
        size=len(TINY_PDF),
    )
    material.file.save("m.pdf", ContentFile(TINY_PDF), save=False)
    material.save()
    return application, material


def _application(county):
    application, _material = make_application(county)
    return {"pk": application.pk}, application.institution.name


def _material(county):
    _application_obj, material = make_application(county)
    return {"pk": material.pk}, ""


def _violation(county):
    from .models import Violation

    institution = make_institution(county)
    Violation.objects.create(
        institution=institution,
        rule_id="TEST-RULE",
        title="测试违规",
        evidence={"说明": "测试"},
        detected_at=timezone.now(),
    )
    return {}, institution.name


SCOPE_CASES = [
    ScopeCase("institutions:index", "list", _institution),
    ScopeCase("institutions:detail", "detail", _institution),
    ScopeCase("institutions:violations", "list", _violation),
    ScopeCase("institutions:applications", "list", _application),
    ScopeCase("institutions:application_detail", "detail", _application),
    ScopeCase("institutions:material", "detail", _material),
    ScopeCase("institutions:api_list", "list", _institution),
    ScopeCase("institutions:api_detail", "detail", _institution),
    ScopeCase("institutions:api_violations", "list", _violation),
]
SCOPE_EXEMPT: dict[str, str] = {
    "institutions:transition": "POST action on Institution.objects.visible_to (foreign → 404 in test_views)",
    "institutions:particulars": "POST action on Institution.objects.visible_to (foreign → 404 in test_episode_values)",
    "institutions:site_add": "own institution's staff only; visible_to + ownership (test_views)",
    "institutions:staff_add": "own institution's staff only; visible_to + ownership (test_views)",
    "institutions:item_add": "own institution's staff only; visible_to + ownership (test_views)",
    "institutions:site_edit": "own institution's staff only; Site.objects.visible_to + ownership (test_views)",
    "institutions:staff_edit": "own institution's staff only; Practitioner.objects.visible_to (test_views)",
    "institutions:item_edit": "own institution's staff only; TrainingItem.objects.visible_to (test_views)",
    "institutions:session_add": "own institution's staff only; TrainingItem.visible_to (test_views)",
    "institutions:item_status": "POST action on TrainingItem.objects.visible_to (test_views)",
    "institutions:import": "upload form; rows outside the regulator's region are refused (test_views)",
    "institutions:register": "creates a record in a county of the regulator's own region (test_views)",
    "institutions:violations_export": ".xlsx of Violation.objects.visible_to (binary; test_views parses it)",
    "institutions:violation_resolve": "POST action on Violation.objects.visible_to (test_views)",
    "institutions:scan": "POST action scanning the regulator's own region (test_views)",
    "institutions:rules": "rule definitions and parameters: no region-scoped records",
    "institutions:application_new": "the caller's own institution only",
    "institutions:application_decide": "POST action on LicenseApplication.objects.visible_to (test_views)",
    "institutions:application_resubmit": "POST action by the applicant on its own application (test_views)",
    "institutions:public_search": "public page: licensed institutions only (白名单, public data)",
    "institutions:public_blacklist": "public page: revoked / banned institutions (黑名单, public data)",
    "institutions:public_detail": "public page: a licensed or blacklisted institution's public data",
}
