"""信息公示 dialogs: the builder (新建公示: choose, preview, see what privacy changed, export) and the
verification result.

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
rebuild that fails, leaves the text in the editor and the edits as they were before. 修改草稿… on the
page opens this dialog with a draft's stored request, its edits included.
"""

import re
import shutil
from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QPushButton,
    QSplitter,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from desktop_app.core.changes import LEDGER, NOTICES
from desktop_app.core.documents.model import (
    NoticeDocument,
    check_edits,
    editable_texts,
)
from desktop_app.core.errors import UserError
from desktop_app.core.notices.builder import (
    TEMPLATES,
    DraftLine,
    DraftsInPeriod,
    NoticeRequest,
    resolve_request,
)
from desktop_app.core.queries.projects import list_projects
from desktop_app.core.services import ledger, notices
from desktop_app.core.storage.workspace import Workspace
from desktop_app.gui import exports, prompts
from desktop_app.gui.notice_wording import WORDING_EMPTY, Spot, WordingPanel, normalized, part_label
from desktop_app.gui.pdf_preview import PdfPreview, ScratchFiles
from desktop_app.gui.table_model import RowsModel
from desktop_app.gui.widgets import (
    ERROR_STYLE,
    HINT_STYLE,
    OK_STYLE,
    WARN_STYLE,
    heading,
    note,
    people_text,
    pydate,
    qdate,
    table,
    text_box,
)

PREVIEW_NOTE = "预览（未导出，没有核验码）"


@dataclass(frozen=True)
class BuilderDefaults:
    request: NoticeRequest  # resolved: every date and the supervision phones filled in


@dataclass(frozen=True)
class PreviewResult:
    path: Path
    pages: int
    masked: list
    code: str = ""
    reprint_of: str = ""  # the number of the published notice this export reprints
    notice_id: str = ""  # the draft (or reprinted notice) an export recorded
    doc: NoticeDocument | None = None  # what was built: its editable texts, notes and (key, part) edits applied


@dataclass(frozen=True)
class PostResult:
    posted: int
    failures: list[str]


def load_projects(ws: Workspace) -> list[tuple[str, str]]:
    with ws.reading() as s:
        return [(p.id, p.name) for p in list_projects(s)]


def load_defaults(ws: Workspace, request: NoticeRequest) -> BuilderDefaults:
    with ws.reading() as s:
        return BuilderDefaults(resolve_request(s, request))


def preview_notice(ws: Workspace, request: NoticeRequest, out: Path, progress=None) -> PreviewResult:
    """Build and render without recording anything (no verification code)."""
    from desktop_app.core.documents.pdf import render_pdf
    from desktop_app.core.notices.builder import build_notice

    with ws.reading() as s:
        doc = build_notice(s, ws.root, resolve_request(s, request))
    info = render_pdf(doc, out, progress=progress)
    return PreviewResult(out, info.pages, list(doc.masked), doc=doc)


def load_request(ws: Workspace, notice_id: str) -> NoticeRequest:
    """The request a draft was exported with (every default filled in, its wording edits included)."""
    with ws.reading() as s:
        notice = notices.resolve_notice(s, notice_id)
        if notice.status != "draft":
            raise UserError(f"公示 {notice.number} 已经发布，不能再修改。如有错误，请选中它点“更正说明…”。")
        return notices.request_from_json(notice.request_json)


def export_notice(ws: Workspace, request: NoticeRequest, out: Path, shown: Path, progress=None) -> PreviewResult:
    """Export for real (sealed, recorded as a draft) to `out`; a copy at `shown` for the preview, so the
    user's file is never held open by the app."""
    result = notices.export_notice(ws, request, out, progress=progress)
    shutil.copyfile(out, shown)
    notice = result.notice
    return PreviewResult(shown, result.info.pages, list(result.masked), notice.verification_code,
                         notice.number if result.reprint else "", notice.id, result.doc)


def post_drafts(ws: Workspace, drafts: list[DraftLine]) -> PostResult:
    """记账 each draft in turn; one that is refused stays a draft and says why."""
    posted, failures = 0, []
    for draft in drafts:
        try:
            ledger.post_entry(ws, draft.entry_id)
        except UserError as exc:
            failures.append(f"{draft.describe()}：{exc}")
        else:
            posted += 1
    return PostResult(posted, failures)


def masked_rows(masked: list) -> list[tuple[str, str, str]]:
    return [(m.original, m.shown, m.reason) for m in masked]


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


