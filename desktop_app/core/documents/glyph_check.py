"""The glyph check before a document is printed: a character no bundled face has stops the export with
a UserError that names it and the place it is in (reportlab would print a blank without a word).
A character only one face has is no problem: it is drawn in that face (`fonts.Fonts.runs`). The same
words refuse such a character when it is typed (`validation.clean_text`, `typefaces.missing_glyphs`).
"""

from pathlib import Path

from desktop_app.core.documents.fonts import Fonts, unprintable
from desktop_app.core.documents.model import (
    BarChart,
    Field,
    Heading,
    Item,
    Paragraph,
    PhotoGrid,
    Printable,
    SignOff,
    Table,
)
from desktop_app.core.errors import UserError
from desktop_app.core.typefaces import GLYPH_ADVICE, missing_glyphs


def check_characters(doc: Printable, fonts: Fonts) -> None:
    """Raise a UserError naming every character no face has, and where it is (nothing is written)."""
    box = doc.code_box
    bad = unprintable([*doc.texts(), *((box.label, box.note) if box else ())], fonts)
    if not bad:
        return
    details = []
    for ch, text in bad.items():
        where = _where(doc, ch) or _excerpt(text, ch)
        details.append(f"“{ch}”（U+{ord(ch):04X}）见于{where}")
    raise UserError(
        missing_glyphs(doc.noun, bad) + f"没有生成 PDF。请在{getattr(doc, 'fix_place', '') or '草稿里'}把它"
        f"{GLYPH_ADVICE}；然后重新导出。",
        details=details,
    )


def _excerpt(text: str, ch: str, radius: int = 12) -> str:
    i = text.find(ch)
    start, end = max(0, i - radius), min(len(text), i + radius + 1)
    return "“" + ("…" if start else "") + text[start:end] + ("…" if end < len(text) else "") + "”"


def _where(doc: Printable, ch: str) -> str:
    """Name the part of the document that first holds `ch`, with a short excerpt."""
    for line in doc.title_lines:
        if ch in line:
            return f"标题 {_excerpt(line, ch)}"
    section = ""
    for block in doc.blocks:
        match block:
            case Heading(text=t):
                if ch in t:
                    return f"标题 {_excerpt(t, ch)}"
                section = t
            case Field(label=label, text=t):
                if ch in label or ch in t:
                    return f"“{label}” {_excerpt(label + '：' + t, ch)}"
            case Paragraph(text=t):
                if ch in t:
                    return f"{section or '正文'}的段落 {_excerpt(t, ch)}"
            case Item(number=n, lead=lead, body=body):
                text = f"{n}{lead}{body}"
                if ch in text:
                    return f"{section or '正文'}第{n}项 {_excerpt(text, ch)}"
            case Table(columns=cols, rows=rows, totals=totals, caption=caption):
                name = f"表格“{caption}”" if caption else "表格"
                if ch in caption:
                    return f"{name}的标题"
                for c in cols:
                    if ch in c.title:
                        return f"{name}的表头“{c.title}”"
                for i, row in enumerate((*rows, *totals), start=1):
                    for cell in row:
                        if ch in cell:
                            return f"{name}第 {i} 行 {_excerpt(cell, ch)}"
            case PhotoGrid(photos=photos):
                for p in photos:
                    if ch in p.caption:
                        return f"照片说明 {_excerpt(p.caption, ch)}（文件 {Path(p.path).name}）"
            case BarChart(labels=labels, value_labels=values, caption=caption):
                for text in (caption, *labels, *values):
                    if ch in text:
                        return f"图表 {_excerpt(text, ch)}"
            case SignOff(names=names):
                for name in names:
                    if ch in name:
                        return f"落款 {_excerpt(name, ch)}"
    box = doc.code_box
    if box and any(ch in text for text in (box.label, box.code, box.note)):
        return box.label
    return ""
