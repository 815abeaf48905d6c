"""A case's life, legal bases, masking, campaign figures by kind and region, pages and exports."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.urls import reverse

from shuangjian.common.testing import make_institution
from shuangjian.enforcement import selectors, services
from shuangjian.enforcement.legal import LEGAL_BASES
from shuangjian.enforcement.models import Case, CaseKind, CaseState

pytestmark = pytest.mark.django_db

D = dt.date(2022, 7, 10)


def test_uncertain_articles_are_labelled():
    assert LEGAL_BASES["D8-ART22-FEES"].status == "UNCERTAIN"
    assert "待核实" in LEGAL_BASES["D8-ART22-FEES"].label
    assert "待核实" not in LEGAL_BASES["D8-UNAUTHORISED"].label


def test_case_life_is_a_state_machine_and_audited(make_user):
    from shuangjian.complaints.choices import ReportType, Source
    from shuangjian.complaints.services import report_create

    officer = make_user("COUNTY", region="430102")
    inst = make_institution("430102")
    report, _ = report_create(
        source=Source.SNAPSHOT,
        report_type=ReportType.ILLEGAL_CHARGING,
        county_code="430102",
        institution=inst,
        description="收费转入老板个人微信",
        with_query_code=False,
    )
    case = services.case_open(
        kind=CaseKind.ILLEGAL_CHARGING,
        county_code="430102",
        opened_on=D,
        institution=inst,
        reports=[report],
        legal_bases=["D2-PREPAID"],
        facts="托管外收费",
        actor=officer,
    )
    assert case.number == "JC-430102-2022-00001" and case.state == CaseState.OPEN
    assert list(case.reports.all()) == [report]
    with pytest.raises(services.CaseError, match="不能结案"):
        services.case_close(case_id=case.pk, actor=officer, closed_on=D, note="x")
    services.case_investigate(case_id=case.pk, actor=officer)
    with pytest.raises(services.CaseError, match="罚款"):
        services.case_decide(
            case_id=case.pk, actor=officer, decided_on=D, decision="罚款", measures=["WARNING"], fine_fen=100
        )
    with pytest.raises(services.CaseError, match="法律依据"):
        services.case_decide(
            case_id=case.pk,
            actor=officer,
            decided_on=D,
            decision="x",
            measures=["FINE"],
            legal_bases=["NO-SUCH"],
        )
    services.case_decide(
        case_id=case.pk,
        actor=officer,
        decided_on=D + dt.timedelta(days=5),
        decision="责令退还托管外收取的费用并罚款",
        measures=["REFUND", "FINE"],
        legal_bases=["D2-PREPAID", "D8-ART22-FEES"],
        fine_fen=5_000_000,
        refund_ordered_fen=1_234_500,
    )
    with pytest.raises(services.CaseError, match="结案日期"):
        services.case_close(case_id=case.pk, actor=officer, closed_on=D, note="x")
    services.case_close(
        case_id=case.pk, actor=officer, closed_on=D + dt.timedelta(days=20), note="罚没款已缴，费用已退"
    )
    case.refresh_from_db()
    assert case.state == CaseState.CLOSED and case.fine_fen == 5_000_000
    history = list(
        case.history.order_by("history_date").values_list("state", "history_change_reason", "history_user")
    )
    assert [h[0] for h in history] == ["OPEN", "INVESTIGATING", "DECIDED", "CLOSED"]
    assert all(h[2] == officer.pk for h in history)
    with pytest.raises(services.CaseError):
        services.case_revoke(case_id=case.pk, actor=officer, reason="x")


def test_person_is_masked_and_foreign_sources_refused(make_user):
    officer = make_user("COUNTY", region="430102")
    case = services.case_open(
        kind=CaseKind.TEACHER,
        county_code="430102",
        opened_on=D,
        party_name="李明华",
        party_is_person=True,
        party_id_number="430102198001011233",
        legal_bases=["D4-IN-SERVICE"],
        actor=officer,
    )
    assert (
        case.party_name == "李**"
        and "1980" not in case.party_id_masked
        and case.party_id_masked.endswith("1233")
    )
    with pytest.raises(services.CaseError, match="管辖"):
        services.case_open(
            kind=CaseKind.TEACHER, county_code="430405", opened_on=D, party_name="王某", actor=officer
        )
    other = make_institution("430405")
    with pytest.raises(services.CaseError, match="不属于"):
        services.case_open(
            kind=CaseKind.ILLEGAL_SUBJECT, county_code="430102", opened_on=D, institution=other
        )


def _closed(kind, county, day, **kw):
    case = services.case_open(kind=kind, county_code=county, opened_on=day, party_name="某无证机构", **kw)
    services.case_decide(
        case_id=case.pk,
        actor=None,
        decided_on=day,
        decision="取缔",
        measures=["BAN"],
        legal_bases=["D8-UNAUTHORISED"],
    )
    services.case_close(case_id=case.pk, actor=None, closed_on=day + dt.timedelta(days=3), note="已取缔")
    return case


def test_enforcement_stats_by_kind_period_region_and_campaign(make_user):
    summer = services.campaign_create(
        name="2022年暑期校外培训专项治理",
        region_code="430000",
        start_on=dt.date(2022, 7, 1),
        end_on=dt.date(2022, 8, 31),
    )
    services.case_open(
        kind=CaseKind.ADVERTISEMENT, county_code="430102", opened_on=D, ads_removed=40, campaign=summer
    )
    services.case_open(
        kind=CaseKind.ADVERTISEMENT, county_code="430405", opened_on=D, ads_removed=15, campaign=summer
    )
    _closed(CaseKind.UNLICENSED, "430102", D, subjects_count=3, campaign=summer)
    _closed(CaseKind.UNLICENSED, "430405", D, campaign=summer)
    services.case_open(
        kind=CaseKind.UNDERGROUND,
        county_code="430102",
        opened_on=dt.date(2022, 9, 5),
        party_name="赵某",
        party_is_person=True,
    )
    revoked = services.case_open(
        kind=CaseKind.ILLEGAL_SUBJECT, county_code="430102", opened_on=D, party_name="x"
    )
    services.case_revoke(case_id=revoked.pk, actor=None, reason="经查不属实")

    stats = selectors.enforcement_stats(date_from=dt.date(2022, 7, 1), date_to=dt.date(2022, 8, 31))
    assert stats["cases_opened"] == 4 and stats["cases_closed"] == 2
    assert stats["ads_removed"] == 55 and stats["unlicensed_closed"] == 4
    assert stats["cases_by_kind"]["拆除违规广告"] == 2 and stats["cases_by_kind"]["违规学科类培训"] == 0
    assert set(stats["cases_by_kind"]) == {str(label) for _v, label in CaseKind.choices}
    changsha = selectors.enforcement_stats(
        date_from=dt.date(2022, 7, 1), date_to=dt.date(2022, 8, 31), region_code="430100"
    )
    assert changsha["ads_removed"] == 40 and changsha["unlicensed_closed"] == 3
    county_b = make_user("COUNTY", region="430405")
    scoped = selectors.enforcement_stats(
        date_from=dt.date(2022, 1, 1), date_to=dt.date(2022, 12, 31), user=county_b
    )
    assert scoped["cases_opened"] == 2 and scoped["ads_removed"] == 15
    assert selectors.cases_qs(date_from=dt.date(2022, 9, 1), date_to=dt.date(2022, 9, 30)).count() == 1
    rows = {
        r["code"]: r
        for r in selectors.stats_by_region(date_from=summer.start_on, date_to=summer.end_on, campaign=summer)
    }
    assert rows["430100"]["opened"] == 2 and rows["430400"]["ads_removed"] == 15
    assert rows["430300"]["opened"] == 0


def test_pages_create_decide_close_and_export(client, make_user):
    from openpyxl import load_workbook

    inst = make_institution("430102", name="无证托管学科培训点")
    officer = make_user("COUNTY", region="430102")
    client.force_login(officer)
    response = client.post(
        reverse("enforcement:case_create"),
        {
            "kind": "ILLEGAL_SUBJECT",
            "county": "430102",
            "opened_on": "2022-07-10",
            "credit_code": inst.credit_code,
            "legal_bases": ["D8-DISGUISED"],
            "facts": "以托管名义开展学科类培训",
            "subjects_count": 1,
        },
    )
    case = Case.objects.get(institution=inst)
    assert response.status_code == 302 and response["Location"] == reverse("enforcement:case", args=[case.pk])
    client.post(
        reverse("enforcement:case", args=[case.pk]),
        {
            "action": "decide",
            "decided_on": "2022-07-15",
            "decision": "责令停止培训，警告",
            "measures": ["WARNING"],
            "legal_bases": ["D8-DISGUISED"],
            "fine": "1,000.50",
        },
    )
    case.refresh_from_db()
    assert case.state == CaseState.OPEN  # a fine without the 罚款 measure is refused, nothing changes
    client.post(
        reverse("enforcement:case", args=[case.pk]),
        {
            "action": "decide",
            "decided_on": "2022-07-15",
            "decision": "责令停止培训，罚款",
            "measures": ["WARNING", "FINE"],
            "legal_bases": ["D8-DISGUISED"],
            "fine": "1,000.50",
        },
    )
    client.post(
        reverse("enforcement:case", args=[case.pk]),
        {"action": "close", "closed_on": "2022-07-30", "note": "已整改"},
    )
    case.refresh_from_db()
    assert case.state == CaseState.CLOSED and case.fine_fen == 100_050
    page = client.get(reverse("enforcement:case", args=[case.pk])).content.decode()
    assert "变相违规开展学科类培训" in page and "已结案" in page
    export = client.get(reverse("enforcement:export"))
    sheet = load_workbook(io.BytesIO(export.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][0] == "立案编号" and rows[1][0] == case.number and rows[1][9] == 1000.5


def test_case_export_is_scoped(client, make_user):
    from openpyxl import load_workbook

    services.case_open(kind=CaseKind.UNDERGROUND, county_code="430405", opened_on=D, party_name="外县当事人")
    mine = services.case_open(
        kind=CaseKind.UNDERGROUND, county_code="430102", opened_on=D, party_name="本县当事人"
    )
    client.force_login(make_user("COUNTY", region="430102"))
    sheet = load_workbook(io.BytesIO(client.get(reverse("enforcement:export")).content)).active
    numbers = [r[0] for r in sheet.iter_rows(min_row=2, values_only=True)]
    assert numbers == [mine.number]


def test_case_create_refuses_foreign_sources(client, make_user):
    from shuangjian.complaints.choices import ReportType, Source
    from shuangjian.complaints.services import report_create

    foreign, _ = report_create(
        source=Source.PHONE,
        report_type=ReportType.OTHER,
        county_code="430405",
        description="外县线索",
        with_query_code=False,
    )
    client.force_login(make_user("COUNTY", region="430102"))
    response = client.post(
        reverse("enforcement:case_create"),
        {
            "kind": "UNDERGROUND",
            "county": "430102",
            "opened_on": "2022-07-10",
            "party_name": "某人",
            "report_numbers": foreign.number,
            "subjects_count": 1,
        },
    )
    assert response.status_code == 200 and "未找到线索" in response.content.decode()
    assert not Case.objects.exists()
    foreign_county = client.post(
        reverse("enforcement:case_create"),
        {
            "kind": "UNDERGROUND",
            "county": "430405",
            "opened_on": "2022-07-10",
            "party_name": "某人",
            "subjects_count": 1,
        },
    )
    assert foreign_county.status_code == 200 and not Case.objects.exists()
    client.force_login(make_user("CITY", region="430100"))
    assert client.get(reverse("enforcement:case_create")).status_code == 403


def test_campaign_pages_and_export(client, make_user):
    from openpyxl import load_workbook

    province = make_user("PROVINCE", region="430000")
    client.force_login(province)
    response = client.post(
        reverse("enforcement:campaign_create"),
        {
            "name": "2022年寒假校外培训专项治理",
            "region": "430000",
            "start_on": "2022-01-15",
            "end_on": "2022-02-20",
        },
    )
    campaign = selectors.campaigns_visible(province).get()
    assert response["Location"] == reverse("enforcement:campaign", args=[campaign.pk])
    services.case_open(
        kind=CaseKind.ADVERTISEMENT,
        county_code="430102",
        opened_on=dt.date(2022, 1, 20),
        ads_removed=12,
        campaign=campaign,
    )
    page = client.get(reverse("enforcement:campaign", args=[campaign.pk])).content.decode()
    assert "长沙市" in page and "12" in page
    sheet = load_workbook(
        io.BytesIO(client.get(reverse("enforcement:campaign_export", args=[campaign.pk])).content)
    ).active
    changsha = [r for r in sheet.iter_rows(min_row=2, values_only=True) if r[0] == "430100"][0]
    assert changsha[-2] == 12
    county = make_user("COUNTY", region="430102")
    client.force_login(county)
    assert client.get(reverse("enforcement:campaign", args=[campaign.pk])).status_code == 200  # province-wide


def test_inspection_page(client, make_user):
    inst = make_institution("430102", name="受检培训中心")
    officer = make_user("COUNTY", region="430102")
    client.force_login(officer)
    response = client.post(
        reverse("enforcement:inspection_create"),
        {
            "county": "430102",
            "inspected_on": "2022-07-12",
            "credit_code": inst.credit_code,
            "findings": "发现暑期开设初中数学班",
            "problem_found": "on",
        },
    )
    assert response.status_code == 302
    assert "受检培训中心" in client.get(reverse("enforcement:inspections")).content.decode()
    other = make_institution("430405", name="外县机构")
    response = client.post(
        reverse("enforcement:inspection_create"),
        {"county": "430102", "inspected_on": "2022-07-12", "credit_code": other.credit_code},
    )
    assert response.status_code == 200 and "未找到该机构" in response.content.decode()
    empty = client.post(
        reverse("enforcement:inspection_create"), {"county": "430102", "inspected_on": "2022-07-12"}
    )
    assert "检查对象" in empty.content.decode()


def test_illegal_charging_case_rescores_the_institution(django_capture_on_commit_callbacks):
    from shuangjian.risk.models import RiskAssessment

    inst = make_institution("430102")
    with django_capture_on_commit_callbacks(execute=True):
        services.case_open(
            kind=CaseKind.ILLEGAL_CHARGING,
            county_code="430102",
            opened_on=D,
            institution=inst,
            facts="收费进入个人账户",
        )
    assessment = RiskAssessment.objects.get(institution=inst)
    assert assessment.as_of == D and [f["key"] for f in assessment.explanation] == ["outside"]
