"""What the survey documents added to the A4 document model, tested as general blocks: the bar chart (CJK
labels in the bundled faces, long labels wrapped, unprintable characters refused), tables without a header
or rules, empty rows to write in, and the compact type of a form."""

import shutil
import subprocess

import pytest
from pypdf import PdfReader

from desktop_app.core.documents.charts import bar_chart
from desktop_app.core.documents.flowables import Typesetter
from desktop_app.core.documents.fonts import register_fonts
from desktop_app.core.documents.layout import COMPACT_SIZE, FRAME_W
from desktop_app.core.documents.model import (
    BarChart,
    Column,
    Document,
    Heading,
    Paragraph,
    Table,
    block_texts,
)
from desktop_app.core.documents.pdf import render_pdf
from desktop_app.core.documents.pdf_text import flatten, page_texts
from desktop_app.core.errors import UserError

LONG = "关爱服务（留守儿童、空巢老人、困境儿童）"
CHART = BarChart(("亲子教育", "养老服务", LONG, "吉𠮷祥"), (62.0, 50.8, 15.6, 4.0),
                 ("62.0%", "50.8%", "15.6%", "4.0%"), maximum=100, unit="%", caption="需求排序")


def test_chart_labels_are_printed_in_the_bundled_faces(tmp_path):
    out = tmp_path / "chart.pdf"
    info = render_pdf(Document(["图表"], [Heading("一、需求"), CHART]), out)
    text = flatten(page_texts(out))
    for word in ("需求排序", "亲子教育", "养老服务", "62.0%", "4.0%", "100%", "𠮷"):
        assert word in text, word
    assert len(info.fonts) == 3  # heading, body and the rare face for 𠮷 — no Helvetica
    if shutil.which("pdffonts"):
        listed = subprocess.run(["pdffonts", str(out)], capture_output=True, text=True, check=True).stdout
        assert "Helvetica" not in listed


def test_chart_is_as_wide_as_asked_and_first_label_on_top():
    fonts = register_fonts()
    drawing, faces = bar_chart(CHART, fonts, FRAME_W)
    assert drawing.width == FRAME_W and fonts.body in faces and fonts.rare in faces
    chart = drawing.contents[0]
    assert chart.categoryAxis.categoryNames[-1] == "亲子教育"  # reportlab draws the last name on top
    assert any("\n" in name for name in chart.categoryAxis.categoryNames)  # the long label wrapped
    drawn = {(shape.text, shape.fontName) for shape in drawing.contents[1:]}  # the labels, run by run
    assert ("𠮷", fonts.rare) in drawn and ("吉", fonts.body) in drawn and ("亲子教育", fonts.body) in drawn


def test_unprintable_character_in_a_chart_is_refused_with_where_it_is(tmp_path):
    out = tmp_path / "bad.pdf"
    with pytest.raises(UserError) as refused:
        render_pdf(Document(["图表"], [BarChart(("亲子\U000F0000教育",), (1.0,))]), out)
    assert any("图表" in d for d in refused.value.details)
    assert not out.exists()


def test_a_table_without_header_or_rules_prints_only_its_rows(tmp_path):
    grid = Table((Column("不印出", 1), Column("也不印", 1)), (("□ 1 亲子教育", "□ 2 养老服务"),), header=False,
                 lines="none")
    assert block_texts([], [grid]) == ["", "□ 1 亲子教育", "□ 2 养老服务"]
    out = tmp_path / "grid.pdf"
    render_pdf(Document(["表格"], [grid]), out)
    text = flatten(page_texts(out))
    assert "□1亲子教育" in text and "不印出" not in text


def test_an_empty_row_is_tall_enough_to_write_in():
    setter = Typesetter(register_fonts(), compact=True)
    *_, filled, _space = setter.table(Table((Column("", 1),), (("写",),), header=False, lines="below"))
    *_, empty, _space = setter.table(Table((Column("", 1),), (("",),), header=False, lines="below"))
    assert empty.wrap(FRAME_W, 1000)[1] >= filled.wrap(FRAME_W, 1000)[1]
    assert empty.wrap(FRAME_W, 1000)[1] >= 18


def test_a_compact_document_is_set_small_and_takes_fewer_pages(tmp_path):
    text = "社区慈善服务的需求调查问卷，请如实填写。" * 40
    blocks = [Heading(f"{i}. 您的年龄段", level=2) for i in range(30)] + [Paragraph(text)]
    assert Typesetter(register_fonts(), compact=True).styles.body.fontSize == COMPACT_SIZE
    render_pdf(Document(["问卷"], blocks), tmp_path / "official.pdf")
    render_pdf(Document(["问卷"], blocks, compact=True), tmp_path / "compact.pdf")
    official = len(PdfReader(tmp_path / "official.pdf").pages)
    compact = len(PdfReader(tmp_path / "compact.pdf").pages)
    assert compact < official
