"""活动记录: the activity register (list, timeline per site, project photo gallery, statistics with
charts) under one filter bar, and the add / edit / delete commands.

A township keeps thousands of activities, not millions: one query returns the whole filtered list and
its statistics (core.queries.activities), shown in plain models.
"""

from dataclasses import dataclass

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QFont, QStandardItem, QStandardItemModel
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QGridLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTabWidget,
    QTreeView,
    QVBoxLayout,
    QWidget,
)

from desktop_app.core.changes import ACTIVITIES, Changes
from desktop_app.core.errors import UserError
from desktop_app.core.models import CharitySpace, Photo
from desktop_app.core.queries.activities import (
    ActivityFilter,
    ActivityRow,
    ActivityStats,
    activity_stats,
    list_activities,
)
from desktop_app.core.services import activities
from desktop_app.core.storage.workspace import Workspace
from desktop_app.gui import activity_charts, exports, undo
from desktop_app.gui.activity_dialog import ActivityDialog
from desktop_app.gui.activity_reads import ActivityLookups, load_activity, load_activity_lookups
from desktop_app.gui.county_views import (
    OFFICE_COLUMN,
    OfficeFilter,
    OfficeScope,
    load_office_scope,
    refuse_buttons,
)
from desktop_app.gui.pages.activity_rows import (
    WHOLE_PROJECT,
    day_text,
    list_values,
    timeline_groups,
    totals_text,
)
from desktop_app.gui.pages.base import Page
from desktop_app.gui.photo_gallery import PhotoGalleryModel
from desktop_app.gui.photo_views import PhotoGalleryView
from desktop_app.gui.table_model import RowsModel
from desktop_app.gui.widgets import (
    STRETCH,
    SearchBox,
    date_range,
    filter_combo,
    note,
    push_button,
    refill,
    reselect,
    row_of,
    table,
)

COLUMNS = ["日期", "类型", "活动名称", "试点", "地点", "参与人数", "受益人次", "志愿者/时长", "照片", "费用", "公示序号",
           OFFICE_COLUMN]
OFFICE = 11  # the owning office: shown (first) in a county's workspace only
ID_ROLE = Qt.ItemDataRole.UserRole + 1


@dataclass(frozen=True)
class PageData:
    rows: list[ActivityRow]
    stats: ActivityStats


def photo_owner(ws: Workspace, photo_id: str) -> tuple[str | None, str]:
    """(activity id, charity space name) of a photo."""
    with ws.reading() as s:
        photo = s.get(Photo, photo_id)
        if photo is None or photo.deleted:
            raise UserError("找不到这张照片，它可能刚被删除。请刷新后重试。")
        space = s.get(CharitySpace, photo.space_id) if photo.space_id else None
        return photo.activity_id, space.name if space else ""


def load_page(ws: Workspace, f: ActivityFilter) -> PageData:
    with ws.reading() as s:
        return PageData(list_activities(s, f), activity_stats(s, f))


