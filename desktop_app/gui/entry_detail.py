"""查看详情: one ledger entry, draft or posted, with every field in words, its place in the fund's chain,
the reversal link either way (clicking it shows that entry), the activities it pays for, and its
attachments listed, previewed and opened in the system's viewer (a temporary copy under the original name).
Read-only: a draft is changed in the entry dialog (修改草稿)."""

import html

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QDialog,
    QFormLayout,
    QGridLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from desktop_app.core.errors import UserError
from desktop_app.core.money import capital_yuan, format_yuan
from desktop_app.core.queries.entry_detail import EntryDetail, LinkedEntry, entry_detail
from desktop_app.core.vouchers import entry_type_label, fund_voucher
from desktop_app.gui import prompts
from desktop_app.gui.attachment_files import AttachmentTable, local_time, open_attachment, show_preview
from desktop_app.gui.screen_fit import fit_window, grow_within, scrolling_layout
from desktop_app.gui.widgets import HINT_STYLE, STRETCH, row_of, section_title, wrapped_label


def load_detail(ws, entry_id: str) -> EntryDetail:
    with ws.reading() as session:
        return entry_detail(session, entry_id)


def yes_no(value: bool) -> str:
    return "是" if value else "否"


def entry_link(link: LinkedEntry) -> str:
    name = html.escape(fund_voucher(link.fund_name, link.voucher))
    return f'<a href="{link.id}">{name}</a>（{link.entry_date}，{html.escape(link.summary)}）'


def field_rows(detail: EntryDetail) -> list[tuple[str, str]]:
    """The entry's fields in Chinese, in the order of the paper voucher."""
    e = detail.entry
    expense = e.entry_type == "expense" or (e.entry_type == "reversal" and e.flow == "out")
    rows = [
        ("基金", detail.fund_name),
        ("凭证号", detail.voucher or "（草稿，记账时按顺序编号）"),
        ("日期", f"{e.entry_date:%Y-%m-%d}"),
        ("类型", entry_type_label(e.entry_type)),
        ("金额", f"{format_yuan(e.amount_fen)}（{capital_yuan(abs(e.amount_fen))}）"),
        ("摘要", e.summary),
        ("业务类别", e.category or "（未填）"),
    ]
    if expense:
        rows.append(("支出性质", e.expense_class or "（未填）"))
    rows += [
        ("限定用途", e.restriction or "非限定"),
        ("对方名称", e.counterparty_name or "（未填）"),
        ("对方类型", e.counterparty_kind or "（未填）"),
        ("匿名", yes_no(e.anonymous)),
        ("公开同意", "同意在公示中显示姓名" if e.publish_consent else "未同意（公示中不显示姓名）"),
        ("联系方式（不公开）", e.counterparty_contact or "（未填）"),
        ("支付方式", e.payment_method or "（未填）"),
        ("票据", " ".join(part for part in (f"代码 {e.receipt_code}" if e.receipt_code else "",
                                            f"号码 {e.receipt_no}" if e.receipt_no else "") if part) or "（未填）"),
        ("状态", "已记账" if e.status == "posted" else "草稿（未记账）"),
        ("记账时间", local_time(e.posted_at) or "（未记账）"),
    ]
    if detail.batch_title:
        rows.append(("批量录入", detail.batch_title))
    if e.reversal_reason:
        rows.append(("冲销原因", e.reversal_reason))
    if e.override_reason:
        rows.append(("超额说明", e.override_reason))
    return rows


def chain_text(detail: EntryDetail) -> str:
    e = detail.entry
    if e.chain_seq is None:
        return "草稿不在记账链上：记账时接到本基金记账链的末尾。"
    return f"本基金记账链的第 {e.chain_seq} 条（记账后不能修改；改动会被“设置 › 数据校验”发现）。"


