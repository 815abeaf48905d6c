"""Input checks of the enforcement area: date bounds and the resident ID number (居民身份证号码).

Dates of cases and inspections (立案/决定/结案/检查日期) lie between 2000-01-01 and today
(Asia/Shanghai); campaigns (专项整治) may be planned ahead, at most ``CAMPAIGN_DAYS_AHEAD`` days.
"""

from __future__ import annotations

from shuangjian.common.validation import EARLIEST_DATE, IdNumberError, date_bound_error, id_number_normalize

CAMPAIGN_DAYS_AHEAD = 366

# The checks themselves are the shared ones (common/validation.py); this area shows "<label>：…".
__all__ = ["CAMPAIGN_DAYS_AHEAD", "EARLIEST_DATE", "IdNumberError", "date_bound_error", "id_number_normalize"]
