"""新建公示 / 修改公示草稿: the notice builder dialog (choose, preview, see what privacy changed, change
the wording, export).

The builder's 生成预览 builds and renders the notice in the worker without recording anything (the
preview carries no verification code); 导出 PDF… exports it for real, which seals it with its code and
records it as a draft on the 信息公示 page. Drafts (unposted entries) in the period are listed with the
two ways on: post them all (记账) or leave them out (不计入草稿). Every error leaves the form as typed.

修改文字 (the draft's wording): once a preview is built, its editable texts (`editable_texts(doc)`: the
prose fields, the site headings, each item's lead and body) are listed by the heading they are under.
应用 stores the text as an edit of the request (only when it differs from what was built) and builds the
preview again, so the notice shown — and the draft 导出 records — carries it; 恢复原文 drops the edit.
The core checks the text (limits, control characters) and cleans it like any other text, so a phone
number or a name typed into an edit is redacted and shows up in the masked list. A text refused, or a
rebuild that fails, leaves the text in the editor and the edits as they were before (the edits
themselves are kept by `WordingEdits`). 修改草稿… on the page opens this dialog with a draft's stored
request, its edits included. What runs in the worker is in `notice_jobs`.
"""

import re
from dataclasses import replace
from datetime import date
from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QPushButton,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from desktop_app.core.changes import LEDGER, NOTICES
from desktop_app.core.errors import UserError
from desktop_app.core.notices.document import NoticeDocument
from desktop_app.core.notices.request import TEMPLATES, DraftLine, DraftsInPeriod, NoticeRequest
from desktop_app.core.notices.wording import check_edits
from desktop_app.gui import exports, notice_jobs, posting, undo
from desktop_app.gui.exports import pdf_file_name
from desktop_app.gui.notice_builder_panels import DraftsBox, MaskedList
from desktop_app.gui.notice_jobs import BuilderDefaults, PostResult, PreviewResult
from desktop_app.gui.notice_wording import WORDING_EMPTY, WordingPanel, part_label
from desktop_app.gui.notice_wording_edits import Edits, Undo, WordingEdits
from desktop_app.gui.pdf_preview import PdfPreview, ScratchFiles
from desktop_app.gui.screen_fit import FirstPartFirst, fit_window, scrolled
from desktop_app.gui.widgets import (
    ERROR_STYLE,
    HINT_STYLE,
    OK_STYLE,
    WARN_STYLE,
    AsksBeforeClosing,
    date_edit,
    form_rows,
    pane,
    people_text,
    push_button,
    pydate,
    qdate,
    row_of,
    splitter,
    text_box,
    wrapped_label,
)

PREVIEW_NOTE = "预览（未导出，没有核验码）"


_SUPERVISION_LINE = re.compile(r"^(.*?)\s*[，,：:\t]\s*([0-9()（）\- ]*)$")


def parse_supervision(text: str) -> list[tuple[str, str]]:
    """Lines of “名称，电话” (or “名称：电话”; the phone may be left out). Only the last separator before
    the number splits, so a name like “青花镇、八台镇民政办” stays whole."""
    out = []
    for line in text.splitlines():
        line = line.strip()
        if not line:
            continue
        match = _SUPERVISION_LINE.match(line)
        label, phone = (match.group(1).strip(), match.group(2).strip()) if match else (line, "")
        if label:
            out.append((label, phone))
    return out


