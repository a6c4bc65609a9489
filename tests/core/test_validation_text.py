"""The one text check (`validation.clean_text` / `check_text`) and the bundled fonts' coverage it uses:
what is refused (with the character and its place named), what is removed (with a notice), what is
trimmed, how names compare, and that the entry check and the PDF export agree on what prints."""

import pytest

from desktop_app.core import typefaces
from desktop_app.core.errors import UserError
from desktop_app.core.validation import (
    Cleaned,
    check_division_code,
    check_text,
    clean_text,
    name_key,
    text_notices,
)

NO_FONT_HAS = "\ue000"  # a private-use character: in no bundled face


def refused(text, *, label="类别名称", limit=100, multiline=False) -> str:
    with pytest.raises(UserError) as err:
        clean_text(label, text, limit, multiline=multiline)
    return str(err.value)


@pytest.mark.parametrize(("text", "where", "code"), [
    ("餐费\n补贴", 3, "U+000A"), ("餐费\r补贴", 3, "U+000D"), ("餐费补贴\u2028", 5, "U+2028"),
])
def test_a_newline_in_a_one_line_field_is_refused_with_its_place(text, where, code):
    message = refused(text)
    assert f"第 {where} 个字符是换行" in message and code in message and "类别名称只能写一行" in message


@pytest.mark.parametrize(("text", "where", "code"), [
    ("餐费补\x07", 4, "U+0007"), ("\x1b餐费", 1, "U+001B"), ("餐\x7f费", 2, "U+007F"), ("餐\x85费", 2, "U+0085"),
])
def test_control_characters_are_refused_with_the_character_and_its_place(text, where, code):
    message = refused(text, multiline=text != "餐\x85费")
    assert f"第 {where} 个字符是" in message and code in message


def test_a_tab_is_refused_in_one_line_and_kept_in_several():
    assert "第 3 个字符是制表符" in refused("张三\t李四")
    assert check_text("说明", "张三\t李四\r\n第二行", 100, multiline=True) == "张三\t李四\n第二行"


@pytest.mark.parametrize("mark", ["\u202a", "\u202b", "\u202c", "\u202d", "\u202e", "\u2066", "\u2067", "\u2068",
                                  "\u2069", "\u200e", "\u200f", "\u061c"])
def test_bidirectional_controls_are_refused(mark):
    message = refused(f"收到捐款{mark}0051", label="摘要", multiline=True)
    assert f"第 5 个字符是改变文字方向的不可见控制符 U+{ord(mark):04X}" in message


def test_invisible_characters_pasted_from_word_are_removed_with_a_notice():
    typed = "\ufeff八台\u200b镇尚\u00ad善\u200c社\u200d区\u2060基金\u200b"
    cleaned = clean_text("基金名称", typed, 100)
    assert cleaned == Cleaned("八台镇尚善社区基金", ("\ufeff", "\u200b", "\u00ad", "\u200c", "\u200d", "\u2060", "\u200b"),
                              "基金名称")
    assert cleaned.notice.startswith("已删去基金名称里的 7 个不可见字符（零宽不换行空格、零宽空格、软连字符、零宽非连接符、零宽连接符、单词连接符）")
    assert clean_text("基金名称", "八台镇", 100).notice == ""


def test_front_ends_collect_the_notices_of_a_whole_command():
    with text_notices() as notices:
        assert check_text("摘要", "购置\u200b桌椅", 100) == "购置桌椅"
        check_text("备注", "软\u00ad连字符", 100)
        check_text("地址", "没有不可见字符", 100)
    assert notices == ["已删去摘要里的 1 个不可见字符（零宽空格）。它们多是从 Word 或网页复制时带进来的，看不见也印不出来，删去后文字不变。",
                       "已删去备注里的 1 个不可见字符（软连字符）。它们多是从 Word 或网页复制时带进来的，看不见也印不出来，删去后文字不变。"]
    check_text("摘要", "外面\u200b", 100)  # no collector: nothing to collect, nothing fails


