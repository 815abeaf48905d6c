"""Classification of training items (分类鉴别), after the national guide D3 (RULES.md §4).

An item is judged on four dimensions — purpose (目的), content (内容), method (方式) and evaluation
(评价) — against the features of subject training, and weighed against the features of sports,
arts and science/technology training (the non-subject families). Text is segmented with jieba
(every lexicon term is added to its dictionary so compounds such as 体育中考 stay one token and
"文化学习" never reads as 化学). Clauses under a negation (不涉及考试、不留作业) are ignored.
Preschool items teaching a foreign language, pinyin, characters or arithmetic are subject training
whatever they are called (D1, RULES.md §3).

:func:`classify` returns :class:`Classification` (category, disguised flag, Chinese reasons,
dimension scores). ``disguised`` is true when the institution declared 非学科类 but the content reads
as subject training (隐形变异学科类培训).
"""

from __future__ import annotations

import logging
import re
import threading
from dataclasses import dataclass, field

from shuangjian.common.text import nfkc

from .choices import Category

#: Content of subject training: subject → terms (D3 "content": 道德与法治、语文、历史、地理、数学、外语、物理、化学、生物).
SUBJECT_CONTENT: dict[str, tuple[str, ...]] = {
    "语文": (
        "语文",
        "作文",
        "写作",
        "阅读理解",
        "文言文",
        "古诗文",
        "古诗词",
        "拼音",
        "识字",
        "生字",
        "组词",
        "病句",
        "现代文",
        "生字词",
        "诗词鉴赏",
        "汉语拼音",
        "字词",
    ),
    "数学": (
        "数学",
        "奥数",
        "口算",
        "速算",
        "心算",
        "计算",
        "应用题",
        "几何",
        "函数",
        "二次函数",
        "一次函数",
        "方程",
        "数论",
        "鸡兔同笼",
        "行程问题",
        "工程问题",
        "加减法",
        "加减",
        "乘法口诀",
        "分数",
        "竖式",
        "导数",
        "数列",
        "压轴题",
        "巧算",
        "珠心算",
        "算术",
        "运算",
        "数数",
        "三角形",
    ),
    "外语": (
        "英语",
        "英文",
        "单词",
        "语法",
        "自然拼读",
        "字母",
        "新概念",
        "日语",
        "俄语",
        "外教",
        "剑桥",
        "yle",
        "五十音图",
        "双语",
        "句型",
        "音标",
        "时态",
        "书面表达",
        "读后续写",
    ),
    "物理": ("物理", "力学", "电学", "电磁学", "压强", "浮力", "电磁感应"),
    "化学": ("化学", "化学方程式", "有机化学"),
    "生物": ("生物", "遗传学", "细胞生物学"),
    "历史": ("历史",),
    "地理": ("地理", "自然地理"),
    "道德与法治": ("道德与法治", "政治", "思想品德"),
    "学科（综合）": ("学科", "课本", "教材", "知识点", "考点", "各科", "语数英", "语数外", "五科", "学业"),
}
FOREIGN_LANGUAGE = "外语"
#: Purpose: raising scores, exams, progression (D3 "purpose").
PURPOSE = (
    "提分",
    "成绩",
    "分数",
    "考试",
    "中考",
    "高考",
    "小升初",
    "升学",
    "冲刺",
    "备考",
    "培优",
    "拔高",
    "择校",
    "得分",
    "满分",
    "竞赛",
    "杯赛",
    "自主招生",
    "期末",
    "期中",
    "月考",
    "会考",
    "学业水平考试",
    "结业考试",
    "卷面分",
    "高分",
    "提高成绩",
    "一等奖",
    "联赛",
)
#: Method: explain knowledge, drill, preview → teach → consolidate (D3 "method").
METHOD = (
    "预习",
    "复习",
    "巩固",
    "精讲",
    "讲解",
    "刷题",
    "真题",
    "习题",
    "练习题",
    "作业",
    "错题",
    "题型",
    "答题",
    "解题",
    "模板",
    "押题",
    "听写",
    "默写",
    "背诵",
    "提前学习",
    "超前",
    "同步",
    "批改",
    "讲评",
    "专题",
    "精练",
    "专练",
    "总复习",
    "课后练习",
    "讲授",
    "辅导",
    "练习",
)
#: Evaluation: screening by grades and exam results (D3 "evaluation").
EVALUATION = ("测试", "测评", "模拟考试", "模拟卷", "排名", "分班", "单元测试", "检测", "模考", "人机对话")
#: Non-subject families (D3; RULES.md §4 sample list): sports, arts, science & technology, other activities.
NON_SUBJECT: dict[str, tuple[str, ...]] = {
    "体育": (
        "体育",
        "篮球",
        "足球",
        "排球",
        "游泳",
        "跆拳道",
        "武术",
        "击剑",
        "轮滑",
        "羽毛球",
        "乒乓球",
        "网球",
        "滑雪",
        "马术",
        "高尔夫",
        "攀岩",
        "跳绳",
        "田径",
        "体能",
        "瑜伽",
        "感统",
        "感觉统合",
        "体育中考",
        "中考体育",
        "球类",
        "耐力跑",
        "体育舞蹈",
        "拉丁舞",
        "特长生",
        "蛙泳",
        "运球",
        "平衡木",
    ),
    "艺术": (
        "美术",
        "绘画",
        "素描",
        "水彩",
        "色彩",
        "速写",
        "舞蹈",
        "中国舞",
        "芭蕾",
        "街舞",
        "钢琴",
        "小提琴",
        "古筝",
        "二胡",
        "尤克里里",
        "架子鼓",
        "声乐",
        "合唱",
        "戏剧",
        "表演",
        "京剧",
        "花鼓戏",
        "书法",
        "硬笔书法",
        "软笔书法",
        "毛笔",
        "临帖",
        "练字",
        "笔画",
        "书写",
        "剪纸",
        "陶艺",
        "湘绣",
        "版画",
        "动漫",
        "摄影",
        "播音",
        "主持",
        "朗诵",
        "口才",
        "演讲",
        "辩论",
        "模特",
        "魔术",
        "乐器",
        "乐理",
        "音乐",
        "律动",
        "奥尔夫",
        "艺考",
        "考级",
        "儿童画",
        "手工",
        "折纸",
        "黏土",
        "拼贴",
        "非遗",
        "影视",
        "绘本",
        "故事",
        "童话",
    ),
    "科技": (
        "编程",
        "scratch",
        "python",
        "c++",
        "机器人",
        "乐高",
        "积木",
        "3d打印",
        "无人机",
        "航模",
        "人工智能",
        "科创",
        "创客",
        "steam",
        "开源硬件",
        "激光切割",
        "传感器",
        "天文",
        "望远镜",
        "科普",
        "实验",
        "探究",
        "动手",
        "数学建模",
        "程序设计",
        "信息学",
        "水火箭",
        "火箭",
        "电路",
        "磁铁",
        "科学",
    ),
    "棋类益智": (
        "围棋",
        "象棋",
        "国际象棋",
        "五子棋",
        "桥牌",
        "魔方",
        "数独",
        "华容道",
        "桌游",
        "棋盘",
        "对弈",
        "益智",
        "逻辑狗",
        "教具",
        "扑克",
        "游戏",
    ),
    "综合实践": (
        "研学",
        "游学",
        "营地",
        "拓展",
        "徒步",
        "露营",
        "定向越野",
        "劳动",
        "种植",
        "烹饪",
        "烘焙",
        "木工",
        "茶艺",
        "心理",
        "情绪管理",
        "安全教育",
        "消防",
        "财商",
        "商业模拟",
        "路演",
        "国学",
        "礼仪",
        "汉服",
        "电竞",
        "考察",
        "采访",
        "看护",
        "读书会",
        "专注力",
        "记忆宫殿",
    ),
}
PRESCHOOL_FORBIDDEN = (
    "英语",
    "英文",
    "单词",
    "字母",
    "自然拼读",
    "拼音",
    "汉语拼音",
    "识字",
    "加减法",
    "加减",
    "算术",
    "运算",
    "数学",
    "竖式",
    "应用题",
    "日语",
    "外教",
    "双语",
)
NEGATION = re.compile(r"(不涉及|不进行|不讲|不留|不布置|无书面|没有|不含|不以|不做)[^，。；、,;.]*")

