"""The PDF writer: lays a document (`model.Printable`) out on A4 like an official document and writes the
file.

The page and the type follow GB/T 9704 (`layout.py`), with page numbers "— 1 —" centred under the text
block; Chinese lines are broken by our own rules (`linebreak.py`); the blocks become flowables in
`flowables.py`, the photos print copies in `photos.py`.

Before anything is written, every character is checked against the bundled faces (`glyph_check.py`)
and every photo is checked to exist and be readable. The file is written to a temporary name beside the
target and renamed into place only when complete (`storage.files.atomic_write`), so a failed or
cancelled export leaves no file and never damages an earlier one.

What the document says of itself goes into the PDF's Info dictionary: its title, subject and keywords
(reportlab writes the dictionary uncompressed, so a code put in the keywords can be read back from the
raw bytes).
"""

import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from reportlab import rl_config
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.platypus import CondPageBreak, Flowable, KeepTogether, SimpleDocTemplate

from desktop_app.core.documents.flowables import Typesetter
from desktop_app.core.documents.fonts import Fonts, register_fonts
from desktop_app.core.documents.glyph_check import check_characters
from desktop_app.core.documents.layout import (
    BODY_LEADING,
    BODY_SIZE,
    MARGIN_BOTTOM,
    MARGIN_LEFT,
    MARGIN_RIGHT,
    MARGIN_TOP,
    PAGE_W,
    SEAL_SPACE,
)
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
from desktop_app.core.documents.photos import PrintPhoto, check_photos, photo_row_height, print_ready
from desktop_app.core.errors import UserError
from desktop_app.core.storage.files import atomic_write, partial_path

rl_config.useA85 = 0  # binary streams: JPEGs pass through at their own size

CREATOR = "社区慈善台账"


@dataclass(frozen=True)
class RenderInfo:
    pages: int
    size: int  # bytes
    fonts: list[str]  # the faces embedded, by PostScript name


def render_pdf(doc: Printable, out_path, *, progress: Callable[[int, int], None] | None = None) -> RenderInfo:
    """Write `doc` as an A4 PDF to `out_path` (atomically) and describe the result.

    Raises UserError (nothing written) for a character no bundled face has, a missing or damaged
    photo, or a target that cannot be written; Cancelled from `progress` also leaves no file."""
    fonts = register_fonts(doc.noun)
    check_characters(doc, fonts)
    photos = check_photos(doc)
    with print_ready(photos) as prints:
        return _render(doc, Path(out_path), fonts, prints, progress)


def _render(doc: Printable, out_path: Path, fonts: Fonts, photos: dict[Path, PrintPhoto], progress) -> RenderInfo:
    builder = Typesetter(fonts, compact=getattr(doc, "compact", False))
    story = _story(doc, builder, photos, progress)
    builder.used.add(fonts.body)  # page numbers
    total = len(doc.blocks) + 1

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
    try:
        partial = partial_path(out_path, suffix=".pdf.tmp")
    except FileNotFoundError as exc:
        raise UserError(f"保存位置不存在：{out_path.parent}。请另选一个文件夹。") from exc
    except PermissionError as exc:
        raise UserError(f"没有权限在 {out_path.parent} 里保存文件。请另选一个文件夹（例如“文档”或桌面）。") from exc
    built = False
    try:
        with atomic_write(out_path, partial) as temporary:
            template = SimpleDocTemplate(
                str(temporary), pagesize=A4, leftMargin=MARGIN_LEFT, rightMargin=MARGIN_RIGHT,
                topMargin=MARGIN_TOP, bottomMargin=MARGIN_BOTTOM, title=title, subject=doc.subject or title,
                creator=CREATOR, producer=CREATOR, author="", keywords=doc.keywords, pageCompression=1,
                initialFontName=fonts.body, initialFontSize=BODY_SIZE, lang="zh-CN",
            )
            template.build(story, onFirstPage=on_page, onLaterPages=on_page)
            if progress is not None:
                progress(total, total)
            os.chmod(temporary, 0o644)
            built = True
    except PermissionError as exc:
        if not built:
            raise
        # moving it onto the target failed: the target is open elsewhere (Windows) or read-only
        raise UserError(f"无法写入 {out_path}：文件可能正被其他程序（如 PDF 阅读器）打开。"
                        "请先关闭它，或换一个文件名再导出。") from exc
    faces = [_postscript_name(name) for name in (fonts.heading, fonts.body, fonts.rare) if name and name in builder.used]
    return RenderInfo(pages=pages[0], size=out_path.stat().st_size, fonts=faces)


def _story(doc: Printable, builder: Typesetter, photos: dict[Path, PrintPhoto], progress) -> list[Flowable]:
    """The flowables of the whole document, in order: the title, the blocks, the code box."""
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
                    follow = _min_follow(doc.blocks[end], builder) if end < len(doc.blocks) else 0
                    lead = builder.styles.leading
                    story.append(CondPageBreak((end - i) * (lead + lead / 2) + follow))
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
            case BarChart():
                story += builder.chart(block)
            case SignOff():
                story += builder.sign_off(block)
                if closing:
                    closing.append(len(story))
            case _:
                raise TypeError(f"unknown document block {block!r}")
        if progress is not None and not isinstance(block, Heading):  # a heading keeps with what follows
            story.append(_Progress(i + 1, total, progress))
    if doc.code_box:
        story += builder.code_box(doc.code_box)
        if closing and isinstance(doc.blocks[-1], SignOff):  # the box right under the sign-off goes along too
            closing[1] = len(story)
    if len(closing) == 2:
        story[closing[0]:closing[1]] = [KeepTogether(story[closing[0]:closing[1]])]
    return story


class _Progress(Flowable):
    """Takes no space; reports progress when the layout reaches it (and lets a cancel stop the build)."""

    def __init__(self, done: int, total: int, progress: Callable[[int, int], None]):
        super().__init__()
        self.done, self.total, self.progress = done, total, progress

    def wrap(self, availWidth, availHeight):
        return 0, 0

    def draw(self):
        self.progress(self.done, self.total)


def _min_follow(block, builder: Typesetter) -> float:
    """How much of `block` must fit under a heading for the heading to stay on the page."""
    match block:
        case Table(caption=caption):
            return builder.styles.table_start + (22 + 6 if caption else 0)
        case BarChart(labels=labels, caption=caption):
            return min(len(labels), 6) * 20 + 20 + (22 + 6 if caption else 0)
        case PhotoGrid(photos=photos) if photos:
            return photo_row_height()
        case SignOff(names=names, seal_space=seal):
            return max(SEAL_SPACE, (len(names) + 2) * BODY_LEADING) if seal else (len(names) + 2) * BODY_LEADING
    return 3 * builder.styles.leading


def _postscript_name(reportlab_name: str) -> str:
    from reportlab.pdfbase.pdfmetrics import getFont

    name = getFont(reportlab_name).face.name
    return name.decode("latin-1") if isinstance(name, bytes) else str(name)
