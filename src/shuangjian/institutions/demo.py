"""Demo registry for Hunan (demo mode only): writes an institutions registry file (机构名册) with a
realistic spread over Hunan's 122 county-level divisions and imports it through the real command
(``shuangjian import institutions``). Calibration to the published figures is a later issue.

Register with ``DEMO_LOADERS.append("shuangjian.institutions.demo.load")`` (the integrator does).
"""

from __future__ import annotations

import csv
import datetime as dt
import random
from pathlib import Path
from typing import Any

from django.core.management import call_command
from django.core.management.base import CommandError

from shuangjian.common.codes import credit_code_make
from shuangjian.regions.models import Region, RegionLevel

HEADER = ["统一社会信用代码", "机构名称", "区县代码", "培训类别", "培训形式", "服务对象", "办学性质", "审批日期",
          "终止日期", "终止原因", "纳入资金监管", "办学许可证号"]
SUBJECT_WORDS = ["学思", "博学", "启智", "优学", "明德", "致远", "求是", "育才", "培英", "文华", "思源", "卓越", "立达"]
SUBJECT_KINDS = ["文化培训学校", "教育培训学校", "学科辅导中心", "培训学校"]
NON_SUBJECT = {
    "艺术": ["艺术培训学校", "美术培训中心", "舞蹈艺术学校", "音乐培训中心", "书画院"],
    "体育": ["体育培训中心", "篮球俱乐部", "游泳培训中心", "跆拳道馆", "武术学校"],
    "科技": ["科技培训中心", "编程培训学校", "机器人创客中心"],
    "综合": ["研学实践中心", "围棋培训学校", "口才艺术中心"],
}
NON_SUBJECT_WORDS = ["星光", "彩虹", "童梦", "飞扬", "小树", "悦动", "七彩", "未来", "启航", "晨曦", "青苗", "湘韵", "麓山"]
SCALE_PER_COUNTY = {"small": (2, 6), "province": (25, 80)}


def _short(name: str) -> str:
    for suffix in ("土家族苗族自治州", "苗族侗族自治县", "侗族自治县", "瑶族自治县", "苗族自治县", "土家族自治县",
                   "自治县", "区", "县", "市"):
        if name.endswith(suffix) and len(name) > len(suffix) + 1:
            return name[: -len(suffix)]
    return name


def _date(rng: random.Random, start: dt.date, end: dt.date) -> dt.date:
    return start + dt.timedelta(days=rng.randrange(max(1, (end - start).days)))


def build_rows(*, scale: str, seed: int = 20210724) -> list[list[Any]]:
    """Rows of the demo registry file (one per institution per category episode)."""
    rng = random.Random(seed)
    low, high = SCALE_PER_COUNTY[scale]
    rows: list[list[Any]] = []
    serial = 0
    counties = list(Region.objects.filter(level=RegionLevel.COUNTY, code__startswith="43").order_by("code"))
    for county in counties:
        urban = county.name.endswith("区")
        weight = 2.0 if county.code.startswith("4301") else 1.0
        weight *= 1.5 if urban else 1.0
        count = int(rng.randint(low, high) * weight)
        short = _short(county.name)
        for _ in range(count):
            serial += 1
            subject = rng.random() < 0.45
            if subject:
                name = f"{short}{rng.choice(SUBJECT_WORDS)}{rng.choice(SUBJECT_KINDS)}"
                code = credit_code_make(f"52{county.code}MJ{serial:07d}")
                approved = _date(rng, dt.date(2014, 1, 1), dt.date(2021, 7, 1))
                license_no = f"教民{county.code}{approved.year}X{serial:05d}"
                online = county.code.startswith("4301") and rng.random() < 0.04
                mode = "线上" if online else "线下"
                audience = rng.choice(["义务教育", "义务教育", "义务教育", "义务教育、普通高中", "普通高中"])
                fate = rng.random()
                if fate < 0.55:  # 转型 to non-subject training
                    ended = _date(rng, dt.date(2021, 9, 1), dt.date(2022, 6, 30))
                    rows.append([code, name, county.code, "学科类", mode, audience, "非营利性", approved.isoformat(),
                                 ended.isoformat(), "转型", "是", license_no])
                    rows.append([code, name, county.code, "非学科类", "线下", rng.choice(["义务教育", "学龄前、义务教育"]),
                                 "非营利性", ended.isoformat(), "", "", "是", license_no])
                elif fate < 0.90:
                    ended = _date(rng, dt.date(2021, 8, 1), dt.date(2023, 6, 30))
                    reason = rng.choice(["注销", "注销", "停办"])
                    rows.append([code, name, county.code, "学科类", mode, audience, "非营利性", approved.isoformat(),
                                 ended.isoformat(), reason, "否", license_no])
                elif fate < 0.93:
                    ended = _date(rng, dt.date(2022, 1, 1), dt.date(2025, 6, 30))
                    rows.append([code, name, county.code, "学科类", mode, audience, "非营利性", approved.isoformat(),
                                 ended.isoformat(), "吊销", "否", license_no])
                else:
                    rows.append([code, name, county.code, "学科类", mode, audience, "非营利性", approved.isoformat(),
                                 "", "", "是" if rng.random() < 0.95 else "否", license_no])
            else:
                family = rng.choice(list(NON_SUBJECT))
                name = f"{short}{rng.choice(NON_SUBJECT_WORDS)}{rng.choice(NON_SUBJECT[family])}"
                code = credit_code_make(f"91{county.code}MA{serial:07d}")
                approved = _date(rng, dt.date(2018, 1, 1), dt.date(2025, 10, 1))
                license_no = f"教民{county.code}{approved.year}F{serial:05d}"
                audience = rng.choice(["义务教育", "学龄前、义务教育", "义务教育、普通高中", "学龄前"])
                ended_text, reason = "", ""
                if rng.random() < 0.12:
                    ended_text = _date(rng, max(approved, dt.date(2022, 1, 1)) + dt.timedelta(days=30),
                                       dt.date(2025, 10, 31)).isoformat()
                    reason = rng.choice(["停办", "注销"])
                rows.append([code, name, county.code, "非学科类", "线下", audience, "营利性", approved.isoformat(),
                             ended_text, reason, "是" if rng.random() < 0.8 else "否", license_no])
    return rows


def load(*, scale: str, workdir: Path, stdout: Any) -> Path:
    """Write ``机构名册-demo.csv`` (UTF-8 with BOM) into ``workdir`` and import it.

    Raises ``CommandError`` when the import is refused (it never should be: the rows are valid).
    """
    rows = build_rows(scale=scale)
    path = Path(workdir) / "机构名册-demo.csv"
    with path.open("w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(HEADER)
        writer.writerows(rows)
    stdout.write(f"机构名册：{len(rows)} 行 → {path.name}\n")
    try:
        call_command("import", "institutions", str(path), stdout=stdout)
    except SystemExit as exit_:
        if exit_.code:
            raise CommandError(f"演示机构名册导入失败（退出码 {exit_.code}）") from None
    return path
