"""Rule data of vocational education: the basic-conditions standard, targets and coverage rules.

Every threshold is a :func:`shuangjian.common.rules.declare` parameter with its policy source and status
(FOUND / FOUND (secondary) / UNCERTAIN / NOT FOUND, as in shared/RULES.md; the sources are listed in the
README section "Vocational education"). The provincial regulator may store its own value for the province
or a city/county (rule parameters page / admin). A threshold whose value is ``None`` is not applied to
that threshold set.

Threshold sets (``standard_set_for``): 中职 一般类 / 艺术类 / 边远脱贫地区 / 技工学校, 高职专科, 职业本科.
Indicators (``INDICATORS``): "min" thresholds must be reached (value ≥ threshold), "max" ones not
exceeded (value ≤ threshold). ``key`` marks the 达标工程 key monitoring indicators (S6): a school 达标
when it meets every key indicator of its set that has a threshold.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from shuangjian.common.rules import RULES, RuleBook, declare

from .choices import Level, StandardCategory

PREFIX = "vocational."

S6 = "职业学校办学条件达标工程实施方案（教育部等五部门，2022年11月）；基于教职成〔2010〕12号"
S7 = "中等职业学校设置标准（教职成〔2010〕12号）"
S8 = "高等职业学校设置标准（暂行）（教育部，2000年）：设立时的条件"
S9 = "本科层次职业教育专业设置管理办法（试行）（教育部办公厅，2021年）"
TECH = "人社部发〔2012〕8号（技工学校设置标准），经达标工程实施方案转述"


@dataclass(frozen=True)
class Indicator:
    """An indicator of basic conditions: key, Chinese label, unit, direction ("min"/"max"), 达标工程 key."""

    key: str
    label: str
    unit: str
    direction: str
    key_indicator: bool


INDICATORS: list[Indicator] = [
    Indicator("students", "学历教育在校生数", "人", "min", False),
    Indicator("teachers", "专任教师数", "人", "min", True),
    Indicator("student_teacher_ratio", "生师比（学生数/专任教师数）", "", "max", True),
    Indicator("dual_share", "双师型教师占专任教师比例", "", "min", False),
    Indicator("land", "占地面积", "平方米", "min", True),
    Indicator("land_per_student", "生均占地面积", "平方米/生", "min", True),
    Indicator("building", "校舍建筑面积", "平方米", "min", True),
    Indicator("building_per_student", "生均校舍建筑面积", "平方米/生", "min", True),
    Indicator("equipment", "教学仪器设备总值", "元", "min", True),
    Indicator("equipment_per_student", "生均教学仪器设备值", "元/生", "min", True),
    Indicator("books", "纸质图书总量", "册", "min", False),
    Indicator("books_per_student", "生均纸质图书", "册/生", "min", True),
]
INDICATOR_BY_KEY = {i.key: i for i in INDICATORS}

#: Threshold sets and their Chinese names.
SETS = {
    "secondary_general": "中职（一般类）",
    "secondary_art": "中职（艺术类）",
    "secondary_remote": "中职（边远脱贫地区）",
    "technical": "技工学校",
    "associate": "高职专科",
    "bachelor": "职业本科",
}

# (value, source, status) per set and indicator; indicators not listed are not applied (None).
_GENERAL: dict[str, tuple[Any, str, str]] = {
    "students": (1200, S7 + "：学历教育在校生规模（条文未见原文，凭记忆）", "UNCERTAIN"),
    "teachers": (60, S6, "FOUND (secondary)"),
    "student_teacher_ratio": (20, S6 + "：师生比 1:20", "FOUND (secondary)"),
    "dual_share": (0.30, S7 + "：双师型占专业教师≥30%（本平台以专任教师为分母；条文未见原文）", "UNCERTAIN"),
    "land": (40000, S6, "FOUND (secondary)"),
    "land_per_student": (33, S6, "FOUND (secondary)"),
    "building": (24000, S6, "FOUND (secondary)"),
    "building_per_student": (20, S6, "FOUND (secondary)"),
    "equipment": (3000000, S6 + "：300万元", "FOUND (secondary)"),
    "equipment_per_student": (2500, S6, "FOUND (secondary)"),
    "books": (30000, S7 + "：图书总量（条文未见原文，凭记忆）", "UNCERTAIN"),
    "books_per_student": (30, S6, "FOUND (secondary)"),
}
_PROVINCIAL = "各省自定（S6 附件2）；湖南省的艺术类、边远脱贫地区标准未找到（NOT FOUND），暂按一般类"
THRESHOLDS: dict[str, dict[str, tuple[Any, str, str]]] = {
    "secondary_general": _GENERAL,
    "secondary_art": {k: (v, _PROVINCIAL, "UNCERTAIN") for k, (v, _s, _st) in _GENERAL.items()},
    "secondary_remote": {k: (v, _PROVINCIAL, "UNCERTAIN") for k, (v, _s, _st) in _GENERAL.items()},
    "technical": {
        "land": (30000, TECH, "FOUND (secondary)"),
        "building": (18000, TECH, "FOUND (secondary)"),
        "building_per_student": (20, TECH, "FOUND (secondary)"),
    },
    "associate": {
        "teachers": (70, S8 + "：本科以上学历专任教师不少于70人", "FOUND"),
        "building_per_student": (20, S8 + "：生均教学、实验、行政用房不低于20平方米", "FOUND"),
        "equipment": (6000000, S8 + "：教学仪器设备不少于600万元", "FOUND"),
        "books": (80000, S8 + "：适用图书不少于8万册", "FOUND"),
    },
    "bachelor": {
        "student_teacher_ratio": (18, S9 + "：全校生师比不高于18:1", "FOUND (secondary)"),
        "dual_share": (
            0.50,
            S9 + "：双师型教师占专业课教师比例不低于50%（本平台以专任教师为分母）",
            "FOUND (secondary)",
        ),
    },
}

for _set, _values in THRESHOLDS.items():
    for _indicator in INDICATORS:
        _value, _source, _status = _values.get(_indicator.key, (None, "不适用于此类学校", "FOUND"))
        declare(
            f"vocational.standard.{_set}.{_indicator.key}",
            f"{SETS[_set]}：{_indicator.label}{'不低于' if _indicator.direction == 'min' else '不高于'}",
            _value,
            _indicator.unit,
            _source,
            status=_status,
        )

TARGET_RATES = declare(
    "vocational.standard.target_rates",
    "办学条件达标率目标（全部关键指标达标的学校占比，按年末）",
    {"2023": 0.80, "2025": 0.90},
    "比例",
    S6,
    status="FOUND (secondary)",
)
SCOPE_FOUNDED_BEFORE = declare(
    "vocational.standard.scope_founded_before",
    "达标工程范围：不含此日期及以后设立的学校",
    "2022-01-01",
    "日期",
    S6 + "：2022年及以后设立的学校不纳入",
    status="FOUND (secondary)",
)
COUNTY_PUBLIC_SECONDARY_TARGET = declare(
    "vocational.coverage.public_secondary_counties_target",
    "重点办好1所以上公办中职的县市区数",
    97,
    "个",
    "湘教复字〔2023〕283号（97个县市重点办好1所以上公办中职）",
    status="FOUND",
)

#: 24 key industries (重点行业), each served when an open 高职 offers a major of one of its 专业大类
#: (1–19: 农林牧渔 … 公共管理与服务). The province's list of 24 was NOT FOUND (reference H8, Q5): the
#: default below is the 19 专业大类 themselves, one "industry" each, to be replaced by the province.
KEY_INDUSTRIES = declare(
    "vocational.coverage.key_industries",
    "重点行业及其对应的专业大类（1–19）",
    [
        {"name": name, "families": [n]}
        for n, name in enumerate(
            [
                "农林牧渔",
                "资源环境与安全",
                "能源动力与材料",
                "土木建筑",
                "水利",
                "装备制造",
                "生物与化工",
                "轻工纺织",
                "食品药品与粮食",
                "交通运输",
                "电子与信息",
                "医药卫生",
                "财经商贸",
                "旅游",
                "文化艺术",
                "新闻传播",
                "教育与体育",
                "公安与司法",
                "公共管理与服务",
            ],
            start=1,
        )
    ],
    "行业列表",
    "湘教复字〔2023〕283号提到24个重点行业，名单未找到（NOT FOUND）；默认按19个专业大类，待省级替换",
    status="NOT FOUND",
)
KEY_INDUSTRIES_TARGET = declare(
    "vocational.coverage.key_industries_target",
    "须有高职院校服务的重点行业数",
    24,
    "个",
    "湘教复字〔2023〕283号（24个重点行业都有高职院校）",
    status="FOUND",
)


def standard_set_for(*, level: str, is_technical: bool, standard_category: str) -> str:
    """The threshold set of a school: 中职 by 达标 category (技工学校 its own), 高职专科, 职业本科."""
    if level == Level.ASSOCIATE:
        return "associate"
    if level == Level.BACHELOR:
        return "bachelor"
    if is_technical or standard_category == StandardCategory.TECHNICAL:
        return "technical"
    return {"ART": "secondary_art", "REMOTE": "secondary_remote"}.get(standard_category, "secondary_general")


class ThresholdBook:
    """Thresholds of many counties from one :class:`~shuangjian.common.rules.RuleBook` query.

    ``thresholds(set_name, county_code)`` → {indicator key: value or None} (county, city, province,
    global row, declared default).
    """

    def __init__(self) -> None:
        self._book = RuleBook(prefix="vocational.standard.")
        self._cache: dict[tuple[str, str], dict[str, Any]] = {}

    def value(self, key: str, county_code: str | None) -> Any:
        return self._book.value(key, county_code)

    def thresholds(self, set_name: str, county_code: str | None) -> dict[str, Any]:
        cache_key = (set_name, county_code or "")
        if cache_key not in self._cache:
            self._cache[cache_key] = {
                i.key: self.value(f"vocational.standard.{set_name}.{i.key}", county_code) for i in INDICATORS
            }
        return self._cache[cache_key]


def rule_specs() -> Iterable[Any]:
    """Every declared vocational parameter (for the rules listing and the README)."""
    return [spec for key, spec in sorted(RULES.items()) if key.startswith(PREFIX)]
