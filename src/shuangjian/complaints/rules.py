"""Rule parameters of the reports area (declared once; values editable as RuleParameter rows).

No national or Hunan rule fixing the time limits for handling 双减 reports was found (RULES.md
§9 "Hunan 随手拍: NOT FOUND"; §14). Every limit below is therefore local policy with a clearly
labelled default, stored as rule data so the provincial regulator (or a city/county row) can set it.
"""

from shuangjian.common.rules import declare

_LOCAL = "本地政策参数（RULES.md §9、§14：未找到全国或湖南省统一的办理时限），默认值可由省级监管调整"

declare("complaints.ack_working_days", "投诉举报签收时限", 2, "工作日", _LOCAL, "NOT FOUND")
declare("complaints.complete_working_days", "投诉举报办结时限", 15, "工作日", _LOCAL, "NOT FOUND")
declare(
    "complaints.urgent_ack_working_days",
    "爆雷/冒烟线索签收时限",
    0,
    "工作日（0＝受理当日）",
    _LOCAL,
    "NOT FOUND",
)
declare("complaints.urgent_complete_working_days", "爆雷/冒烟线索办结时限", 5, "工作日", _LOCAL, "NOT FOUND")
declare(
    "complaints.escalate_province_after_working_days",
    "逾期升级至省级督办",
    5,
    "逾期工作日（逾期即升级至市级）",
    _LOCAL,
    "NOT FOUND",
)
declare(
    "complaints.duplicate_window_days",
    "重复举报合并时间窗",
    30,
    "自然日",
    "本地政策参数：同一机构、同一类型在时间窗内的举报并入首件办理",
    "NOT FOUND",
)
declare(
    "complaints.duplicate_text_similarity",
    "重复举报文本相似度阈值",
    0.9,
    "0–1（difflib 相似度）",
    "本地政策参数：同一区县内内容几乎相同的举报并入首件办理",
    "NOT FOUND",
)
declare(
    "complaints.challenge_after_submissions",
    "公众举报验证题触发次数",
    2,
    "同一客户端每小时提交次数（达到后需答题）",
    "平台防滥用设置",
    "NOT FOUND",
)
