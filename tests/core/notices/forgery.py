"""Forging a notice PDF as a determined editor would, for the verification tests: a white box and a picture
of another figure drawn over a figure on a real exported notice (reportlab draws the overlay, pypdf merges
it onto the page), the verification code copied back as a comment at the end of the file.

And as a hostile tester would, leaving the code where pypdf puts it (`resaved`: pages turned, cropped,
removed, added or swapped; the keywords in UTF-16, only in a compressed XMP packet, or only printed), a
white box printed only (`print_only_box`: optional content off on screen), a box annotation over a figure,
and a flate bomb."""

import io
from pathlib import Path

import pypdfium2 as pdfium
from PIL import Image, ImageDraw, ImageFont
from pypdf import PdfReader, PdfWriter
from reportlab.lib.utils import ImageReader
from reportlab.pdfgen import canvas

from desktop_app.core.documents.fonts import HEADING_FONT_FILE
from desktop_app.core.notices.document import KEYWORD_PREFIX, read_verification_code


def find_figure(path: Path, figure: str) -> tuple[int, tuple[float, float, float, float], tuple[float, float]]:
    """(0-based page, box of the first `figure` printed in the PDF in points from the bottom left, page size)."""
    doc = pdfium.PdfDocument(str(path))
    try:
        for index in range(len(doc)):
            page = doc[index]
            text = page.get_textpage()
            hit = text.search(figure).get_next()
            if hit:
                start, count = hit
                boxes = [text.get_charbox(start + k) for k in range(count)]
                box = (min(b[0] for b in boxes), min(b[1] for b in boxes), max(b[2] for b in boxes),
                       max(b[3] for b in boxes))
                return index, box, page.get_size()
    finally:
        doc.close()
    raise LookupError(f"{figure} is not printed in {path}")


def draw_over(source: Path, target: Path, figure: str, replacement: str) -> int:
    """Copy `source` to `target` with a white box over the first `figure` and a picture of `replacement`
    where it was; the code kept as a comment. Returns the page (1-based) drawn over."""
    index, (left, bottom, right, top), size = find_figure(source, figure)
    height = top - bottom
    scale = 8  # the picture at 8 px per point
    font = ImageFont.truetype(str(HEADING_FONT_FILE), int(height * scale))
    width = font.getlength(replacement)
    picture = Image.new("RGB", (int(width) + 4, int(height * scale * 1.3)), "white")
    ImageDraw.Draw(picture).text((2, 0), replacement, fill="black", font=font)
    buffer = io.BytesIO()
    overlay = canvas.Canvas(buffer, pagesize=size)
    overlay.setFillColorRGB(1, 1, 1)
    overlay.rect(left - 1, bottom - 1, right - left + 2, height + 2, stroke=0, fill=1)
    overlay.drawImage(ImageReader(picture), right - width / scale, bottom - height * 0.15,
                      width=picture.width / scale, height=picture.height / scale)
    overlay.save()
    writer = PdfWriter(clone_from=PdfReader(str(source)))
    writer.pages[index].merge_page(PdfReader(io.BytesIO(buffer.getvalue())).pages[0])
    return _write(writer, target, read_verification_code(source)) or index + 1


def saved_again(source: Path, target: Path) -> Path:
    """The same pages written out again by another program (pypdf): not the same bytes, the same print."""
    _write(PdfWriter(clone_from=PdfReader(str(source))), target, read_verification_code(source))
    return target


def annotated(source: Path, target: Path, text: str) -> Path:
    """`source` with a text annotation over the top of its first page (a reader shows it on the page)."""
    from pypdf.annotations import FreeText

    writer = PdfWriter(clone_from=PdfReader(str(source)))
    writer.add_annotation(0, FreeText(text=text, rect=(50, 700, 250, 760)))
    _write(writer, target, read_verification_code(source))
    return target


def _write(writer: PdfWriter, target: Path, code: str | None) -> None:
    with open(target, "wb") as handle:
        writer.write(handle)
        handle.write(f"\n% {KEYWORD_PREFIX}{code}\n".encode())  # pypdf escapes the keywords: put the code back


# ------------------------------------------------------------- saved again by another program, code and all


def resaved(source: Path, target: Path, change=None, *, keywords: str | None = None, xmp: str | None = None) -> Path:
    """`source` written out again by pypdf as a tester would, the code left where pypdf puts it (the Info
    keywords, written with octal escapes: the raw bytes no longer hold it). `change(writer)` alters the
    pages first; `keywords` replaces the Info keywords ("" drops the Info dictionary: the code is then only
    printed on the last page); `xmp` adds a flate-compressed XMP packet."""
    from pypdf.generic import NameObject, StreamObject

    writer = PdfWriter(clone_from=PdfReader(str(source)))
    if change is not None:
        change(writer)
    if keywords == "":
        writer.metadata = None  # no Info dictionary at all
    elif keywords is not None:
        writer.add_metadata({"/Keywords": keywords})
    if xmp is not None:
        packet = StreamObject()
        packet.set_data(xmp.encode("utf-8"))
        packet[NameObject("/Type")] = NameObject("/Metadata")
        packet[NameObject("/Subtype")] = NameObject("/XML")
        writer.root_object[NameObject("/Metadata")] = writer._add_object(packet.flate_encode())  # noqa: SLF001
    with open(target, "wb") as handle:
        writer.write(handle)
    return target


