"""Every compliance rule with a passing and a failing case (incl. 调休 and a statutory holiday)."""

import datetime as dt
import uuid

import pytest

from shuangjian.common.models import RuleParameter
from shuangjian.common.testing import make_institution
from shuangjian.institutions.compliance import RULES_BY_ID, ScanContext, compliance_scan, scan_queryset
from shuangjian.institutions.models import Practitioner, TrainingItem, TrainingSession, Violation

pytestmark = pytest.mark.django_db
D, T = dt.date, dt.time


def item(inst, **fields):
    values = {
        "name": "小学数学同步",
        "description": "同步课本知识点讲解",
        "category": "SUBJECT",
        "classified_category": "SUBJECT",
        "grades": "G4",
        "mode": "OFFLINE",
        "class_size": "MEDIUM",
        "class_minutes": 45,
        "total_hours": 20,
        "price_per_hour_fen": 2500,
    }
    values.update(fields)
    return TrainingItem.objects.create(institution=inst, **values)


def session(it, day, start="09:00", end="09:45"):
    h1, m1 = map(int, start.split(":"))
    h2, m2 = map(int, end.split(":"))
    return TrainingSession.objects.create(item=it, date=day, start=T(h1, m1), end=T(h2, m2))


SCAN_DAY = D(2025, 9, 1)


def findings(rule_id, inst, today=SCAN_DAY):
    ctx = ScanContext(institutions=list(scan_queryset().filter(pk=inst.pk)), today=today)
    return list(RULES_BY_ID[rule_id].check(ctx))


def inst_(**fields):
    fields.setdefault("status", "LICENSED")
    fields.setdefault("license_no", "L-1")
    fields.setdefault("category", "SUBJECT")
    return make_institution("430102", **fields)


class TestRestDays:
    def test_adjusted_working_sunday_is_allowed_weekday_allowed(self):
        inst = inst_()
        it = item(inst)
        session(it, D(2025, 9, 28))  # Sunday, 调休上班 for 国庆
        session(it, D(2025, 9, 24))  # ordinary Wednesday
        assert findings("TIME-REST-DAY", inst) == []

    def test_statutory_holiday_weekend_and_vacation_are_violations(self):
        inst = inst_()
        it = item(inst)
        holiday = session(it, D(2025, 10, 1))  # 国庆节
        saturday = session(it, D(2025, 9, 27))
        vacation = session(it, D(2025, 7, 15))  # a Tuesday in the summer vacation (rule data)
        found = {f.fingerprint: f.evidence for f in findings("TIME-REST-DAY", inst)}
        assert found[f"session:{holiday.pk}"]["禁止时段"] == "法定节假日（国庆节）"
        assert found[f"session:{saturday.pk}"]["禁止时段"] == "休息日"
        assert found[f"session:{vacation.pk}"]["禁止时段"] == "寒暑假"

    def test_non_subject_training_on_weekend_is_fine_and_vacations_are_rule_data(self):
        inst = inst_(category="NON_SUBJECT")
        session(
            item(inst, name="少儿篮球", category="NON_SUBJECT", classified_category="NON_SUBJECT"),
            D(2025, 10, 1),
        )
        assert findings("TIME-REST-DAY", inst) == []
        subject = inst_()
        session(item(subject), D(2025, 9, 10))
        assert findings("TIME-REST-DAY", subject) == []
        RuleParameter.objects.create(
            key="institutions.school_vacations", region_id="430100", value=[["2025-09-08", "2025-09-12"]]
        )
        assert len(findings("TIME-REST-DAY", subject)) == 1

    def test_classified_subject_item_declared_non_subject_still_counts(self):
        inst = inst_(category="NON_SUBJECT")
        session(
            item(inst, category="NON_SUBJECT", classified_category="SUBJECT", disguised=True), D(2025, 9, 27)
        )
        assert len(findings("TIME-REST-DAY", inst)) == 1


