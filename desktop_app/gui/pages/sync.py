"""数据同步: in a township, its key fingerprint, the packages it exported (to a folder it picks) and which the
county acknowledged, the county's receipt imported and its review notes as a to-do list; in the county
(县级慈善会), every enrolled township's packages, enrolment (fingerprint compared by phone), the import of
packages after a dry run, receipts and review notes. Which side shows follows the workspace's level."""

from dataclasses import dataclass, field
from pathlib import Path

from PySide6.QtWidgets import (
    QGroupBox,
    QHeaderView,
    QLabel,
    QPushButton,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from desktop_app.core.changes import SYNC
from desktop_app.core.models import ReviewNote
from desktop_app.core.queries.sync import (
    OfficeSync,
    ReceivedPackage,
    SentPackage,
    TownshipSync,
    received_packages,
    sync_status,
    written_notes,
)
from desktop_app.core.services import county_sync, sync
from desktop_app.core.storage.files import shown_name, where
from desktop_app.core.storage.identity import local_office
from desktop_app.core.storage.workspace import Workspace
from desktop_app.core.sync import keys
from desktop_app.gui import prompts
from desktop_app.gui.attachment_files import local_time
from desktop_app.gui.pages.base import Page
from desktop_app.gui.sync_dialogs import FINGERPRINT_STYLE, EnrolDialog, SyncImportDialog, wrapping
from desktop_app.gui.table_model import RowsModel
from desktop_app.gui.widgets import (
    STRETCH,
    WARN_STYLE,
    current_of,
    heading,
    note,
    pane,
    row_of,
    splitter,
    table,
    wrapped_label,
)


@dataclass(frozen=True)
class SyncView:
    """What the page shows, read in the worker."""

    county: bool
    office: str
    association: str
    fingerprint: str  # this office's key ("" before its first key)
    township: TownshipSync | None = None
    offices: list[OfficeSync] = field(default_factory=list)


def load_sync(ws: Workspace) -> SyncView:
    with ws.reading() as s:
        office = local_office(s)
        status = sync_status(s)
        name, association = (office.name, office.association_name) if office else ("", "")
        if isinstance(status, TownshipSync):
            return SyncView(False, name, association, status.fingerprint, township=status)
        key = keys.current_key(s, office.id) if office else None
        return SyncView(True, name, association, keys.fingerprint(key.public_key) if key else "", offices=status)


def sent_row(p: SentPackage) -> tuple:
    return (f"第 {p.number} 号", "全量包" if p.full else "同步包", local_time(p.made_at), p.records, p.files,
            "已收到" if p.acknowledged else "还没有回执", p.file_name)


def note_row(n: ReviewNote) -> tuple:
    return ("已处理" if n.done_at else "待处理", n.text, n.label or "（总体意见）", local_time(n.written_at))


def office_row(o: OfficeSync) -> tuple:
    last = f"第 {o.last_number} 号" if o.last_number else "还没有导入"
    return (o.name, o.division_code, o.fingerprint + (f"（换过 {o.keys - 1} 次）" if o.keys > 1 else ""), last,
            local_time(o.last_made_at), local_time(o.last_received_at),
            "、".join(f"第 {n} 号" for n in o.missing) or "—",
            "、".join(f"第 {n} 号" for n in o.held) or "—", o.conflicts or "—")


def key_box(title: str, text: str) -> tuple[QGroupBox, QLabel, QLabel, QVBoxLayout]:
    """A box with the fingerprint, big, and a line saying what it is for."""
    box = QGroupBox(title)
    layout = QVBoxLayout(box)
    shown = QLabel("")
    shown.setStyleSheet(FINGERPRINT_STYLE)
    hint = note(text)
    layout.addWidget(shown)
    layout.addWidget(hint)
    return box, shown, hint, layout


class TownshipPanel(QWidget):
    """The township's side."""

    def __init__(self, page: "SyncPage"):
        super().__init__()
        self.page = page
        self.intro = note("")
        box, self.fingerprint, _hint, key_layout = key_box(
            "本单位公钥指纹", "县级慈善会登记本单位时会打电话核对这串数字，请逐组念给对方。")
        self.key_file_button = QPushButton("导出单位公钥文件…")
        self.renew_button = QPushButton("更换密钥…")
        key_layout.addLayout(row_of(self.key_file_button, self.renew_button, STRETCH))
        actions = QGroupBox("同步包和回执")
        self.export_button = QPushButton("导出同步包…")
        self.export_button.setDefault(True)
        self.full_button = QPushButton("导出全量包…")
        self.receipt_button = QPushButton("导入回执…")
        self.receipt_label = note("")
        column = QVBoxLayout(actions)
        column.addLayout(row_of(self.export_button, self.full_button, self.receipt_button, STRETCH))
        column.addWidget(self.receipt_label)
        self.sent_model = RowsModel(["编号", "类型", "导出时间", "记录", "文件", "县里", "文件名"], right=[3, 4],
                                    red=self._not_acknowledged)
        self.sent_view = table(self.sent_model, stretch=6)
        self.notes_model = RowsModel(["状态", "意见", "针对", "写于"], red=self._open_note)
        self.notes_view = wrapping(table(self.notes_model, stretch=1))
        self.notes_view.horizontalHeader().setSectionResizeMode(2, QHeaderView.ResizeMode.Interactive)
        self.notes_view.setColumnWidth(2, 180)  # 针对: a voucher number or an activity, wrapped
        self.done_button = QPushButton("标为已处理")
        self.undo_button = QPushButton("改回待处理")
        sent = pane(heading("已导出的同步包"), (self.sent_view, 1))
        notes = pane(heading("县级审核意见（待办）"), (self.notes_view, 1),
                     row_of((note("处理好一条，选中它点“标为已处理”。"), 1), self.done_button, self.undo_button))
        self.split = splitter(sent, notes, sizes=[560, 560])
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.intro)
        layout.addLayout(row_of((box, 2), (actions, 3)))
        layout.addWidget(self.split, 1)
        self.sent: list[SentPackage] = []
        self.notes: list[ReviewNote] = []
        self.export_button.clicked.connect(lambda: page.export_package(full=False))
        self.full_button.clicked.connect(lambda: page.export_package(full=True))
        self.receipt_button.clicked.connect(page.import_receipt)
        self.key_file_button.clicked.connect(page.export_key_file)
        self.renew_button.clicked.connect(page.renew_key)
        self.done_button.clicked.connect(lambda: page.mark_note(True))
        self.undo_button.clicked.connect(lambda: page.mark_note(False))
        self.notes_view.selectionModel().currentRowChanged.connect(lambda *_: self._enable())

    def _not_acknowledged(self, row: int, column: int) -> bool:
        return column == 5 and 0 <= row < len(self.sent) and not self.sent[row].acknowledged

    def _open_note(self, row: int, column: int) -> bool:
        return column == 0 and 0 <= row < len(self.notes) and not self.notes[row].done_at

    def fill(self, view: SyncView) -> None:
        status = view.township
        assert status is not None
        self.intro.setText(f"把本单位自上次以来的改动导出为一个签名的同步包，用 U 盘、共享文件夹或微信交给“{view.association}”。"
                           "县里导入后会写一份回执，拿回来点“导入回执…”，就能看到县里收到了哪些包和县里的审核意见。")
        self.fingerprint.setText(view.fingerprint or "（第一次导出时生成）")
        self.sent, self.notes = status.sent, status.notes
        self.sent_model.set_rows([sent_row(p) for p in status.sent])
        self.notes_model.set_rows([note_row(n) for n in status.notes], keys=[n.id for n in status.notes])
        self.notes_view.resizeRowsToContents()
        waiting = sum(1 for p in status.sent if not p.acknowledged)
        if status.county:
            text = f"最近一份回执：{status.county}，{local_time(status.receipt_made_at)} 写。"
        else:
            text = "还没有导入过县级慈善会的回执。"
        if not status.sent:
            text += "还没有导出过同步包：点“导出同步包…”，选 U 盘或要保存到的文件夹。"
        elif waiting:
            text += f"有 {waiting} 个包县里还没有回执：县里导入后请对方写回执。"
        open_notes = sum(1 for n in status.notes if not n.done_at)
        if open_notes:
            text += f"县级意见 {open_notes} 条待处理（见右下）。"
        self.receipt_label.setText(text)
        self._enable()

    def _enable(self) -> None:
        chosen = current_of(self.notes_view, self.notes)
        self.done_button.setEnabled(chosen is not None and not chosen.done_at)
        self.undo_button.setEnabled(chosen is not None and bool(chosen.done_at))


