"""Checks on what users type: dates, division codes, fund names. Messages in Chinese."""

import re
import unicodedata
from dataclasses import dataclass
from datetime import date

from desktop_app.core.errors import UserError

MIN_YEAR, MAX_YEAR = 1990, 2099  # outside: a typo (0024, 20240), not a community-fund record
_DATE = re.compile(r"^(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?$")


def parse_date(text: str | None, *, what: str = "日期") -> date:
    raw = (text or "").strip()
    if not raw:
        raise UserError(f"请填写{what}，格式为 YYYY-MM-DD，例如 2024-05-01。")
    s = unicodedata.normalize("NFKC", raw)
    m = _DATE.match(s)
    if not m:
        raise UserError(f"{what}“{raw}”的格式不对。请写成 YYYY-MM-DD，例如 2024-05-01。")
    y, mo, d = (int(g) for g in m.groups())
    try:
        day = date(y, mo, d)
    except ValueError:
        raise UserError(f"{what}“{raw}”不存在（例如 2 月没有 30 日）。请检查年月日。") from None
    if not MIN_YEAR <= y <= MAX_YEAR:
        raise UserError(f"{what}“{raw}”的年份不像真实日期（应在 {MIN_YEAR}—{MAX_YEAR} 年之间）。请检查年份。")
    return day


def parse_month(text: str) -> str:
    s = unicodedata.normalize("NFKC", (text or "").strip())
    m = re.match(r"^(\d{4})[-/.年](\d{1,2})月?$", s)
    if not m or not 1 <= int(m.group(2)) <= 12:
        raise UserError(f"月份“{text}”的格式不对。请写成 YYYY-MM，例如 2024-05。")
    return f"{int(m.group(1)):04d}-{int(m.group(2)):02d}"


def check_division_code(text: str | None) -> str:
    """12-digit statistical division code (统计用区划代码): 6 county + 3 township + 3 village digits."""
    s = unicodedata.normalize("NFKC", (text or "").strip())
    if not re.fullmatch(r"\d{12}", s):
        raise UserError(
            f"区划代码“{text or ''}”应为 12 位数字（统计用区划代码：县 6 位 + 乡镇 3 位 + 村 3 位）。"
            "可在国家统计局“统计用区划代码”表中查到；乡镇的末 3 位为 000。"
        )
    return s


def division_level(code: str) -> str:
    """'乡镇/街道' when the village part is 000, else '村/社区'."""
    return "乡镇/街道" if code.endswith("000") else "村/社区"


@dataclass(frozen=True)
class NameCheck:
    ok: bool
    explanation: str


def check_fund_name(name: str, association: str = "") -> NameCheck:
    """Naming convention of seed 003: 'XX组织 + XX乡镇(街道) + XX(字号) 社区基金' or
    'XX组织 + XX社区 + XX(字号) 基金'. A mismatch is explained, never blocked."""
    name = (name or "").strip()
    problems = []
    if not name.endswith("基金"):
        problems.append("名称应以“社区基金”或“基金”结尾")
    if association and not name.startswith(association):
        problems.append(f"名称通常以设立它的慈善组织全称“{association}”开头")
    if not re.search(r"(乡|镇|街道|社区|村)", name):
        problems.append("名称中应含所在乡镇（街道）或社区（村）的名称")
    if problems:
        return NameCheck(
            False,
            "与命名规范不完全一致：" + "；".join(problems)
            + "。规范写法如“万源市慈善会八台镇尚善社区基金”。可以继续使用，但建议与慈善会确认。",
        )
    return NameCheck(True, "名称符合“组织 + 乡镇(街道)/社区 + 字号 + 基金”的命名规范。")


def check_text(label: str, text: str | None, limit: int, *, multiline: bool = False) -> str:
    """Trimmed text within `limit` characters and free of control characters (newlines only where
    `multiline`): what every free-text field of a record obeys."""
    value = (text or "").strip()
    if len(value) > limit:
        raise UserError(f"{label}太长（{len(value)} 字）。请精简到 {limit} 字以内，详细说明可放在附件里。")
    allowed = "\n\r\t" if multiline else ""
    if any(ord(c) < 32 and c not in allowed for c in text or ""):
        raise UserError(f"{label}里有换行或不可见的控制字符。请写成一行普通文字。" if not multiline
                        else f"{label}里有不可见的控制字符。请删去后重新粘贴。")
    return value


def parse_count(value, what: str, *, maximum: int = 1_000_000) -> int:
    """A head count as people type it ("150", "１５０", 150): a whole number from 0 to `maximum`."""
    if isinstance(value, bool):
        raise UserError(f"{what}应填写整数。")
    if isinstance(value, int):
        number = value
    else:
        raw = unicodedata.normalize("NFKC", str(value if value is not None else "")).strip().replace(",", "")
        raw = raw.removesuffix("人").removesuffix("名").strip()
        if raw == "":
            return 0
        if not re.fullmatch(r"[+-]?\d+", raw):
            raise UserError(f"{what}“{value}”不是整数。请填写 0 或正整数，例如 150。")
        number = int(raw)
    if number < 0:
        raise UserError(f"{what}不能是负数（填了 {number}）。请填写 0 或正整数。")
    if number > maximum:
        raise UserError(f"{what} {number} 太大了，不像真实数字（上限 {maximum}）。请检查是否多打了零。")
    return number
