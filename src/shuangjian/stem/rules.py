"""Rule parameters of STEM education (rule data; sources in the README section "STEM education").

No national or Hunan standard for a STEM course plan, for review deadlines or for a rural coverage
target was found (shared/reference/vocational-stem-facts.md §6 Q8): the values below are labelled
defaults (UNCERTAIN) the provincial regulator can change per region (``RuleParameter``), read with
:func:`shuangjian.common.rules.rule_value` (county, city, province, global row, declared default).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from shuangjian.common.rules import RuleSpec, declare, rule_value
from shuangjian.regions.models import RegionLevel

PREFIX = "stem."
SEED = "湘教复字〔2023〕283号 二（规范现有STEM教育课程开展；关注农村学生STEM教育开展情况）"

#: Elements a course plan must have before a school may submit it (field name, Chinese title).
DEFAULT_ELEMENTS = [
    ["objectives", "课程目标"],
    ["subjects", "融合学科"],
    ["problem", "真实问题或项目"],
    ["activities", "探究、设计与制作环节"],
    ["evaluation", "评价方式"],
    ["safety", "安全预案"],
]
REQUIRED_ELEMENTS = declare(
    "stem.course_standard.required_elements",
    "STEM课程方案必备要素（字段名、名称）",
    DEFAULT_ELEMENTS,
    "要素列表",
    SEED + "；要素取自 STEM教育2035行动计划（T3）与义务教育课程方案（2022）跨学科主题学习的共同要求",
    status="UNCERTAIN",
)
MIN_ELEMENT_CHARS = declare(
    "stem.course_standard.min_chars",
    "课程方案每一要素的最少字数",
    10,
    "字",
    SEED,
    status="UNCERTAIN",
)
MIN_INTEGRATED = declare(
    "stem.course_standard.min_integrated_subjects",
    "主学科之外至少融合的学科数",
    2,
    "门",
    SEED + "（示例课程以语文为主，融合数学、科学、美术、音乐、书法、表演）",
    status="UNCERTAIN",
)
REQUIRE_PLAN_FILE = declare(
    "stem.course_standard.require_plan_file",
    "申报时须上传课程方案文件",
    True,
    "",
    SEED,
    status="UNCERTAIN",
)
COUNTY_DAYS = declare(
    "stem.review.county_workdays",
    "县级审核期限（工作日，自学校申报次日起算）",
    15,
    "工作日",
    SEED,
    status="UNCERTAIN",
)
CITY_DAYS = declare(
    "stem.review.city_workdays",
    "市级推荐期限（工作日，自县级通过次日起算）",
    20,
    "工作日",
    SEED,
    status="UNCERTAIN",
)
PROVINCE_DAYS = declare(
    "stem.review.province_workdays",
    "省级认定期限（工作日，自市级推荐次日起算）",
    30,
    "工作日",
    SEED,
    status="UNCERTAIN",
)
RURAL_CLASSES = declare(
    "stem.rural.classes",
    "计为“农村”的城乡分类（乡村；是否含镇区待定）",
    ["RURAL"],
    "分类列表",
    "国函〔2008〕60号 统计上划分城乡的规定（T9）；农村口径未见文件规定（参考资料 §6 Q8）",
    status="UNCERTAIN",
)
COVERAGE_KINDS = declare(
    "stem.coverage.kinds",
    "计入覆盖率分母的学校类型（含幼儿园）",
    ["KINDERGARTEN", "PRIMARY", "JUNIOR", "NINE_YEAR", "SENIOR"],
    "类型列表",
    SEED + "（学校与幼儿园均开展STEM教育）；幼儿园是否计入未见规定（§6 Q8）",
    status="UNCERTAIN",
)
COVERAGE_TARGET = declare(
    "stem.rural.coverage_target",
    "农村学校STEM课程开设率目标（低于者列出）",
    0.5,
    "比例",
    SEED + "；未见量化目标，默认值待省级确定",
    status="UNCERTAIN",
)
FALLBACK_DISTRICT = declare(
    "stem.urban_rural.fallback_district",
    "学校名册缺城乡分类时：市辖区的学校按",
    "URBAN",
    "城乡分类",
    "推定：市辖区多为主城区（111）；以统计用区划代码为准（T9）",
    status="UNCERTAIN",
)
FALLBACK_COUNTY = declare(
    "stem.urban_rural.fallback_county",
    "学校名册缺城乡分类时：县、县级市的学校按",
    "TOWN",
    "城乡分类",
    "推定：县城学校多在镇中心区（121）；以统计用区划代码为准（T9）",
    status="UNCERTAIN",
)

DAYS_BY_LEVEL: dict[str, RuleSpec] = {
    RegionLevel.COUNTY: COUNTY_DAYS,
    RegionLevel.PREFECTURE: CITY_DAYS,
    RegionLevel.PROVINCE: PROVINCE_DAYS,
}


def term_bounds(day: dt.date) -> tuple[dt.date, dt.date]:
    """The school term containing ``day``: autumn 1 August – 31 January, spring 1 February – 31 July
    (the same terms as ``schools.checks.term_of``)."""
    if day.month >= 8:
        return dt.date(day.year, 8, 1), dt.date(day.year + 1, 1, 31)
    if day.month == 1:
        return dt.date(day.year - 1, 8, 1), dt.date(day.year, 1, 31)
    return dt.date(day.year, 2, 1), dt.date(day.year, 7, 31)


def required_elements(county_code: str | None = None) -> list[tuple[str, str]]:
    """(field, title) pairs of the course standard in force for ``county_code``."""
    value: Any = rule_value(REQUIRED_ELEMENTS.key, county_code)
    out = []
    for entry in value or []:
        try:
            field, title = entry[0], entry[1]
        except (IndexError, KeyError, TypeError):
            continue
        out.append((str(field), str(title)))
    return out
