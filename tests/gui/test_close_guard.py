"""A form with typed data asks before it closes (放弃/继续编辑); an untouched form closes silently — the entry
form, and every other form: 阵地, 物资, 活动, 批量录入, 公示, 基金, 项目, 本单位."""

from collections.abc import Callable
from datetime import date

import pytest
from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import QPushButton
from sqlmodel import select

from desktop_app.core.models import Activity, CharitySpace, Fund, GoodsMovement, LedgerEntry, Photo, Project
from desktop_app.core.services import activities, goods, spaces
from desktop_app.core.storage.workspace import Workspace
from desktop_app.gui import prompts
from desktop_app.gui.application import make_application
from desktop_app.gui.setup_dialog import SetupDialog
from tests.core.activity_helpers import attach_project, concert
from tests.gui.conftest import close_discarding, wait_idle
from tests.gui.test_entry_dialog import fill
from tests.helpers import FUND_NAME


def test_an_untouched_entry_form_closes_without_asking(qtbot, ledger_page):
    dialog = ledger_page.new_entry()
    qtbot.mouseClick(dialog.close_button, Qt.MouseButton.LeftButton)  # ask_discard would fail the test
    assert not dialog.isVisible()


def test_typed_data_asks_and_continue_editing_keeps_it(qtbot, ledger_page, monkeypatch):
    asked = []
    monkeypatch.setattr(prompts, "ask_discard", lambda _p: asked.append(1) or False)
    dialog = ledger_page.new_entry()
    dialog.summary.setText("购置慈善阵地桌椅")
    qtbot.keyClick(dialog, Qt.Key.Key_Escape)
    assert asked == [1] and dialog.isVisible() and dialog.summary.text() == "购置慈善阵地桌椅"
    dialog.close()  # the window's ×
    assert asked == [1, 1] and dialog.isVisible()

    monkeypatch.setattr(prompts, "ask_discard", lambda _p: asked.append(2) or True)
    qtbot.mouseClick(dialog.close_button, Qt.MouseButton.LeftButton)
    assert asked[-1] == 2 and not dialog.isVisible()
    assert prompts.DISCARD_QUESTION == "有尚未保存的内容，确定关闭吗？"


def test_after_save_and_continue_the_cleared_form_closes_silently(qtbot, ledger_page):
    dialog = ledger_page.new_entry()
    fill(dialog)
    dialog.save(post=False)
    wait_idle(qtbot, ledger_page.ctx.runner)
    dialog.keep_going.setChecked(False)  # a view option, not form data
    dialog.reject()
    assert not dialog.isVisible()


def test_editing_a_draft_asks_only_after_a_change(qtbot, ledger_page, monkeypatch):
    from desktop_app.core.services import ledger
    from tests.helpers import make_entry

    ws = ledger_page.ctx.ws
    draft = ledger.add_draft(ws, make_entry(ws, amount="100", summary="原摘要"))
    ledger_page.reload()
    assert ledger_page.select_entry(draft.id)
    ledger_page.edit_selected()
    wait_idle(qtbot, ledger_page.ctx.runner)
    editor = ledger_page.dialog
    editor.reject()
    assert not editor.isVisible()

    ledger_page.edit_selected()
    wait_idle(qtbot, ledger_page.ctx.runner)
    editor = ledger_page.dialog
    editor.amount.setText("150")
    monkeypatch.setattr(prompts, "ask_discard", lambda _p: False)
    editor.reject()
    assert editor.isVisible()


def test_fund_and_project_forms_ask_the_same_way(qtbot, window, monkeypatch):
    window.go_to(window.funds)
    wait_idle(qtbot, window.ctx.runner)
    fund = window.funds.add_fund()
    wait_idle(qtbot, window.ctx.runner)
    fund.reject()  # untouched: no question
    assert not fund.isVisible()

    window.funds.view.selectRow(0)
    edit = window.funds.edit_fund()
    wait_idle(qtbot, window.ctx.runner)
    assert edit.name.text()  # filled from the workspace, and still untouched
    edit.reject()
    assert not edit.isVisible()

    window.go_to(window.projects)
    wait_idle(qtbot, window.ctx.runner)
    project = window.projects.add_project()
    project.goals.setPlainText("阵地建设")
    asked = []
    monkeypatch.setattr(prompts, "ask_discard", lambda _p: asked.append(1) or False)
    project.reject()
    assert asked and project.isVisible()
    monkeypatch.setattr(prompts, "ask_discard", lambda _p: True)
    project.reject()
    assert not project.isVisible()


