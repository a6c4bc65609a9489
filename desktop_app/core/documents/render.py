"""What a PDF shows, page by page, and where two PDFs show something different (`compare`).

Pages are rendered to grey images with PDFium (pypdfium2: the renderer of Chrome, wheels for Windows
and Linux, no Qt, no poppler) at `DPI`, annotations and form fields included, and compared pixel by
pixel. A file printed again by the same writer renders to the same pixels; a tolerance is kept all the
same for anti-aliasing and re-encoded photos: a pixel counts as different when its grey differs by more
than `PIXEL_STEP`, and a page differs when some `WINDOW`×`WINDOW` square (1.5 mm) holds at least
`WINDOW_PIXELS` such pixels. A figure drawn over, a line struck out, a digit changed, a comma made a full stop all do.

Also said: the page's text as PDFium reads it (to compare text layers) and what is printed in a box of
a page (to tell a person what the original says where a copy differs), and what a file carries that can
show different things in different readers (annotations, form fields, scripts).

Knows nothing of notices. PDFium is not thread-safe: every use goes through one lock.
"""

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

DPI = 150  # a comma turned into a full stop in 10.5 pt type is 4–5 pixels at 150 dpi, 1 at 100 dpi
PIXEL_STEP = 48  # of 255 grey levels; a photo encoded again differs by up to ~30
WINDOW = 9  # pixels (1.5 mm at 150 dpi)
WINDOW_PIXELS = 3
MAX_BYTES = 256 * 1024 * 1024
MAX_PAGES = 2000

_SCALE = DPI / 72
_STRONG = [0] * (PIXEL_STEP + 1) + [255] * (255 - PIXEL_STEP)  # grey difference → counts or not
_DENSE_LEVEL = int(255 * WINDOW_PIXELS / (WINDOW * WINDOW))  # the box average of WINDOW_PIXELS counted pixels
_DENSE = [0] * _DENSE_LEVEL + [255] * (256 - _DENSE_LEVEL)
_lock = threading.RLock()


class Unreadable(Exception):
    """A file PDFium cannot open or draw."""


@dataclass(frozen=True)
class PageDifference:
    """A page that does not show what the reference shows."""

    page: int  # 1-based
    size: bool = False  # the pages are not the same size (then `box` is None)
    box: tuple[float, float, float, float] | None = None  # where, in points: left, top, right, bottom (from the top)
    page_height: float = 0.0
    reference_text: str = ""  # what the reference prints there

    @property
    def where(self) -> str:
        """Where on the page, as a person looks for it: 页面上部 / 中部 / 下部."""
        if self.box is None or not self.page_height:
            return ""
        middle = (self.box[1] + self.box[3]) / 2 / self.page_height
        return "页面上部" if middle < 1 / 3 else "页面中部" if middle < 2 / 3 else "页面下部"


@dataclass(frozen=True)
class Comparison:
    pages: int  # the file's
    reference_pages: int
    differences: list[PageDifference] = field(default_factory=list)  # in page order; empty when the pages match

    @property
    def same(self) -> bool:
        return self.pages == self.reference_pages and not self.differences


class RenderedPdf:
    """An open PDF whose pages are rendered on demand (not kept: 2 MB a page). Use through `open_pdf`."""

    def __init__(self, document):
        self._doc = document

    @property
    def page_count(self) -> int:
        return len(self._doc)

    def size(self, index: int) -> tuple[float, float]:
        return tuple(self._doc.get_page_size(index))

    def image(self, index: int):
        """Page `index` (0-based) as a grey PIL image at DPI."""
        with _lock:
            page = self._doc[index]
            try:
                bitmap = page.render(scale=_SCALE, grayscale=True, draw_annots=True, may_draw_forms=True)
                return bitmap.to_pil().convert("L")
            except Exception as exc:  # noqa: BLE001 — a page PDFium cannot draw
                raise Unreadable(str(exc)) from exc
            finally:
                page.close()

    def text(self, index: int) -> str:
        """The text on page `index`, as PDFium reads it."""
        with _lock:
            page = self._doc[index]
            try:
                textpage = page.get_textpage()
                try:
                    return textpage.get_text_range()
                finally:
                    textpage.close()
            finally:
                page.close()

    def words_at(self, index: int, box: tuple[float, float, float, float]) -> str:
        """The printed words (runs of characters set close together on one line) that `box` touches on
        page `index` (points from the top left: left, top, right, bottom): “¥9,600.00” for a changed digit."""
        with _lock:
            page = self._doc[index]
            try:
                height = page.get_height()
                textpage = page.get_textpage()
                try:
                    return _words_at(textpage, (box[0], height - box[3], box[2], height - box[1]))
                finally:
                    textpage.close()
            finally:
                page.close()

    def additions(self) -> list[str]:
        """What the file carries that a plain printed document has not, which a reader may show (or hide)
        over the pages: form fields, scripts, annotations (with their page)."""
        import pypdfium2.raw as pdfium_c

        found = []
        with _lock:
            if self._doc.get_formtype() != pdfium_c.FORMTYPE_NONE:
                found.append("表单域")
            if pdfium_c.FPDFDoc_GetJavaScriptActionCount(self._doc.raw) > 0:
                found.append("脚本")
            for index in range(self.page_count):
                page = self._doc[index]
                try:
                    if pdfium_c.FPDFPage_GetAnnotCount(page.raw) > 0:
                        found.append(f"第 {index + 1} 页上的批注")
                finally:
                    page.close()
        return found