_jieba_lock = threading.Lock()
_tokenizer = None


def _all_terms() -> set[str]:
    terms: set[str] = set(PURPOSE) | set(METHOD) | set(EVALUATION) | set(PRESCHOOL_FORBIDDEN)
    for group in (SUBJECT_CONTENT, NON_SUBJECT):
        for words in group.values():
            terms.update(words)
    return terms


def _get_tokenizer():
    """A jieba Tokenizer with every lexicon term added (built once per process)."""
    global _tokenizer
    with _jieba_lock:
        if _tokenizer is None:
            import jieba

            jieba.setLogLevel(logging.WARNING)
            tokenizer = jieba.Tokenizer()
            for term in sorted(_all_terms(), key=len):
                tokenizer.add_word(term, freq=max(2000, 600 * len(term)))
            _tokenizer = tokenizer
    return _tokenizer


def tokens(text: str) -> list[str]:
    """jieba tokens of NFKC-normalised, lower-cased ``text`` with negated clauses removed."""
    text = NEGATION.sub("", nfkc(text).lower())
    # Search mode also yields the parts of jieba's own dictionary compounds (初中英语 → 初中, 英语).
    return [t for t in _get_tokenizer().lcut_for_search(text, HMM=False) if t.strip()]


@dataclass
class Classification:
    """Verdict on one training item: ``category`` (Category value), ``disguised``, Chinese
    ``reasons`` (one per dimension that counted), ``scores`` (subject vs non-subject weight)."""

    category: str
    disguised: bool
    reasons: list[str] = field(default_factory=list)
    scores: dict[str, float] = field(default_factory=dict)


