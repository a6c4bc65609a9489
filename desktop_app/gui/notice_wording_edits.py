"""The wording edits behind the notice builder's 修改文字 tab: what the request changes in the built
texts, kept per project, and what the panel shows of them.

Apply stores a text as an edit of the request only when it differs from what was built; typing the
ledger's own text back drops the edit. 恢复原文 drops it. Either way the preview must be built again
(the builder does that); when that build fails, `undo` puts the edits back as they were. An edit whose
text the last built notice no longer has (its activity left the period …) is stale and can be dropped.
What is typed and not applied stays with the project it was typed for, so choosing another project and
coming back loses nothing.
"""

from collections.abc import Callable

from desktop_app.core.errors import UserError
from desktop_app.core.notices.document import NoticeDocument
from desktop_app.core.notices.wording import check_edits, editable_texts
from desktop_app.gui.notice_wording import Spot, WordingPanel, normalized
from desktop_app.gui.widgets import HINT_STYLE, OK_STYLE

Undo = tuple[str, str, str | None]  # (key, part, the edit before): how to take back an apply or a restore
Edits = dict[str, dict[str, str]]  # {key: {part: text}}, as NoticeRequest.edits


class WordingEdits:
    """The request's wording edits of each project and the 修改文字 panel that shows the current one's."""

    def __init__(self, panel: WordingPanel, current_project: Callable[[], str | None]):
        self.panel = panel
        self.current_project = current_project
        self.doc: NoticeDocument | None = None  # the last document built (preview or export)
        self.edits_of: dict[str, Edits] = {}  # project id → the request's edits
        self.typed_of: dict[str, dict[Spot, str]] = {}  # project id → typed and not applied, per text
        self.originals: dict[tuple[str, str, str], str] = {}  # (project, key, part) → the text as built, unedited
        self.shown_project: str | None = None
        self.applying: Spot | None = None  # the text whose 应用 or 恢复原文 the running build carries

    @property
    def edits(self) -> Edits:
        """The wording edits of the project chosen."""
        return self.edits_of.setdefault(self.current_project() or "", {})

    def count(self) -> int:
        return sum(len(parts) for parts in self.edits.values())

    def keep(self, project_id: str, edits: Edits) -> None:
        """A draft's stored edits (already checked) become the project's edits."""
        self.edits_of[project_id] = {key: dict(parts) for key, parts in edits.items()}

    def switch_project(self) -> None:
        """The panel's typed texts follow the project chosen (what was typed stays with its project)."""
        project_id = self.current_project()
        if project_id == self.shown_project:
            return
        self.panel.clear()  # what is in the editor is kept with the project it was typed for
        if self.shown_project is not None:
            self.typed_of[self.shown_project] = self.panel.typed
        self.panel.typed = self.typed_of.setdefault(project_id or "", {})
        self.shown_project = project_id

    def forget_built(self, message: str) -> None:
        """Another project or type: the texts listed belong to the notice built before."""
        self.doc = None
        self.panel.clear(message)

    def show_built(self, doc: NoticeDocument | None) -> None:
        """The built notice's editable texts into the panel (the one just applied shows as built: cleaned)."""
        done, self.applying = self.applying, None
        self.doc = doc
        if doc is None:
            return
        project_id = self.current_project() or ""
        texts = editable_texts(doc)
        marked = {(key, part) for key, parts in self.edits.items() for part in parts}
        marked |= {(e.key, e.part) for e in texts if e.edited}
        for e in texts:
            if (e.key, e.part) not in marked:
                self.originals[(project_id, e.key, e.part)] = normalized(e.text)
        self.panel.show_texts(texts, marked, list(doc.notes), done=done)
        self.panel.show_stale(len(self.stale()))
        if done is not None:
            entry = self.panel.current()
            if entry is not None and (entry.key, entry.part) == done:
                typed = "已应用修改" if done in marked else "已恢复原文"
                self.panel.say(f"{typed}，右边的预览已重新生成。", OK_STYLE)

    def apply(self) -> Undo | None:
        """应用: store the selected text's edit (if it differs from what was built). Returns how to take it
        back when the preview must be built again; None when there is nothing to build."""
        entry = self.panel.current()
        if entry is None:
            return None
        spot, text = (entry.key, entry.part), self.panel.text()
        try:
            new = check_edits({entry.key: {entry.part: text}})[entry.key][entry.part]
        except UserError as exc:
            self.panel.say(str(exc))  # the text stays in the editor to be fixed
            return None
        stored = self.edits.get(entry.key, {}).get(entry.part)
        original = self.originals.get((self.current_project() or "", *spot))
        if new == normalized(entry.text):
            self.panel.applied()
            self.panel.say("文字没有改动，不需要应用。", HINT_STYLE)
            return None
        if stored is not None and new == original:  # typed back to what the ledger gives: no edit needed
            self.drop(entry.key, entry.part)
        else:
            self.edits.setdefault(entry.key, {})[entry.part] = new
        self.applying = spot
        self.panel.say("正在重新生成预览…", HINT_STYLE)
        return entry.key, entry.part, stored

    def restore(self) -> Undo | None:
        """恢复原文: drop the selected text's edit (and what was typed). Returns how to take it back when
        the preview must be built again (the original comes back on the build); None when only the typing
        went."""
        entry = self.panel.current()
        if entry is None:
            return None
        stored = self.drop(entry.key, entry.part)
        self.panel.applied()
        if stored is None:  # nothing applied: only the typing goes
            self.panel.reload()
            self.panel.say("已恢复为公示中现在的文字。", HINT_STYLE)
            return None
        self.applying = (entry.key, entry.part)
        self.panel.say("正在恢复原文并重新生成预览…", HINT_STYLE)
        return entry.key, entry.part, stored

    def stale(self) -> list[str]:
        """The keys of edits the last built notice has no place for (said in its notes)."""
        keys = {key for key, _part in self.panel.entries}
        return [key for key in self.edits if key not in keys] if self.doc is not None else []

    def drop_stale(self) -> None:
        stale = self.stale()
        for key in stale:
            self.edits.pop(key, None)
        self.panel.show_stale(0)
        self.panel.show_notes([n for n in (self.doc.notes if self.doc else []) if "已不适用" not in n])
        self.panel.say(f"已删去 {len(stale)} 处不适用的修改，导出时不再保存在草稿里。", OK_STYLE)

    def drop(self, key: str, part: str) -> str | None:
        """Drop one edit; returns the text it had (None when there was none)."""
        parts = self.edits.get(key, {})
        stored = parts.pop(part, None)
        if not parts:
            self.edits.pop(key, None)
        return stored

    def undo(self, undo: Undo | None) -> None:
        """A build for 应用/恢复原文 failed: the edits are as before (what was typed stays in the editor)."""
        self.applying = None
        if undo is None:
            return
        key, part, before = undo
        if before is None:
            self.drop(key, part)
        else:
            self.edits.setdefault(key, {})[part] = before
