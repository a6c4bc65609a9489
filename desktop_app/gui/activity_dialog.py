"""活动登记: one dialog to add or edit an activity — what happened, where, who came and who it reached,
the named beneficiaries (sensitive, optional), the posted expenses that paid for it, and its photos.

The form's fields are saved together by one core operation (`add_activity` / `update_activity`), one
undo step. Photos are separate operations that take effect at once (an import can take a while and is
never undone by 取消 of the form); a new activity is saved first, after asking, before photos are added.
Errors from the core appear in red under the form, and nothing typed is lost.
"""

from dataclasses import dataclass
from datetime import date
from functools import partial

from PySide6.QtCore import QEvent, QObject, Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QCompleter,
    QDateEdit,
    QDialog,
    QFormLayout,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QScrollArea,
    QSpinBox,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from desktop_app.core.changes import ACTIVITIES
from desktop_app.core.errors import Cancelled, UserError
from desktop_app.core.money import format_yuan
from desktop_app.core.queries import activities as activity_queries
from desktop_app.core.queries import projects as project_queries
from desktop_app.core.queries import spaces as space_queries
from desktop_app.core.queries.categories import list_categories
from desktop_app.core.services import activities
from desktop_app.core.services import photos as photo_service
from desktop_app.core.services.activities import ActivityInput, NamedInput
from desktop_app.core.services.ledger import voucher_text
from desktop_app.core.services.photos import PhotoImport
from desktop_app.core.storage.workspace import Workspace
from desktop_app.gui import prompts, undo
from desktop_app.gui.context import AppContext
from desktop_app.gui.photo_gallery import PhotoGalleryModel, PhotoStrip, ThumbnailLoader
from desktop_app.gui.table_model import RowsModel
from desktop_app.gui.widgets import (
    ERROR_STYLE,
    HINT_STYLE,
    OK_STYLE,
    note,
    pydate,
    qdate,
    select_data,
    table,
    text_box,
)

WHOLE_PROJECT = "（项目整体，不属于某个试点）"
MAX_COUNT = 1_000_000
PHOTO_HINT = ("可以一次选多张照片，也可以把照片或整个文件夹从“文件管理器”拖到上面的照片栏；拖动照片可调整顺序。"
              "照片的添加、说明、顺序和删除会立即保存。")
UNSAVED_PHOTO_HINT = "照片要添加到已保存的活动上：点“添加照片…”时会先保存这个活动（保存后窗口不关闭）。"
REPORT_LIMIT = 12  # files listed per kind in the import summary
PRIVACY_NOTE = ("受益人姓名、情况说明和电话属于个人敏感信息：所有导出中姓名都会打码（如“张*明”），情况说明和电话"
                "从不导出、不公示；只有勾选“同意公开”的受益人，才会以打码后的姓名出现在公示和导出中。")


# ---------------------------------------------------------------- what the form reads


@dataclass(frozen=True)
class ExpenseChoice:
    id: str
    entry_date: date
    voucher: str
    summary: str
    amount_fen: int

    @property
    def label(self) -> str:
        return f"{self.entry_date}　凭证 {self.voucher}　{self.summary}　{format_yuan(self.amount_fen)}"


@dataclass(frozen=True)
class ActivityLookups:
    projects: list[tuple[str, str]]  # (id, name)
    sites: dict[str, list[tuple[str, str]]]  # project id → (id, name)
    spaces: dict[str, list[tuple[str, str, str | None]]]  # project id → (id, name, site id)
    types: list[str]
    groups: list[str]


@dataclass(frozen=True)
class LoadedActivity:
    data: ActivityInput
    expenses: list[ExpenseChoice]  # the linked ones


def load_activity_lookups(ws: Workspace) -> ActivityLookups:
    with ws.reading() as s:
        found = project_queries.list_projects(s)
        return ActivityLookups(
            [(p.id, p.name) for p in found],
            {p.id: [(x.id, x.name) for x in project_queries.project_sites(s, p.id)] for p in found},
            {p.id: [(x.id, x.name, x.site_id) for x in space_queries.list_spaces(s, p.id)] for p in found},
            [c.name for c in list_categories(s, "activity_type")],
            [c.name for c in list_categories(s, "beneficiary_group")])


def _choice(entry) -> ExpenseChoice:
    return ExpenseChoice(entry.id, entry.entry_date, voucher_text(entry), entry.summary, entry.amount_fen)


def load_expenses(ws: Workspace, project_id: str) -> list[ExpenseChoice]:
    with ws.reading() as s:
        return [_choice(e) for e in activity_queries.project_expenses(s, project_id)]


def load_activity(ws: Workspace, activity_id: str) -> LoadedActivity:
    with ws.reading() as s:
        detail = activities.activity_detail(s, activity_id)
        return LoadedActivity(activities.activity_input(s, activity_id), [_choice(e) for e in detail.expenses])


