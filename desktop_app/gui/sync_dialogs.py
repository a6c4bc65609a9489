"""The county's two 数据同步 dialogs.

登记单位: the office and the key fingerprint a package or key file was signed with, shown big; the user phones
the township, compares group by group (typing what was read out, or ticking that it matched), then enrols.

导入同步包: the packages chosen are first imported as a dry run in the worker (nothing changes) and each one's
outcome shown — 将导入/无改动/暂存/拒收, its counts and the reason; 确认导入 then imports them for real and the
table shows what was done."""

import unicodedata
from pathlib import Path

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QLabel,
    QLineEdit,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from desktop_app.core.changes import SYNC, SYNC_IMPORTED
from desktop_app.core.errors import UserError
from desktop_app.core.services import county_sync
from desktop_app.core.services.county_sync import Enrolled, PackageResult, Signer
from desktop_app.gui.screen_fit import fit_window
from desktop_app.gui.table_model import RowsModel
from desktop_app.gui.widgets import ERROR_STYLE, OK_STYLE, heading, note, show_result, table, wrapped_label

FINGERPRINT_STYLE = "font-size: 18pt; font-weight: bold; color: #1a5276; letter-spacing: 2px;"
OFFICE_STYLE = "font-size: 15pt; font-weight: bold; color: #2c3e50;"
STATUS_WORDS = {"applied": "已导入", "unchanged": "无改动", "held": "暂存", "refused": "拒收"}
DRY_STATUS_WORDS = dict(STATUS_WORDS, applied="将导入")


def wrapping(view: QTableView) -> QTableView:
    """A table whose long cells wrap: its rows grow again whenever a column's width changes."""
    view.setWordWrap(True)
    later = QTimer(view)  # once the header has laid out all its sections
    later.setSingleShot(True)
    later.setInterval(0)
    later.timeout.connect(view.resizeRowsToContents)
    view.horizontalHeader().sectionResized.connect(lambda *_args: later.start())
    view.model().modelReset.connect(later.start)
    return view


def digits(text: str) -> str:
    """The digits of a fingerprint as typed: spaces, dashes and full-width digits do not matter."""
    return "".join(ch for ch in unicodedata.normalize("NFKC", text) if ch.isdigit())


class EnrolDialog(QDialog):
    """登记单位 from a package or key file: read in the worker, compared by phone, then enrolled."""

    def __init__(self, ctx, path: Path, parent: QWidget | None = None, expected: str = ""):
        super().__init__(parent)
        self.setWindowTitle(f"更换“{expected}”的公钥" if expected else "登记单位")
        self.ctx, self.path, self.expected = ctx, path, expected
        self.signer: Signer | None = None
        self.enrolled: Enrolled | None = None
        self.file_label = note(f"文件：{path.name}")
        self.office_label = wrapped_label("正在读取文件…", OFFICE_STYLE)
        self.detail_label = note("")
        self.fingerprint_label = QLabel("")
        self.fingerprint_label.setStyleSheet(FINGERPRINT_STYLE)
        self.fingerprint_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.how = wrapped_label()
        self.typed = QLineEdit()
        self.typed.setPlaceholderText("对方念的指纹，例如 4821 0937 5562 1180 3374")
        self.check = wrapped_label()
        self.confirmed = QCheckBox("我已电话逐组核对过，对方念的和上面的指纹完全一致")
        self.message = wrapped_label(style=ERROR_STYLE)
        self.buttons = QDialogButtonBox()
        self.enrol_button = self.buttons.addButton("核对一致，登记", QDialogButtonBox.ButtonRole.AcceptRole)
        self.buttons.addButton("取消", QDialogButtonBox.ButtonRole.RejectRole)
        self.enrol_button.setEnabled(False)
        self.buttons.accepted.connect(self.enrol)
        self.buttons.rejected.connect(self.reject)
        self.typed.textChanged.connect(self._compare)
        self.confirmed.toggled.connect(self._compare)
        for widget in (self.typed, self.confirmed):
            widget.setEnabled(False)
        layout = QVBoxLayout(self)
        for widget in (self.file_label, self.office_label, self.detail_label, heading("公钥指纹"),
                       self.fingerprint_label, self.how, self.typed, self.check, self.confirmed, self.message):
            layout.addWidget(widget)
        layout.addStretch()
        layout.addWidget(self.buttons)
        fit_window(self, 620, 520)
        ctx.runner.run(lambda: county_sync.read_signer(path), self.show_signer, self.show_refusal, parent=self)

    def show_signer(self, signer: Signer) -> None:
        self.signer = signer
        self.office_label.setText(signer.office)
        what = f"第 {signer.number} 号同步包" if signer.number else signer.kind
        self.detail_label.setText(f"{signer.level or '单位'}，所属{signer.association or '（未填写）'}；这是它的{what}。")
        self.fingerprint_label.setText(signer.fingerprint)
        self.how.setText(f"请打电话给“{signer.office}”，请对方打开本程序的“数据同步”页，逐组念出“本单位公钥指纹”。"
                         "把对方念的数字输入下面（空格、横线不用管），或逐组核对一致后勾选下面一项，再点“核对一致，登记”。"
                         "指纹不一致时不要登记：这个文件可能不是该单位发出的。")
        for widget in (self.typed, self.confirmed):
            widget.setEnabled(True)
        if self.expected and signer.office != self.expected:
            self.message.setText(f"注意：这个文件来自“{signer.office}”，不是所选的“{self.expected}”。"
                                 "如选错了文件，请点“取消”重新选。")
        self.typed.setFocus()

    def show_refusal(self, exc: BaseException) -> None:
        self.office_label.setText("无法登记")
        self.message.setText(str(exc) if isinstance(exc, UserError) else "读取文件时出错，请重试。")

    def _compare(self) -> None:
        if self.signer is None:
            return
        typed, wanted = digits(self.typed.text()), digits(self.signer.fingerprint)
        if not typed:
            self.check.setText("")
            self.enrol_button.setEnabled(self.confirmed.isChecked())
            return
        if typed == wanted:
            show_result(self.check, "✓ 与文件里的指纹一致，可以登记。", error=False)
        elif len(typed) < len(wanted) and wanted.startswith(typed):
            self.check.setStyleSheet(OK_STYLE)
            self.check.setText(f"前 {len(typed)} 位一致，请继续输入。")
        else:
            show_result(self.check, "✗ 与文件里的指纹不一致。请再电话核对一次；确实不一致时不要登记这个文件。", error=True)
        self.enrol_button.setEnabled(typed == wanted)

    def fingerprint(self) -> str:
        """What the user confirmed: the digits typed, else (ticked) the fingerprint shown."""
        if self.signer is None:
            return ""
        return self.typed.text() if digits(self.typed.text()) else self.signer.fingerprint

    def enrol(self) -> None:
        if self.signer is None or not self.enrol_button.isEnabled():
            return
        self.enrol_button.setEnabled(False)
        ws, path, typed = self.ctx.ws, self.path, self.fingerprint()

        def failed(exc: BaseException) -> None:
            self.message.setText(str(exc) if isinstance(exc, UserError) else "没有登记，请重试。")
            self._compare()

        def done(enrolled: Enrolled) -> None:
            self.enrolled = enrolled
            self.accept()

        self.ctx.runner.run(lambda: county_sync.enrol(ws, path, typed), done, failed, changes=SYNC, parent=self)


