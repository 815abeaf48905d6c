"""Issue 9: the demo province, loaded through the platform's own imports, prints the published figures.

Runs the whole `demo load --scale small` (a few minutes) and then the `kpis` command exactly as the
README states it. Source of the figures: 湘教复字〔2023〕283号 (shared/seed/), dated 2023-06-05.
"""

import io
import json

import pytest
from django.core.management import call_command
from django.test import override_settings

pytestmark = pytest.mark.django_db


@pytest.mark.slow
@override_settings(DEMO_MODE=True)
def test_demo_province_prints_the_published_figures():
    out = io.StringIO()
    call_command("demo", "load", "--scale", "small", stdout=out)
    assert "演示数据已加载" in out.getvalue()

    printed = io.StringIO()
    call_command(
        "kpis",
        "--as-of",
        "2023-06-05",
        "--from",
        "2022-01-01",
        "--to",
        "2022-12-31",
        "--json",
        stdout=printed,
    )
    kpis = json.loads(printed.getvalue())
    assert kpis["institutions.offline_compulsory_subject.baseline"] == 5883
    assert kpis["institutions.offline_compulsory_subject.current"] == 982
    assert kpis["institutions.offline_compulsory_subject.reduction_rate"] == 0.8331
    assert kpis["institutions.online_compulsory_subject.current"] == 0
    assert kpis["institutions.online_compulsory_subject.reduction_rate"] == 1.0
    assert kpis["institutions.fund_supervision_rate"] == 0.9956
    assert kpis["reports.valid"] == 1329
    assert kpis["reports.by_type"]["爆雷"] == 474 and kpis["reports.by_type"]["冒烟"] == 11
    assert kpis["reports.by_source"]["部转"] == 474 + 11
    assert kpis["schools.reported_week.after_school_coverage_rate"] == 1.0
    assert kpis["schools.reported_week.homework_time_compliance_rate"] == 1.0
    assert kpis["schools.after_school_coverage_rate"] == 1.0
    assert kpis["schools.homework_time_compliance_rate"] == 1.0
    assert kpis["schools.furong"] == 101
    assert kpis["enforcement.unlicensed_closed"] == 1944 and kpis["enforcement.ads_removed"] == 5213
    # 校企合作 (issue 16): 67 高职 / 418 majors / 5万余 apprentices, 472 schools / 10万余 in order classes,
    # 97.18 % of 高职 piloting 1+X, 402 sites built.
    assert (kpis["vocational.apprenticeship.schools"], kpis["vocational.apprenticeship.majors"]) == (67, 418)
    assert kpis["vocational.apprenticeship.students"] >= 50_000
    assert (
        kpis["vocational.order_class.schools"] == 472 and kpis["vocational.order_class.students"] >= 100_000
    )
    assert (
        kpis["vocational.x_certificate.pilot_share"] == 0.9718
        and kpis["vocational.x_certificate.sites"] == 402
    )

    # More institutions in 长沙 than in 湘西; a few institutions at high risk; some overdue reports.
    changsha = json.loads(_kpis("430100"))["institutions.active"]
    xiangxi = json.loads(_kpis("433100"))["institutions.active"]
    assert changsha > 2 * xiangxi
    assert kpis["risk.warnings_red_orange"] >= 3
    assert kpis["reports.overdue"] > 0

    # Co-governance and co-education (issue 18), printed by `kpis --as-of 2023-06-05` alone.
    governance = io.StringIO()
    call_command("kpis", "--as-of", "2023-06-05", "--json", stdout=governance)
    gov = json.loads(governance.getvalue())
    assert gov["governance.supervisors.province"] == 103
    assert gov["governance.coordination.units"] == 24
    assert (gov["governance.inspection.cities"], gov["governance.inspection.counties"]) == (14, 39)
    assert gov["coeducation.parent_schools"] >= 12000
    assert gov["admissions.quota_share"] >= 0.5 and gov["admissions.quota_admission_ratio"] >= 0.85
    assert gov["coeducation.activities"] > 0 and gov["coeducation.online_lessons_completed"] > 0

    # The ledger the demo imported is consistent.
    call_command("funds", "check", stdout=io.StringIO())

    # `make run` loads on every start: the second time it sees the demo and skips.
    again = io.StringIO()
    call_command("demo", "load", "--scale", "small", stdout=again)
    assert "演示数据已存在，跳过" in again.getvalue()
    assert json.loads(_kpis(None))["institutions.active"] == kpis["institutions.active"]


def _kpis(region):
    out = io.StringIO()
    args = ["--as-of", "2023-06-05", "--from", "2022-01-01", "--to", "2022-12-31"]
    if region:
        args += ["--region", region]
    call_command("kpis", *args, stdout=out)
    return out.getvalue()
