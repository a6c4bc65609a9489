"""The single database worker: results by signal, errors as messages, progress with 取消."""

import threading
import time

from desktop_app.core.changes import LEDGER
from desktop_app.core.errors import Cancelled, UserError
from desktop_app.gui.application import make_application
from desktop_app.gui.ops import OpRunner


def test_results_and_change_notices_come_back_on_the_gui_thread(qtbot, qapp):
    make_application()
    runner = OpRunner()
    seen = []
    runner.changed.connect(lambda changes: seen.append(("changed", changes)))
    with qtbot.waitSignal(runner.finished):
        runner.run(lambda: threading.current_thread().name, lambda name: seen.append(("result", name)),
                   changes=LEDGER)
    assert seen[0] == ("changed", LEDGER)
    assert seen[1][0] == "result" and seen[1][1] != threading.current_thread().name
    assert runner.idle


def test_user_errors_are_shown_or_handed_to_on_error(qtbot, qapp, messages):
    runner = OpRunner()

    def fail():
        raise UserError("金额必须大于 0。")

    with qtbot.waitSignal(runner.finished):
        runner.run(fail, changes=LEDGER)
    assert messages == ["金额必须大于 0。"]
    handled = []
    with qtbot.waitSignal(runner.finished):
        runner.run(fail, on_error=handled.append)
    assert [str(e) for e in handled] == ["金额必须大于 0。"] and len(messages) == 1


def test_ops_run_one_at_a_time_in_order(qtbot, qapp):
    runner = OpRunner()
    order = []
    for i in range(5):
        runner.run(lambda i=i: (time.sleep(0.01), i)[1], order.append)
    qtbot.waitUntil(lambda: runner.idle)
    assert order == [0, 1, 2, 3, 4]


def test_cancel_in_the_progress_dialog_stops_the_work(qtbot, qapp):
    runner = OpRunner()
    outcome = []

    def long_work(progress):
        for i in range(1000):
            progress(i, 1000)
            time.sleep(0.005)
        return "done"

    op_id = runner.run(long_work, outcome.append, outcome.append, progress_title="正在校验…", cancellable=True)
    dialog = runner._pending[op_id].dialog
    qtbot.waitUntil(dialog.isVisible, timeout=3000)  # shown after 500 ms
    assert dialog.labelText() == "正在校验…"
    with qtbot.waitSignal(runner.finished):
        dialog.canceled.emit()  # what 取消 (or Esc) sends
    assert len(outcome) == 1 and isinstance(outcome[0], Cancelled)


def test_closing_cancels_long_work_but_lets_queued_edits_finish(qtbot, qapp):
    runner = OpRunner()
    seen = []

    def long_work(progress):
        for i in range(2000):  # ~10 s unless cancelled
            progress(i, 2000)
            time.sleep(0.005)
        return "finished"

    runner.run(long_work, seen.append, seen.append, progress_title="正在导出…", cancellable=True)
    runner.run(lambda: "saved", seen.append)  # an edit queued behind it
    started = time.monotonic()
    runner.shutdown()
    assert time.monotonic() - started < 3
    qtbot.waitUntil(lambda: runner.idle)
    assert isinstance(seen[0], Cancelled) and seen[1] == "saved"
