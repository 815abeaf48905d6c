"""Lifecycle state machine (allowed and refused transitions), episodes, 营转非, audit, active-on-date."""

import datetime as dt

import pytest

from shuangjian.common.codes import CreditCodeError, credit_code_make, credit_code_normalize
from shuangjian.common.testing import make_institution
from shuangjian.institutions import selectors, services
from shuangjian.institutions.choices import Category, EndReason, Nature, Status
from shuangjian.institutions.models import Institution, InstitutionEpisode

pytestmark = pytest.mark.django_db
D = dt.date


@pytest.fixture
def regulator(make_user):
    return make_user("COUNTY", region="430102")


def _licensed(category=Category.SUBJECT, nature=Nature.FOR_PROFIT):
    inst = make_institution("430102", status=Status.APPLYING, category=category, nature=nature)
    return inst


def test_approve_opens_episode_and_audits_user_and_reason(regulator):
    inst = _licensed()
    services.institution_transition(
        institution=inst,
        action="approve",
        actor=regulator,
        on=D(2022, 3, 1),
        license_no="教民4301022022X00001",
        reason="材料齐全",
    )
    inst.refresh_from_db()
    assert inst.status == Status.LICENSED and inst.license_no == "教民4301022022X00001"
    episode = inst.episodes.get()
    assert (episode.category, episode.approved_on, episode.ended_on) == (
        Category.SUBJECT,
        D(2022, 3, 1),
        None,
    )
    last = inst.history.first()
    assert last.history_user == regulator
    assert last.history_change_reason == "审批通过：材料齐全"


def test_full_path_licensed_rectification_suspend_deregister(regulator):
    inst = _licensed()
    services.institution_transition(
        institution=inst, action="approve", actor=regulator, on=D(2022, 1, 1), license_no="L1"
    )
    services.institution_transition(
        institution=inst, action="order_rectification", actor=regulator, reason="消防不合格"
    )
    assert Institution.objects.get(pk=inst.pk).status == Status.RECTIFYING
    services.institution_transition(institution=inst, action="finish_rectification", actor=regulator)
    services.institution_transition(
        institution=inst, action="suspend", actor=regulator, reason="自行停办", on=D(2023, 6, 30)
    )
    episode = InstitutionEpisode.objects.get(institution=inst)
    assert (episode.ended_on, episode.end_reason) == (D(2023, 6, 30), EndReason.SUSPENDED)
    services.institution_transition(institution=inst, action="deregister", actor=regulator, reason="注销登记")
    assert Institution.objects.get(pk=inst.pk).status == Status.DEREGISTERED
    reasons = list(inst.history.values_list("history_change_reason", flat=True))
    assert "责令整改：消防不合格" in reasons and "注销：注销登记" in reasons


@pytest.mark.parametrize(
    "status,action",
    [
        (Status.APPLYING, "suspend"),
        (Status.APPLYING, "revoke"),
        (Status.LICENSED, "finish_rectification"),
        (Status.REVOKED, "order_rectification"),
        (Status.DEREGISTERED, "revoke"),
        (Status.SUSPENDED, "order_rectification"),
        (Status.REVOKED, "transform"),
    ],
)
def test_illegal_transitions_are_refused_with_a_chinese_reason(regulator, status, action):
    inst = make_institution("430102", status=status, category=Category.SUBJECT)
    with pytest.raises(services.RegistryError) as info:
        services.institution_transition(institution=inst, action=action, actor=regulator, reason="x")
    assert f"机构当前状态为“{Status(status).label}”" in str(info.value)
    assert Institution.objects.get(pk=inst.pk).status == status


def test_reason_is_required_for_revocation(regulator):
    inst = make_institution("430102", status=Status.LICENSED)
    with pytest.raises(services.RegistryError, match="必须填写原因"):
        services.institution_transition(institution=inst, action="revoke", actor=regulator)


def test_transform_ends_subject_episode_and_opens_non_subject(regulator):
    inst = _licensed()
    services.institution_transition(
        institution=inst, action="approve", actor=regulator, on=D(2020, 5, 1), license_no="L2"
    )
    services.institution_transition(institution=inst, action="transform", actor=regulator, on=D(2021, 12, 1))
    subject = InstitutionEpisode.objects.get(institution=inst, category=Category.SUBJECT)
    non_subject = InstitutionEpisode.objects.get(institution=inst, category=Category.NON_SUBJECT)
    assert (subject.ended_on, subject.end_reason) == (D(2021, 12, 1), EndReason.TRANSFORMED)
    assert (non_subject.approved_on, non_subject.ended_on) == (D(2021, 12, 1), None)
    inst.refresh_from_db()
    assert inst.category == Category.NON_SUBJECT and inst.status == Status.LICENSED
    # Active on date D in category C, for past dates.
    assert selectors.institution_was_active(inst, D(2021, 7, 24), Category.SUBJECT)
    assert not selectors.institution_was_active(inst, D(2021, 12, 1), Category.SUBJECT)
    assert selectors.institution_was_active(inst, D(2021, 12, 1), Category.NON_SUBJECT)
    assert not selectors.institution_was_active(inst, D(2020, 4, 30))
    # A non-subject institution cannot transform (again).
    with pytest.raises(services.RegistryError, match="只有学科类机构可以转型"):
        services.institution_transition(institution=inst, action="transform", actor=regulator)


