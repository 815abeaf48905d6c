"""Demo data for enforcement, run after the risk demo's scan (``risk.demo.AFTER_SCAN``):

1. Creates the 2022 campaigns and cases whose totals reproduce the published 2022 figures of the
   seed document (湘教复字〔2023〕283号, shared/seed): 寒暑假期间拆除校外培训广告5200余条, 整治违规
   培训行为3980余起, 取缔"黑机构"1940余家, 查处"一对一"等地下违规培训370余起, 查处通报在职教师20余名.
   The "余" is rendered as a few more than the round figure (5,213 / 3,986 / 1,944 / 373 / 21),
   spread over the counties in proportion to their registered institutions; every case is closed.
2. Opens a few live cases from today's red/orange warnings (linked to the warning) so a county officer
   finds work in progress.

Idempotent: a second run adds no 2022 case twice and no second case for a warning being handled.
"""

from __future__ import annotations

import datetime as dt
import random
from typing import Any

from django.db import transaction
from django.db.models import Count

from shuangjian.common.rules import province_code, province_prefix

#: The published 2022 figures (seed document) rendered as exact counts.
FIGURES_2022 = {
    "ADVERTISEMENT_ADS": 5213,
    "ILLEGAL_SUBJECT": 3986,
    "UNLICENSED": 1944,
    "UNDERGROUND": 373,
    "TEACHER": 21,
}
WINTER = ("2022年寒假校外培训专项治理", dt.date(2022, 1, 15), dt.date(2022, 2, 20))
SUMMER = ("2022年暑期校外培训专项治理", dt.date(2022, 7, 1), dt.date(2022, 8, 31))
TEACHERS = ("2022年中小学在职教师违规校外培训专项整治", dt.date(2022, 3, 1), dt.date(2022, 12, 31))


def _county_weights() -> tuple[list[str], list[int]]:
    from shuangjian.institutions.models import Institution
    from shuangjian.regions.models import Region, RegionLevel

    counties = list(
        Region.objects.filter(level=RegionLevel.COUNTY, code__startswith=province_prefix()).values_list(
            "code", flat=True
        )
    )
    per = dict(
        Institution.objects.filter(county_id__in=counties)
        .order_by()
        .values("county_id")
        .annotate(n=Count("id"))
        .values_list("county_id", "n")
    )
    return counties, [per.get(c, 0) + 1 for c in counties]


def _day_in(rng: random.Random, start: dt.date, end: dt.date) -> dt.date:
    return start + dt.timedelta(days=rng.randint(0, (end - start).days))