class EntryDetailDialog(QDialog):
    """The detail of one entry. `edit_requested(entry_id)` asks the ledger page to open a draft for editing."""

    edit_requested = Signal(str)

    def __init__(self, ctx, entry_id: str, parent: QWidget | None = None):
        super().__init__(parent)
        self.ctx = ctx
        self.entry_id = entry_id
        self.detail: EntryDetail | None = None
        self.setWindowTitle("分录详情")
        self._build()
        fit_window(self, 860, 640, key="entry-detail")
        self.show_entry(entry_id)

    # ---------------------------------------------------------------- layout

    def _build(self) -> None:
        self.heading = section_title("")
        self.fields = QFormLayout()
        self.fields.setLabelAlignment(Qt.AlignmentFlag.AlignRight)
        self.more_fields = QFormLayout()
        self.more_fields.setLabelAlignment(Qt.AlignmentFlag.AlignRight)
        for form in (self.fields, self.more_fields):
            form.setHorizontalSpacing(10)
        grid = QGridLayout()
        grid.addLayout(self.fields, 0, 0)
        grid.addLayout(self.more_fields, 0, 1)
        grid.setColumnStretch(0, 1)
        grid.setColumnStretch(1, 1)
        grid.setHorizontalSpacing(24)
        self.chain = wrapped_label(style=HINT_STYLE)
        self.reversal = wrapped_label()
        self.reversal.setTextFormat(Qt.TextFormat.RichText)
        self.reversal.linkActivated.connect(self.show_entry)
        self.activities = wrapped_label()
        self.attachments = AttachmentTable()
        self.attachments.setMinimumHeight(120)
        self.attachments.setMaximumHeight(220)
        self.preview = QLabel()
        self.preview.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.preview.setMinimumSize(240, 200)
        self.preview.setMaximumHeight(260)
        self.preview.setWordWrap(True)
        self.preview.setStyleSheet("border: 1px solid #d5d8dc; background: #fbfcfc;")
        self.open_button = QPushButton("打开")
        self.open_button.setToolTip("用电脑上的看图或 PDF 程序打开这个附件（打开的是一份只读副本）。")
        files = QGridLayout()
        files.addWidget(self.attachments, 0, 0)
        files.addWidget(self.preview, 0, 1)
        files.setColumnStretch(0, 1)
        files.setColumnStretch(1, 1)
        self.attachments_title = section_title("附件")

        body = QVBoxLayout()
        body.addWidget(self.heading)
        body.addLayout(grid)
        body.addWidget(self.chain)
        body.addWidget(self.reversal)
        body.addWidget(section_title("支付的活动"))
        body.addWidget(self.activities)
        body.addLayout(row_of(self.attachments_title, STRETCH, self.open_button))
        body.addLayout(files)

        self.message = wrapped_label()
        self.edit_button = QPushButton("修改草稿")
        self.close_button = QPushButton("关闭")
        self.close_button.setDefault(True)
        scrolling_layout(self, body, self.message, row_of(STRETCH, self.edit_button, self.close_button))
        self.attachments.itemSelectionChanged.connect(self._preview_current)
        self.attachments.doubleClicked.connect(lambda _index: self.open_current())
        self.open_button.clicked.connect(self.open_current)
        self.edit_button.clicked.connect(self._edit)
        self.close_button.clicked.connect(self.accept)

    # ---------------------------------------------------------------- data

    def show_entry(self, entry_id: str) -> None:
        """Read the entry (in the worker) and show it; the reversal link calls this with the other entry."""
        ws = self.ctx.ws

        def failed(exc: BaseException) -> None:
            if isinstance(exc, UserError):
                self.message.setText(str(exc))

        self.ctx.runner.query(lambda: load_detail(ws, entry_id), self.set_detail, failed)

    def set_detail(self, detail: EntryDetail) -> None:
        self.detail = detail
        self.entry_id = detail.entry.id
        e = detail.entry
        title = fund_voucher(detail.fund_name, detail.voucher)  # two funds may both have a 2024-0014
        self.setWindowTitle(f"分录详情 — {title}")
        self.heading.setText(f"{title}：{e.summary}")
        rows = field_rows(detail)
        half = (len(rows) + 1) // 2
        for form, part in ((self.fields, rows[:half]), (self.more_fields, rows[half:])):
            while form.rowCount():
                form.removeRow(0)
            for label, value in part:
                text = QLabel(value)
                text.setWordWrap(True)
                text.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
                form.addRow(f"{label}：", text)
        self.chain.setText(chain_text(detail))
        self.chain.setToolTip(f"链校验值：{e.chain_hash}" if e.chain_hash else "")
        links = []
        if detail.reverses:
            links.append("冲销了 " + entry_link(detail.reverses))
        if detail.reversed_by:
            links.append("被冲销于 " + entry_link(detail.reversed_by))
        self.reversal.setText("<br>".join(links))
        self.reversal.setVisible(bool(links))
        self.activities.setText("\n".join(f"{a.start_date}　{a.title}" for a in detail.activities)
                                or "（没有关联活动）")
        self.attachments_title.setText(f"附件（{len(detail.attachments)} 个）" if detail.attachments else "附件（无）")
        self.attachments.set_files(detail.attachments)
        self.open_button.setEnabled(bool(detail.attachments))
        self._preview_current()
        self.edit_button.setVisible(e.status == "draft")
        self.message.setText("")
        # the loaded entry may need more room than the empty form: grow once its layout has settled
        QTimer.singleShot(0, self, lambda: grow_within(self, self.sizeHint().height()))

    def _preview_current(self) -> None:
        show_preview(self.preview, self.ctx.ws, self.attachments.current_file())

    def open_current(self) -> None:
        file = self.attachments.current_file()
        if file is None:
            return
        try:
            open_attachment(self.ctx.ws, file)
        except UserError as exc:
            prompts.show_refusal(self, exc, "没有打开")
        except OSError:
            prompts.show_error(self, f"无法打开附件“{file.name}”。请确认电脑的临时文件夹可写后重试。", "没有打开")

    def _edit(self) -> None:
        if self.detail is not None and self.detail.entry.status == "draft":
            self.edit_requested.emit(self.detail.entry.id)
            self.accept()