class NoticeBuilder(AsksBeforeClosing, QDialog):
    """新建公示: the form on the left, the preview on the right."""

    exported = Signal(object)  # the PreviewResult of an export: the draft it recorded and its file

    def __init__(self, ctx, scratch: ScratchFiles, parent: QWidget | None = None, *, project_id: str | None = None,
                 template: str = "fund-usage", period: tuple[date, date] | None = None,
                 request: NoticeRequest | None = None):
        super().__init__(parent)
        self.ctx, self.scratch = ctx, scratch
        if request is not None:  # 修改草稿: the draft's stored request, its edits included
            project_id, template = request.project_id, request.template
        self.wanted_project, self.wanted_template = project_id, template
        self.wanted_period = period  # a due notice's period, used instead of the default once
        self.wanted_request = request  # filled in instead of the defaults once
        self.base: NoticeRequest | None = None  # the draft's request: what the form does not show is kept
        self.drafts: list[DraftLine] = []
        self.masked: list = []
        self.post_failures: list[str] = []
        self.last: PreviewResult | None = None
        self.setWindowTitle("修改公示草稿" if request is not None else "新建公示")
        self._build()
        fit_window(self, 1240, 800, key="notice-builder")  # resizable; on a small screen it takes the room there is
        self.mark_clean()  # closing asks only once something was typed

    # ---------------------------------------------------------------- layout

    def _build(self) -> None:
        self.project = QComboBox()
        self.project.setMinimumContentsLength(16)
        self.template = QComboBox()
        for key, label in TEMPLATES.items():
            self.template.addItem(label, key)
        self.template.setCurrentIndex(max(self.template.findData(self.wanted_template), 0))
        self.date_from, self.date_to = date_edit(), date_edit()
        self.notice_start, self.notice_end = date_edit(), date_edit()
        self.written_on = date_edit()
        self.supervision = text_box(3, "每行一个：单位，电话（电话留空则印一条横线，张贴前手写）")
        self.objections = text_box(2, "留空则写：对公示内容有异议的，请在公示期内向慈善会或民政办反映")
        self.exclude_drafts = QCheckBox("不计入未记账的草稿（公示中注明）")
        form = form_rows(QFormLayout(), ("项目", self.project), ("公示类型", self.template),
                         ("公示期间", row_of((self.date_from, 1), QLabel("至"), (self.date_to, 1))),
                         ("公示期", row_of((self.notice_start, 1), QLabel("至"), (self.notice_end, 1))),
                         ("落款日期", self.written_on), ("监督电话", self.supervision), ("意见反馈", self.objections),
                         ("", self.exclude_drafts))

        self.message = wrapped_label("", ERROR_STYLE)
        self.message.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.drafts_box = DraftsBox()
        self.drafts_title, self.drafts_list = self.drafts_box.title, self.drafts_box.list
        self.post_button, self.skip_button = self.drafts_box.post_button, self.drafts_box.skip_button
        self.post_button.clicked.connect(self.post_all)
        self.skip_button.clicked.connect(self.skip_drafts)
        self.masked_list = MaskedList()
        self.masked_title, self.masked_model = self.masked_list.title, self.masked_list.model
        self.wording = WordingPanel()
        self.wording_edits = WordingEdits(self.wording, self.project.currentData)
        self.tabs = QTabWidget()
        self.tabs.addTab(self.masked_list, "打码的姓名和号码")
        self.tabs.addTab(self.wording, "修改文字")
        self.wording.apply_clicked.connect(self.apply_edit)
        self.wording.restore_clicked.connect(self.restore_edit)
        self.wording.drop_stale_clicked.connect(self.drop_stale)

        self.preview_button = QPushButton("生成预览")
        self.preview_button.setDefault(True)
        self.export_button = push_button("导出 PDF 并存为草稿…", "导出带核验码的正式文件，并在“信息公示”页留下草稿，核对无误后在那里发布。")
        buttons = QDialogButtonBox()
        buttons.addButton(self.preview_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.addButton(self.export_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.addButton("关闭", QDialogButtonBox.ButtonRole.RejectRole)
        buttons.rejected.connect(self.reject)
        self.preview_button.clicked.connect(self.make_preview)
        self.export_button.clicked.connect(self.export_pdf)

        form_part = scrolled(pane(form, self.message, self.drafts_box, margins=(0, 0, 6, 0)))  # scrolls when short
        left = splitter(form_part, self.tabs, stretch=(0, 1), vertical=True)
        left.setChildrenCollapsible(False)
        FirstPartFirst(left)  # the settings as tall as the room allows, the tabs under them
        self.preview = PdfPreview(placeholder="选好项目和期间后，点“生成预览”在这里查看公示。")
        layout = QVBoxLayout(self)
        layout.addWidget(splitter(left, self.preview, stretch=(0, 1), sizes=[540, 700]), 1)
        layout.addWidget(buttons)  # under both panes, always in view
        self._show_masked([])
        self.project.currentIndexChanged.connect(self._choice_changed)
        self.template.currentIndexChanged.connect(self._choice_changed)

    # ---------------------------------------------------------------- data in

    def typed_state(self) -> tuple:
        """What is slow to type again and only 导出 keeps (in the draft): the phones, 意见反馈 and the wording
        edits, applied or only typed. Dates and choices are quickly picked again: they do not count."""
        self.wording.unapplied()  # what is in the editor now counts as typed
        kept = self.wording_edits
        typed = {(p, *spot, text) for p, texts in [*kept.typed_of.items(), (kept.shown_project, self.wording.typed)]
                 for spot, text in texts.items()}
        edits = {(p, key, part, text) for p, e in kept.edits_of.items() for key, parts in e.items()
                 for part, text in parts.items()}
        return self.supervision.toPlainText(), self.objections.toPlainText(), frozenset(edits), frozenset(typed)

    def set_projects(self, items: list[tuple[str, str]]) -> None:
        with self.filling():
            self._set_projects(items)

    def _set_projects(self, items: list[tuple[str, str]]) -> None:
        if not items:
            self._say("还没有项目。请先在“项目”页新增项目，填写项目周期和负责人，再生成公示。")
            self.preview_button.setEnabled(False)
            self.export_button.setEnabled(False)
            return
        self.project.blockSignals(True)
        for project_id, name in items:
            self.project.addItem(name, project_id)
        self.project.setCurrentIndex(max(self.project.findData(self.wanted_project), 0))
        self.project.blockSignals(False)
        self.load_defaults()

    def _choice_changed(self) -> None:
        """Another project or type: the texts listed belong to the notice built before. The edits (and what
        was typed) stay with their project, to come back when it is chosen again."""
        self.wording_edits.switch_project()
        self.wording_edits.forget_built("换了项目或公示类型：点“生成预览”后，这里列出新公示中可以修改的文字。"
                                        if self.last else WORDING_EMPTY)
        self._update_tabs()
        self.load_defaults()

    def load_defaults(self) -> None:
        """The dates and phones the builder would use for this project and type (the user may change them);
        for 修改草稿, the draft's own request (then its preview is built at once)."""
        project_id = self.project.currentData()
        if not project_id:
            return
        self.wording_edits.switch_project()
        wanted, self.wanted_request = self.wanted_request, None
        if wanted is not None:
            if wanted.project_id == project_id and wanted.template == self.template.currentData():
                self.fill_request(wanted)
                self.make_preview()
                return
            self._say("这份草稿的项目已不存在（可能已被删除），已改为新建公示。")
        ws, request = self.ctx.ws, NoticeRequest(project_id, self.template.currentData())
        self.ctx.runner.query(lambda: notice_jobs.load_defaults(ws, request), self.fill, self._failed)

    def fill(self, defaults: BuilderDefaults) -> None:
        with self.filling():
            self._fill(defaults)

    def _fill(self, defaults: BuilderDefaults) -> None:
        r = defaults.request
        for edit, day in ((self.date_from, r.date_from), (self.date_to, r.date_to), (self.notice_start, r.notice_start),
                          (self.notice_end, r.notice_end), (self.written_on, r.written_on)):
            edit.setDate(qdate(day))
        if self.wanted_period is not None:
            self.date_from.setDate(qdate(self.wanted_period[0]))
            self.date_to.setDate(qdate(self.wanted_period[1]))
            self.wanted_period = None
        self.supervision.setPlainText(people_text([tuple(pair) for pair in r.supervision or []]))
        self._say("")

    def fill_request(self, request: NoticeRequest) -> None:
        """A draft's stored request into the form: dates, phones, 意见反馈, the drafts choice and its edits."""
        self.fill(BuilderDefaults(request))
        self.objections.setPlainText(request.objections_text or "")
        self.exclude_drafts.setChecked(request.exclude_drafts)
        self.base = request
        try:
            edits = check_edits(request.edits)
        except UserError as exc:  # a request written by hand (CLI) or by another version
            self._say(f"草稿里保存的文字修改无法读取，已不使用：{exc}")
            edits = {}
        self.wording_edits.keep(request.project_id, edits)
        self._update_tabs()

    @property
    def edits(self) -> Edits:
        """The wording edits of the project chosen: {key: {part: text}}, as NoticeRequest.edits."""
        return self.wording_edits.edits

    @property
    def doc(self) -> NoticeDocument | None:
        """The last document built (preview or export)."""
        return self.wording_edits.doc

    # ---------------------------------------------------------------- the request

    def collect(self) -> NoticeRequest:
        project_id = self.project.currentData()
        if not project_id:
            raise UserError("请先选择要公示的项目。")
        date_from, date_to = pydate(self.date_from.date()), pydate(self.date_to.date())
        if date_from > date_to:
            raise UserError(f"公示期间的开始日期（{date_from}）晚于结束日期（{date_to}）。请重新选择起止日期。")
        supervision = parse_supervision(self.supervision.toPlainText())
        request = NoticeRequest(
            project_id, self.template.currentData(), date_from=date_from, date_to=date_to,
            notice_start=pydate(self.notice_start.date()), notice_end=pydate(self.notice_end.date()),
            written_on=pydate(self.written_on.date()), supervision=supervision,
            objections_text=self.objections.toPlainText().strip() or None,
            exclude_drafts=self.exclude_drafts.isChecked(),
            edits={key: dict(parts) for key, parts in self.edits.items() if parts})
        base = self.base
        if base is not None and (base.project_id, base.template) == (request.project_id, request.template):
            request = replace(request, year_label=base.year_label, show_receipt_no=base.show_receipt_no)
        return request

    def _request_or_say(self) -> NoticeRequest | None:
        try:
            return self.collect()
        except UserError as exc:
            self._say(str(exc))
            return None

    # ---------------------------------------------------------------- commands

    def make_preview(self) -> None:
        self._build_preview()

    def _build_preview(self, undo: Undo | None = None) -> None:
        """Build and render in the worker. `undo` (key, part, the edit before) puts the edits back as they
        were when this build, made for 应用 or 恢复原文, fails."""
        request = self._request_or_say()
        if request is None:
            self._undo(undo)
            return
        self._say("")
        self.preview.show_message("正在生成预览…")
        ws, out = self.ctx.ws, self.scratch.new("预览")
        self.ctx.runner.run(lambda progress: notice_jobs.preview_notice(ws, request, out, progress),
                            self._previewed, lambda exc: self._failed(exc, undo), progress_title="正在生成公示预览…",
                            cancellable=True, parent=self)

    def _previewed(self, result: PreviewResult) -> None:
        self.last = result
        self._hide_drafts()
        self.preview.show_file(result.path, PREVIEW_NOTE)
        self._show_masked(result.masked)
        self.wording_edits.show_built(result.doc)
        self._update_tabs()
        if result.doc is not None and result.doc.advice:  # e.g. phones not filled in: before it is posted
            self._say("请注意：" + "\n".join(result.doc.advice), WARN_STYLE)

    # ---------------------------------------------------------------- wording edits

    def apply_edit(self) -> None:
        """应用: store the selected text's edit and build the preview again."""
        undo = self.wording_edits.apply()
        if undo is not None:
            self._build_preview(undo)

    def restore_edit(self) -> None:
        """恢复原文: drop the selected text's edit; the original comes back on the build."""
        undo = self.wording_edits.restore()
        if undo is not None:
            self._build_preview(undo)

    def drop_stale(self) -> None:
        self.wording_edits.drop_stale()
        self._update_tabs()

    def _undo(self, undo: Undo | None) -> None:
        """A build for 应用/恢复原文 failed: the edits are as before (what was typed stays in the editor)."""
        self.wording_edits.undo(undo)
        if undo is not None:
            self._update_tabs()

    def _update_tabs(self) -> None:
        count = self.wording_edits.count()
        said = [f"已改 {count} 处"] if count else []
        if self.wording.notes.text():  # the build had something to say about the edits
            said.append("有提示")
        self.tabs.setTabText(1, f"修改文字（{'，'.join(said)}）" if said else "修改文字")
        self.tabs.setTabText(0, f"打码的姓名和号码（{len(self.masked)}）" if self.last else "打码的姓名和号码")

    def export_pdf(self) -> None:
        pending = self.wording.unapplied()
        if pending:
            entry = pending[0]
            self.tabs.setCurrentWidget(self.wording)
            self.wording.select(entry.key, entry.part)
            what = f"{entry.label}（{part_label(entry)}）" if entry.key.startswith("item:") else entry.label
            self._say(f"“{what}”的修改还没有应用" + (f"（另有 {len(pending) - 1} 处）" if len(pending) > 1 else "")
                      + "。请在“修改文字”里点“应用”，或点“恢复原文”放弃修改，再导出。")
            return
        request = self._request_or_say()
        if request is None:
            return
        name = self.project.currentText() + self.template.currentText()
        out = exports.ask_path(self.ctx, self, "导出公示 PDF", pdf_file_name(name), pdf=True)
        if out is None:
            return
        ws, shown = self.ctx.ws, self.scratch.new("导出")
        self._say("")
        self.ctx.runner.run(lambda progress: notice_jobs.export_notice(ws, request, out, shown, progress),
                            lambda result: self._exported(result, out), self._failed, changes=NOTICES,
                            progress_title=f"正在导出公示到 {out.name}…", cancellable=True, parent=self)

    def _exported(self, result: PreviewResult, out: Path) -> None:
        self.mark_clean()  # the draft recorded keeps all of it
        self.exported.emit(result)
        self._previewed(result)
        self.preview.info.setText(f"共 {result.pages} 页　核验码 {result.code}")
        if result.reprint_of:
            text = f"数据与已发布的公示 {result.reprint_of} 完全相同，这份文件是它的重印件（核验码 {result.code}）。"
        else:
            text = f"已存为草稿（核验码 {result.code}）。核对无误后，在“信息公示”页选中它点“发布…”。"
        advice = result.doc.advice if result.doc is not None else []
        self._say("\n".join([text, *advice]), WARN_STYLE if advice else OK_STYLE)
        exports.exported(self, out, result.pages, f"公示（{result.pages} 页，核验码 {result.code}）")

    def post_all(self) -> None:
        drafts, ws = list(self.drafts), self.ctx.ws
        if not drafts or not posting.confirm_posting(self, f"记账公示期内的 {len(drafts)} 笔草稿"):
            return

        def posted(result: PostResult) -> None:
            for draft in drafts:  # their draft steps can no longer be undone
                undo.entry_posted(self.ctx.undo, draft.entry_id)
            self._posted(result)

        self.ctx.runner.run(lambda _progress: notice_jobs.post_drafts(ws, drafts), posted, self._failed,
                            changes=LEDGER, progress_title=f"正在记账 {len(drafts)} 笔草稿…", parent=self)

    def _posted(self, result: PostResult) -> None:
        self.post_failures = result.failures
        self.make_preview()

    def skip_drafts(self) -> None:
        self.exclude_drafts.setChecked(True)
        self.make_preview()

    # ---------------------------------------------------------------- showing problems

    def _failed(self, exc: BaseException, undo: Undo | None = None) -> None:
        if isinstance(exc, DraftsInPeriod):
            self.wording_edits.applying = None  # the edit is sound: it stays and is used once the drafts are dealt with
            if undo is not None:
                self.wording.say("修改已记下：处理好左边列出的未记账草稿后，生成预览时就会用上。", HINT_STYLE)
            self._show_drafts(exc)
            self.preview.show_message("公示期间还有未记账的草稿。请在左边选择：全部记账后生成，或不计入草稿。")
            return
        self._undo(undo)
        if isinstance(exc, UserError):
            self._say(str(exc))
            self.preview.show_message("没有生成公示：请按左边的提示处理后，再点“生成预览”。")
        else:  # Cancelled (the runner shows unexpected errors itself)
            self.preview.show_message("已取消。点“生成预览”重新生成。")
        if undo is not None:
            why = str(exc) if isinstance(exc, UserError) else "已取消。"
            self.wording.say(f"修改没有应用：{why}\n文字仍在编辑框里，处理后可再点“应用”。")

    def _say(self, text: str, style: str = ERROR_STYLE) -> None:
        self.message.setStyleSheet(style)
        self.message.setText(text)
        self.message.setVisible(bool(text))

    def _show_drafts(self, exc: DraftsInPeriod) -> None:
        self.drafts = list(exc.drafts)
        self.drafts_box.show_drafts(self.drafts, self.post_failures)
        self.post_failures = []

    def _hide_drafts(self) -> None:
        self.drafts = []
        self.drafts_box.hide()
        if self.post_failures:  # some were posted, the rest were left out by exclude_drafts
            self._say("有草稿没能记账：\n" + "\n".join(self.post_failures))
            self.post_failures = []

    def _show_masked(self, masked: list) -> None:
        self.masked = list(masked)
        self._update_tabs()
        self.masked_list.show_masked(self.masked, built=bool(self.last))

    def done(self, result: int) -> None:
        self.preview.release()  # however the builder closes (not when 继续编辑 keeps it open)
        super().done(result)


