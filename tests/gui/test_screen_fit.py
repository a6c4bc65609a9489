"""Every window fits the screens offices have: a 1366×768 laptop with a 40-pixel taskbar (1366×728 free) and
a 1920×1080 screen at 150 % (about 1280×690 logical pixels free), and a 1280×1024 screen (1280×984). The
offscreen screen cannot be resized, so `screen_fit.available_area` — the one place the GUI asks for the
room — plays the screen."""

from datetime import date
from decimal import Decimal
from types import SimpleNamespace

import pytest
from PySide6.QtCore import QPoint, QRect
from PySide6.QtWidgets import QAbstractScrollArea, QDialog, QDialogButtonBox, QLabel, QPushButton, QWidget

from desktop_app.core.notices.verify import VerifyResult
from desktop_app.gui import prompts, screen_fit
from desktop_app.gui.application import make_application
from desktop_app.gui.main_window import MainWindow
from desktop_app.gui.notice_verify_dialog import VerifyDialog
from desktop_app.gui.setup_dialog import SetupDialog
from tests.gui.conftest import wait_idle

REAL_QUESTIONS = prompts.ask_verification, prompts.ask_month  # the conftest patches them out
SCREENS = {"1366x728": QRect(0, 0, 1366, 728), "1280x690": QRect(0, 0, 1280, 690), "1280x984": QRect(0, 0, 1280, 984)}


@pytest.fixture(params=list(SCREENS))
def area(request, monkeypatch) -> QRect:
    rect = SCREENS[request.param]
    monkeypatch.setattr(screen_fit, "available_area", lambda _widget=None: QRect(rect))
    return rect


def global_rect(widget: QWidget) -> QRect:
    return QRect(widget.mapToGlobal(QPoint(0, 0)), widget.size())


def scroll_area_of(widget: QWidget) -> QAbstractScrollArea | None:
    parent = widget.parentWidget()
    while parent is not None and not parent.isWindow():
        if isinstance(parent, QAbstractScrollArea):
            return parent
        parent = parent.parentWidget()
    return None


def assert_fits(qtbot, window: QWidget, area: QRect) -> None:
    """The window with its frame lies inside `area`; every button row and every button outside a scrolled
    form lies inside it too (a button in a scrolled form must be inside the visible part of the scroll)."""
    qtbot.wait(10)
    outer = window.geometry().marginsAdded(screen_fit.FRAME)
    assert area.contains(outer), f"{window.windowTitle()}: {outer} does not fit {area}"
    for box in window.findChildren(QDialogButtonBox):
        if box.isVisible() and scroll_area_of(box) is None:
            assert area.contains(global_rect(box)), f"{window.windowTitle()}: button row at {global_rect(box)}"
    for button in window.findChildren(QPushButton):
        if not button.isVisible():
            continue
        scroll = scroll_area_of(button)
        if scroll is None:
            assert area.contains(global_rect(button)), f"{window.windowTitle()}: {button.text()} at {global_rect(button)}"
        else:
            assert area.contains(global_rect(scroll.viewport())), f"{window.windowTitle()}: scrolled form off screen"


def opened(qtbot, window, dialog: QDialog) -> QDialog:
    qtbot.addWidget(dialog)
    wait_idle(qtbot, window.ctx.runner)
    if not dialog.isVisible():
        dialog.show()
    return dialog


def test_the_main_window_fits_and_shows_its_status_bar(qtbot, area, ctx):
    window = MainWindow(ctx)
    qtbot.addWidget(window)
    maximised = screen_fit.fit_main_window(window)
    assert maximised  # neither screen has room for 1280×800 and a title bar: it opens maximised
    window.show()
    assert_fits(qtbot, window, area)
    assert area.contains(global_rect(window.statusBar()))
    window.close()