def test_convert_to_non_profit_records_date_and_refuses_twice(regulator):
    inst = make_institution("430102", status=Status.LICENSED, nature=Nature.FOR_PROFIT)
    services.institution_transition(
        institution=inst, action="convert_to_non_profit", actor=regulator, on=D(2022, 2, 15)
    )
    inst.refresh_from_db()
    assert inst.nature == Nature.NON_PROFIT and inst.non_profit_converted_on == D(2022, 2, 15)
    assert inst.status == Status.LICENSED
    with pytest.raises(services.RegistryError, match="只有营利性机构"):
        services.institution_transition(institution=inst, action="convert_to_non_profit", actor=regulator)


def test_institutions_active_on_filters_by_category_mode_audience():
    a = make_institution("430102")
    b = make_institution("430102")
    InstitutionEpisode.objects.create(
        institution=a,
        category="SUBJECT",
        mode="OFFLINE",
        audiences="PRESCHOOL,COMPULSORY",
        approved_on=D(2019, 1, 1),
        ended_on=D(2021, 9, 1),
        end_reason="TRANSFORMED",
    )
    InstitutionEpisode.objects.create(
        institution=b, category="SUBJECT", mode="ONLINE", audiences="COMPULSORY", approved_on=D(2021, 7, 24)
    )
    day = D(2021, 7, 24)
    assert set(selectors.institutions_active_on(day, category="SUBJECT")) == {a, b}
    assert set(selectors.institutions_active_on(day, mode="OFFLINE", audience="COMPULSORY")) == {a}
    assert set(selectors.institutions_active_on(D(2021, 9, 1), category="SUBJECT")) == {b}
    assert set(selectors.institutions_active_on(D(2021, 7, 23))) == {a}


def test_credit_code_valid_wrong_check_and_full_width():
    code = credit_code_make("52430102MJ0000042")
    assert credit_code_normalize(code) == code
    wrong = code[:17] + ("0" if code[17] != "0" else "1")
    with pytest.raises(CreditCodeError, match="校验位错误"):
        credit_code_normalize(wrong)
    full_width = "".join(chr(ord(c) + 0xFEE0) for c in code)
    assert credit_code_normalize(f"　{full_width.lower()} ") == code


def test_id_number_is_stored_masked_only(regulator, make_user):
    inst = make_institution("430102")
    staff = make_user("INSTITUTION", institution=inst)
    person = services.practitioner_save(
        institution=inst, actor=staff, name="张三", id_number="11010519491231002X", role="TEACHER"
    )
    assert person.id_number_masked == "110105********002X"
    assert "19491231" not in str(Institution.objects.values()) + str(person.__dict__)
    with pytest.raises(services.RegistryError, match="已在本机构登记"):
        services.practitioner_save(
            institution=inst, actor=staff, name="张三", id_number="11010519491231002x", role="TEACHER"
        )
    with pytest.raises(services.RegistryError, match="校验位错误"):
        services.practitioner_save(
            institution=inst, actor=staff, name="李四", id_number="110105194912310021", role="TEACHER"
        )


def test_demo_loader_writes_and_imports_a_hunan_registry(tmp_path, monkeypatch):
    import io

    from shuangjian.institutions import demo
    from shuangjian.institutions.models import TrainingItem

    monkeypatch.setitem(demo.SCALE_PER_COUNTY, "small", (1, 2))  # keep the test fast
    monkeypatch.setitem(demo.ITEMS_PER_SCALE, "small", 8)

    out = io.StringIO()
    path = demo.load(scale="small", workdir=tmp_path, stdout=out)
    assert path.exists() and "已导入" in out.getvalue()
    counties = set(Institution.objects.values_list("county_id", flat=True))
    assert len(counties) > 100 and all(c.startswith("43") for c in counties)
    assert Institution.objects.filter(status=Status.LICENSED).exists()
    assert InstitutionEpisode.objects.filter(end_reason=EndReason.TRANSFORMED).exists()
    assert TrainingItem.objects.filter(status="APPROVED").exists()