def import_report(result: PhotoImport, limit: int = REPORT_LIMIT) -> str:
    """What an import did, in words: the summary line, then each file not added and why."""
    lines = [result.summary()]
    for title, items in (("无法添加：", result.refused), ("重复，未再添加：", result.duplicates),
                         ("已添加，但这些照片也用在：", result.also_elsewhere)):
        if items:
            lines += ["", title] + [f"· {name}：{why}" for name, why in items[:limit]]
            if len(items) > limit:
                lines.append(f"……另有 {len(items) - limit} 个文件")
    return "\n".join(lines)


# ---------------------------------------------------------------- small editable tables


class RowEditor(QWidget):
    """A few editable rows of widgets under a header, each with its own 删除 button, and 添加 below:
    the beneficiary groups and the named beneficiaries."""

    changed = Signal()

    def __init__(self, headers: list[str], make_row, add_text: str, *, stretch: tuple[int, ...] = (),
                 parent: QWidget | None = None):
        super().__init__(parent)
        self._make_row = make_row
        self._rows: list[list[QWidget]] = []
        self._grid = QGridLayout()
        self._grid.setContentsMargins(0, 0, 0, 0)
        self._grid.setVerticalSpacing(3)
        for column, text in enumerate(headers):
            label = QLabel(text)
            label.setStyleSheet(HINT_STYLE)
            self._grid.addWidget(label, 0, column)
        for column, factor in enumerate(stretch):
            self._grid.setColumnStretch(column, factor)
        self._next_row = 1
        self.add_button = QPushButton(add_text)
        self.add_button.clicked.connect(lambda: self.add_row())
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(self._grid)
        buttons = QHBoxLayout()
        buttons.addWidget(self.add_button)
        buttons.addStretch()
        layout.addLayout(buttons)

    def add_row(self) -> list[QWidget]:
        widgets = self._make_row()
        remove = QToolButton()
        remove.setText("删除")
        remove.setToolTip("删去这一行")
        row = [*widgets, remove]
        for column, widget in enumerate(row):
            self._grid.addWidget(widget, self._next_row, column)
        self._next_row += 1
        self._rows.append(row)
        remove.clicked.connect(lambda: self.remove_row(row))
        for widget in widgets:
            for name in ("textChanged", "valueChanged", "currentIndexChanged", "toggled"):
                signal = getattr(widget, name, None)
                if signal is not None:
                    signal.connect(lambda *_args: self.changed.emit())
        self.changed.emit()
        return widgets

    def remove_row(self, row: list[QWidget]) -> None:
        if row in self._rows:
            self._rows.remove(row)
            for widget in row:
                self._grid.removeWidget(widget)
                widget.deleteLater()
            self.changed.emit()

    def rows(self) -> list[list[QWidget]]:
        """The editable widgets of each row (without its 删除 button)."""
        return [row[:-1] for row in self._rows]

    def clear(self) -> None:
        for row in list(self._rows):
            self.remove_row(row)


def count_box(suffix: str = " 人") -> QSpinBox:
    box = QSpinBox()
    box.setRange(0, MAX_COUNT)
    box.setSuffix(suffix)
    box.setGroupSeparatorShown(True)
    box.setMinimumWidth(90)
    return box


class Collapsible(QWidget):
    """A section behind a ▸ button, closed at first (the named beneficiaries)."""

    def __init__(self, title: str, body: QWidget, parent: QWidget | None = None):
        super().__init__(parent)
        self._title = title
        self.toggle = QToolButton()
        self.toggle.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        self.toggle.setArrowType(Qt.ArrowType.RightArrow)
        self.toggle.setCheckable(True)
        self.toggle.setAutoRaise(True)
        self.toggle.setText(title)
        self.body = body
        body.setVisible(False)
        self.toggle.toggled.connect(self.set_open)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.toggle)
        layout.addWidget(body)

    def set_open(self, on: bool) -> None:
        self.toggle.setChecked(on)
        self.toggle.setArrowType(Qt.ArrowType.DownArrow if on else Qt.ArrowType.RightArrow)
        self.body.setVisible(on)

    def set_detail(self, detail: str) -> None:
        self.toggle.setText(f"{self._title}{detail}")


