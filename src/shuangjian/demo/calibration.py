"""The published figures the demo province must reproduce, with their source.

Source: 湖南省教育厅 湘教复字〔2023〕283号 (reply to CPPCC proposal 0400), 2023-06-05, in
shared/seed/. "Last year" there is 2022.
"""

import datetime as dt

AS_OF = dt.date(2023, 6, 5)
BASELINE = dt.date(2021, 7, 24)
REPORT_YEAR = 2022

#: 线下义务教育学科类培训机构从原有的5883家减少到982家 (压减率超过83%).
OFFLINE_SUBJECT_BASELINE = 5883
OFFLINE_SUBJECT_CURRENT = 982
#: 线上义务教育学科类培训机构压减率为100% (the baseline count is not published; ours is generated).
ONLINE_SUBJECT_BASELINE = 46
ONLINE_SUBJECT_CURRENT = 0
#: 机构全流程监管比例达99.56%.
FUND_SUPERVISION_RATE = 0.9956
#: 去年……共累计处理有效违规培训投诉举报线索1329条.
VALID_VIOLATION_REPORTS_2022 = 1329
#: 及时处理教育部转的“爆雷”线索474条，“冒烟”线索11条.
FORWARDED_COLLAPSE_LEADS_2022 = 474
FORWARDED_SMOKE_LEADS_2022 = 11
#: 全省101所“芙蓉学校”全面建成投入使用.
FURONG_SCHOOLS = 101

#: Relative weight of each prefecture (resident population in millions, 7th census 2020, rounded):
#: more institutions and reports in 长沙 than in 湘西.
CITY_WEIGHTS = {
    "430100": 10.0,
    "430200": 3.9,
    "430300": 2.7,
    "430400": 6.6,
    "430500": 6.6,
    "430600": 5.1,
    "430700": 5.3,
    "430800": 1.5,
    "430900": 3.9,
    "431000": 4.7,
    "431100": 5.3,
    "431200": 4.6,
    "431300": 3.8,
    "433100": 2.5,
}