class TestOnline:
    def test_online_class_length(self):
        inst = inst_()
        ok = item(inst, mode="ONLINE", class_minutes=30)
        session(ok, D(2025, 9, 24), "19:00", "19:30")
        assert findings("TIME-ONLINE-LENGTH", inst) == []
        long = item(inst, mode="ONLINE", class_minutes=40, name="长课")
        s = session(long, D(2025, 9, 24), "19:00", "19:40")
        prints = {f.fingerprint for f in findings("TIME-ONLINE-LENGTH", inst)}
        assert prints == {f"item:{long.pk}", f"session:{s.pk}"}

    def test_online_break(self):
        inst = inst_()
        it = item(inst, mode="ONLINE", class_minutes=30)
        session(it, D(2025, 9, 24), "18:00", "18:30")
        session(it, D(2025, 9, 24), "18:40", "19:10")  # 10-minute break: fine
        assert findings("TIME-ONLINE-BREAK", inst) == []
        short = session(it, D(2025, 9, 24), "19:15", "19:45")  # 5-minute break
        found = findings("TIME-ONLINE-BREAK", inst)
        assert [f.fingerprint for f in found] == [f"session:{short.pk}"]
        assert found[0].evidence["间隔分钟"] == 5


class TestLatestEnd:
    def test_online_21_00_and_offline_20_30(self):
        inst = inst_(category="NON_SUBJECT")
        online = item(
            inst, mode="ONLINE", class_minutes=30, category="NON_SUBJECT", classified_category="NON_SUBJECT"
        )
        offline = item(inst, mode="OFFLINE", category="NON_SUBJECT", classified_category="NON_SUBJECT")
        session(online, D(2025, 9, 24), "20:30", "21:00")
        session(offline, D(2025, 9, 24), "19:45", "20:30")
        assert findings("TIME-LATEST-END", inst) == []
        late_online = session(online, D(2025, 9, 25), "20:40", "21:10")
        late_offline = session(offline, D(2025, 9, 25), "20:00", "20:45")
        assert {f.fingerprint for f in findings("TIME-LATEST-END", inst)} == {
            f"session:{late_online.pk}",
            f"session:{late_offline.pk}",
        }


class TestPrice:
    def test_guided_price_plus_float(self):
        inst = inst_()
        # default MEDIUM base 2500 fen per 45 min, +10% → 2750 allowed
        item(inst, price_per_hour_fen=2750)
        item(inst, mode="ONLINE", class_minutes=30, price_per_hour_fen=2750)  # online standard 30 min
        assert findings("PRICE-GUIDED", inst) == []
        over = item(inst, price_per_hour_fen=2751, name="超价")
        prorated = item(inst, class_minutes=60, price_per_hour_fen=3667, name="60分钟")  # allowed 3666.67
        assert {f.fingerprint for f in findings("PRICE-GUIDED", inst)} == {
            f"item:{over.pk}",
            f"item:{prorated.pk}",
        }

    def test_city_price_overrides_and_non_subject_is_not_price_guided(self):
        inst = inst_()
        it = item(inst, price_per_hour_fen=3000)
        assert len(findings("PRICE-GUIDED", inst)) == 1
        RuleParameter.objects.create(
            key="institutions.guided_price_fen",
            region_id="430100",
            value={"SMALL": 4000, "MEDIUM": 3000, "LARGE": 2500},
        )
        assert findings("PRICE-GUIDED", inst) == []
        it.category = it.classified_category = "NON_SUBJECT"
        it.price_per_hour_fen = 99999
        it.save()
        assert findings("PRICE-GUIDED", inst) == []


def staff(inst, **fields):
    values = {
        "name": "王老师",
        "id_number_masked": "430102********1234",
        "id_number_digest": uuid.uuid4().hex,
        "role": "TEACHER",
        "teaches_subject_training": True,
        "teacher_certificate": "20214300000001",
        "background_check": "PASSED",
    }
    values.update(fields)
    return Practitioner.objects.create(institution=inst, **values)


class TestStaff:
    def test_certificate(self):
        inst = inst_()
        staff(inst)
        staff(
            inst,
            name="非学科",
            teaches_subject_training=False,
            teacher_certificate="",
            professional_certificate="国家二级运动员",
            id_number_digest="b",
        )
        nsi = inst_(category="NON_SUBJECT")
        staff(
            nsi, teaches_subject_training=False, teacher_certificate="", professional_certificate="钢琴十级"
        )
        # In a subject institution every teacher needs the teacher certificate (D4).
        assert [f.evidence["姓名"] for f in findings("STAFF-CERTIFICATE", inst)] == ["非学科"]
        assert findings("STAFF-CERTIFICATE", nsi) == []
        missing = staff(inst, name="无证", teacher_certificate="", id_number_digest="c")
        none_at_all = staff(
            nsi,
            name="无证明",
            teacher_certificate="",
            professional_certificate="",
            teaches_subject_training=False,
            id_number_digest="d",
        )
        assert f"staff:{missing.pk}" in {f.fingerprint for f in findings("STAFF-CERTIFICATE", inst)}
        assert [f.evidence["缺少"] for f in findings("STAFF-CERTIFICATE", nsi)] == [
            "教师资格证或专业能力证明"
        ]
        assert none_at_all.pk

    def test_in_service_teacher_and_background_check(self):
        inst = inst_()
        staff(inst)
        assert findings("STAFF-IN-SERVICE", inst) == [] and findings("STAFF-BACKGROUND", inst) == []
        staff(inst, name="在职", in_service_teacher=True, id_number_digest="e")
        staff(inst, name="离职在职", in_service_teacher=True, active=False, id_number_digest="f")
        staff(inst, name="核查未过", background_check="FAILED", id_number_digest="g")
        assert [f.evidence["姓名"] for f in findings("STAFF-IN-SERVICE", inst)] == ["在职"]
        assert [f.evidence["姓名"] for f in findings("STAFF-BACKGROUND", inst)] == ["核查未过"]


