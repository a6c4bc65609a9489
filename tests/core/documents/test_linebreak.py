"""Chinese line breaking: no line starts with closing punctuation or ends with an opening one, numbers
stay whole, a paragraph split across pages gains no spaces, a hanging comma is squeezed back."""

from desktop_app.core.documents import linebreak
from desktop_app.core.documents.fonts import register_fonts
from desktop_app.core.documents.linebreak import ChineseParagraph


def _lines(paragraph, width) -> list[str]:
    paragraph.wrap(width, 10_000)
    return ["".join(frag.text for frag in line.words) for line in paragraph.blPara.lines]


def test_no_line_starts_with_closing_punctuation():
    from reportlab.lib.styles import ParagraphStyle

    fonts = register_fonts()
    style = ParagraphStyle("t", fontName=fonts.body, fontSize=10, leading=14, wordWrap="CJK")
    width = 10 * 10  # exactly ten characters a line
    for text in ["一二三四五六七八九十，一二三四五六七八九十。",      # the comma falls at the start of line 2
                 "一二三四五六七八九十”，一二三四五六七八九十",       # two closing marks in a row
                 "一二三四五六七八九“十一二三四五六七八九十",          # an opening quote at a line end
                 "一二三四五六七八九十……一二三四五六七八九十",
                 "金额一二三四五六¥316,000.00元一二三四五六七八九"]:   # no split inside the amount
        lines = _lines(ChineseParagraph(text, style), width)
        assert "".join(lines) == text
        for line in lines[1:]:
            assert line[0] not in linebreak.CANNOT_START, (text, lines)
        for line in lines[:-1]:
            assert line[-1] not in linebreak.CANNOT_END, (text, lines)
        assert not any("316" in line and "000.00" not in line for line in lines), lines
    # reportlab's own splitter, used by plain Paragraphs, is patched as well
    from reportlab.lib import textsplit
    from reportlab.platypus import paragraph

    assert "，" in textsplit.ALL_CANNOT_START and "”" in paragraph.ALL_CANNOT_START


def test_a_paragraph_split_across_pages_gains_no_spaces():
    from reportlab.lib.styles import ParagraphStyle

    fonts = register_fonts()
    style = ParagraphStyle("t", fontName=fonts.body, fontSize=10, leading=14, wordWrap="CJK", firstLineIndent=20)
    text = "甲乙丙丁戊己庚辛壬癸" * 10
    para = ChineseParagraph(text, style)
    para.wrap(100, 1000)
    first, rest = para.split(100, 14 * 4)
    parts = ["".join(f.text for f in p.frags) for p in (first, rest)]
    assert "".join(parts) == text  # reportlab's own splitter would put a space after every line
    assert "".join(_lines(para, 100)) == text  # and the original's lines are left as they were


def test_hanging_comma_is_squeezed_into_the_line():
    from reportlab.lib.enums import TA_JUSTIFY
    from reportlab.lib.styles import ParagraphStyle

    fonts = register_fonts()
    style = ParagraphStyle("t", fontName=fonts.body, fontSize=10, leading=14, wordWrap="CJK", alignment=TA_JUSTIFY)
    lines = _lines(ChineseParagraph("一二三四五六七八九十一二，三四五六七八九十", style), 120)
    assert lines[0] == "一二三四五六七八九十一二，"  # hung, then justified back into 120 pt
    assert lines[1][0] == "三"
