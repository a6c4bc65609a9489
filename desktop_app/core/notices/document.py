"""A public notice as plain data: what the builders assemble from the workspace and the PDF writer
lays out. No reportlab, no database here, so a draft can be shown, edited, compared and hashed.

Every text in a NoticeDocument is already public: privacy rules (masking, 爱心人士, no private phones)
are applied by the builders before anything reaches this structure.
"""

from dataclasses import dataclass, field
from datetime import date
from pathlib import Path


@dataclass(frozen=True)
class Heading:
    text: str  # "一、项目信息", "青花镇立信社区慈善试点情况"
    level: int = 1  # 1: 一、二、三 sections; 2: a site's part or a sub-heading


@dataclass(frozen=True)
class Field:
    label: str  # "项目名称"
    text: str  # printed after "label："


@dataclass(frozen=True)
class Paragraph:
    text: str


@dataclass(frozen=True)
class Item:
    """A numbered item of 项目效果: "（一）" + a lead sentence (printed in the heading face) + the body."""

    number: str  # "（一）"
    lead: str
    body: str = ""


@dataclass(frozen=True)
class Column:
    title: str
    width: float  # relative width
    align: str = "left"  # left | right | center


@dataclass(frozen=True)
class Table:
    columns: tuple[Column, ...]
    rows: tuple[tuple[str, ...], ...]
    totals: tuple[tuple[str, ...], ...] = ()  # rows printed in the heading face at the end
    caption: str = ""  # printed above the table


@dataclass(frozen=True)
class Photo:
    path: Path  # the display copy (long edge ≤ 1600 px)
    caption: str


@dataclass(frozen=True)
class PhotoGrid:
    photos: tuple[Photo, ...]  # laid out two per row, the caption under each "（青花试点工作讨论会）"


@dataclass(frozen=True)
class SignOff:
    names: tuple[str, ...]  # "万源市慈善会", the office …, right-aligned
    written_on: date  # printed 2025年1月5日
    seal_space: bool = True


Block = Heading | Field | Paragraph | Item | Table | PhotoGrid | SignOff


@dataclass(frozen=True)
class MaskedName:
    """Shown in the builder: what a name became in the notice and why."""

    original: str
    shown: str
    reason: str  # "未记录公开同意" / "个人姓名，按规定打码" / "匿名捐赠"


@dataclass
class NoticeDocument:
    template: str  # fund-usage | progress | donations | correction
    title_lines: list[str]  # ["四川省慈善事业高质量发展试点工作", "2024年经费使用情况公示"]
    blocks: list[Block] = field(default_factory=list)
    verification_code: str = ""  # printed with its QR code at the end; empty in a draft preview
    masked: list[MaskedName] = field(default_factory=list)

    def texts(self) -> list[str]:
        """Every printed string, in order (for the glyph check and for hashing)."""
        out = list(self.title_lines)
        for block in self.blocks:
            match block:
                case Heading(text=t) | Paragraph(text=t):
                    out.append(t)
                case Field(label=label, text=t):
                    out += [label, t]
                case Item(number=n, lead=lead, body=body):
                    out += [n, lead, body]
                case Table(columns=cols, rows=rows, totals=totals, caption=caption):
                    out += [caption, *(c.title for c in cols)]
                    out += [cell for row in (*rows, *totals) for cell in row]
                case PhotoGrid(photos=photos):
                    out += [p.caption for p in photos]
                case SignOff(names=names, written_on=day):
                    out += [*names, chinese_date(day)]
        if self.verification_code:
            out.append(self.verification_code)
        return [t for t in out if t]


def chinese_date(day: date) -> str:
    """2025年1月5日 (no leading zeros, as official documents write it)."""
    return f"{day.year}年{day.month}月{day.day}日"
