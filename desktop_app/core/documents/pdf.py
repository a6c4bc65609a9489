"""The PDF writer of public notices: lays a NoticeDocument out on A4 like an official document.

Layout (after GB/T 9704 党政机关公文格式): A4, margins top 37 mm, bottom 35 mm, left 28 mm, right 26 mm
(a 156 × 225 mm text block: 22 lines of 27 characters at 16 pt); the title centred in the heading face
(黑体-like, 22 pt); body text 16 pt (三号) in the 宋体-like body face with a 28 pt line pitch, first lines
indented two characters, lines justified; 一、二、三 headings, field labels, item leads, table headers
and totals in the heading face; page numbers "— 1 —" centred under the text block.

Chinese line breaking is our own (`_kinsoku_lines`): a line never starts with ，。、；：！？）》」』】”’…—
and the like, never ends with （《「『【“‘ or ¥, and never splits a number or a Latin word when it can be
avoided. A punctuation mark that overflows a long line hangs and the line is squeezed back into the
measure by character spacing (the way Word sets Chinese); every other full line is justified by
character spacing too.

Before anything is written, every character is checked against both bundled faces (`fonts.py`): one
the intended face lacks is drawn in the other face, one neither face has stops the export with a
UserError naming it. Photos are checked to exist and be readable. The file is written to a temporary
name beside the target and renamed into place only when complete, so a failed or cancelled export
leaves no file and never damages an earlier one.

Photos: a photo prints at most 76 mm wide, so a display copy (1600 px, 150–250 KB) is reduced to a
640 px print copy (~50 KB) on worker threads while the text is laid out — passing 40 display copies
through would make a 6–10 MB notice; a JPEG already that small is embedded byte for byte. Either way
reportlab embeds the JPEG file as it is (DCTDecode, given a .jpg path) and reportlab's ASCII85 wrapping
of binary streams is switched off for the whole process (`rl_config.useA85 = 0`): it adds 25 %.

The verification code goes into the PDF's Info dictionary (Keywords "charity-ledger-notice:CODE"), which
reportlab writes uncompressed: `read_verification_code` finds it in the raw bytes, no PDF library needed.
"""

import math
import os
import re
import tempfile
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from xml.sax.saxutils import escape

import reportlab.lib.textsplit as _textsplit
import reportlab.platypus.paragraph as _rlparagraph
from PIL import Image as PILImage
from PIL import UnidentifiedImageError
from reportlab import rl_config
from reportlab.graphics.barcode.qr import QrCodeWidget
from reportlab.graphics.shapes import Drawing
from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_JUSTIFY, TA_RIGHT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import getAscentDescent, stringWidth
from reportlab.pdfgen.textobject import PDFTextObject
from reportlab.platypus import (
    CondPageBreak,
    Flowable,
    KeepTogether,
    LongTable,
    SimpleDocTemplate,
    Spacer,
    TableStyle,
)
from reportlab.platypus import Paragraph as RLParagraph
from reportlab.platypus.paragraph import FragLine
from reportlab.rl_config import _FUZZ

from desktop_app.core.documents.fonts import NoticeFonts, register_notice_fonts, unprintable
from desktop_app.core.documents.model import (
    Field,
    Heading,
    Item,
    NoticeDocument,
    Paragraph,
    PhotoGrid,
    SignOff,
    Table,
    chinese_date,
)
from desktop_app.core.errors import UserError

rl_config.useA85 = 0  # binary streams: JPEGs pass through at their own size

PAGE_W, PAGE_H = A4
MARGIN_TOP, MARGIN_BOTTOM, MARGIN_LEFT, MARGIN_RIGHT = 37 * mm, 35 * mm, 28 * mm, 26 * mm
FRAME_W = PAGE_W - MARGIN_LEFT - MARGIN_RIGHT  # 156 mm
BODY_SIZE, BODY_LEADING = 16, 28
TITLE_SIZE, TITLE_LEADING = 22, 34
TABLE_SIZE, TABLE_LEADING = 10.5, 14
CELL_PADDING = 3
MIN_CELL_SIZE = 7
CAPTION_SIZE, CAPTION_LEADING = 12, 16
SEAL_SPACE = 40 * mm
QR_SIZE = 26 * mm
# Photos print 76 mm wide at most: 640 px is 213 dpi there, more than an office laser printer shows.
# A display copy (1600 px, ~150–250 KB) is reduced to a print copy of ~50 KB, so a notice with 40 photos
# stays under 2.5 MB; a JPEG no larger than PASS_THROUGH_EDGE is embedded byte for byte.
PRINT_EDGE = 640
PRINT_QUALITY = 78
PASS_THROUGH_EDGE = 760
PHOTO_GAP = 6 * mm
PHOTO_BOX_RATIO = 0.75  # a photo is fitted into a 4:3 box in its half of the width
KEYWORD_PREFIX = "charity-ledger-notice:"
SUBJECTS = {"fund-usage": "经费使用情况公示", "progress": "项目进展公示", "donations": "捐赠公示", "correction": "更正说明"}
CREATOR = "社区慈善台账"
HEADER_GREY = colors.Color(0.90, 0.90, 0.90)
GRID_GREY = colors.Color(0.35, 0.35, 0.35)

