"""Editing a notice draft: the wording, never the figures.

The builder gives every block whose wording a person may change a stable `key`, the same on every
rebuild of the same data:

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

from dataclasses import dataclass

from desktop_app.core.documents.model import Field, Heading, Item, Paragraph
from desktop_app.core.errors import UserError
from desktop_app.core.notices.document import NoticeDocument
from desktop_app.core.validation import check_text

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