class ActivityPhotos(QWidget):
    """The editor's photos: the strip (drop files or folders on it, drag to reorder, Delete to remove),
    添加照片… / 添加整个文件夹…, and the caption and 用于公示 of the selected photo. Each change is its own
    operation, saved at once. Photos belong to a saved activity: before the first save, adding asks
    `save_first(again)` to save the form and then run `again`."""

    message = Signal(str, bool)  # text, is an error

    def __init__(self, ctx: AppContext, *, save_first, loader: ThumbnailLoader | None = None,
                 parent: QWidget | None = None):
        super().__init__(parent)
        self.ctx, self._save_first = ctx, save_first
        self.activity_id: str | None = None
        self._closed = False
        self._build(loader)
        ctx.runner.changed.connect(self._on_changed)

    def set_activity(self, activity_id: str | None) -> None:
        self.activity_id = activity_id
        self._show_photos()

    def _say(self, text: str, *, error: bool) -> None:
        self.message.emit(text, error)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if (watched is self.caption and event.type() == QEvent.Type.KeyPress
                and event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter)):
            self._save_caption()
            return True
        return super().eventFilter(watched, event)

    def _build(self, loader: ThumbnailLoader | None) -> None:
        self.photo_model = PhotoGalleryModel(self.ctx.ws, loader=loader, parent=self)
        self.strip = PhotoStrip()
        self.strip.setModel(self.photo_model)
        self.photo_count = QLabel("")
        self.photo_count.setStyleSheet(HINT_STYLE)
        self.add_photos_button = QPushButton("添加照片…")
        self.add_folder_button = QPushButton("添加整个文件夹…")
        self.remove_photo_button = QPushButton("删除这张照片")
        self.caption = QLineEdit()
        self.caption.setPlaceholderText("选中一张照片后在这里写说明，如“八台慈善音乐会现场”（公示中印在照片下）")
        self.in_notice = QCheckBox("用于公示")
        self.in_notice.setToolTip("勾选的照片会印在经费使用情况公示里。")
        self.photo_hint = QLabel("")
        self.photo_hint.setWordWrap(True)
        self.photo_hint.setStyleSheet(HINT_STYLE)
        top = QHBoxLayout()
        top.addWidget(section_title("活动照片"))
        top.addWidget(self.photo_count)
        top.addStretch()
        top.addWidget(self.add_photos_button)
        top.addWidget(self.add_folder_button)
        caption = QHBoxLayout()
        caption.addWidget(QLabel("照片说明"))
        caption.addWidget(self.caption, 1)
        caption.addWidget(self.in_notice)
        caption.addWidget(self.remove_photo_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(top)
        layout.addWidget(self.strip)
        layout.addLayout(caption)
        layout.addWidget(self.photo_hint)
        self.add_photos_button.clicked.connect(self.pick_photos)
        self.add_folder_button.clicked.connect(self.pick_folder)
        self.remove_photo_button.clicked.connect(lambda: self.remove_photo(self.strip.current_photo_id()))
        self.strip.files_dropped.connect(self.import_photos)
        self.strip.reordered.connect(self.reorder_photos)
        self.strip.remove_requested.connect(self.remove_photo)
        self.strip.selectionModel().currentChanged.connect(lambda _current, _previous: self._photo_selected())
        self.caption.editingFinished.connect(self._save_caption)
        self.caption.installEventFilter(self)  # Enter confirms the caption; it must not save and close the form
        self.in_notice.clicked.connect(self._save_in_notice)

    def _on_changed(self, changes) -> None:
        if changes.touches("activities") and not self._closed and self.activity_id:
            self._show_photos()

    def _show_photos(self) -> None:
        """(Re)read the strip, keeping the selected photo."""
        if self._closed:
            return
        current = self.strip.current_photo_id()
        if self.activity_id and self.photo_model.scope is not None:
            self.photo_model.refresh()
        else:
            self.photo_model.set_scope(activity_id=self.activity_id)
        count = self.photo_model.rowCount()
        self.photo_count.setText(f"（{count} 张）" if count else "")
        if self.activity_id:
            self.photo_hint.setText(PHOTO_HINT if count else "还没有照片。" + PHOTO_HINT)
        else:
            self.photo_hint.setText(UNSAVED_PHOTO_HINT)
        row = self.photo_model.row_of(current) if current else None
        if row is not None:
            self.strip.setCurrentIndex(self.photo_model.index(row))
        self._photo_selected()

    def _current_tile(self):
        index = self.strip.currentIndex()
        return self.photo_model.tile(index.row()) if index.isValid() else None

    def _photo_selected(self) -> None:
        tile = self._current_tile()
        for widget in (self.caption, self.in_notice, self.remove_photo_button):
            widget.setEnabled(tile is not None)
        self.caption.setText(tile.caption if tile else "")
        self.in_notice.setChecked(bool(tile and tile.in_notice))

    def pick_photos(self) -> None:
        if self._ready_for_photos(self.pick_photos):
            paths = prompts.open_photos(self, "选择活动照片（可多选）")
            if paths:
                self.import_photos(paths)

    def pick_folder(self) -> None:
        if self._ready_for_photos(self.pick_folder):
            folder = prompts.choose_folder(self, "选择照片所在的文件夹（添加其中所有照片）")
            if folder is not None:
                self.import_photos([folder])

    def _ready_for_photos(self, again) -> bool:
        """True when the activity is saved; else offer to save it first and then do `again`."""
        if self.activity_id:
            return True
        if prompts.confirm(self, "先保存活动", "照片要添加到已保存的活动上。\n\n现在先保存这个活动（窗口不关闭），"
                           "然后选择照片吗？"):
            self._save_first(again)
        return False

    def import_photos(self, paths: list) -> None:
        """Add files (and whole folders) in the worker, with progress and 取消; then say what happened."""
        if not paths or not self._ready_for_photos(lambda: self.import_photos(paths)):
            return
        ws, activity_id = self.ctx.ws, self.activity_id

        def failed(exc: BaseException) -> None:
            if isinstance(exc, Cancelled):
                self._say("已取消添加照片，这一批照片都没有添加。", error=False)
            elif isinstance(exc, UserError):
                self._say(str(exc), error=True)

        count = "文件夹里的" if any(p.is_dir() for p in paths) else f" {len(paths)} 张"
        self.ctx.runner.run(lambda progress: photo_service.add_photos(ws, paths, activity_id=activity_id, progress=progress),
                            self._photos_imported, failed, changes=ACTIVITIES,
                            progress_title=f"正在添加{count}照片…", cancellable=True, parent=self.window())

    def _photos_imported(self, result: PhotoImport) -> None:
        if self._closed:
            return
        if result.added:
            self.strip.setCurrentIndex(self.photo_model.index(self.photo_model.rowCount() - 1))
            self.strip.scrollToBottom()
        if result.refused or result.duplicates or result.also_elsewhere:
            prompts.show_info(self, import_report(result), "照片添加结果")
        self._say(result.summary(), error=not result.added)

    def _photo_op(self, fn, done_text: str = "") -> None:
        def done(_result) -> None:
            if done_text and not self._closed:
                self._say(done_text, error=False)

        def failed(exc: BaseException) -> None:
            if isinstance(exc, UserError) and not self._closed:
                self._say(str(exc), error=True)
                self._show_photos()  # back to what is stored

        ws = self.ctx.ws
        self.ctx.runner.run(lambda: fn(ws), done, failed, changes=ACTIVITIES)

    def _save_caption(self) -> None:
        tile = self._current_tile()
        if tile is None or self.caption.text().strip() == tile.caption:
            return
        text, photo_id = self.caption.text().strip(), tile.id
        self._photo_op(lambda ws: photo_service.update_photo(ws, photo_id, caption=text), "已保存照片说明。")

    def _save_in_notice(self) -> None:
        tile = self._current_tile()
        if tile is None:
            return
        on, photo_id = self.in_notice.isChecked(), tile.id
        self._photo_op(lambda ws: photo_service.update_photo(ws, photo_id, in_notice=on),
                       "这张照片将用于公示。" if on else "这张照片不再用于公示。")

    def reorder_photos(self, photo_ids: list[str]) -> None:
        self._photo_op(lambda ws: photo_service.reorder_photos(ws, photo_ids))

    def remove_photo(self, photo_id: str | None) -> None:
        tile = self._current_tile()
        if not photo_id or tile is None or tile.id != photo_id:
            return
        name = tile.caption or "所选照片"
        if not prompts.confirm(self, "删除照片", f"从这个活动中删除“{name}”吗？\n\n照片的原始文件仍保存在台账里，"
                               "关闭此窗口后可以在“活动记录”页点“撤销”恢复。"):
            return
        ctx = self.ctx

        def step(_result) -> None:
            ctx.undo.push(undo.DraftStep(ctx, f"删除照片“{name}”", lambda ws: photo_service.remove_photo(ws, photo_id),
                                         lambda ws: photo_service.restore_photo(ws, photo_id), ACTIVITIES))
            if not self._closed:
                self._say(f"已删除照片“{name}”。", error=False)

        ws = ctx.ws
        ctx.runner.run(lambda: photo_service.remove_photo(ws, photo_id), step,
                       lambda exc: self._say(str(exc), error=True), changes=ACTIVITIES)

    def close_model(self) -> None:
        """Before the editor closes: save a caption typed but not confirmed, stop the strip's reader (and
        its own thumbnail loader)."""
        if not self._closed:
            self._save_caption()
            self._closed = True
            self.photo_model.close()


# ---------------------------------------------------------------- the dialog


class ActivityDialog(QDialog):
    """New activity, or — with `activity_id` — the same form to edit one (filled by `fill`).

    `set_lookups` must come first (projects, types, groups); the page queues it before `fill`."""

    saved = Signal(str)  # what happened, for the status bar

    def __init__(self, ctx: AppContext, parent: QWidget | None = None, *, activity_id: str | None = None,
                 project_id: str | None = None, loader: ThumbnailLoader | None = None):
        super().__init__(parent)
        self.ctx, self.activity_id = ctx, activity_id
        self.lookups: ActivityLookups | None = None
        self._before: ActivityInput | None = None  # the stored activity, for undo of an edit
        self._wanted_project = project_id
        self._expense_choices: dict[str, ExpenseChoice] = {}
        self._linked: list[str] = []
        self._expenses_project: str | None = None  # the project whose expenses the picker lists
        self._busy = False
        self.setWindowTitle("修改活动记录" if activity_id else "新增活动记录")
        self.photos = ActivityPhotos(ctx, save_first=lambda again: self.save(then=again), loader=loader, parent=self)
        self.photos.message.connect(lambda text, error: self.show_message(text, error=error))
        self._build()
        self._update_enabled()
        self.photos.set_activity(activity_id)

    # ---------------------------------------------------------------- layout

    def _build(self) -> None:
        self.project = QComboBox()
        self.site = QComboBox()
        self.space = QComboBox()
        self.activity_type = QComboBox()
        self.title_edit = QLineEdit()
        self.title_edit.setPlaceholderText("如“八台慈善音乐会”")
        self.start = QDateEdit(qdate(date.today()))
        self.multi_day = QCheckBox("多日活动，结束于")
        self.end = QDateEdit(qdate(date.today()))
        for edit in (self.start, self.end):
            edit.setDisplayFormat("yyyy-MM-dd")
            edit.setCalendarPopup(True)
        self.end.setEnabled(False)
        self.place = QLineEdit()
        self.place.setPlaceholderText("如“大巴山国家地质公园广场”")
        self.organisers = QLineEdit()
        self.organisers.setPlaceholderText("如“八台社区社会组织联合会、万源市慈善会”")
        self.partners = QLineEdit()
        self.partners.setPlaceholderText("参与或支持的单位（可不填）")
        self.participants = count_box(" 人次")
        self.volunteers = count_box(" 人")
        self.hours = QLineEdit()
        self.hours.setPlaceholderText("如 7.5")
        self.hours.setMaximumWidth(90)
        self.summary = text_box(3, "活动内容和成效，如“发放调查问卷和宣传手册各 40 份……”（公示中会用到）")
        self.public = QCheckBox("列入公示（经费使用情况公示的“项目效果”）")
        self.public_order = QSpinBox()
        self.public_order.setRange(0, 999)
        self.public_order.setSpecialValueText("自动（排在最后）")
        self.public_order.setPrefix("第 ")
        self.public_order.setSuffix(" 项")
        self.public_order.setEnabled(False)

        dates = QHBoxLayout()
        dates.addWidget(self.start)
        dates.addSpacing(12)
        dates.addWidget(self.multi_day)
        dates.addWidget(self.end)
        dates.addStretch()
        people = QHBoxLayout()
        people.addWidget(self.participants)
        people.addSpacing(12)
        people.addWidget(QLabel("志愿者"))
        people.addWidget(self.volunteers)
        people.addSpacing(12)
        people.addWidget(QLabel("服务时长（小时）"))
        people.addWidget(self.hours)
        people.addStretch()
        public = QHBoxLayout()
        public.addWidget(self.public)
        public.addWidget(self.public_order)
        public.addStretch()
        form = QFormLayout()
        form.setVerticalSpacing(5)
        form.addRow("所属项目", self.project)
        form.addRow("试点村（社区）", self.site)
        form.addRow("慈善阵地", self.space)
        form.addRow("活动类型", self.activity_type)
        form.addRow("活动名称", self.title_edit)
        form.addRow("活动日期", dates)
        form.addRow("活动地点", self.place)
        form.addRow("组织单位", self.organisers)
        form.addRow("合作单位", self.partners)
        form.addRow("参与人数", people)
        form.addRow("活动简介", self.summary)
        form.addRow("", public)

        self.groups = RowEditor(["受益群体", "人数"], self._group_row, "添加受益群体", stretch=(3, 2))
        self.groups_total = QLabel("")
        self.groups_total.setWordWrap(True)
        self.groups_total.setStyleSheet(HINT_STYLE)
        self.named = RowEditor(["姓名", "群体", "情况说明（敏感）", "电话（不公开）", "同意公开"], self._named_row,
                               "添加受益人", stretch=(2, 2, 4, 2))
        named_body = QWidget()
        named_layout = QVBoxLayout(named_body)
        named_layout.setContentsMargins(16, 0, 0, 0)
        named_layout.addWidget(note(PRIVACY_NOTE))
        named_layout.addWidget(self.named)
        self.named_section = Collapsible("受益人名单（可不填）", named_body)

        self.expense_pick = QComboBox()
        self.expense_pick.setEditable(True)
        self.expense_pick.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        self.expense_pick.completer().setFilterMode(Qt.MatchFlag.MatchContains)
        self.expense_pick.completer().setCompletionMode(QCompleter.CompletionMode.PopupCompletion)
        self.expense_pick.setMinimumContentsLength(24)
        self.expense_pick.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.link_button = QPushButton("关联")
        self.link_button.setToolTip("把选中的已记账支出计入这个活动的费用")
        self.expense_model = RowsModel(["日期", "凭证号", "摘要", "金额"], right=[3])
        self.expense_view = table(self.expense_model, stretch=2)
        self.expense_view.setMinimumHeight(90)
        self.unlink_button = QPushButton("取消关联")
        self.cost_label = QLabel("")
        self.cost_label.setWordWrap(True)
        pick = QHBoxLayout()
        pick.addWidget(self.expense_pick, 1)
        pick.addWidget(self.link_button)
        cost = QHBoxLayout()
        cost.addWidget(self.cost_label, 1)
        cost.addWidget(self.unlink_button)

        left = QVBoxLayout()
        left.addLayout(form)
        left.addStretch()
        right = QVBoxLayout()
        right.addWidget(section_title("受益群体和人数"))
        right.addWidget(self.groups)
        right.addWidget(self.groups_total)
        right.addSpacing(6)
        right.addWidget(section_title("活动费用（关联已记账的支出）"))
        right.addLayout(pick)
        right.addWidget(self.expense_view, 1)
        right.addLayout(cost)
        columns = QHBoxLayout()
        columns.addLayout(left, 5)
        columns.addSpacing(16)
        columns.addLayout(right, 4)

        content = QWidget()
        self.content_layout = QVBoxLayout(content)
        self.content_layout.addLayout(columns, 1)
        self.content_layout.addWidget(self.named_section)
        scroll = QScrollArea()
        scroll.setWidget(content)
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)

        self.message = QLabel("")
        self.message.setWordWrap(True)
        self.message.setStyleSheet(ERROR_STYLE)
        self.save_button = QPushButton("保存")
        self.save_button.setDefault(True)
        self.cancel_button = QPushButton("关闭" if self.activity_id else "取消")
        buttons = QHBoxLayout()
        buttons.addWidget(self.message, 1)
        buttons.addWidget(self.save_button)
        buttons.addWidget(self.cancel_button)
        layout = QVBoxLayout(self)
        layout.addWidget(scroll, 1)
        layout.addWidget(self.photos)  # below the scrolled form: the photos stay in view
        layout.addLayout(buttons)

        self.project.currentIndexChanged.connect(self._project_changed)
        self.site.currentIndexChanged.connect(self._fill_spaces)
        self.multi_day.toggled.connect(self.end.setEnabled)
        self.start.dateChanged.connect(self._start_changed)
        self.public.toggled.connect(self.public_order.setEnabled)
        self.groups.changed.connect(self._show_groups_total)
        self.named.changed.connect(self._show_named_count)
        self.link_button.clicked.connect(self._link_picked)
        self.unlink_button.clicked.connect(self._unlink_selected)
        self.save_button.clicked.connect(self.save)
        self.cancel_button.clicked.connect(self.reject)
        available = self.screen().availableGeometry() if self.screen() else None
        tall = available is not None and available.height() >= 900
        self.resize(1120, 860 if tall else 740)  # below 900 pixels the form scrolls; the photos stay in view

    def _group_row(self) -> list[QWidget]:
        group = QComboBox()
        group.addItems(self.lookups.groups if self.lookups else [])
        return [group, count_box()]

    def _named_row(self) -> list[QWidget]:
        name = QLineEdit()
        name.setPlaceholderText("姓名")
        group = QComboBox()
        group.addItem("")
        group.addItems(self.lookups.groups if self.lookups else [])
        facts = QLineEdit()
        facts.setPlaceholderText("如 低保户、独居")
        phone = QLineEdit()
        return [name, group, facts, phone, QCheckBox()]

    # ---------------------------------------------------------------- filling

    def set_lookups(self, lookups: ActivityLookups) -> None:
        self.lookups = lookups
        self.project.blockSignals(True)
        self.project.clear()
        for project_id, name in lookups.projects:
            self.project.addItem(name, project_id)
        self.project.blockSignals(False)
        self.activity_type.clear()
        self.activity_type.addItems(lookups.types)
        if not lookups.projects:
            self.message.setText("还没有试点项目。活动记录属于某个项目：请先到“项目”页新增项目和试点村（社区），再登记活动。")
        if self._wanted_project:
            select_data(self.project, self._wanted_project)
        self._project_changed()
        if not self.activity_id and not self.groups.rows():
            self.groups.add_row()
        self._update_enabled()

    def fill(self, loaded: LoadedActivity) -> None:
        data = loaded.data
        self._before = data
        self._expense_choices.update({e.id: e for e in loaded.expenses})
        self.project.blockSignals(True)
        select_data(self.project, data.project_id)
        self.project.blockSignals(False)
        self._project_changed()
        select_data(self.site, data.site_id or "")
        self._fill_spaces()
        select_data(self.space, data.space_id or "")
        if self.activity_type.findText(data.activity_type) < 0:  # a type switched off since
            self.activity_type.addItem(data.activity_type)
        self.activity_type.setCurrentText(data.activity_type)
        self.title_edit.setText(data.title)
        self.start.setDate(qdate(data.start_date))
        multi = data.end_date is not None and data.end_date != data.start_date
        self.multi_day.setChecked(multi)
        self.end.setDate(qdate(data.end_date or data.start_date))
        self.place.setText(data.place)
        self.organisers.setText(data.organisers)
        self.partners.setText(data.partners)
        for edit in (self.title_edit, self.place, self.organisers, self.partners):
            edit.setCursorPosition(0)  # long texts show their beginning
        self.participants.setValue(int(data.participants))
        self.volunteers.setValue(int(data.volunteers))
        self.hours.setText(f"{data.volunteer_hours:f}" if data.volunteer_hours else "")
        self.summary.setPlainText(data.summary)
        self.public.setChecked(data.public)
        self.public_order.setValue(data.public_order or 0 if data.public else 0)
        self.groups.clear()
        for group, count in data.beneficiaries.items():
            self.add_group(group, int(count))
        self.named.clear()
        for person in data.named:
            self.add_named(person)
        self._linked = list(data.expense_ids)
        self._show_linked()
        self._update_enabled()

    def load_failed(self, exc: BaseException) -> None:
        self.message.setText(f"{exc}\n请关闭此窗口，刷新后重试。")

    def add_group(self, group: str, count: int) -> None:
        box, spin = self.groups.add_row()
        if box.findText(group) < 0:  # a group switched off since
            box.addItem(group)
        box.setCurrentText(group)
        spin.setValue(count)

    def add_named(self, person: NamedInput) -> None:
        name, group, facts, phone, consent = self.named.add_row()
        name.setText(person.name)
        if person.group_name and group.findText(person.group_name) < 0:
            group.addItem(person.group_name)
        group.setCurrentText(person.group_name)
        facts.setText(person.sensitive_facts)
        phone.setText(person.phone)
        consent.setChecked(person.publish_consent)

    def _project_changed(self) -> None:
        if self.lookups is None:
            return
        project_id = self.project.currentData()
        current_site = self.site.currentData()
        self.site.blockSignals(True)
        self.site.clear()
        self.site.addItem(WHOLE_PROJECT, "")
        for site_id, name in self.lookups.sites.get(project_id, []):
            self.site.addItem(name, site_id)
        select_data(self.site, current_site or "")
        self.site.blockSignals(False)
        self._fill_spaces()
        previous, self._expenses_project = self._expenses_project, project_id
        if self._linked and previous is not None and project_id != previous:
            self._linked = []  # the core accepts only expenses of the activity's own project
            self.message.setStyleSheet(HINT_STYLE)
            self.message.setText("换了所属项目：原来关联的支出属于原项目，已取消关联。请关联本项目的支出。")
        self._show_linked()
        self.expense_pick.clear()
        self.expense_pick.lineEdit().setPlaceholderText("正在读取本项目的支出…")
        if project_id:
            ws = self.ctx.ws
            self.ctx.runner.query(lambda: load_expenses(ws, project_id),
                                  lambda found: self._set_expenses(project_id, found))

    def _set_expenses(self, project_id: str, found: list[ExpenseChoice]) -> None:
        if project_id != self.project.currentData():
            return  # the user changed project again meanwhile
        self._expense_choices.update({e.id: e for e in found})
        self.expense_pick.clear()
        for choice in found:
            self.expense_pick.addItem(choice.label, choice.id)
        self.expense_pick.setCurrentIndex(-1)
        self.expense_pick.lineEdit().setPlaceholderText(
            "输入摘要、日期或凭证号查找支出" if found else "本项目的基金还没有已记账的支出")
        self.expense_pick.setEnabled(bool(found))
        self.link_button.setEnabled(bool(found))
        self._show_linked()

    def _fill_spaces(self) -> None:
        if self.lookups is None:
            return
        current = self.space.currentData()
        site_id = self.site.currentData()
        self.space.clear()
        self.space.addItem("（不在慈善阵地）", "")
        for space_id, name, space_site in self.lookups.spaces.get(self.project.currentData(), []):
            if not site_id or not space_site or space_site == site_id:
                self.space.addItem(name, space_id)
        select_data(self.space, current or "")

    def _start_changed(self) -> None:
        if not self.multi_day.isChecked() or self.end.date() < self.start.date():
            self.end.setDate(self.start.date())

    def _show_groups_total(self) -> None:
        total = sum(spin.value() for _box, spin in self.groups.rows())
        self.groups_total.setText(f"受益人次合计 {total:,}（同一人参加多次按多次计）" if total else
                                  "按群体填写这次活动惠及的人数，如“老年人 30”“儿童 20”。")

    def _show_named_count(self) -> None:
        count = len(self.named.rows())
        self.named_section.set_detail(f"（已登记 {count} 人）" if count else "（可不填）")

    def _update_enabled(self) -> None:
        ready = self.lookups is not None and bool(self.lookups.projects) and (
            self.activity_id is None or self._before is not None)
        self.save_button.setEnabled(ready and not self._busy)

    # ---------------------------------------------------------------- expenses

    def _link_picked(self) -> None:
        index = self.expense_pick.currentIndex()
        entry_id = self.expense_pick.itemData(index) if index >= 0 else None
        if entry_id is None:
            self.message.setStyleSheet(ERROR_STYLE)
            self.message.setText("请先在左边的列表里选一笔支出，再点“关联”。")
            return
        if entry_id not in self._linked:
            self._linked.append(entry_id)
        self.expense_pick.setCurrentIndex(-1)
        self._show_linked()

    def link_expense(self, entry_id: str) -> None:
        select_data(self.expense_pick, entry_id)
        self._link_picked()

    def _unlink_selected(self) -> None:
        rows = self.expense_view.selectionModel().selectedRows()
        if rows:
            key = self.expense_model.key(rows[0].row())
            if key in self._linked:
                self._linked.remove(key)
            self._show_linked()

    def _show_linked(self) -> None:
        shown = [self._expense_choices[e] for e in self._linked if e in self._expense_choices]
        self.expense_model.set_rows([(c.entry_date, c.voucher, c.summary, format_yuan(c.amount_fen)) for c in shown],
                                    [c.id for c in shown])
        total = sum(c.amount_fen for c in shown)
        self.cost_label.setText(f"活动费用合计 <b>{format_yuan(total)}</b>（{len(shown)} 笔支出）" if shown else
                                "还没有关联支出。活动的费用来自台账里已记账的支出，关联后计入活动统计。")
        self.unlink_button.setEnabled(bool(shown))

    def done(self, result: int) -> None:
        """Closing stops the photo strip's reader before the dialog goes."""
        self.photos.close_model()
        super().done(result)

    # ---------------------------------------------------------------- saving

    def collect(self) -> ActivityInput:
        """The form as an ActivityInput; raises UserError for what the form itself can tell."""
        if self.project.currentData() is None:
            raise UserError("还没有试点项目。请先到“项目”页新增项目，再登记活动。")
        beneficiaries: dict[str, int] = {}
        for box, spin in self.groups.rows():
            group = box.currentText()
            if not group or not spin.value():
                continue
            if group in beneficiaries:
                raise UserError(f"受益群体“{group}”填了两行。请合并为一行（把人数加在一起），再删去另一行。")
            beneficiaries[group] = spin.value()
        named = [NamedInput(name.text().strip(), group.currentText(), facts.text().strip(), phone.text().strip(),
                            consent.isChecked()) for name, group, facts, phone, consent in self.named.rows()
                 if any(w.text().strip() for w in (name, facts, phone))]
        start = pydate(self.start.date())
        return ActivityInput(
            project_id=self.project.currentData(), activity_type=self.activity_type.currentText(),
            title=self.title_edit.text().strip(), start_date=start,
            end_date=pydate(self.end.date()) if self.multi_day.isChecked() else None,
            site_id=self.site.currentData() or None, space_id=self.space.currentData() or None,
            place=self.place.text().strip(), organisers=self.organisers.text().strip(),
            partners=self.partners.text().strip(), participants=self.participants.value(),
            volunteers=self.volunteers.value(), volunteer_hours=self.hours.text().strip(),
            summary=self.summary.toPlainText().strip(), public=self.public.isChecked(),
            public_order=(self.public_order.value() or None) if self.public.isChecked() else None,
            beneficiaries=beneficiaries, named=named, expense_ids=list(self._linked))

    def show_message(self, text: str, *, error: bool) -> None:
        self.message.setText(text)
        self.message.setStyleSheet(ERROR_STYLE if error else OK_STYLE)

    def save(self, *, then=None) -> None:
        """Save the form; closes the dialog, or — with `then` — stays open and calls `then()` (adding
        photos to a new activity saves it first)."""
        if self._busy:
            return
        try:
            data = self.collect()
        except UserError as exc:
            self.show_message(str(exc), error=True)
            return
        ws, activity_id = self.ctx.ws, self.activity_id
        op = (partial(activities.update_activity, ws, activity_id, data) if activity_id
              else partial(activities.add_activity, ws, data))

        def failed(exc: BaseException) -> None:
            self._set_busy(False)
            if isinstance(exc, UserError):
                self.show_message(str(exc), error=True)

        self._set_busy(True)
        self.ctx.runner.run(op, lambda activity: self._saved(data, activity.id, then), failed, changes=ACTIVITIES)

    def _set_busy(self, busy: bool) -> None:
        self._busy = busy
        self._update_enabled()

    def _saved(self, data: ActivityInput, activity_id: str, then) -> None:
        self._set_busy(False)
        if self.activity_id:
            self.ctx.undo.push(undo.activity_edited(self.ctx, activity_id, self._before, data))
            text = f"已保存活动“{data.title}”。"
        else:
            self.ctx.undo.push(undo.activity_added(self.ctx, activity_id, data.title))
            text = f"已新增活动“{data.title}”（可用 Ctrl+Z 撤销）。"
        self.activity_id, self._before = activity_id, data
        self.saved.emit(text)
        if then is None:
            self.accept()
            return
        self.photos.set_activity(activity_id)
        self.setWindowTitle("修改活动记录")
        self.cancel_button.setText("关闭")
        self.show_message(text, error=False)
        then()


def section_title(text: str) -> QLabel:
    label = QLabel(text)
    label.setStyleSheet("font-weight: bold; color: #2c3e50;")
    return label
