"""Rule parameters of the custody ledger (declared as data; sources are RULES.md D-numbers).

Read with ``rule_value(key, county_code)``; the provincial regulator edits them as
``common.RuleParameter`` rows (a county or city row overrides the province's).
"""

from shuangjian.common.rules import declare

MAX_HOURS = declare(
    "funds.prepaid.max_hours",
    "一次性预收费课时上限",
    60,
    "课时",
    "RULES.md §1.2：单次收费不得超过60课时（D2 各地实施细则：广州穗教规字〔2021〕8号、海南、江苏）",
    "FOUND",
)
MAX_MONTHS = declare(
    "funds.prepaid.max_months",
    "一次性预收费时间跨度上限",
    3,
    "个月",
    "RULES.md §1.2：单次收费时间跨度不得超过3个月（D2 各地实施细则）",
    "FOUND",
)
MAX_FEN_NON_SUBJECT = declare(
    "funds.prepaid.max_fen_non_subject",
    "非学科类一次性预收费金额上限",
    500_000,
    "分",
    "RULES.md §1.3：非学科类单次收费不超过5000元（D7 教育部等十三部门，2022年12月）",
    "FOUND",
)
MAX_FEN_SUBJECT = declare(
    "funds.prepaid.max_fen_subject",
    "学科类一次性预收费金额上限（默认不启用）",
    None,
    "分",
    "RULES.md §1.3：学科类是否适用5000元上限在全国层面无可靠来源；默认不启用，省级可设定",
    "UNCERTAIN",
)
AUTO_CONFIRM_DAYS = declare(
    "funds.release.auto_confirm_working_days",
    "家长未确认课时自动确认（工作日）",
    15,
    "工作日",
    "RULES.md §1.5：家长15个工作日未确认视为确认（全国校外培训家长端，D12）",
    "FOUND (secondary)",
)
AUTO_REFUND_DAYS = declare(
    "funds.refund.auto_approve_working_days",
    "机构未答复退费申请自动同意（工作日）",
    5,
    "工作日",
    "RULES.md §1.5：机构5个工作日未答复视为同意退费（全国校外培训家长端，D12）",
    "FOUND (secondary)",
)

RULES_BY_KEY = {
    spec.key: spec
    for spec in (
        MAX_HOURS,
        MAX_MONTHS,
        MAX_FEN_NON_SUBJECT,
        MAX_FEN_SUBJECT,
        AUTO_CONFIRM_DAYS,
        AUTO_REFUND_DAYS,
    )
}
