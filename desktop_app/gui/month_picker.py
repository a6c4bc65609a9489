"""A month picker for choosing a month (not a day): the year with ◀ ▶, and the twelve months as buttons
“1月”…“12月”, those outside the allowed months disabled. ← → step a month, ↑ ↓ four (a row), PageUp and
PageDown change the year, Enter accepts the dialog the picker is in."""

from datetime import date

from PySide6.QtCore import QEvent, QObject, Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QAbstractSpinBox,
    QButtonGroup,
    QGridLayout,
    QHBoxLayout,
    QPushButton,
    QSpinBox,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

STYLE = "QPushButton:checked { background: #1a5276; color: white; border: 1px solid #1a5276; border-radius: 3px; }"


def _number(year: int, month: int) -> int:
    """Months counted from year 0, so that months compare and step across years."""
    return year * 12 + month - 1


class MonthPicker(QWidget):
    """Picks a month; `month()` is “YYYY-MM”, or "" when no month is allowed at all."""

    changed = Signal(str)

    def __init__(self, default: date, latest: date | None = None, earliest: date | None = None,
                 parent: QWidget | None = None):
        super().__init__(parent)
        self.latest = _number(latest.year, latest.month) if latest else None
        self.earliest = _number(earliest.year, earliest.month) if earliest else None
        self.year = QSpinBox()
        self.year.setRange(earliest.year if earliest else min(2000, default.year),
                           latest.year if latest else max(2100, default.year))
        self.year.setSuffix(" 年")
        self.year.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.year.setButtonSymbols(QAbstractSpinBox.ButtonSymbols.NoButtons)  # ◀ ▶ instead: bigger targets
        self.year.setAccessibleName("年份")
        back, forward = QToolButton(), QToolButton()
        for button, text, tip, step in ((back, "◀", "上一年（PageUp）", -1), (forward, "▶", "下一年（PageDown）", 1)):
            button.setText(text)
            button.setToolTip(tip)
            button.setAutoRaise(True)
            button.clicked.connect(lambda _c=False, s=step: self.year.stepBy(s))
        self.back, self.forward = back, forward
        self.year.setFixedWidth(self.year.fontMetrics().horizontalAdvance("2024 年") + 32)
        top = QHBoxLayout()
        top.addStretch(1)
        for widget in (back, self.year, forward):
            top.addWidget(widget)
        top.addStretch(1)
        self.months = QButtonGroup(self)  # exclusive: one month checked; the arrow keys move within it
        grid = QGridLayout()
        for month in range(1, 13):
            button = QPushButton(f"{month}月")
            button.setCheckable(True)
            button.setAutoDefault(False)  # Enter is for the dialog's 确定, not for the month in focus
            button.setMinimumWidth(button.fontMetrics().horizontalAdvance("12月") + 24)
            button.installEventFilter(self)
            self.months.addButton(button, month)
            grid.addWidget(button, (month - 1) // 4, (month - 1) % 4)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(top)
        layout.addLayout(grid)
        self.setStyleSheet(STYLE)
        wanted = _number(default.year, default.month)
        if self.latest is not None:
            wanted = min(wanted, self.latest)
        if self.earliest is not None:
            wanted = max(wanted, self.earliest)
        self.year.setValue(wanted // 12)
        self._show_year(wanted % 12 + 1)
        self.year.valueChanged.connect(lambda _y: self._show_year(self.months.checkedId()))
        # a year half typed (“20 年”) is no year: no month (确定 disabled), and Enter does not accept it
        self.year.lineEdit().textEdited.connect(lambda _t: self.changed.emit(self.month()))
        self.year.installEventFilter(self)
        self.months.idClicked.connect(lambda _m: self.changed.emit(self.month()))

    def allowed(self, year: int, month: int) -> bool:
        n = _number(year, month)
        return (self.latest is None or n <= self.latest) and (self.earliest is None or n >= self.earliest)

    def _show_year(self, month: int) -> None:
        """Enable the allowed months of the year shown; keep `month` checked, else the nearest allowed one."""
        year = self.year.value()
        allowed = [m for m in range(1, 13) if self.allowed(year, m)]
        for m in range(1, 13):
            self.months.button(m).setEnabled(m in allowed)
        if allowed:
            keep = month if month in allowed else min(allowed, key=lambda m: abs(m - month))
            self.months.button(keep).setChecked(True)
        else:  # an exclusive group keeps one checked: let go of it for a moment
            self.months.setExclusive(False)
            for button in self.months.buttons():
                button.setChecked(False)
            self.months.setExclusive(True)
        self.back.setEnabled(year > self.year.minimum())
        self.forward.setEnabled(year < self.year.maximum())
        self.changed.emit(self.month())

    def month(self) -> str:
        month = self.months.checkedId()
        typed = self.year.hasAcceptableInput()  # else the spin box would silently keep the year it had before
        return f"{self.year.value():04d}-{month:02d}" if month > 0 and typed else ""

    def focus_month(self) -> None:
        """Put the keyboard on the checked month (arrows move from there)."""
        button = self.months.checkedButton()
        (button or self.year).setFocus()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt's name)
        """Arrow keys on a month: the month before/after it, or above/below it (Qt's own arrow keys in a
        button group only move within a row or column, and would not go from 5月 back to 4月)."""
        steps = {Qt.Key.Key_Left: -1, Qt.Key.Key_Right: 1, Qt.Key.Key_Up: -4, Qt.Key.Key_Down: 4}
        if watched is self.year:  # Enter on a half-typed year: kept for the user to finish, never accepted
            return (event.type() == QEvent.Type.KeyPress and event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter)
                    and not self.year.hasAcceptableInput())
        if event.type() != QEvent.Type.KeyPress or event.key() not in steps:
            return False
        month = self.months.id(watched) + steps[event.key()]
        button = self.months.button(month) if 1 <= month <= 12 else None
        if button is not None and button.isEnabled():
            button.click()
            button.setFocus()
        return True

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 (Qt's name)
        steps = {Qt.Key.Key_PageUp: -1, Qt.Key.Key_PageDown: 1}
        if event.key() in steps:
            self.year.stepBy(steps[event.key()])
            self.focus_month()
        else:
            super().keyPressEvent(event)