def _hits(name_tokens: set[str], body_tokens: set[str], words) -> dict[str, int]:
    """term → weight (2 when in the item's name, 1 in its description) for the terms present."""
    out: dict[str, int] = {}
    for word in words:
        if word in name_tokens:
            out[word] = 2
        elif word in body_tokens:
            out[word] = 1
    return out


def _is_preschool(audience: str) -> bool:
    text = nfkc(audience)
    return any(k in text for k in ("学龄前", "学前", "幼儿", "3-6岁", "3—6岁", "幼儿园"))


def _declared(value: str) -> str:
    text = nfkc(value)
    if text in ("非学科类", Category.NON_SUBJECT, "非学科"):
        return Category.NON_SUBJECT
    if text in ("学科类", Category.SUBJECT, "学科"):
        return Category.SUBJECT
    return ""


def classify(name: str, description: str = "", *, audience: str = "", declared: str = "") -> Classification:
    """Decide SUBJECT or NON_SUBJECT for a training item (D3) and give the reasons in Chinese.

    ``audience`` is the 适用对象 text (学龄前 / 小学 / 初中 …), ``declared`` the category the
    institution filed (学科类 / 非学科类 or the Category value). Weights: subject content 2 per term
    (+3 for a foreign language, learnt by listening/speaking/reading/writing drills), purpose 1.5,
    method 1, evaluation 1.5; non-subject features 2.5 per term; a term in the item's name counts
    double. Subject content decides when its weight exceeds the non-subject weight; without subject
    content, purpose + method + evaluation ≥ 3 with no non-subject feature also reads as subject
    training (各科作业辅导).
    """
    name_tokens = set(tokens(name))
    body_tokens = set(tokens(description))
    all_tokens = name_tokens | body_tokens
    reasons: list[str] = []

    content_by_subject = {
        subject: _hits(name_tokens, body_tokens, words) for subject, words in SUBJECT_CONTENT.items()
    }
    content_by_subject = {s: h for s, h in content_by_subject.items() if h}
    content_weight = sum(sum(h.values()) for h in content_by_subject.values())
    purpose = _hits(name_tokens, body_tokens, PURPOSE)
    method = _hits(name_tokens, body_tokens, METHOD)
    evaluation = _hits(name_tokens, body_tokens, EVALUATION)
    non_subject = {fam: _hits(name_tokens, body_tokens, words) for fam, words in NON_SUBJECT.items()}
    non_subject = {f: h for f, h in non_subject.items() if h}
    ns_weight = 2.5 * sum(sum(h.values()) for h in non_subject.values())

    subject_weight = 2.0 * content_weight + 1.5 * sum(purpose.values()) + 1.0 * sum(method.values())
    subject_weight += 1.5 * sum(evaluation.values())
    if FOREIGN_LANGUAGE in content_by_subject:
        subject_weight += 3.0

    preschool_terms = (
        sorted(t for t in PRESCHOOL_FORBIDDEN if t in all_tokens) if _is_preschool(audience) else []
    )
    if preschool_terms:
        category = Category.SUBJECT
        reasons.append(
            "对象为学龄前儿童，内容含"
            + "、".join(preschool_terms)
            + "：面向学龄前儿童的外语、拼音、识字、算术等培训按学科类认定（D1）"
        )
    elif content_by_subject:
        category = Category.SUBJECT if subject_weight > ns_weight else Category.NON_SUBJECT
    else:
        core = sum(purpose.values()) + sum(method.values()) + sum(evaluation.values())
        category = Category.SUBJECT if core >= 3 and not non_subject else Category.NON_SUBJECT

    if content_by_subject:
        parts = [f"{s}（{'、'.join(sorted(h))}）" for s, h in content_by_subject.items()]
        reasons.append("内容：涉及学科知识 " + "；".join(parts))
    if purpose:
        reasons.append("目的：以提高成绩、考试或升学为导向（" + "、".join(sorted(purpose)) + "）")
    if method:
        reasons.append("方式：学科知识讲授与练习（" + "、".join(sorted(method)) + "）")
    if evaluation:
        reasons.append("评价：以测试、排名等结果为评价标准（" + "、".join(sorted(evaluation)) + "）")
    if non_subject:
        parts = [f"{f}（{'、'.join(sorted(h))}）" for f, h in non_subject.items()]
        reasons.append("非学科类特征：" + "；".join(parts))
    if not reasons:
        reasons.append("未发现学科类培训特征")
    verdict = "学科类" if category == Category.SUBJECT else "非学科类"
    reasons.insert(0, f"鉴别结论：{verdict}（学科特征权重 {subject_weight:g}，非学科特征权重 {ns_weight:g}）")
    disguised = _declared(declared) == Category.NON_SUBJECT and category == Category.SUBJECT
    if disguised:
        reasons.append("申报为非学科类，但内容属学科类培训：疑似隐形变异学科类培训")
    return Classification(
        category=str(category),
        disguised=disguised,
        reasons=reasons,
        scores={"subject": subject_weight, "non_subject": ns_weight},
    )
