"""A public notice as plain data: what the builders assemble from the workspace and the PDF writer
lays out. No reportlab, no database here, so a draft can be shown, edited, compared and hashed.

Every text in a NoticeDocument is already public: privacy rules (masking, 爱心人士, no private phones)
are applied by the builders before anything reaches this structure.

Editing a draft (the wording, never the figures). The builder gives every block whose wording a person
may change a stable `key`, the same on every rebuild of the same data:

- "heading:site:<site id>" (or "heading:site:project" for 项目整体) — a site's part of 项目效果/本期进展;
- "field:<label>" — the prose fields: 项目主要内容和绩效目标, 项目完成情况 (which must keep the ledger's
  拨付 figure: the builder restores it), 意见反馈;
- "item:<activity id>" — a numbered item of 项目效果, with two parts, "lead" and "body";
- "para:<name>" — a prose paragraph (e.g. "para:no-activities").

Everything else has no key and cannot be edited: the section headings and their numbering, the project's
facts (名称、周期、资金额度、负责人、联系方式, changed in the project itself), every table (their cells come
from the ledger and must match it), every money figure and the paragraphs that state them, the photos
and their captions (edited in the gallery), 公示期/监督电话 (options of the request) and the sign-off.

An edit is `{key: {part: text}}` (a plain string stands for the main part: "text", or "body" for an
item), checked by `check_edits` and applied by the builder after assembling and before the privacy pass,
so a phone number or a name typed into an edit is still redacted and listed in `NoticeDocument.masked`.
`editable_texts(doc)` lists what the editor shows, in document order.
"""

from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from desktop_app.core.errors import UserError
from desktop_app.core.validation import check_text


@dataclass(frozen=True)
class Heading:
    text: str  # "一、项目信息", "青花镇立信社区慈善试点情况"
    level: int = 1  # 1: 一、二、三 sections; 2: a site's part or a sub-heading
    key: str = field(default="", compare=False)  # set when the wording may be edited (see the module doc)


@dataclass(frozen=True)
class Field:
    label: str  # "项目名称"
    text: str  # printed after "label："
    key: str = field(default="", compare=False)  # "field:项目完成情况" when the text may be edited


@dataclass(frozen=True)
class Paragraph:
    text: str
    key: str = field(default="", compare=False)  # "para:<name>" for an editable prose paragraph


@dataclass(frozen=True)
class Item:
    """A numbered item of 项目效果: "（一）" + a lead sentence (printed in the heading face) + the body."""

    number: str  # "（一）"
    lead: str
    body: str = ""
    key: str = field(default="", compare=False)  # "item:<activity id>": lead and body may be edited


@dataclass(frozen=True)
class Column:
    title: str
    width: float  # relative width
    align: str = "left"  # left | right | center


@dataclass(frozen=True)
class Table:
    """Figures from the ledger: never editable (no key), they must match the ledger they come from."""

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
    """Not editable in the notice: the photos marked 用于公示 and their captions come from the gallery."""

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
    # Not printed: what the builder has to tell the person editing the draft, e.g. "有 1 处修改已不适用：……"
    # (an edit whose block is no longer in the notice) or a 项目完成情况 edit whose figure was restored.
    notes: list[str] = field(default_factory=list)
    # Not printed either: what to see to before publishing (drafts left out, supervision phones not filled in).
    advice: list[str] = field(default_factory=list)
    edited: list[tuple[str, str]] = field(default_factory=list)  # (key, part) of the edits applied

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


# ---------------------------------------------------------------------------------------------- edits

KINDS = {"heading": ("text",), "field": ("text",), "para": ("text",), "item": ("lead", "body")}
MAIN_PART = {"heading": "text", "field": "text", "para": "text", "item": "body"}
PART_NAMES = {"text": "内容", "lead": "标题句", "body": "正文"}
LIMITS = {"heading": 100, "lead": 200, "text": 5000, "body": 5000}  # characters
MAX_EDITS = 500
Edits = dict[str, dict[str, str]]


def key_kind(key: str) -> str:
    """"item:abc" → "item"; "" for a key that is not one of ours."""
    kind, sep, rest = key.partition(":")
    return kind if sep and rest and kind in KINDS else ""


