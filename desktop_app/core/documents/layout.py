"""The page and the type of a printed document, after GB/T 9704 (党政机关公文格式).

A4, margins top 37 mm, bottom 35 mm, left 28 mm, right 26 mm (a 156 × 225 mm text block: 22 lines of 27
characters at 16 pt); the title centred in the heading face (黑体-like, 22 pt); body text 16 pt (三号) in
the 宋体-like body face with a 28 pt line pitch, first lines indented two characters, lines justified;
一、二、三 headings, field labels, item leads, table headers and totals in the heading face.

A compact document (a form to fill in, such as a paper questionnaire) keeps the page and the faces but is
set in 五号 (10.5 pt) with a 16 pt pitch, headings without indent, so a form stays a few pages long.
"""

from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_JUSTIFY, TA_RIGHT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm

from desktop_app.core.documents.fonts import Fonts

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
PHOTO_GAP = 6 * mm
PHOTO_BOX_RATIO = 0.75  # a photo is fitted into a 4:3 box in its half of the width
HEADER_GREY = colors.Color(0.90, 0.90, 0.90)
GRID_GREY = colors.Color(0.35, 0.35, 0.35)
TABLE_START = 110  # a table caption, the header and about three rows
COMPACT_SIZE, COMPACT_LEADING = 10.5, 16
COMPACT_TABLE_START = 50  # a compact document's tables are short: the header and two rows
CHART_SIZE, CHART_LEADING = 9, 11  # a chart's labels
WRITING_SPACE = 20  # above the line of an empty table row: about 8 mm of room for handwriting


class Styles:
    """The paragraph styles of a document, in its two faces."""

    def __init__(self, fonts: Fonts, compact: bool = False):
        hei, song = fonts.heading, fonts.body
        size, leading = (COMPACT_SIZE, COMPACT_LEADING) if compact else (BODY_SIZE, BODY_LEADING)
        self.leading = leading
        self.table_start = COMPACT_TABLE_START if compact else TABLE_START
        indent = 2 * size

        def style(name, **kw):
            base = dict(fontName=song, fontSize=size, leading=leading, wordWrap="CJK", alignment=TA_JUSTIFY)
            base.update(kw)
            return ParagraphStyle(name, **base)

        title_size, title_leading = (18, 26) if compact else (TITLE_SIZE, TITLE_LEADING)
        self.title = style("title", fontName=hei, fontSize=title_size, leading=title_leading, alignment=TA_CENTER)
        self.subtitle = style("subtitle", alignment=TA_CENTER, spaceBefore=leading / 4)
        # headings are kept with what follows by a CondPageBreak (keepWithNext would move a whole
        # following table or long item to the next page)
        head_indent = 0 if compact else indent
        self.h1 = style("h1", fontName=hei, firstLineIndent=head_indent, spaceBefore=leading / 3)
        self.h2 = style("h2", fontName=hei, firstLineIndent=head_indent, spaceBefore=leading / 2)
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
