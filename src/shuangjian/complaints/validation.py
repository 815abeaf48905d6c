"""Date bounds of the reports area (受理时间, 处置日期).

Nothing in the reports area can predate 2000-01-01 (the platform's earliest plausible record; the
double-reduction policy itself dates from 2021) or lie after today (Asia/Shanghai).
"""

from __future__ import annotations

from shuangjian.common.validation import EARLIEST_DATE, date_bound_error

__all__ = ["EARLIEST_DATE", "date_bound_error"]
