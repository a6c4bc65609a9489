"""活动登记: one dialog to add or edit an activity — what happened, where, who came and who it reached,
the named beneficiaries (sensitive, optional), the posted expenses that paid for it, and its photos.

The form's fields are saved together by one core operation (`add_activity` / `update_activity`), one
undo step. Photos are separate operations that take effect at once (an import can take a while and is
never undone by 取消 of the form); a new activity is saved first, after asking, before photos are added.
Errors from the core appear in red under the form, and nothing typed is lost.
"""

from functools import partial

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QWidget

from desktop_app.core.changes import ACTIVITIES
from desktop_app.core.errors import UserError
from desktop_app.core.money import format_yuan
from desktop_app.core.services import activities
from desktop_app.core.services.activities import ActivityInput, NamedInput
from desktop_app.gui import undo
from desktop_app.gui.activity_form import ActivityForm
from desktop_app.gui.activity_photos import ActivityPhotos
from desktop_app.gui.activity_reads import ActivityLookups, ExpenseChoice, LoadedActivity, load_expenses
from desktop_app.gui.context import AppContext
from desktop_app.gui.thumbnails import ThumbnailLoader
from desktop_app.gui.widgets import (
    ERROR_STYLE,
    HINT_STYLE,
    IGNORED_BY_FORM_STATE,
    AsksBeforeClosing,
    pydate,
    qdate,
    read_form,
    select_data,
    show_result,
)

WHOLE_PROJECT = "（项目整体，不属于某个试点）"


class ActivityDialog(AsksBeforeClosing, ActivityForm):
    """New activity, or — with `activity_id` — the same form to edit one (filled by `fill`). The widgets
    and their arrangement are `ActivityForm`'s; this class fills them, reacts to them and saves.

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
        self._read_only = ""  # why this activity cannot be changed here (another office's, at the county)
        self.setWindowTitle("修改活动记录" if activity_id else "新增活动记录")
        self.photos = ActivityPhotos(ctx, save_first=lambda again: self.save(then=again), loader=loader, parent=self)
        self.photos.message.connect(lambda text, error: self.show_message(text, error=error))
        self.lay_out(self.photos, editing=activity_id is not None)
        self._connect()
        self._update_enabled()
        self.photos.set_activity(activity_id)
        for widget in (self.photos, self.expense_pick, self.named_section.toggle):
            widget.setProperty(IGNORED_BY_FORM_STATE, True)  # saved at once, a search box, a fold: no form data
        self.mark_clean()  # closing asks only once something was typed

    def typed_state(self) -> tuple:
        return super().typed_state() + (tuple(self._linked),)  # the expenses linked are saved with the form

    # ---------------------------------------------------------------- wiring

    def _connect(self) -> None:
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

    # ---------------------------------------------------------------- filling

    def set_lookups(self, lookups: ActivityLookups) -> None:
        with self.filling():
            self._set_lookups(lookups)

    def _set_lookups(self, lookups: ActivityLookups) -> None:
        self.lookups = lookups
        self.groups.group_names = self.named.group_names = lookups.groups
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
        with self.filling():
            self._fill(loaded)

    def _fill(self, loaded: LoadedActivity) -> None:
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
        select_data(self.survey, data.survey_id or "")
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
        self.groups.add_group(group, count)

    def add_named(self, person: NamedInput) -> None:
        self.named.add_person(person)

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
        self._fill_surveys()
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

    def _fill_surveys(self) -> None:
        current = self.survey.currentData()
        self.survey.clear()
        self.survey.addItem("（不是需求调查）", "")
        for survey_id, name in self.lookups.surveys.get(self.project.currentData(), []):
            self.survey.addItem(name, survey_id)
        select_data(self.survey, current or "")

    def _start_changed(self) -> None:
        if not self.multi_day.isChecked() or self.end.date() < self.start.date():
            self.end.setDate(self.start.date())

    def _show_groups_total(self) -> None:
        total = self.groups.total()
        self.groups_total.setText(f"受益人次合计 {total:,}（同一人参加多次按多次计）" if total else
                                  "按群体填写这次活动惠及的人数，如“老年人 30”“儿童 20”。")

    def _show_named_count(self) -> None:
        count = len(self.named.rows())
        self.named_section.set_detail(f"（已登记 {count} 人）" if count else "（可不填）")

    def _update_enabled(self) -> None:
        ready = self.lookups is not None and bool(self.lookups.projects) and (
            self.activity_id is None or self._before is not None)
        self.save_button.setEnabled(ready and not self._busy and not self._read_only)
        if self._read_only:
            self.save_button.setToolTip(self._read_only)

    def set_read_only(self, note: str) -> None:
        """Another office's activity (a county's view): shown, not saved; `note` says why ("" = editable)."""
        if not note:
            return
        self._read_only = note
        self.setWindowTitle("查看活动记录")
        self.show_message(note + "这里只能查看。", error=False)
        self._update_enabled()

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
        self.expense_model.set_rows([(c.entry_date, c.fund_name, c.voucher, c.summary, format_yuan(c.amount_fen))
                                     for c in shown],
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
        beneficiaries = self.groups.counts()
        named = self.named.people()
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
            beneficiaries=beneficiaries, named=named, expense_ids=list(self._linked),
            survey_id=self.survey.currentData() or None)

    def show_message(self, text: str, *, error: bool) -> None:
        show_result(self.message, text, error=error)

    def save(self, *, then=None) -> None:
        """Save the form; closes the dialog, or — with `then` — stays open and calls `then()` (adding
        photos to a new activity saves it first)."""
        if self._busy:
            return
        data = read_form(self.collect, self.message)
        if data is None:
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
        self.mark_clean()  # saved: what is in the form now is what is stored
        self.saved.emit(text)
        if then is None:
            self.accept()
            return
        self.photos.set_activity(activity_id)
        self.setWindowTitle("修改活动记录")
        self.cancel_button.setText("关闭")
        self.show_message(text, error=False)
        then()


