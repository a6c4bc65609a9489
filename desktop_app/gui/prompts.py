"""Every modal question the GUI asks, as small functions: tests monkeypatch these (never a real dialog)."""

from collections.abc import Callable
from datetime import date
from pathlib import Path

from PySide6.QtCore import QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QInputDialog,
    QLabel,
    QLineEdit,
    QListWidget,
    QMessageBox,
    QVBoxLayout,
    QWidget,
)

from desktop_app.core.errors import NeedsOverride
from desktop_app.gui.file_dialogs import (  # noqa: F401 (re-exported: callers and tests use prompts.open_files …)
    BACKUP_FILTER,
    EXCEL_FILTER,
    PDF_FILTER,
    choose_backup_folder,
    choose_folder,
    choose_sync_folder,
    documents_dir,
    open_backup_file,
    open_files,
    open_pdf,
    open_photos,
    open_survey_file,
    open_sync_file,
    open_sync_files,
    save_excel,
    save_pdf,
    with_suffix,
)
from desktop_app.gui.month_picker import MonthPicker
from desktop_app.gui.screen_fit import fit_window


def show_error(parent: QWidget | None, message: str, title: str = "无法完成", details: str = "") -> None:
    """`details` (full paths, hashes) go under the box's 详细信息 button, out of the plain-words message."""
    _message(QMessageBox.Icon.Warning, parent, title, message, details)


def show_info(parent: QWidget | None, message: str, title: str = "提示", details: str = "") -> None:
    _message(QMessageBox.Icon.Information, parent, title, message, details)


def _message(icon: QMessageBox.Icon, parent: QWidget | None, title: str, message: str, details: str) -> None:
    box = QMessageBox(icon, title, message, QMessageBox.StandardButton.Ok, parent)
    if details:
        box.setDetailedText(details)
    box.exec()


def details_of(exc: BaseException) -> str:
    """What a `UserError` keeps for 详细信息 (its `technical` text); "" for anything else."""
    return getattr(exc, "technical", "") or ""


def show_refusal(parent: QWidget | None, exc: BaseException, title: str = "无法完成") -> None:
    """A core refusal (`UserError`) in a message box, its full paths and hashes under 详细信息."""
    show_error(parent, str(exc), title, details=details_of(exc))


def confirm(parent: QWidget | None, title: str, message: str) -> bool:
    answer = QMessageBox.question(parent, title, message,
                                  QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
                                  QMessageBox.StandardButton.No)
    return answer == QMessageBox.StandardButton.Yes


POSTING_QUESTION = "记账后不能修改或删除，只能红字冲销。确定记账吗？"
DISCARD_QUESTION = "有尚未保存的内容，确定关闭吗？"


def ask_posting(parent: QWidget | None, what: str = "") -> tuple[bool, bool]:
    """Whether to post (irreversible), and whether “不再提示” was ticked (only counts with 记账)."""
    box = QMessageBox(QMessageBox.Icon.Question, "确认记账", (f"{what}\n\n" if what else "") + POSTING_QUESTION,
                      QMessageBox.StandardButton.NoButton, parent)
    post = box.addButton("记账", QMessageBox.ButtonRole.AcceptRole)
    box.setDefaultButton(box.addButton("取消", QMessageBox.ButtonRole.RejectRole))
    quiet = QCheckBox("不再提示")
    box.setCheckBox(quiet)
    box.exec()
    posted = box.clickedButton() is post
    return posted, posted and quiet.isChecked()


def ask_discard(parent: QWidget | None) -> bool:
    """True when the user gives up what was typed (放弃), False to go on editing (继续编辑)."""
    box = QMessageBox(QMessageBox.Icon.Warning, "关闭", DISCARD_QUESTION, QMessageBox.StandardButton.NoButton,
                      parent)
    discard = box.addButton("放弃", QMessageBox.ButtonRole.DestructiveRole)
    box.setDefaultButton(box.addButton("继续编辑", QMessageBox.ButtonRole.RejectRole))
    box.exec()
    return box.clickedButton() is discard


def ask_text(parent: QWidget | None, title: str, label: str, text: str = "") -> str | None:
    """A non-empty line of text, or None when the user cancelled."""
    value, ok = QInputDialog.getText(parent, title, label, text=text)
    value = value.strip()
    return value if ok and value else None


def _question_dialog(parent: QWidget | None, title: str, label: str) -> tuple[QDialog, QVBoxLayout]:
    """A dialog that asks something: `label` (wrapped) on top; the asker adds the fields under it."""
    dialog = QDialog(parent)
    dialog.setWindowTitle(title)
    layout = QVBoxLayout(dialog)
    text = QLabel(label)
    text.setWordWrap(True)
    layout.addWidget(text)
    return dialog, layout


def _ok_cancel(dialog: QDialog) -> QDialogButtonBox:
    """确定/取消 that accept or reject `dialog`."""
    buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
    buttons.accepted.connect(dialog.accept)
    buttons.rejected.connect(dialog.reject)
    return buttons


def ask_month(parent: QWidget | None, title: str, label: str, default: date, latest: date | None = None,
              earliest: date | None = None) -> str | None:
    """A month as YYYY-MM (none after `latest`'s month nor before `earliest`'s), or None when cancelled."""
    dialog, layout = _question_dialog(parent, title, label)
    picker = MonthPicker(default, latest, earliest)
    layout.addWidget(picker)
    buttons = _ok_cancel(dialog)
    ok = buttons.button(QDialogButtonBox.StandardButton.Ok)
    picker.changed.connect(lambda month: ok.setEnabled(bool(month)))
    ok.setEnabled(bool(picker.month()))
    layout.addWidget(buttons)
    fit_window(dialog, 420)
    picker.focus_month()
    if dialog.exec() != QDialog.DialogCode.Accepted:
        return None
    return picker.month() or None


