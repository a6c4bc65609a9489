"""The blocks of a document as reportlab flowables: title, headings, fields, paragraphs, numbered items,
tables, the photo grid, bar charts (`charts.py`), the sign-off and the code box, set in the bundled faces.

Every text is set in its intended face; a character that face lacks comes from the other of heading and
body, else from the rare face (𠮷: `fonts.Fonts.runs`; the glyph check has made sure one of them has it). `Typesetter.used` collects the faces used, so the writer
can say which are embedded.
"""

import math
from pathlib import Path
from xml.sax.saxutils import escape

from reportlab.graphics.barcode.qr import QrCodeWidget
from reportlab.graphics.shapes import Drawing
from reportlab.lib import colors
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import CondPageBreak, Flowable, KeepTogether, LongTable, Spacer, TableStyle

from desktop_app.core.documents.charts import bar_chart
from desktop_app.core.documents.fonts import Fonts
from desktop_app.core.documents.layout import (
    BODY_LEADING,
    BODY_SIZE,
    CELL_PADDING,
    FRAME_W,
    GRID_GREY,
    HEADER_GREY,
    MIN_CELL_SIZE,
    PHOTO_GAP,
    QR_SIZE,
    SEAL_SPACE,
    WRITING_SPACE,
    Styles,
)
from desktop_app.core.documents.linebreak import ChineseParagraph
from desktop_app.core.documents.model import (
    BarChart,
    CodeBox,
    Field,
    Heading,
    Item,
    Paragraph,
    PhotoGrid,
    SignOff,
    Table,
    chinese_date,
)
from desktop_app.core.documents.photos import PhotoBox, PrintPhoto, cell_size


