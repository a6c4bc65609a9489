"""One worker for all database work, off the GUI thread (cf. Anki's CollectionOp / taskman).

`OpRunner.run(fn, on_success, ...)` queues `fn` on a single-thread pool, so database work is serialised
and the GUI never waits on SQLite. Results and errors come back to the GUI thread by signal. Long work
gets a progress dialog (shown after 500 ms) whose 取消 makes the core's progress callback raise
`Cancelled`. After a mutating op succeeds, `changed(Changes)` tells every page what to refresh, and the
notices of invisible characters the core took out of what was typed (pasted from Word: `validation.text_notices`)
go to the status bar — the one place every dialog and page saves through.

The open check (quick_check reads the whole file: seconds on a million entries) runs *beside* the worker
(`run_beside`), on a thread of its own, so the pages fill while it runs; the core makes writes wait for its
verdict. Until it ends, other ops' failures wait too: on a file it finds damaged they were its consequences,
and the damage is explained once, by the check's own failure (the restore offer).

Tests wait for ops with `qtbot.waitUntil(lambda: runner.idle)` or `qtbot.waitSignal(runner.finished)`.
"""

import logging
import threading
import traceback
from collections.abc import Callable
from dataclasses import dataclass, field
from itertools import count
from typing import Any

from PySide6.QtCore import QObject, Qt, QThreadPool, QTimer, Signal
from PySide6.QtWidgets import QProgressDialog, QWidget

from desktop_app.core.changes import Changes
from desktop_app.core.errors import Cancelled, UserError
from desktop_app.core.validation import text_notices
from desktop_app.gui import prompts

log = logging.getLogger(__name__)
PROGRESS_DELAY_MS = 500

Progress = Callable[[int, int], None]


class _Bridge(QObject):
    """Lives in the GUI thread; the worker emits, Qt queues the call into the GUI thread."""

    done = Signal(int, object)
    failed = Signal(int, object, str)
    progressed = Signal(int, int, int)


@dataclass
class _Op:
    on_success: Callable[[Any], None] | None
    on_error: Callable[[BaseException], None] | None
    changes: Changes | None
    parent: QWidget | None
    cancel: threading.Event = field(default_factory=threading.Event)
    dialog: QProgressDialog | None = None
    notices: list[str] = field(default_factory=list)  # “已删去…” of the texts the op cleaned (set by the worker)
    beside: bool = False  # run by `run_beside`, not by the worker


