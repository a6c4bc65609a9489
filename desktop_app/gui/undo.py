"""Undo steps for drafts. Each step is one core operation in the worker (one transaction).

The operation has already run when the step is pushed, so the first `redo()` does nothing. Posting
and reversing are never undoable: a posted entry is corrected only by a red-ink reversal.
"""

from collections.abc import Callable

from PySide6.QtGui import QUndoCommand

from desktop_app.core.errors import UserError
from desktop_app.core.services import ledger
from desktop_app.core.services.changes import LEDGER
from desktop_app.core.services.ledger import EntryInput
from desktop_app.core.workspace import Workspace
from desktop_app.gui import prompts
from desktop_app.gui.context import AppContext

Action = Callable[[Workspace], object]


class DraftStep(QUndoCommand):
    def __init__(self, ctx: AppContext, text: str, do: Action, undo: Action):
        super().__init__(text)
        self._ctx, self._do, self._undo = ctx, do, undo
        self._applied = True

    def redo(self) -> None:
        if self._applied:  # the operation ran before the step was pushed
            self._applied = False
            return
        self._run(self._do, "重做")

    def undo(self) -> None:
        self._run(self._undo, "撤销")

    def _run(self, action: Action, verb: str) -> None:
        ws, stack = self._ctx.ws, self._ctx.undo

        def failed(exc: BaseException) -> None:
            if isinstance(exc, UserError):
                prompts.show_error(self._ctx.runner.dialog_parent,
                                   f"无法{verb}“{self.text()}”：{exc}\n撤销记录已清空。")
            stack.clear()

        self._ctx.runner.run(lambda: action(ws), on_error=failed, changes=LEDGER)


def added(ctx: AppContext, entry_id: str, summary: str) -> DraftStep:
    return DraftStep(ctx, f"新增草稿“{summary}”",
                     lambda ws: ledger.restore_draft(ws, entry_id), lambda ws: ledger.delete_draft(ws, entry_id))


def edited(ctx: AppContext, entry_id: str, before: EntryInput, after: EntryInput) -> DraftStep:
    # attachments added by the edit stay (they are evidence); only the fields are restored
    before = EntryInput(**{**before.__dict__, "attachments": []})
    after = EntryInput(**{**after.__dict__, "attachments": []})
    return DraftStep(ctx, f"修改草稿“{after.summary}”",
                     lambda ws: ledger.update_draft(ws, entry_id, after),
                     lambda ws: ledger.update_draft(ws, entry_id, before))


def deleted(ctx: AppContext, entry_id: str, summary: str) -> DraftStep:
    return DraftStep(ctx, f"删除草稿“{summary}”",
                     lambda ws: ledger.delete_draft(ws, entry_id), lambda ws: ledger.restore_draft(ws, entry_id))
