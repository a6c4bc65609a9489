"""The one text check on what a hostile tester typed to make names look alike or hide characters: Hangul
fillers and the braille blank read as the space they look like (with a notice), so “甲ㅤ基金” is the fund
“甲 基金”; a variation selector after a letter is named itself in the refusal; combining marks are refused
with the mark and its place named, unless they compose with the letter before them (e + U+0301 = é)."""

import pytest

from desktop_app.core.errors import UserError
from desktop_app.core.models import Fund
from desktop_app.core.services import projects
from desktop_app.core.validation import check_text, clean_text, name_key

BLANKS = ["\u3164", "\u115f", "\u1160", "\uffa0", "\u2800"]


def refused(text, label="基金名称", multiline=False) -> str:
    with pytest.raises(UserError) as err:
        clean_text(label, text, 200, multiline=multiline)
    return str(err.value)


@pytest.mark.parametrize("blank", BLANKS, ids=[f"U+{ord(b):04X}" for b in BLANKS])
def test_blank_fillers_become_an_ordinary_space_with_a_notice(blank):
    cleaned = clean_text("基金名称", f"甲{blank}基金", 100)
    assert cleaned.value == "甲 基金" and cleaned.removed == (blank,)
    assert cleaned.notice.startswith("已删去基金名称里的 1 个不可见字符（") and "已换成普通空格" in cleaned.notice
    assert name_key(f"甲{blank}基金") == name_key("甲 基金")
    assert check_text("名称", f"{blank}甲基金{blank}", 100) == "甲基金"  # at the ends: trimmed like spaces


@pytest.mark.parametrize("blank", BLANKS, ids=[f"U+{ord(b):04X}" for b in BLANKS])
def test_two_funds_differing_by_a_filler_or_a_space_cannot_both_exist(workspace, blank):
    fund, _ = projects.add_fund(workspace, projects.FundInput(name="万源市慈善会八台镇 新风社区基金"))
    with pytest.raises(UserError, match="已经存在"):
        projects.add_fund(workspace, projects.FundInput(name=f"万源市慈善会八台镇{blank}新风社区基金"))
    with workspace.transaction("test.legacy") as s:  # one stored before the check still blocks its twin
        s.add(Fund(name=f"万源市慈善会八台镇{blank}旧名社区基金"))
    with pytest.raises(UserError, match="已经存在"):
        projects.add_fund(workspace, projects.FundInput(name="万源市慈善会八台镇 旧名社区基金"))


def test_a_variation_selector_after_a_letter_is_named_not_the_letter():
    message = refused("甲\ufe0f基金")
    assert "第 2 个字符是不可见的变体选择符 U+FE0F" in message and "跟在“甲”后面" in message
    assert "U+7532" not in message and "请删去这个字符" in message
    assert "第 1 个字符是不可见的变体选择符 U+FE0F" in refused("\ufe0f甲基金")
    assert "“❤️”（U+2764）是表情符号" in refused("爱心❤️")  # after a symbol it makes an emoji: that is named


@pytest.mark.parametrize(("text", "where", "code"), [
    ("甲\u0336基金", 2, "U+0336"), ("社区\u20dd基金", 3, "U+20DD"), ("名" + "\u0305" * 10, 2, "U+0305"),
    ("\u0301基金", 1, "U+0301"), ("谢谢 \u0336", 4, "U+0336"),
])
def test_combining_marks_are_refused_with_the_mark_and_its_place(text, where, code):
    for label, multiline in (("基金名称", False), ("摘要", True)):
        message = refused(text, label, multiline)
        assert message.startswith(f"{label}的第 {where} 个字符是组合附加符号 {code}") and "请删去它后重新输入" in message


@pytest.mark.parametrize(("typed", "stored"), [("e\u0301", "é"), ("Zhang Lu\u0308", "Zhang Lü"), ("a\u0323\u0302", "ậ"),
                                               ("か\u3099", "が"), ("é", "é")])
def test_marks_that_compose_with_their_letter_are_kept_as_that_letter(typed, stored):
    assert check_text("姓名", typed, 50) == stored
