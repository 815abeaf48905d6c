"""The shared cross-cutting primitives: audit, errors, validation, rule book, region visibility."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.management.base import BaseCommand
from django.http import Http404
from django.test import RequestFactory
from django.utils import timezone
from rest_framework.test import APIRequestFactory
from rest_framework.views import APIView

from shuangjian.common.audit import audit, history_user, save_audited, update_with_history
from shuangjian.common.errors import DomainError, api_exception_handler, usage_error
from shuangjian.common.importing import RowError
from shuangjian.common.models import RuleParameter
from shuangjian.common.rules import RuleBook, province_code, region_chain, rule_value
from shuangjian.common.scoping import region_visible_to, regions_visible_to
from shuangjian.common.testing import make_institution
from shuangjian.common.validation import (
    IdNumberError,
    cell_choice,
    cell_date,
    cell_int,
    date_bound_error,
    id_check_char,
    id_number_normalize,
)

pytestmark = pytest.mark.django_db


# --- audit ----------------------------------------------------------------------------------------
def test_audit_names_user_and_reason(make_user):
    actor = make_user("PROVINCE", region="430000")
    institution = make_institution("430102", name="甲培训学校")
    institution.name = "乙培训学校"
    save_audited(institution, user=actor, reason="更名")
    newest = institution.history.order_by("-history_date", "-history_id").first()
    assert newest.history_user == actor and newest.history_change_reason == "更名"


def test_a_user_without_pk_is_recorded_as_no_user(make_user):
    from shuangjian.accounts.models import User

    assert history_user(None) is None
    assert history_user(AnonymousUser()) is None
    assert history_user(User(username="unsaved")) is None
    saved = make_user("COUNTY", region="430102")
    assert history_user(saved) == saved
    institution = audit(make_institution("430102"), user=User(username="unsaved"), reason="系统")
    institution.save()
    assert institution.history.order_by("-history_id").first().history_user is None


def test_update_with_history_writes_one_history_row_per_changed_record(make_user):
    actor = make_user("PROVINCE", region="430000")
    first = make_institution("430102", name="一号培训学校")
    second = make_institution("430102", name="二号培训学校")
    from shuangjian.institutions.models import Institution

    before = Institution.history.count()
    changed = update_with_history(
        Institution.objects.filter(pk__in=[first.pk, second.pk]),
        user=actor,
        reason="批量改区",
        county_id="430103",
    )
    assert changed == 2
    assert set(
        Institution.objects.filter(pk__in=[first.pk, second.pk]).values_list("county_id", flat=True)
    ) == {"430103"}
    rows = Institution.history.order_by("-history_id")[:2]
    assert Institution.history.count() == before + 2
    assert all(
        r.history_user == actor and r.history_change_reason == "批量改区" and r.history_type == "~"
        for r in rows
    )
    # A second identical update changes nothing and writes no history.
    assert (
        update_with_history(
            Institution.objects.filter(pk=first.pk), user=actor, reason="再改", county_id="430103"
        )
        == 0
    )
    assert Institution.history.count() == before + 2


# --- errors ---------------------------------------------------------------------------------------
class _Refused(DomainError):
    code = "test_refused"


def test_domain_error_carries_chinese_message_and_code():
    error = _Refused("余额不足")
    assert str(error) == "余额不足" and error.message == "余额不足" and error.reason == "余额不足"
    assert error.code == "test_refused" and error.http_status == 422
    assert isinstance(error, ValueError)
    other = DomainError("冲突", code="conflict", http_status=409)
    assert (other.code, other.http_status) == ("conflict", 409)


def test_domain_validation_error_is_also_djangos():
    from django.core.exceptions import PermissionDenied, ValidationError

    from shuangjian.common.errors import DomainPermissionDenied, DomainValidationError

    class Bad(DomainValidationError):
        code = "bad_return"

    error = Bad("开展天数应在0至7之间")
    assert isinstance(error, ValidationError) and isinstance(error, DomainError)
    assert error.messages == ["开展天数应在0至7之间"] and error.reason == "开展天数应在0至7之间"
    assert error.code == "bad_return" and error.http_status == 422
    with pytest.raises(ValidationError, match="开展天数"):
        raise error
    denied = DomainPermissionDenied("无权填报")
    assert isinstance(denied, PermissionDenied) and denied.http_status == 403


def test_api_exception_handler_answers_the_domain_error_as_json():
    class Refusing(APIView):
        permission_classes: list = []
        authentication_classes: list = []

        def post(self, request):
            raise _Refused("机构已注销，不能缴费", http_status=409)

    response = Refusing.as_view()(APIRequestFactory().post("/x", {}, format="json"))
    assert response.status_code == 409
    assert response.data == {"detail": "机构已注销，不能缴费", "code": "test_refused"}
    assert api_exception_handler(ValueError("x"), {}) is None  # not ours: DRF's default (→ 500)


def test_domain_error_message_mixin_turns_it_into_a_page_message():
    from django.contrib.messages import get_messages
    from django.contrib.messages.storage.fallback import FallbackStorage
    from django.views import View

    from shuangjian.common.errors import DomainErrorMessageMixin

    class Page(DomainErrorMessageMixin, View):
        def post(self, request):
            raise _Refused("不能重复提交")

    request = RequestFactory().post("/page/?tab=1")
    request.session = {}  # type: ignore[attr-defined,assignment]
    request._messages = FallbackStorage(request)  # type: ignore[attr-defined]
    response = Page.as_view()(request)
    assert response.status_code == 302 and response["Location"] == "/page/?tab=1"
    assert [str(m) for m in get_messages(request)] == ["不能重复提交"]


def test_usage_error_prints_chinese_and_exits_2():
    command = BaseCommand(stdout=io.StringIO(), stderr=io.StringIO())
    with pytest.raises(SystemExit) as exit_info:
        usage_error(command, "--from 晚于 --to")
    assert exit_info.value.code == 2
    assert command.stderr._out.getvalue().strip() == "参数错误：--from 晚于 --to"  # type: ignore[attr-defined]


# --- validation -----------------------------------------------------------------------------------
def test_date_bound_error_one_format():
    today = timezone.localdate()
    assert date_bound_error(today, label="受理时间") is None
    assert date_bound_error(dt.date(1999, 12, 31), label="受理时间") == "受理时间不能早于2000-01-01"
    assert date_bound_error(today + dt.timedelta(days=1), label="立案日期：") == (
        f"立案日期：不能晚于今天（{today.isoformat()}）"
    )
    latest = today + dt.timedelta(days=30)
    assert date_bound_error(today + dt.timedelta(days=31), label="考试日期", days_ahead=30) == (
        f"考试日期不能晚于{latest.isoformat()}"
    )
    assert (
        date_bound_error(dt.date(1979, 1, 1), label="", earliest=dt.date(1980, 1, 1)) == "不能早于1980-01-01"
    )
    assert date_bound_error(dt.date(2100, 1, 1), label="终止日期", days_ahead=None) is None


def test_id_numbers_gb11643():
    first17 = "43010219900307123"
    valid = first17 + id_check_char(first17)
    assert id_number_normalize(" " + valid.lower() + " ") == valid
    assert id_number_normalize("") == ""
    assert id_number_normalize("430102900307123") == "430102900307123"  # 15-digit old form
    wrong = first17 + ("0" if valid[-1] != "0" else "1")
    with pytest.raises(IdNumberError, match="校验位不正确"):
        id_number_normalize(wrong)
    with pytest.raises(IdNumberError, match="身份证号校验位错误"):
        id_number_normalize(wrong, allow_old=False)
    with pytest.raises(IdNumberError, match="应为18位"):
        id_number_normalize("430102900307123", allow_old=False)
    assert IdNumberError("x").code == "invalid_id_number"


def test_import_cells():
    cells = {"人数": "1,200", "类别": "学科类", "日期": "2023年6月5日", "空": ""}
    assert cell_int(cells, "人数", 3, low=0, high=5000) == 1200
    with pytest.raises(RowError) as error:
        cell_int(cells, "人数", 3, low=0, high=100)
    assert str(error.value) == "第3行“人数”列：应在0至100之间，而不是1200"
    assert cell_int(cells, "空", 3, low=0, high=1, required=False) is None
    assert cell_choice(cells, "类别", 4, {"学科类": "SUBJECT", "非学科类": "NON_SUBJECT"}) == "SUBJECT"
    with pytest.raises(RowError, match="不能为空"):
        cell_choice(cells, "空", 4, {"学科类": "SUBJECT"})
    assert cell_date(cells, "日期", 5) == dt.date(2023, 6, 5)
    with pytest.raises(RowError) as error:
        cell_date({"日期": "1999-01-01"}, "日期", 6)
    assert str(error.value) == "第6行“日期”列：不能早于2000-01-01"


# --- rule book ------------------------------------------------------------------------------------
def test_rule_book_resolves_county_city_province_default():
    key = "calendar.fallback_weekends_only"
    assert region_chain("430102") == ["430102", "430100", "430000", None]
    assert region_chain("430000") == ["430000", None]
    assert region_chain(None) == [None]
    assert rule_value(key, "430102") is True  # declared default
    RuleParameter.objects.create(key=key, region_id=None, value="global")
    RuleParameter.objects.create(key=key, region_id="430000", value="province")
    RuleParameter.objects.create(key=key, region_id="430100", value="city")
    assert rule_value(key, "430102") == "city"
    assert rule_value(key, "430200") == "province"
    assert rule_value(key, None) == "global"
    RuleParameter.objects.create(key=key, region_id="430102", value="county")
    book = RuleBook(keys=[key])
    assert [book.value(key, c) for c in ("430102", "430103", "430211", None)] == [
        "county",
        "city",
        "province",
        "global",
    ]
    assert book.stored(key, "430103") == (True, "city", "430100")


def test_province_code_is_one_rule():
    assert province_code() == "430000"


# --- regions --------------------------------------------------------------------------------------
def test_regions_visible_to(make_user):
    city = make_user("CITY", region="430100")
    codes = set(regions_visible_to(city).values_list("code", flat=True))
    assert "430100" in codes and "430102" in codes and "430200" not in codes
    counties = regions_visible_to(city, level="COUNTY", include_own=False)
    assert all(c.code.startswith("4301") and c.level == "COUNTY" for c in counties)
    institution_user = make_user("INSTITUTION", institution=make_institution("430102"))
    assert not regions_visible_to(institution_user).exists()
    assert region_visible_to(city).code == "430100"
    assert region_visible_to(city, "430102").code == "430102"
    with pytest.raises(Http404):
        region_visible_to(city, "430200")
    with pytest.raises(Http404):
        region_visible_to(institution_user)


def test_import_summary_counts_bad_rows_not_problems():
    from shuangjian.common.importing import ImportReport

    report = ImportReport(total_rows=5, created=3, applied=True)
    report.errors = [RowError(2, "金额", "a"), RowError(2, "课时", "b"), RowError(4, "类型", "c")]
    assert report.summary() == "已导入：共 5 行，新增 3，更新 0，跳过（重复）0，错误 2 行（3 处）"
    report.errors = report.errors[:1]
    assert report.summary().endswith("错误 1 行")
