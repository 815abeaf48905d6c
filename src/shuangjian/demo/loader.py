"""`shuangjian demo load`: write the demo province's files and import them through the platform."""

from __future__ import annotations

import random
from pathlib import Path
from typing import Any

from django.core.management import call_command

from . import calibration as cal
from .funds import generate_fund_events, write_fund_events_csv
from .institutions import generate_institutions, write_institutions_csv
from .reports import generate_reports, write_reports_csv

#: After the files above: each area's own demo step, in order (dotted paths of
#: ``load(scale, workdir, stdout)`` functions, which go through that area's importers and services).
AREA_LOADERS = [
    "shuangjian.demo.loader.registry_operations",
    "shuangjian.schools.demo.load",
    "shuangjian.stem.demo.load",
    "shuangjian.risk.demo.load",
    "shuangjian.governance.demo.load",
    "shuangjian.coeducation.demo.load",
    "shuangjian.vocational.demo.load",
    "shuangjian.cooperation.demo.load",  # after the vocational registry's demo (it reads its schools)
]


def registry_operations(*, scale: str, workdir: Path, stdout: Any) -> None:
    """Staff, training items with prices and sessions for a sample of licensed institutions (the
    registry area's services), then the compliance scan over the whole registry."""
    from shuangjian.institutions.demo import seed_operations

    counts = seed_operations(scale=scale)
    stdout.write("机构运营数据：" + "，".join(f"{k} {v}" for k, v in counts.items()))
    call_command("compliance", "scan", stdout=stdout)


def already_loaded() -> bool:
    """Whether the demo province is in the database (its registry and its 2022 enforcement figures)."""
    from shuangjian.enforcement.models import Case
    from shuangjian.institutions.models import Institution

    return Institution.objects.count() >= cal.OFFLINE_SUBJECT_BASELINE and Case.objects.exists()


def at_risk_institutions(institutions, count: int = 6, seed: int = 7):
    """A few supervised, active institutions that will show a collapse run-up (spread over cities)."""
    rng = random.Random(seed)
    pool = [
        i
        for i in institutions
        if i.supervised and i.active_on(cal.AS_OF) and i.episodes[-1]["category"] == "非学科类"
    ]
    by_city: dict[str, list] = {}
    for inst in pool:
        by_city.setdefault(inst.county[:4], []).append(inst)
    cities = sorted(by_city)
    return [rng.choice(by_city[c]) for c in rng.sample(cities, min(count, len(cities)))]


def load(*, scale: str, workdir: Path, stdout: Any) -> None:
    """Generate and import registry, reports and fund events, then the other areas' demo data."""
    from django.utils.module_loading import import_string

    institutions = generate_institutions()
    at_risk = at_risk_institutions(institutions)
    steps = [
        ("institutions", lambda: write_institutions_csv(institutions, workdir / "机构名册.csv")),
        (
            "reports",
            lambda: write_reports_csv(generate_reports(institutions, at_risk), workdir / "投诉举报线索.csv"),
        ),
        (
            "fund-events",
            lambda: write_fund_events_csv(
                generate_fund_events(institutions, at_risk, scale=scale), workdir / "托管账户流水.csv"
            ),
        ),
    ]
    for kind, write in steps:
        path = write()
        stdout.write(f"导入 {kind}：{path.name}")
        call_command("import", kind, str(path), "--quiet", stdout=stdout)
    for dotted in AREA_LOADERS:
        import_string(dotted)(scale=scale, workdir=workdir, stdout=stdout)
