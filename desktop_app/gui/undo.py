"""Undo steps for drafts and activities. Each step is one core operation in the worker (one transaction).

The operation has already run when the step is pushed, so the first `redo()` does nothing. Posting
and reversing are never undoable: a posted entry is corrected only by a red-ink reversal. After a posting
the history stays truthful (`entry_posted`): the steps of that entry's draft, and every older step under
them, are dropped, so 撤销 never offers a step it cannot take.
"""

from collections.abc import Callable

from PySide6.QtGui import QUndoCommand, QUndoStack

from desktop_app.core.changes import ACTIVITIES, LEDGER, Changes
from desktop_app.core.errors import UserError
from desktop_app.core.services import activities, ledger
from desktop_app.core.services.activities import ActivityInput
from desktop_app.core.services.ledger import EntryInput
from desktop_app.core.storage.workspace import Workspace
from desktop_app.gui import prompts
from desktop_app.gui.context import AppContext

Action = Callable[[Workspace], object]


class DraftStep(QUndoCommand):
    def __init__(self, ctx: AppContext, text: str, do: Action, undo: Action, changes: Changes = LEDGER,
                 entry_id: str | None = None):
        super().__init__(text)
        self._ctx, self._do, self._undo, self._changes = ctx, do, undo, changes
        self.entry_id = entry_id  # the ledger entry (a draft) the step changes, if any
        self._applied = True

    def copy(self) -> "DraftStep":
        """The same step, as already done (for `entry_posted`, which rebuilds the stack)."""
        return DraftStep(self._ctx, self.text(), self._do, self._undo, self._changes, self.entry_id)

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

        self._ctx.runner.run(lambda: action(ws), on_error=failed, changes=self._changes)


def entry_posted(stack: QUndoStack, entry_id: str) -> None:
    """The draft `entry_id` was posted: its steps can no longer be undone, nor (undo being one line) any step
    under them. Those go; the steps above them stay (done, as they are). The redo steps go too, as after any
    new action."""
    done = [stack.command(i) for i in range(stack.index())]
    later = [stack.command(i) for i in range(stack.index(), stack.count())]
    hits = [i for i, step in enumerate(done) if getattr(step, "entry_id", None) == entry_id]
    if not hits and not later:
        return
    keep = [step.copy() for step in done[hits[-1] + 1 if hits else 0:] if isinstance(step, DraftStep)]
    stack.clear()
    for step in keep:
        stack.push(step)


def added(ctx: AppContext, entry_id: str, summary: str) -> DraftStep:
    return DraftStep(ctx, f"新增草稿“{summary}”",
                     lambda ws: ledger.restore_draft(ws, entry_id), lambda ws: ledger.delete_draft(ws, entry_id),
                     entry_id=entry_id)


def edited(ctx: AppContext, entry_id: str, before: EntryInput, after: EntryInput) -> DraftStep:
    # attachments added by the edit stay (they are evidence); only the fields are restored
    before = EntryInput(**{**before.__dict__, "attachments": []})
    after = EntryInput(**{**after.__dict__, "attachments": []})
    return DraftStep(ctx, f"修改草稿“{after.summary}”",
                     lambda ws: ledger.update_draft(ws, entry_id, after),
                     lambda ws: ledger.update_draft(ws, entry_id, before), entry_id=entry_id)


def deleted(ctx: AppContext, entry_id: str, summary: str) -> DraftStep:
    return DraftStep(ctx, f"删除草稿“{summary}”",
                     lambda ws: ledger.delete_draft(ws, entry_id), lambda ws: ledger.restore_draft(ws, entry_id),
                     entry_id=entry_id)


def activity_added(ctx: AppContext, activity_id: str, title: str) -> DraftStep:
    return DraftStep(ctx, f"新增活动“{title}”", lambda ws: activities.restore_activity(ws, activity_id),
                     lambda ws: activities.delete_activity(ws, activity_id), ACTIVITIES)


def activity_edited(ctx: AppContext, activity_id: str, before: ActivityInput, after: ActivityInput) -> DraftStep:
    # photos are not part of the form: they stay as they are
    return DraftStep(ctx, f"修改活动“{after.title}”", lambda ws: activities.update_activity(ws, activity_id, after),
                     lambda ws: activities.update_activity(ws, activity_id, before), ACTIVITIES)


def activity_deleted(ctx: AppContext, activity_id: str, title: str) -> DraftStep:
    return DraftStep(ctx, f"删除活动“{title}”", lambda ws: activities.delete_activity(ws, activity_id),
                     lambda ws: activities.restore_activity(ws, activity_id), ACTIVITIES)
