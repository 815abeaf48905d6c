"""专业大类 of a major code (职业教育专业目录 2021, 教职成〔2021〕2号; facts file §2.2).

The catalogue numbers the same 19 大类 in three code families: 中职 61–79, 高职专科 41–59,
职业本科 21–39 (the first two digits; the 高职专科 numbering is the reference one). Charts by
专业大类 group a programme's major across levels by the 高职专科 number.
"""

from __future__ import annotations

import re

#: 高职专科 大类 number → name (2021 catalogue; the same 19 大类 for every level).
MAJOR_CATEGORIES: dict[int, str] = {
    41: "农林牧渔",
    42: "资源环境与安全",
    43: "能源动力与材料",
    44: "土木建筑",
    45: "水利",
    46: "装备制造",
    47: "生物与化工",
    48: "轻工纺织",
    49: "食品药品与粮食",
    50: "交通运输",
    51: "电子与信息",
    52: "医药卫生",
    53: "财经商贸",
    54: "旅游",
    55: "文化艺术",
    56: "新闻传播",
    57: "教育与体育",
    58: "公安与司法",
    59: "公共管理与服务",
}

MAJOR_CODE_RE = re.compile(r"^\d{6}K?$")


def major_category(code: str) -> tuple[int, str] | None:
    """(高职专科 大类 number 41–59, name) for a major code of any level; None for an unknown prefix.

    ``"710204"`` (中职) → (51, "电子与信息"); ``"510204"`` → (51, …); ``"310201"`` (职业本科) → (51, …).
    """
    if not code or len(code) < 2 or not code[:2].isdigit():
        return None
    prefix = int(code[:2])
    for offset in (0, -20, 20):
        number = prefix + offset
        if prefix + offset in MAJOR_CATEGORIES and (
            (offset == 0 and 41 <= prefix <= 59)
            or (offset == -20 and 61 <= prefix <= 79)
            or (offset == 20 and 21 <= prefix <= 39)
        ):
            return number, MAJOR_CATEGORIES[number]
    return None


def major_category_name(code: str) -> str:
    """The 大类 name of ``code`` or "未知大类"."""
    found = major_category(code)
    return found[1] if found else "未知大类"