def follows_in_batch(result: PackageResult, results: list[PackageResult]) -> bool:
    """A dry run holds a package whose predecessor is in the same batch: the dry run did not really import
    the predecessor. The real import applies them in number order."""
    return result.status == "held" and not result.rewind and any(
        r.office == result.office and r.status == "applied" and r.number < result.number for r in results)


def result_rows(results: list[PackageResult], dry_run: bool) -> list[tuple]:
    words = DRY_STATUS_WORDS if dry_run else STATUS_WORDS
    rows = []
    for r in results:
        counted = r.status == "applied"
        why = "；".join(([r.reason] if r.reason else []) + r.conflicts)
        if dry_run and follows_in_batch(r, results):
            why = ("同一批里有它前面的包：试导入没有真的导入前面的包，所以这里显示暂存；"
                   "确认导入时按编号先导入前面的，再接着导入它（缺的编号都齐了才会导入）。")
        rows.append((r.office or "（读不出）", r.number or "", words.get(r.status, r.status),
                     r.new if counted else "", r.updated if counted else "", r.unchanged if counted else "",
                     len(r.conflicts) if counted else "", why, r.file))
    return rows


def summary_text(results: list[PackageResult], dry_run: bool) -> str:
    count = {s: sum(1 for r in results if r.status == s) for s in STATUS_WORDS}
    words = DRY_STATUS_WORDS if dry_run else STATUS_WORDS
    parts = "，".join(f"{words[s]} {n} 个" for s, n in count.items() if n)
    if not results:
        return "选的地方没有同步包（.zip 文件）。请检查选的文件或文件夹。"
    if dry_run:
        head = f"试导入的结果（还没有改动任何数据）：{parts}。"
        if not (count["applied"] or count["held"]):
            return head + "没有可以导入的包；拒收的原因见“说明”，请按说明处理后再导入。"
        if any(r.status == "held" and not r.rewind for r in results):
            head += "暂存的包缺前面的编号，导入后先存着，收到缺的包后自动导入。"
        if any(r.status == "held" and r.rewind for r in results):
            head += ("有单位从备份恢复过（见“说明”）：它的包先暂存。请电话与对方核对；核对后请对方导出全量包，"
                     "选它导入并勾选下面的“接受……”。")
        if count["refused"]:
            head += "拒收的包不会导入，原因见“说明”。"
        return head + "核对无误后点“确认导入”。"
    head = f"导入完成：{parts}。"
    if count["refused"]:
        head += "拒收的包没有改动任何数据，原因见“说明”。"
    return head + "可以在“数据同步”页给这些单位写回执。"


