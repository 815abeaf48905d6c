"""The reports-and-leads file (投诉举报线索, DESIGN.md contract) of the demo province.

2022: exactly 1,329 reports judged valid (有效) of the violation types, a share judged not valid,
and 474 爆雷 plus 11 冒烟 leads forwarded by the Ministry (来源 部转; forwarded leads are leads by
definition and carry no validity judgement). 2023 up to 2023-06-05: reports still arriving, the
newest open, some past their deadline. Seasons: more reports before the winter and summer holidays.
"""

from __future__ import annotations

import csv
import datetime as dt
import random
from pathlib import Path

from . import calibration as cal
from .institutions import DemoInstitution, county_picker

HEADERS = [
    "线索编号",
    "来源",
    "类型",
    "区县代码",
    "统一社会信用代码",
    "受理时间",
    "是否有效",
    "办结时间",
    "内容",
]
VIOLATION_TYPES = {
    "违规学科类培训": 35,
    "在职教师有偿补课": 12,
    "违规收费": 18,
    "虚假广告": 10,
    "安全隐患": 10,
    "其他": 15,
}
SOURCES = {"随手拍": 45, "电话": 30, "网络": 15, "督查": 10}
#: Relative monthly volume: peaks before the winter (Jan) and summer (Jun–Jul) holidays.
MONTH_WEIGHTS = {
    1: 1.3,
    2: 0.7,
    3: 0.9,
    4: 0.9,
    5: 1.0,
    6: 1.4,
    7: 1.5,
    8: 1.2,
    9: 1.1,
    10: 0.8,
    11: 0.8,
    12: 1.2,
}
CONTENT = {
    "违规学科类培训": [
        "周末在小区内开设数学补习班，约十余名小学生参加",
        "以“思维训练”名义开展初中英语学科培训",
        "暑假期间在写字楼内集中开展语文、数学培训",
    ],
    "在职教师有偿补课": ["某校在职教师在家中组织本班学生有偿补课", "在职教师利用周末在培训机构兼职授课"],
    "违规收费": ["一次性收取一年学费，超过3个月", "要求家长向个人账户转账缴纳培训费", "收费未进入监管账户"],
    "虚假广告": ["宣传“保过”“提分”等承诺", "广告中使用未经核实的升学率数据"],
    "安全隐患": ["培训场所无消防通道，门口堆放杂物", "地下室开展培训，通风不良"],
    "其他": ["培训机构拒绝按剩余课时退费", "机构更换地址未告知家长"],
    "爆雷": ["机构突然关门停课，预收费无法退还", "机构负责人失联，家长集体维权"],
    "冒烟": ["机构拖欠教师工资，课程频繁取消", "机构大量促销预售课程，疑似资金链紧张"],
}


def _stamp(rng: random.Random, day: dt.date) -> str:
    return f"{day.isoformat()} {rng.randint(8, 20):02d}:{rng.choice([0, 10, 20, 30, 40, 50]):02d}"


def _day_in_year(rng: random.Random, year: int, last: dt.date | None = None) -> dt.date:
    months = [m for m in range(1, 13) if last is None or dt.date(year, m, 1) <= last]
    month = rng.choices(months, weights=[MONTH_WEIGHTS[m] for m in months], k=1)[0]
    end = (dt.date(year, month, 28) + dt.timedelta(days=4)).replace(day=1) - dt.timedelta(days=1)
    if last is not None and end > last:
        end = last
    return dt.date(year, month, rng.randint(1, end.day))


def generate_reports(
    institutions: list[DemoInstitution], at_risk: list[DemoInstitution], seed: int = 2022
) -> list[list[str]]:
    """Rows of the reports file (same result for the same inputs and seed)."""
    rng = random.Random(seed)
    pick = county_picker(rng)
    by_county: dict[str, list[DemoInstitution]] = {}
    for inst in institutions:
        by_county.setdefault(inst.county, []).append(inst)
    closed_2022 = [i for i in institutions if any(e["ended"] and e["ended"].year == 2022 for e in i.episodes)]
    rows: list[list[str]] = []
    serial = {"n": 0}

    def add(
        source: str, kind: str, county: str, code: str, received: dt.date, valid: str, closed: dt.date | None
    ):
        serial["n"] += 1
        rows.append(
            [
                f"XS{received:%Y%m}{serial['n']:06d}",
                source,
                kind,
                county,
                code,
                _stamp(rng, received),
                valid,
                _stamp(rng, closed) if closed else "",
                rng.choice(CONTENT[kind]),
            ]
        )

    def violation(year: int, valid: str, last: dt.date | None = None, open_share: float = 0.0):
        kind = rng.choices(list(VIOLATION_TYPES), weights=list(VIOLATION_TYPES.values()), k=1)[0]
        source = rng.choices(list(SOURCES), weights=list(SOURCES.values()), k=1)[0]
        county, _ = pick()
        candidates = by_county.get(county, [])
        code = rng.choice(candidates).credit_code if candidates and rng.random() < 0.55 else ""
        received = _day_in_year(rng, year, last)
        late = rng.random() < 0.06
        closed = (
            None
            if rng.random() < open_share
            else received + dt.timedelta(days=rng.randint(16, 40) if late else rng.randint(1, 12))
        )
        if closed and last and closed > last:
            closed = None
        add(source, kind, county, code, received, valid, closed)

    for _ in range(cal.VALID_VIOLATION_REPORTS_2022):
        violation(2022, "是")
    for _ in range(560):
        violation(2022, "否")
    for kind, count in (
        ("爆雷", cal.FORWARDED_COLLAPSE_LEADS_2022),
        ("冒烟", cal.FORWARDED_SMOKE_LEADS_2022),
    ):
        for _ in range(count):
            inst = rng.choice(closed_2022 if kind == "爆雷" and closed_2022 else institutions)
            received = _day_in_year(rng, 2022)
            add(
                "部转",
                kind,
                inst.county,
                inst.credit_code,
                received,
                "",
                received + dt.timedelta(days=rng.randint(2, 9)),
            )
    last = cal.AS_OF - dt.timedelta(days=1)
    for _ in range(520):
        violation(2023, rng.choice(["是", "是", "否"]), last=last, open_share=0.04)
    for _ in range(60):
        violation(2023, "", last=last, open_share=1.0)  # received, not yet judged
    for inst in at_risk:  # smoke before a collapse: reports about the at-risk institutions in spring 2023
        for _ in range(rng.randint(2, 4)):
            received = _date(rng, dt.date(2023, 4, 1), last)
            add(
                rng.choice(["随手拍", "电话"]),
                rng.choice(["冒烟", "违规收费"]),
                inst.county,
                inst.credit_code,
                received,
                "是",
                None,
            )
    return rows


def _date(rng: random.Random, start: dt.date, end: dt.date) -> dt.date:
    return start + dt.timedelta(days=rng.randint(0, (end - start).days))


def write_reports_csv(rows: list[list[str]], path: Path, *, encoding: str = "gb18030") -> Path:
    """Write the DESIGN.md reports file (GBK-family CSV, as regulators' spreadsheets export it)."""
    with path.open("w", encoding=encoding, newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(HEADERS)
        writer.writerows(rows)
    return path