# --- Chinese line breaking (禁则) -------------------------------------------------------------------

CANNOT_START = frozenset(
    _textsplit.ALL_CANNOT_START + "，。、；：！？）》」』】〕〉〗｝］”’…—–·％‰℃～!),.:;?]}%"
)
CANNOT_END = frozenset("（《「『【〔〈〖｛［“‘([{¥￥$＄£€#＃@＠")
HANGABLE = frozenset("，。、；：！？,.")  # may hang over the measure (then squeezed back)
_EXTRA_CANNOT_START = "，；：！？》”’…—·"


def _patch_reportlab_kinsoku() -> None:
    """reportlab's own CJK splitter (used by any plain Paragraph) misses the fullwidth marks above;
    both module globals are read (textsplit by single-fragment paragraphs). Idempotent."""
    for module in (_textsplit, _rlparagraph):
        missing = "".join(c for c in _EXTRA_CANNOT_START if c not in module.ALL_CANNOT_START)
        if missing:
            module.ALL_CANNOT_START += missing


_patch_reportlab_kinsoku()


def _wordch(ch: str) -> bool:
    """Part of a number or a Latin word, which should not be split across lines."""
    return ch.isascii() and (ch.isalnum() or ch in ".,:/%-_@+'")


def _can_break(units, b: int, *, words: bool = True) -> bool:
    """May a line end before units[b]?"""
    if b >= len(units):
        return True
    before, after = units[b - 1], units[b]
    if after in CANNOT_START or before in CANNOT_END:
        return False
    return not (words and _wordch(before) and _wordch(after))