@contextmanager
def open_pdf(path: Path | str) -> Iterator[RenderedPdf]:
    """The PDF at `path`, ready to render; Unreadable when PDFium cannot open it (or it is too large)."""
    import pypdfium2 as pdfium

    path = Path(path)
    try:
        if path.stat().st_size > MAX_BYTES:
            raise Unreadable("too large")
        with _lock:
            document = pdfium.PdfDocument(str(path))
            try:
                document.init_forms()  # so that form fields are drawn like a reader draws them
            except Exception:  # noqa: BLE001 — a document pdfium opened but cannot give forms to
                document.close()
                raise
    except Unreadable:
        raise
    except Exception as exc:  # noqa: BLE001 — not a PDF, damaged, encrypted with a password …
        raise Unreadable(str(exc)) from exc
    try:
        if len(document) > MAX_PAGES:
            raise Unreadable("too many pages")
        yield RenderedPdf(document)
    finally:
        with _lock:
            document.close()


def compare(pdf: RenderedPdf, reference: RenderedPdf) -> Comparison:
    """Where `pdf` shows something other than `reference`: every page that differs (the pages they have
    in common, when their counts differ)."""
    from PIL import ImageChops, ImageFilter

    differences = []
    for index in range(min(pdf.page_count, reference.page_count)):
        width, height = reference.size(index)
        w, h = pdf.size(index)
        if abs(w - width) > 0.5 or abs(h - height) > 0.5:
            differences.append(PageDifference(index + 1, size=True, page_height=height))
            continue
        a, b = pdf.image(index), reference.image(index)
        if a.size != b.size:
            differences.append(PageDifference(index + 1, size=True, page_height=height))
            continue
        strong = ImageChops.difference(a, b).point(_STRONG)
        if strong.getbbox() is None:
            continue
        dense = strong.filter(ImageFilter.BoxBlur(WINDOW // 2)).point(_DENSE).getbbox()
        if dense is None:
            continue  # scattered single pixels: anti-aliasing, a photo encoded again
        inner = strong.crop(dense).getbbox()  # the differing pixels themselves, without the window's margin
        box = tuple((v + dense[i % 2]) / _SCALE for i, v in enumerate(inner))
        said = " ".join(reference.words_at(index, _grown(box, 1, width, height)).split())
        differences.append(PageDifference(index + 1, box=box, page_height=height, reference_text=said))
    return Comparison(pdf.page_count, reference.page_count, differences)


def _words_at(textpage, box: tuple[float, float, float, float]) -> str:
    """The words `box` (left, bottom, right, top, from the bottom) touches, each taken whole."""
    left, bottom, right, top = box
    count = textpage.count_chars()
    boxes = [textpage.get_charbox(i) for i in range(count)]
    touched = [i for i, (x0, y0, x1, y1) in enumerate(boxes)
               if x1 > x0 and x0 < right and x1 > left and y0 < top and y1 > bottom]
    if not touched:
        return ""
    words = []
    for first in touched:
        if words and first <= words[-1][1]:
            continue
        start = end = first
        while start > 0 and _close(boxes[start - 1], boxes[start]):
            start -= 1
        while end + 1 < count and _close(boxes[end], boxes[end + 1]):
            end += 1
        words.append((start, end))
    return " ".join(textpage.get_text_range(start, end - start + 1) for start, end in words)


def _close(a, b) -> bool:
    """Whether character box `b` follows `a` in the same word: on the same line, less than half a
    character's height to its right."""
    if a[2] <= a[0] or b[2] <= b[0]:
        return False  # a space or a line break PDFium made up
    size = max(a[3] - a[1], b[3] - b[1])
    return min(a[3], b[3]) > max(a[1], b[1]) and -size / 2 < b[0] - a[2] < size / 2


def _grown(box, by: float, width: float, height: float) -> tuple[float, float, float, float]:
    left, top, right, bottom = box
    return max(0.0, left - by), max(0.0, top - by), min(width, right + by), min(height, bottom + by)
