"""What every page shares: refresh from a change notice, lazily when the page is hidden."""

from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QTableView,
    QWidget,
)

from desktop_app.core.services.changes import Changes
from desktop_app.gui.context import AppContext


class Page(QWidget):
    title = ""
    watches: tuple[str, ...] = ()  # Changes flags this page shows

    def __init__(self, ctx: AppContext, parent: QWidget | None = None):
        super().__init__(parent)
        self.ctx = ctx
        self._stale = True
        ctx.runner.changed.connect(self.on_changed)

    def on_changed(self, changes: Changes) -> None:
        if changes.touches(*self.watches):
            self._stale = True
            if self.isVisible():
                self.reload()

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if self._stale:
            self.reload()

    def reload(self) -> None:
        self._stale = False
        self.refresh()

    def refresh(self) -> None:
        """Read what the page shows (through the runner) and fill the widgets."""


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
