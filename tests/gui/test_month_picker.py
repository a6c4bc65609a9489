"""The month picker (月末结账): a year and twelve month buttons, later months disabled, keyboard usable."""

from datetime import date

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QDialog, QDialogButtonBox

from desktop_app.gui import prompts
from desktop_app.gui.month_picker import MonthPicker

REAL_ASK_MONTH = prompts.ask_month  # the conftest patches it out


@pytest.fixture
def ask(qtbot, monkeypatch):
    """`ask(act, …)`: prompts.ask_month, with `act(dialog, picker)` doing what the user does instead of waiting."""

    def run(act, default=date(2024, 5, 1), latest=date(2024, 5, 1), earliest=None):
        def exec_(dialog: QDialog) -> int:
            qtbot.addWidget(dialog)
            dialog.show()
            dialog.activateWindow()
            picker = dialog.findChild(MonthPicker)
            qtbot.waitUntil(lambda: QApplication.focusWidget() is picker.months.checkedButton())
            act(dialog, picker)
            return dialog.result()

        monkeypatch.setattr(QDialog, "exec", exec_)
        return REAL_ASK_MONTH(None, "月末结账", "请选择要结账的月份：", default, latest, earliest)

    return run


def enabled(picker: MonthPicker) -> list[str]:
    return [b.text() for b in picker.months.buttons() if b.isEnabled()]


def test_a_click_picks_the_month_and_enter_accepts(qtbot, ask):
    def act(_dialog, picker):
        assert picker.months.checkedButton().text() == "5月"  # the month passed in
        qtbot.mouseClick(picker.months.button(3), Qt.MouseButton.LeftButton)
        qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Return)

    assert ask(act) == "2024-03"


def test_months_after_the_latest_are_disabled(qtbot, ask):
    def act(_dialog, picker):
        assert [b.text() for b in picker.months.buttons()] == [f"{m}月" for m in range(1, 13)]
        assert enabled(picker) == ["1月", "2月", "3月", "4月", "5月"]
        assert not picker.forward.isEnabled()  # no later year
        qtbot.mouseClick(picker.months.button(8), Qt.MouseButton.LeftButton)  # disabled: nothing happens
        assert picker.month() == "2024-05"
        qtbot.mouseClick(picker.back, Qt.MouseButton.LeftButton)
        assert picker.month() == "2023-05" and len(enabled(picker)) == 12
        qtbot.mouseClick(picker.months.button(11), Qt.MouseButton.LeftButton)
        qtbot.mouseClick(picker.forward, Qt.MouseButton.LeftButton)  # back in 2024: 11月 is too late
        assert picker.month() == "2024-05"
        qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Enter)

    assert ask(act) == "2024-05"


def test_arrow_keys_and_page_keys_choose(qtbot, ask):
    def act(_dialog, picker):
        def press(key: Qt.Key) -> str:
            qtbot.keyClick(QApplication.focusWidget(), key)
            assert QApplication.focusWidget() is picker.months.checkedButton()
            return picker.month()

        assert press(Qt.Key.Key_Left) == "2024-04"  # from the start of a row to the end of the one above
        assert press(Qt.Key.Key_Right) == "2024-05"
        assert press(Qt.Key.Key_Right) == "2024-05"  # 6月 is disabled
        assert press(Qt.Key.Key_Up) == "2024-01"
        assert press(Qt.Key.Key_Up) == "2024-01"
        assert press(Qt.Key.Key_PageUp) == "2023-01"
        assert press(Qt.Key.Key_Down) == "2023-05"
        assert press(Qt.Key.Key_Down) == "2023-09"
        assert press(Qt.Key.Key_PageDown) == "2024-05"  # 9月 is too late in 2024: the latest allowed instead
        assert press(Qt.Key.Key_PageUp) == "2023-05"
        qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Return)

    assert ask(act) == "2023-05"


def test_cancel_gives_none(qtbot, ask):
    assert ask(lambda dialog, _picker: qtbot.keyClick(dialog, Qt.Key.Key_Escape)) is None
    assert ask(lambda dialog, _picker: dialog.reject()) is None


def test_closed_months_are_not_offered_and_the_default_is_kept_in_range(qtbot, ask):
    def act(_dialog, picker):
        assert enabled(picker) == ["3月", "4月", "5月"] and not picker.back.isEnabled()
        qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Return)

    assert ask(act, default=date(2023, 12, 1), earliest=date(2024, 3, 1)) == "2024-03"


def test_a_half_typed_year_is_never_accepted_as_another_year(qtbot, ask):
    """月末结账 cannot be undone: typing “20” into the year (or a year out of range) must not close the month of
    the year the spin box kept silently. 确定 is disabled and Enter waits until a whole year is typed."""
    def act(dialog, picker):
        ok = dialog.findChild(QDialogButtonBox).button(QDialogButtonBox.StandardButton.Ok)
        picker.year.setFocus()
        picker.year.selectAll()
        qtbot.keyClicks(picker.year, "20")
        assert picker.month() == "" and not ok.isEnabled()
        qtbot.keyClick(picker.year, Qt.Key.Key_Return)
        assert dialog.isVisible() and picker.year.text() == "20 年"  # nothing accepted, nothing typed lost
        qtbot.keyClicks(picker.year, "23")
        assert picker.month() == "2023-05" and ok.isEnabled()
        qtbot.keyClick(picker.year, Qt.Key.Key_Return)

    assert ask(act, earliest=date(2022, 1, 1)) == "2023-05"
