"""Forging a notice PDF as a determined editor would, for the verification tests: a white box and a picture
of another figure drawn over a figure on a real exported notice (reportlab draws the overlay, pypdf merges
it onto the page), the verification code copied back as a comment at the end of the file."""

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
