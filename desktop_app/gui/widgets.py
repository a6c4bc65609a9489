"""Small widgets and helpers every page and dialog shares: label styles, date conversion, combos,
tables, headings, the 保存/取消 buttons, rows and panes of widgets, form rows and a page's filter bar
(filter combos, date bounds, a search box that waits for the typing to pause)."""

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import date
from typing import TypeVar

from PySide6.QtCore import QDate, Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QBoxLayout,
    QCheckBox,
    QComboBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLayout,
    QLineEdit,
    QListWidget,
    QPlainTextEdit,
    QPushButton,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from desktop_app.core.changes import Changes
from desktop_app.core.errors import UserError
from desktop_app.gui import prompts
from desktop_app.gui.screen_fit import grow_within
from desktop_app.gui.table_model import RowsModel

ERROR_STYLE = "color: #c0392b;"


OK_STYLE = "color: #1e8449;"


HINT_STYLE = "color: #566573;"


WARN_STYLE = "color: #a04000;"  # something to see to, not an error

T = TypeVar("T")


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

    changed = Signal()  # switched on or off, or another date chosen

    def __init__(self, label: str, default: date):
        super().__init__()
        self.check = QCheckBox(label)
        self.edit = date_edit(default)
        self.edit.setEnabled(False)
        self.check.setToolTip("不勾选为不限")
        self.check.toggled.connect(self.edit.setEnabled)
        self.check.toggled.connect(lambda _on: self.changed.emit())
        self.edit.dateChanged.connect(lambda _day: self.changed.emit())
        self.addWidget(self.check)
        self.addWidget(self.edit)
        self.setSpacing(2)

    def value(self) -> date | None:
        return pydate(self.edit.date()) if self.check.isChecked() else None


def date_range(today: date | None = None) -> tuple[DateBound, DateBound]:
    """A filter's 从 … 至 …: from the first of January to today, both off (不限) until checked."""
    today = today or date.today()
    return DateBound("从", today.replace(month=1, day=1)), DateBound("至", today)


def filter_combo(everything: str, min_length: int = 0) -> QComboBox:
    """A filter bar's combo, starting with “全部…” (no filter, data None); with `min_length`, as wide as
    that many characters whatever it holds."""
    box = QComboBox()
    box.addItem(everything, None)
    if min_length:
        box.setMinimumContentsLength(min_length)
        box.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
    return box


SEARCH_DELAY_MS = 250


class SearchBox(QLineEdit):
    """A filter bar's search field: `settled` once the typing pauses (SEARCH_DELAY_MS), not at each key."""

    settled = Signal()

    def __init__(self, placeholder: str):
        super().__init__()
        self.setPlaceholderText(placeholder)
        self.setClearButtonEnabled(True)
        self.delay = QTimer(self)
        self.delay.setSingleShot(True)
        self.delay.setInterval(SEARCH_DELAY_MS)
        self.delay.timeout.connect(self.settled.emit)
        self.textChanged.connect(lambda _text: self.delay.start())

    def settle_now(self) -> None:
        """What was typed in the last moment counts at once (before an export, say)."""
        if self.delay.isActive():
            self.settled.emit()


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


def date_edit(day: date | None = None) -> QDateEdit:
    """A date field (yyyy-MM-dd, with a calendar to pick from) showing `day`, else today."""
    edit = QDateEdit(qdate(day or date.today()))
    edit.setDisplayFormat("yyyy-MM-dd")
    edit.setCalendarPopup(True)
    return edit


def section_title(text: str) -> QLabel:
    """The bold title over one part of a dialog (受益群体和人数, 活动照片 …)."""
    label = QLabel(text)
    label.setStyleSheet("font-weight: bold; color: #2c3e50;")
    return label


def show_result(label: QLabel, text: str, *, error: bool) -> None:
    """A form's message line: in red what went wrong, in green what was done."""
    label.setText(text)
    label.setStyleSheet(ERROR_STYLE if error else OK_STYLE)


def read_form(collect: Callable[[], T], label: QLabel, *, grow: QDialog | None = None) -> T | None:
    """What `collect()` reads from a form, or None after showing in `label`, in red, what the form
    itself finds wrong (its UserError); what was typed stays. With `grow`, that dialog grows so the
    whole message shows (see `fit_height`)."""
    try:
        return collect()
    except UserError as exc:
        show_result(label, str(exc), error=True)
        if grow is not None:
            fit_height(grow)
        return None


def current_of(view: QTableView, items: list[T]) -> T | None:
    """The item of the view's current row (`items` in the order of the rows), or None."""
    row = view.currentIndex().row()
    return items[row] if 0 <= row < len(items) else None


def wrapped_label(text: str = "", style: str = "") -> QLabel:
    """A label that wraps its lines (a form's message, a hint), in `style` when one is given."""
    label = QLabel(text)
    label.setWordWrap(True)
    if style:
        label.setStyleSheet(style)
    return label


def push_button(text: str, tip: str = "") -> QPushButton:
    """A push button, with `tip` as its tooltip."""
    push = QPushButton(text)
    if tip:
        push.setToolTip(tip)
    return push


def editable_combo(placeholder: str) -> QComboBox:
    """A combo to type into or choose from (what is typed is not added to its list)."""
    box = QComboBox()
    box.setEditable(True)
    box.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
    box.lineEdit().setPlaceholderText(placeholder)
    return box


STRETCH = None  # in row_of() and pane(): the room left over goes here
LayoutItem = QWidget | QLayout | tuple[QWidget | QLayout, int] | None  # (item, n): with stretch factor n


