"""Issue 12: an institution's name, licence and supervision status belong to its episode.

A real GBK registry export where a third of the 转型 institutions re-registered under a new name
and some changed their supervision flag imports whole; every figure on a date uses that date's
values; the pages show the current name and the earlier ones; searching by an earlier name finds
the institution labelled with its current name; re-import is a no-op; a later export with a rename
records it once; a rename through the page is dated and audited.
"""

import csv
import datetime as dt
import json
from io import StringIO

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from shuangjian.common.codes import credit_code_make
from shuangjian.institutions import selectors, services
from shuangjian.institutions.models import Institution, InstitutionEpisode, InstitutionProfile
from shuangjian.stats.kpis import KpiContext

pytestmark = pytest.mark.django_db

HEADER = [
    "统一社会信用代码",
    "机构名称",
    "区县代码",
    "培训类别",
    "培训形式",
    "服务对象",
    "办学性质",
    "审批日期",
    "终止日期",
    "终止原因",
    "纳入资金监管",
    "办学许可证号",
]
BEFORE = dt.date(2021, 7, 24)  # the baseline: every 转型 institution still in its subject episode
TURN = dt.date(2022, 3, 1)  # the day they turned to non-subject training
AFTER = dt.date(2023, 6, 5)

# Nine 转型 institutions: T0–T2 renamed (…学科培训学校 → …艺术培训中心) with a new licence, T3 left
# supervision, T4 entered it, T5 moved county; the rest kept everything.
T = [credit_code_make(f"52430102MJ80000{i:02d}") for i in range(9)]
NON_SUBJECT = credit_code_make("91430102MA8000100")
CLOSED = credit_code_make("91430105MA8000101")
REVOKED = credit_code_make("91430105MA8000102")


def _old(i):
    return f"芙蓉区启明{i}号学科培训学校"


def _new(i):
    return f"芙蓉区启明{i}号艺术培训中心"


def export_rows():
    rows = []
    for i, code in enumerate(T):
        renamed = i < 3
        fund_before = "否" if i == 4 else "是"
        fund_after = "否" if i == 3 else "是"
        county_after = "430105" if i == 5 else "430102"
        rows.append(
            [
                code,
                _old(i),
                "430102",
                "学科类",
                "线下",
                "义务教育",
                "非营利性",
                "2019-01-01",
                TURN.isoformat(),
                "转型",
                fund_before,
                f"教民43010219X{i:05d}",
            ]
        )
        rows.append(
            [
                code,
                _new(i) if renamed else _old(i),
                county_after,
                "非学科类",
                "线下",
                "义务教育、学龄前",
                "非营利性",
                "2022/3/1",
                "",
                "",
                fund_after,
                f"教民43010222F{i:05d}" if renamed else f"教民43010219X{i:05d}",
            ]
        )
    rows.append(
        [
            NON_SUBJECT,
            "芙蓉区星光美术培训中心",
            "430102",
            "非学科类",
            "线下",
            "义务教育",
            "营利性",
            "2020年6月1日",
            "",
            "",
            "是",
            "教民43010220F00001",
        ]
    )
    rows.append(
        [
            CLOSED,
            "开福区博学学科培训学校",
            "430105",
            "学科类",
            "线下",
            "义务教育",
            "营利性",
            "2018-05-01",
            "2021-12-01",
            "注销",
            "是",
            "教民43010518X00001",
        ]
    )
    rows.append(
        [
            REVOKED,
            "开福区新星学科培训学校",
            "430105",
            "学科类",
            "线下",
            "义务教育",
            "营利性",
            "2018-05-01",
            "2021-10-08",
            "吊销",
            "否",
            "教民43010518X00002",
        ]
    )
    return rows