class Typesetter:
    """Turns the blocks of a document into reportlab flowables, and notes which faces it used."""

    def __init__(self, fonts: Fonts, compact: bool = False):
        self.fonts = fonts
        self.styles = Styles(fonts, compact)
        self.used: set[str] = set()
        self._templates: dict[str, object] = {}
        self._shrunk: dict[tuple[str, float], ParagraphStyle] = {}

    def markup(self, text: str, face: str) -> str:
        """Escaped paragraph markup of `text` in `face`, with the fallback faces for what it lacks."""
        parts = []
        for use, chunk in self.fonts.runs(text, face):
            self.used.add(use)
            chunk = escape(chunk).replace("\n", "<br/>").replace("\t", " ")
            parts.append(chunk if use == face else f'<font name="{use}">{chunk}</font>')
        return "".join(parts)

    def para(self, text: str, style: ParagraphStyle, face: str | None = None) -> ChineseParagraph:
        return self.mixed([(face or style.fontName, text)], style)

    def mixed(self, parts: list[tuple[str, str]], style: ParagraphStyle) -> ChineseParagraph:
        """A paragraph of (face, text) parts; in each, what the face lacks comes from a fallback face."""
        parts = [(face, text.strip().replace("\t", " ")) for face, text in parts]
        if any("\n" in text for _, text in parts):  # line breaks: reportlab's parser makes the break frags
            out = []
            for face, text in parts:
                inner = self.markup(text, face)
                out.append(inner if face == style.fontName else f'<font name="{face}">{inner}</font>')
            return ChineseParagraph("".join(out), style)
        # Plain text needs no markup: fragments cloned from the style's own are what reportlab's parser
        # would make, without parsing (a 500-line table has 2,500 cells).
        template = self._templates.get(style.name)
        if template is None:
            template = self._templates[style.name] = ChineseParagraph("x", style).frags[0]
        frags = []
        for face, text in parts:
            for use, chunk in self.fonts.runs(text, face):
                self.used.add(use)
                frags.append(template.clone(text=chunk, fontName=use))
        if not frags:
            return ChineseParagraph("", style)
        return ChineseParagraph("".join(f.text for f in frags), style, frags=frags)

    def table_style(self, commands) -> TableStyle:
        # string cells (spanned and padding cells) are drawn in the table's font: not Helvetica,
        # which would be listed in the PDF unembedded
        return TableStyle([("FONTNAME", (0, 0), (-1, -1), self.fonts.body), *commands])

    # blocks

    def title(self, lines: list[str]) -> list[Flowable]:
        # a line in brackets under the title (the period) is set in the body size, as official documents do
        out = [self.para(line, self.styles.subtitle if line.strip().startswith("（") and i else self.styles.title)
               for i, line in enumerate(lines) if line.strip()]
        return [*out, Spacer(1, self.styles.leading)] if out else []

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

    def cell(self, text: str, style: ParagraphStyle, avail: float) -> ChineseParagraph:
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
        if not block.header:
            data = []
        commands = [
            *_lines(block.lines),
            *([("BACKGROUND", (0, 0), (-1, 0), HEADER_GREY)] if block.header else []),
            ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
            ("LEFTPADDING", (0, 0), (-1, -1), CELL_PADDING),
            ("RIGHTPADDING", (0, 0), (-1, -1), CELL_PADDING),
            ("TOPPADDING", (0, 0), (-1, -1), 2.5),
            ("BOTTOMPADDING", (0, 0), (-1, -1), 3.5),
        ]
        body_rows = [(row, s.cell) for row in block.rows] or ([(("本期无记录",), s.cell)] if block.header else [])
        for row, styles in [*body_rows, *((row, s.cell_total) for row in block.totals)]:
            if len(row) > ncol:
                raise ValueError(f"table row has {len(row)} cells for {ncol} columns: {row!r}")
            r = len(data)
            if not any(text.strip() for text in row):  # an empty row is room to write in (a form's box)
                commands.append(("TOPPADDING", (0, r), (-1, r), WRITING_SPACE))
            cells = [self.cell(text, styles[aligns[i]], widths[i] - 2 * CELL_PADDING) for i, text in enumerate(row)]
            if len(row) == 1 and ncol > 1:  # a sentence across the table: "合计：¥316,000.00（人民币…）"
                cells = [self.para(row[0], styles["left"])]
            if len(row) < ncol:  # a short row: its last cell spans to the right edge
                cells += [""] * (ncol - len(row))
                commands.append(("SPAN", (max(len(row) - 1, 0), r), (-1, r)))
            data.append(cells)
        if not data:
            return []
        table = LongTable(data, colWidths=widths, repeatRows=1 if block.header else 0, hAlign="CENTER")
        table.setStyle(self.table_style(commands))
        # the caption, the header and a few rows start on the same page
        out: list[Flowable] = [CondPageBreak(s.table_start)]
        if block.caption:
            out.append(self.para(block.caption, s.table_caption))
        out.append(table)
        out.append(Spacer(1, s.leading / 2))
        return out

    def chart(self, block: BarChart) -> list[Flowable]:
        if not block.labels:
            return []
        drawing, faces = bar_chart(block, self.fonts, FRAME_W)
        self.used.update(faces)
        caption = [self.para(block.caption, self.styles.table_caption)] if block.caption else []
        return [KeepTogether([*caption, drawing]), Spacer(1, self.styles.leading / 2)]

    def photos(self, block: PhotoGrid, prints: dict[Path, PrintPhoto]) -> list[Flowable]:
        if not block.photos:
            return []
        cell_w, box_h = cell_size()
        cells = []
        for photo in block.photos:
            caption = photo.caption.strip()
            if caption and not caption.startswith("（"):
                caption = f"（{caption}）"
            flow = [PhotoBox(prints[Path(photo.path)], cell_w, box_h)]
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

    def code_box(self, box: CodeBox) -> list[Flowable]:
        s = self.styles
        widget = QrCodeWidget(box.qr_payload, barLevel="M")
        x0, y0, x1, y1 = widget.getBounds()
        drawing = Drawing(QR_SIZE, QR_SIZE, transform=[QR_SIZE / (x1 - x0), 0, 0, QR_SIZE / (y1 - y0), 0, 0],
                          initialFontName=self.fonts.body)  # else the drawing sets an unembedded Helvetica
        drawing.add(widget)
        text = [self.para(f"{box.label}：{box.code}", s.code), self.para(box.note, s.small)]
        table = LongTable([[drawing, text]], colWidths=[QR_SIZE + 4 * mm, FRAME_W - QR_SIZE - 4 * mm])
        table.setStyle(self.table_style([("VALIGN", (0, 0), (-1, -1), "MIDDLE"), ("LEFTPADDING", (0, 0), (0, 0), 0),
                                   ("BOX", (0, 0), (-1, -1), 0.4, colors.Color(0.6, 0.6, 0.6))]))
        return [Spacer(1, BODY_LEADING), KeepTogether([table])]


def _lines(kind: str) -> list[tuple]:
    """The rules of a table: a full grid, none, or a line under each row (lines to write on)."""
    if kind == "none":
        return []
    if kind == "below":
        return [("LINEBELOW", (0, 0), (-1, -1), 0.5, GRID_GREY)]
    return [("GRID", (0, 0), (-1, -1), 0.5, GRID_GREY)]


def _text_width(fonts: Fonts, text: str) -> float:
    return sum(stringWidth(chunk, face, BODY_SIZE) for face, chunk in fonts.runs(text, fonts.body))
