from decimal import Decimal

import pytest

from desktop_app.core.errors import UserError
from desktop_app.core.money import capital_yuan, format_yuan, parse_amount, to_fen


@pytest.mark.parametrize("typed, expected", [
    ("1234.5", "1234.50"), ("1,234.50", "1234.50"), ("１２３４.５", "1234.50"), ("3.5万", "35000.00"),
    ("¥88", "88.00"), ("100元", "100.00"), (" 0.01 ", "0.01"), ("１，２３４．５０", "1234.50"),
])
def test_parse_amount_accepts_what_people_type(typed, expected):
    assert parse_amount(typed) == Decimal(expected)


@pytest.mark.parametrize("typed, message_part", [
    ("", "请填写金额"), ("abc", "不是金额"), ("-5", "负数"), ("0", "不能为 0"), ("0.001", "精度"),
    ("10000000000.01", "超过 100 亿元"), ("1,23,4", "千位分隔符"), ("1.2.3", "不是金额"), ("2万5", "不是金额"),
    ("٣٣", "不是金额"),
])
def test_parse_amount_rejects_with_a_chinese_message(typed, message_part):
    with pytest.raises(UserError) as err:
        parse_amount(typed)
    assert message_part in err.value.message


def test_upper_bound_itself_is_accepted():
    assert parse_amount("10000000000") == Decimal("10000000000.00")


# The official examples of 会计基础工作规范 / 支付结算办法 (reference/domain-rules.md §5), in the one
# zero style the app uses everywhere.
@pytest.mark.parametrize("amount, capital", [
    ("1409.50", "壹仟肆佰零玖元伍角整"),
    ("6007.14", "陆仟零柒元壹角肆分"),
    ("1680.32", "壹仟陆佰捌拾元零叁角贰分"),
    ("107000.53", "壹拾万柒仟元零伍角叁分"),
    ("325.04", "叁佰贰拾伍元零肆分"),
    ("316000", "叁拾壹万陆仟元整"),
    ("900000", "玖拾万元整"),
    ("10", "壹拾元整"),
    ("0.5", "伍角整"),
    ("0.05", "伍分"),
    ("100000001", "壹亿零壹元整"),
    ("100001000", "壹亿零壹仟元整"),
    ("100700", "壹拾万零柒佰元整"),
])
def test_capital_numerals(amount, capital):
    assert capital_yuan(to_fen(Decimal(amount))) == capital


def test_capital_numerals_use_only_allowed_characters():
    allowed = set("零壹贰叁肆伍陆柒捌玖拾佰仟万亿元角分整")
    for fen in range(0, 2_000_000, 7919):
        assert set(capital_yuan(fen)) <= allowed


def test_format_yuan():
    assert format_yuan(123450) == "¥1,234.50"
    assert format_yuan(-500) == "-¥5.00"
