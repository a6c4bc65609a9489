"""Every modal question the GUI asks, as small functions: tests monkeypatch these (never a real dialog)."""

from datetime import date
from pathlib import Path

from PySide6.QtCore import QDate
from PySide6.QtWidgets import (
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QInputDialog,
    QLabel,
    QMessageBox,
    QVBoxLayout,
    QWidget,
)


def show_error(parent: QWidget | None, message: str, title: str = "无法完成") -> None:
    QMessageBox.warning(parent, title, message)


def show_info(parent: QWidget | None, message: str, title: str = "提示") -> None:
    QMessageBox.information(parent, title, message)


def confirm(parent: QWidget | None, title: str, message: str) -> bool:
    answer = QMessageBox.question(parent, title, message,
                                  QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
                                  QMessageBox.StandardButton.No)
    return answer == QMessageBox.StandardButton.Yes


def ask_text(parent: QWidget | None, title: str, label: str, text: str = "") -> str | None:
    """A non-empty line of text, or None when the user cancelled."""
    value, ok = QInputDialog.getText(parent, title, label, text=text)
    value = value.strip()
    return value if ok and value else None


def ask_month(parent: QWidget | None, title: str, label: str, default: date) -> str | None:
    """A month as YYYY-MM, or None when the user cancelled."""
    dialog = QDialog(parent)
    dialog.setWindowTitle(title)
    layout = QVBoxLayout(dialog)
    text = QLabel(label)
    text.setWordWrap(True)
    layout.addWidget(text)
    picker = QDateEdit(QDate(default.year, default.month, 1))
    picker.setDisplayFormat("yyyy年MM月")
    picker.setCalendarPopup(True)
    layout.addWidget(picker)
    buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
    buttons.accepted.connect(dialog.accept)
    buttons.rejected.connect(dialog.reject)
    layout.addWidget(buttons)
    if dialog.exec() != QDialog.DialogCode.Accepted:
        return None
    chosen = picker.date()
    return f"{chosen.year():04d}-{chosen.month():02d}"


def open_files(parent: QWidget | None, title: str = "选择附件") -> list[Path]:
    names, _ = QFileDialog.getOpenFileNames(parent, title, "", "凭证文件 (*.jpg *.jpeg *.png *.pdf *.tif *.tiff);;所有文件 (*)")
    return [Path(n) for n in names]
