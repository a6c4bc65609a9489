"""The one text check as the window shows it: a dialog shows the refusal in its message line and writes
nothing; rare name characters (𠮷) are drawn on screen by the bundled HanaMinB."""

from PySide6.QtCore import Qt
from PySide6.QtGui import QTextLayout
from PySide6.QtWidgets import QApplication
from sqlmodel import select

from desktop_app.core.models import Fund
from desktop_app.core.storage.workspace import Workspace
from desktop_app.gui.application import make_application
from desktop_app.gui.setup_dialog import SetupDialog
from tests.gui.conftest import close_discarding, wait_idle
from tests.gui.test_entry_dialog import fill, rows
from tests.helpers import FUND_NAME, table_rows


def faces_drawing(text: str, font) -> dict[str, str]:
    """Which font family draws which characters of `text` in `font` (Qt's own fallback)."""
    layout = QTextLayout(text, font)
    layout.beginLayout()
    layout.createLine()
    layout.endLayout()
    out: dict[str, str] = {}
    for run in layout.glyphRuns():
        out[run.rawFont().familyName()] = out.get(run.rawFont().familyName(), "") + str(len(run.glyphIndexes()))
    return out


def test_rare_name_characters_are_drawn_by_the_bundled_rare_face(qapp):
    make_application()
    font = QApplication.font()
    assert "HanaMinB" in font.families()
    drawn = faces_drawing("𠮷", font)
    assert list(drawn) == ["HanaMinB"]  # not a box: no system font of a test machine has Ext B
    assert "HanaMinB" in faces_drawing("王𠮷明", font)


def test_setup_dialog_shows_the_refusal_and_writes_nothing(qtbot, qapp, tmp_path, messages):
    make_application()
    ws = Workspace.open(tmp_path / "ws", create=True, auto_backup=False)
    try:
        dialog = SetupDialog(ws)
        qtbot.addWidget(dialog)
        dialog.association.setText("万源市慈善会")
        dialog.division_code.setText("511781107000")
        dialog.name.setText("站" * 3000)
        dialog.save()
        assert "本单位名称太长（3000 字）。请精简到 60 字以内" in dialog.message.text()
        dialog.name.setText("八台镇社工站")
        dialog.division_code.setText("000000000000")
        dialog.save()
        assert "区划代码“000000000000”不是真实的区划代码" in dialog.message.text()
        dialog.division_code.setText("511781107000")
        dialog.association.setText("万源市\u202e慈善会")
        dialog.save()
        assert "所属慈善会名称的第 4 个字符是改变文字方向的不可见控制符 U+202E" in dialog.message.text()
        assert not ws.has_office() and dialog.result() == 0 and messages == []
        dialog.association.setText("万源市慈善会\u200b")
        dialog.save()
        assert ws.has_office() and ws.local_office().association_name == "万源市慈善会"
        assert len(messages) == 1 and messages[0].startswith("已删去所属慈善会名称里的 1 个不可见字符（零宽空格）")
    finally:
        ws.close(backup=False)


def test_fund_dialog_shows_the_refusal_and_writes_nothing(qtbot, window):
    window.go_to(window.funds)
    wait_idle(qtbot, window.ctx.runner)
    before = table_rows(window.ctx.ws.db_path)
    dialog = window.funds.add_fund()
    dialog.name.setText(FUND_NAME + "\u200b")  # the fixture's fund, with a zero-width space at the end
    dialog.save()
    wait_idle(qtbot, window.ctx.runner)
    assert f"社区基金“{FUND_NAME}”已经存在" in dialog.message.text() and dialog.isVisible()
    dialog.name.setText("万源市慈善会八台镇新风社区基金")
    dialog.purpose.setPlainText("关爱老人😀")
    dialog.save()
    wait_idle(qtbot, window.ctx.runner)
    assert dialog.message.text().startswith("不能输入表情符号：基金用途的第 5 个字符“😀”") and dialog.isVisible()
    assert table_rows(window.ctx.ws.db_path) == before
    close_discarding(dialog)


def test_invisible_characters_pasted_into_an_entry_are_removed_and_the_status_bar_says_so(qtbot, ledger_page):
    window = ledger_page.window()
    dialog = ledger_page.new_entry()
    fill(dialog, summary="试点项目\u200b资金拨入\u00ad")  # as pasted from a Word table
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    wait_idle(qtbot, ledger_page.ctx.runner)
    [row] = rows(ledger_page)
    assert row.summary == "试点项目资金拨入"
    said = window.statusBar().currentMessage()
    assert said.startswith("已删去摘要里的 2 个不可见字符（零宽空格、软连字符）") and "删去后文字不变" in said
    window.statusBar().clearMessage()
    fill(dialog, summary="第二笔拨入")  # nothing removed, nothing said
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    wait_idle(qtbot, ledger_page.ctx.runner)
    assert len(rows(ledger_page)) == 2 and "已删去" not in window.statusBar().currentMessage()


def test_a_dialog_that_closes_on_save_leaves_the_notice_in_the_status_bar(qtbot, window):
    window.go_to(window.funds)
    wait_idle(qtbot, window.ctx.runner)
    dialog = window.funds.add_fund()
    dialog.name.setText("万源市慈善会八台镇\u200b新风社区基金")
    dialog.save()
    wait_idle(qtbot, window.ctx.runner)
    assert not dialog.isVisible()
    assert window.statusBar().currentMessage().startswith("已删去社区基金名称里的 1 个不可见字符（零宽空格）")
    with window.ctx.ws.reading() as s:
        assert "万源市慈善会八台镇新风社区基金" in s.exec(select(Fund.name)).all()