class ActivitiesPage(Page):
    title = "活动记录"
    watches = ("activities", "projects", "settings")
    status = Signal(str)

    def __init__(self, ctx, parent=None):
        super().__init__(ctx, parent)
        self.lookups: ActivityLookups | None = None
        self.rows: list[ActivityRow] = []
        self.stats = ActivityStats()
        self.dialog: ActivityDialog | None = None
        self.scope = OfficeScope()
        self._timeline_stale = self._charts_stale = self._gallery_stale = True
        self._gallery_scope: str | None = None  # the project the gallery shows
        self._build_filters()
        self._build_buttons()
        self.tabs = QTabWidget()
        self.tabs.addTab(self._build_list(), "活动列表")
        self.tabs.addTab(self._build_timeline(), "时间线")
        self.photos_tab = self._build_photos()
        self.tabs.addTab(self.photos_tab, "照片")
        self.tabs.addTab(self._build_stats(), "统计")
        self.totals = QLabel("")
        layout = QVBoxLayout(self)
        layout.addLayout(self.filters)
        layout.addLayout(self.buttons)
        layout.addWidget(self.tabs, 1)
        layout.addWidget(self.totals)
        self.tabs.currentChanged.connect(self._tab_changed)
        self._update_buttons()

    # ---------------------------------------------------------------- layout

    def _build_filters(self) -> None:
        self.office_filter = OfficeFilter()
        self.project_filter = filter_combo("全部项目", 12)
        self.site_filter = filter_combo("全部试点", 8)
        self.site_filter.addItem(WHOLE_PROJECT, "")
        self.type_filter = filter_combo("全部类型")
        self.date_from, self.date_to = date_range()
        self.search = SearchBox("搜索活动名称、简介、地点或单位")
        self.public_only = QCheckBox("只看列入公示")
        self.filters = row_of(self.office_filter, self.project_filter, self.site_filter, self.type_filter, self.date_from, self.date_to,
                              (self.search, 1), self.public_only)
        self.project_filter.currentIndexChanged.connect(self._project_filter_changed)
        self.site_filter.currentIndexChanged.connect(self.apply_filter)
        self.office_filter.currentIndexChanged.connect(self.apply_filter)
        self.type_filter.currentIndexChanged.connect(self.apply_filter)
        for bound in (self.date_from, self.date_to):
            bound.changed.connect(self.apply_filter)
        self.search.settled.connect(self.apply_filter)
        self.public_only.toggled.connect(self.apply_filter)

    def _build_buttons(self) -> None:
        self.new_button = QPushButton("新增活动…")
        self.edit_button = QPushButton("修改…")
        self.delete_button = push_button("删除", "删除所选活动（可撤销）。活动的照片仍保留在项目相册里。")
        self.undo_button = push_button("撤销", "撤销活动的新增、修改、删除（Ctrl+Z）。")
        self.export_list_button = push_button("导出活动登记表…", "把当前筛选出的活动导出为 Excel 工作簿（受益人姓名打码）。")
        self.export_stats_button = push_button("导出活动统计…",
                                               "把当前筛选下的活动统计（按类型、月份、试点、受益群体）导出为 Excel。")
        self.buttons = row_of(self.new_button, self.edit_button, self.delete_button, self.undo_button, STRETCH,
                              self.export_list_button, self.export_stats_button)
        self.new_button.clicked.connect(self.add_activity)
        self.edit_button.clicked.connect(lambda: self.edit_activity())
        self.delete_button.clicked.connect(self.delete_selected)
        self.undo_button.clicked.connect(self.ctx.undo.undo)
        self.ctx.undo.canUndoChanged.connect(self.undo_button.setEnabled)
        self.undo_button.setEnabled(self.ctx.undo.canUndo())
        self.export_list_button.clicked.connect(self.export_list)
        self.export_stats_button.clicked.connect(self.export_stats)

    def _build_list(self) -> QWidget:
        self.model = RowsModel(COLUMNS, right=[5, 6, 8, 9, 10])
        self.view = table(self.model, stretch=2)
        self.view.setAlternatingRowColors(True)
        self.view.setWordWrap(False)
        self.view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        header = self.view.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        for column, width in enumerate((146, 128, 0, 104, 96, 62, 62, 104, 40, 104, 62, 100)):
            if width:
                header.resizeSection(column, width)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        header.moveSection(OFFICE, 0)  # a county's office column leads
        self.view.setColumnHidden(OFFICE, True)
        self.view.selectionModel().selectionChanged.connect(self._update_buttons)
        self.view.doubleClicked.connect(lambda _index: self.edit_activity())
        return self.view

    def _build_timeline(self) -> QWidget:
        self.timeline_model = QStandardItemModel(0, 5, self)
        self.timeline_model.setHorizontalHeaderLabels(["时间", "类型", "活动", "参与", "照片"])
        self.timeline = QTreeView()
        self.timeline.setModel(self.timeline_model)
        self.timeline.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.timeline.setUniformRowHeights(True)
        self.timeline.setAlternatingRowColors(True)
        self.timeline.setToolTip("点一个活动打开它的登记表。")
        header = self.timeline.header()
        header.setStretchLastSection(False)
        header.resizeSection(0, 220)
        header.resizeSection(1, 130)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        header.resizeSection(3, 90)
        header.resizeSection(4, 70)
        self.timeline.clicked.connect(self._timeline_clicked)
        return self.timeline

    def _build_photos(self) -> QWidget:
        self.gallery_model = PhotoGalleryModel(self.ctx.ws, parent=self)
        self.gallery = PhotoGalleryView()
        self.gallery.setModel(self.gallery_model)
        self.gallery.photo_activated.connect(self.open_photo_activity)
        self.photos_note = note("")
        box = QWidget()
        layout = QVBoxLayout(box)
        layout.setContentsMargins(0, 4, 0, 0)
        layout.addWidget(self.photos_note)
        layout.addWidget(self.gallery, 1)
        return box

    def _build_stats(self) -> QWidget:
        box = QWidget()
        grid = QGridLayout(box)
        self.chart_views = [activity_charts.chart_view() for _ in activity_charts.CHARTS]
        self.totals_model = RowsModel(["合计", ""], right=[1])
        totals_view = table(self.totals_model)
        totals_view.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        totals_view.setMinimumWidth(240)
        totals_view.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        places = [(0, 0), (0, 1), (0, 2), (1, 0), (1, 1)]
        for view, (r, c) in zip(self.chart_views, places, strict=True):
            grid.addWidget(view, r, c)
        grid.addWidget(totals_view, 1, 2)
        for column, factor in enumerate((5, 6, 5)):  # the month chart gets a little more room
            grid.setColumnStretch(column, factor)
        grid.setRowStretch(0, 1)
        grid.setRowStretch(1, 1)
        return box

    # ---------------------------------------------------------------- data

    def on_changed(self, changes: Changes) -> None:
        if changes.touches("projects", "settings", "activities"):  # projects, sites, types, spaces
            self.lookups = None
        super().on_changed(changes)

    def refresh(self) -> None:
        ws = self.ctx.ws
        self.ctx.runner.query(lambda: load_office_scope(ws), self._set_scope)
        if self.lookups is None:
            self.ctx.runner.query(lambda: load_activity_lookups(ws), self._set_lookups)
        f = self.current_filter()
        self.ctx.runner.query(lambda: load_page(ws, f), self.show_data)

    def _set_scope(self, scope: OfficeScope) -> None:
        self.scope = scope
        self.office_filter.set_scope(scope)
        self.view.setColumnHidden(OFFICE, not scope.county)

    def _set_lookups(self, lookups: ActivityLookups) -> None:
        self.lookups = lookups
        refill(self.project_filter, [("全部项目", None)] + [(name, pid) for pid, name in lookups.projects])
        refill(self.type_filter, [("全部类型", None)] + [(t, t) for t in lookups.types])
        self._fill_site_filter()

    def _fill_site_filter(self) -> None:
        if self.lookups is None:
            return
        project_id = self.project_filter.currentData()
        names = dict(self.lookups.projects)
        items: list[tuple[str, object]] = [("全部试点", None), (WHOLE_PROJECT, "")]
        for pid, sites in self.lookups.sites.items():
            if project_id in (None, pid):
                prefix = f"{names[pid]} · " if project_id is None and len(self.lookups.projects) > 1 else ""
                items += [(prefix + name, site_id) for site_id, name in sites]
        refill(self.site_filter, items)

    def _project_filter_changed(self) -> None:
        self._fill_site_filter()
        self.apply_filter()

    def current_filter(self) -> ActivityFilter:
        return ActivityFilter(project_id=self.project_filter.currentData(), site_id=self.site_filter.currentData(),
                              activity_type=self.type_filter.currentData(), date_from=self.date_from.value(),
                              date_to=self.date_to.value(), text=self.search.text().strip(),
                              public_only=self.public_only.isChecked(), office_id=self.office_filter.office_id())

    def apply_filter(self) -> None:
        self.search.delay.stop()
        ws, f = self.ctx.ws, self.current_filter()
        self.ctx.runner.query(lambda: load_page(ws, f), self.show_data)

    def show_data(self, data: PageData) -> None:
        previous = self.selected_row()
        self.rows, self.stats = data.rows, data.stats
        self.model.set_rows([(*list_values(r), self.scope.name(r.office_id)) for r in data.rows], data.rows)
        reselect(self.view, [r.id for r in data.rows], previous.id if previous else None)
        self.totals.setText(totals_text(data.rows))
        self.view.setColumnHidden(3, bool(self.site_filter.currentData()))  # one site: no need to repeat it
        self._timeline_stale = self._charts_stale = self._gallery_stale = True
        self._tab_changed(self.tabs.currentIndex())  # the other tabs are filled when they are opened
        self._update_buttons()

    def show_timeline(self) -> None:
        self._timeline_stale = False
        self._fill_timeline(self.rows)

    def _fill_timeline(self, rows: list[ActivityRow]) -> None:
        model = self.timeline_model
        model.removeRows(0, model.rowCount())
        bold = QFont(self.font())
        bold.setBold(True)
        order = {site_id: i for sites in (self.lookups.sites.values() if self.lookups else [])
                 for i, (site_id, _name) in enumerate(sites)}
        for site, months in timeline_groups(rows, order):
            count = sum(len(items) for _m, items in months)
            site_item = QStandardItem(f"{site}（{count} 个活动）")
            site_item.setFont(bold)
            model.appendRow([site_item] + [QStandardItem() for _ in range(4)])
            for month, items in months:
                month_item = QStandardItem(f"{month}　{len(items)} 个")
                site_item.appendRow([month_item] + [QStandardItem() for _ in range(4)])
                for row in items:
                    cells = [QStandardItem(day_text(row)), QStandardItem(row.activity_type), QStandardItem(row.title),
                             QStandardItem(f"{row.participants:,} 人次" if row.participants else ""),
                             QStandardItem(f"{row.photos} 张" if row.photos else "")]
                    cells[0].setData(row.id, ID_ROLE)
                    cells[2].setToolTip(row.summary[:300] or row.title)
                    month_item.appendRow(cells)
        self.timeline.expandAll()
        if not rows:
            model.appendRow([QStandardItem("没有符合条件的活动。点“新增活动…”登记第一个活动。")])

    def _tab_changed(self, index: int) -> None:
        if index == 1 and self._timeline_stale:
            self.show_timeline()
        if index == 2 and self._gallery_stale:
            self.show_gallery()
        if index == 3 and self._charts_stale:
            self.show_charts()

    def gallery_project(self) -> tuple[str, str] | None:
        """The project whose photos the 照片 tab shows: the filtered one, or the only one there is."""
        project_id = self.project_filter.currentData()
        projects = self.lookups.projects if self.lookups else []
        if project_id is None and len(projects) == 1:
            return projects[0]
        return next(((pid, name) for pid, name in projects if pid == project_id), None)

    def show_gallery(self) -> None:
        """(Re)read the project gallery: a count and the first 200 tiles; the rest load as they scroll in."""
        self._gallery_stale = False
        chosen = self.gallery_project()
        project_id = chosen[0] if chosen else None
        if project_id is not None and project_id == self._gallery_scope:
            self.gallery_model.refresh()  # same project: read its photos again
        else:
            self.gallery_model.set_scope(project_id=project_id)
        self._gallery_scope = project_id
        count = self.gallery_model.rowCount()
        if chosen is None:
            self.photos_note.setText("请先在上面的“全部项目”里选择一个项目，这里显示该项目所有活动和慈善阵地的照片。")
        elif not count:
            self.photos_note.setText(f"项目“{chosen[1]}”还没有照片。在活动登记表里点“添加照片…”，或把照片拖到照片栏。")
        else:
            self.photos_note.setText(f"项目“{chosen[1]}”共 {count:,} 张照片（按添加顺序）。双击照片打开它所属的活动；"
                                     "“公示”标记的照片会印在公示中。")

    def open_photo_activity(self, photo_id: str) -> None:
        ws = self.ctx.ws
        self.ctx.runner.query(lambda: photo_owner(ws, photo_id), self._open_owner)

    def _open_owner(self, owner: tuple[str | None, str]) -> None:
        activity_id, space_name = owner
        if activity_id:
            self.edit_activity(activity_id)
        else:
            self.status.emit(f"这张照片属于慈善阵地“{space_name}”，请到“慈善阵地”页查看和修改。")

    def show_charts(self) -> None:
        """(Re)build the charts from the current statistics."""
        self._charts_stale = False
        for view, build in zip(self.chart_views, activity_charts.CHARTS, strict=True):
            old = view.chart()
            view.setChart(build(self.stats))
            old.deleteLater()
        self.totals_model.set_rows(activity_charts.totals(self.stats))

    def charts(self) -> list:
        return [view.chart() for view in self.chart_views]

    def selected_row(self) -> ActivityRow | None:
        rows = self.view.selectionModel().selectedRows()
        return self.model.key(rows[0].row()) if rows else None

    def select_activity(self, activity_id: str) -> bool:
        ids = [r.id for r in self.rows]
        if activity_id not in ids:
            return False
        self.view.selectRow(ids.index(activity_id))
        return True

    def _update_buttons(self) -> None:
        row = self.selected_row()
        self.edit_button.setEnabled(row is not None)
        self.delete_button.setEnabled(row is not None)
        # at the county, a township's activities are read-only, and none is added while one township is shown
        refuse_buttons(self.scope.foreign_note(row.office_id if row else None), self.edit_button, self.delete_button)
        self.new_button.setEnabled(True)
        refuse_buttons(self.office_filter.add_note(), self.new_button)

    # ---------------------------------------------------------------- commands

    def _open(self, dialog: ActivityDialog, activity_id: str | None = None) -> ActivityDialog:
        if self.dialog is not None and not self.dialog.isVisible():
            self.dialog.deleteLater()  # keep at most one closed dialog around
        self.dialog = dialog
        dialog.saved.connect(self.status.emit)
        ws = self.ctx.ws
        self.ctx.runner.query(lambda: load_activity_lookups(ws), dialog.set_lookups)
        if activity_id:
            self.ctx.runner.query(lambda: load_activity(ws, activity_id), dialog.fill, dialog.load_failed)
        dialog.open()
        return dialog

    def add_activity(self) -> ActivityDialog:
        """新增活动…: the form starts in the project the list is filtered to."""
        project = self.project_filter.currentData()
        dialog = ActivityDialog(self.ctx, self, project_id=project, loader=self.gallery_model.loader)
        return self._open(dialog)

    def edit_activity(self, activity_id: str | None = None) -> ActivityDialog | None:
        if activity_id is None:
            row = self.selected_row()
            if row is None:
                return None
            activity_id = row.id
        dialog = ActivityDialog(self.ctx, self, activity_id=activity_id, loader=self.gallery_model.loader)
        owner = next((r.office_id for r in self.rows if r.id == activity_id), None)
        dialog.set_read_only(self.scope.foreign_note(owner))  # a township's activity at the county: to read
        return self._open(dialog, activity_id)

    def _timeline_clicked(self, index) -> None:
        activity_id = index.siblingAtColumn(0).data(ID_ROLE)
        if activity_id:
            self.edit_activity(activity_id)

    def delete_selected(self) -> None:
        row = self.selected_row()
        if row is None:
            return
        ws, ctx = self.ctx.ws, self.ctx

        def done(_result) -> None:
            ctx.undo.push(undo.activity_deleted(ctx, row.id, row.title))
            self.status.emit(f"已删除活动“{row.title}”（可用 Ctrl+Z 或“撤销”恢复）。")

        self.ctx.runner.run(lambda: activities.delete_activity(ws, row.id), done, changes=ACTIVITIES)

    def export_list(self) -> None:
        self.search.settle_now()  # text typed in the last 250 ms: export what the box says
        exports.export_activities(self.ctx, self, self.current_filter())

    def export_stats(self) -> None:
        self.search.settle_now()
        exports.export_activity_stats(self.ctx, self, self.current_filter())

    def shutdown(self) -> None:
        """Before the workspace closes: stop the gallery's reader and thumbnail threads."""
        if self.dialog is not None and self.dialog.isVisible():
            self.dialog.done(self.dialog.DialogCode.Rejected)  # closing the workspace: never asks (reject may)
        self.gallery_model.close()
