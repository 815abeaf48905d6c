"""Rule data of co-governance (协同治理): deadlines and the admission goals against 掐尖.

Sources: the seed document 湘教复字〔2023〕283号 (2023-06-05, "seed" below) for the two admission goals;
no public source gives the deadlines, so they are labelled local defaults (UNCERTAIN) that the
provincial regulator may change per region.
"""

from shuangjian.common.rules import declare

SEED = "湘教复字〔2023〕283号（2023-06-05）"

declare(
    "governance.supervisor_task_working_days",
    "社会监督员督查任务办理期限",
    10,
    "工作日",
    "本地默认值：未找到公开规定（RULES.md 无此条）",
    "UNCERTAIN",
)
declare(
    "governance.supervisor_term_years",
    "社会监督员聘期",
    2,
    "年",
    "本地默认值：选聘文件未公开聘期（RULES.md 无此条）",
    "UNCERTAIN",
)
declare(
    "governance.coordination_task_working_days",
    "协调小组交办任务办理期限",
    15,
    "工作日",
    "本地默认值：未找到公开规定",
    "UNCERTAIN",
)
declare(
    "governance.rectification_working_days",
    "督查整改期限",
    20,
    "工作日",
    "本地默认值：未找到公开规定",
    "UNCERTAIN",
)
declare(
    "admissions.quota_share_min",
    "优质普通高中指标生分配比例下限",
    0.5,
    "比例",
    f"{SEED}：“2022年继续扩大优质普通高中指标生分配比例达50%”",
)
declare(
    "admissions.quota_admission_ratio_min",
    "指标生整体录取比例下限",
    0.85,
    "比例",
    f"{SEED}：“整体录取比例不低于85%”（按指标生录取数÷指标生分配数理解，口径待核实）",
    "UNCERTAIN",
)
