"""Fast keyboard entry of one ledger entry (new draft, edit of a draft, or save-and-post).

Tab walks the fields in paper order; Enter saves a draft, Ctrl+Enter saves and posts. With
“保存后继续录入下一笔” the form clears for the next entry but keeps fund, date and type. Errors from the
core appear in red under the form and nothing typed is lost.

A donation's counterparty is asked to be a person (个人) or an organisation (单位, of one of its kinds): the kind
decides whether a public notice masks the name. A posting dated after this year asks for confirmation.
"""

from pathlib import Path

from PySide6.QtCore import Signal
from PySide6.QtGui import QDragEnterEvent, QDropEvent, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QFormLayout,
    QGridLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from desktop_app.core import vouchers
from desktop_app.core.changes import LEDGER
from desktop_app.core.errors import UserError
from desktop_app.core.models import COUNTERPARTY_KINDS, ENTRY_TYPES, EXPENSE_CLASSES, PAYMENT_METHODS
from desktop_app.core.money import capital_yuan, parse_amount, to_fen
from desktop_app.core.services import ledger
from desktop_app.core.services.ledger import EntryInput, FutureDate
from desktop_app.core.storage.files import check_source_file
from desktop_app.gui import posting, prompts, undo
from desktop_app.gui.context import AppContext
from desktop_app.gui.draft_attachments import DraftAttachments
from desktop_app.gui.lookups import Lookups
from desktop_app.gui.screen_fit import fit_window, scrolling_layout
from desktop_app.gui.widgets import (
    ERROR_STYLE,
    HINT_STYLE,
    IGNORED_BY_FORM_STATE,
    STRETCH,
    AsksBeforeClosing,
    combo,
    date_edit,
    editable_combo,
    fill,
    form_rows,
    pydate,
    qdate,
    read_form,
    row_of,
    select_data,
    show_result,
    wrapped_label,
)

TYPES = ("donation", "allocation", "expense")
# 个人 or 单位 (of its kind): the stored kinds of models.COUNTERPARTY_KINDS
KIND_ITEMS = [("", "（个人/单位）")] + [(k, k if k == "个人" else f"单位：{k}") for k in COUNTERPARTY_KINDS]


def confirm_future_date(parent, exc: FutureDate, day: str) -> bool:
    """Whether a posting the core refused for its date after this year (`FutureDate`: most often a typo, 2052
    for 2025) is meant: asked the same way by the entry dialog and the ledger page's 记账. `day`: YYYY-MM-DD."""
    return prompts.confirm(parent, "日期在今年之后", f"{exc}\n\n日期 {day} 没有填错，确定按它记账吗？")


