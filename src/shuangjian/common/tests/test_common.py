import datetime as dt

import pytest

from shuangjian.common.codes import CreditCodeError, credit_code_make, credit_code_normalize
from shuangjian.common.importing import parse_date, parse_datetime, parse_yes_no, read_table
from shuangjian.common.text import fen_to_yuan_text, mask_phone, round_half_up, yuan_to_fen
from shuangjian.common.workdays import WorkdayCalendar


def test_credit_code_valid_wrong_and_full_width():
    # A published code of a real public body (check character verified by hand).
    assert credit_code_normalize("91350100M000100Y43") == "91350100M000100Y43"
    with pytest.raises(CreditCodeError) as err:
        credit_code_normalize("91350100M000100Y44")
    assert "校验位错误" in str(err.value) and "“3”" in str(err.value)
    full_width = "９１３５０１００Ｍ０００１００Ｙ４３"
    assert credit_code_normalize(full_width) == "91350100M000100Y43"
    with pytest.raises(CreditCodeError, match="18位"):
        credit_code_normalize("123")
    with pytest.raises(CreditCodeError, match="无效字符"):
        credit_code_normalize("9135010OM000100Y43")
    assert credit_code_normalize(credit_code_make("52430102MJ0000001"))


def test_money_helpers():
    assert yuan_to_fen("1,234.5") == 123450
    assert yuan_to_fen("１２.３４") == 1234
    with pytest.raises(ValueError, match="两位小数"):
        yuan_to_fen("1.234")
    with pytest.raises(ValueError):
        yuan_to_fen("abc")
    assert yuan_to_fen("¥1,000,000.00") == 100_000_000 and yuan_to_fen("25元") == 2500
    # An exponent or a comma out of place is refused, not guessed: "1,00" is 1.00 in some locales.
    for bad in ("1e3", "1,00", "10,0000", "1.000,50", "nan", "Infinity", "12 34"):
        with pytest.raises(ValueError, match="不是有效金额"):
            yuan_to_fen(bad)
    assert fen_to_yuan_text(123450) == "¥1,234.50"
    assert round_half_up(5, 2) == 3 and round_half_up(7, 3) == 2 and round_half_up(200000 * 1, 3) == 66667
    assert mask_phone("13812341234") == "138****1234"


def test_dates_in_every_accepted_form():
    expected = dt.date(2023, 6, 5)
    for value in (
        "2023-06-05",
        "2023/6/5",
        "2023年6月5日",
        "２０２３－０６－０５",
        45082,
        dt.datetime(2023, 6, 5, 9),
    ):
        assert parse_date(value) == expected, value
    with pytest.raises(ValueError, match="不是有效日期"):
        parse_date("2023-02-30")
    stamp = parse_datetime("2023/6/5 14:30")
    assert stamp.hour == 14 and str(stamp.tzinfo) == "Asia/Shanghai"
    assert parse_yes_no("是") is True and parse_yes_no("") is None
    with pytest.raises(ValueError):
        parse_yes_no("也许")


def test_csv_encodings(tmp_path):
    text = "机构名称,区县代码\n星光培训,430102\n"
    for encoding in ("utf-8", "utf-8-sig", "gbk"):
        path = tmp_path / f"f-{encoding}.csv"
        path.write_bytes(text.encode(encoding))
        assert read_table(path)[1] == ["星光培训", "430102"]


@pytest.mark.django_db
def test_working_days_with_holiday_and_adjusted_day():
    calendar = WorkdayCalendar()
    # 2023-09-29 .. 10-06 National Day holiday; Saturday 2023-10-07 and Sunday 10-08 were working days.
    assert not calendar.is_working_day(dt.date(2023, 10, 2))
    assert calendar.is_working_day(dt.date(2023, 10, 7))
    assert calendar.add_working_days(dt.date(2023, 9, 28), 1) == dt.date(2023, 10, 7)
    assert calendar.add_working_days(dt.date(2023, 9, 28), 3) == dt.date(2023, 10, 9)
    assert calendar.warnings == []


@pytest.mark.django_db
def test_unknown_year_falls_back_to_weekends_with_a_warning_and_overrides_win():
    from shuangjian.common.models import CalendarDay

    calendar = WorkdayCalendar()
    assert calendar.add_working_days(dt.date(2031, 1, 2), 2) == dt.date(2031, 1, 6)  # Thu → Mon
    assert calendar.warnings and "2031" in calendar.warnings[0]
    CalendarDay.objects.create(date=dt.date(2031, 1, 3), is_working_day=False, name="元旦")
    entered = WorkdayCalendar()
    assert entered.add_working_days(dt.date(2031, 1, 2), 2) == dt.date(2031, 1, 7)
    assert entered.warnings == []


@pytest.mark.django_db
def test_rule_values_most_specific_region_wins():
    from shuangjian.common.models import RuleParameter
    from shuangjian.common.rules import declare, rule_value

    declare("test.limit", "测试上限", 60, "课时", "D2")
    assert rule_value("test.limit", "430102") == 60
    RuleParameter.objects.create(key="test.limit", region_id="430000", value=50)
    RuleParameter.objects.create(key="test.limit", region_id="430100", value=40)
    assert rule_value("test.limit", "430102") == 40
    assert rule_value("test.limit", "430405") == 50
    assert rule_value("test.limit") == 60
