"""Generated names (never real people's): institutions, schools."""

import random

PREFIXES = [
    "启航",
    "博雅",
    "星辰",
    "明德",
    "致远",
    "弘毅",
    "卓越",
    "睿思",
    "乐学",
    "新苗",
    "青禾",
    "书香",
    "晨曦",
    "知行",
    "慧泉",
    "优才",
    "翰林",
    "求是",
    "朝阳",
    "远航",
    "蓝天",
    "育才",
    "金桥",
    "阳光",
    "鸿志",
    "橙果",
    "麓山",
    "湘江",
    "芙蓉",
    "岳麓",
    "云帆",
    "竹韵",
    "墨香",
    "童画",
    "跃动",
    "小树",
    "七彩",
    "思源",
    "嘉禾",
]
SUBJECT_KINDS = ["文化培训学校", "课外辅导中心", "学科培训学校", "教育培训学校", "辅导学校"]
NON_SUBJECT_KINDS = [
    "艺术培训学校",
    "美术培训中心",
    "舞蹈培训学校",
    "体育培训中心",
    "编程培训中心",
    "机器人培训中心",
    "围棋培训学校",
    "书法培训学校",
    "音乐培训学校",
    "篮球培训中心",
    "科技培训中心",
    "口才培训学校",
]


def institution_name(rng: random.Random, county_name: str, *, subject: bool) -> str:
    """A plausible, generated name: "{区县}{字号}{类型}" (names may repeat; the credit code is the key)."""
    kinds = SUBJECT_KINDS if subject else NON_SUBJECT_KINDS
    short = county_name[:-1] if len(county_name) > 2 else county_name
    return f"{short}{rng.choice(PREFIXES)}{rng.choice(PREFIXES)}{rng.choice(kinds)}"
