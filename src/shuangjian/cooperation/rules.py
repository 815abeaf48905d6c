"""Rule parameters of school–enterprise cooperation (校企合作), declared with their sources.

Sources (shared/reference/vocational-stem-facts.md §2.3–2.4; RULES.md has no section for them, so the
README section 校企合作 lists them with the same FOUND / UNCERTAIN / NOT FOUND labels):
S11 职业学校学生实习管理规定 (教职成〔2021〕4号) Art. 16; S12 关于全面推行中国特色企业新型学徒制的指导意见
(人社部等, 2021); S13 职业教育法 (2022) "国家推行中国特色学徒制" and the 现代学徒制 pilots; H2 湖南 1+X
third-batch notice (2020); 国务院关于职工工作时间的规定 (1995, 8 h a day / 40 h a week: MEMORY).
The province edits every value (RuleParameter, audited); a value labelled UNCERTAIN or NOT FOUND is a
local default to be replaced by the department's own figure.
"""

from __future__ import annotations

from shuangjian.common.rules import declare

declare(
    "cooperation.review_workdays",
    "校企合作项目备案审核期限",
    15,
    "工作日",
    "本地规则：未查到国家或湖南规定的审核时限（事实表 §2.3），暂定默认值",
    "NOT FOUND",
)
declare(
    "cooperation.resubmit_workdays",
    "退回修改后重新提交期限",
    10,
    "工作日",
    "本地规则：未查到公开规定，暂定默认值",
    "NOT FOUND",
)
declare(
    "cooperation.annual_report_workdays",
    "学徒制年度报告报送期限（年度结束后）",
    20,
    "工作日",
    "本地规则：未查到公开规定，暂定默认值",
    "NOT FOUND",
)
declare(
    "cooperation.site_review_workdays",
    "1+X考核站点申请审核期限",
    20,
    "工作日",
    "H2 湖南1+X试点通知（证书与站点须向省教育厅备案）；审核时限未查到，暂定默认值",
    "NOT FOUND",
)
declare(
    "cooperation.min_workplace_age",
    "进入企业岗位培养的最低年龄",
    16,
    "周岁",
    "S11 职业学校学生实习管理规定（教职成〔2021〕4号）第十六条：不得安排未满16周岁的学生岗位实习",
    "FOUND",
)
declare(
    "cooperation.adult_age",
    "须监护人签字同意的年龄（未满）",
    18,
    "周岁",
    "S11 及深圳人社问答：未满18周岁学生签订三方协议须监护人签字同意",
    "FOUND (secondary)",
)
declare(
    "cooperation.enterprise_mentor_max_apprentices",
    "每名企业导师带徒上限",
    5,
    "人",
    "S12 要求企业导师与院校导师“双导师”，带徒比例未查到（事实表 §2.3 / §3.2），暂定默认值",
    "NOT FOUND",
)
declare(
    "cooperation.school_mentor_max_apprentices",
    "每名校内导师指导学徒上限",
    20,
    "人",
    "带徒比例未查到（事实表 §2.3），暂定默认值",
    "NOT FOUND",
)
declare(
    "cooperation.max_workplace_hours_per_day",
    "企业岗位培养每日时长上限",
    8,
    "小时",
    "事实表 §2.3：每日不超过8小时仅见于低质量页面及旧地方规定，2021年规定条文待核实",
    "UNCERTAIN",
)
declare(
    "cooperation.max_workplace_hours_per_week",
    "企业岗位培养每周时长上限",
    40,
    "小时",
    "国务院关于职工工作时间的规定（1995）每周40小时（凭记忆，未在库中核实）",
    "UNCERTAIN",
)
declare(
    "cooperation.low_placement_rate",
    "订单班录用率偏低的预警线",
    0.5,
    "比例",
    "本地规则：未查到公开标准，暂定默认值（订单企业录用人数 ÷ 毕业人数 低于此值时列为偏低）",
    "NOT FOUND",
)
