"""Checks on what users type: dates, division codes, fund names, and the one check of every typed text
(`clean_text` / `check_text`, `name_key`). Messages in Chinese."""

import re
import unicodedata
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from datetime import date

from desktop_app.core import typefaces
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
    if s[:6] == "000000" or s[:2] not in _PROVINCES:
        raise UserError(
            f"区划代码“{text}”不是真实的区划代码：前 2 位应是省级代码（如四川 51），前 6 位是所在县（市、区）的代码，"
            "不会全是 0。请在国家统计局“统计用区划代码”表中查到本单位的 12 位代码后重新填写。"
        )
    return s


# the province part of a division code (GB/T 2260): 北京 11 … 新疆 65, 台湾 71, 香港 81, 澳门 82
_PROVINCES = frozenset("11 12 13 14 15 21 22 23 31 32 33 34 35 36 37 41 42 43 44 45 46 "
                       "50 51 52 53 54 61 62 63 64 65 71 81 82".split())


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


# ------------------------------------------------------------------------------ the one text check
# Every text a user can enter — in every command and dialog — passes `clean_text` (or `check_text`, its
# value): control, bidirectional and other invisible format characters are refused with the character and
# its place named; the invisible characters that come in with text pasted from Word or a web page are
# removed, with a notice; odd-width spaces become ordinary ones, and so do the blanks that are letters to
# Unicode (Hangul fillers, the braille blank), with a notice; combining marks are refused unless they compose
# with the letter before them (e + U+0301 is stored as é); the ends are trimmed; emoji and what no
# bundled font can print are refused, with the export's own words, so a character typed today cannot stop a
# notice later (posted entries cannot be edited).

# removed with a notice: nobody sees them, Word and web pages paste them
_REMOVED = {
    "\u200b": "零宽空格", "\u200c": "零宽非连接符", "\u200d": "零宽连接符", "\u2060": "单词连接符",
    "\ufeff": "零宽不换行空格", "\u00ad": "软连字符", "\u2061": "不可见运算符", "\u2062": "不可见运算符",
    "\u2063": "不可见运算符", "\u2064": "不可见运算符", "\u180e": "蒙古文元音分隔符", "\u034f": "字形连接符",
}
_VARIATION = "变体选择符"  # U+FE00–FE0E, U+E0100–E01EF: our fonts have no variants, the base character prints
# blanks that are letters or symbols to Unicode: they look like a space (or nothing) and become an ordinary
# space, with a notice, so that “甲ㅤ基金” (U+3164) is the name “甲 基金”
_BLANKS = {"\u3164": "韩文填充符", "\u115f": "韩文填充符", "\u1160": "韩文填充符", "\uffa0": "半角韩文填充符",
           "\u2800": "盲文空白"}
# refused: they make what is shown differ from what is stored (a reversed amount or name)
_BIDI = {
    "\u202a": "从左向右嵌入", "\u202b": "从右向左嵌入", "\u202c": "方向嵌入结束", "\u202d": "从左向右覆盖",
    "\u202e": "从右向左覆盖", "\u2066": "从左向右隔离", "\u2067": "从右向左隔离", "\u2068": "方向隔离",
    "\u2069": "方向隔离结束", "\u200e": "从左向右标记", "\u200f": "从右向左标记", "\u061c": "阿拉伯文字母标记",
}
_LINE_BREAKS = frozenset("\n\r\u2028\u2029\x85\x0b\x0c")
_ODD_SPACES = frozenset(chr(c) for c in (0x1680, *range(0x2000, 0x200B), 0x202F, 0x205F))  # become " "
# Emoji: the pictograph blocks, regional indicators (flags), keycaps, tags, the emoji presentation
# selector, and the BMP characters that phones show as emoji by default (Emoji_Presentation=Yes).
_EMOJI_RANGES = ((0x1F000, 0x1F0FF), (0x1F170, 0x1F19A), (0x1F1E6, 0x1F1FF), (0x1F200, 0x1FAFF),
                 (0xE0020, 0xE007F), (0xFE0F, 0xFE0F), (0x20E3, 0x20E3))
_EMOJI_MARKS = frozenset("\ufe0f\u20e3")
_EMOJI_BMP = frozenset(chr(c) for c in (
    0x231A, 0x231B, *range(0x23E9, 0x23ED), 0x23F0, 0x23F3, 0x25FD, 0x25FE, 0x2614, 0x2615,
    *range(0x2648, 0x2654), 0x267F, 0x2693, 0x26A1, 0x26AA, 0x26AB, 0x26BD, 0x26BE, 0x26C4, 0x26C5, 0x26CE,
    0x26D4, 0x26EA, 0x26F2, 0x26F3, 0x26F5, 0x26FA, 0x26FD, 0x2705, 0x270A, 0x270B, 0x2728, 0x274C, 0x274E,
    0x2753, 0x2754, 0x2755, 0x2757, 0x2795, 0x2796, 0x2797, 0x27B0, 0x27BF, 0x2B1B, 0x2B1C, 0x2B50, 0x2B55))


