"""Rule parameters of the registry (declared as data; the provincial regulator edits RuleParameter rows).

Each parameter names its policy source (RULES.md D-numbers) and evidence status. Read with
``shuangjian.common.rules.rule_value(key, county_code)``: a city or county row overrides the
province's value (Hunan's guided prices are set per 市州, D13).
"""

from shuangjian.common.rules import declare

declare(
    "institutions.review_deadline_workdays",
    "办学许可申请审核办理时限",
    20,
    "个工作日",
    "地方行政许可办理时限（未检索到湖南省统一规定，默认值待核实）",
    status="UNCERTAIN",
)
declare(
    "institutions.school_vacations",
    "中小学寒暑假日期（学科类培训禁止时段）",
    [
        ["2025-01-18", "2025-02-16"],
        ["2025-07-05", "2025-08-31"],
        ["2026-01-24", "2026-02-28"],
        ["2026-07-04", "2026-08-31"],
    ],
    "[[起始日, 结束日], …]（含首尾）",
    "D1 双减意见：不得在国家法定节假日、休息日及寒暑假期组织学科类培训；假期日期以省教育厅校历为准",
    status="FOUND (日期为默认值，按年度校历录入)",
)
declare("institutions.online_class_max_minutes", "线上培训每课时时长上限", 30, "分钟", "D1 双减意见")
declare("institutions.online_break_min_minutes", "线上培训课程间隔下限", 10, "分钟", "D1 双减意见")
declare(
    "institutions.online_latest_end",
    "线上培训结束时间不晚于",
    "21:00",
    "时:分",
    "D1 双减意见；D9 睡眠管理通知",
)
declare(
    "institutions.offline_latest_end",
    "线下培训结束时间不晚于",
    "20:30",
    "时:分",
    "D9 睡眠管理通知；D7 非学科类规范意见",
)
declare(
    "institutions.guided_price_fen",
    "学科类培训政府指导基准价（每课时每人）",
    {"SMALL": 3000, "MEDIUM": 2500, "LARGE": 2000},
    "分/课时·人次（线下45分钟、线上30分钟为标准课时）",
    "D13 湘发改价费规〔2021〕862号；默认值取邵阳市2021年线下基准价（省级金额未检索到，各市州应录入本地价格）",
    status="FOUND (secondary, 邵阳)",
)
declare(
    "institutions.guided_price_float",
    "指导价上浮幅度上限",
    0.10,
    "比例（0.10 即 10%）",
    "D13 湘发改价费规〔2021〕862号：上浮不超过10%，下浮不限",
)
declare(
    "institutions.standard_minutes_offline", "线下标准课时时长", 45, "分钟", "D6 发改价格〔2021〕1279号；D13"
)
declare(
    "institutions.standard_minutes_online", "线上标准课时时长", 30, "分钟", "D6 发改价格〔2021〕1279号；D13"
)
declare(
    "institutions.license_expiry_warning_days",
    "许可证到期预警天数",
    30,
    "天",
    "平台管理规则（本地设定）",
    status="NOT FOUND (本地参数)",
)
declare(
    "institutions.max_price_per_hour_fen",
    "培训项目每课时价格录入上限",
    1_000_000,
    "分/课时（1000000 即 1万元）",
    "平台管理规则（本地设定）：防止误录位数；学科类另受 D13 指导价约束",
    status="NOT FOUND (本地参数)",
)
