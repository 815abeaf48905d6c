"""Dashboard figures read from snapshots (issue 19 item 7): the same figures as the live
computation, marked stale by the writes behind them, refreshed by the minute task or a regulator's
立即刷新, built by the daily job, and served in a bounded number of queries."""

import datetime as dt
import re

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from shuangjian.stats.kpis import KpiContext, compute_kpis
from shuangjian.stats.models import KpiSnapshot, RecordChange
from shuangjian.stats.selectors import dashboard_kpis
from shuangjian.stats.snapshots import (
    figures_one,
    snapshots_build,
    snapshots_refresh,
    today_key,
)
from shuangjian.stats.testing import _supervised_institution

pytestmark = pytest.mark.django_db

AS_OF = "2023-06-05"


def card_value(html: str, kpi: str) -> str:
    match = re.search(rf'data-kpi="{re.escape(kpi)}">\s*<span class="figure">([^<]+)</span>', html)
    assert match, f"card {kpi} missing"
    return match.group(1)


@pytest.fixture
def spread():
    for county, n in (("430102", 3), ("430103", 2), ("430405", 4)):
        for _ in range(n):
            _supervised_institution(county)


def _live(user, region, as_of=dt.date(2023, 6, 5)):
    ctx = KpiContext(
        as_of=as_of, date_from=dt.date(as_of.year, 1, 1), date_to=as_of, region_code=region, user=user
    )
    return compute_kpis(ctx, dashboard_kpis())


@pytest.mark.parametrize(
    ("role", "region"), [("PROVINCE", "430000"), ("CITY", "430100"), ("COUNTY", "430102")]
)
def test_snapshot_figures_equal_the_live_ones_of_the_user(client, make_user, spread, role, region):
    user = make_user(role, region=region)
    client.force_login(user)
    first = client.get(reverse("stats:index"), {"as_of": AS_OF}).content.decode()
    assert KpiSnapshot.objects.filter(region_id=region, as_of=dt.date(2023, 6, 5)).exists()
    again = client.get(reverse("stats:index"), {"as_of": AS_OF}).content.decode()
    live = _live(user, region)
    from shuangjian.stats.kpis import display

    for kpi_id in dashboard_kpis():
        assert card_value(first, kpi_id) == card_value(again, kpi_id) == display(kpi_id, live[kpi_id])
    assert 'id="figures-as-of"' in again and "figures-stale" not in again


def test_a_write_marks_the_chain_stale_and_refresh_brings_the_new_figure(client, make_user, spread):
    province = make_user("PROVINCE", region="430000")
    client.force_login(province)
    url = reverse("stats:index")
    assert card_value(client.get(url, {"as_of": AS_OF}).content.decode(), "institutions.active") == "9"

    _supervised_institution("430103")  # 天心区, 长沙市: county, city and province change
    changes = RecordChange.objects.order_by("-at").first()
    assert (changes.county, changes.city, changes.province) == ("430103", "430100", "430000")

    stale = client.get(url, {"as_of": AS_OF}).content.decode()
    assert card_value(stale, "institutions.active") == "9"  # served as computed, and said so
    assert 'id="figures-stale"' in stale

    response = client.post(url + "?as_of=" + AS_OF)
    assert response.status_code == 302
    fresh = client.get(url, {"as_of": AS_OF}).content.decode()
    assert card_value(fresh, "institutions.active") == "10"
    assert "figures-stale" not in fresh
    # The division below that changed is refreshed too (its row in the table).
    assert figures_one(
        "430100", dt.date(2023, 6, 5), dt.date(2023, 1, 1), dt.date(2023, 6, 5), ["institutions.active"]
    ).values == {"institutions.active": 6}


def test_another_city_s_write_leaves_a_city_fresh(make_user, spread):
    key = ("430100", dt.date(2023, 6, 5), dt.date(2023, 1, 1), dt.date(2023, 6, 5))
    assert figures_one(*key, ["institutions.active"]).fresh
    assert figures_one("430000", *key[1:], ["institutions.active"]).fresh
    _supervised_institution("430405")  # 珠晖区, 衡阳市
    assert figures_one(*key, ["institutions.active"]).fresh
    assert not figures_one("430000", *key[1:], ["institutions.active"]).fresh


