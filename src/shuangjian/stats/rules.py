"""Rule data of the statistics area."""

from shuangjian.common.rules import declare

declare(
    "stats.weekly_first_week",
    "每周专报第1期所在周（ISO 周）",
    "2023-W03",
    "ISO 周",
    "湘教复字〔2023〕283号：截至2023年6月5日已编印每周专报21期（由此推算第1期为2023年第3周）",
    "FOUND (derived)",
)
