"""How a notice writes things: amounts in 万元 and in capitals, months and periods, the Chinese numerals of
its sections and items, quantities, sentences, percentages; and the numbered sections, sub-headings and
tables every part of a notice is made of."""

from datetime import date
from decimal import Decimal

from desktop_app.core.documents.model import Column, Heading, Table, chinese_date
from desktop_app.core.money import capital_yuan, format_yuan
from desktop_app.core.quantities import quantity_of

NUMERALS = "一二三四五六七八九十"


def wan_yuan(fen: int) -> str:
    """An amount the way notices write it: 90万元, 31.6万元, 0.5万元 — exact. An amount with 角/分 would
    need six decimals in 万, so it is written in 元 instead: 1,234.56元."""
    if fen % 100:
        return format_yuan(fen, symbol=False) + "元"
    wan = (Decimal(fen) / 1_000_000).normalize()
    return f"{wan:f}万元"


def capital_text(fen: int) -> str:
    """An amount in capitals, as notices print it: 人民币壹仟元整."""
    return capital_yuan(fen, prefix="人民币")


def money_text(fen: int) -> str:
    """An amount in figures and in capitals: ¥1,000.00（人民币壹仟元整）."""
    return f"{format_yuan(fen)}（{capital_text(fen)}）"


def month_text(day: date) -> str:
    """2024年3月."""
    return f"{day.year}年{day.month}月"


def period_text(a: date, b: date) -> str:
    """2024年1月1日至2024年12月31日."""
    return f"{chinese_date(a)}至{chinese_date(b)}"


def chinese_numeral(index: int) -> str:
    """1 → 一, 10 → 十, 11 → 十一, 21 → 二十一 (enough for sections and items)."""
    if index <= 10:
        return NUMERALS[index - 1]
    tens, ones = divmod(index, 10)
    return ("" if tens == 1 else NUMERALS[tens - 1]) + "十" + (NUMERALS[ones - 1] if ones else "")


def quantity_text(milli: int, unit: str) -> str:
    """A stored quantity (thousandths) with its unit, without trailing zeros: 10.5袋."""
    return f"{quantity_of(milli).normalize():f}{unit}"


def as_sentence(text: str) -> str:
    """The text ending in one 。 (whatever punctuation it ended with); "" stays ""."""
    text = text.strip().rstrip("。.；;，,")
    return text + "。" if text else ""


def percent_text(part: int, whole: int) -> str:
    """`part` as a share of `whole` to one decimal (12.5%); — when there is no whole."""
    if not whole:
        return "—"
    value = (Decimal(part) * 100 / Decimal(whole)).quantize(Decimal("0.1"))
    return f"{value}%"


class Sections:
    """Numbers the 一、二、三 sections as they are added (a part without content is left out)."""

    def __init__(self, blocks: list):
        self.blocks = blocks
        self.count = 0

    def add(self, title: str) -> None:
        self.count += 1
        self.blocks.append(Heading(f"{chinese_numeral(self.count)}、{title}"))


def sub_heading(sub: list[int], text: str) -> Heading:
    """（一）text, （二）text … within a section: `sub` is the section's counter, shared by its parts."""
    sub[0] += 1
    return Heading(f"（{chinese_numeral(sub[0])}）{text}", level=2)


def make_table(columns: list[tuple[str, float, str]], rows, totals=(), caption: str = "") -> Table:
    """A Table from (title, width in cm, alignment) columns and rows of texts."""
    return Table(tuple(Column(t, w, al) for t, w, al in columns), tuple(tuple(r) for r in rows),
                 tuple(tuple(r) for r in totals), caption)
