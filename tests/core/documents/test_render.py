"""`documents.render`: what two PDFs show, compared page by page — the same drawing written twice is the
same, a changed digit, a removed comma, an extra page or another paper size is a difference (with its page,
where it is and what the reference prints there), a photo encoded again is not; annotations and form fields
are said; a file that is not a PDF is Unreadable."""

import io

import pytest
from PIL import Image, ImageDraw
from reportlab.lib.pagesizes import A4, A5
from reportlab.lib.utils import ImageReader
from reportlab.pdfgen import canvas

from desktop_app.core.documents import render
from desktop_app.core.documents.fonts import register_fonts


def photo(quality: int) -> ImageReader:
    picture = Image.new("RGB", (320, 240), (90, 140, 60))
    draw = ImageDraw.Draw(picture)
    for i in range(0, 320, 16):
        draw.line((i, 0, 320 - i, 240), fill=(200, 180 - i // 4, 40 + i // 3), width=3)
    data = io.BytesIO()
    picture.save(data, "JPEG", quality=quality)
    return ImageReader(io.BytesIO(data.getvalue()))


def write(path, figure="¥9,600.00", *, pages=1, size=A4, quality=80, title="公示"):
    fonts = register_fonts()
    page = canvas.Canvas(str(path), pagesize=size, invariant=0)
    page.setTitle(title)
    for number in range(pages):
        page.setFont(fonts.body, 10.5)
        page.drawString(72, size[1] - 100, "支出合计：")
        page.drawString(140, size[1] - 100, figure)
        page.drawString(72, size[1] - 130, f"— {number + 1} —")
        page.drawImage(photo(quality), 72, 200, width=160, height=120)
        page.showPage()
    page.save()
    return path


def compare(a, b) -> render.Comparison:
    with render.open_pdf(a) as pdf, render.open_pdf(b) as reference:
        return render.compare(pdf, reference)


def test_the_same_drawing_written_twice_is_the_same(tmp_path):
    a, b = write(tmp_path / "a.pdf"), write(tmp_path / "b.pdf", title="另一个标题")
    assert a.read_bytes() != b.read_bytes()
    assert compare(a, b).same


@pytest.mark.parametrize("forged", ["¥9,800.00", "¥9.600.00", "¥99,600.00", "¥9,600.0"])
def test_a_changed_figure_is_a_difference_with_its_page_and_place(tmp_path, forged):
    result = compare(write(tmp_path / "改过.pdf", forged, pages=3), write(tmp_path / "原件.pdf", pages=3))
    assert not result.same and [d.page for d in result.differences] == [1, 2, 3]
    first = result.differences[0]
    assert not first.size and first.where == "页面上部" and "¥9,600.00" in first.reference_text


def test_a_photo_encoded_again_is_not_a_difference(tmp_path):
    assert compare(write(tmp_path / "a.pdf", quality=60), write(tmp_path / "b.pdf", quality=90)).same


def test_another_page_count_or_paper_size_differs(tmp_path):
    more = compare(write(tmp_path / "多.pdf", pages=3), write(tmp_path / "原.pdf", pages=2))
    assert (more.pages, more.reference_pages, more.differences, more.same) == (3, 2, [], False)
    smaller = compare(write(tmp_path / "小.pdf", size=A5), write(tmp_path / "原.pdf"))
    assert smaller.differences[0].size and smaller.differences[0].page == 1


def test_annotations_and_form_fields_are_said(tmp_path):
    from pypdf import PdfReader, PdfWriter
    from pypdf.annotations import FreeText

    writer = PdfWriter(clone_from=PdfReader(write(tmp_path / "a.pdf", pages=2)))
    writer.add_annotation(1, FreeText(text="¥99,600.00", rect=(100, 600, 250, 640)))
    writer.write(tmp_path / "批注.pdf")
    with render.open_pdf(tmp_path / "批注.pdf") as pdf:
        assert pdf.additions() == ["第 2 页上的批注"]
    with render.open_pdf(tmp_path / "a.pdf") as pdf:
        assert pdf.additions() == [] and "¥9,600.00" in pdf.text(0)


def test_a_file_that_is_not_a_pdf_is_unreadable(tmp_path):
    (tmp_path / "x.pdf").write_bytes(b"%PDF-1.4\nnot really\n")
    with pytest.raises(render.Unreadable), render.open_pdf(tmp_path / "x.pdf"):
        pass
    with pytest.raises(render.Unreadable), render.open_pdf(tmp_path / "missing.pdf"):
        pass