class EntryDialog(AsksBeforeClosing, QDialog):
    saved = Signal(str)  # what happened, for the status bar

    def __init__(self, ctx: AppContext, lookups: Lookups, *, entry_id: str | None = None,
                 initial: EntryInput | None = None, parent: QWidget | None = None):
        super().__init__(parent)
        self._ctx, self._lookups, self._entry_id = ctx, lookups, entry_id
        self._before = initial if entry_id else None
        self._busy = False
        self.setWindowTitle("修改草稿" if entry_id else "新增分录")
        self.setAcceptDrops(True)
        self._build()
        self._fill_from(initial)
        self.amount.setFocus()
        self.mark_clean()  # closing asks only once something was typed

    # ---------------------------------------------------------------- layout

    def _build(self) -> None:
        self.fund = combo(self._lookups.funds)
        self.day = date_edit()
        self.entry_type = combo([(t, ENTRY_TYPES[t]) for t in TYPES])
        self.amount = QLineEdit()
        self.amount.setPlaceholderText("如 1234.5、1,234.50、3.5万")
        self.capital = QLabel(" ")
        self.capital.setStyleSheet(HINT_STYLE)
        self.summary = QLineEdit()
        self.summary.setPlaceholderText("如“购置慈善阵地桌椅”")
        self.category = QComboBox()
        self.expense_class = combo(list(EXPENSE_CLASSES))
        self.restriction = editable_combo("非限定（留空）")
        self.counterparty = QLineEdit()
        self.counterparty_kind = combo(KIND_ITEMS)
        self.counterparty_kind.setToolTip("对方是个人还是单位：个人的姓名在公示中会打码（如 张*明），单位的名称照登")
        self.anonymous = QCheckBox("匿名捐赠（公示为“爱心人士”）")
        self.consent = QCheckBox("同意在公示中显示姓名")
        self.contact = QLineEdit()
        self.contact.setPlaceholderText("不会出现在任何公示中")
        self.payment = combo([("", "（未填）")] + [(m, m) for m in PAYMENT_METHODS])
        self.receipt_code = QLineEdit()
        self.receipt_no = QLineEdit()
        self.attachments = QListWidget()
        self.attachments.setMaximumHeight(72)
        self.add_attachment = QPushButton("添加附件…")
        self.remove_attachment = QPushButton("移除所选")

        left = form_rows(QFormLayout(), ("基金", self.fund), ("日期", self.day), ("类型", self.entry_type),
                         ("金额（元）", self.amount), ("", self.capital), ("摘要", self.summary),
                         ("业务类别", self.category), ("支出性质", self.expense_class), ("限定用途", self.restriction))
        self._right = right = form_rows(QFormLayout(), ("对方名称", self.counterparty), ("对方类型", self.counterparty_kind),
                          ("", self.anonymous), ("", self.consent), ("联系方式（不公开）", self.contact),
                          ("支付方式", self.payment), ("捐赠票据代码", self.receipt_code),
                          ("捐赠票据号码", self.receipt_no))
        grid = QGridLayout()
        grid.addLayout(left, 0, 0)
        grid.addLayout(right, 0, 1)
        grid.setColumnStretch(0, 3)
        grid.setColumnStretch(1, 2)
        grid.setHorizontalSpacing(24)

        files = row_of((self.attachments, 1), fill(QVBoxLayout(), self.add_attachment, self.remove_attachment, STRETCH))
        self.existing_attachments = DraftAttachments(self._ctx, self._entry_id)  # a draft's saved ones
        self.existing_attachments.message.connect(lambda text, error: self.show_message(text, error=error))

        self.message = wrapped_label()
        self.keep_going = QCheckBox("保存后继续录入下一笔")
        self.keep_going.setProperty(IGNORED_BY_FORM_STATE, True)
        self.keep_going.setChecked(self._entry_id is None)
        self.keep_going.setVisible(self._entry_id is None)
        self.save_button = QPushButton("保存草稿 (Enter)")
        self.save_button.setDefault(True)
        self.post_button = QPushButton("保存并记账 (Ctrl+Enter)")
        self.close_button = QPushButton("关闭")
        buttons = row_of(self.keep_going, STRETCH, self.save_button, self.post_button, self.close_button)

        body = QVBoxLayout()
        body.addLayout(grid)
        attach_label = QLabel("附件（发票、收据、签收单的扫描件或照片；可把文件拖到这个窗口上）")
        body.addWidget(attach_label)
        body.addLayout(files)
        body.addWidget(self.existing_attachments)
        scrolling_layout(self, body, self.message, buttons)  # a small screen scrolls the form, not the buttons

        order = [self.fund, self.day, self.entry_type, self.amount, self.summary, self.category,
                 self.expense_class, self.restriction, self.counterparty, self.counterparty_kind, self.anonymous,
                 self.consent, self.contact, self.payment, self.receipt_code, self.receipt_no, self.attachments,
                 self.add_attachment, self.remove_attachment, self.keep_going, self.save_button,
                 self.post_button, self.close_button]
        for first, second in zip(order, order[1:], strict=False):
            QWidget.setTabOrder(first, second)
        for edit in self.findChildren(QLineEdit):
            edit.setAcceptDrops(False)  # files dropped anywhere become attachments

        self.amount.textChanged.connect(self._show_capital)
        self.entry_type.currentIndexChanged.connect(self._type_changed)
        self.category.activated.connect(self._category_picked)
        self.counterparty_kind.currentIndexChanged.connect(self._kind_changed)
        self.fund.currentIndexChanged.connect(self._fund_changed)
        self.anonymous.toggled.connect(lambda on: self.consent.setEnabled(not on))
        self.add_attachment.clicked.connect(self._pick_files)
        self.remove_attachment.clicked.connect(self._remove_selected)
        self.save_button.clicked.connect(lambda: self.save(post=False))
        self.post_button.clicked.connect(lambda: self.save(post=True))
        self.close_button.clicked.connect(self.reject)
        for keys in ("Ctrl+Return", "Ctrl+Enter"):
            QShortcut(QKeySequence(keys), self, activated=lambda: self.save(post=True))
        fit_window(self, 900, key="entry")

    # ---------------------------------------------------------------- form state

    def _fill_from(self, data: EntryInput | None) -> None:
        if data is None:
            self._type_changed()
            self._fund_changed()
            return
        select_data(self.fund, data.fund_id)
        self.day.setDate(qdate(data.entry_date))
        select_data(self.entry_type, data.entry_type)
        self._type_changed()
        self._fund_changed()
        self._category_chosen = bool(data.category)
        self.amount.setText(f"{data.amount:,.2f}")
        self.summary.setText(data.summary)
        if data.category and self.category.findText(data.category) < 0:
            self.category.addItem(data.category)
        self.category.setCurrentText(data.category)
        if data.expense_class:
            self.expense_class.setCurrentText(data.expense_class)
        self.restriction.setCurrentText(data.restriction)
        self.counterparty.setText(data.counterparty_name)
        select_data(self.counterparty_kind, data.counterparty_kind)
        self.anonymous.setChecked(data.anonymous)
        self.consent.setChecked(data.publish_consent)
        self.contact.setText(data.counterparty_contact)
        select_data(self.payment, data.payment_method)
        self.receipt_code.setText(data.receipt_code)
        self.receipt_no.setText(data.receipt_no)

    def set_existing_attachments(self, count: int) -> None:
        """The draft has `count` saved attachments: list them (read in the worker), to open or remove."""
        if count:
            self.existing_attachments.load()
        else:
            self.existing_attachments.set_files([])

    _category_chosen = False  # picked by the user (or loaded): no longer follows the type and the giver

    def _type_changed(self) -> None:
        """The categories follow the type (a donation is not 项目拨款), with its usual one proposed; the
        donation-only fields show for donations only."""
        kind = self.entry_type.currentData()
        current = self.category.currentText()
        self.category.clear()
        self.category.addItems(self._lookups.categories_for(kind))
        if self._category_chosen and self.category.findText(current) >= 0:
            self.category.setCurrentText(current)
        else:
            self._category_chosen = False
            self.category.setCurrentText(self._lookups.default_category(kind, self.counterparty_kind.currentData()))
        self.expense_class.setEnabled(kind == "expense")
        for widget in (self.anonymous, self.consent, self.receipt_code, self.receipt_no):
            self._right.setRowVisible(widget, kind == "donation")

    def _category_picked(self) -> None:
        self._category_chosen = True

    def _kind_changed(self) -> None:
        kind = self.entry_type.currentData()
        if kind == "donation" and not self._category_chosen:
            self.category.setCurrentText(self._lookups.default_category(kind, self.counterparty_kind.currentData()))

    def _fund_changed(self) -> None:
        current = self.restriction.currentText()
        self.restriction.clear()
        self.restriction.addItems([""] + self._lookups.restrictions.get(self.fund.currentData(), []))
        self.restriction.setCurrentText(current)

    def _show_capital(self, text: str) -> None:
        if not text.strip():
            self.capital.setText(" ")
            self.capital.setStyleSheet(HINT_STYLE)
            return
        try:
            self.capital.setText("大写：" + capital_yuan(to_fen(parse_amount(text))))
            self.capital.setStyleSheet(HINT_STYLE)
        except UserError as exc:
            self.capital.setText(str(exc))
            self.capital.setStyleSheet(ERROR_STYLE)

    def attachment_paths(self) -> list[Path]:
        return [Path(self.attachments.item(i).text()) for i in range(self.attachments.count())]

    def add_files(self, paths: list[Path]) -> None:
        """Each file checked as saving will check it (a folder, an empty file, a text named .jpg, 50 MB+), so
        that a refused one never enters the list: found only at 保存, it had to be found and removed there."""
        known = set(self.attachment_paths())
        refused = []
        for path in paths:
            if path in known:
                continue
            try:
                check_source_file(path)
            except UserError as exc:
                refused.append(str(exc))
                continue
            self.attachments.addItem(str(path))
            known.add(path)
        if refused:
            self.show_message("下面的文件没有添加：\n" + "\n".join(refused), error=True)

    def _pick_files(self) -> None:
        self.add_files(prompts.open_files(self))

    def _remove_selected(self) -> None:
        for item in self.attachments.selectedItems():
            self.attachments.takeItem(self.attachments.row(item))

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        if event.mimeData().hasUrls() and any(u.isLocalFile() for u in event.mimeData().urls()):
            event.acceptProposedAction()

    def dropEvent(self, event: QDropEvent) -> None:
        self.add_files([Path(u.toLocalFile()) for u in event.mimeData().urls() if u.isLocalFile()])
        event.acceptProposedAction()

    def collect(self) -> EntryInput:
        """The form as an EntryInput; raises UserError for what the form itself can tell."""
        if self.fund.currentData() is None:
            raise UserError("还没有社区基金。请先到“社区基金”页新增一个基金。")
        if (self.entry_type.currentData() == "donation" and self.counterparty.text().strip()
                and not self.anonymous.isChecked() and not self.counterparty_kind.currentData()):
            self.counterparty_kind.setFocus()
            raise UserError("请在“对方名称”旁选择捐赠方是个人还是单位（企业、社会组织……）："
                            "个人的姓名在公示中会打码（如 张*明），单位的名称照登。")
        donation = self.entry_type.currentData() == "donation"  # the donation-only fields count for donations only
        return EntryInput(
            fund_id=self.fund.currentData(), entry_date=pydate(self.day.date()),
            entry_type=self.entry_type.currentData(), amount=parse_amount(self.amount.text()),
            summary=self.summary.text().strip(), category=self.category.currentText(),
            expense_class=self.expense_class.currentText() if self.entry_type.currentData() == "expense" else "",
            restriction=self.restriction.currentText().strip(), counterparty_name=self.counterparty.text().strip(),
            counterparty_kind=self.counterparty_kind.currentData(), anonymous=donation and self.anonymous.isChecked(),
            publish_consent=donation and self.consent.isChecked() and not self.anonymous.isChecked(),
            counterparty_contact=self.contact.text().strip(), payment_method=self.payment.currentData(),
            receipt_code=self.receipt_code.text().strip() if donation else "",
            receipt_no=self.receipt_no.text().strip() if donation else "",
            attachments=self.attachment_paths(),
        )

    def clear_for_next(self) -> None:
        """Ready for the next line of the paper: fund, date, type and category stay."""
        for edit in (self.amount, self.summary, self.counterparty, self.contact, self.receipt_code, self.receipt_no):
            edit.clear()
        self.restriction.setCurrentText("")
        self.counterparty_kind.setCurrentIndex(0)
        self.payment.setCurrentIndex(0)
        self.anonymous.setChecked(False)
        self.consent.setChecked(False)
        self.attachments.clear()
        self.amount.setFocus()
        self.mark_clean()

    def show_message(self, text: str, *, error: bool) -> None:
        show_result(self.message, text, error=error)

    # ---------------------------------------------------------------- saving

    def save(self, *, post: bool) -> None:
        if self._busy:
            return
        data = read_form(self.collect, self.message)
        if data is None:
            return
        if post and not posting.confirm_posting(self, f"记账：{data.summary}（{data.amount:,.2f} 元）"):
            self.show_message("没有记账，表单内容还在。", error=False)
            return
        self._submit(data, post, "")

    def _set_busy(self, busy: bool) -> None:
        self._busy = busy
        for button in (self.save_button, self.post_button):
            button.setEnabled(not busy)

    def _submit(self, data: EntryInput, post: bool, override_reason: str, future_ok: bool = False) -> None:
        ws, entry_id = self._ctx.ws, self._entry_id

        def work():
            if entry_id is None:
                return ledger.add_entry(ws, data, post=post, override_reason=override_reason,
                                       allow_future_date=future_ok)
            return ledger.update_draft(ws, entry_id, data, post=post, override_reason=override_reason,
                                       allow_future_date=future_ok)

        def retry(reason: str) -> None:
            self._set_busy(True)
            self._submit(data, post, reason, future_ok)

        def failed(exc: BaseException) -> None:
            self._set_busy(False)
            if isinstance(exc, FutureDate) and not future_ok:
                if confirm_future_date(self, exc, f"{data.entry_date:%Y-%m-%d}"):
                    self._set_busy(True)
                    self._submit(data, post, override_reason, True)
                else:
                    self.show_message("没有记账：" + str(exc), error=True)
                return
            if prompts.retry_with_override_reason(self, exc, override_reason, retry,
                                                  lambda: self.show_message("没有记账：" + str(exc), error=True)):
                return
            if isinstance(exc, UserError):
                self.show_message(str(exc), error=True)

        self._set_busy(True)
        self._ctx.runner.run(work, lambda entry: self._saved(data, entry, post), failed, changes=LEDGER)

    def _saved(self, data: EntryInput, entry, post: bool) -> None:
        self._set_busy(False)
        if post:
            undo.entry_posted(self._ctx.undo, entry.id)
            fund = dict(self._lookups.funds).get(data.fund_id, "")
            text = (f"已记账：{vouchers.fund_voucher(fund, vouchers.voucher_text(entry))}，{data.summary}。"
                    "记账不能撤销，如有错误请用“红字冲销”。")
        elif self._entry_id:
            self._ctx.undo.push(undo.edited(self._ctx, entry.id, self._before, data))
            text = f"已保存草稿：{data.summary}"
        else:
            self._ctx.undo.push(undo.added(self._ctx, entry.id, data.summary))
            text = f"已保存草稿：{data.summary}（可用 Ctrl+Z 撤销）"
        self.saved.emit(text)
        if self._entry_id is None and self.keep_going.isChecked():
            self.clear_for_next()
            self.show_message(text, error=False)
        else:
            self.accept()
