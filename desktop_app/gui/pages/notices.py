"""信息公示: drafts and published notices with their PDF beside the list; new notice (the builder),
修改草稿 (the builder over a draft's stored request, its wording edits included), print, export, publish,
correction notice and verification.

The preview of a published notice is its archived PDF (`notices/<number>.pdf`). A draft is exported
afresh into a temporary file (in the worker): what is shown is what prints, with its verification code;
when the data changed since, the draft takes the new code (the list then shows it).
"""

from datetime import date
from pathlib import Path

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QHeaderView, QLabel, QPushButton, QVBoxLayout

from desktop_app.core.changes import NOTICES, PUBLISHED, Changes
from desktop_app.core.errors import UserError
from desktop_app.core.models import Notice
from desktop_app.core.notices import lookup as notice_lookup
from desktop_app.core.notices import verify as notice_verify
from desktop_app.core.notices.request import DraftsInPeriod, NoticeRequest
from desktop_app.core.services import notices
from desktop_app.gui import exports, pdf_preview, prompts
from desktop_app.gui.county_views import (
    OFFICE_COLUMN,
    OfficeFilter,
    OfficeScope,
    load_office_scope,
    refuse_buttons,
)
from desktop_app.gui.exports import pdf_file_name
from desktop_app.gui.lookups import load_project_choices
from desktop_app.gui.notice_builder import NoticeBuilder
from desktop_app.gui.notice_jobs import (
    DraftPdf,
    NoticeRow,
    archived_pdf,
    copy_archived,
    export_draft,
    load_notices,
    load_request,
)
from desktop_app.gui.notice_verify_dialog import VerifyDialog
from desktop_app.gui.pages.base import Page
from desktop_app.gui.pdf_preview import PdfPreview, ScratchFiles
from desktop_app.gui.table_model import RowsModel
from desktop_app.gui.widgets import (
    STRETCH,
    current_of,
    heading,
    note,
    pane,
    push_button,
    reselect,
    row_of,
    splitter,
    table,
)

COLUMNS = ["编号", "类型", "项目", "期间", "状态", "核验码", "发布日期", "更正", OFFICE_COLUMN]
OFFICE = 8  # the owning office: shown (first) in a county's workspace only
EMPTY = ("还没有公示。点“新建公示…”选择项目和期间，生成经费使用情况公示、项目进展公示或捐赠公示；"
         "核对预览后导出或打印，张贴后点“发布…”。")
DATA_FLAGS = ("ledger", "funds", "projects", "activities", "goods", "settings")  # what a draft is built from


def publish_text(n: Notice) -> str:
    month = f"{n.date_to.year}年{n.date_to.month}月"
    return (f"发布《{n.title}》（期间 {n.date_from} 至 {n.date_to}，核验码 {n.verification_code}）？\n\n"
            f"发布后：\n"
            f"· 公示得到编号和今天的发布日期，PDF 存档在工作区的 notices 文件夹并记下它的指纹（SHA-256）；\n"
            f"· 项目各社区基金 {month} 及以前的月份结账，不能再记账（更正请在以后的月份红字冲销）；\n"
            f"· 公示涵盖的 {n.entry_count} 笔已记账分录标记为已公示；\n"
            f"· 已发布的公示不能再修改，有错只能发布“更正说明”。\n\n"
            f"请先核对右边的预览无误，再发布。")