class SyncImportDialog(QDialog):
    """导入同步包: a dry run as soon as it opens, then 确认导入."""

    HEADERS = ["单位", "编号", "结果", "新增", "更新", "未变", "冲突", "说明", "文件"]

    def __init__(self, ctx, paths: list[Path], parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle("导入同步包")
        self.ctx, self.paths = ctx, list(paths)
        self.results: list[PackageResult] = []
        self.imported = False
        shown = "、".join(p.name for p in self.paths[:3]) + (f" 等 {len(self.paths)} 个" if len(self.paths) > 3 else "")
        self.summary = wrapped_label("正在试导入（只检查，不改动数据）…")
        self.model = RowsModel(self.HEADERS, right=[1, 3, 4, 5, 6], red=self._red)
        self.view = wrapping(table(self.model, stretch=7))
        self.buttons = QDialogButtonBox()
        self.import_button = self.buttons.addButton("确认导入", QDialogButtonBox.ButtonRole.AcceptRole)
        self.close_button = self.buttons.addButton("关闭", QDialogButtonBox.ButtonRole.RejectRole)
        self.import_button.setEnabled(False)
        self.buttons.accepted.connect(self.do_import)
        self.buttons.rejected.connect(self.reject)
        self.accept_rewind = QCheckBox("已与该单位电话核对：接受它从备份恢复后的账目，以它的全量包为准"
                                       "（县里此前收到、对方已没有的记录会被搁置，原包存档仍保留）")
        self.accept_rewind.setVisible(False)
        self.accept_rewind.toggled.connect(lambda _on: self.dry_run())
        self.runs = 0  # dry runs started: only the last one's result is shown
        layout = QVBoxLayout(self)
        layout.addWidget(note(f"选的是：{shown}"))
        layout.addWidget(self.summary)
        layout.addWidget(self.view, 1)
        layout.addWidget(self.accept_rewind)
        layout.addWidget(self.buttons)
        fit_window(self, 980, 520)
        self.dry_run()

    def _red(self, row: int, column: int) -> bool:
        if not 0 <= row < len(self.results):
            return False
        result = self.results[row]
        return column in (2, 7) and (result.status in ("refused", "held") or bool(result.conflicts))

    def dry_run(self) -> None:
        ws, paths, accept = self.ctx.ws, self.paths, self.accept_rewind.isChecked()
        self.import_button.setEnabled(False)
        show_result(self.summary, "正在试导入（只检查，不改动数据）…", error=False)
        self.runs += 1
        run = self.runs

        def latest(show):
            return lambda result: run == self.runs and show(result)

        self.ctx.runner.run(
            lambda _progress: county_sync.import_packages(ws, paths, dry_run=True, accept_rewind=accept),
            latest(lambda results: self.show_results(results, True)), latest(self.show_refusal),
            progress_title="正在检查同步包…", parent=self)

    def show_results(self, results: list[PackageResult], dry_run: bool) -> None:
        self.results = results
        self.model.set_rows(result_rows(results, dry_run))
        self.view.resizeRowsToContents()
        show_result(self.summary, summary_text(results, dry_run),
                    error=bool(results) and all(r.status == "refused" for r in results))
        can_import = dry_run and any(r.status in ("applied", "held") for r in results)
        self.import_button.setEnabled(can_import)
        self.import_button.setVisible(dry_run)
        rewound = any(r.rewind and r.status == "held" for r in results)  # a township restored an old backup
        self.accept_rewind.setVisible(dry_run and (rewound or self.accept_rewind.isChecked()))

    def show_refusal(self, exc: BaseException) -> None:
        show_result(self.summary, str(exc) if isinstance(exc, UserError) else "没有导入，请重试。", error=True)
        self.import_button.setEnabled(False)

    def do_import(self) -> None:
        if not self.import_button.isEnabled():
            return
        self.import_button.setEnabled(False)
        show_result(self.summary, "正在导入…", error=False)
        ws, paths, accept = self.ctx.ws, self.paths, self.accept_rewind.isChecked()

        def done(results: list[PackageResult]) -> None:
            self.imported = True
            self.show_results(results, False)
            applied = sum(1 for r in results if r.status == "applied")
            self.ctx.runner.message.emit(f"已导入 {applied} 个同步包。")

        self.ctx.runner.run(lambda _progress: county_sync.import_packages(ws, paths, accept_rewind=accept), done,
                            self.show_refusal,
                            changes=SYNC_IMPORTED, progress_title="正在导入同步包…", parent=self)