# ---------------------------------------------------------------------------- every other form


def cancel_button(dialog) -> QPushButton:
    """The form's 取消 (or 关闭) button."""
    return next(b for b in dialog.findChildren(QPushButton) if b.text() in ("取消", "关闭") and b.isVisible())


def asks_and_discards(qtbot, dialog, monkeypatch, typed: Callable[[], bool]) -> None:
    """Something was typed: Esc, the window's × and 取消 each ask; 继续编辑 keeps the dialog and what was typed
    (`typed()` still true); 放弃 closes it."""
    asked: list[int] = []
    monkeypatch.setattr(prompts, "ask_discard", lambda _p: asked.append(1) or False)
    qtbot.keyClick(dialog, Qt.Key.Key_Escape)
    dialog.close()  # the window's ×
    qtbot.mouseClick(cancel_button(dialog), Qt.MouseButton.LeftButton)
    assert asked == [1, 1, 1] and dialog.isVisible() and typed()
    monkeypatch.setattr(prompts, "ask_discard", lambda _p: asked.append(2) or True)
    qtbot.mouseClick(cancel_button(dialog), Qt.MouseButton.LeftButton)
    assert asked[-1] == 2 and not dialog.isVisible()


def closes_at_once(qtbot, dialog) -> None:
    """Untouched (or only filled by the program): 取消 closes without a question (ask_discard would fail)."""
    qtbot.mouseClick(cancel_button(dialog), Qt.MouseButton.LeftButton)
    assert not dialog.isVisible()


def opened(qtbot, window, page, open_dialog):
    window.go_to(page)
    wait_idle(qtbot, window.ctx.runner)
    dialog = open_dialog()
    wait_idle(qtbot, window.ctx.runner)  # its choices (and the record to edit) are in
    return dialog


def live(ws, model) -> list:
    with ws.reading() as s:
        return list(s.exec(select(model).where(model.deleted == False)))  # noqa: E712


def test_the_space_form_asks_for_typed_text_and_milestones(qtbot, window, monkeypatch):
    attach_project(window.ctx.ws)
    closes_at_once(qtbot, opened(qtbot, window, window.spaces, window.spaces.add_space))
    dialog = opened(qtbot, window, window.spaces, window.spaces.add_space)
    dialog.add_milestone_row(date(2024, 5, 10), 30, "完成选址")  # a table row alone is typed data too
    assert dialog.has_unsaved_changes()
    dialog.name.setText("八台镇天池村慈善阵地")
    asks_and_discards(qtbot, dialog, monkeypatch, lambda: dialog.name.text() == "八台镇天池村慈善阵地"
                      and dialog.milestones.rowCount() == 1)
    assert live(window.ctx.ws, CharitySpace) == []

    spaces.add_space(window.ctx.ws, spaces.SpaceInput(name="尚善阵地"))
    window.spaces.reload()
    wait_idle(qtbot, window.ctx.runner)
    window.spaces.view.selectRow(0)
    edit = opened(qtbot, window, window.spaces, window.spaces.edit_space)
    assert edit.name.text() == "尚善阵地"  # filled from the workspace, and still untouched
    closes_at_once(qtbot, edit)


@pytest.mark.parametrize("form", ["receive", "issue"])
def test_the_goods_forms_ask(qtbot, window, monkeypatch, form):
    ws = window.ctx.ws
    if form == "issue":
        goods.receive_goods(ws, goods.GoodsReceiptInput(fund_id=ws.fund.id, movement_date=date(2024, 3, 1),
                                                        item="新春礼品", unit="份", quantity="200", anonymous=True))
    before = len(live(ws, GoodsMovement))
    page = window.goods
    closes_at_once(qtbot, opened(qtbot, window, page, getattr(page, form)))
    dialog = opened(qtbot, window, page, getattr(page, form))
    dialog.quantity.setText("20")
    asks_and_discards(qtbot, dialog, monkeypatch, lambda: dialog.quantity.text() == "20")
    assert len(live(ws, GoodsMovement)) == before


