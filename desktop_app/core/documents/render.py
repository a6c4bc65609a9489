"""What a PDF shows, page by page, and where two PDFs show something different (`compare`).

Pages are rendered to grey images with PDFium (pypdfium2: the renderer of Chrome, wheels for Windows
and Linux, no Qt, no poppler) at `DPI`, annotations and form fields included, and compared pixel by
pixel. A file printed again by the same writer renders to the same pixels; a tolerance is kept all the
same for anti-aliasing and re-encoded photos: a pixel counts as different when its grey differs by more
than `PIXEL_STEP`, and a page differs when some `WINDOW`×`WINDOW` square (1.5 mm) holds at least
`WINDOW_PIXELS` such pixels. A figure drawn over, a line struck out, a digit changed, a comma made a full stop all do.

Each page of the file compared is also rendered as for printing: a page that prints something other than
it shows (optional content that is off on screen and on when printed, an annotation printed but not shown)
differs where it prints something else (`PageDifference.printing`). A page turned (its /Rotate) is said as
such (`PageDifference.rotated`), another page size (a crop box, other paper) as `size`.

Also said: the page's text as PDFium reads it (to compare text layers) and what is printed in a box of
a page (to tell a person what the original says where a copy differs), what a file carries that can
show different things in different readers or do things when opened (annotations, form fields, scripts,
optional content, actions run on opening, embedded files: `RenderedPdf.additions`), and what a file
carries as metadata (`metadata_texts`: the Info dictionary, the XMP packet, the text of its last page).

A file that is not ours is looked at before PDFium draws it (`inspect`, with pypdf): a page whose streams
decode to more than any printed document holds (a flate bomb: 500 MB from 500 KB), an image of more
pixels than any photo, or too many objects is `TooLarge`, found after decoding at most `MAX_STREAM_BYTES`
of each stream, never by decoding it all.

Knows nothing of notices. PDFium is not thread-safe: every use goes through one lock.
"""

import logging
import threading
import zlib
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
# What a file not ours may hold before PDFium draws it (`inspect`). A printed page's content streams are
# kilobytes, an embedded font a few megabytes, a photo a few megapixels.
MAX_STREAM_BYTES = 32 * 1024 * 1024  # one stream, decoded
MAX_DECODED_BYTES = 128 * 1024 * 1024  # every stream the pages use, decoded, together
MAX_IMAGE_PIXELS = 50_000_000
MAX_OBJECTS = 200_000
MAX_XMP_BYTES = 4 * 1024 * 1024
_IMAGE_CODECS = {"/DCTDecode", "/DCT", "/JPXDecode", "/JBIG2Decode", "/CCITTFaxDecode", "/CCF"}
_FLATE = {"/FlateDecode", "/Fl"}

_SCALE = DPI / 72
_STRONG = [0] * (PIXEL_STEP + 1) + [255] * (255 - PIXEL_STEP)  # grey difference → counts or not
_DENSE_LEVEL = int(255 * WINDOW_PIXELS / (WINDOW * WINDOW))  # the box average of WINDOW_PIXELS counted pixels
_DENSE = [0] * _DENSE_LEVEL + [255] * (256 - _DENSE_LEVEL)
_lock = threading.RLock()


class Unreadable(Exception):
    """A file PDFium cannot open or draw."""


class TooLarge(Unreadable):
    """A file holding more than a printed document does (`inspect`): `page` (1-based) where it was found,
    or None (the file itself: too many objects, streams of the document structure)."""

    def __init__(self, what: str, page: int | None = None):
        super().__init__(what)
        self.page = page


