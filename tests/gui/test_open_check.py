"""The open check runs beside the window: the overview fills while quick_check reads the whole file, writes
wait for its verdict, and a failed check stops them and offers the restore (the Data sync issue: a township
of 1,000,000 entries waited 3 s for its overview)."""

import sqlite3
import threading
from pathlib import Path

import pytest

from desktop_app.core.changes import LEDGER
from desktop_app.core.errors import Cancelled, WorkspaceDamaged
from desktop_app.core.services import ledger
from desktop_app.core.storage import backup as backups
from desktop_app.gui.app import close_workspace, open_main_window
from desktop_app.gui.application import make_application
from desktop_app.gui.main_window import CHECKING
from tests.gui.conftest import wait_idle
from tests.helpers import make_entry


def slow_check(monkeypatch, live: Path, verdict: bool | None = None) -> tuple[threading.Event, threading.Event]:
    """quick_check of the live file waits until `release` is set, then gives the real verdict (or `verdict`);
    the backups' checks are the real ones."""
    started, release = threading.Event(), threading.Event()
    real = backups.integrity_ok

    def check(path, *, quick=False):
        if Path(path) == live:
            started.set()
            assert release.wait(20), "the test never released the open check"
            return real(path, quick=quick) if verdict is None else verdict
        return real(path, quick=quick)

    monkeypatch.setattr(backups, "integrity_ok", check)
    return started, release


def entry_summaries(folder: Path) -> list[str]:
    conn = sqlite3.connect(folder / "ledger.db")
    try:
        return [r[0] for r in conn.execute("SELECT summary FROM ledger_entry ORDER BY summary")]
    finally:
        conn.close()


def open_window(qtbot, workspace):
    make_application()
    fund, folder = workspace.fund, workspace.root
    workspace.close(backup=False)
    return fund, folder


def test_the_overview_fills_while_the_open_check_runs_and_writes_wait_for_it(qtbot, workspace, messages,
                                                                            monkeypatch):
    fund, folder = open_window(qtbot, workspace)
    started, release = slow_check(monkeypatch, folder / "ledger.db")
    window = open_main_window(folder)
    try:
        qtbot.addWidget(window)
        ws, runner = window.ctx.ws, window.ctx.runner
        ws.fund = fund
        window.show()
        assert window.isVisible()
        qtbot.waitUntil(lambda: window.overview.data is not None, timeout=5000)
        assert started.is_set() and ws.open_check.pending and runner.checking  # the check has not given its verdict
        assert window.overview.funds_model.rowCount() == 1
        assert window.statusBar().currentMessage() == CHECKING
        saved: list = []
        runner.run(lambda: ledger.add_entry(ws, make_entry(ws, summary="检查期间录入")), saved.append, changes=LEDGER)
        qtbot.wait(300)
        assert not saved and entry_summaries(folder) == []  # the write waits for the verdict
        assert ws.list_backups() == []  # and so does the backup on open
    finally:
        release.set()
    wait_idle(qtbot, runner)
    assert not ws.open_check.pending and ws.open_check.damage is None and window.damaged is None
    assert len(saved) == 1 and entry_summaries(folder) == ["检查期间录入"]
    assert [b.reason for b in ws.list_backups()] == ["open"]
    assert window.statusBar().currentMessage() != CHECKING
    assert messages == []
    window.close()
    close_workspace(window)


def test_a_failed_open_check_stops_the_writes_and_offers_the_restore(qtbot, workspace, messages, monkeypatch):
    ledger.add_entry(workspace, make_entry(workspace, summary="备份里有的"), post=True)
    good = workspace.create_backup("manual")
    fund, folder = open_window(qtbot, workspace)
    questions: list[str] = []
    monkeypatch.setattr("desktop_app.gui.prompts.confirm", lambda _p, _t, message: questions.append(message) or False)
    _started, release = slow_check(monkeypatch, folder / "ledger.db", verdict=False)
    window = open_main_window(folder)
    try:
        qtbot.addWidget(window)
        ws, runner = window.ctx.ws, window.ctx.runner
        ws.fund = fund
        window.show()
        qtbot.waitUntil(lambda: window.overview.data is not None, timeout=5000)  # filled before the verdict
        outcome: list = []
        runner.run(lambda: ledger.add_entry(ws, make_entry(ws, summary="不应写入")), outcome.append, outcome.append,
                   changes=LEDGER)
        qtbot.wait(100)
    finally:
        release.set()
    wait_idle(qtbot, runner)
    qtbot.waitUntil(lambda: not window.isVisible())  # the window closes to offer the restore
    assert isinstance(window.damaged, WorkspaceDamaged) and ws.open_check.damage is not None
    assert len(outcome) == 1 and isinstance(outcome[0], Cancelled)  # the waiting write was refused, silently
    with pytest.raises(WorkspaceDamaged) as err:  # and so is every later write, by the core itself
        ledger.add_entry(ws, make_entry(ws, summary="也不应写入"))
    assert "未通过完整性检查" in err.value.message
    assert entry_summaries(folder) == ["备份里有的"]
    close_workspace(window)
    assert len(questions) == 1
    assert "台账数据库未通过完整性检查" in questions[0] and "要现在用" in questions[0]  # the restore offer, in Chinese
    assert messages == []  # explained once: no error for the refused write
    assert [b.path for b in ws.list_backups()] == [good.path]  # no backup of the damaged file, on open or close