def test_the_activity_editor_asks_and_its_photos_are_kept_at_once(qtbot, window, monkeypatch, tmp_path):
    from PIL import Image

    ws = window.ctx.ws
    project, sites = attach_project(ws)
    page = window.activities
    closes_at_once(qtbot, opened(qtbot, window, page, page.add_activity))  # its group row is the program's
    dialog = opened(qtbot, window, page, page.add_activity)
    dialog.title_edit.setText("社区赋能培训")
    asks_and_discards(qtbot, dialog, monkeypatch, lambda: dialog.title_edit.text() == "社区赋能培训")
    assert live(ws, Activity) == []

    concert_id = activities.add_activity(ws, concert(project, sites[1])).id
    edit = opened(qtbot, window, page, lambda: page.edit_activity(concert_id))
    assert edit.title_edit.text() == "八台慈善音乐会"
    photo = tmp_path / "音乐会.jpg"
    Image.new("RGB", (64, 48), (200, 60, 50)).save(photo, "JPEG")
    edit.photos.import_photos([photo])  # saved at once, as the panel says: nothing to lose by closing
    wait_idle(qtbot, window.ctx.runner)
    edit.photos.caption.setText("音乐会现场")  # saved when the editor closes
    assert edit.photos.photo_model.rowCount() == 1
    closes_at_once(qtbot, edit)
    wait_idle(qtbot, window.ctx.runner)
    with ws.reading() as s:
        assert [p.caption for p in s.exec(select(Photo).where(Photo.activity_id == concert_id))] == ["音乐会现场"]


def test_the_batch_entry_asks_for_a_list_typed_in(qtbot, window, monkeypatch):
    page = window.ledger
    closes_at_once(qtbot, opened(qtbot, window, page, window.batch_entry))
    dialog = opened(qtbot, window, page, window.batch_entry)
    dialog.paste_text("张国富\t1,000.00\n")  # the list only: the table's rows are typed data
    asks_and_discards(qtbot, dialog, monkeypatch, lambda: dialog.model.lines[0].name == "张国富")
    with window.ctx.ws.reading() as s:
        assert list(s.exec(select(LedgerEntry))) == []


def test_the_notice_builder_asks_for_typed_texts(qtbot, window, monkeypatch):
    page = window.notices
    closes_at_once(qtbot, opened(qtbot, window, page, page.new_notice))
    builder = opened(qtbot, window, page, page.new_notice)
    builder.objections.setPlainText("有异议请到社区办公室反映。")
    asks_and_discards(qtbot, builder, monkeypatch, lambda: "社区办公室" in builder.objections.toPlainText())


def test_the_fund_and_project_forms_ask_for_a_date_too(qtbot, window, monkeypatch):
    ws = window.ctx.ws
    fund = opened(qtbot, window, window.funds, window.funds.add_fund)
    fund.name.setText("万源市慈善会八台镇新风社区基金")
    asks_and_discards(qtbot, fund, monkeypatch, lambda: fund.name.text() == "万源市慈善会八台镇新风社区基金")
    assert [f.name for f in live(ws, Fund)] == [FUND_NAME]

    project = opened(qtbot, window, window.projects, window.projects.add_project)
    project.start.setDate(QDate(2024, 2, 1))  # a date picked is a change
    asks_and_discards(qtbot, project, monkeypatch, lambda: project.start.date() == QDate(2024, 2, 1))
    assert live(ws, Project) == []


def test_the_setup_form_asks_and_nothing_is_saved(qtbot, qapp, tmp_path, monkeypatch):
    make_application()
    ws = Workspace.open(tmp_path / "ws", create=True, auto_backup=False)
    try:
        untouched = SetupDialog(ws)
        qtbot.addWidget(untouched)
        untouched.show()
        untouched.reject()
        assert not untouched.isVisible()
        dialog = SetupDialog(ws)
        qtbot.addWidget(dialog)
        dialog.show()
        dialog.name.setText("八台镇社工站")
        asked = []
        monkeypatch.setattr(prompts, "ask_discard", lambda _p: asked.append(1) or False)
        qtbot.keyClick(dialog, Qt.Key.Key_Escape)
        assert asked == [1] and dialog.isVisible() and dialog.name.text() == "八台镇社工站"
        close_discarding(dialog)
        assert not ws.has_office()
    finally:
        ws.close(backup=False)