def xmp_packet(keywords: str) -> str:
    return ('<?xpacket begin="\ufeff" id="W5M0MpCehiHzreSzNTczkc9d"?><x:xmpmeta xmlns:x="adobe:ns:meta/">'
            '<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"><rdf:Description rdf:about="" '
            f'xmlns:pdf="http://ns.adobe.com/pdf/1.3/"><pdf:Keywords>{keywords}</pdf:Keywords></rdf:Description>'
            '</rdf:RDF></x:xmpmeta><?xpacket end="w"?>')


def print_only_box(source: Path, target: Path, figure: str) -> int:
    """`source` saved again with a white box over the first `figure` in an optional content group that is
    off on screen and on when printing (the forgery shows only on paper). Returns the page (1-based)."""
    from pypdf.generic import ArrayObject, DecodedStreamObject, DictionaryObject, NameObject, TextStringObject

    index, (left, bottom, right, top), _size = find_figure(source, figure)
    writer = PdfWriter(clone_from=PdfReader(str(source)))
    group = writer._add_object(DictionaryObject({  # noqa: SLF001
        NameObject("/Type"): NameObject("/OCG"), NameObject("/Name"): TextStringObject("打印"),
        NameObject("/Usage"): DictionaryObject({
            NameObject("/Print"): DictionaryObject({NameObject("/PrintState"): NameObject("/ON")}),
            NameObject("/View"): DictionaryObject({NameObject("/ViewState"): NameObject("/OFF")})})}))
    writer.root_object[NameObject("/OCProperties")] = DictionaryObject({
        NameObject("/OCGs"): ArrayObject([group]),
        NameObject("/D"): DictionaryObject({NameObject("/OFF"): ArrayObject([group]), NameObject("/AS"): ArrayObject([
            DictionaryObject({NameObject("/Event"): NameObject(f"/{event}"), NameObject("/OCGs"): ArrayObject([group]),
                              NameObject("/Category"): ArrayObject([NameObject(f"/{event}")])})
            for event in ("Print", "View")])})})
    page = writer.pages[index]
    resources = page["/Resources"]
    properties = resources.get("/Properties") or DictionaryObject()
    properties[NameObject("/oc1")] = group
    resources[NameObject("/Properties")] = properties
    box = DecodedStreamObject()
    box.set_data(f"q /OC /oc1 BDC 1 1 1 rg {left - 1:.2f} {bottom - 1:.2f} {right - left + 2:.2f} "
                 f"{top - bottom + 2:.2f} re f EMC Q".encode())
    contents = page["/Contents"]
    parts = list(contents) if isinstance(contents, list) else [page.raw_get("/Contents")]
    page[NameObject("/Contents")] = ArrayObject([*parts, writer._add_object(box)])  # noqa: SLF001
    writer.write(target)
    return index + 1


def box_annotation_over(source: Path, target: Path, figure: str) -> int:
    """`source` saved again with a white Square annotation over the first `figure`. Returns the page."""
    from pypdf.annotations import Rectangle

    index, (left, bottom, right, top), _size = find_figure(source, figure)
    writer = PdfWriter(clone_from=PdfReader(str(source)))
    writer.add_annotation(index, Rectangle(rect=(left - 2, bottom - 2, right + 2, top + 2), interior_color="ffffff"))
    writer.write(target)
    return index + 1


def flate_bomb(source: Path, target: Path, megabytes: int, page: int = 0) -> Path:
    """`source` with a content stream on `page` (0-based) that inflates to `megabytes` MB of spaces (about
    1 KB a megabyte in the file), the code kept as a comment like the other forgeries."""
    import zlib

    from pypdf.generic import ArrayObject, EncodedStreamObject, NameObject

    squeeze = zlib.compressobj(9)
    spaces = b" " * (1 << 20)
    data = b"".join([squeeze.compress(spaces) for _ in range(megabytes)] + [squeeze.flush()])
    writer = PdfWriter(clone_from=PdfReader(str(source)))
    bomb = EncodedStreamObject()
    bomb._data = data  # noqa: SLF001 — stored as compressed, never inflated here
    bomb[NameObject("/Filter")] = NameObject("/FlateDecode")
    target_page = writer.pages[page]
    contents = target_page["/Contents"]
    parts = list(contents) if isinstance(contents, list) else [target_page.raw_get("/Contents")]
    target_page[NameObject("/Contents")] = ArrayObject([*parts, writer._add_object(bomb)])  # noqa: SLF001
    _write(writer, target, read_verification_code(source))
    return target
