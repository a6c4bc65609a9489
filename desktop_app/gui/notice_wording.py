"""修改文字: the editable texts of a built notice, listed by heading, with an editor for the selected one.

The panel only shows and collects what is typed; the notice builder owns the request's edits and
rebuilds the preview when one is applied. The core checks and cleans an edit like any other text.
"""

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QStackedWidget,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from desktop_app.core.notices.wording import PART_NAMES, EditableText
from desktop_app.gui.widgets import ERROR_STYLE, HINT_STYLE, splitter

EDITED_MARK = "✎ "
WORDING_HINT = ("选中一段文字修改，点“应用”后重新生成预览。表格、金额、照片和项目资料来自台账，不能在这里改；"
                "修改中的电话号码和个人姓名同样会被隐去或打码。")
WORDING_EMPTY = "生成预览后，这里列出公示中可以修改的文字（项目说明、各部分小标题和项目效果的各条）。"
Spot = tuple[str, str]  # (key, part) of an editable text


def normalized(text: str) -> str:
    """A text as the core stores an edit: newlines unified, trimmed."""
    return text.replace("\r\n", "\n").replace("\r", "\n").strip()


def part_label(entry: EditableText) -> str:
    return PART_NAMES.get(entry.part, entry.part)


class WordingPanel(QWidget):
    """修改文字: the editable texts of the last built notice by heading, and an editor for the selected one.

    The panel only shows and collects: the builder owns the request's edits. What is typed and not yet
    applied is kept per text (`typed`), so moving to another text and back, or a failed rebuild, loses
    nothing."""

    apply_clicked = Signal()
    restore_clicked = Signal()
    drop_stale_clicked = Signal()

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.entries: dict[Spot, EditableText] = {}
        self.marked: set[Spot] = set()  # the texts with an edit in the request
        self.typed: dict[Spot, str] = {}  # typed and not applied
        self.spot: Spot | None = None  # the text in the editor
        self._loading = False
        self.hint = QLabel(WORDING_EMPTY)
        self.hint.setWordWrap(True)
        self.hint.setStyleSheet(HINT_STYLE)
        self.tree = QTreeWidget()
        self.tree.setHeaderHidden(True)
        self.tree.setIndentation(14)
        self.tree.setUniformRowHeights(True)
        self.tree.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.tree.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.title = QLabel("")
        self.title.setWordWrap(True)
        self.multi = QPlainTextEdit()
        self.single = QLineEdit()
        self.editor = QStackedWidget()
        self.editor.addWidget(self.multi)
        self.editor.addWidget(self.single)
        self.counter = QLabel("")
        self.restore_button = QPushButton("恢复原文")
        self.restore_button.setToolTip("去掉这处修改，重新生成时印回由台账和活动记录生成的原文。")
        self.apply_button = QPushButton("应用")
        self.apply_button.setToolTip("把修改后的文字用到公示草稿里，并重新生成预览。")
        self.message = QLabel("")
        self.message.setWordWrap(True)
        self.message.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.notes = QLabel("")
        self.notes.setWordWrap(True)
        self.notes.setStyleSheet(ERROR_STYLE)
        self.notes.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.drop_stale_button = QPushButton("")
        self.drop_stale_button.setToolTip("从草稿里删去已用不上的修改（它们的活动或段落已不在这份公示中）。")
        self.drop_stale_button.hide()

        row = QHBoxLayout()
        row.addWidget(self.counter)
        row.addStretch()
        row.addWidget(self.restore_button)
        row.addWidget(self.apply_button)
        bottom = QWidget()
        column = QVBoxLayout(bottom)
        column.setContentsMargins(0, 0, 0, 0)
        column.addWidget(self.title)
        column.addWidget(self.editor, 1)
        column.addLayout(row)
        split = splitter(self.tree, bottom, stretch=(1, 1), vertical=True)
        split.setChildrenCollapsible(False)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(self.hint)
        layout.addWidget(split, 1)
        layout.addWidget(self.message)
        layout.addWidget(self.notes)
        stale_row = QHBoxLayout()
        stale_row.addStretch()
        stale_row.addWidget(self.drop_stale_button)
        layout.addLayout(stale_row)
        self.tree.currentItemChanged.connect(lambda item, _previous: self._selected(item))
        self.multi.textChanged.connect(self._typing)
        self.single.textChanged.connect(self._typing)
        self.apply_button.clicked.connect(self.apply_clicked)
        self.restore_button.clicked.connect(self.restore_clicked)
        self.drop_stale_button.clicked.connect(self.drop_stale_clicked)
        self.clear()

    # ---------------------------------------------------------------- what is shown

    def clear(self, hint: str = WORDING_EMPTY) -> None:
        """No notice built (yet, or for the project now chosen): nothing to edit."""
        self._remember()
        self.entries, self.marked, self.spot = {}, set(), None
        self.tree.clear()
        self.hint.setText(hint)
        self.show_notes([])
        self.show_stale(0)
        self.say("")
        self._show_editor(None)

    def show_texts(self, texts: list[EditableText], marked: set[Spot], notes: list[str], *,
                   done: Spot | None = None) -> None:
        """The texts of a freshly built notice; the one being edited stays selected. `done`: the text
        whose edit was just applied or dropped (it shows as built now, no longer as typed)."""
        self._remember()
        self.typed.pop(done, None)
        keep = self.spot
        self.entries = {(t.key, t.part): t for t in texts}
        self.marked = set(marked)
        self.hint.setText(WORDING_HINT if texts else "这份公示没有可以修改的文字。")
        self.tree.blockSignals(True)
        self.tree.clear()
        groups: dict[str, QTreeWidgetItem] = {}
        items: dict[str, QTreeWidgetItem] = {}
        for entry in texts:
            group = groups.get(entry.group)
            if group is None:
                group = groups[entry.group] = QTreeWidgetItem(self.tree, [entry.group or "公示开头"])
                group.setFlags(Qt.ItemFlag.ItemIsEnabled)
                group.setToolTip(0, entry.group)
            parent = group
            if entry.key.startswith("item:"):  # an item: its 标题句 and 正文 under its number
                parent = items.get(entry.key)
                if parent is None:
                    parent = items[entry.key] = QTreeWidgetItem(group, [entry.label])
                    parent.setData(0, Qt.ItemDataRole.UserRole, (entry.key, "body"))
                    parent.setToolTip(0, entry.label)
                leaf = QTreeWidgetItem(parent, [f"{part_label(entry)}：{' '.join(entry.text.split()) or '（空）'}"])
            else:
                leaf = QTreeWidgetItem(parent, [entry.label])
            leaf.setData(0, Qt.ItemDataRole.UserRole, (entry.key, entry.part))
            leaf.setToolTip(0, entry.text)
        self.tree.expandAll()
        self._mark_all()
        self.tree.blockSignals(False)
        self.spot = None
        self.show_notes(notes)
        if keep in self.entries:
            self.select(*keep)
        else:
            self._show_editor(None)

    def show_notes(self, notes: list[str]) -> None:
        self.notes.setText("\n".join(notes))
        self.notes.setVisible(bool(notes))

    def show_stale(self, count: int) -> None:
        """Edits kept in the request that the notice no longer has a place for: offer to drop them."""
        self.drop_stale_button.setText(f"删去不适用的修改（{count} 处）")
        self.drop_stale_button.setVisible(count > 0)

    def say(self, text: str, style: str = ERROR_STYLE) -> None:
        self.message.setStyleSheet(style)
        self.message.setText(text)
        self.message.setVisible(bool(text))

    def _mark_all(self) -> None:
        for item in self._items():
            spot = item.data(0, Qt.ItemDataRole.UserRole)
            if item.childCount():  # an item's node: marked when its lead or body is
                edited = any(c.data(0, Qt.ItemDataRole.UserRole) in self.marked for c in self._children(item))
            else:
                edited = spot in self.marked
            text = item.text(0).removeprefix(EDITED_MARK)
            item.setText(0, EDITED_MARK + text if edited else text)
            font = item.font(0)
            font.setBold(edited)
            item.setFont(0, font)

    def _items(self) -> list[QTreeWidgetItem]:
        out, stack = [], [self.tree.topLevelItem(i) for i in range(self.tree.topLevelItemCount())]
        while stack:
            item = stack.pop(0)
            if item.data(0, Qt.ItemDataRole.UserRole):
                out.append(item)
            stack += self._children(item)
        return out

    @staticmethod
    def _children(item: QTreeWidgetItem) -> list[QTreeWidgetItem]:
        return [item.child(i) for i in range(item.childCount())]

    def item_of(self, key: str, part: str) -> QTreeWidgetItem | None:
        return next((i for i in self._items() if not i.childCount()
                     and i.data(0, Qt.ItemDataRole.UserRole) == (key, part)), None)

    def is_marked(self, key: str, part: str) -> bool:
        item = self.item_of(key, part)
        return item is not None and item.text(0).startswith(EDITED_MARK) and item.font(0).bold()

    # ---------------------------------------------------------------- the editor

    def select(self, key: str, part: str) -> bool:
        item = self.item_of(key, part)
        if item is not None:
            self.tree.setCurrentItem(item)
            self.tree.scrollToItem(item)
        return item is not None

    def current(self) -> EditableText | None:
        return self.entries.get(self.spot) if self.spot else None

    def text(self) -> str:
        entry = self.current()
        if entry is None:
            return ""
        return self.multi.toPlainText() if entry.multiline else self.single.text()

    def set_text(self, text: str) -> None:
        """Put `text` in the editor of the selected text (as if typed)."""
        entry = self.current()
        if entry is not None:
            (self.multi.setPlainText if entry.multiline else self.single.setText)(text)

    def reload(self) -> None:
        """Show the selected text again (as typed if still pending, else as built)."""
        self._show_editor(self.current())

    def applied(self) -> None:
        """The selected text's edit was applied or dropped: what was typed is no longer pending."""
        if self.spot:
            self.typed.pop(self.spot, None)

    def unapplied(self) -> list[EditableText]:
        """The texts whose editor holds typing not applied yet."""
        self._remember()
        return [e for spot, e in self.entries.items() if spot in self.typed]

    def _selected(self, item: QTreeWidgetItem | None) -> None:
        if item is not None and item.childCount():  # an item's node: edit its body
            body = next((c for c in self._children(item) if c.data(0, Qt.ItemDataRole.UserRole)[1] == "body"), None)
            if body is not None:
                self.tree.setCurrentItem(body)
                return
        self._remember()
        spot = item.data(0, Qt.ItemDataRole.UserRole) if item is not None else None
        self.spot = spot if spot in self.entries else None
        self.say("")
        self._show_editor(self.current())

    def _remember(self) -> None:
        """Keep what is typed into the selected text when it differs from what was built."""
        entry = self.current()
        if entry is None or self._loading:
            return
        text = self.text()
        if normalized(text) != normalized(entry.text):
            self.typed[self.spot] = text
        else:
            self.typed.pop(self.spot, None)

    def _show_editor(self, entry: EditableText | None) -> None:
        self._loading = True
        try:
            for widget in (self.editor, self.apply_button, self.restore_button):
                widget.setEnabled(entry is not None)
            if entry is None:
                self.title.setText("在上面选中要修改的文字。" if self.entries else "")
                self.multi.setPlainText("")
                self.single.setText("")
                self.counter.setText("")
                return
            where = f"{entry.group}　" if entry.group and entry.group != entry.label else ""
            what = f"{entry.label}（{part_label(entry)}）" if entry.key.startswith("item:") else entry.label
            state = "　已修改" if self.spot in self.marked else ""
            self.title.setText(f"<b>{what}</b>　<span style='color:#566573'>{where}{state}</span>")
            self.title.setToolTip(entry.key)
            text = self.typed.get(self.spot, entry.text)
            self.editor.setCurrentWidget(self.multi if entry.multiline else self.single)
            if entry.multiline:
                self.multi.setPlainText(text)
            else:
                self.single.setText(text)
            self.restore_button.setEnabled(self.spot in self.marked or self.spot in self.typed)
        finally:
            self._loading = False
        self._count()

    def _typing(self) -> None:
        if self._loading:
            return
        self._count()
        entry = self.current()
        if entry is not None:
            self.restore_button.setEnabled(self.spot in self.marked or normalized(self.text()) != normalized(entry.text))

    def _count(self) -> None:
        entry = self.current()
        if entry is None:
            self.counter.setText("")
            return
        n = len(normalized(self.text()))
        self.counter.setText(f"{n} / {entry.limit} 字")
        self.counter.setStyleSheet(ERROR_STYLE if n > entry.limit else HINT_STYLE)
