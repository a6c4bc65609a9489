"""Money: integer fen in storage, Decimal in code, never float.

`parse_amount` accepts what people type (1234.5, 1,234.50, full-width １２３４.５, 3.5万, ¥100元) and
rejects sub-fen precision, zero, negatives and nonsense with a message that says how to fix it.
"""

import re
import unicodedata
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

FEN = Decimal("0.01")
MAX_AMOUNT = Decimal("10000000000")  # ¥10,000,000,000: far beyond any community fund; catches typos

# [0-9], not \d: \d also matches Arabic-Indic and other digits that NFKC leaves alone
_GROUPED = re.compile(r"^[0-9]{1,3}(,[0-9]{3})+(\.[0-9]*)?$")
_PLAIN = re.compile(r"^[0-9]+(\.[0-9]*)?$|^\.[0-9]+$")


def parse_amount(text: str | None, *, allow_zero: bool = False) -> Decimal:
    """Parse a typed amount in yuan into a Decimal with two places."""
    from desktop_app.core.errors import UserError

    raw = (text or "").strip()
    if not raw:
        raise UserError("请填写金额，例如 1234.50 或 3.5万。")
    s = unicodedata.normalize("NFKC", raw).replace(" ", "").replace("，", ",").replace("。", ".")
    if s.startswith(("¥", "￥")):
        s = s[1:]
    if s.startswith("人民币"):
        s = s[3:]
    if s.endswith("元"):
        s = s[:-1]
    if s.startswith(("-", "−")):
        try:  # "-0" and "-0.00" are zero, not negative
            zero = parse_amount(s[1:], allow_zero=True) == 0
        except UserError:
            zero = False
        if not zero:
            raise UserError(f"金额“{raw}”是负数。请填写正数；要更正已记账的分录，请用“红字冲销”。")
        s = s[1:]
    multiplier = Decimal(1)
    if s.endswith("万"):
        multiplier, s = Decimal(10000), s[:-1]
    elif s.endswith("亿"):
        multiplier, s = Decimal(100000000), s[:-1]
    if "," in s:
        if not _GROUPED.match(s):
            raise UserError(f"金额“{raw}”的千位分隔符位置不对。请写成 1,234.50 或去掉逗号写成 1234.50。")
        s = s.replace(",", "")
    if not _PLAIN.match(s):
        raise UserError(f"“{raw}”不是金额。请只填数字，例如 1234.50、1,234.50 或 3.5万。")
    try:
        value = Decimal(s) * multiplier
    except InvalidOperation:
        raise UserError(f"“{raw}”不是金额。请只填数字，例如 1234.50。") from None
    if value != value.quantize(FEN):
        raise UserError(f"金额“{raw}”超出了“分”的精度。金额最多保留两位小数（到分）。")
    if value == 0 and not allow_zero:
        raise UserError(f"金额必须大于 0，不能为 0（填的是“{raw}”）。请填写实际收到或支出的金额。")
    if value > MAX_AMOUNT:
        raise UserError(f"金额“{raw}”超过 100 亿元，不像真实金额。请检查是否多输了位数。")
    return value.quantize(FEN)


def to_fen(amount: Decimal) -> int:
    """Decimal yuan → integer fen (exact; the amount is already quantised to fen)."""
    return int((amount * 100).to_integral_value(rounding=ROUND_HALF_UP))


def from_fen(fen: int) -> Decimal:
    return (Decimal(fen) / 100).quantize(FEN)


def format_yuan(fen: int, *, symbol: bool = True) -> str:
    """12345 → '¥123.45'; grouped thousands; negatives as '-¥5.00'."""
    amount = from_fen(abs(fen))
    text = f"{amount:,.2f}"
    sign = "-" if fen < 0 else ""
    return f"{sign}¥{text}" if symbol else f"{sign}{text}"


def fen_to_str(fen: int) -> str:
    """For JSON: amounts are strings like "1234.50"."""
    return str(from_fen(fen))


_DIGITS = "零壹贰叁肆伍陆柒捌玖"
_SMALL_UNITS = ["", "拾", "佰", "仟"]
_GROUP_UNITS = ["", "万", "亿", "万亿"]


def _four_digits(n: int) -> str:
    """0 < n < 10000 without leading 零; inner zero runs collapse to one 零; trailing zeros dropped."""
    out, pending_zero, started = [], False, False
    for pos in range(3, -1, -1):
        d = (n // 10**pos) % 10
        if d == 0:
            pending_zero = started
            continue
        if pending_zero:
            out.append("零")
            pending_zero = False
        out.append(_DIGITS[d] + _SMALL_UNITS[pos])
        started = True
    return "".join(out)


def capital_yuan(fen: int, *, prefix: str = "") -> str:
    """Amount in capital numerals (大写金额) following 会计基础工作规范 第52条.

    Style chosen once for the whole app: leading 壹拾; 零 after 元 when the 元 digit is zero and
    角 follows; 整 after 元 and after 角; never after 分. ¥1,680.32 → 壹仟陆佰捌拾元零叁角贰分.
    """
    if fen < 0:
        return prefix + "负" + capital_yuan(-fen)
    yuan, cents = divmod(fen, 100)
    jiao, fen_digit = divmod(cents, 10)
    parts: list[str] = []
    if yuan:
        groups = []
        rest = yuan
        while rest:
            groups.append(rest % 10000)
            rest //= 10000
        previous_nonzero = False
        previous_was_zero = False
        for index in range(len(groups) - 1, -1, -1):
            group = groups[index]
            if group == 0:
                previous_was_zero = previous_nonzero
                continue
            if previous_nonzero and (group < 1000 or previous_was_zero):
                parts.append("零")
            parts.append(_four_digits(group) + _GROUP_UNITS[index])
            previous_nonzero, previous_was_zero = True, False
        parts.append("元")
    if jiao == 0 and fen_digit == 0:
        return prefix + ("".join(parts) + "整" if yuan else "零元整")
    if jiao:
        if yuan and yuan % 10 == 0:
            parts.append("零")
        parts.append(_DIGITS[jiao] + "角")
        parts.append(_DIGITS[fen_digit] + "分" if fen_digit else "整")
    else:
        if yuan:
            parts.append("零")
        parts.append(_DIGITS[fen_digit] + "分")
    return prefix + "".join(parts)