def test_spaces_are_trimmed_full_width_ones_too_and_odd_spaces_become_plain():
    assert check_text("名称", "\u3000 八台镇社工站 \u3000\u00a0", 100) == "八台镇社工站"
    assert check_text("名称", "八台\u2003镇", 100) == "八台 镇"  # an em space no face has: an ordinary one
    assert check_text("名称", None, 100) == ""


@pytest.mark.parametrize(("text", "shown"), [("谢谢😀", "😀"), ("爱心❤️", "❤️"), ("点赞👍🏻", "👍"), ("完成✅", "✅"),
                                             ("国旗🇨🇳", "🇨"), ("第1️⃣名", "1️")])
def test_emoji_are_refused_at_entry(text, shown):
    message = refused(text, label="摘要")
    assert message.startswith("不能输入表情符号：摘要的第") and f"“{shown}”" in message


def test_length_limit_counts_the_cleaned_text():
    assert check_text("名称", "字" * 60 + "\u200b" * 5 + "  ", 60) == "字" * 60
    assert "名称太长（3000 字）。请精简到 60 字以内" in refused("字" * 3000, label="名称", limit=60)


def test_rare_name_characters_the_fonts_print_are_accepted():
    for name in ("𠮷田", "王𪚥", "赵孟𫖯", "䶮", "刏"):  # Ext B, Ext B, Ext C, Ext A, a character only Droid has
        assert check_text("姓名", name, 50) == name


def test_a_character_no_bundled_font_has_is_refused_with_the_exports_words():
    message = refused(f"张{NO_FONT_HAS}明\U000f0001", label="对方名称")
    assert message.startswith("对方名称里有 2 个字在内置字体中没有字形，印出来会是空白：")
    assert "U+E000，第 2 个字符" in message and "U+F0001，第 4 个字符" in message
    assert typefaces.GLYPH_ADVICE in message and "王yan" in message


def test_the_coverage_read_from_the_cmaps_is_what_reportlab_draws():
    """One answer to "can it print": the entry check's cmap reader and the faces reportlab embeds agree."""
    from reportlab.pdfbase.ttfonts import TTFont

    for face in typefaces.FACES:
        drawn = {code for code, glyph in TTFont(f"probe-{face.name}", str(face.path)).face.charToGlyph.items() if glyph}
        assert typefaces.face_cmap(face) == drawn, face.path.name
    assert 0x20BB7 in typefaces.coverage()  # 𠮷, from the rare face
    assert 0x20BB7 in typefaces.face_cmap(typefaces.RARE)


def test_a_missing_font_file_never_blocks_typing(monkeypatch, tmp_path):
    monkeypatch.setattr(typefaces, "_coverage", None)
    monkeypatch.setattr(typefaces, "_ranges", {})
    monkeypatch.setattr(typefaces, "FACES", (typefaces.Face("gone", tmp_path / "gone.ttf"),))
    assert typefaces.coverage() is None
    with pytest.raises(typefaces.FontFileError) as err:
        typefaces.read_cmap(tmp_path / "gone.ttf")
    assert err.value.missing
    assert check_text("姓名", f"王{NO_FONT_HAS}", 50) == f"王{NO_FONT_HAS}"  # the export will name the file
    assert "换行" in refused("a\nb")  # the other rules still hold


def test_names_compare_after_normalisation():
    assert name_key("尚善社区基金\u200b") == name_key("尚善社区基金") == name_key(" 尚善社区基金\u3000")
    assert name_key("ＡＢ慈善基金") == name_key("AB慈善基金")
    assert name_key("尚\u202e善") == name_key("尚善")
    assert name_key("尚善") != name_key("尚美")


@pytest.mark.parametrize("code", ["000000000000", "000000107000", "991781107000"])
def test_a_division_code_that_names_no_county_is_refused(code):
    with pytest.raises(UserError, match="不是真实的区划代码.*前 6 位是所在县"):
        check_division_code(code)
    assert check_division_code("511781107000") == "511781107000"