def write_gbk(path, rows):
    with open(path, "w", encoding="gbk", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(HEADER)
        writer.writerows(rows)
    return path


def run_import(path, *extra):
    out = StringIO()
    try:
        call_command("import", "institutions", str(path), "--quiet", *extra, stdout=out, stderr=out)
    except SystemExit as exit_:
        return exit_.code, out.getvalue()
    return 0, out.getvalue()


def kpis_json(as_of):
    out = StringIO()
    call_command("kpis", "--as-of", as_of.isoformat(), "--json", stdout=out)
    data = json.loads(out.getvalue())
    return {key: data[key] for key in data if key.startswith("institutions.")}


def footprint():
    return (
        sorted(
            Institution.objects.values_list(
                "credit_code", "name", "fund_supervised", "county_id", "updated_at"
            )
        ),
        sorted(
            InstitutionProfile.objects.values_list(
                "institution__credit_code",
                "episode__category",
                "valid_from",
                "valid_to",
                "name",
                "fund_supervised",
            )
        ),
        Institution.history.count() + InstitutionEpisode.history.count() + InstitutionProfile.history.count(),
    )


@pytest.fixture
def imported(tmp_path):
    code, output = run_import(write_gbk(tmp_path / "机构名册-导出.csv", export_rows()))
    assert code == 0, output
    return tmp_path


def test_real_gbk_export_with_renamed_transformed_institutions_imports_whole(imported):
    assert Institution.objects.count() == 12
    renamed = Institution.objects.get(credit_code=T[0])
    assert renamed.name == _new(0) and renamed.license_no == "教民43010222F00000"
    subject = renamed.episodes.get(category="SUBJECT")
    assert subject.profiles.get().name == _old(0) and subject.license_no == "教民43010219X00000"
    assert Institution.objects.get(credit_code=T[3]).fund_supervised is False
    assert Institution.objects.get(credit_code=T[4]).fund_supervised is True
    assert Institution.objects.get(credit_code=T[5]).county_id == "430105"
    assert selectors.institution_name_on(renamed, BEFORE) == _old(0)
    assert selectors.institution_name_on(renamed, AFTER) == _new(0)
    assert [(p.name, p.start, p.end) for p in selectors.institution_former_names(renamed)] == [
        (_old(0), dt.date(2019, 1, 1), TURN)
    ]
    assert selectors.institution_former_names(Institution.objects.get(credit_code=T[6])) == []


def test_figures_before_and_after_the_turn_use_each_dates_values(imported):
    before = kpis_json(BEFORE)
    # 9 subject episodes (T4 not supervised then) + the non-subject one + CLOSED + REVOKED (否).
    assert before["institutions.active"] == 12
    assert before["institutions.offline_compulsory_subject.baseline"] == 11
    assert before["institutions.fund_supervised"] == 10
    assert before["institutions.fund_supervision_rate"] == 0.8333
    after = kpis_json(AFTER)
    # 9 non-subject episodes (T3 left supervision, T4 entered it) + the non-subject one.
    assert after["institutions.active"] == 10
    assert after["institutions.offline_compulsory_subject.current"] == 0
    assert after["institutions.fund_supervised"] == 9
    assert after["institutions.fund_supervision_rate"] == 0.9
    # The records behind the figure carry the values on that date, not today's.
    rows = {r.credit_code: r for r in kpi_records(BEFORE)}
    assert rows[T[0]].name_on == _old(0) and rows[T[4]].fund_on is False and rows[T[3]].fund_on is True
    assert rows[T[0]].license_on == "教民43010219X00000"


def kpi_records(day):
    from shuangjian.stats.kpis import KPIS

    return list(KPIS["institutions.active"].records(KpiContext(as_of=day)))


def test_reimport_changes_nothing_and_a_later_rename_is_recorded_once(imported):
    path = imported / "机构名册-导出.csv"
    first = footprint()
    assert run_import(path)[0] == 0
    assert footprint() == first
    # A later export: T6 renamed (机构更名) and T7 left supervision within their open episode.
    rows = export_rows()
    for row in rows:
        if row[0] == T[6] and row[3] == "非学科类":
            row[1] = "芙蓉区启明6号科技培训中心"
        if row[0] == T[7] and row[3] == "非学科类":
            row[10] = "否"
    later = write_gbk(imported / "机构名册-后续导出.csv", rows)
    code, output = run_import(later)
    assert code == 0, output
    today = timezone.localdate()
    t6 = Institution.objects.get(credit_code=T[6])
    assert t6.name == "芙蓉区启明6号科技培训中心"
    assert [(p.name, p.start, p.end) for p in selectors.institution_former_names(t6)] == [
        (_old(6), dt.date(2019, 1, 1), today)
    ]
    record = InstitutionProfile.history.filter(institution_id=t6.pk, valid_from=today).get()
    assert "机构名称：芙蓉区启明6号学科培训学校 → 芙蓉区启明6号科技培训中心" in record.history_change_reason
    t7 = Institution.objects.get(credit_code=T[7])
    assert not t7.fund_supervised
    yesterday = today - dt.timedelta(days=1)
    assert t7.pk in set(
        Institution.objects.filter(selectors.supervised_on(yesterday)).values_list("pk", flat=True)
    )
    assert t7.pk not in set(
        Institution.objects.filter(selectors.supervised_on(today)).values_list("pk", flat=True)
    )
    once = footprint()
    assert run_import(later)[0] == 0
    assert footprint() == once
    assert InstitutionProfile.objects.filter(institution=t6).count() == 3


def test_invariants_still_refused(tmp_path):
    rows = export_rows()
    rows[1][8], rows[1][9] = "", ""  # T0 non-subject stays open …
    rows[0][8], rows[0][9] = "", ""  # … and so does its subject episode: two open episodes
    rows[3][7] = "2022-01-01"  # T1 non-subject approved before its 转型 date
    code, output = run_import(write_gbk(tmp_path / "bad.csv", rows))
    assert code == 1
    assert "只能有一个未终止的办学期间" in output and "转型后的非学科类审批日期早于" in output
    assert "不一致" not in output
    assert Institution.objects.count() == 0


def test_public_and_internal_search_by_an_earlier_name(imported, client, make_user):
    page = client.get(reverse("institutions:public_search"), {"q": "启明0号学科"})
    html = page.content.decode()
    assert _new(0) in html and "曾用名：" + _old(0) in html
    detail = client.get(reverse("institutions:public_detail", args=[T[0]])).content.decode()
    assert _old(0) in detail and "2019-01-01" in detail
    # Black list: a revoked institution renamed after the fact is found by its old name.
    revoked = Institution.objects.get(credit_code=REVOKED)
    assert (
        client.get(reverse("institutions:public_blacklist"), {"q": "新星学科"})
        .content.decode()
        .count(revoked.credit_code)
        == 1
    )
    assert (
        revoked.credit_code
        not in client.get(reverse("institutions:public_blacklist"), {"q": "启明"}).content.decode()
    )
    # 随手拍 institution search (htmx): labelled with the current name.
    found = client.get(reverse("complaints:institution_search"), {"q": "启明1号学科"}).content.decode()
    assert f'data-name="{_new(1)}"' in found and _old(1) in found
    # API (scoped): q matches earlier names; former names come with dates.
    client.force_login(make_user("CITY", region="430100"))
    data = client.get(reverse("institutions:api_list"), {"q": "启明2号学科"}).json()
    results = data["results"] if isinstance(data, dict) else data
    assert [r["name"] for r in results] == [_new(2)]
    assert results[0]["former_names"] == [{"name": _old(2), "start": "2019-01-01", "end": "2022-03-01"}]
    assert results[0]["matched_former_name"] == _old(2)


def test_rename_and_supervision_change_through_the_page_are_dated_and_audited(imported, client, make_user):
    inst = Institution.objects.get(credit_code=NON_SUBJECT)
    user = make_user("COUNTY", region="430102")
    client.force_login(user)
    url = reverse("institutions:particulars", args=[inst.pk])
    on = dt.date(2023, 1, 1)
    response = client.post(
        url,
        {
            "on": on.isoformat(),
            "name": "芙蓉区星光艺术培训学校",
            "fund_supervised": "0",
            "reason": "换发许可证",
        },
    )
    assert response.status_code == 302
    inst.refresh_from_db()
    assert inst.name == "芙蓉区星光艺术培训学校" and not inst.fund_supervised
    assert selectors.institution_name_on(inst, on - dt.timedelta(days=1)) == "芙蓉区星光美术培训中心"
    supervised = Institution.objects.filter(selectors.supervised_on(on - dt.timedelta(days=1)))
    assert supervised.filter(pk=inst.pk).exists()
    assert not Institution.objects.filter(selectors.supervised_on(on), pk=inst.pk).exists()
    record = InstitutionProfile.history.filter(institution_id=inst.pk, valid_from=on).get()
    assert record.history_user == user
    assert "机构名称：芙蓉区星光美术培训中心 → 芙蓉区星光艺术培训学校" in record.history_change_reason
    assert (
        "纳入资金监管：是 → 否" in record.history_change_reason
        and "换发许可证" in record.history_change_reason
    )
    page = client.get(reverse("institutions:detail", args=[inst.pk])).content.decode()
    assert "曾用名" in page and "芙蓉区星光美术培训中心（2020-06-01 至 2023-01-01）" in page
    # Figures on either side of the change.
    assert kpis_json(dt.date(2022, 12, 31))["institutions.fund_supervised"] == 9
    assert kpis_json(on)["institutions.fund_supervised"] == 8
    # A date earlier than the last recorded change, a future date, or no change at all are refused.
    for bad in (
        {"on": "2022-06-01", "name": "某某"},
        {"on": "2099-01-01", "name": "某某"},
        {"on": on.isoformat(), "name": "芙蓉区星光艺术培训学校"},
    ):
        with pytest.raises(services.RegistryError):
            services.institution_particulars_change(
                institution=inst, actor=user, on=dt.date.fromisoformat(bad["on"]), name=bad["name"]
            )
    # Another county's regulator gets 404.
    client.force_login(make_user("COUNTY", region="430105"))
    assert client.post(url, {"on": "2023-02-01", "name": "x", "reason": "x"}).status_code == 404


def test_transform_through_the_page_takes_the_new_name_and_flag(make_user):
    from shuangjian.common.testing import make_institution

    inst = make_institution(
        "430102",
        name="芙蓉区求是学科培训学校",
        category="SUBJECT",
        mode="OFFLINE",
        audiences="COMPULSORY",
        fund_supervised=True,
        license_no="教民X1",
    )
    InstitutionEpisode.objects.create(
        institution=inst,
        category="SUBJECT",
        mode="OFFLINE",
        audiences="COMPULSORY",
        approved_on=dt.date(2019, 1, 1),
        license_no="教民X1",
    )
    user = make_user("COUNTY", region="430102")
    services.institution_transition(
        institution=inst,
        action="transform",
        actor=user,
        on=TURN,
        new_name="芙蓉区求是科技培训中心",
        fund_supervised=False,
        license_no="教民F1",
    )
    inst.refresh_from_db()
    assert (inst.name, inst.fund_supervised, inst.license_no, inst.category) == (
        "芙蓉区求是科技培训中心",
        False,
        "教民F1",
        "NON_SUBJECT",
    )
    assert selectors.institution_name_on(inst, BEFORE) == "芙蓉区求是学科培训学校"
    assert Institution.objects.filter(selectors.supervised_on(BEFORE), pk=inst.pk).exists()
    assert not Institution.objects.filter(selectors.supervised_on(AFTER), pk=inst.pk).exists()


def test_records_of_other_areas_show_the_current_name_and_the_name_at_the_time(imported, client, make_user):
    """A 2021 contract and a 2021 report of an institution renamed at its 转型 (2022) show the current
    name and, in their detail, the name it had then; the risk task and the enforcement case likewise."""
    from shuangjian.complaints.services import report_create
    from shuangjian.enforcement.services import case_open
    from shuangjian.funds.services import payment_record

    inst = Institution.objects.get(credit_code=T[0])
    shanghai = dt.timezone(dt.timedelta(hours=8))
    contract = payment_record(
        key="ISSUE12-1",
        institution=inst,
        contract_no="HT-2021-0001",
        student_ref="XS-1",
        hours=40,
        amount_fen=400_000,
        occurred_at=dt.datetime(2021, 9, 1, 10, tzinfo=shanghai),
    ).contract
    report, _code = report_create(
        source="PHONE",
        report_type="ILLEGAL_CHARGING",
        county_code="430102",
        description="违规收费",
        institution=inst,
        received_at=dt.datetime(2021, 10, 9, 9, tzinfo=shanghai),
        with_query_code=False,
    )
    case = case_open(
        kind="UNDERGROUND",
        county_code="430102",
        opened_on=dt.date(2021, 11, 1),
        institution=inst,
        facts="违规收费",
    )
    client.force_login(make_user("COUNTY", region="430102"))
    for url, label in (
        (reverse("funds:contract", args=[contract.pk]), "缴费时名称："),
        (reverse("complaints:detail", args=[report.pk]), "受理时名称："),
        (reverse("enforcement:case", args=[case.pk]), "立案时名称："),
    ):
        html = client.get(url).content.decode()
        assert _new(0) in html and f"{label}{_old(0)}" in html, url
    # A record from after the rename shows no second name.
    later = payment_record(
        key="ISSUE12-2",
        institution=inst,
        contract_no="HT-2023-0001",
        student_ref="XS-2",
        hours=40,
        amount_fen=400_000,
        occurred_at=dt.datetime(2023, 3, 1, 10, tzinfo=shanghai),
    ).contract
    html = client.get(reverse("funds:contract", args=[later.pk])).content.decode()
    assert _new(0) in html and "缴费时名称" not in html


def test_risk_task_from_before_the_rename_shows_the_name_then(imported, client, make_user):
    from shuangjian.common.workdays import WorkdayCalendar
    from shuangjian.risk.scoring import SignalInputs, params_default, score
    from shuangjian.risk.services import ScanSummary, _apply

    inst = Institution.objects.get(credit_code=T[1])
    result = score(SignalInputs(collapse_reports=1, smoke_reports=3), params_default())
    warning = _apply(inst, dt.date(2021, 12, 1), result, WorkdayCalendar(), ScanSummary())
    client.force_login(make_user("COUNTY", region="430102"))
    html = client.get(reverse("risk:task", args=[warning.task.pk])).content.decode()
    assert _new(1) in html and f"预警时名称：{_old(1)}" in html