def test_every_dialog_fits_with_its_buttons_in_view(qtbot, area, window):
    dialogs = [
        window.new_entry(),
        window.batch_entry(),
        window.projects.add_project(),
        window.funds.add_fund(),
        window.activities.add_activity(),
        window.goods.receive(),
        window.goods.issue(),
        window.spaces.add_space(),
    ]
    window.go_to(window.funds)
    wait_idle(qtbot, window.ctx.runner)
    dialogs.append(window.funds.edit_fund())
    for dialog in dialogs:
        assert_fits(qtbot, opened(qtbot, window, dialog), area)
        dialog.reject()


def test_the_notice_builder_fits_with_its_buttons_in_view(qtbot, area, window):
    builder = opened(qtbot, window, window.notices.new_notice())
    assert builder.minimumSize().width() <= 1280 and builder.minimumSizeHint().height() <= 680
    assert_fits(qtbot, builder, area)
    builder.tabs.setCurrentWidget(builder.wording)  # 修改文字
    assert_fits(qtbot, builder, area)
    for button in (builder.preview_button, builder.export_button):
        assert area.contains(global_rect(button))
    builder.reject()


def test_the_verify_result_and_the_setup_dialog_fit(qtbot, area, window, workspace):
    notice = SimpleNamespace(title="经费使用情况公示", template="fund-usage", date_from="2024-01-01",
                             date_to="2024-12-31", verification_code="ABCDE-FGHJK", status="draft", number="",
                             published_on=None)
    changes = [f"第 {i} 笔支出在公示后被冲销：慈善阵地桌椅购置 ¥1,234.50" for i in range(200)]
    result = SimpleNamespace(ok=False, notice=notice, changes=changes, notes=["说明"] * 30, summary="数据已改动")
    verify = VerifyDialog(result, window)
    qtbot.addWidget(verify)
    verify.show()
    assert_fits(qtbot, verify, area)
    verify.reject()
    setup = SetupDialog(workspace)
    qtbot.addWidget(setup)
    setup.show()
    assert_fits(qtbot, setup, area)
    setup.reject()


def test_a_window_comes_back_where_it_was_left_when_it_still_fits(qtbot, area, window, monkeypatch):
    dialog = opened(qtbot, window, window.new_entry())
    dialog.move(40, 50)
    dialog.resize(area.width() - 200, area.height() - 150)
    place = dialog.geometry()
    dialog.reject()
    again = opened(qtbot, window, window.new_entry())
    assert again.geometry() == place
    again.reject()

    smaller = QRect(0, 0, area.width() - 300, area.height() - 200)  # another screen, or the same one smaller
    monkeypatch.setattr(screen_fit, "available_area", lambda _widget=None: QRect(smaller))
    third = opened(qtbot, window, window.new_entry())
    assert third.geometry() != place
    assert_fits(qtbot, third, smaller)
    third.reject()


def test_a_place_that_no_longer_fits_is_not_restored(qtbot, area, window, monkeypatch):
    dialog = opened(qtbot, window, window.batch_entry())
    dialog.setGeometry(QRect(screen_fit.FRAME.left(), screen_fit.FRAME.top(), 700, 500))  # at the top of the screen
    dialog.reject()
    moved = area.translated(0, 40)  # the same screen with the taskbar moved to the top
    monkeypatch.setattr(screen_fit, "available_area", lambda _widget=None: QRect(moved))
    again = opened(qtbot, window, window.batch_entry())
    assert again.geometry().top() >= moved.top() + screen_fit.FRAME.top()
    assert_fits(qtbot, again, moved)
    again.reject()


def test_the_main_window_remembers_its_place_and_state(qtbot, area, ctx):
    first = MainWindow(ctx)
    qtbot.addWidget(first)
    first.setGeometry(QRect(60, 70, 1100, 600))
    first.show()
    first.hide()
    second = MainWindow(ctx)
    qtbot.addWidget(second)
    assert second.geometry() == QRect(60, 70, 1100, 600) and not second.open_maximised