def seed_2022_cases(*, seed: int = 2022) -> dict[str, int]:
    """Create the 2022 campaigns and closed cases (bulk, with history rows). Returns counts by kind."""
    from simple_history.utils import bulk_create_with_history

    from .models import Campaign, Case, CaseKind, CaseState, Measure
    from .services import campaign_create

    if Campaign.objects.filter(name=WINTER[0]).exists():
        return {}
    rng = random.Random(seed)
    counties, weights = _county_weights()
    winter = campaign_create(
        name=WINTER[0],
        region_code=province_code(),
        start_on=WINTER[1],
        end_on=WINTER[2],
        focus="寒假学科类违规培训、违规广告、无证办学",
    )
    summer = campaign_create(
        name=SUMMER[0],
        region_code=province_code(),
        start_on=SUMMER[1],
        end_on=SUMMER[2],
        focus="暑期学科类违规培训、地下一对一、违规广告、无证办学",
    )
    teachers = campaign_create(
        name=TEACHERS[0],
        region_code=province_code(),
        start_on=TEACHERS[1],
        end_on=TEACHERS[2],
        focus="中小学在职教师有偿补课",
    )
    seq: dict[str, int] = {}
    cases: list[Case] = []

    def add(
        kind: str,
        campaign: Campaign,
        *,
        measures: list[str],
        bases: list[str],
        party: str = "",
        ads: int = 0,
        subjects: int = 1,
        fine: int = 0,
    ) -> None:
        county = rng.choices(counties, weights)[0]
        seq[county] = seq.get(county, 0) + 1
        opened = _day_in(rng, campaign.start_on, campaign.end_on)
        decided = opened + dt.timedelta(days=rng.randint(0, 10))
        cases.append(
            Case(
                number=f"JC-{county}-2022-D{seq[county]:04d}",
                kind=kind,
                county_id=county,
                campaign=campaign,
                party_name=party,
                facts="演示数据：按2022年全省公布数据生成",
                legal_bases=bases,
                measures=measures,
                fine_fen=fine,
                ads_removed=ads,
                subjects_count=subjects,
                state=CaseState.CLOSED,
                opened_on=opened,
                decided_on=decided,
                closed_on=decided + dt.timedelta(days=rng.randint(1, 20)),
                decision="演示：依法处理",
                closure_note="演示：已办结",
            )
        )

    holiday = [winter, summer]
    ads_left = FIGURES_2022["ADVERTISEMENT_ADS"]
    while ads_left > 0:
        n = min(ads_left, rng.randint(5, 35))
        ads_left -= n
        add(
            CaseKind.ADVERTISEMENT,
            rng.choice(holiday),
            measures=[Measure.REMOVE_ADS],
            bases=["D1-ADVERTISING"],
            party="（多处户外及网络广告）",
            ads=n,
        )
    for _ in range(FIGURES_2022["ILLEGAL_SUBJECT"]):
        add(
            CaseKind.ILLEGAL_SUBJECT,
            rng.choice(holiday),
            measures=[Measure.RECTIFY, Measure.WARNING],
            bases=["D1-HOLIDAYS", "D8-DISGUISED"],
            party="（违规培训行为）",
        )
    for _ in range(FIGURES_2022["UNLICENSED"]):
        add(
            CaseKind.UNLICENSED,
            rng.choice(holiday),
            measures=[Measure.BAN, Measure.REFUND],
            bases=["D8-UNAUTHORISED"],
            party="（无证培训机构）",
        )
    for _ in range(FIGURES_2022["UNDERGROUND"]):
        add(
            CaseKind.UNDERGROUND,
            rng.choice(holiday),
            measures=[Measure.RECTIFY, Measure.REFUND, Measure.WARNING],
            bases=["D8-DISGUISED"],
            party=f"{rng.choice('王李张刘陈杨黄赵周吴')}**",
        )
    for _ in range(FIGURES_2022["TEACHER"]):
        add(
            CaseKind.TEACHER,
            teachers,
            measures=[Measure.DISCIPLINE, Measure.WARNING],
            bases=["D4-IN-SERVICE"],
            party=f"{rng.choice('王李张刘陈杨黄赵周吴')}**",
        )
    with transaction.atomic():
        bulk_create_with_history(
            cases,
            Case,
            batch_size=500,
            default_change_reason="演示数据：2022年专项整治案件（按公布数据生成）",
        )
    counts: dict[str, int] = {}
    for case in cases:
        counts[case.kind] = counts.get(case.kind, 0) + 1
    return counts


def open_cases_from_warnings(*, limit: int = 5) -> int:
    """Open 违规收费 cases from today's red/orange warnings (the first ``limit``), linked to them."""
    from shuangjian.risk.models import Level, RiskWarning, WarningStatus

    from .models import Case
    from .services import case_investigate, case_open

    opened = 0
    for warning in (
        RiskWarning.objects.filter(status=WarningStatus.ACTIVE, level__in=[Level.RED, Level.ORANGE])
        .select_related("institution")
        .order_by("-score")[: limit * 3]
    ):
        if opened >= limit:
            break
        if Case.objects.filter(
            institution=warning.institution, state__in=["OPEN", "INVESTIGATING", "DECIDED"]
        ).exists():
            continue  # already being handled (a re-run, or a warning raised again at a higher level)
        case = case_open(
            kind="ILLEGAL_CHARGING",
            county_code=warning.county_id,
            opened_on=warning.raised_on,
            institution=warning.institution,
            warnings=[warning],
            legal_bases=["D2-PREPAID"],
            facts=f"演示：由{warning.get_level_display()}预警转立案，核查预收费是否全部进入监管账户",
        )
        if opened % 2 == 0:
            case_investigate(case_id=case.pk, actor=None)
        opened += 1
    return opened


def after_scan(*, stdout: Any) -> None:
    """The 2022 cases (once) and live cases from today's warnings; one line each on ``stdout``."""
    counts = seed_2022_cases()
    if counts:
        stdout.write(
            "执法检查：2022年专项整治案件 " + "，".join(f"{k}:{v}" for k, v in sorted(counts.items()))
        )
    stdout.write(f"执法检查：由红/橙预警转立案 {open_cases_from_warnings()} 件")