def is_emoji(ch: str) -> bool:
    cp = ord(ch)
    return ch in _EMOJI_BMP or any(lo <= cp <= hi for lo, hi in _EMOJI_RANGES)


def _removable(ch: str) -> bool:
    cp = ord(ch)
    return ch in _REMOVED or 0xFE00 <= cp <= 0xFE0E or 0xE0100 <= cp <= 0xE01EF


@dataclass(frozen=True)
class Cleaned:
    """A typed text as it is stored (`value`), and the invisible characters taken out of it (`removed`, in
    order) with the notice a front end shows for them ("" when none were)."""

    value: str
    removed: tuple[str, ...] = ()
    label: str = ""

    @property
    def notice(self) -> str:
        if not self.removed:
            return ""
        names = "、".join(dict.fromkeys(_REMOVED.get(c) or (f"{_BLANKS[c]}，已换成普通空格" if c in _BLANKS else _VARIATION)
                                        for c in self.removed))
        return (f"已删去{self.label}里的 {len(self.removed)} 个不可见字符（{names}）。"
                "它们多是从 Word 或网页复制时带进来的，看不见也印不出来，删去后文字不变。")


_notices: ContextVar[list[str] | None] = ContextVar("text_notices", default=None)


@contextmanager
def text_notices() -> Iterator[list[str]]:
    """Collect the notices of every text cleaned inside the block, for a front end to show after a command:

        with text_notices() as notices:
            projects.add_fund(ws, data)
        for notice in notices: print(notice)      # “已删去基金名称里的 1 个不可见字符（零宽空格）……”

    Per thread (a context variable): wrap the call where it runs (the GUI's worker runs the lambda)."""
    token = _notices.set([])
    try:
        yield _notices.get()
    finally:
        _notices.reset(token)


def clean_text(label: str, text: str | None, limit: int, *, multiline: bool = False) -> Cleaned:
    """The one check of a typed text (see above), `label` naming the field in messages (“基金名称”).
    Newlines only where `multiline` (then \\r\\n and \\r become \\n and tabs may stay). At most `limit`
    characters once cleaned. Raises UserError naming the character and its place (1 = the first)."""
    raw = "" if text is None else str(text)
    odd = _odd_character(multiline)
    if odd is not None and odd.search(raw) is None:  # the usual case, found at C speed
        cleaned = Cleaned(raw.strip(), (), label)
    else:
        cleaned = _scan(label, raw, multiline)
    value = cleaned.value
    if len(value) > limit:
        raise UserError(f"{label}太长（{len(value)} 字）。请精简到 {limit} 字以内，详细说明可放在附件里。")
    collected = _notices.get()
    if cleaned.removed and collected is not None and cleaned.notice not in collected:
        collected.append(cleaned.notice)
    return cleaned


def check_text(label: str, text: str | None, limit: int, *, multiline: bool = False) -> str:
    """The cleaned value of `clean_text` (what every free-text field of a record stores); a notice of
    removed invisible characters goes to an enclosing `text_notices()`."""
    return clean_text(label, text, limit, multiline=multiline).value


def name_key(name: str | None) -> str:
    """How names are compared for sameness (two funds, projects, categories): NFKC (全角 ＡＢ = AB), every
    invisible or format character removed, the blank fillers (U+3164 …) read as a space, the ends trimmed.
    Never stored: names keep their typed form."""
    kept = "".join(" " if ch in _BLANKS else ch for ch in name or ""
                   if not (_removable(ch) or unicodedata.category(ch) == "Cf"))
    return unicodedata.normalize("NFKC", kept).strip()