def date_edit(day: date | None = None) -> QDateEdit:
    edit = QDateEdit(qdate(day or date.today()))
    edit.setDisplayFormat("yyyy-MM-dd")
    edit.setCalendarPopup(True)
    return edit


class NoticeBuilder(QDialog):
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
        self.doc: NoticeDocument | None = None  # the last document built (preview or export)
        self.edits_of: dict[str, dict[str, dict[str, str]]] = {}  # project id → the request's edits {key: {part: text}}
        self.typed_of: dict[str, dict[Spot, str]] = {}  # project id → typed and not applied, per text
        self.originals: dict[tuple[str, str, str], str] = {}  # (project, key, part) → the text as built, unedited
        self.shown_project: str | None = None
        self.applying: Spot | None = None  # the text whose 应用 or 恢复原文 the running build carries
        self.setWindowTitle("修改公示草稿" if request is not None else "新建公示")
        self._build()
        self.resize(1240, 800)

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
        form = QFormLayout()
        form.addRow("项目", self.project)
        form.addRow("公示类型", self.template)
        form.addRow("公示期间", self._pair(self.date_from, self.date_to))
        form.addRow("公示期", self._pair(self.notice_start, self.notice_end))
        form.addRow("落款日期", self.written_on)
        form.addRow("监督电话", self.supervision)
        form.addRow("意见反馈", self.objections)
        form.addRow("", self.exclude_drafts)

        self.message = QLabel("")
        self.message.setWordWrap(True)
        self.message.setStyleSheet(ERROR_STYLE)
        self.message.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.drafts_box = self._build_drafts()
        self.masked_title = QLabel("")
        self.masked_title.setWordWrap(True)
        self.masked_model = RowsModel(["原来的姓名或号码", "公示中显示为", "原因"])
        self.masked_view = table(self.masked_model, stretch=2)
        self.masked_view.setToolTip("这些原名只在本机显示，不会印在公示上。")
        masked_tab = QWidget()
        masked_column = QVBoxLayout(masked_tab)
        masked_column.setContentsMargins(4, 4, 4, 4)
        masked_column.addWidget(self.masked_title)
        masked_column.addWidget(self.masked_view, 1)
        self.wording = WordingPanel()
        self.tabs = QTabWidget()
        self.tabs.addTab(masked_tab, "打码的姓名和号码")
        self.tabs.addTab(self.wording, "修改文字")
        self.wording.apply_clicked.connect(self.apply_edit)
        self.wording.restore_clicked.connect(self.restore_edit)
        self.wording.drop_stale_clicked.connect(self.drop_stale)

        self.preview_button = QPushButton("生成预览")
        self.preview_button.setDefault(True)
        self.export_button = QPushButton("导出 PDF 并存为草稿…")
        self.export_button.setToolTip("导出带核验码的正式文件，并在“信息公示”页留下草稿，核对无误后在那里发布。")
        buttons = QDialogButtonBox()
        buttons.addButton(self.preview_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.addButton(self.export_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.addButton("关闭", QDialogButtonBox.ButtonRole.RejectRole)
        buttons.rejected.connect(self.reject)
        self.preview_button.clicked.connect(self.make_preview)
        self.export_button.clicked.connect(self.export_pdf)

        left = QWidget()
        column = QVBoxLayout(left)
        column.setContentsMargins(0, 0, 6, 0)
        column.addLayout(form)
        column.addWidget(self.message)
        column.addWidget(self.drafts_box)
        column.addWidget(self.tabs, 1)
        column.addWidget(buttons)
        self.preview = PdfPreview(placeholder="选好项目和期间后，点“生成预览”在这里查看公示。")
        split = QSplitter()
        split.addWidget(left)
        split.addWidget(self.preview)
        split.setStretchFactor(0, 0)
        split.setStretchFactor(1, 1)
        split.setSizes([540, 700])
        layout = QVBoxLayout(self)
        layout.addWidget(split)
        self._show_masked([])
        self.project.currentIndexChanged.connect(self._choice_changed)
        self.template.currentIndexChanged.connect(self._choice_changed)

    @staticmethod
    def _pair(first: QDateEdit, second: QDateEdit) -> QHBoxLayout:
        row = QHBoxLayout()
        row.addWidget(first, 1)
        row.addWidget(QLabel("至"))
        row.addWidget(second, 1)
        return row

    def _build_drafts(self) -> QWidget:
        box = QWidget()
        layout = QVBoxLayout(box)
        layout.setContentsMargins(0, 0, 0, 0)
        self.drafts_title = QLabel("")
        self.drafts_title.setWordWrap(True)
        self.drafts_title.setStyleSheet(ERROR_STYLE)
        self.drafts_list = QListWidget()
        self.drafts_list.setWordWrap(True)
        self.drafts_list.setResizeMode(QListWidget.ResizeMode.Adjust)
        self.drafts_list.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.drafts_list.setMaximumHeight(130)
        self.post_button = QPushButton("全部记账后生成")
        self.post_button.setToolTip("把这些草稿逐笔记账（和在“收支台账”点记账一样），再生成公示。")
        self.skip_button = QPushButton("不计入草稿")
        self.skip_button.setToolTip("公示只列已记账的收支，并注明另有几笔草稿未列入。")
        row = QHBoxLayout()
        row.addWidget(self.post_button)
        row.addWidget(self.skip_button)
        row.addStretch()
        layout.addWidget(self.drafts_title)
        layout.addWidget(self.drafts_list)
        layout.addLayout(row)
        self.post_button.clicked.connect(self.post_all)
        self.skip_button.clicked.connect(self.skip_drafts)
        box.hide()
        return box

    # ---------------------------------------------------------------- data in

    def set_projects(self, items: list[tuple[str, str]]) -> None:
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
        self._switch_project()
        self.doc = None
        self.wording.clear("换了项目或公示类型：点“生成预览”后，这里列出新公示中可以修改的文字。"
                           if self.last else WORDING_EMPTY)
        self._update_tabs()
        self.load_defaults()

    def _switch_project(self) -> None:
        project_id = self.project.currentData()
        if project_id == self.shown_project:
            return
        self.wording.clear()  # what is in the editor is kept with the project it was typed for
        if self.shown_project is not None:
            self.typed_of[self.shown_project] = self.wording.typed
        self.wording.typed = self.typed_of.setdefault(project_id or "", {})
        self.shown_project = project_id

    def load_defaults(self) -> None:
        """The dates and phones the builder would use for this project and type (the user may change them);
        for 修改草稿, the draft's own request (then its preview is built at once)."""
        project_id = self.project.currentData()
        if not project_id:
            return
        self._switch_project()
        wanted, self.wanted_request = self.wanted_request, None
        if wanted is not None:
            if wanted.project_id == project_id and wanted.template == self.template.currentData():
                self.fill_request(wanted)
                self.make_preview()
                return
            self._say("这份草稿的项目已不存在（可能已被删除），已改为新建公示。")
        ws, request = self.ctx.ws, NoticeRequest(project_id, self.template.currentData())
        self.ctx.runner.query(lambda: load_defaults(ws, request), self.fill, self._failed)

    def fill(self, defaults: BuilderDefaults) -> None:
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
        self.edits_of[request.project_id] = {key: dict(parts) for key, parts in edits.items()}
        self._update_tabs()

    @property
    def edits(self) -> dict[str, dict[str, str]]:
        """The wording edits of the project chosen: {key: {part: text}}, as NoticeRequest.edits."""
        return self.edits_of.setdefault(self.project.currentData() or "", {})

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

    def _build_preview(self, undo: tuple[str, str, str | None] | None = None) -> None:
        """Build and render in the worker. `undo` (key, part, the edit before) puts the edits back as they
        were when this build, made for 应用 or 恢复原文, fails."""
        request = self._request_or_say()
        if request is None:
            self._undo(undo)
            return
        self._say("")
        self.preview.show_message("正在生成预览…")
        ws, out = self.ctx.ws, self.scratch.new("预览")
        self.ctx.runner.run(lambda progress: preview_notice(ws, request, out, progress), self._previewed,
                            lambda exc: self._failed(exc, undo), progress_title="正在生成公示预览…",
                            cancellable=True, parent=self)

    def _previewed(self, result: PreviewResult) -> None:
        self.last = result
        self._hide_drafts()
        self.preview.show_file(result.path, PREVIEW_NOTE)
        self._show_masked(result.masked)
        self._show_wording(result)
        if result.doc is not None and result.doc.advice:  # e.g. phones not filled in: before it is posted
            self._say("请注意：" + "\n".join(result.doc.advice), WARN_STYLE)

    def _show_wording(self, result: PreviewResult) -> None:
        """The built notice's editable texts into 修改文字 (the one just applied shows as built: cleaned)."""
        done, self.applying = self.applying, None
        doc = result.doc
        self.doc = doc
        if doc is None:
            return
        project_id = self.project.currentData() or ""
        texts = editable_texts(doc)
        marked = {(key, part) for key, parts in self.edits.items() for part in parts}
        marked |= {(e.key, e.part) for e in texts if e.edited}
        for e in texts:
            if (e.key, e.part) not in marked:
                self.originals[(project_id, e.key, e.part)] = normalized(e.text)
        self.wording.show_texts(texts, marked, list(doc.notes), done=done)
        self.wording.show_stale(len(self._stale()))
        if done is not None:
            entry = self.wording.current()
            if entry is not None and (entry.key, entry.part) == done:
                typed = "已应用修改" if done in marked else "已恢复原文"
                self.wording.say(f"{typed}，右边的预览已重新生成。", OK_STYLE)
        self._update_tabs()

    # ---------------------------------------------------------------- wording edits

    def apply_edit(self) -> None:
        """Store the selected text's edit (if it differs from what was built) and build the preview again."""
        entry = self.wording.current()
        if entry is None:
            return
        spot, text = (entry.key, entry.part), self.wording.text()
        try:
            new = check_edits({entry.key: {entry.part: text}})[entry.key][entry.part]
        except UserError as exc:
            self.wording.say(str(exc))  # the text stays in the editor to be fixed
            return
        stored = self.edits.get(entry.key, {}).get(entry.part)
        original = self.originals.get((self.project.currentData() or "", *spot))
        if new == normalized(entry.text):
            self.wording.applied()
            self.wording.say("文字没有改动，不需要应用。", HINT_STYLE)
            return
        if stored is not None and new == original:  # typed back to what the ledger gives: no edit needed
            self._drop_edit(entry.key, entry.part)
        else:
            self.edits.setdefault(entry.key, {})[entry.part] = new
        self.applying = spot
        self.wording.say("正在重新生成预览…", HINT_STYLE)
        self._build_preview((entry.key, entry.part, stored))

    def restore_edit(self) -> None:
        """恢复原文: drop the selected text's edit (and what was typed); the original comes back on the build."""
        entry = self.wording.current()
        if entry is None:
            return
        stored = self._drop_edit(entry.key, entry.part)
        self.wording.applied()
        if stored is None:  # nothing applied: only the typing goes
            self.wording.reload()
            self.wording.say("已恢复为公示中现在的文字。", HINT_STYLE)
            return
        self.applying = (entry.key, entry.part)
        self.wording.say("正在恢复原文并重新生成预览…", HINT_STYLE)
        self._build_preview((entry.key, entry.part, stored))

    def _stale(self) -> list[str]:
        """The keys of edits the last built notice has no place for (said in its notes)."""
        keys = {key for key, _part in self.wording.entries}
        return [key for key in self.edits if key not in keys] if self.doc is not None else []

    def drop_stale(self) -> None:
        stale = self._stale()
        for key in stale:
            self.edits.pop(key, None)
        self.wording.show_stale(0)
        self.wording.show_notes([n for n in (self.doc.notes if self.doc else []) if "已不适用" not in n])
        self.wording.say(f"已删去 {len(stale)} 处不适用的修改，导出时不再保存在草稿里。", OK_STYLE)
        self._update_tabs()

    def _drop_edit(self, key: str, part: str) -> str | None:
        parts = self.edits.get(key, {})
        stored = parts.pop(part, None)
        if not parts:
            self.edits.pop(key, None)
        return stored

    def _undo(self, undo: tuple[str, str, str | None] | None) -> None:
        """A build for 应用/恢复原文 failed: the edits are as before (what was typed stays in the editor)."""
        self.applying = None
        if undo is None:
            return
        key, part, before = undo
        if before is None:
            self._drop_edit(key, part)
        else:
            self.edits.setdefault(key, {})[part] = before
        self._update_tabs()

    def _update_tabs(self) -> None:
        count = sum(len(parts) for parts in self.edits.values())
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
        out = prompts.save_pdf(self, "导出公示 PDF", pdf_file_name(name), self.ctx.export_dir)
        if out is None:
            return
        self.ctx.export_dir = out.parent
        ws, shown = self.ctx.ws, self.scratch.new("导出")
        self._say("")
        self.ctx.runner.run(lambda progress: export_notice(ws, request, out, shown, progress),
                            lambda result: self._exported(result, out), self._failed, changes=NOTICES,
                            progress_title=f"正在导出公示到 {out.name}…", cancellable=True, parent=self)

    def _exported(self, result: PreviewResult, out: Path) -> None:
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
        if not drafts:
            return
        self.ctx.runner.run(lambda _progress: post_drafts(ws, drafts), self._posted, self._failed, changes=LEDGER,
                            progress_title=f"正在记账 {len(drafts)} 笔草稿…", parent=self)

    def _posted(self, result: PostResult) -> None:
        self.post_failures = result.failures
        self.make_preview()

    def skip_drafts(self) -> None:
        self.exclude_drafts.setChecked(True)
        self.make_preview()

    # ---------------------------------------------------------------- showing problems

    def _failed(self, exc: BaseException, undo: tuple[str, str, str | None] | None = None) -> None:
        if isinstance(exc, DraftsInPeriod):
            self.applying = None  # the edit is sound: it stays and is used once the drafts are dealt with
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
        text = f"公示期间还有 {len(self.drafts)} 笔草稿没有记账，公示的数字会不完整。请选择："
        if self.post_failures:
            text = (f"有 {len(self.post_failures)} 笔草稿没能记账（见下），请到“收支台账”补齐后再记账，"
                    "或选择不计入草稿。")
        self.drafts_title.setText(text)
        self.drafts_list.clear()
        self.drafts_list.addItems(self.post_failures or [d.describe() for d in self.drafts])
        for i in range(self.drafts_list.count()):
            self.drafts_list.item(i).setToolTip(self.drafts_list.item(i).text())
        self.post_failures = []
        self.drafts_box.show()

    def _hide_drafts(self) -> None:
        self.drafts = []
        self.drafts_box.hide()
        if self.post_failures:  # some were posted, the rest were left out by exclude_drafts
            self._say("有草稿没能记账：\n" + "\n".join(self.post_failures))
            self.post_failures = []

    def _show_masked(self, masked: list) -> None:
        self.masked = list(masked)
        self._update_tabs()
        self.masked_model.set_rows(masked_rows(self.masked))
        if not self.last:
            self.masked_title.setText("生成预览后，这里列出公示中被打码或替换的姓名和号码及原因。")
        elif self.masked:
            self.masked_title.setText(f"以下 {len(self.masked)} 处姓名或号码已打码或替换（原名只在本机显示，不会印在公示上）：")
        else:
            self.masked_title.setText("这份公示没有需要打码的姓名或号码。")
        self.masked_title.setStyleSheet(HINT_STYLE)

    def reject(self) -> None:
        self.preview.release()
        super().reject()


def pdf_file_name(*parts: str) -> str:
    """“四川省…经费使用情况公示-2025-01-05.pdf”: the Excel exports' naming, as a PDF."""
    return Path(exports.file_name(*parts)).with_suffix(".pdf").name


class VerifyDialog(QDialog):
    """What 核验 found: 数据未变, or every change since the notice was exported or published."""

    def __init__(self, result: notices.VerifyResult, parent: QWidget | None = None):
        super().__init__(parent)
        self.result = result
        self.setWindowTitle("核验结果")
        n = result.notice
        self.summary = QLabel(result.summary)
        self.summary.setWordWrap(True)
        self.summary.setStyleSheet(("color: #1e8449;" if result.ok else "color: #c0392b;") + " font-weight: bold;")
        what = note(f"《{n.title}》　{notices.template_label(n.template)}　期间 {n.date_from} 至 {n.date_to}　"
                    f"核验码 {n.verification_code}"
                    + (f"　编号 {n.number}，{n.published_on} 发布" if n.status == "published" else "　（草稿）"))
        self.changes = QListWidget()
        self.changes.setWordWrap(True)
        self.changes.addItems(result.changes)
        self.notes = note("\n".join(result.notes))
        layout = QVBoxLayout(self)
        layout.addWidget(self.summary)
        layout.addWidget(what)
        if result.changes:
            layout.addWidget(heading("变化明细"))
            layout.addWidget(self.changes, 1)
            layout.addWidget(note("如数据是在程序之外被改动的，请从改动之前的备份恢复（设置 › 备份）；"
                                  "如公示本身有误，请选中它点“更正说明…”。"))
        else:
            self.changes.hide()
        if result.notes:
            layout.addWidget(self.notes)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.resize(720, 460 if result.changes else 0)