class NoticesPage(Page):
    title = "信息公示"
    watches = ("notices", *DATA_FLAGS)
    status = Signal(str)

    def __init__(self, ctx, parent=None):
        super().__init__(ctx, parent)
        self.rows: list[NoticeRow] = []
        self.scratch = ScratchFiles()
        self.draft_pdfs: dict[str, DraftPdf] = {}  # notice id → its last preview export
        self.rendering: str | None = None  # the draft whose preview is being exported
        self.wanted_id: str | None = None  # select this notice once the list has reloaded
        self.builder: NoticeBuilder | None = None
        self.verify_dialog: VerifyDialog | None = None
        self.scope = OfficeScope()
        self.office_filter = OfficeFilter()
        self.model = RowsModel(COLUMNS)
        self.view = table(self.model, stretch=2)
        self.view.setWordWrap(False)
        self.view.horizontalHeader().setSectionResizeMode(2, QHeaderView.ResizeMode.Interactive)
        self.view.horizontalHeader().setStretchLastSection(True)
        self.view.setColumnWidth(2, 120)
        self.view.horizontalHeader().moveSection(OFFICE, 0)  # a county's office column leads
        self.view.setColumnHidden(OFFICE, True)
        self.details = QLabel("")
        self.details.setWordWrap(True)
        self.preview = PdfPreview(placeholder=EMPTY)
        self._build()
        self.view.selectionModel().currentRowChanged.connect(lambda _current, _previous: self.show_selected())
        self.update_buttons()

    def _build(self) -> None:
        self.new_button = QPushButton("新建公示…")
        self.edit_button = push_button("修改草稿…", "打开所选草稿的生成选项和文字修改，改好后重新导出（核验码随之更新）。")
        self.publish_button = push_button("发布…", "张贴后发布：给公示编号、存档 PDF、结账所涵盖的月份。发布后不能再改。")
        self.correct_button = push_button("更正说明…", "已发布的公示有错时，发布一份更正说明（新的公示，引用原公示）。")
        self.verify_button = push_button("核验…", "输入公示上的核验码或选择公示 PDF，查看它所依据的数据是否被改动过。")
        self.preview_button = push_button("预览", "重新生成所选公示的预览（草稿按现在的数据重新生成）。")
        self.print_button = QPushButton("打印…")
        self.export_button = QPushButton("导出 PDF…")
        top = row_of(self.new_button, self.edit_button, self.publish_button, self.correct_button, self.verify_button,
                  STRETCH)
        left = pane(row_of(heading("信息公示"), STRETCH, self.office_filter), top, (self.view, 1), self.details,
                    note("草稿可以反复导出、打印核对；张贴后点“发布…”。核验码印在每份公示末尾，"
                         "任何人都可以凭它到这里核验数据是否被改动过。"), margins=(0, 0, 6, 0))
        tools = row_of(QLabel("公示预览"), STRETCH, self.preview_button, self.print_button, self.export_button)
        right = pane(tools, (self.preview, 1), margins=(6, 0, 0, 0))
        layout = QVBoxLayout(self)
        layout.addWidget(splitter(left, right, stretch=(1, 1), sizes=[600, 500]))
        self.new_button.clicked.connect(lambda: self.new_notice())
        self.edit_button.clicked.connect(self.edit_draft)
        self.publish_button.clicked.connect(self.publish)
        self.correct_button.clicked.connect(lambda: self.correct())
        self.verify_button.clicked.connect(lambda: self.verify())
        self.preview_button.clicked.connect(self.refresh_preview)
        self.print_button.clicked.connect(self.print_notice)
        self.export_button.clicked.connect(self.export_pdf)
        self.office_filter.currentIndexChanged.connect(lambda _i: self.refresh())

    # ---------------------------------------------------------------- the list

    def on_changed(self, changes: Changes) -> None:
        if changes.touches(*DATA_FLAGS):
            self.draft_pdfs.clear()  # drafts are rebuilt from the data: their previews are stale
        super().on_changed(changes)

    def refresh(self) -> None:
        ws, office = self.ctx.ws, self.office_filter.office_id()
        self.ctx.runner.query(lambda: load_office_scope(ws), self._set_scope)
        self.ctx.runner.query(lambda: load_notices(ws, office), self.show_notices)

    def _set_scope(self, scope: OfficeScope) -> None:
        self.scope = scope
        self.office_filter.set_scope(scope)
        self.view.setColumnHidden(OFFICE, not scope.county)

    def foreign_note(self, row: NoticeRow | None) -> str:
        return self.scope.foreign_note(row.notice.office_id if row else None)

    def current(self) -> NoticeRow | None:
        return current_of(self.view, self.rows)

    def show_notices(self, rows: list[NoticeRow]) -> None:
        previous = self.wanted_id or (self.current().id if self.current() else None)
        self.wanted_id = None
        self.rows = rows
        self.model.set_rows([(*r.values(), self.scope.name(r.notice.office_id)) for r in rows], rows)
        reselect(self.view, [r.id for r in rows], previous)
        self.show_selected()

    def select_notice(self, notice_id: str) -> None:
        ids = [r.id for r in self.rows]
        if notice_id in ids:
            self.view.selectRow(ids.index(notice_id))
        else:
            self.wanted_id = notice_id

    def update_buttons(self) -> None:
        row = self.current()
        for button in (self.preview_button, self.print_button, self.export_button):
            button.setEnabled(row is not None)
        self.publish_button.setEnabled(row is not None and not row.published)
        self.edit_button.setEnabled(row is not None and not row.published)
        self.correct_button.setEnabled(row is not None and row.published and row.notice.template != "correction")
        # at the county, a township's notices are read, never changed; none is made while one township is shown
        refuse_buttons(self.foreign_note(row), self.publish_button, self.edit_button, self.correct_button)
        self.new_button.setEnabled(True)
        refuse_buttons(self.office_filter.add_note(), self.new_button)
        if not (row and not row.published and self.foreign_note(row)):
            refuse_buttons("", self.preview_button, self.print_button, self.export_button)
        else:  # a township's draft is exported (sealed) only by that township
            refuse_buttons(self.foreign_note(row) + "草稿只有该单位可以导出和打印。", self.preview_button,
                           self.print_button, self.export_button)

    def show_selected(self) -> None:
        self.update_buttons()
        row = self.current()
        if row is None:
            self.details.setText("")
            self.preview.show_message(EMPTY)
            return
        self.details.setText(self._details(row))
        if row.published:
            path = archived_pdf(self.ctx.ws, row.notice)
            if self.preview.path != path:
                self._show_archived(row, path)
            return
        if self.foreign_note(row):  # exporting a draft seals it: that is its office's to do
            self.preview.show_message(self.foreign_note(row) + "这份公示还是草稿，发布后的公示随数据同步传来时可以在这里查看。")
            return
        cached = self.draft_pdfs.get(row.id)
        if cached is not None and cached.code == row.notice.verification_code:
            if self.preview.path != cached.path:
                self.preview.show_file(cached.path, f"草稿　核验码 {cached.code}")
            return
        if self.rendering != row.id:
            self._render_draft(row)

    def _details(self, row: NoticeRow) -> str:
        n = row.notice
        lines = [f"<b>{n.title}</b>", f"{notice_lookup.template_label(n.template)}　期间 {n.date_from} 至 {n.date_to}"
                 + (f"　公示期 {n.notice_start} 至 {n.notice_end}" if n.notice_start else "")
                 + f"　涵盖 {n.entry_count} 笔已记账分录"]
        if row.published:
            lines.append(f"编号 {n.number}，{n.published_on} 发布　核验码 {n.verification_code}")
        else:
            lines.append(f"草稿（尚未发布）　核验码 {n.verification_code}")
        if row.corrects:
            lines.append(f"这是对公示 {row.corrects} 的更正说明。")
        if row.corrected_by:
            lines.append("已发布更正说明：" + "、".join(row.corrected_by))
        return "<br>".join(lines)

    def _show_archived(self, row: NoticeRow, path: Path) -> None:
        if not path.is_file():
            self.preview.show_message(f"存档的公示文件 {path.name} 不见了。请点“核验…”检查这份公示，"
                                      "或从备份恢复工作区的 notices 文件夹。")
            return
        self.preview.show_file(path, f"已发布　编号 {row.notice.number}　核验码 {row.notice.verification_code}")

    # ---------------------------------------------------------------- draft previews

    def _render_draft(self, row: NoticeRow, then=None) -> None:
        """Export the draft into a temporary file and show it (then `then(path)`)."""
        self.rendering = row.id
        self.preview.show_message("正在生成预览…")
        ws, notice_id, out = self.ctx.ws, row.id, self.scratch.new("草稿")
        self.ctx.runner.run(lambda progress: export_draft(ws, notice_id, out, progress),
                            lambda pdf: self._draft_ready(pdf, row.notice.verification_code, then),
                            lambda exc: self._draft_failed(notice_id, exc),
                            progress_title="正在生成公示…", cancellable=True, parent=self)

    def _draft_ready(self, pdf: DraftPdf, old_code: str, then) -> None:
        self.rendering = None
        self.draft_pdfs[pdf.notice_id] = pdf
        if pdf.code != old_code:  # the data changed since: the draft was refreshed with a new code
            self.status.emit("草稿所依据的数据有变化，已按现在的数据重新生成，核验码随之更新。")
            self.refresh()
        current = self.current()
        if current is not None and current.id == pdf.notice_id:
            self.preview.show_file(pdf.path, f"草稿　核验码 {pdf.code}")
        if then is not None:
            then(pdf.path)

    def _draft_failed(self, notice_id: str, exc: BaseException) -> None:
        self.rendering = None
        current = self.current()
        if current is None or current.id != notice_id:
            return
        if isinstance(exc, DraftsInPeriod):
            self.preview.show_message(f"这份草稿的期间里现在有 {len(exc.drafts)} 笔未记账的草稿，无法按原样生成。"
                                      "请点“新建公示…”重新生成（可选择全部记账或不计入草稿）。")
        elif isinstance(exc, UserError):
            self.preview.show_message(f"{exc}\n\n处理后点“预览”重新生成，或点“新建公示…”重新选择。")
        else:
            self.preview.show_message("没有生成预览（已取消）。点“预览”重新生成。")

    def refresh_preview(self) -> None:
        row = self.current()
        if row is None:
            return
        self.draft_pdfs.pop(row.id, None)
        self.preview.release()
        self.show_selected()

    def with_pdf(self, row: NoticeRow, then) -> None:
        """`then(path)` with the selected notice's PDF: the archive, or a fresh preview of the draft."""
        if row.published:
            path = archived_pdf(self.ctx.ws, row.notice)
            if not path.is_file():
                prompts.show_error(self, f"存档的公示文件 {path.name} 不见了。请点“核验…”检查这份公示，"
                                   "或从备份恢复工作区的 notices 文件夹。")
                return
            then(path)
            return
        if self.foreign_note(row):  # exporting a draft seals it: that is its office's to do
            self.preview.show_message(self.foreign_note(row) + "这份公示还是草稿，发布后的公示随数据同步传来时可以在这里查看。")
            return
        cached = self.draft_pdfs.get(row.id)
        if cached is not None and cached.code == row.notice.verification_code:
            then(cached.path)
        else:
            self._render_draft(row, then)

    # ---------------------------------------------------------------- commands

    def new_notice(self, project_id: str | None = None, template: str = "fund-usage",
                   period: tuple[date, date] | None = None, request: NoticeRequest | None = None) -> NoticeBuilder:
        row = self.current()
        if project_id is None and row is not None:
            project_id = row.notice.project_id
        dialog = NoticeBuilder(self.ctx, self.scratch, self, project_id=project_id, template=template, period=period,
                               request=request)
        self.builder = dialog
        dialog.exported.connect(self._builder_exported)
        ws = self.ctx.ws
        self.ctx.runner.query(lambda: load_project_choices(ws), dialog.set_projects)
        dialog.open()
        return dialog

    def edit_draft(self) -> None:
        """修改草稿…: the builder with the selected draft's request (dates, phones, its wording edits)."""
        row = self.current()
        if row is None or row.published:
            return
        ws, notice_id = self.ctx.ws, row.id
        self.ctx.runner.query(lambda: load_request(ws, notice_id), lambda request: self.new_notice(request=request))

    def _builder_exported(self, result) -> None:
        """The builder exported a draft: its file is this draft's preview (no need to export it again)."""
        if not result.reprint_of:
            self.draft_pdfs[result.notice_id] = DraftPdf(result.notice_id, result.code, result.path, result.pages)
        self.select_notice(result.notice_id)

    def print_notice(self) -> None:
        row = self.current()
        if row is None:
            return
        if not pdf_preview.has_printer():
            if prompts.offer(self, "没有打印机", pdf_preview.NO_PRINTER, "导出 PDF…"):
                self.export_pdf()
            return
        self.with_pdf(row, lambda path: self._print(row, path))

    def _print(self, row: NoticeRow, path: Path) -> None:
        printer = pdf_preview.a4_printer()
        printer.setDocName(row.notice.title)
        try:
            pages = pdf_preview.page_count(path)
        except UserError as exc:  # QtPdf missing, or the file unreadable
            prompts.show_refusal(self, exc, "无法打印")
            return
        printer.setFromTo(1, pages)
        if not prompts.print_dialog(self, printer, pages):
            return
        self.ctx.runner.run(lambda progress: pdf_preview.print_pdf(path, printer, progress),
                            lambda sent: self.status.emit(f"已送往打印机“{printer.printerName() or printer.outputFileName()}”："
                                                          f"{sent} 页。"),
                            progress_title="正在打印公示…", cancellable=True, parent=self)

    def export_pdf(self) -> None:
        row = self.current()
        if row is None:
            return
        n = row.notice
        name = pdf_file_name(f"公示{n.number}" if row.published else "公示草稿", n.title)
        out = exports.ask_path(self.ctx, self, "导出公示 PDF", name, pdf=True)
        if out is None:
            return
        ws, told = self.ctx.ws, f"《{n.title}》"
        if row.published:
            source = archived_pdf(ws, n)
            self.ctx.runner.run(lambda _progress: copy_archived(source, out),
                                lambda _none: exports.exported(self, out, 0, f"公示 {n.number}{told}"),
                                progress_title=f"正在导出到 {out.name}…", parent=self)
            return
        self.ctx.runner.run(lambda progress: export_draft(ws, n.id, out, progress),
                            lambda pdf: exports.exported(self, out, pdf.pages,
                                                         f"公示草稿{told}（{pdf.pages} 页，核验码 {pdf.code}）"),
                            changes=NOTICES, progress_title=f"正在导出公示到 {out.name}…", cancellable=True, parent=self)

    def publish(self) -> None:
        row = self.current()
        if row is None or row.published:
            return
        if not prompts.confirm(self, "发布公示", publish_text(row.notice)):
            return
        ws, notice_id = self.ctx.ws, row.id
        self.ctx.runner.run(lambda _progress: notices.publish_notice(ws, notice_id), self._published,
                            changes=PUBLISHED, progress_title="正在发布公示…", parent=self)

    def _published(self, notice: Notice) -> None:
        self.select_notice(notice.id)
        prompts.show_info(self, f"已发布：公示编号 {notice.number}，发布日期 {notice.published_on}。"
                          f"PDF 已存档在工作区的 notices 文件夹。\n\n下一步：点“打印…”打印张贴；"
                          f"公示期（{notice.notice_start} 至 {notice.notice_end}）结束后，保留张贴的照片备查。", "已发布")

    def correct(self, text: str = "") -> None:
        row = self.current()
        if row is None or not row.published or row.notice.template == "correction":
            return
        n = row.notice
        text = prompts.ask_multiline(
            self, "更正说明", f"写明《{n.title}》（编号 {n.number}）哪里有误、正确的内容是什么。\n"
            "更正说明作为一份新的公示发布（有自己的编号和核验码），原公示保持不变；"
            "数据若在发布后有变化，变化会自动列在更正说明里。", text)
        if not text:
            return
        ws, notice_id = self.ctx.ws, row.id
        self.ctx.runner.run(lambda _progress: notices.publish_correction(ws, notice_id, text), self._corrected,
                            lambda exc: self._correction_failed(exc, text), changes=PUBLISHED,
                            progress_title="正在发布更正说明…", parent=self)

    def _corrected(self, notice: Notice) -> None:
        self.select_notice(notice.id)
        prompts.show_info(self, f"已发布更正说明：编号 {notice.number}。请点“打印…”打印，与原公示张贴在一起。", "已发布")

    def _correction_failed(self, exc: BaseException, text: str) -> None:
        if isinstance(exc, UserError):
            prompts.show_refusal(self, exc)
            self.correct(text)  # what was typed comes back, to fix and send again

    def verify(self, typed: str = "") -> None:
        target = prompts.ask_verification(self, typed)
        if target is None:
            return
        ws = self.ctx.ws
        self.ctx.runner.run(lambda _progress: notice_verify.verify_notice(ws, target), self._verified,
                            lambda exc: self._verify_failed(exc, target), progress_title="正在核验公示…", parent=self)

    def _verified(self, result: notice_verify.VerifyResult) -> None:
        self.select_notice(result.notice.id)
        self.verify_dialog = VerifyDialog(result, self)
        self.verify_dialog.open()

    def _verify_failed(self, exc: BaseException, target) -> None:
        if isinstance(exc, UserError):
            prompts.show_refusal(self, exc, "核验没有完成")
            self.verify("" if isinstance(target, Path) else str(target))

    def shutdown(self) -> None:
        self.preview.release()
        if self.builder is not None:
            self.builder.preview.release()
        self.scratch.cleanup()