def assert_text_shown(qtbot, window: QWidget, area: QRect) -> None:
    """The window fits, and every label in it is given the room its text needs: wrapped text all its lines,
    other text its whole width."""
    assert_fits(qtbot, window, area)
    for label in window.findChildren(QLabel):
        if not label.isVisible() or not label.text():
            continue
        if label.wordWrap():
            assert label.height() >= label.heightForWidth(label.width()), f"cut off: {label.text()}"
        else:
            assert label.width() >= label.sizeHint().width(), f"cut off: {label.text()}"


def test_the_verify_and_month_questions_show_all_their_text(qtbot, area, monkeypatch):
    """核验公示 asks in a dialog 460 wide; its wrapped text was cut to its first line (the dialog kept the height
    the text needs at its natural width, not at 460)."""
    make_application()  # the app's font: the text's lines are counted in it
    shown: list[str] = []

    def exec_(dialog: QDialog) -> int:
        qtbot.addWidget(dialog)
        dialog.show()
        assert_text_shown(qtbot, dialog, area)
        shown.append(dialog.windowTitle())
        return QDialog.DialogCode.Rejected

    monkeypatch.setattr(QDialog, "exec", exec_)
    ask_verification, ask_month = REAL_QUESTIONS
    assert ask_verification(None, "ABCDE-FGHJK") is None
    assert ask_month(None, "月末结账", "结账后，万源市慈善会八台镇天池村社区基金在这个月及以前不能再记账（更正请在以后的"
                     "月份红字冲销）。请选择要结账的月份：", date(2024, 5, 1), date(2024, 5, 1)) is None
    assert shown == ["核验公示", "月末结账"]


@pytest.mark.parametrize("kind", ["ok", "file", "rewritten"])
def test_every_verify_result_shows_all_its_text(qtbot, area, window, kind):
    notice = SimpleNamespace(title="四川省万源市青花镇立信社区慈善基金经费使用情况公示", template="fund-usage",
                             date_from="2024-01-01", date_to="2024-12-31", verification_code="ABCDE-FGHJK",
                             status="published", number="GS-2025-001", published_on="2025-01-05", entry_count=120,
                             id="n1")
    found = {"ok": dict(ok=True, changes=[]),
             "file": dict(ok=False, changes=[], file_problem="第 2、3 页印的内容与原公示不同", file_pages=[2, 3],
                          notes=["第 2 页：金额不同", "第 3 页：照片不同"]),
             "rewritten": dict(ok=False, changes=["第 1 笔支出在公示后被冲销：慈善阵地桌椅购置 ¥1,234.50"] * 3,
                               rewritten=["青花镇立信社区基金的账目在发布之后被改写：二维码记录的最后一笔分录已不在账上。"] * 3)}
    verify = VerifyDialog(VerifyResult(notice=notice, **found[kind]), window)
    qtbot.addWidget(verify)
    verify.show()
    assert_text_shown(qtbot, verify, area)
    verify.reject()


def test_the_survey_dialogs_fit_with_their_buttons_in_view(qtbot, area, window, monkeypatch):
    from desktop_app.core.services import projects, surveys
    from desktop_app.gui.survey_import_dialog import SurveyImportDialog
    from tests.core.surveys.samples import WJX_209

    project = projects.add_project(window.ctx.ws, projects.ProjectInput(
        name="试点项目", start_date=date(2024, 1, 1), end_date=date(2024, 12, 31), budget=Decimal(0)))
    surveys.create_from_template(window.ctx.ws, project.id, "居民需求调查")
    window.go_to(window.surveys)
    wait_idle(qtbot, window.ctx.runner)
    assert_fits(qtbot, window, area)
    importer = SurveyImportDialog(window.ctx, window.surveys)
    importer.choose_file(WJX_209)
    dialogs = [window.surveys.paper_entry(), window.surveys.settle(), window.surveys.design(),
               window.surveys.edit_rules(), importer]
    for dialog in dialogs:
        assert_fits(qtbot, opened(qtbot, window, dialog), area)
        dialog.reject()