def received_row(p: ReceivedPackage) -> tuple:
    if p.status == "held":
        why = p.rewind or (f"缺第 {p.waiting_for} 号包：收到后自动导入" if p.waiting_for else "暂存")
        return (f"第 {p.number} 号", "暂存", local_time(p.made_at), local_time(p.received_at), "", "", "", why)
    return (f"第 {p.number} 号" + ("（全量）" if p.full else ""), "已导入", local_time(p.made_at),
            local_time(p.received_at), p.new, p.updated, len(p.conflicts), "；".join(p.conflicts))


def attention(offices: list[OfficeSync]) -> str:
    """What the county should see to, office by office, with what to do."""
    lines = []
    for o in offices:
        if o.missing:
            missing = "、".join(f"第 {n} 号" for n in o.missing)
            lines.append(f"{o.name}缺{missing}包（后面的包已暂存，收到后自动导入）：请向对方要{missing}包。")
        elif o.held:
            lines.append(f"{o.name}有暂存的包：见下方“收到的同步包”的说明。")
        if o.conflicts:
            lines.append(f"{o.name}的包里有 {o.conflicts} 条冲突（县里保留原样，没有覆盖）：见下方说明，请与对方核对。")
        if not o.last_number and not o.held:
            lines.append(f"{o.name}已登记，还没有导入它的同步包。")
    return "\n".join(lines[:4]) + ("\n……" if len(lines) > 4 else "")