def _choose_break(units, start: int, k: int) -> int:
    """units[start:k] is the longest run that fits; return where the line really ends."""
    if _can_break(units, k):
        return k
    if units[k] in HANGABLE and k - start >= 10 and _can_break(units, k + 1):
        return k + 1  # hang the mark; justification squeezes the line back into the measure
    half = start + max(1, (k - start) // 2)
    for b in range(k - 1, half, -1):
        if _can_break(units, b):
            return b
    for b in range(k - 1, start, -1):  # a very long number or word: split it, but keep the 禁则
        if _can_break(units, b, words=False):
            return b
    return k


_widths: dict[tuple[str, float], dict[str, float]] = {}  # (font, size) -> character -> width


def _units(frags) -> list:
    """One reportlab cjkU (a str carrying its frag and width) per character; widths cached."""
    units = []
    for frag in frags:
        text = frag.text
        if not text or hasattr(frag, "cbDefn"):
            units.append(_rlparagraph.cjkU(text or "", frag, "utf8"))
            continue
        key = (frag.fontName, frag.fontSize)
        widths = _widths.get(key)
        if widths is None:
            widths = _widths[key] = {}
        for ch in text:
            width = widths.get(ch)
            if width is None:
                width = widths[ch] = stringWidth(ch, frag.fontName, frag.fontSize)
            unit = str.__new__(_rlparagraph.cjkU, ch)
            unit._frag = frag
            unit._width = width
            units.append(unit)
    return units


def _make_line(units, max_width: float, used: float, forced: bool, calc_bounds: bool):
    """reportlab's makeCJKParaLine, grouping by frag object instead of comparing every character's
    frag attributes (the hot spot of long tables)."""
    if calc_bounds or any(hasattr(u.frag, "cbDefn") for u in units):
        return _rlparagraph.makeCJKParaLine(units, max_width, used, max_width - used, forced, calc_bounds)
    words = []
    max_size = max_ascent = min_descent = 0
    run_frag, run = None, []
    for unit in units:
        frag = unit.frag
        if frag is not run_frag:
            if run:
                words.append(run_frag.clone(text="".join(run)))
            run_frag, run = frag, []
            ascent, descent = getAscentDescent(frag.fontName, frag.fontSize)
            max_size = max(max_size, frag.fontSize)
            max_ascent = max(max_ascent, ascent)
            min_descent = min(min_descent, descent)
        run.append(unit)
    if run:
        words.append(run_frag.clone(text="".join(run)))
    return FragLine(kind=1, extraSpace=max_width - used, wordCount=1, words=words, fontSize=max_size,
                    ascent=max_ascent, descent=min_descent, maxWidth=max_width, currentWidth=used,
                    lineBreak=forced)


def _kinsoku_lines(frags, max_widths, calc_bounds):
    units = _units(frags)
    lines = []
    n = len(units)
    start = 0
    while start < n:
        max_width = max_widths[min(len(lines), len(max_widths) - 1)]
        width = 0.0
        k = start
        forced = False
        while k < n:
            unit = units[k]
            if hasattr(unit.frag, "lineBreak"):
                k += 1
                forced = True
                break
            if width + unit.width > max_width + _FUZZ and k > start:
                break
            width += unit.width
            k += 1
        end = k if forced or k >= n else _choose_break(units, start, k)
        line = units[start:end]
        while line and line[-1] == " ":
            line = line[:-1]
        used = sum(u.width for u in line)
        frag_line = _make_line(line, max_width, used, forced, calc_bounds)
        # Justification spreads extraSpace over wordCount-1 gaps: every character is a "word" here.
        frag_line.wordCount = max(1, sum(1 for u in line if u))
        lines.append(frag_line)
        start = end
        if not forced:
            while start < n and units[start] == " ":
                start += 1
    return _rlparagraph.ParaLines(kind=1, lines=lines)


def _split_lines(bl_para, start: int, stop: int) -> list:
    """The fragments of lines[start:stop], copied, with nothing added between lines."""
    return [word.clone() for line in bl_para.lines[start:stop] for word in line.words]


class _CharSpacedText(PDFTextObject):
    """Justifies Chinese by character spacing: reportlab asks for word spacing, which has no effect
    on text without spaces."""

    def setWordSpace(self, wordSpace):
        self.setCharSpace(wordSpace)


class NoticeParagraph(RLParagraph):
    """A reportlab Paragraph with Chinese line breaking and character-spacing justification."""

    def breakLinesCJK(self, maxWidths):
        if not isinstance(maxWidths, list | tuple):
            maxWidths = [maxWidths]
        self.height = 0
        if hasattr(self, "blPara") and getattr(self, "_splitpara", 0):
            return self.blPara
        style = self.style
        if not self.frags:
            return _rlparagraph.ParaLines(kind=0, fontSize=style.fontSize, fontName=style.fontName,
                                          textColor=style.textColor, lines=[], ascent=style.fontSize,
                                          descent=-0.2 * style.fontSize)
        # a table wraps each cell several times (row heights, page split, drawing) at the same width
        key = tuple(maxWidths)
        cached = getattr(self, "_lines_cache", None)
        if cached is not None and cached[0] == key:
            return cached[1]
        auto_leading = getattr(self, "autoLeading", getattr(style, "autoLeading", ""))
        lines = _kinsoku_lines(self.frags, maxWidths, auto_leading not in ("", "off"))
        self._lines_cache = (key, lines)
        return lines

    def _get_split_blParaFunc(self):
        # reportlab's splitter for kind-1 lines appends a space to every line's last fragment (in
        # place): right for Latin text, a stray gap in Chinese once the rest of the paragraph re-wraps
        return _split_lines

    def beginText(self, x, y):
        text = super().beginText(x, y)
        text.__class__ = _CharSpacedText
        return text


# --- the document ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class RenderInfo:
    pages: int
    size: int  # bytes
    fonts: list[str]  # the faces embedded, by PostScript name


class _Styles:
    def __init__(self, fonts: NoticeFonts):
        hei, song = fonts.heading, fonts.body
        indent = 2 * BODY_SIZE

        def style(name, **kw):
            base = dict(fontName=song, fontSize=BODY_SIZE, leading=BODY_LEADING, wordWrap="CJK",
                        alignment=TA_JUSTIFY)
            base.update(kw)
            return ParagraphStyle(name, **base)

        self.title = style("title", fontName=hei, fontSize=TITLE_SIZE, leading=TITLE_LEADING, alignment=TA_CENTER)
        self.subtitle = style("subtitle", alignment=TA_CENTER, spaceBefore=BODY_LEADING / 4)
        # headings are kept with what follows by a CondPageBreak (keepWithNext would move a whole
        # following table or long item to the next page)
        self.h1 = style("h1", fontName=hei, firstLineIndent=indent, spaceBefore=BODY_LEADING / 3)
        self.h2 = style("h2", fontName=hei, firstLineIndent=indent, spaceBefore=BODY_LEADING / 2)
        self.body = style("body", firstLineIndent=indent, allowWidows=0)
        self.right = style("right", alignment=TA_RIGHT)
        self.center = style("center", alignment=TA_CENTER)
        self.table_caption = style("table_caption", fontName=hei, fontSize=14, leading=22, alignment=TA_CENTER,
                                   spaceBefore=6)
        cell = dict(fontSize=TABLE_SIZE, leading=TABLE_LEADING)
        self.cell = {
            "left": style("cell_l", **cell),
            "right": style("cell_r", alignment=TA_RIGHT, **cell),
            "center": style("cell_c", alignment=TA_CENTER, **cell),
        }
        self.cell_head = {a: style(f"head_{a}", fontName=hei, alignment=TA_CENTER, **cell) for a in self.cell}
        self.cell_total = {
            "left": style("tot_l", fontName=hei, **cell),
            "right": style("tot_r", fontName=hei, alignment=TA_RIGHT, **cell),
            "center": style("tot_c", fontName=hei, alignment=TA_CENTER, **cell),
        }
        self.photo_caption = style("photo_caption", fontSize=CAPTION_SIZE, leading=CAPTION_LEADING,
                                   alignment=TA_CENTER)
        self.code = style("code", fontName=hei, fontSize=14, leading=22, alignment=0)
        self.small = style("small", fontSize=TABLE_SIZE, leading=16)
        self.page_number_size = 14


class _Builder:
    def __init__(self, fonts: NoticeFonts):
        self.fonts = fonts
        self.styles = _Styles(fonts)
        self.used: set[str] = set()
        self._templates: dict[str, object] = {}
        self._shrunk: dict[tuple[str, float], ParagraphStyle] = {}

    def markup(self, text: str, face: str) -> str:
        """Escaped paragraph markup of `text` in `face`, with the other face for what it lacks."""
        parts = []
        for use, chunk in self.fonts.runs(text, face):
            self.used.add(use)
            chunk = escape(chunk).replace("\n", "<br/>").replace("\t", " ")
            parts.append(chunk if use == face else f'<font name="{use}">{chunk}</font>')
        return "".join(parts)

    def para(self, text: str, style: ParagraphStyle, face: str | None = None) -> NoticeParagraph:
        return self.mixed([(face or style.fontName, text)], style)

    def mixed(self, parts: list[tuple[str, str]], style: ParagraphStyle) -> NoticeParagraph:
        """A paragraph of (face, text) parts; in each, what the face lacks comes from the other face."""
        parts = [(face, text.strip().replace("\t", " ")) for face, text in parts]
        if any("\n" in text for _, text in parts):  # line breaks: reportlab's parser makes the break frags
            out = []
            for face, text in parts:
                inner = self.markup(text, face)
                out.append(inner if face == style.fontName else f'<font name="{face}">{inner}</font>')
            return NoticeParagraph("".join(out), style)
        # Plain text needs no markup: fragments cloned from the style's own are what reportlab's parser
        # would make, without parsing (a 500-line table has 2,500 cells).
        template = self._templates.get(style.name)
        if template is None:
            template = self._templates[style.name] = NoticeParagraph("x", style).frags[0]
        frags = []
        for face, text in parts:
            for use, chunk in self.fonts.runs(text, face):
                self.used.add(use)
                frags.append(template.clone(text=chunk, fontName=use))
        if not frags:
            return NoticeParagraph("", style)
        return NoticeParagraph("".join(f.text for f in frags), style, frags=frags)

    def table_style(self, commands) -> TableStyle:
        # string cells (spanned and padding cells) are drawn in the table's font: not Helvetica,
        # which would be listed in the PDF unembedded
        return TableStyle([("FONTNAME", (0, 0), (-1, -1), self.fonts.body), *commands])

    # blocks

    def title(self, lines: list[str]) -> list[Flowable]:
        # a line in brackets under the title (the period) is set in the body size, as official documents do
        out = [self.para(line, self.styles.subtitle if line.strip().startswith("（") and i else self.styles.title)
               for i, line in enumerate(lines) if line.strip()]
        return [*out, Spacer(1, BODY_LEADING)] if out else []

    def heading(self, block: Heading) -> list[Flowable]:
        return [self.para(block.text, self.styles.h1 if block.level <= 1 else self.styles.h2)]

    def field(self, block: Field) -> list[Flowable]:
        lines = block.text.split("\n")
        first = self.mixed([(self.fonts.heading, f"{block.label}："), (self.fonts.body, lines[0])], self.styles.body)
        return [first, *(self.para(line, self.styles.body) for line in lines[1:] if line.strip())]

    def paragraph(self, block: Paragraph) -> list[Flowable]:
        return [self.para(line, self.styles.body) for line in block.text.split("\n") if line.strip()]

    def item(self, block: Item) -> list[Flowable]:
        lines = block.body.split("\n")
        lead = f"{block.number}{block.lead}"
        first = self.mixed([(self.fonts.heading, lead), (self.fonts.body, lines[0])], self.styles.body)
        return [first, *(self.para(line, self.styles.body) for line in lines[1:] if line.strip())]

    def cell(self, text: str, style: ParagraphStyle, avail: float) -> NoticeParagraph:
        """A table cell. An amount, date or number wider than its column is set smaller rather than
        split across lines (¥4,412,227.10 in a narrow column)."""
        text = text.strip()
        if text and all(ord(ch) < 0x2E80 and not ch.isspace() for ch in text):
            width = sum(stringWidth(chunk, face, style.fontSize) for face, chunk in self.fonts.runs(text, style.fontName))
            if width > avail:
                size = max(MIN_CELL_SIZE, math.floor(style.fontSize * avail / width * 10) / 10)
                key = (style.name, size)
                small = self._shrunk.get(key)
                if small is None:
                    small = self._shrunk[key] = ParagraphStyle(f"{style.name}-{size}", parent=style, fontSize=size)
                style = small
        return self.para(text, style)

    def table(self, block: Table) -> list[Flowable]:
        s = self.styles
        ncol = len(block.columns)
        total_w = sum(c.width for c in block.columns) or 1
        widths = [FRAME_W * c.width / total_w for c in block.columns]
        aligns = [c.align if c.align in s.cell else "left" for c in block.columns]
        data = [[self.para(c.title, s.cell_head[a]) for c, a in zip(block.columns, aligns, strict=True)]]
        commands = [
            ("GRID", (0, 0), (-1, -1), 0.5, GRID_GREY),
            ("BACKGROUND", (0, 0), (-1, 0), HEADER_GREY),
            ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
            ("LEFTPADDING", (0, 0), (-1, -1), CELL_PADDING),
            ("RIGHTPADDING", (0, 0), (-1, -1), CELL_PADDING),
            ("TOPPADDING", (0, 0), (-1, -1), 2.5),
            ("BOTTOMPADDING", (0, 0), (-1, -1), 3.5),
        ]
        body_rows = [(row, s.cell) for row in block.rows] or [(("本期无记录",), s.cell)]
        for row, styles in [*body_rows, *((row, s.cell_total) for row in block.totals)]:
            if len(row) > ncol:
                raise ValueError(f"table row has {len(row)} cells for {ncol} columns: {row!r}")
            r = len(data)
            cells = [self.cell(text, styles[aligns[i]], widths[i] - 2 * CELL_PADDING) for i, text in enumerate(row)]
            if len(row) == 1 and ncol > 1:  # a sentence across the table: "合计：¥316,000.00（人民币…）"
                cells = [self.para(row[0], styles["left"])]
            if len(row) < ncol:  # a short row: its last cell spans to the right edge
                cells += [""] * (ncol - len(row))
                commands.append(("SPAN", (max(len(row) - 1, 0), r), (-1, r)))
            data.append(cells)
        table = LongTable(data, colWidths=widths, repeatRows=1, hAlign="CENTER")
        table.setStyle(self.table_style(commands))
        # the caption, the header and a few rows start on the same page
        out: list[Flowable] = [CondPageBreak(TABLE_START)]
        if block.caption:
            out.append(self.para(block.caption, s.table_caption))
        out.append(table)
        out.append(Spacer(1, BODY_LEADING / 2))
        return out

    def photos(self, block: PhotoGrid, prints: dict[Path, "_PrintPhoto"]) -> list[Flowable]:
        if not block.photos:
            return []
        cell_w = (FRAME_W - PHOTO_GAP) / 2
        box_h = cell_w * PHOTO_BOX_RATIO
        cells = []
        for photo in block.photos:
            caption = photo.caption.strip()
            if caption and not caption.startswith("（"):
                caption = f"（{caption}）"
            flow = [_PhotoBox(prints[Path(photo.path)], cell_w, box_h)]
            if caption:
                flow.append(self.para(caption, self.styles.photo_caption))
            cells.append(flow)
        rows = [cells[i:i + 2] for i in range(0, len(cells), 2)]
        if len(rows[-1]) == 1:
            rows[-1].append("")
        table = LongTable(rows, colWidths=[FRAME_W / 2, FRAME_W / 2], hAlign="CENTER")
        table.setStyle(self.table_style([
            ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ("ALIGN", (0, 0), (-1, -1), "CENTER"),
            ("LEFTPADDING", (0, 0), (-1, -1), PHOTO_GAP / 2),
            ("RIGHTPADDING", (0, 0), (-1, -1), PHOTO_GAP / 2),
            ("TOPPADDING", (0, 0), (-1, -1), 4),
            ("BOTTOMPADDING", (0, 0), (-1, -1), 8),
        ]))
        return [Spacer(1, BODY_LEADING / 2), table]

    def sign_off(self, block: SignOff) -> list[Flowable]:
        s = self.styles
        lines = [*block.names, chinese_date(block.written_on)]
        # the names are centred over the date, the block right-aligned two characters from the margin
        # (GB/T 9704); the seal is pressed over names and date, so the space is above and around them
        indent = 2 * BODY_SIZE
        width = max(_text_width(self.fonts, line) for line in lines) + BODY_SIZE
        rows = [[self.para(line, s.center)] for line in lines]
        table = LongTable(rows, colWidths=[min(width + indent, FRAME_W)], hAlign="RIGHT")
        table.setStyle(self.table_style([("LEFTPADDING", (0, 0), (-1, -1), 0), ("RIGHTPADDING", (0, 0), (-1, -1), indent),
                                   ("TOPPADDING", (0, 0), (-1, -1), 0), ("BOTTOMPADDING", (0, 0), (-1, -1), 0)]))
        above = BODY_LEADING
        if block.seal_space:
            above = max(BODY_LEADING, SEAL_SPACE - len(lines) * BODY_LEADING)
        return [KeepTogether([Spacer(1, above), table])]

    def verification(self, code: str) -> list[Flowable]:
        s = self.styles
        widget = QrCodeWidget(code, barLevel="M")
        x0, y0, x1, y1 = widget.getBounds()
        drawing = Drawing(QR_SIZE, QR_SIZE, transform=[QR_SIZE / (x1 - x0), 0, 0, QR_SIZE / (y1 - y0), 0, 0],
                          initialFontName=self.fonts.body)  # else the drawing sets an unembedded Helvetica
        drawing.add(widget)
        text = [
            self.para(f"核验码：{code}", s.code),
            self.para("本公示由“社区慈善台账”生成。核验方法：在软件的“信息公示”页输入核验码或扫描左侧二维码，"
                      f"或运行 charity-ledger notice verify {code}（也可以给出本 PDF 文件），"
                      "即可核对本公示依据的账目在公示后是否改动。", s.small),
        ]
        table = LongTable([[drawing, text]], colWidths=[QR_SIZE + 4 * mm, FRAME_W - QR_SIZE - 4 * mm])
        table.setStyle(self.table_style([("VALIGN", (0, 0), (-1, -1), "MIDDLE"), ("LEFTPADDING", (0, 0), (0, 0), 0),
                                   ("BOX", (0, 0), (-1, -1), 0.4, colors.Color(0.6, 0.6, 0.6))]))
        return [Spacer(1, BODY_LEADING), KeepTogether([table])]


def _text_width(fonts: NoticeFonts, text: str) -> float:
    return sum(stringWidth(chunk, face, BODY_SIZE) for face, chunk in fonts.runs(text, fonts.body))


class _PhotoBox(Flowable):
    """A photo fitted into a fixed box (keeping its aspect ratio), centred; embedded from its file."""

    def __init__(self, photo: "_PrintPhoto", box_w: float, box_h: float):
        super().__init__()
        self.path = photo.embed
        self.made = photo.made
        pw, ph = photo.size
        scale = min(box_w / pw, box_h / ph)
        self.img_w, self.img_h = pw * scale, ph * scale
        self.box_w, self.box_h = box_w, box_h

    def wrap(self, availWidth, availHeight):
        return self.box_w, self.box_h

    def draw(self):
        if self.made is not None:
            self.made.result()  # the print copy is written (or its UserError is raised here)
        x = (self.box_w - self.img_w) / 2
        y = (self.box_h - self.img_h) / 2
        # a file name ending in .jpg: reportlab embeds the JPEG bytes as they are (DCTDecode)
        self.canv.drawImage(str(self.path), x, y, self.img_w, self.img_h)


class _Progress(Flowable):
    """Takes no space; reports progress when the layout reaches it (and lets a cancel stop the build)."""

    def __init__(self, done: int, total: int, progress: Callable[[int, int], None]):
        super().__init__()
        self.done, self.total, self.progress = done, total, progress

    def wrap(self, availWidth, availHeight):
        return 0, 0

    def draw(self):
        self.progress(self.done, self.total)


TABLE_START = 110  # a table caption, the header and about three rows


def _photo_row_height() -> float:
    cell_w = (FRAME_W - PHOTO_GAP) / 2
    return BODY_LEADING / 2 + 4 + cell_w * PHOTO_BOX_RATIO + CAPTION_LEADING + 8


def _min_follow(block) -> float:
    """How much of `block` must fit under a heading for the heading to stay on the page."""
    match block:
        case Table(caption=caption):
            return TABLE_START + (22 + 6 if caption else 0)
        case PhotoGrid(photos=photos) if photos:
            return _photo_row_height()
        case SignOff(names=names, seal_space=seal):
            return max(SEAL_SPACE, (len(names) + 2) * BODY_LEADING) if seal else (len(names) + 2) * BODY_LEADING
    return 3 * BODY_LEADING


def _check_characters(doc: NoticeDocument, fonts: NoticeFonts) -> None:
    bad = unprintable(doc.texts(), fonts)
    if not bad:
        return
    details = []
    for ch, text in bad.items():
        where = _where(doc, ch) or _excerpt(text, ch)
        details.append(f"“{ch}”（U+{ord(ch):04X}）见于{where}")
    chars = "、".join(f"“{c}”" for c in bad)
    raise UserError(
        f"公示里有 {len(bad)} 个字在内置字体中没有字形，印出来会是空白：{chars}。没有生成 PDF。"
        "请在草稿里把它改为常用字或同音字，或写成拼音（如姓名中的生僻字写作“王yan”），"
        "也可能是从别处粘贴进来的特殊符号，删去即可；然后重新导出。",
        details=details,
    )


def _excerpt(text: str, ch: str, radius: int = 12) -> str:
    i = text.find(ch)
    start, end = max(0, i - radius), min(len(text), i + radius + 1)
    return "“" + ("…" if start else "") + text[start:end] + ("…" if end < len(text) else "") + "”"


def _where(doc: NoticeDocument, ch: str) -> str:
    """Name the part of the notice that first holds `ch`, with a short excerpt."""
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
            case SignOff(names=names):
                for name in names:
                    if ch in name:
                        return f"落款 {_excerpt(name, ch)}"
    if ch in doc.verification_code:
        return "核验码"
    return ""


@dataclass(frozen=True)
class _PrintPhoto:
    source: Path
    label: str  # 照片“caption”, for messages
    size: tuple[int, int]  # pixels
    passes: bool  # a JPEG small enough to embed as it is
    embed: Path  # the file drawn: the source, or its print copy
    made: Future | None = None  # the print copy being made


def _check_photos(doc: NoticeDocument) -> dict[Path, _PrintPhoto]:
    """Every photo exists and can be read (nothing is written otherwise)."""
    found: dict[Path, _PrintPhoto] = {}
    for block in doc.blocks:
        if not isinstance(block, PhotoGrid):
            continue
        for photo in block.photos:
            path = Path(photo.path)
            if path in found:
                continue
            label = f"照片“{photo.caption}”" if photo.caption else "一张照片"
            if not path.is_file():
                raise UserError(f"{label}的图片文件不见了：{path}。没有生成 PDF。请在活动里重新添加这张照片"
                                "（或从公示草稿中去掉它），然后重新导出。")
            try:
                with PILImage.open(path) as img:
                    size, fmt, mode = img.size, img.format, img.mode
            except (UnidentifiedImageError, OSError) as exc:
                raise UserError(_damaged_photo(label, path, exc)) from exc
            passes = (fmt == "JPEG" and mode in ("RGB", "L") and max(size) <= PASS_THROUGH_EDGE
                      and path.suffix.lower() in (".jpg", ".jpeg"))
            found[path] = _PrintPhoto(path, label, size, passes, path)
    return found


def _damaged_photo(label: str, path: Path, exc: Exception) -> str:
    return (f"{label}的图片文件已损坏，无法读取：{path}（{exc}）。没有生成 PDF。"
            "请在活动里删除并重新添加这张照片，然后重新导出。")


def _print_copy(photo: _PrintPhoto, target: Path, size: tuple[int, int]) -> None:
    """A JPEG of `size` (PRINT_EDGE on the long edge): 213 dpi at the printed width, a fraction of the
    display copy's bytes. A baseline JPEG is decoded at reduced scale (DCT scaling)."""
    try:
        with PILImage.open(photo.source) as img:
            img.draft("RGB", size)
            if img.mode in ("RGBA", "LA", "PA") or (img.mode == "P" and "transparency" in img.info):
                rgba = img.convert("RGBA")
                picture = PILImage.new("RGB", rgba.size, "white")
                picture.paste(rgba, mask=rgba.getchannel("A"))
            else:
                picture = img.convert("RGB")
        if picture.size != size:
            picture = picture.resize(size, PILImage.Resampling.BICUBIC, reducing_gap=2.0)
        picture.save(target, "JPEG", quality=PRINT_QUALITY)
    except (UnidentifiedImageError, OSError) as exc:
        raise UserError(_damaged_photo(photo.label, photo.source, exc)) from exc


def _fit(size: tuple[int, int], edge: int) -> tuple[int, int]:
    w, h = size
    scale = min(1.0, edge / max(w, h))
    return max(1, round(w * scale)), max(1, round(h * scale))


def _start_print_copies(photos: dict[Path, _PrintPhoto], workdir: Path, pool: ThreadPoolExecutor):
    """Print copies are made on worker threads while the text is laid out (Pillow releases the GIL while
    decoding and encoding); a photo waits for its copy only when it is drawn."""
    out = {}
    for i, photo in enumerate(photos.values()):
        if photo.passes:
            out[photo.source] = photo
            continue
        target, size = workdir / f"{i}.jpg", _fit(photo.size, PRINT_EDGE)
        made = pool.submit(_print_copy, photo, target, size)
        out[photo.source] = _PrintPhoto(photo.source, photo.label, size, False, target, made)
    return out


def render_pdf(doc: NoticeDocument, out_path, *, progress: Callable[[int, int], None] | None = None) -> RenderInfo:
    """Write `doc` as an A4 PDF to `out_path` (atomically) and describe the result.

    Raises UserError (nothing written) for a character neither bundled face has, a missing or damaged
    photo, or a target that cannot be written; Cancelled from `progress` also leaves no file."""
    fonts = register_notice_fonts()
    _check_characters(doc, fonts)
    photos = _check_photos(doc)
    out_path = Path(out_path)
    if all(p.passes for p in photos.values()):
        return _render(doc, out_path, fonts, photos, progress)
    with tempfile.TemporaryDirectory(prefix="notice-photos-") as workdir, \
            ThreadPoolExecutor(max_workers=min(4, os.cpu_count() or 1)) as pool:
        try:
            photos = _start_print_copies(photos, Path(workdir), pool)
            return _render(doc, out_path, fonts, photos, progress)
        finally:
            pool.shutdown(wait=True, cancel_futures=True)


def _render(doc, out_path: Path, fonts: NoticeFonts, photos, progress) -> RenderInfo:

    builder = _Builder(fonts)
    total = len(doc.blocks) + 1
    story: list[Flowable] = builder.title(doc.title_lines)
    closing: list[int] = []  # story slice [start, end) kept together: the last paragraph, the sign-off
    for i, block in enumerate(doc.blocks):
        if i + 1 < len(doc.blocks) and isinstance(doc.blocks[i + 1], SignOff) and isinstance(block, (Field, Paragraph)):
            closing = [len(story)]  # the sign-off never stands alone on a page (GB/T 9704): its paragraph goes along
        match block:
            case Heading():
                if i == 0 or not isinstance(doc.blocks[i - 1], Heading):
                    # a run of headings starts a page unless the start of what follows fits under it
                    end = next((j for j in range(i, len(doc.blocks)) if not isinstance(doc.blocks[j], Heading)),
                               len(doc.blocks))
                    follow = _min_follow(doc.blocks[end]) if end < len(doc.blocks) else 0
                    story.append(CondPageBreak((end - i) * (BODY_LEADING + BODY_LEADING / 2) + follow))
                story += builder.heading(block)
            case Field():
                story += builder.field(block)
            case Paragraph():
                story += builder.paragraph(block)
            case Item():
                story += builder.item(block)
            case Table():
                story += builder.table(block)
            case PhotoGrid():
                story += builder.photos(block, photos)
            case SignOff():
                story += builder.sign_off(block)
                if closing:
                    closing.append(len(story))
            case _:
                raise TypeError(f"unknown notice block {block!r}")
        if progress is not None and not isinstance(block, Heading):  # a heading keeps with what follows
            story.append(_Progress(i + 1, total, progress))
    if doc.verification_code:
        story += builder.verification(doc.verification_code)
        if closing and isinstance(doc.blocks[-1], SignOff):  # the box right under the sign-off goes along too
            closing[1] = len(story)
    if len(closing) == 2:
        story[closing[0]:closing[1]] = [KeepTogether(story[closing[0]:closing[1]])]
    builder.used.add(fonts.body)  # page numbers

    pages = [0]
    number_size = builder.styles.page_number_size

    def on_page(canvas, _doc):
        pages[0] = canvas.getPageNumber()
        label = f"— {pages[0]} —"
        canvas.saveState()
        canvas.setFont(fonts.body, number_size)
        canvas.drawCentredString(PAGE_W / 2, MARGIN_BOTTOM - 7 * mm - number_size, label)
        canvas.restoreState()

    title = " ".join(line.strip() for line in doc.title_lines if line.strip())
    keywords = f"{KEYWORD_PREFIX}{doc.verification_code}" if doc.verification_code else ""
    try:
        fd, tmp = tempfile.mkstemp(dir=out_path.parent, prefix=f".{out_path.stem}-", suffix=".pdf.tmp")
    except FileNotFoundError as exc:
        raise UserError(f"保存位置不存在：{out_path.parent}。请另选一个文件夹。") from exc
    except PermissionError as exc:
        raise UserError(f"没有权限在 {out_path.parent} 里保存文件。请另选一个文件夹（例如“文档”或桌面）。") from exc
    os.close(fd)
    try:
        template = SimpleDocTemplate(
            tmp, pagesize=A4, leftMargin=MARGIN_LEFT, rightMargin=MARGIN_RIGHT, topMargin=MARGIN_TOP,
            bottomMargin=MARGIN_BOTTOM, title=title, subject=SUBJECTS.get(doc.template, title), creator=CREATOR,
            producer=CREATOR, author="", keywords=keywords, pageCompression=1, initialFontName=fonts.body,
            initialFontSize=BODY_SIZE, lang="zh-CN",
        )
        template.build(story, onFirstPage=on_page, onLaterPages=on_page)
        if progress is not None:
            progress(total, total)
        with open(tmp, "rb+") as fh:  # on disk before the rename (a power cut leaves the old file or the new)
            os.fsync(fh.fileno())
        os.chmod(tmp, 0o644)
        try:
            os.replace(tmp, out_path)
        except PermissionError as exc:
            raise UserError(f"无法写入 {out_path}：文件可能正被其他程序（如 PDF 阅读器）打开。"
                            "请先关闭它，或换一个文件名再导出。") from exc
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise
    faces = [_postscript_name(name) for name in (fonts.heading, fonts.body) if name in builder.used]
    return RenderInfo(pages=pages[0], size=out_path.stat().st_size, fonts=faces)


def _postscript_name(reportlab_name: str) -> str:
    from reportlab.pdfbase.pdfmetrics import getFont

    name = getFont(reportlab_name).face.name
    return name.decode("latin-1") if isinstance(name, bytes) else str(name)


_CODE_RE = re.compile(rb"charity-ledger-notice:([0-9A-Za-z][0-9A-Za-z-]{0,63})")
MAX_PDF_BYTES = 512 * 1024 * 1024


def read_verification_code(pdf_path) -> str | None:
    """The verification code an exported notice carries in its Info dictionary, or None when the file
    is not a PDF of ours (or not a PDF). Reads raw bytes: reportlab writes the Info dictionary
    uncompressed. The last occurrence wins (an incremental update appends a newer Info)."""
    path = Path(pdf_path)
    with open(path, "rb") as fh:
        head = fh.read(5)
        if head != b"%PDF-":
            return None
        data = head + fh.read(MAX_PDF_BYTES)
    found = _CODE_RE.findall(data)
    return found[-1].decode("ascii") if found else None