def _scan(label: str, raw: str, multiline: bool) -> Cleaned:
    covered = typefaces.coverage()
    out: list[str] = []
    removed: list[str] = []
    missing: dict[str, int] = {}
    for pos, ch in enumerate(raw, 1):
        if ch in _LINE_BREAKS:
            if not multiline:
                raise UserError(f"{label}只能写一行：第 {pos} 个字符是换行（不可见的控制字符 U+{ord(ch):04X}）。"
                                "请删去换行，写成一行普通文字。")
            if ch in "\x0b\x0c":
                raise UserError(_control(label, pos, ch))
            if not (ch == "\r" and raw[pos:pos + 1] == "\n"):
                out.append("\n")
            continue
        if ch == "\t":
            if not multiline:
                raise UserError(f"{label}的第 {pos} 个字符是制表符（不可见的控制字符 U+0009），多是从表格里复制带进来的。"
                                "请删去它，或换成空格。")
            out.append(ch)
            continue
        if _removable(ch):
            removed.append(ch)
            continue
        if ch in _BLANKS:
            removed.append(ch)
            out.append(" ")
            continue
        if ch in _BIDI:
            raise UserError(f"{label}的第 {pos} 个字符是改变文字方向的不可见控制符 U+{ord(ch):04X}（{_BIDI[ch]}），"
                            "它会让显示出来的文字顺序和实际存下的不一样。请删去它后重新输入"
                            "（从网页或聊天软件复制时常会带进来，可先粘贴到记事本再复制）。")
        if is_emoji(ch):
            if ch in _EMOJI_MARKS:
                if not (pos > 1 and _emoji_base(raw[pos - 2])):  # 甲 + U+FE0F: the selector is the fault
                    raise UserError(_emoji_mark(label, pos, ch, raw[pos - 2] if pos > 1 else ""))
                pos, ch = pos - 1, raw[pos - 2] + ch  # ❤️, 1️⃣: the mark turns the character before it into an emoji
            raise UserError(f"不能输入表情符号：{label}的第 {pos} 个字符“{ch}”（U+{ord(ch[0]):04X}）是表情符号，"
                            "公示和报表里印不出来。请删去它，改用文字表达。")
        category = unicodedata.category(ch)
        if category in ("Cc", "Cf", "Cs"):
            raise UserError(_control(label, pos, ch))
        if category in ("Mn", "Me"):  # a combining mark: only as part of a letter it composes with (e + U+0301 = é)
            composed = unicodedata.normalize("NFC", out[-1] + ch) if out else ch
            if len(composed) != 1 or unicodedata.category(composed) in ("Mn", "Me"):
                raise UserError(_combining(label, pos, ch))
            out[-1] = composed
            if covered is not None and ord(composed) not in covered:
                missing.setdefault(composed, pos - 1)
            continue
        if ch in _ODD_SPACES:
            ch = " "
        elif covered is not None and ord(ch) not in covered:
            missing.setdefault(ch, pos)
        out.append(ch)
    if missing:
        raise UserError(typefaces.missing_glyphs(label, missing, missing)
                        + f"请把它{typefaces.GLYPH_ADVICE}。")
    return Cleaned("".join(out).strip(), tuple(removed), label)


def _emoji_base(ch: str) -> bool:
    """Whether an emoji selector or keycap after `ch` makes an emoji of it (❤️, 1️⃣), not a stray mark (甲️)."""
    return is_emoji(ch) or ch in "0123456789#*\ufe0f" or unicodedata.category(ch)[0] == "S"


def _emoji_mark(label: str, pos: int, ch: str, before: str) -> str:
    what = "变体选择符" if ch == "\ufe0f" else "组合用键帽符"
    after = f"，跟在“{before}”后面" if before else ""
    return (f"{label}的第 {pos} 个字符是不可见的{what} U+{ord(ch):04X}{after}，它会把前面的字显示成表情样式，"
            "公示和报表里印不出来。请删去这个字符后重新输入（可先粘贴到记事本再复制）。")


def _combining(label: str, pos: int, ch: str) -> str:
    return (f"{label}的第 {pos} 个字符是组合附加符号 U+{ord(ch):04X}，它不单独成字，会叠在前一个字上"
            "（如删除线、圆圈、上划线），显示和打印出来的字与存下的不一样。请删去它后重新输入"
            "（带声调的拼音请直接输入 ā、é 这样的字母）。")


def _control(label: str, pos: int, ch: str) -> str:
    cp = ord(ch)
    if unicodedata.category(ch) == "Cs":
        return (f"{label}的第 {pos} 个字符无法识别（U+{cp:04X}，文字编码有误，可能来自非 UTF-8 的脚本或文件）。"
                "请删去它后重新输入。")
    kind = "格式字符" if unicodedata.category(ch) == "Cf" else "控制字符"
    return f"{label}的第 {pos} 个字符是不可见的{kind} U+{cp:04X}。请删去它后重新输入（可先粘贴到记事本再复制）。"


_odd: dict[bool, re.Pattern] = {}


def _odd_character(multiline: bool) -> re.Pattern | None:
    """A pattern finding any character that does not pass unchanged — one no bundled face prints, or one
    of a class above (None when the fonts cannot be read: then every text takes the slow path, which skips
    the font check). Built once from the fonts' coverage: a few hundred runs."""
    if multiline not in _odd:
        covered = typefaces.coverage()
        if covered is None:
            return None
        plain: list[tuple[int, int]] = []
        for first, last in covered.ranges:
            start = None
            for cp in range(first, last + 2):
                ok = cp <= last and (0x3400 <= cp <= 0x9FFF or 0x20000 <= cp <= 0x3FFFF or _passes(chr(cp)))
                if ok and start is None:
                    start = cp
                elif not ok and start is not None:
                    plain.append((start, cp - 1))
                    start = None
        for lines, extra in ((False, ()), (True, ((9, 10),))):
            runs = typefaces.merge((*plain, *extra))
            _odd[lines] = re.compile("[^" + "".join(f"\\U{first:08x}-\\U{last:08x}" for first, last in runs) + "]")
    return _odd[multiline]


def _passes(ch: str) -> bool:
    return not (ch in _LINE_BREAKS or ch in _ODD_SPACES or ch == "\t" or _removable(ch) or ch in _BIDI
                or ch in _BLANKS or is_emoji(ch)
                or unicodedata.category(ch) in ("Cc", "Cf", "Cs", "Zl", "Zp", "Mn", "Me"))


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