def fill(layout: QBoxLayout, *items: LayoutItem) -> QBoxLayout:
    """Add widgets and layouts to `layout` in order: (item, n) with stretch factor n, STRETCH as room."""
    for item in items:
        if item is STRETCH:
            layout.addStretch()
            continue
        target, stretch = item if isinstance(item, tuple) else (item, 0)
        if isinstance(target, QLayout):
            layout.addLayout(target, stretch)
        else:
            layout.addWidget(target, stretch)
    return layout


def row_of(*items: LayoutItem) -> QHBoxLayout:
    """Widgets and layouts side by side (a toolbar: buttons, then STRETCH, then the buttons on the right)."""
    return fill(QHBoxLayout(), *items)


def pane(*items: LayoutItem, margins: tuple[int, int, int, int] | None = (0, 0, 0, 0)) -> QWidget:
    """A widget holding `items` one under another: a side of a splitter, a tab (`margins` None: the
    style's own)."""
    box = QWidget()
    column = fill(QVBoxLayout(box), *items)
    if margins is not None:
        column.setContentsMargins(*margins)
    return box


def splitter(*parts: QWidget, sizes: list[int] | None = None, stretch: tuple[int, ...] = (),
             vertical: bool = False) -> QSplitter:
    """`parts` side by side (or, `vertical`, one above another) with handles to resize them: `stretch`
    says which part takes how much of a change in the window's size, `sizes` the first sizes in pixels."""
    split = QSplitter(Qt.Orientation.Vertical if vertical else Qt.Orientation.Horizontal)
    for part in parts:
        split.addWidget(part)
    for index, factor in enumerate(stretch):
        split.setStretchFactor(index, factor)
    if sizes:
        split.setSizes(sizes)
    return split


def form_rows(form: QFormLayout, *rows: tuple[str, QWidget | QLayout] | QWidget | QLayout) -> QFormLayout:
    """Add (label, field) rows to `form`; a bare widget or layout takes the whole width of its row."""
    for item in rows:
        if isinstance(item, tuple):
            form.addRow(*item)
        else:
            form.addRow(item)
    return form


def fit_height(dialog: QDialog) -> None:
    """Grow a dialog so wrapped labels (a hint, an error message) show all their lines: a top-level
    window does not follow its layout's height-for-width by itself."""
    layout = dialog.layout()
    layout.activate()
    needed = layout.totalHeightForWidth(dialog.width()) if layout.hasHeightForWidth() else -1
    if needed > dialog.height():
        grow_within(dialog, needed)  # never past the bottom of the screen


class GrowingMessage:
    """Mixin for a form dialog with a `message` label (wrapped, in red): `show_message` — what `submit`
    calls when the core refuses — puts the text there and grows the dialog so all of it shows."""

    message: QLabel

    def show_message(self, text: str) -> None:
        self.message.setText(text)
        fit_height(self)


IGNORED_BY_FORM_STATE = "ignoredByFormState"  # a widget property: this control is no form data (e.g. a view option)


def _ignored(widget: QWidget | None, root: QWidget) -> bool:
    """The widget or a container of it (a photos panel, a search combo) is marked as no form data."""
    while widget is not None and widget is not root:
        if widget.property(IGNORED_BY_FORM_STATE):
            return True
        widget = widget.parentWidget()
    return False


def form_state(root: QWidget) -> tuple:
    """What can be typed or picked in a form, as one comparable value: texts, choices, ticks and lists."""
    values: list[object] = []
    for widget in root.findChildren(QWidget):
        if _ignored(widget, root):
            continue
        if isinstance(widget, QLineEdit):
            values.append(widget.text())
        elif isinstance(widget, QComboBox):
            values.append(widget.currentText())
        elif isinstance(widget, QPlainTextEdit):
            values.append(widget.toPlainText())
        elif isinstance(widget, QAbstractButton) and widget.isCheckable():
            values.append(widget.isChecked())
        elif isinstance(widget, QListWidget):
            values.append(tuple(widget.item(i).text() for i in range(widget.count())))
    return tuple(values)


class AsksBeforeClosing:
    """Mixin for a form dialog (before QDialog in the bases): closing it (关闭, Esc, the window's ×) with
    something typed since `mark_clean()` asks “有尚未保存的内容，确定关闭吗？” (放弃/继续编辑); an untouched form
    closes silently, and saving (`accept`) never asks. Call `mark_clean()` once the form is filled."""

    _clean_state: tuple | None = None

    def typed_state(self) -> tuple:
        """What was typed or picked (`form_state`); a form with data elsewhere (a table's rows) adds it."""
        return form_state(self)

    def mark_clean(self) -> None:
        self._clean_state = self.typed_state()

    @contextmanager
    def filling(self) -> Iterator[None]:
        """The program fills the form (data loaded in the worker): if nothing was typed yet, the filled form
        is the untouched one."""
        untouched = not self.has_unsaved_changes()
        yield
        if untouched:
            self.mark_clean()

    def has_unsaved_changes(self) -> bool:
        return self._clean_state is not None and self.typed_state() != self._clean_state

    def reject(self) -> None:
        if self.has_unsaved_changes() and not prompts.ask_discard(self):
            return
        super().reject()


def submit(dialog, op: Callable[[], object], changes: Changes, status: Callable[[object], str]) -> None:
    """Save a form: run `op` in the worker with 保存 disabled; on success say `status(result)` in the
    status bar and close, else show the core's message in the form (which keeps what was typed).
    `dialog` has ctx, save_button, show_message."""
    dialog.save_button.setEnabled(False)

    def failed(exc: BaseException) -> None:
        dialog.save_button.setEnabled(True)
        dialog.show_message(str(exc) if isinstance(exc, UserError) else "没有保存，请重试。")

    def saved(result) -> None:
        dialog.ctx.runner.message.emit(status(result))
        dialog.accept()

    dialog.ctx.runner.run(op, saved, failed, changes=changes)