class TestPreschool:
    def test_preschool_online_and_subject(self):
        inst = inst_(category="NON_SUBJECT")
        item(inst, name="幼儿美术", grades="PRE", category="NON_SUBJECT", classified_category="NON_SUBJECT")
        assert findings("PRESCHOOL", inst) == []
        online = item(
            inst,
            name="幼儿线上律动",
            grades="PRE",
            mode="ONLINE",
            category="NON_SUBJECT",
            classified_category="NON_SUBJECT",
        )
        english = item(
            inst, name="幼儿英语绘本", grades="PRE", category="NON_SUBJECT", classified_category="SUBJECT"
        )
        assert {f.fingerprint for f in findings("PRESCHOOL", inst)} == {
            f"item:{online.pk}:online",
            f"item:{english.pk}:subject",
        }


class TestLicense:
    def test_missing_expired_and_unlicensed_sessions(self):
        good = inst_(license_valid_until=D(2026, 1, 1))
        assert findings("LICENSE", good) == []
        missing = inst_(license_no="")
        expired = inst_(license_valid_until=D(2025, 8, 31))
        assert [f.evidence["情形"] for f in findings("LICENSE", missing)] == ["未登记办学许可证号"]
        assert [f.evidence["情形"] for f in findings("LICENSE", expired)] == ["办学许可证已过期"]
        revoked = inst_(status="REVOKED", status_changed_on=D(2025, 9, 1))
        it = item(revoked)
        session(it, D(2025, 8, 20))  # before revocation: fine
        assert findings("LICENSE", revoked) == []
        session(it, D(2025, 9, 3))
        assert findings("LICENSE", revoked)[0].evidence["排课节数"] == 1


class TestDisguised:
    def test_disguised_item(self):
        inst = inst_(category="NON_SUBJECT")
        item(inst, category="NON_SUBJECT", classified_category="NON_SUBJECT")
        assert findings("ITEM-DISGUISED", inst) == []
        bad = item(inst, category="NON_SUBJECT", classified_category="SUBJECT", disguised=True)
        assert [f.fingerprint for f in findings("ITEM-DISGUISED", inst)] == [f"item:{bad.pk}"]


def test_scan_records_refreshes_and_resolves_violations():
    inst = inst_()
    it = item(inst)
    holiday = session(it, D(2025, 10, 1))
    result = compliance_scan(today=D(2025, 9, 1))
    assert result.created == 1 and result.by_rule["TIME-REST-DAY"] == 1
    violation = Violation.objects.get(institution=inst)
    assert violation.rule_id == "TIME-REST-DAY" and violation.status == "OPEN"
    assert violation.evidence["日期"] == "2025-10-01" and "D1" in violation.policy_source
    again = compliance_scan(today=D(2025, 9, 1))
    assert (again.created, again.still_open) == (0, 1)
    assert Violation.objects.filter(institution=inst).count() == 1
    holiday.delete()
    third = compliance_scan(today=D(2025, 9, 1))
    assert third.resolved == 1
    violation.refresh_from_db()
    assert violation.status == "RESOLVED" and violation.resolution == "复查未再发现"


def test_scan_of_a_region_leaves_other_regions_alone():
    here = inst_()
    there = make_institution("430405", status="LICENSED", license_no="")
    compliance_scan(region_code="430102", today=D(2025, 9, 1))
    assert not Violation.objects.filter(institution=there).exists()
    assert not Violation.objects.filter(institution=here).exists()
    compliance_scan(region_code="430400", today=D(2025, 9, 1))
    assert Violation.objects.filter(institution=there, rule_id="LICENSE").exists()