def _limit(kind: str, part: str) -> int:
    return LIMITS["heading"] if kind == "heading" else LIMITS[part]


def check_edits(edits) -> Edits:
    """The edits of a request, checked and in their stored form {key: {part: text}}: known keys and parts,
    each text trimmed, within its limit, without control characters (newlines only in the multi-line parts:
    正文 and field/paragraph texts). A plain string stands for the main part. Raises UserError (Chinese)."""
    if not edits:
        return {}
    if not isinstance(edits, dict):
        raise UserError("公示的修改内容格式不对：应为“位置 → 修改后的文字”的对应表。")
    if len(edits) > MAX_EDITS:
        raise UserError(f"一份公示最多保存 {MAX_EDITS} 处修改（现有 {len(edits)} 处）。")
    out: Edits = {}
    for key, value in edits.items():
        kind = key_kind(key) if isinstance(key, str) else ""
        if not kind:
            raise UserError(f"公示中没有“{key}”这个可修改的位置。只有项目说明、项目效果的各条和段落文字可以修改；"
                            "表格和金额来自台账，不能在公示里改。")
        if isinstance(value, str):
            value = {MAIN_PART[kind]: value}
        if not isinstance(value, dict) or not value:
            raise UserError(f"对“{key}”的修改格式不对：应写明修改哪一部分（{'、'.join(KINDS[kind])}）及修改后的文字。")
        parts: dict[str, str] = {}
        for part, text in value.items():
            if part not in KINDS[kind]:
                raise UserError(f"“{key}”没有“{part}”这一部分可改。可改的部分：{'、'.join(KINDS[kind])}。")
            if not isinstance(text, str):
                raise UserError(f"对“{key}”的{PART_NAMES[part]}的修改应为文字。")
            label = f"修改后的{PART_NAMES[part]}（{key}）"
            multiline = kind != "heading" and part != "lead"
            text = text.replace("\r\n", "\n").replace("\r", "\n")
            checked = check_text(label, text, _limit(kind, part), multiline=multiline)
            if "\t" in checked:
                raise UserError(f"{label}里有制表符等不可见的控制字符。请删去后重新粘贴。")
            if not checked and part != "body":
                raise UserError(f"{label}不能为空。如要恢复原来的文字，请撤销这处修改。")
            parts[part] = checked
        out[key] = parts
    return out


@dataclass(frozen=True)
class EditableText:
    """One text the draft editor shows: change it and store {key: {part: new text}} in NoticeRequest.edits."""

    key: str  # "item:<activity id>"
    label: str  # "项目完成情况", "（二）青花前期调研…", "青花镇立信社区慈善试点情况"
    part: str  # text | lead | body
    text: str  # as printed now (edits and privacy applied)
    group: str = ""  # the heading it is under ("二、项目效果", "青花镇立信社区慈善试点情况"), to tell （一） apart
    multiline: bool = True
    limit: int = 5000
    edited: bool = False  # the text comes from an edit of the request


def _clip(text: str, limit: int = 16) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[:limit] + "…"


def editable_texts(doc: NoticeDocument) -> list[EditableText]:
    """Every editable text of the document, in document order (an item gives its lead, then its body)."""
    out: list[EditableText] = []
    edited = set(doc.edited)
    group = ""

    def add(key: str, label: str, part: str, text: str) -> None:
        kind = key_kind(key)
        out.append(EditableText(key, label, part, text, group, multiline=kind != "heading" and part != "lead",
                                limit=_limit(kind, part), edited=(key, part) in edited))

    for block in doc.blocks:
        key = getattr(block, "key", "")
        match block:
            case Heading(text=text):
                if key:
                    add(key, text, "text", text)
                group = text
            case Field(label=label, text=text) if key:
                add(key, label, "text", text)
            case Paragraph(text=text) if key:
                add(key, _clip(text), "text", text)
            case Item(number=number, lead=lead, body=body) if key:
                label = number + _clip(lead)
                add(key, label, "lead", lead)
                add(key, label, "body", body)
    return out