def ask_multiline(parent: QWidget | None, title: str, label: str, text: str = "") -> str | None:
    """Several lines of text, or None when the user cancelled or wrote nothing."""
    value, ok = QInputDialog.getMultiLineText(parent, title, label, text)
    value = value.strip()
    return value if ok and value else None


def print_dialog(parent: QWidget | None, printer, pages: int) -> bool:
    """The system print dialog for `printer` (printer, copies, pages 1…`pages`); True when the user
    pressed 打印."""
    from PySide6.QtPrintSupport import QPrintDialog

    dialog = QPrintDialog(printer, parent)
    dialog.setWindowTitle("打印公示")
    dialog.setMinMax(1, max(pages, 1))
    return dialog.exec() == QDialog.DialogCode.Accepted


def ask_verification(parent: QWidget | None, typed: str = "") -> str | Path | None:
    """A verification code as typed or the text its QR code scans to (`typed`: what was typed before), or a
    PDF file to check, or None when cancelled."""
    dialog, layout = _question_dialog(parent, "核验公示", "输入公示末尾印的核验码（如 ABCDE-FGHJK，大小写、空格和横线都可以），"
                                      "或用扫码枪扫描公示上的二维码，或选择一份公示 PDF 文件。核验会说明公示所依据的数据"
                                      "是否在那之后被改动过；扫描二维码还会核对发布时的账目是否在程序之外被改写。")
    code = QLineEdit(typed)
    code.setPlaceholderText("核验码，如 ABCDE-FGHJK，或扫描二维码")
    layout.addWidget(code)
    chosen: list[Path] = []

    def pick() -> None:
        path = open_pdf(dialog)
        if path is not None:
            chosen.append(path)
            dialog.accept()

    buttons = _ok_cancel(dialog)
    buttons.button(QDialogButtonBox.StandardButton.Ok).setText("核验")
    buttons.addButton("选择 PDF 文件…", QDialogButtonBox.ButtonRole.ActionRole).clicked.connect(pick)
    layout.addWidget(buttons)
    fit_window(dialog, 460)  # tall enough for the wrapped text at that width
    if dialog.exec() != QDialog.DialogCode.Accepted:
        return None
    if chosen:
        return chosen[-1]
    return code.text().strip() or None


def choose(parent: QWidget | None, title: str, label: str, items: list[str]) -> int | None:
    """The index of the item the user picked from a list, or None when cancelled."""
    value, ok = QInputDialog.getItem(parent, title, label, items, 0, False)
    return items.index(value) if ok and value in items else None


def choose_many(parent: QWidget | None, title: str, label: str, items: list[str]) -> list[int]:
    """The indexes of the items the user picked (several allowed; a search box filters long lists),
    or [] when cancelled."""
    dialog, layout = _question_dialog(parent, title, label)
    search = QLineEdit()
    search.setPlaceholderText("输入文字筛选")
    layout.addWidget(search)
    choices = QListWidget()
    choices.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
    choices.addItems(items)
    layout.addWidget(choices)

    def only(typed: str) -> None:
        for i, item in enumerate(items):
            choices.item(i).setHidden(typed.strip() not in item)

    search.textChanged.connect(only)
    buttons = _ok_cancel(dialog)
    choices.itemDoubleClicked.connect(lambda _item: dialog.accept())
    layout.addWidget(buttons)
    dialog.resize(520, 420)
    if dialog.exec() != QDialog.DialogCode.Accepted:
        return []
    return sorted(choices.row(item) for item in choices.selectedItems() if not item.isHidden())


def offer(parent: QWidget | None, title: str, message: str, action: str, close: str = "关闭", details: str = "") -> bool:
    """Tell something and offer one thing to do next; True when the user takes it."""
    box = QMessageBox(QMessageBox.Icon.Information, title, message, QMessageBox.StandardButton.NoButton, parent)
    if details:
        box.setDetailedText(details)
    action_button = box.addButton(action, QMessageBox.ButtonRole.AcceptRole)
    box.addButton(close, QMessageBox.ButtonRole.RejectRole)
    box.setDefaultButton(action_button)
    box.exec()
    return box.clickedButton() is action_button


def offer_open_folder(parent: QWidget | None, message: str, title: str = "导出完成", details: str = "") -> bool:
    """Tell what was done; True when the user asks to open the folder."""
    return offer(parent, title, message, "打开文件夹", details=details)


def open_folder(folder: Path) -> None:
    """Show a folder in the system's file manager."""
    QDesktopServices.openUrl(QUrl.fromLocalFile(str(folder)))


def ask_override_reason(parent: QWidget, message: str) -> str | None:
    return ask_text(parent, "需要超额说明", f"{message}\n\n超额说明（会记录在凭证上）：")


def retry_with_override_reason(parent: QWidget, exc: BaseException, override_reason: str,
                               retry: Callable[[str], None],
                               cancelled: Callable[[], None] | None = None) -> bool:
    """When the core refused a posting for want of an override reason (`NeedsOverride`) and none was given
    yet: ask for one, then `retry(reason)` — or call `cancelled()` when the user gave none. True when `exc`
    was handled so; False for any other failure, which the caller reports."""
    if not isinstance(exc, NeedsOverride) or override_reason:
        return False
    reason = ask_override_reason(parent, str(exc))
    if reason:
        retry(reason)
    elif cancelled is not None:
        cancelled()
    return True
