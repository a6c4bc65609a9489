"""慈善阵地: the charity spaces with their construction progress and the six "haves" (六有)."""

from dataclasses import dataclass

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QPainter
from PySide6.QtWidgets import (
    QApplication,
    QHeaderView,
    QLabel,
    QPushButton,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionProgressBar,
    QStyleOptionViewItem,
    QTabWidget,
    QVBoxLayout,
)

from desktop_app.core.changes import ACTIVITIES
from desktop_app.core.models import SIX_HAVES, CharitySpace, Project, Site
from desktop_app.core.queries import spaces as space_queries
from desktop_app.core.services import photos as photo_service
from desktop_app.core.services import spaces
from desktop_app.core.storage.workspace import Workspace
from desktop_app.gui import prompts
from desktop_app.gui.pages.base import Page
from desktop_app.gui.photo_gallery import PhotoGalleryModel
from desktop_app.gui.photo_strip import PhotoStrip
from desktop_app.gui.space_dialog import SpaceDialog
from desktop_app.gui.table_model import RowsModel
from desktop_app.gui.widgets import (
    STRETCH,
    current_of,
    heading,
    note,
    pane,
    reselect,
    row_of,
    splitter,
    table,
)

PROGRESS_COLUMN = 5


@dataclass(frozen=True)
class HaveRow:
    have: str
    met: bool
    note: str
    evidence: list[str]


@dataclass(frozen=True)
class SpaceDetail:
    space: CharitySpace
    project_name: str
    site_name: str
    milestones: list[spaces.MilestoneInput]
    haves: list[HaveRow]

    @property
    def met(self) -> int:
        return sum(1 for h in self.haves if h.met)


def load_spaces(ws: Workspace) -> list[SpaceDetail]:
    with ws.reading() as s:
        out = []
        for space in space_queries.list_spaces(s):
            data = spaces.space_input(s, space.id)
            project = s.get(Project, space.project_id) if space.project_id else None
            site = s.get(Site, space.site_id) if space.site_id else None
            haves = []
            for name in SIX_HAVES:
                have = data.haves.get(name, spaces.HaveInput())
                haves.append(HaveRow(name, have.met, have.note,
                                     [space_queries.describe_evidence(s, kind, rid) for kind, rid in have.evidence]))
            out.append(SpaceDetail(space, project.name if project else "", site.name if site else "",
                                   data.milestones, haves))
        return out


class ProgressDelegate(QStyledItemDelegate):
    """Draws a cell whose text is “70%” as a progress bar."""

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex) -> None:
        text = str(index.data() or "")
        if not text.endswith("%") or not text[:-1].isdigit():
            super().paint(painter, option, index)
            return
        item = QStyleOptionViewItem(option)
        self.initStyleOption(item, index)
        item.text = ""
        widget = option.widget
        style = widget.style() if widget else QApplication.style()
        style.drawControl(QStyle.ControlElement.CE_ItemViewItem, item, painter, widget)
        bar = QStyleOptionProgressBar()
        bar.rect = option.rect.adjusted(4, 3, -4, -3)
        bar.minimum, bar.maximum, bar.progress = 0, 100, min(int(text[:-1]), 100)
        bar.text, bar.textVisible = text, True
        bar.textAlignment = Qt.AlignmentFlag.AlignCenter
        bar.state = option.state | QStyle.StateFlag.State_Horizontal
        bar.palette = option.palette
        style.drawControl(QStyle.ControlElement.CE_ProgressBar, bar, painter, widget)


