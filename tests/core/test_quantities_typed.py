"""Quantities and volunteer hours are typed like amounts (`core/money.parse_amount`): digits, one decimal point,
thousands grouped by commas — not whatever Python's Decimal accepts ("1e3", "1_000")."""

from decimal import Decimal

import pytest

from desktop_app.core.errors import UserError
from desktop_app.core.money import parse_amount
from desktop_app.core.quantities import parse_hours, parse_quantity


@pytest.mark.parametrize("typed", ["1e3", "1E3", "1E+3", "2.5e2", "1e-3", "１ｅ３", "1_000", "0x10", "+5", "5-"])
def test_quantities_refuse_what_amounts_refuse(typed):
    with pytest.raises(UserError) as amount:
        parse_amount(typed)
    assert "不是金额" in amount.value.message
    with pytest.raises(UserError) as quantity:
        parse_quantity(typed)
    assert quantity.value.message.startswith(f"数量“{typed}”不是数字。请只填数字，例如 200、2.5 或 1,000")


def test_exponent_notation_is_named():
    with pytest.raises(UserError, match="不能用 1e3 这样的科学计数法"):
        parse_quantity("1E+3")


@pytest.mark.parametrize(("typed", "value"), [
    ("200", Decimal(200)), ("２００", Decimal(200)), ("2.5", Decimal("2.5")), ("1,000", Decimal(1000)),
    ("1,000,000.125", Decimal("1000000.125")), (" 3 ", Decimal(3)), (".5", Decimal("0.5")), ("2。5", Decimal("2.5")),
    ("１，０００", Decimal(1000)),
])
def test_ordinary_quantities_still_parse(typed, value):
    assert parse_quantity(typed) == value


@pytest.mark.parametrize(("typed", "message"), [
    ("2,5", "数量“2,5”的千位分隔符位置不对"), ("1,0000", "千位分隔符位置不对"),
    ("-5", "数量必须大于 0（填了 -5）"), ("−5", "数量必须大于 0"), ("-0", "数量必须大于 0"), ("", "请填写数量"),
    ("NaN", "不是数字"), ("inf", "不是数字"), ("abc", "不是数字"), ("1.0005", "最多保留三位小数"),
])
def test_bad_quantities_keep_their_messages(typed, message):
    with pytest.raises(UserError, match=message):
        parse_quantity(typed)


def test_a_huge_decimal_quantity_is_written_out():
    with pytest.raises(UserError) as err:
        parse_quantity(Decimal("1E+9"))
    assert "数量 1000000000 太大了" in err.value.message


@pytest.mark.parametrize("typed", ["1e2", "7.5E0", "1_0"])
def test_hours_refuse_exponents_too(typed):
    with pytest.raises(UserError) as err:
        parse_hours(typed)
    assert err.value.message.startswith(f"志愿服务时长“{typed}”不是数字")


def test_hours_still_parse():
    assert [parse_hours(v) for v in ("7.5", "７.５小时", "", "1,200", "0")] == [
        Decimal("7.5"), Decimal("7.5"), Decimal(0), Decimal(1200), Decimal(0)]