@dataclass(frozen=True)
class PageDifference:
    """A page that does not show what the reference shows."""

    page: int  # 1-based
    size: bool = False  # the pages are not the same size (then `box` is None)
    box: tuple[float, float, float, float] | None = None  # where, in points: left, top, right, bottom (from the top)
    page_height: float = 0.0
    reference_text: str = ""  # what the reference prints there
    rotated: bool = False  # the page is turned (another /Rotate than the reference's)
    printing: bool = False  # the page shows what the reference shows, but prints something else

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

    def __init__(self, document, added: list[str] | None = None):
        self._doc = document
        self._added = list(added or [])  # what `inspect` found
        self._prints_as_shown: dict[int, bool] = {}  # page → printed exactly as shown

    @property
    def page_count(self) -> int:
        return len(self._doc)

    def size(self, index: int) -> tuple[float, float]:
        return tuple(self._doc.get_page_size(index))

    def rotation(self, index: int) -> int:
        with _lock:
            page = self._doc[index]
            try:
                return page.get_rotation()
            finally:
                page.close()

    def image(self, index: int, printing: bool = False):
        """Page `index` (0-based) as a grey PIL image at DPI, as shown on screen or (`printing`) as printed."""
        with _lock:
            page = self._doc[index]
            try:
                bitmap = page.render(scale=_SCALE, grayscale=True, draw_annots=True, may_draw_forms=True,
                                     optimize_mode="print" if printing else None)
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
        over the pages or run when it is opened: form fields, scripts, annotations (with their page), and
        what `inspect` found (optional content, actions run on opening, embedded files)."""
        import pypdfium2.raw as pdfium_c

        found = []
        with _lock:
            if self._doc.get_formtype() != pdfium_c.FORMTYPE_NONE:
                found.append("表单域")
            if pdfium_c.FPDFDoc_GetJavaScriptActionCount(self._doc.raw) > 0:
                found.append("脚本")
            if pdfium_c.FPDFDoc_GetAttachmentCount(self._doc.raw) > 0:
                found.append("嵌入的附件")
            for index in range(self.page_count):
                page = self._doc[index]
                try:
                    if pdfium_c.FPDFPage_GetAnnotCount(page.raw) > 0:
                        found.append(f"第 {index + 1} 页上的批注")
                finally:
                    page.close()
        return list(dict.fromkeys(found + self._added))

    def prints_as_shown(self, index: int, shown) -> bool:
        """Whether page `index` prints exactly what it shows (`shown`: its screen image); rendered for
        printing once per page."""
        if index not in self._prints_as_shown:
            from PIL import ImageChops

            self._prints_as_shown[index] = ImageChops.difference(shown, self.image(index, printing=True)).getbbox() is None
        return self._prints_as_shown[index]


@contextmanager
def open_pdf(path: Path | str, *, trusted: bool = False) -> Iterator[RenderedPdf]:
    """The PDF at `path`, ready to render; Unreadable when PDFium cannot open it (or it is too large),
    TooLarge when a page holds more than a printed document (`inspect`: not done for a `trusted` file,
    one this program just wrote)."""
    import pypdfium2 as pdfium

    path = Path(path)
    added: list[str] = []
    try:
        if path.stat().st_size > MAX_BYTES:
            raise Unreadable("too large")
        if not trusted:
            added = inspect(path)
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
        yield RenderedPdf(document, added)
    finally:
        with _lock:
            document.close()


def compare(pdf: RenderedPdf, reference: RenderedPdf) -> Comparison:
    """Where `pdf` shows something other than `reference`: every page that differs (the pages they have
    in common, when their counts differ)."""
    differences = []
    for index in range(min(pdf.page_count, reference.page_count)):
        width, height = reference.size(index)
        w, h = pdf.size(index)
        rotated = pdf.rotation(index) != reference.rotation(index)
        if abs(w - width) > 0.5 or abs(h - height) > 0.5:
            differences.append(PageDifference(index + 1, size=True, page_height=height, rotated=rotated))
            continue
        a, b = pdf.image(index), reference.image(index)
        if a.size != b.size:
            differences.append(PageDifference(index + 1, size=True, page_height=height, rotated=rotated))
            continue
        box = _differing_box(a, b)
        printing = False
        if box is None and not pdf.prints_as_shown(index, a):
            box, printing = _differing_box(pdf.image(index, printing=True), b), True
        if box is None and rotated:
            box = (0.0, 0.0, width, height)  # turned half a turn and drawn the same: said all the same
        if box is None:
            continue
        said = " ".join(reference.words_at(index, _grown(box, 1, width, height)).split()) if not rotated else ""
        differences.append(PageDifference(index + 1, box=box, page_height=height, reference_text=said,
                                          rotated=rotated, printing=printing))
    return Comparison(pdf.page_count, reference.page_count, differences)


def _differing_box(a, b) -> tuple[float, float, float, float] | None:
    """Where grey image `a` differs from `b` (points from the top left), None when it does not."""
    from PIL import ImageChops, ImageFilter

    strong = ImageChops.difference(a, b).point(_STRONG)
    if strong.getbbox() is None:
        return None
    dense = strong.filter(ImageFilter.BoxBlur(WINDOW // 2)).point(_DENSE).getbbox()
    if dense is None:
        return None  # scattered single pixels: anti-aliasing, a photo encoded again
    inner = strong.crop(dense).getbbox()  # the differing pixels themselves, without the window's margin
    return tuple((v + dense[i % 2]) / _SCALE for i, v in enumerate(inner))


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


# ---------------------------------------------------------------------------------- a file not ours


def inspect(path: Path | str) -> list[str]:
    """Look at a file not ours before PDFium draws it (pypdf, reading only what the pages use): TooLarge
    (with the page) when a stream decodes to more than MAX_STREAM_BYTES, all of them together to more than
    MAX_DECODED_BYTES, an image has more than MAX_IMAGE_PIXELS or the pages use more than MAX_OBJECTS
    objects; each stream is decoded only as far as its bound. Returns what the file carries that a plain
    printed document has not and a reader may act on: optional content (which may show one thing on screen
    and print another), actions run on opening a file or a page, scripts, embedded files, form fields.
    A file pypdf cannot follow says nothing here (PDFium judges it next)."""
    from pypdf import PdfReader
    from pypdf.errors import LimitReachedError

    logging.getLogger("pypdf").setLevel(logging.ERROR)  # a damaged file is said once, by our caller
    walk = _Walk()
    try:
        with open(path, "rb") as handle:
            reader = PdfReader(handle, strict=False)
            if reader.is_encrypted:
                return []  # PDFium says it cannot open it
            root = reader.trailer["/Root"]
            walk.catalog(root)
            pages = reader.pages
            if len(pages) > MAX_PAGES:
                raise Unreadable("too many pages")
            for index in range(len(pages)):
                walk.page(pages[index], index + 1)
    except LimitReachedError as exc:  # pypdf's own bound, reading the file's structure
        raise TooLarge(str(exc), walk.at) from None
    except Unreadable:
        raise
    except Exception:  # noqa: BLE001 — a damaged file: PDFium judges it
        pass
    return list(dict.fromkeys(walk.found))


class _Walk:
    """The objects the pages use, each once: the decoded bytes counted, what a reader may act on noted."""

    def __init__(self):
        self.seen: set[tuple[int, int]] = set()
        self.decoded = 0
        self.found: list[str] = []
        self.at: int | None = None  # the page being walked (1-based)

    def catalog(self, root) -> None:
        if "/OCProperties" in root:
            self.found.append("可选内容层")
        if "/OpenAction" in root or "/AA" in root:
            self.found.append("打开文件时自动执行的动作")
        if "/AcroForm" in root:
            self.found.append("表单域")
        names = root.get("/Names")
        if names is not None:
            names = names.get_object()
            if "/JavaScript" in names:
                self.found.append("脚本")
            if "/EmbeddedFiles" in names:
                self.found.append("嵌入的附件")

    def page(self, page, number: int) -> None:
        from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject, StreamObject

        self.at = number
        if "/AA" in page:
            self.found.append(f"打开第 {number} 页时自动执行的动作")
        stack = [page.raw_get(key) for key in ("/Contents", "/Resources", "/Annots") if key in page]
        while stack:
            item = stack.pop()
            if isinstance(item, IndirectObject):
                key = (item.idnum, item.generation)
                if key in self.seen:
                    continue
                self.seen.add(key)
                if len(self.seen) > MAX_OBJECTS:
                    raise TooLarge("too many objects", number)
                item = item.get_object()
            if isinstance(item, StreamObject):
                self.stream(item, number)
            if isinstance(item, DictionaryObject):
                self.note(item)
                stack.extend(value for key, value in item.items() if key not in ("/Parent", "/P"))
            elif isinstance(item, ArrayObject):
                stack.extend(item)

    def note(self, item) -> None:
        if "/OC" in item or item.get("/Type") in ("/OCG", "/OCMD"):
            self.found.append("可选内容层")
        if "/JS" in item or item.get("/S") == "/JavaScript":
            self.found.append("脚本")
        if item.get("/Type") == "/EmbeddedFile" or item.get("/Subtype") == "/FileAttachment":
            self.found.append("嵌入的附件")

    def stream(self, stream, number: int) -> None:
        if stream.get("/Subtype") == "/Image":
            pixels = _number(stream.get("/Width")) * _number(stream.get("/Height"))
            if pixels > MAX_IMAGE_PIXELS:
                raise TooLarge(f"an image of {pixels} pixels", number)
        size = _decoded_size(stream, MAX_STREAM_BYTES)
        self.decoded += size
        if size > MAX_STREAM_BYTES or self.decoded > MAX_DECODED_BYTES:
            raise TooLarge("streams decode to too much", number)


def _number(value) -> int:
    try:
        return max(0, int(value.get_object() if hasattr(value, "get_object") else value))
    except (TypeError, ValueError):
        return 0


def _decoded_size(stream, limit: int) -> int:
    """How many bytes `stream` decodes to, counted up to just past `limit` (then decoding stops). Images
    in their own codecs count as their pixels (`inspect`) and 0 here."""
    from pypdf.errors import LimitReachedError

    filters = stream.get("/Filter")
    filters = [] if filters is None else [filters] if not isinstance(filters, list) else list(filters)
    filters = [str(f.get_object() if hasattr(f, "get_object") else f) for f in filters]
    raw = stream._data or b""  # the bytes as stored (pypdf keeps them undecoded until asked)
    if not filters:
        return len(raw)
    if any(f in _IMAGE_CODECS for f in filters):
        return 0
    if len(filters) == 1 and filters[0] in _FLATE:
        inflate, total, rest = zlib.decompressobj(), 0, raw
        try:
            while rest and total <= limit:
                out = inflate.decompress(rest, 1 << 20)
                total += len(out)
                rest = inflate.unconsumed_tail
                if not out:
                    break
        except zlib.error:
            pass  # damaged: what was decoded so far is what a reader gets
        return total
    try:  # other filters (LZW, ASCII85 then flate …): pypdf decodes them within its own bounds
        return len(stream.get_data())
    except LimitReachedError:
        return limit + 1
    except Exception:  # noqa: BLE001 — a stream pypdf cannot decode
        return 0


def metadata_texts(path: Path | str) -> Iterator[tuple[str, str]]:
    """What a PDF says about itself, cheapest first: ("info", each value of its Info dictionary as PDFium
    decodes it), ("xmp", its XMP packet), ("printed", the text of its last page: after `inspect`). Nothing
    from a file that cannot be read."""
    import pypdfium2 as pdfium

    path = Path(path)
    try:
        if path.stat().st_size > MAX_BYTES:
            return
        with _lock:
            document = pdfium.PdfDocument(str(path))
            try:
                info = list(document.get_metadata_dict(skip_empty=True).values())
            finally:
                document.close()
    except Exception:  # noqa: BLE001 — not a PDF, damaged, encrypted …
        return
    for value in info:
        yield "info", value
    packet = _xmp(path)
    if packet:
        yield "xmp", packet
    try:
        inspect(path)
        with open_pdf(path, trusted=True) as pdf:
            text = pdf.text(pdf.page_count - 1) if pdf.page_count else ""
    except Exception:  # noqa: BLE001 — TooLarge, a page PDFium cannot read
        return
    yield "printed", text


def _xmp(path: Path) -> str:
    """The XMP metadata packet of a PDF (pypdf; decoded within MAX_XMP_BYTES), or ""."""
    from pypdf import PdfReader

    logging.getLogger("pypdf").setLevel(logging.ERROR)
    try:
        with open(path, "rb") as handle:
            reader = PdfReader(handle, strict=False)
            stream = reader.trailer["/Root"].get("/Metadata")
            if stream is None:
                return ""
            stream = stream.get_object()
            if _decoded_size(stream, MAX_XMP_BYTES) > MAX_XMP_BYTES:
                return ""
            return stream.get_data().decode("utf-8", "replace")
    except Exception:  # noqa: BLE001 — no packet pypdf can read
        return ""