class SpacesPage(Page):
    title = "慈善阵地"
    watches = ("activities", "projects", "ledger")

    def __init__(self, ctx, parent=None):
        super().__init__(ctx, parent)
        self.details: list[SpaceDetail] = []
        self.model = RowsModel(["名称", "类型", "试点", "地址", "启用日期", "建设进度", "六有"])
        self.view = table(self.model, stretch=3)
        self.view.setItemDelegateForColumn(PROGRESS_COLUMN, ProgressDelegate(self.view))
        self.view.horizontalHeader().setSectionResizeMode(PROGRESS_COLUMN, QHeaderView.ResizeMode.Fixed)
        self.view.setColumnWidth(PROGRESS_COLUMN, 140)
        rows = self.view.verticalHeader().defaultSectionSize()  # three spaces in view on a small screen
        self.view.setMinimumHeight(self.view.horizontalHeader().sizeHint().height() + 3 * rows + 4)
        self.add_button = QPushButton("新增阵地…")
        self.edit_button = QPushButton("修改…")
        self.delete_button = QPushButton("删除")
        self.info = QLabel()
        self.info.setWordWrap(True)
        self.info.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.milestones_model = RowsModel(["日期", "进度", "说明"], right=[1])
        self.haves_model = RowsModel(["六有", "具备", "说明", "证明材料"], red=self._unmet)
        buttons = row_of(self.add_button, self.edit_button, self.delete_button, STRETCH)
        top = pane(heading("慈善阵地"), note("建设进度取最近一个进度节点的百分比；“六有”即有人员、有场所、有资金、有项目、"
                                          "有活动、有场景，每一项可用本项目的活动、支出和照片作证明。"),
                   (self.view, 1), buttons)
        milestones = pane(heading("建设进度"), (table(self.milestones_model, stretch=2), 1))
        self.haves_view = table(self.haves_model, stretch=3)
        self.haves_view.setWordWrap(True)
        haves = pane(heading("六有"), (self.haves_view, 1))
        lists = splitter(milestones, haves, sizes=[420, 800])
        self.photos = PhotoGalleryModel(ctx.ws, parent=self)
        self.photo_strip = PhotoStrip()
        self.photo_strip.setModel(self.photos)
        self.add_photos_button = QPushButton("添加照片…")
        self.caption_button = QPushButton("修改说明…")
        self.remove_photo_button = QPushButton("移除所选照片")
        photo_buttons = row_of((note("可以把照片文件直接拖到下面；拖动照片可以调整顺序，双击修改说明。"), 1),
                               self.add_photos_button, self.caption_button, self.remove_photo_button)
        photo_page = pane(photo_buttons, self.photo_strip, STRETCH, margins=None)
        self.tabs = QTabWidget()
        self.tabs.addTab(lists, "建设进度和六有")
        self.tabs.addTab(photo_page, "阵地照片")
        bottom = pane(heading("阵地详情"), self.info, (self.tabs, 1))
        layout = QVBoxLayout(self)
        layout.addWidget(splitter(top, bottom, sizes=[200, 520], vertical=True))
        self.view.selectionModel().currentRowChanged.connect(lambda current, _prev: self.show_space(current.row()))
        self.add_button.clicked.connect(self.add_space)
        self.edit_button.clicked.connect(self.edit_space)
        self.view.doubleClicked.connect(lambda _index: self.edit_space())
        self.delete_button.clicked.connect(self.delete_space)
        self.add_photos_button.clicked.connect(self.add_photos)
        self.caption_button.clicked.connect(lambda: self.edit_caption(self.photo_strip.current_photo_id()))
        self.remove_photo_button.clicked.connect(lambda: self.remove_photo(self.photo_strip.current_photo_id()))
        self.photo_strip.photo_activated.connect(self.edit_caption)
        self.photo_strip.remove_requested.connect(self.remove_photo)
        self.photo_strip.files_dropped.connect(self.import_photos)
        self.photo_strip.reordered.connect(self.reorder_photos)
        self.photos.modelReset.connect(self._count_photos)

    def _unmet(self, row: int, col: int) -> bool:
        detail = self.current()
        return col == 1 and detail is not None and row < len(detail.haves) and not detail.haves[row].met

    def refresh(self) -> None:
        ws = self.ctx.ws
        self.ctx.runner.query(lambda: load_spaces(ws), self.show_spaces)

    def current(self) -> SpaceDetail | None:
        return current_of(self.view, self.details)

    def show_spaces(self, details: list[SpaceDetail]) -> None:
        previous = self.current()
        self.photos.refresh()  # photos may have been added, removed or re-captioned
        self.details = details
        self.model.set_rows([(d.space.name, d.space.kind, d.site_name or d.project_name, d.space.address,
                              d.space.opened_on or "未启用", f"{d.space.progress}%", f"{d.met}/{len(SIX_HAVES)}")
                             for d in details], keys=[d.space.id for d in details])
        self.show_space(reselect(self.view, [d.space.id for d in details], previous.space.id if previous else None))

    def show_space(self, row: int) -> None:
        for button in (self.edit_button, self.delete_button, self.add_photos_button, self.caption_button,
                       self.remove_photo_button):
            button.setEnabled(0 <= row < len(self.details))
        self.photos.set_scope(space_id=self.details[row].space.id if 0 <= row < len(self.details) else None)
        if not 0 <= row < len(self.details):
            self.info.setText("还没有慈善阵地。点“新增阵地…”登记阵地的名称、类型、地址、建设进度和“六有”情况。")
            self.milestones_model.set_rows([])
            self.haves_model.set_rows([])
            return
        d = self.details[row]
        sp = d.space
        where = "，".join(x for x in (d.project_name, d.site_name) if x) or "不属于试点项目"
        opened = f"{sp.opened_on} 启用" if sp.opened_on else "尚未启用"
        text = (f"<b>{sp.name}</b>　{sp.kind or '类型未填'}　{opened}<br>{where}；地址：{sp.address or '未填'}<br>"
                f"建设进度 {sp.progress}%；六有已具备 {d.met} 项："
                f"{'、'.join(h.have for h in d.haves if h.met) or '无'}")
        self.info.setText(text + (f"<br>备注：{sp.note}" if sp.note else ""))
        self.milestones_model.set_rows([(m.milestone_date, f"{m.percent}%", m.note) for m in d.milestones])
        self.haves_model.set_rows([(h.have, "✓ 已具备" if h.met else "✗ 未具备", h.note, "；".join(h.evidence))
                                   for h in d.haves])
        self.haves_view.resizeRowsToContents()

    def add_space(self) -> SpaceDialog:
        dialog = SpaceDialog(self.ctx, self)
        dialog.load()
        dialog.open()
        return dialog

    def edit_space(self) -> SpaceDialog | None:
        detail = self.current()
        if detail is None:
            return None
        dialog = SpaceDialog(self.ctx, self, space_id=detail.space.id)
        dialog.load()
        dialog.open()
        return dialog

    def delete_space(self) -> None:
        detail = self.current()
        if detail is None:
            return
        name = detail.space.name
        if not prompts.confirm(self, "删除慈善阵地", f"确定删除慈善阵地“{name}”吗？\n\n它的建设进度和“六有”记录会一并删除；"
                               "活动、支出和照片本身不受影响。"):
            return
        ws, space_id = self.ctx.ws, detail.space.id
        self.ctx.runner.run(lambda: spaces.delete_space(ws, space_id),
                            lambda _r: self.ctx.runner.message.emit(f"已删除慈善阵地：{name}"), changes=ACTIVITIES,
                            parent=self)

    # ---------------------------------------------------------------- photos

    def _count_photos(self) -> None:
        count = self.photos.rowCount()
        self.tabs.setTabText(1, f"阵地照片（{count}）" if count else "阵地照片")

    def add_photos(self) -> None:
        self.import_photos(prompts.open_photos(self, "选择阵地照片"))

    def import_photos(self, files: list) -> None:
        detail = self.current()
        if detail is None or not files:
            return
        ws, space_id = self.ctx.ws, detail.space.id
        self.ctx.runner.run(lambda progress: photo_service.add_photos(ws, files, space_id=space_id, progress=progress),
                            self._photos_added, changes=ACTIVITIES, progress_title="正在添加照片…", cancellable=True,
                            parent=self)

    def _photos_added(self, result: photo_service.PhotoImport) -> None:
        problems = [f"{name}：{why}" for name, why in result.duplicates + result.refused]
        if problems:
            prompts.show_info(self, result.summary() + "\n\n" + "\n".join(problems[:20]), "添加照片")
        else:
            self.ctx.runner.message.emit(result.summary())

    def edit_caption(self, photo_id: str | None) -> None:
        if not photo_id:
            return
        tile = self.photos.tile(self.photos.row_of(photo_id) or 0)
        caption = prompts.ask_text(self, "照片说明", "照片说明（公示中印在照片下方，如“慈善阵地揭牌仪式”）：",
                                   tile.caption if tile and tile.id == photo_id else "")
        if caption is None:
            return
        ws = self.ctx.ws
        self.ctx.runner.run(lambda: photo_service.update_photo(ws, photo_id, caption=caption), changes=ACTIVITIES,
                            parent=self)

    def remove_photo(self, photo_id: str | None) -> None:
        if not photo_id or not prompts.confirm(self, "移除照片", "确定从这个阵地移除所选照片吗？\n\n"
                                               "照片原件仍保存在工作区里，其他活动用到的同一张照片不受影响。"):
            return
        ws = self.ctx.ws
        self.ctx.runner.run(lambda: photo_service.remove_photo(ws, photo_id), changes=ACTIVITIES, parent=self)

    def reorder_photos(self, photo_ids: list[str]) -> None:
        ws = self.ctx.ws
        self.ctx.runner.run(lambda: photo_service.reorder_photos(ws, photo_ids), changes=ACTIVITIES, parent=self)

    def shutdown(self) -> None:
        """Stop the photo strip's reader and thumbnail threads (before the workspace closes)."""
        self.photos.close()
