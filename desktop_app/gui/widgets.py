"""Small widgets and helpers every page and dialog shares: label styles, date conversion, combos,
tables, headings and the 保存/取消 buttons."""

from datetime import date

from PySide6.QtCore import QDate
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QTableView,
    QWidget,
)

from desktop_app.gui.table_model import RowsModel

ERROR_STYLE = "color: #c0392b;"


OK_STYLE = "color: #1e8449;"


HINT_STYLE = "color: #566573;"


WARN_STYLE = "color: #a04000;"  # something to see to, not an error


def qdate(day: date) -> QDate:
    return QDate(day.year, day.month, day.day)


def pydate(value: QDate) -> date:
    return date(value.year(), value.month(), value.day())


def combo(items: list[tuple[str, str]] | list[str], parent: QWidget | None = None) -> QComboBox:
    """A combo of (data, label) pairs, or of plain strings."""
    box = QComboBox(parent)
    for item in items:
        value, label = item if isinstance(item, tuple) else (item, item)
        box.addItem(label, value)
    return box


def select_data(box: QComboBox, value: str) -> None:
    index = box.findData(value)
    if index >= 0:
        box.setCurrentIndex(index)


def heading(text: str) -> QLabel:
    label = QLabel(text)
    label.setObjectName("heading")
    return label


def note(text: str) -> QLabel:
    label = QLabel(text)
    label.setObjectName("note")
    label.setWordWrap(True)
    return label


def text_box(lines: int, placeholder: str = "") -> QPlainTextEdit:
    """A multi-line field that shows `lines` whole lines without a scroll bar; longer text scrolls."""
    box = QPlainTextEdit()
    box.setPlaceholderText(placeholder)
    margin = box.document().documentMargin() + box.frameWidth() + box.contentsMargins().top()
    box.setFixedHeight(int(box.fontMetrics().lineSpacing() * lines + 2 * margin))
    return box


def reselect(view: QTableView, ids: list[str], previous_id: str | None) -> int:
    """After a list is reloaded, select the record that was selected before (else the first); returns
    the row, or -1 for an empty list."""
    if not ids:
        return -1
    row = ids.index(previous_id) if previous_id in ids else 0
    view.selectRow(row)
    return row


def save_cancel_buttons(dialog: QDialog, save, *, enabled: bool) -> tuple[QDialogButtonBox, QPushButton]:
    """保存/取消 for an add-or-edit dialog; an edit enables 保存 only once its record has loaded."""
    buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel)
    buttons.accepted.connect(save)
    buttons.rejected.connect(dialog.reject)
    save_button = buttons.button(QDialogButtonBox.StandardButton.Save)
    save_button.setEnabled(enabled)
    return buttons, save_button


def table(model: RowsModel, *, stretch: int = 0) -> QTableView:
    view = QTableView()
    view.setModel(model)
    view.verticalHeader().hide()
    view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    view.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    view.horizontalHeader().setSectionResizeMode(stretch, QHeaderView.ResizeMode.Stretch)
    return view


def parse_people(text: str, columns: int) -> list[list[str]]:
    """Lines of “a，b，c” (comma, 、 or tab separated) into lists of `columns` cells."""
    out = []
    for raw in text.splitlines():
        cells = [c.strip() for c in raw.replace("，", ",").replace("、", ",").replace("\t", ",").split(",")]
        if any(cells):
            out.append((cells + [""] * columns)[:columns])
    return out


def people_text(rows: list[tuple[str, ...]]) -> str:
    """The inverse of `parse_people`: one “a，b，c” line per row, empty trailing cells left out."""
    lines = []
    for row in rows:
        cells = list(row)
        while cells and not cells[-1]:
            cells.pop()
        lines.append("，".join(cells))
    return "\n".join(lines)


class DateBound(QHBoxLayout):
    """A checkbox that switches a date bound on (unchecked = 不限)."""

    def __init__(self, label: str, default: date):
        super().__init__()
        self.check = QCheckBox(label)
        self.edit = QDateEdit(QDate(default.year, default.month, default.day))
        self.edit.setDisplayFormat("yyyy-MM-dd")
        self.edit.setCalendarPopup(True)
        self.edit.setEnabled(False)
        self.check.setToolTip("不勾选为不限")
        self.check.toggled.connect(self.edit.setEnabled)
        self.addWidget(self.check)
        self.addWidget(self.edit)
        self.setSpacing(2)

    def value(self) -> date | None:
        return pydate(self.edit.date()) if self.check.isChecked() else None


def refill(box: QComboBox, items: list[tuple[str, object]]) -> None:
    """Replace a combo's items, keeping the current choice when it still exists."""
    current = box.currentData()
    box.blockSignals(True)
    box.clear()
    for label, value in items:
        box.addItem(label, value)
    index = box.findData(current)
    box.setCurrentIndex(index if index >= 0 else 0)
    box.blockSignals(False)
    if index < 0 and current is not None:
        box.currentIndexChanged.emit(0)
