"""The registry file (机构名册, DESIGN.md contract) of the demo province.

Groups, all over Hunan's 122 counties weighted by city population:

- offline compulsory subject institutions active on 2021-07-24: 5,883; of these 982 still active
  on 2023-06-05, the rest ended between August 2021 and May 2023 (注销, 停办, 吊销, or 转型 into a
  non-subject episode that stays active);
- online compulsory subject institutions: 46 at the baseline, all ended by mid-2022;
- non-subject institutions (arts, sports, science and technology) approved 2019–2023, a few ended;
- high-school-only subject institutions (not in the compulsory figures);
- fund supervision: every active institution except a calibrated few, so that the rate is 0.9956.
"""

from __future__ import annotations

import csv
import datetime as dt
import random
from dataclasses import dataclass
from pathlib import Path

from shuangjian.common.codes import credit_code_make
from shuangjian.regions.models import Region, RegionLevel

from . import calibration as cal
from .names import institution_name

HEADERS = [
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


@dataclass
class DemoInstitution:
    credit_code: str
    name: str
    county: str
    nature: str
    episodes: list[dict]
    supervised: bool = True

    def active_on(self, day: dt.date) -> bool:
        return any(e["approved"] <= day and (e["ended"] is None or e["ended"] > day) for e in self.episodes)


def county_picker(rng: random.Random):
    """A function returning a county code, weighted by the population of its city."""
    counties = list(
        Region.objects.filter(code__startswith="43", level=RegionLevel.COUNTY).values_list("code", "name")
    )
    weights = []
    for code, name in counties:
        city_weight = cal.CITY_WEIGHTS[code[:4] + "00"]
        in_city = sum(1 for c, _ in counties if c[:4] == code[:4])
        urban = 1.6 if name.endswith("区") else 1.0
        weights.append(city_weight / in_city * urban)
    names = dict(counties)

    def pick() -> tuple[str, str]:
        code = rng.choices([c for c, _ in counties], weights=weights, k=1)[0]
        return code, names[code]

    return pick


def _date_between(rng: random.Random, start: dt.date, end: dt.date) -> dt.date:
    return start + dt.timedelta(days=rng.randint(0, (end - start).days))


def generate_institutions(seed: int = 20230605) -> list[DemoInstitution]:
    """The calibrated registry (same result for the same seed)."""
    rng = random.Random(seed)
    pick = county_picker(rng)
    serial = {"n": 0}
    out: list[DemoInstitution] = []

    def new(subject: bool, for_profit: bool) -> DemoInstitution:
        serial["n"] += 1
        county, county_name = pick()
        prefix = "91" if for_profit else "52"
        code = credit_code_make(f"{prefix}{county}{'MA' if for_profit else 'MJ'}{serial['n']:07d}")
        return DemoInstitution(
            code,
            institution_name(rng, county_name, subject=subject),
            county,
            "营利性" if for_profit else "非营利性",
            [],
        )

    def episode(category, mode, audiences, approved, ended=None, reason=""):
        return {
            "category": category,
            "mode": mode,
            "audiences": audiences,
            "approved": approved,
            "ended": ended,
            "reason": reason,
        }

    # Offline compulsory subject institutions at the baseline.
    survivors = set(rng.sample(range(cal.OFFLINE_SUBJECT_BASELINE), cal.OFFLINE_SUBJECT_CURRENT))
    for i in range(cal.OFFLINE_SUBJECT_BASELINE):
        approved = _date_between(rng, dt.date(2012, 3, 1), dt.date(2021, 6, 30))
        audiences = rng.choice(["义务教育", "义务教育", "义务教育、普通高中", "学龄前、义务教育"])
        inst = new(subject=True, for_profit=i not in survivors and rng.random() < 0.7)
        if i in survivors:
            inst.nature = "非营利性"  # 营转非: the survivors registered as non-profit
            inst.episodes.append(episode("学科类", "线下", audiences, approved))
        else:
            closed = _date_between(rng, dt.date(2021, 8, 15), dt.date(2023, 5, 20))
            why = rng.choices(["注销", "停办", "转型", "吊销"], weights=[48, 22, 28, 2], k=1)[0]
            inst.episodes.append(episode("学科类", "线下", audiences, approved, closed, why))
            if why == "转型":
                inst.episodes.append(episode("非学科类", "线下", "义务教育", closed))
        out.append(inst)
    # Online compulsory subject institutions: all gone by mid-2022.
    for _ in range(cal.ONLINE_SUBJECT_BASELINE):
        inst = new(subject=True, for_profit=True)
        approved = _date_between(rng, dt.date(2016, 1, 1), dt.date(2021, 5, 31))
        gone = _date_between(rng, dt.date(2021, 9, 1), dt.date(2022, 6, 30))
        inst.episodes.append(
            episode("学科类", "线上", "义务教育", approved, gone, rng.choice(["注销", "停办"]))
        )
        out.append(inst)
    # Non-subject institutions.
    for _ in range(2600):
        inst = new(subject=False, for_profit=rng.random() < 0.8)
        approved = _date_between(rng, dt.date(2019, 1, 1), dt.date(2023, 5, 31))
        audiences = rng.choice(["义务教育", "学龄前、义务教育", "义务教育、普通高中"])
        ended: dt.date | None = None
        reason = ""
        if approved < dt.date(2023, 1, 1) and rng.random() < 0.06:
            ended = _date_between(rng, approved + dt.timedelta(days=60), dt.date(2023, 5, 31))
            reason = rng.choice(["注销", "停办"])
        inst.episodes.append(episode("非学科类", "线下", audiences, approved, ended, reason))
        out.append(inst)
    # High-school-only subject institutions (outside the compulsory figures).
    for _ in range(140):
        inst = new(subject=True, for_profit=False)
        approved = _date_between(rng, dt.date(2015, 1, 1), dt.date(2022, 12, 31))
        inst.episodes.append(episode("学科类", "线下", "普通高中", approved))
        out.append(inst)
    _calibrate_supervision(rng, out)
    return out


def _calibrate_supervision(rng: random.Random, institutions: list[DemoInstitution]) -> None:
    """Mark the fewest active institutions unsupervised so the rate rounds to the published 0.9956."""
    from shuangjian.stats.kpis import rate

    active = [i for i in institutions if i.active_on(cal.AS_OF)]

    def distance(unsupervised: int) -> float:
        return abs((rate(len(active) - unsupervised, len(active)) or 0.0) - cal.FUND_SUPERVISION_RATE)

    best = min(range(len(active)), key=distance)
    for inst in rng.sample(active, best):
        inst.supervised = False
    assert rate(len(active) - best, len(active)) == cal.FUND_SUPERVISION_RATE


def write_institutions_csv(
    institutions: list[DemoInstitution], path: Path, *, encoding: str = "utf-8-sig"
) -> Path:
    """Write the DESIGN.md registry file (one row per institution per category episode)."""
    with path.open("w", encoding=encoding, newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(HEADERS)
        for inst in institutions:
            for e in inst.episodes:
                licence = f"教民{inst.county}{e['approved']:%Y}{inst.credit_code[-6:]}"
                writer.writerow(
                    [
                        inst.credit_code,
                        inst.name,
                        inst.county,
                        e["category"],
                        e["mode"],
                        e["audiences"],
                        inst.nature,
                        e["approved"].isoformat(),
                        e["ended"].isoformat() if e["ended"] else "",
                        e["reason"],
                        "是" if inst.supervised else "否",
                        licence,
                    ]
                )
    return path