class OpRunner(QObject):
    changed = Signal(object)  # Changes, after a mutating op succeeded
    finished = Signal()  # after every op, once its callbacks ran
    message = Signal(str)  # short status text for the status bar

    def __init__(self, parent: QObject | None = None):
        super().__init__(parent)
        self._pool = QThreadPool(self)
        self._pool.setMaxThreadCount(1)
        self._bridge = _Bridge()
        self._bridge.done.connect(self._on_done)
        self._bridge.failed.connect(self._on_failed)
        self._bridge.progressed.connect(self._on_progress)
        self._ids = count(1)
        self._pending: dict[int, _Op] = {}
        self._halted = threading.Event()
        self._side_pool = QThreadPool(self)  # `run_beside`: the open check, beside the worker
        self._side_pool.setMaxThreadCount(1)
        self._held: list[tuple[_Op, BaseException, str]] = []  # failures waiting for the check's verdict
        self.dialog_parent: QWidget | None = None

    @property
    def idle(self) -> bool:
        return not self._pending

    def run(self, fn: Callable[..., Any], on_success: Callable[[Any], None] | None = None,
            on_error: Callable[[BaseException], None] | None = None, *, changes: Changes | None = None,
            progress_title: str | None = None, cancellable: bool = False, parent: QWidget | None = None) -> int:
        """Run `fn()` in the worker — or `fn(progress)` when `progress_title` is given, where
        `progress(done, total)` reports and raises `Cancelled` once the user pressed 取消.

        `changes` marks a mutating op: on success `changed(changes)` is emitted before `on_success`, and
        after it the notices of invisible characters removed from typed texts go to `message`.
        A `UserError` goes to `on_error` when given, else it is shown in a message box; any other
        exception is always shown (the core's transaction was rolled back) and then given to `on_error`;
        `Cancelled` (the user pressed 取消) is given to `on_error` silently."""
        op_id = next(self._ids)
        op = _Op(on_success, on_error, changes, parent or self.dialog_parent)
        self._pending[op_id] = op
        if progress_title:
            op.dialog = self._progress_dialog(op, progress_title, cancellable)
            call = self._with_progress(op_id, op, fn)
        else:
            call = fn
        self._pool.start(lambda: self._work(op_id, op, call))
        return op_id

    def run_beside(self, fn: Callable[[], Any], on_success: Callable[[Any], None] | None = None,
                   on_error: Callable[[BaseException], None] | None = None) -> int:
        """Run `fn()` on a thread of its own, beside the worker, which goes on with the pages' reads: the open
        check. No progress dialog (the window stays usable). While it runs, the failures of other ops are held;
        when it ends they are shown as usual — or, if it halted the runner (a damaged file), their `on_error`
        gets `Cancelled` and nothing more is shown: the check's own failure explains the damage once."""
        op_id = next(self._ids)
        op = _Op(on_success, on_error, None, self.dialog_parent, beside=True)
        self._pending[op_id] = op
        self._side_pool.start(lambda: self._work(op_id, op, fn))
        return op_id

    @property
    def checking(self) -> bool:
        """An op started by `run_beside` (the open check) has not ended yet."""
        return any(op.beside for op in self._pending.values())

    def query(self, fn: Callable[[], Any], on_success: Callable[[Any], None],
              on_error: Callable[[BaseException], None] | None = None) -> int:
        """A read: same worker, no change notice."""
        return self.run(fn, on_success, on_error)

    def halt(self) -> None:
        """Run nothing more (the workspace turned out to be damaged): queued ops end as `Cancelled`."""
        self._halted.set()

    def shutdown(self) -> None:
        """Called when the window closes, before the workspace closes. Long work that reports progress
        (export, verify, backup) is cancelled — it leaves no partial file — so closing never hangs
        behind it; edits still queued run to the end, so nothing the user saved is dropped."""
        for op in self._pending.values():
            if op.dialog is not None:
                op.cancel.set()
        self._pool.waitForDone()
        self._side_pool.waitForDone()

    # ---------------------------------------------------------------- worker side

    def _with_progress(self, op_id: int, op: _Op, fn: Callable[[Progress], Any]) -> Callable[[], Any]:
        bridge, cancel = self._bridge, op.cancel

        def report(done: int, total: int) -> None:
            if cancel.is_set():
                raise Cancelled()
            bridge.progressed.emit(op_id, int(done), int(total))

        return lambda: fn(report)

    def _work(self, op_id: int, op: _Op, call: Callable[[], Any]) -> None:
        try:
            if self._halted.is_set():
                raise Cancelled()
            with text_notices() as notices:  # per thread: collected here, where the core runs
                result = call()
            op.notices = notices  # read by the GUI thread after `done`, which the signal queues behind this
        except BaseException as exc:  # noqa: BLE001 — every failure must reach the GUI thread
            self._bridge.failed.emit(op_id, exc, traceback.format_exc())
        else:
            self._bridge.done.emit(op_id, result)

    # ---------------------------------------------------------------- GUI side

    def _progress_dialog(self, op: _Op, title: str, cancellable: bool) -> QProgressDialog:
        dialog = QProgressDialog(title, "取消", 0, 0, op.parent)
        if not cancellable:
            dialog.setCancelButton(None)
        dialog.setWindowTitle("请稍候")
        dialog.setWindowModality(Qt.WindowModality.WindowModal)
        dialog.setMinimumDuration(PROGRESS_DELAY_MS)
        dialog.setAutoClose(False)
        dialog.setAutoReset(False)
        if cancellable:
            dialog.canceled.connect(lambda: self._cancel(op, dialog))
        dialog.setValue(0)
        QTimer.singleShot(PROGRESS_DELAY_MS, lambda: self._show_if_running(op, dialog))
        return dialog

    def _show_if_running(self, op: _Op, dialog: QProgressDialog) -> None:
        if op.dialog is dialog and not op.cancel.is_set():
            dialog.show()

    @staticmethod
    def _cancel(op: _Op, dialog: QProgressDialog) -> None:
        op.cancel.set()
        dialog.setLabelText("正在取消…")

    def _on_progress(self, op_id: int, done: int, total: int) -> None:
        op = self._pending.get(op_id)
        if op and op.dialog and not op.cancel.is_set():
            op.dialog.setMaximum(max(total, 1))
            op.dialog.setValue(min(done, max(total, 1)))

    def _close(self, op_id: int) -> _Op:
        op = self._pending.pop(op_id)
        if op.dialog is not None:
            dialog, op.dialog = op.dialog, None
            dialog.close()
            dialog.deleteLater()
        return op

    def _on_done(self, op_id: int, result: Any) -> None:
        op = self._close(op_id)
        try:
            if op.changes is not None:
                self.changed.emit(op.changes)
            if op.on_success:
                op.on_success(result)
            if op.notices:  # after the op's own status (“已保存…”): the last word the user reads
                self.message.emit(" ".join(op.notices))
        finally:
            if op.beside:
                self._release_held()
            self.finished.emit()

    def _on_failed(self, op_id: int, exc: BaseException, trace: str) -> None:
        op = self._close(op_id)
        try:
            if not op.beside and not isinstance(exc, Cancelled):
                if self.checking:  # the verdict decides whether this failure is shown
                    self._held.append((op, exc, trace))
                    return
                if self._halted.is_set():  # a consequence of the damage the check has reported
                    exc = Cancelled()
            self._report_failure(op, exc, trace)
        finally:
            if op.beside:
                self._release_held()
            self.finished.emit()

    def _release_held(self) -> None:
        held, self._held = self._held, []
        for op, exc, trace in held:
            self._report_failure(op, Cancelled() if self._halted.is_set() else exc, trace)

    def _report_failure(self, op: _Op, exc: BaseException, trace: str) -> None:
        if isinstance(exc, Cancelled):
            self.message.emit("已取消。")
            if op.on_error:
                op.on_error(exc)
        elif isinstance(exc, UserError):
            if op.on_error:
                op.on_error(exc)
            else:
                prompts.show_refusal(op.parent, exc)
        else:
            log.error("操作失败：\n%s", trace)
            detail = (str(exc).strip().splitlines() or [""])[0][:200]
            prompts.show_error(op.parent, f"操作没有完成，出现了意外错误（{type(exc).__name__}：{detail}）。"
                               "这一步的改动已全部撤回，数据没有被写坏。请重试；如果反复出现，请联系技术支持。",
                               "意外错误")
            if op.on_error:
                op.on_error(exc)
