"""The user guide opens offline in the app: F1 and 帮助 › 使用说明, one page per task, screenshots shown."""

import pytest
from PySide6.QtCore import QRect, Qt, QUrl
from PySide6.QtGui import QTextDocument

from desktop_app.gui import help_window, screen_fit
from desktop_app.gui.help_window import TITLE, HelpWindow
from tests.gui.test_screen_fit import assert_fits


def _help_menu_action(window, text: str):
    for menu_action in window.menuBar().actions():
        if menu_action.text() == "帮助(&H)":
            return next(a for a in menu_action.menu().actions() if a.text() == text)
    raise AssertionError("no 帮助 menu")


def test_f1_opens_the_guide(qtbot, window):
    qtbot.keyClick(window, Qt.Key.Key_F1)
    guide = window.guide_window
    assert isinstance(guide, HelpWindow)
    qtbot.waitUntil(guide.isVisible)
    assert guide.windowTitle() == TITLE
    assert guide.current_text().startswith(TITLE)  # the index page, its title first
    guide.close()


def test_help_menu_opens_the_guide_once(qtbot, window):
    action = _help_menu_action(window, "使用说明")
    assert action.shortcut().toString() == "F1"
    action.trigger()
    guide = window.guide_window
    qtbot.waitUntil(guide.isVisible)
    assert TITLE in guide.current_text()
    action.trigger()
    assert window.guide_window is guide  # raised again, not a second window
    guide.close()


def test_table_of_contents_lists_every_task_and_shows_it_with_its_screenshots(qtbot):
    guide = HelpWindow()
    qtbot.addWidget(guide)
    titles = [guide.toc.item(i).text() for i in range(guide.toc.count())]
    for task in ("第一次使用", "记一笔捐款", "记一笔支出并附凭证", "改错（红字冲销）", "记活动", "出公示并打印",
                 "备份到U盘", "换电脑", "常见问题"):
        assert task in titles
    guide.toc.setCurrentRow(titles.index("记一笔支出并附凭证"))
    assert guide.current_text().startswith("记一笔支出并附凭证")
    image = guide.browser.document().resource(QTextDocument.ResourceType.ImageResource,
                                              QUrl("../screenshots/1366x728/entry-dialog.png"))
    assert image is not None and not image.isNull()  # found through the search path, as in the window


def test_links_between_pages_open_the_page(qtbot):
    guide = HelpWindow()
    qtbot.addWidget(guide)
    guide._follow(QUrl("06-notice.md"))
    assert guide.current_text().startswith("出公示并打印")


def test_a_missing_guide_is_said_in_chinese(qtbot, tmp_path):
    guide = HelpWindow(folder=tmp_path)
    qtbot.addWidget(guide)
    assert "找不到使用说明文件" in guide.current_text()


def test_the_guide_is_found_beside_the_package_in_a_checkout():
    assert (help_window.GUIDE_DIR / help_window.INDEX).is_file()


@pytest.mark.parametrize("size", [(1366, 728), (1280, 690)])
def test_the_guide_fits_a_small_screen(qtbot, window, monkeypatch, size):
    area = QRect(0, 0, *size)
    monkeypatch.setattr(screen_fit, "available_area", lambda _widget=None: QRect(area))
    guide = help_window.open_help(window)
    qtbot.waitUntil(guide.isVisible)
    assert_fits(qtbot, guide, area)
    for page in guide.pages:  # screenshots are scaled to the page: no sideways scrolling
        guide.show_page(page.name)
        qtbot.wait(10)
        assert guide.browser.horizontalScrollBar().maximum() == 0, page.name
    guide.close()