def test_minute_refresh_recomputes_stale_snapshots_after_the_slack(make_user, spread):
    key = today_key("430102", timezone.localdate())
    old = ("430102", dt.date(2023, 6, 5), dt.date(2023, 1, 1), dt.date(2023, 6, 5))
    assert figures_one(*key, ["institutions.active"]).values["institutions.active"] == 3
    figures_one(*old, ["institutions.active"])
    _supervised_institution("430102")
    # Stale: today's is recomputed, one older than 13 months is dropped (a page recomputes it).
    assert snapshots_refresh() == {"refreshed": 1, "deleted": 1}
    snapshot = KpiSnapshot.objects.get(region_id="430102", as_of=key[1])
    assert snapshot.values == {"institutions.active": 4}
    # A change within the slack before the computation still counts, until it is past.
    assert snapshots_refresh() == {"refreshed": 1, "deleted": 0}
    RecordChange.objects.update(at=timezone.now() - dt.timedelta(minutes=10))
    assert snapshots_refresh() == {"refreshed": 0, "deleted": 0}


def test_a_rolled_back_write_leaves_no_change(make_user, spread):
    before = RecordChange.objects.count()
    with pytest.raises(RuntimeError), transaction.atomic():
        _supervised_institution("430102")
        assert RecordChange.objects.count() > before
        raise RuntimeError("rolled back")
    assert RecordChange.objects.count() == before


def test_an_import_marks_everything_changed(tmp_path, make_user):
    from shuangjian.common.importing import importer_for

    path = tmp_path / "parent_schools.csv"
    importer = importer_for("parent-schools")
    path.write_bytes(
        "家长学校编号,名称,类型,区县代码,依托单位,成立日期,停办日期\nJZ-T-1,芙蓉区家长学校,学校,430102,,2022-03-01,\n".encode(
            "gbk"
        )
    )
    before = RecordChange.objects.filter(everything=True).count()
    report = importer().run(path, skip_invalid=True)
    assert report.applied
    assert RecordChange.objects.filter(everything=True).count() == before + 1


@pytest.mark.slow  # every region's snapshots or a demo load: minutes on 2 shared cores
def test_daily_build_makes_every_region_s_keys_and_drops_others(make_user, spread, settings):
    from shuangjian.regions.models import Region

    day = dt.date(2023, 6, 5)
    odd = ("430102", dt.date(2022, 3, 3), dt.date(2022, 1, 1), dt.date(2022, 3, 3))
    figures_one(*odd, ["institutions.active"])
    counts = snapshots_build(day)
    regions = Region.objects.filter(code__startswith="43").count()
    assert counts["regions"] == regions
    # Today's key (period from 1 January) and the 12 month ends (June's period from 1 June).
    assert counts["snapshots"] == regions * 13
    assert counts["deleted"] == 1
    province = KpiSnapshot.objects.get(region_id="430000", as_of=day, date_from=dt.date(2023, 1, 1))
    assert province.values["institutions.active"] == 9
    assert set(compute_kpis(KpiContext(as_of=day), None)) <= set(province.values)
    assert today_key("430000", day) == ("430000", day, dt.date(2023, 1, 1), day)


@pytest.mark.slow  # every region's snapshots or a demo load: minutes on 2 shared cores
def test_daily_job_is_registered_and_runs(make_user, spread):
    from shuangjian.ops.jobs import JOBS, job_run

    assert JOBS["stats_snapshots"].at == dt.time(3, 0)
    run = job_run("stats_snapshots", day=timezone.localdate())
    assert run is not None and run.status == "SUCCEEDED", run.error
    assert run.counts["regions"] > 100
    assert KpiSnapshot.objects.filter(region_id="430000", as_of=timezone.localdate()).exists()


def test_dashboard_from_snapshots_has_a_query_budget(client, make_user, spread):
    client.force_login(make_user("PROVINCE", region="430000"))
    url = reverse("stats:index")
    client.get(url, {"as_of": AS_OF})
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, {"as_of": AS_OF})
    assert response.status_code == 200
    # Snapshots (own, vocational, 14 divisions, 12 months) and their freshness, the governance
    # lists, the session: a fixed number whatever the number of divisions or records.
    assert len(queries) <= 30, "\n".join(q["sql"][:160] for q in queries.captured_queries)


def test_refresh_is_a_post_for_regulators_in_scope_only(client, make_user, spread):
    client.force_login(make_user("CITY", region="430100"))
    assert client.post(reverse("stats:index") + "?region=430400").status_code == 404
    from shuangjian.common.testing import make_institution

    client.force_login(make_user("INSTITUTION", institution=make_institution("430102")))
    assert client.post(reverse("stats:index")).status_code in (302, 403)