class CountyPanel(QWidget):
    """The county's side."""

    def __init__(self, page: "SyncPage"):
        super().__init__()
        self.page = page
        self.intro = note("各乡镇（街道）、村（社区）把同步包交来后，先登记该单位（第一次，电话核对公钥指纹），再导入同步包；"
                          "导入前会先试导入，看清每个包会导入什么。导入后给该单位写回执，审核意见随回执发给对方。")
        self.enrol_button = QPushButton("登记单位…")
        self.import_button = QPushButton("导入同步包…")
        self.import_button.setDefault(True)
        self.folder_button = QPushButton("导入整个文件夹…")
        self.own_key = note("")
        self.model = RowsModel(["单位", "区划代码", "公钥指纹", "最新导入", "乡镇导出于", "县里导入于", "缺的编号", "暂存",
                                "冲突"], red=self._attention)
        self.view = table(self.model, stretch=0)
        self.receipt_button = QPushButton("写回执…")
        self.note_button = QPushButton("写审核意见…")
        self.rekey_button = QPushButton("更换公钥（重新登记）…")
        self.empty = note("")
        self.todo = wrapped_label(style=WARN_STYLE)
        self.received_model = RowsModel(["编号", "结果", "乡镇导出于", "县里导入于", "新增", "更新", "冲突", "说明"],
                                        right=[4, 5, 6], red=self._held)
        self.received_view = wrapping(table(self.received_model, stretch=7))
        self.notes_model = RowsModel(["意见", "写于"])
        self.notes_view = wrapping(table(self.notes_model, stretch=0))
        self.offices: list[OfficeSync] = []
        self.received: list[ReceivedPackage] = []
        self.shown_office = ""
        offices = pane(heading("各单位的同步情况"), self.empty, (self.view, 1), self.todo,
                       row_of(note("选中一个单位："), self.receipt_button, self.note_button, self.rekey_button, STRETCH))
        self.received_title = heading("收到的同步包")
        self.notes_title = heading("写给该单位的审核意见")
        details = splitter(pane(self.received_title, (self.received_view, 1)),
                           pane(self.notes_title, (self.notes_view, 1)), sizes=[700, 400])
        self.split = splitter(offices, details, sizes=[260, 240], vertical=True)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.intro)
        layout.addLayout(row_of(self.enrol_button, self.import_button, self.folder_button, STRETCH))
        layout.addWidget(self.split, 1)
        layout.addWidget(self.own_key)
        self.enrol_button.clicked.connect(lambda: page.enrol())
        self.import_button.clicked.connect(lambda: page.import_packages(folder=False))
        self.folder_button.clicked.connect(lambda: page.import_packages(folder=True))
        self.receipt_button.clicked.connect(page.write_receipt)
        self.note_button.clicked.connect(page.write_note)
        self.rekey_button.clicked.connect(lambda: page.enrol(rekey=True))
        self.view.selectionModel().currentRowChanged.connect(lambda *_: self._selected())

    def _attention(self, row: int, column: int) -> bool:
        if not 0 <= row < len(self.offices):
            return False
        o = self.offices[row]
        return (column == 6 and bool(o.missing)) or (column == 7 and bool(o.held)) or (column == 8 and o.conflicts > 0)

    def _held(self, row: int, column: int) -> bool:
        if not 0 <= row < len(self.received):
            return False
        p = self.received[row]
        return (p.status == "held" and column in (1, 7)) or (bool(p.conflicts) and column in (6, 7))

    def fill(self, view: SyncView) -> None:
        chosen = current_of(self.view, self.offices)
        self.offices = view.offices
        self.model.set_rows([office_row(o) for o in view.offices], keys=[o.office_id for o in view.offices])
        ids = [o.office_id for o in view.offices]
        self.empty.setText("" if ids else "还没有登记任何单位。点“登记单位…”，选乡镇交来的同步包或单位公钥文件，电话核对指纹后登记。")
        self.empty.setVisible(not ids)
        self.todo.setText(attention(view.offices))
        self.todo.setVisible(bool(self.todo.text()))
        self.own_key.setText(f"本会（{view.office}）的公钥指纹：{view.fingerprint or '（第一次写回执时生成）'}。"
                             "回执用它签名；乡镇导入第一份回执时记下它。")
        self.shown_office = ""
        if ids:
            self.view.selectRow(ids.index(chosen.office_id) if chosen and chosen.office_id in ids else 0)
        self._selected()

    def _selected(self) -> None:
        chosen = current_of(self.view, self.offices)
        for button in (self.receipt_button, self.note_button, self.rekey_button):
            button.setEnabled(chosen is not None)
        if chosen is None:
            self.show_details("", [], [])
        elif chosen.office_id != self.shown_office:
            self.shown_office = chosen.office_id
            self.page.load_details(chosen.office_id)

    def show_details(self, office_id: str, received: list[ReceivedPackage], notes: list[ReviewNote]) -> None:
        chosen = current_of(self.view, self.offices)
        if chosen is not None and chosen.office_id != office_id:
            return  # another office was selected meanwhile
        name = chosen.name if chosen else "所选单位"
        self.received_title.setText(f"收到{name}的同步包")
        self.notes_title.setText(f"写给{name}的审核意见")
        self.received = received
        self.received_model.set_rows([received_row(p) for p in received])
        self.notes_model.set_rows([((f"{n.label}：" if n.label else "") + n.text, local_time(n.written_at))
                                   for n in notes])
        for view in (self.received_view, self.notes_view):
            view.resizeRowsToContents()

    def selected(self) -> OfficeSync | None:
        return current_of(self.view, self.offices)


