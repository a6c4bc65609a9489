"""Quantities people type and read: goods in thousandths of a unit, volunteer time in minutes shown as hours.
Stored as integers, handled as Decimal, never float."""

import re
import unicodedata
from decimal import Decimal, InvalidOperation

from desktop_app.core.errors import UserError

MAX_QUANTITY = Decimal(100_000_000)

# What money accepts (core/money.py), and no more: digits, one decimal point, thousands grouped by commas.
# Not what Decimal() accepts: "1e3", "1E+3", "1_000", "0x10"-like forms are not numbers people write down.
# [0-9], not \d: \d also matches Arabic-Indic and other digits that NFKC leaves alone.
_GROUPED = re.compile(r"^[0-9]{1,3}(,[0-9]{3})+(\.[0-9]*)?$")
_PLAIN = re.compile(r"^[0-9]+(\.[0-9]*)?$|^\.[0-9]+$")


def _typed_number(value, raw: str, not_a_number: str, commas: str) -> Decimal | None:
    """`raw` (already NFKC, stripped) as a Decimal, the sign kept; None when empty. Refuses what money
    refuses: exponents (1e3), underscores, misplaced thousands separators."""
    s = raw.replace(" ", "").replace("，", ",").replace("。", ".")
    if not s:
        return None
    sign = 1
    if s[0] in "-−":
        sign, s = -1, s[1:]
    if "," in s:
        if not _GROUPED.match(s):
            raise UserError(commas)
        s = s.replace(",", "")
    if not _PLAIN.match(s):
        hint = "（不能用 1e3 这样的科学计数法）" if "e" in s.lower() and any(c.isdigit() for c in s) else ""
        raise UserError(not_a_number.removesuffix("。") + hint + "。")
    try:
        return Decimal(s) * sign
    except InvalidOperation:
        raise UserError(not_a_number) from None


def parse_quantity(value) -> Decimal:
    """A quantity as typed ("200", "２００", "2.5"): positive, at most three decimals."""
    if isinstance(value, Decimal):
        quantity = value
    else:
        raw = unicodedata.normalize("NFKC", str(value if value is not None else "")).strip()
        typed = _typed_number(value, raw, f"数量“{value}”不是数字。请只填数字，例如 200、2.5 或 1,000。",
                              f"数量“{value}”的千位分隔符位置不对。请写成 1,000 或去掉逗号写成 1000。")
        if typed is None:
            raise UserError("请填写数量，例如 200。")
        quantity = typed
    if not quantity.is_finite():  # NaN, Infinity: not a number at all
        raise UserError(f"数量“{value}”不是数字。请只填数字，例如 200、2.5 或 1,000。")
    if quantity <= 0:
        raise UserError(f"数量必须大于 0（填了 {value}）。请填写正数。")
    if quantity > MAX_QUANTITY:
        raise UserError(f"数量 {quantity:f} 太大了，不像真实数字。请检查是否多打了零。")
    if quantity != quantity.quantize(Decimal("0.001")):
        raise UserError(f"数量“{value}”最多保留三位小数。请改用更小的单位，或四舍五入。")
    return quantity


def quantity_of(milli: int) -> Decimal:
    return (Decimal(milli) / 1000).normalize() if milli % 1000 else Decimal(milli // 1000)


MAX_HOURS = Decimal(100_000)


def parse_hours(value) -> Decimal:
    """Volunteer hours as typed ("120", "7.5", "７.５小时"): at most two decimals, whole minutes."""
    if isinstance(value, Decimal):
        hours = value
    else:
        raw = unicodedata.normalize("NFKC", str(value or "")).strip().removesuffix("小时").strip()
        typed = _typed_number(value, raw, f"志愿服务时长“{value}”不是数字。请填写小时数，例如 7.5。",
                              f"志愿服务时长“{value}”的千位分隔符位置不对。请去掉逗号，例如写成 1200。")
        if typed is None:
            return Decimal(0)
        hours = typed
    if not hours.is_finite():  # NaN, Infinity: not a number, not a negative one
        raise UserError(f"志愿服务时长“{value}”不是数字。请填写小时数，例如 7.5。")
    if hours < 0:
        raise UserError("志愿服务时长不能是负数。请填写 0 或正数的小时数。")
    if hours > MAX_HOURS:
        raise UserError(f"志愿服务时长 {hours:f} 小时太大了，不像真实数字。请检查是否多打了零。")
    if (hours * 60) != (hours * 60).to_integral_value():
        raise UserError(f"志愿服务时长“{value}”太细了。请按整分钟填写，例如 7.5 或 1.25 小时。")
    return hours


def hours_from_minutes(minutes: int) -> Decimal:
    """Stored minutes as the hours people type: 450 → 7.5, 600 → 10 (never 1E+1), 20 → 0.33."""
    hours = (Decimal(minutes) / 60).quantize(Decimal("0.01"))
    return hours.to_integral_value() if hours == hours.to_integral_value() else hours.normalize()


def hours_text(minutes: int) -> str:
    return f"{hours_from_minutes(minutes):f}"
