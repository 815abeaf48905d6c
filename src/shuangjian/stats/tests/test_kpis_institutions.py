"""Institution KPIs on a small dataset whose answers are worked out by hand."""

import datetime as dt
import json

import pytest
from django.core.management import call_command

from shuangjian.common.testing import make_institution
from shuangjian.institutions.models import InstitutionEpisode
from shuangjian.stats.kpis import BASELINE_DATE, KpiContext, compute_kpis

pytestmark = pytest.mark.django_db
AS_OF = dt.date(2023, 6, 5)


def episode(institution, *, category="SUBJECT", mode="OFFLINE", audiences="COMPULSORY", approved, ended=None):
    return InstitutionEpisode.objects.create(
        institution=institution,
        category=category,
        mode=mode,
        audiences=audiences,
        approved_on=approved,
        ended_on=ended,
        end_reason="SUSPENDED" if ended else "",
    )


@pytest.fixture
def dataset():
    """Furong (430102) and Zhuhui (430405):

    a  approved on the baseline date, still open            → baseline ✓ current ✓
    b  approved 2019, ended on the as-of date               → baseline ✓ current ✗ (ended_on = D is not active)
    c  approved the day after the baseline, open            → baseline ✗ current ✓
    d  2018–2022 subject offline, then 非学科类 (转型)       → baseline ✓ current ✗ (active non-subject)
    e  online compulsory subject 2020–2021-12-31            → online baseline ✓ current ✗
    f  offline subject for HIGH_SCHOOL only (Zhuhui)        → not compulsory: never counted
    g  offline subject compulsory in Zhuhui, open            → baseline ✓ current ✓
    Fund supervision: a, c, d supervised; g not.
    """
    a = make_institution("430102", fund_supervised=True)
    episode(a, approved=BASELINE_DATE)
    b = make_institution("430102")
    episode(b, approved=dt.date(2019, 3, 1), ended=AS_OF)
    c = make_institution("430102", fund_supervised=True)
    episode(c, approved=BASELINE_DATE + dt.timedelta(days=1))
    d = make_institution("430102", fund_supervised=True)
    episode(d, approved=dt.date(2018, 1, 1), ended=dt.date(2022, 3, 1))
    episode(d, category="NON_SUBJECT", approved=dt.date(2022, 3, 1))
    e = make_institution("430102")
    episode(e, mode="ONLINE", approved=dt.date(2020, 1, 1), ended=dt.date(2021, 12, 31))
    f = make_institution("430405")
    episode(f, audiences="HIGH_SCHOOL", approved=dt.date(2020, 1, 1))
    g = make_institution("430405")
    episode(g, audiences="PRESCHOOL,COMPULSORY", approved=dt.date(2020, 5, 1))
    return locals()


def test_counts_and_rates_by_hand(dataset):
    values = compute_kpis(KpiContext(as_of=AS_OF))
    assert values["institutions.offline_compulsory_subject.baseline"] == 4  # a, b, d, g
    assert values["institutions.offline_compulsory_subject.current"] == 3  # a, c, g
    assert values["institutions.offline_compulsory_subject.reduction_rate"] == 0.25
    assert values["institutions.online_compulsory_subject.baseline"] == 1
    assert values["institutions.online_compulsory_subject.current"] == 0
    assert values["institutions.online_compulsory_subject.reduction_rate"] == 1.0
    assert values["institutions.active"] == 5  # a, c, d, f, g
    assert values["institutions.fund_supervised"] == 3
    assert values["institutions.fund_supervision_rate"] == 0.6


def test_region_restriction(dataset):
    values = compute_kpis(KpiContext(as_of=AS_OF, region_code="430405"))
    assert values["institutions.offline_compulsory_subject.baseline"] == 1
    assert values["institutions.active"] == 2
    assert values["institutions.fund_supervision_rate"] == 0.0


def test_user_scope_equals_rows_the_user_can_open(dataset, make_user):
    from shuangjian.institutions.models import Institution

    user = make_user("COUNTY", region="430405")
    ctx = KpiContext(as_of=AS_OF, user=user)
    values = compute_kpis(ctx)
    assert values["institutions.active"] == Institution.objects.visible_to(user).count() == 2
    outsider = make_user("COUNTY", region="430103")
    assert compute_kpis(KpiContext(as_of=AS_OF, user=outsider))["institutions.active"] == 0


def test_no_baseline_gives_null_rate():
    values = compute_kpis(KpiContext(as_of=AS_OF, region_code="433101"))
    assert values["institutions.offline_compulsory_subject.reduction_rate"] is None


def test_command_prints_the_contract_keys(dataset, capsys):
    call_command("kpis", "--as-of", "2023-06-05", "--from", "2022-01-01", "--to", "2022-12-31", "--json")
    out = json.loads(capsys.readouterr().out)
    assert out["institutions.offline_compulsory_subject.current"] == 3
    assert out["institutions"]["offline_compulsory_subject"]["reduction_rate"] == 0.25
    assert out["from"] == "2022-01-01" and out["to"] == "2022-12-31"


def test_command_usage_errors(capsys):
    for argv in (
        ["--as-of", "2023-13-01"],
        ["--as-of", "2023-06-05", "--region", "999999"],
        ["--as-of", "2023-06-05", "--from", "2023-02-01", "--to", "2023-01-01"],
    ):
        with pytest.raises(SystemExit) as exit_info:
            call_command("kpis", *argv)
        assert exit_info.value.code == 2
    assert "参数错误" in capsys.readouterr().err