class SyncPage(Page):
    title = "数据同步"
    watches = ("sync",)

    def __init__(self, ctx, parent=None):
        super().__init__(ctx, parent)
        self.data: SyncView | None = None
        self.dialog: EnrolDialog | SyncImportDialog | None = None
        self.township = TownshipPanel(self)
        self.county = CountyPanel(self)
        self.loading = note("正在读取同步情况…")
        self.stack = QStackedWidget()
        for widget in (self.loading, self.township, self.county):
            self.stack.addWidget(widget)
        layout = QVBoxLayout(self)
        layout.addWidget(heading("数据同步"))
        layout.addWidget(self.stack, 1)

    def refresh(self) -> None:
        ws = self.ctx.ws
        self.ctx.runner.query(lambda: load_sync(ws), self.show_data)

    def load_details(self, office_id: str) -> None:
        """The packages received from the office selected and the notes written to it (county)."""
        ws = self.ctx.ws

        def read() -> tuple[list[ReceivedPackage], list[ReviewNote]]:
            with ws.reading() as s:
                return received_packages(s, office_id), written_notes(s, office_id)

        self.ctx.runner.query(read, lambda got: self.county.show_details(office_id, *got))

    def show_data(self, data: SyncView) -> None:
        self.data = data
        panel = self.county if data.county else self.township
        panel.fill(data)
        self.stack.setCurrentWidget(panel)

    # ---------------------------------------------------------------- township

    def export_package(self, full: bool = False) -> None:
        if full and not prompts.confirm(self, "导出全量包", "全量包带有本单位的全部数据，比平时的同步包大得多。"
                                        "只在县级慈善会要求重新发全部数据时才需要（例如县里的数据丢了）。\n\n要导出全量包吗？"):
            return
        folder = prompts.choose_sync_folder(self, "选择同步包保存到哪里（例如 U 盘）")
        if folder is None:
            return
        ws = self.ctx.ws
        self.ctx.runner.run(lambda _progress: sync.export_package(ws, folder, full=full), self._exported,
                            changes=SYNC, progress_title="正在导出同步包…")

    def _exported(self, made: sync.Exported) -> None:
        kind = "全量包" if made.full else "同步包"
        if prompts.offer_open_folder(
                self, f"已导出第 {made.number} 号{kind}：{made.records} 条记录、{made.files} 个文件（凭证、照片、公示）。\n"
                      f"保存在文件夹“{shown_name(made.path.parent)}”，文件名“{made.path.name}”。\n\n"
                      "请把这个文件交给县级慈善会（U 盘、共享文件夹或微信都可以）。县里导入后会写一份回执，"
                      "拿回来后点“导入回执…”。", title="同步包已导出", details=where(made.path)):
            prompts.open_folder(made.path.parent)

    def import_receipt(self) -> None:
        path = prompts.open_sync_file(self, "选择县级慈善会的回执")
        if path is None:
            return
        ws = self.ctx.ws
        self.ctx.runner.run(lambda: sync.import_receipt(ws, path), self._receipt_imported, changes=SYNC)

    def _receipt_imported(self, got: sync.ReceiptImported) -> None:
        applied = "、".join(f"第 {n} 号" for n, status in got.packages if status == "applied") or "（还没有）"
        held = "、".join(f"第 {n} 号" for n, status in got.packages if status == "held")
        text = f"已导入{got.county}的回执：县里已导入{applied}包。"
        if held:
            text += f"{held}包县里暂存着，在等前面缺的包：请把缺的包交给县里。"
        if got.new_notes:
            text += f"\n\n县里有 {got.new_notes} 条新的审核意见，列在“县级审核意见（待办）”里；处理好一条就点“标为已处理”。"
        else:
            text += "\n\n没有新的审核意见。"
        prompts.show_info(self, text, "回执已导入")

    def export_key_file(self) -> None:
        folder = prompts.choose_sync_folder(self, "选择单位公钥文件保存到哪里（例如 U 盘）")
        if folder is None:
            return
        ws = self.ctx.ws
        self.ctx.runner.run(lambda: sync.export_key_file(ws, folder), self._key_file_written, changes=SYNC)

    def _key_file_written(self, path: Path) -> None:
        fingerprint = self.data.fingerprint if self.data else ""
        if prompts.offer_open_folder(
                self, f"已把单位公钥文件保存到文件夹“{shown_name(path.parent)}”，文件名“{path.name}”。\n\n"
                      "请把它交给县级慈善会登记本单位。县里登记时会打电话核对公钥指纹，请把本页上的指纹逐组念给对方"
                      + (f"：{fingerprint}。" if fingerprint else "。"), title="单位公钥文件已导出", details=where(path)):
            prompts.open_folder(path.parent)

    def renew_key(self) -> None:
        if not prompts.confirm(self, "更换密钥", "更换后，现在的密钥停用，本单位以后导出的同步包用新的密钥签名；以前导出的包仍然有效。\n\n"
                               "县级慈善会必须先重新登记本单位（电话核对新的公钥指纹），才能导入更换之后的同步包。\n\n"
                               "只有担心密钥被别人拿到时（例如电脑丢失、工作区被别人复制过）才需要更换。确定更换吗？"):
            return
        ws = self.ctx.ws
        self.ctx.runner.run(lambda: sync.office_key(ws, renew=True), self._renewed, changes=SYNC)

    def _renewed(self, info: sync.KeyInfo) -> None:
        if prompts.offer(self, "密钥已更换", f"已换用新的密钥。新的公钥指纹：\n{info.fingerprint}\n\n"
                         "请把单位公钥文件（或下一个同步包）交给县级慈善会，并打电话请对方重新登记本单位、逐组核对新的指纹。",
                         "导出单位公钥文件…"):
            self.export_key_file()

    def mark_note(self, done: bool) -> None:
        chosen = current_of(self.township.notes_view, self.township.notes)
        if chosen is None:
            return
        ws, note_id = self.ctx.ws, chosen.id
        self.ctx.runner.run(lambda: sync.mark_note_done(ws, note_id, done=done),
                            lambda _n: self.ctx.runner.message.emit("已标为已处理。" if done else "已改回待处理。"),
                            changes=SYNC)

    # ---------------------------------------------------------------- county

    def enrol(self, rekey: bool = False) -> EnrolDialog | None:
        chosen = self.county.selected() if rekey else None
        title = (f"选择“{chosen.name}”新的单位公钥文件或同步包" if chosen else "选择要登记的单位交来的同步包或单位公钥文件")
        path = prompts.open_sync_file(self, title)
        if path is None:
            return None
        dialog = EnrolDialog(self.ctx, path, self, expected=chosen.name if chosen else "")
        dialog.accepted.connect(lambda: self._enrolled(dialog, path))
        self.dialog = dialog
        dialog.open()
        return dialog

    def _enrolled(self, dialog: EnrolDialog, path: Path) -> None:
        done, signer = dialog.enrolled, dialog.signer
        if done is None:
            return
        words = {"enrolled": f"已登记“{done.office}”。", "already": f"“{done.office}”早已用这个公钥登记过，没有改动。",
                 "rekeyed": f"已更换“{done.office}”的公钥：旧公钥停用，以前用它签的包仍可核验。"}[done.status]
        if signer is not None and signer.number:
            if prompts.offer(self, "登记完成", words + "\n\n现在可以导入它交来的这个同步包。", "导入这个同步包…"):
                self.open_import([path])
            return
        prompts.show_info(self, words + "\n\n对方交来同步包后，点“导入同步包…”导入。", "登记完成")

    def import_packages(self, folder: bool = False) -> SyncImportDialog | None:
        if folder:
            chosen = prompts.choose_sync_folder(self, "选择放着同步包的文件夹（例如 U 盘）")
            paths = [chosen] if chosen is not None else []
        else:
            paths = prompts.open_sync_files(self, "选择要导入的同步包（可以选多个）")
        if not paths:
            return None
        return self.open_import(paths)

    def open_import(self, paths: list[Path]) -> SyncImportDialog:
        dialog = SyncImportDialog(self.ctx, paths, self)
        self.dialog = dialog
        dialog.open()
        return dialog

    def write_receipt(self) -> None:
        chosen = self.county.selected()
        if chosen is None:
            return
        folder = prompts.choose_sync_folder(self, f"选择给“{chosen.name}”的回执保存到哪里（例如 U 盘）")
        if folder is None:
            return
        ws, office_id = self.ctx.ws, chosen.office_id
        self.ctx.runner.run(lambda: county_sync.write_receipt(ws, office_id, folder),
                            lambda path: self._receipt_written(chosen.name, path), changes=SYNC)

    def _receipt_written(self, name: str, path: Path) -> None:
        if prompts.offer_open_folder(
                self, f"已写好给“{name}”的回执，保存在文件夹“{shown_name(path.parent)}”，文件名“{path.name}”。\n\n"
                      "请把它交给该单位，在对方的“数据同步”页点“导入回执…”。回执里有县里收到的包和写给对方的审核意见。",
                title="回执已写好", details=where(path)):
            prompts.open_folder(path.parent)

    def write_note(self) -> None:
        chosen = self.county.selected()
        if chosen is None:
            return
        text = prompts.ask_multiline(self, "写审核意见", f"给“{chosen.name}”的审核意见（随下一份回执发给对方），"
                                     "例如“3 月的凭证不清晰，请补扫”：")
        if text is None:
            return
        ws, office_id, name = self.ctx.ws, chosen.office_id, chosen.name
        self.ctx.runner.run(lambda: county_sync.add_review_note(ws, office_id, text),
                            lambda _n: prompts.show_info(self, f"已记下给“{name}”的审核意见。写回执时会一起发给对方："
                                                               "选中该单位，点“写回执…”。", "意见已记下"),
                            changes=SYNC)
