"""The one text check as the window shows it: a dialog shows the refusal in its message line and writes
nothing; rare name characters (𠮷) are drawn on screen by the bundled HanaMinB."""

from PySide6.QtGui import QTextLayout
from PySide6.QtWidgets import QApplication

from desktop_app.core.storage.workspace import Workspace
from desktop_app.gui.application import make_application
from desktop_app.gui.setup_dialog import SetupDialog
from tests.gui.conftest import wait_idle
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


def test_setup_dialog_shows_the_refusal_and_writes_nothing(qtbot, qapp, tmp_path):
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
        assert not ws.has_office() and dialog.result() == 0
        dialog.association.setText("万源市慈善会\u200b")
        dialog.save()
        assert ws.has_office() and ws.local_office().association_name == "万源市慈善会"
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
    dialog.reject()
