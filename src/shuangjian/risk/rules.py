"""Rule data of the risk early warning (风险预警): signal weights and thresholds, levels, deadlines.

RULES.md §8: no public source gives risk-warning indicators or thresholds (what counts as 冒烟);
every value below is LOCAL POLICY designed for this platform, editable by the provincial regulator
(RuleParameter rows), and labelled as such on every rule.
"""

from __future__ import annotations

from shuangjian.common.rules import declare

LOCAL = "本地规则（RULES.md §8：无公开指标，自行设计）"
STATUS = "NOT FOUND"  # no public indicator exists; the values are our own design


def _d(key: str, title: str, default, unit: str) -> None:
    declare(f"risk.{key}", title, default, unit, LOCAL, status=STATUS)


# --- signals: weight (points of the 0–100 score at full severity) and thresholds ----------------
_d("coverage.weight", "风险信号权重：托管资金覆盖率不足", 25, "分")
_d("coverage.threshold", "托管资金覆盖率预警阈值（托管余额÷未消课预收费）", 0.9, "比例")
_d("coverage.floor", "托管资金覆盖率满额计分下限", 0.5, "比例")
_d("coverage.min_liability_fen", "计算覆盖率的最低未消课预收费", 100_000, "分")

_d("outside.weight", "风险信号权重：托管外收费（违规收费举报、查实案件）", 20, "分")
_d("outside.threshold", "托管外收费证据阈值（90日内举报数＋2×案件数）", 1, "件")
_d("outside.full", "托管外收费满额计分证据数", 3, "件")

_d("over_limit.weight", "风险信号权重：超限预收费", 5, "分")
_d("over_limit.threshold", "超限预收费预警阈值（90日内违规预收费笔数）", 2, "笔")

_d("consumption.weight", "风险信号权重：消课下降而预收费持续", 25, "分")
_d("consumption.drop_threshold", "消课下降预警阈值（近30日消课÷前90日月均）", 0.75, "比例")
_d("consumption.pay_threshold", "预收费持续阈值（近30日缴费÷前90日月均）", 0.6, "比例")
_d("consumption.min_base_hours", "计算消课变化的最低月均课时", 20, "课时")
# issue 19 item 6: a healthy institution whose prepaid hours are used up gives fewer lessons because none
# are owed; the sign is lessons not given while they are still owed (backtest: 0.05–0.07 precision)
_d("consumption.min_owed_months", "消课下降预警须未消课预收费不少于前期月均缴费的倍数", 0.5, "月")

_d("refund.weight", "风险信号权重：退费申请上升", 20, "分")
_d("refund.ratio_threshold", "退费上升预警阈值（近30日÷前90日月均）", 2.0, "倍")
_d("refund.z_threshold", "退费上升须超出随机波动的标准差倍数（泊松近似）", 3.0, "倍标准差")
_d("refund.min_count", "退费上升预警最低笔数（近30日）", 3, "笔")

_d("smoke.weight", "风险信号权重：冒烟举报", 20, "分")
_d("smoke.full", "冒烟举报满额计分件数（90日内）", 3, "件")
_d("collapse.weight", "风险信号权重：爆雷举报", 45, "分")

_d("violations.weight", "风险信号权重：未整改违规记录", 10, "分")
_d("violations.threshold", "未整改违规记录预警阈值", 2, "条")
_d("violations.full", "未整改违规记录满额计分条数", 6, "条")

_d("licence.weight", "风险信号权重：办学许可状态异常", 20, "分")

_d("sites.weight", "风险信号权重：办学场所关停", 20, "分")
_d("sites.share_threshold", "场所关停预警阈值（90日内关停÷原有场所）", 0.3, "比例")

# issue 19 item 6: signs seen before public collapses (README "Collapse accounts behind the signals")
_d("staff.weight", "风险信号权重：从业人员集中离职", 20, "分")
_d("staff.share_threshold", "从业人员流失预警阈值（60日或180日内离职减新增÷期初人数）", 0.3, "比例")
_d("staff.min_count", "从业人员流失预警最低净减人数（60日或180日内）", 3, "人")
_d("schedule.weight", "风险信号权重：后续排课骤减", 20, "分")
_d("schedule.ratio_threshold", "排课骤减预警阈值（未来28日已排课÷近28日上课，相对同类）", 0.4, "比例")
_d("schedule.min_held", "计算排课变化的最低近28日上课节数", 8, "节")
_d("package.weight", "风险信号权重：单笔预收费骤增（大额课包促销）", 20, "分")
_d("package.ratio_threshold", "单笔预收费骤增预警阈值（近30日笔均÷前90日笔均，相对同类）", 1.3, "倍")
_d("package.min_contracts", "单笔预收费骤增预警最低新合同数（近30日）", 4, "笔")
_d("registry.weight", "风险信号权重：登记事项变更（更名、退出资金监管、迁址）", 15, "分")

_d("combination.bonus", "多类信号相互印证的加成（每增加一类）", 0.3, "比例")

# --- levels: minimum score of each level (红 ≥ 橙 ≥ 黄 ≥ 蓝) --------------------------------------
# orange 34 (was 30) and the combination bonus 0.3 (was 0.25) were chosen with the four new signals'
# weights on backtest seeds 1 and 2 (benchmarks/risk_backtest.py; seed 3 kept unseen), README figures;
# kept in the second round (tuned on seeds 1–3, seed 4 unseen), which changed only the staff window and
# consumption.min_owed_months
_d("level.red", "红色预警最低风险分", 50, "分")
_d("level.orange", "橙色预警最低风险分", 34, "分")
_d("level.yellow", "黄色预警最低风险分", 20, "分")
_d("level.blue", "蓝色预警最低风险分", 10, "分")

# --- tasks: handling deadline per level and escalation ---------------------------------------------
_d("task.deadline.red", "红色预警处置期限", 2, "工作日")
_d("task.deadline.orange", "橙色预警处置期限", 5, "工作日")
_d("task.deadline.yellow", "黄色预警处置期限", 10, "工作日")
_d("task.deadline.blue", "蓝色预警处置期限", 20, "工作日")
_d("task.escalate_province_after", "逾期后升级至省级的工作日数", 5, "工作日")
_d("task.quiet_days", "预警解除后同级不再重复预警的天数", 30, "天")
