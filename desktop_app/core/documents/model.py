"""An A4 document as plain data: the blocks a builder assembles and the PDF writer lays out.

No reportlab, no database here, so a document can be shown, edited, compared and hashed before it is
printed. Every text in it is printed as it is: a builder applies its own rules (privacy, wording)
before anything reaches these blocks.

What the writer needs beyond the blocks is carried as plain data by the document itself (see
`Printable`): the noun it is called by in messages, the subject and keywords of the PDF's Info
dictionary, and an optional box with a code and its QR code printed after the last block. `Document`
is the plain form; a builder may bring its own class with the same attributes.

A block whose wording a person may edit carries a stable `key` (the builder decides the keys and what
an edit may change); a block without a key is printed as the builder made it.
"""

from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Protocol


@dataclass(frozen=True)
class Heading:
    text: str  # "一、项目信息", "青花镇立信社区慈善试点情况"
    level: int = 1  # 1: 一、二、三 sections; 2: a part of a section or a sub-heading
    key: str = field(default="", compare=False)  # set when the wording may be edited (see the module doc)


@dataclass(frozen=True)
class Field:
    label: str  # "项目名称"
    text: str  # printed after "label："
    key: str = field(default="", compare=False)  # set when the text may be edited


@dataclass(frozen=True)
class Paragraph:
    text: str
    key: str = field(default="", compare=False)  # set for an editable prose paragraph


@dataclass(frozen=True)
class Item:
    """A numbered item: "（一）" + a lead sentence (printed in the heading face) + the body."""

    number: str  # "（一）"
    lead: str
    body: str = ""
    key: str = field(default="", compare=False)  # set when lead and body may be edited


@dataclass(frozen=True)
class Column:
    title: str
    width: float  # relative width
    align: str = "left"  # left | right | center


@dataclass(frozen=True)
class Table:
    """Figures from the data: never editable (no key), they must match the records they come from. A row of
    empty cells is printed tall enough to write in (a box of a form to fill in)."""

    columns: tuple[Column, ...]
    rows: tuple[tuple[str, ...], ...]
    totals: tuple[tuple[str, ...], ...] = ()  # rows printed in the heading face at the end
    caption: str = ""  # printed above the table
    header: bool = True  # False: the column titles are not printed (a layout grid, e.g. a form's options)
    lines: str = "grid"  # grid | none | below (a rule under each row: with empty rows, lines to write on)


@dataclass(frozen=True)
class Photo:
    path: Path  # the display copy (long edge ≤ 1600 px)
    caption: str


@dataclass(frozen=True)
class PhotoGrid:
    """Not editable in the document: the photos and their captions come from the gallery."""

    photos: tuple[Photo, ...]  # laid out two per row, the caption under each "（青花试点工作讨论会）"


@dataclass(frozen=True)
class BarChart:
    """Horizontal bars, one per label, first at the top, drawn as vector graphics (figures, not editable)."""

    labels: tuple[str, ...]  # "亲子教育"
    values: tuple[float, ...]
    value_labels: tuple[str, ...] = ()  # printed at each bar's end ("62.0%"); none when empty
    maximum: float = 0  # where the value axis ends (100 for percents); 0: from the values
    unit: str = ""  # after each value-axis number ("%")
    caption: str = ""  # printed above the chart


@dataclass(frozen=True)
class SignOff:
    names: tuple[str, ...]  # "万源市慈善会", the office …, right-aligned
    written_on: date  # printed 2025年1月5日
    seal_space: bool = True


Block = Heading | Field | Paragraph | Item | Table | PhotoGrid | BarChart | SignOff


@dataclass(frozen=True)
class CodeBox:
    """A framed box after the last block: a QR code beside "label：code" and a note in small print (e.g.
    how to check the document by its code). The QR code encodes `qr`, by default the code itself (a
    published notice's also carries the chain heads it witnesses: `storage.heads.qr_text`)."""

    label: str  # "核验码"
    code: str  # printed after the label (and encoded in the QR code unless `qr` says otherwise)
    note: str  # the small print beside the QR code
    qr: str = ""  # what the QR code encodes when not just the code

    @property
    def qr_payload(self) -> str:
        return self.qr or self.code


class Printable(Protocol):
    """What the PDF writer reads of a document."""

    title_lines: list[str]
    blocks: list[Block]

    @property
    def noun(self) -> str:
        """What messages call the document ("公示", "报告")."""
        ...

    @property
    def subject(self) -> str:
        """The PDF's Info subject; the title when empty."""
        ...

    @property
    def keywords(self) -> str:
        """The PDF's Info keywords (written uncompressed: a code put here can be found in the raw bytes)."""
        ...

    @property
    def code_box(self) -> CodeBox | None:
        ...

    def texts(self) -> list[str]:
        ...


@dataclass
class Document:
    """A document with everything the writer reads as plain fields."""

    title_lines: list[str]
    blocks: list[Block] = field(default_factory=list)
    noun: str = "文档"
    subject: str = ""
    keywords: str = ""
    code_box: CodeBox | None = None
    # set in 五号 type with tighter spacing (a form to fill in, not a GB/T 9704 document); the writer reads
    # it with getattr, so other Printables need not carry it
    compact: bool = False
    # where the person corrects a character the fonts lack (the glyph check's advice; "" for 草稿里)
    fix_place: str = ""

    def texts(self) -> list[str]:
        """Every printed string, in order (for the glyph check and for hashing)."""
        box = [self.code_box.label, self.code_box.code, self.code_box.note] if self.code_box else []
        return [t for t in (*block_texts(self.title_lines, self.blocks), *box) if t]


def block_texts(title_lines: list[str], blocks: list[Block]) -> list[str]:
    """The title lines and every string the blocks print, in order (empty ones included)."""
    out = list(title_lines)
    for block in blocks:
        match block:
            case Heading(text=t) | Paragraph(text=t):
                out.append(t)
            case Field(label=label, text=t):
                out += [label, t]
            case Item(number=n, lead=lead, body=body):
                out += [n, lead, body]
            case Table(columns=cols, rows=rows, totals=totals, caption=caption, header=header):
                out += [caption, *(c.title for c in cols if header)]
                out += [cell for row in (*rows, *totals) for cell in row]
            case PhotoGrid(photos=photos):
                out += [p.caption for p in photos]
            case BarChart(labels=labels, value_labels=values, caption=caption):
                out += [caption, *labels, *values]
            case SignOff(names=names, written_on=day):
                out += [*names, chinese_date(day)]
    return out


def chinese_date(day: date) -> str:
    """2025年1月5日 (no leading zeros, as official documents write it)."""
    return f"{day.year}年{day.month}月{day.day}日"
