"""Starting the app: the CJK font, opening a workspace, a damaged workspace, a new one."""

import sqlite3

from PySide6.QtWidgets import QApplication

from desktop_app.core.services import ledger
from desktop_app.gui.app import close_workspace, open_main_window, open_workspace
from desktop_app.gui.application import make_application
from tests.gui.conftest import wait_idle
from tests.helpers import make_entry


def test_the_bundled_cjk_font_is_the_fallback(qapp):
    app = make_application()
    assert "Droid Sans Fallback" in QApplication.font().families()
    assert app is QApplication.instance()


def test_a_missing_workspace_is_created_only_when_the_user_agrees(qapp, tmp_path, monkeypatch):
    monkeypatch.setattr("desktop_app.gui.first_run.ask_start_choice", lambda _folder, _error="": None)  # 退出
    assert open_workspace(tmp_path / "新工作区") is None
    assert not (tmp_path / "新工作区").exists()


def scribble(folder, table="ledger_entry"):
    db_file = folder / "ledger.db"
    conn = sqlite3.connect(db_file)
    page_size = conn.execute("PRAGMA page_size").fetchone()[0]
    root = conn.execute("SELECT rootpage FROM sqlite_master WHERE name=?", (table,)).fetchone()[0]
    conn.close()
    raw = bytearray(db_file.read_bytes())
    raw[(root - 1) * page_size:(root - 1) * page_size + 64] = b"\x5a" * 64
    db_file.write_bytes(bytes(raw))


def damaged_workspace(workspace):
    ledger.add_entry(workspace, make_entry(workspace, summary="备份里有的"), post=True)
    good = workspace.create_backup("manual")
    folder = workspace.root
    workspace.close(backup=False)
    scribble(folder)
    return folder, good


def test_a_damaged_workspace_is_reported_and_nothing_else_runs(qtbot, workspace, messages, monkeypatch):
    make_application()
    folder, good = damaged_workspace(workspace)
    questions: list[str] = []
    monkeypatch.setattr("desktop_app.gui.prompts.confirm", lambda _p, _t, message: questions.append(message) or False)

    window = open_main_window(folder)  # opens (checks deferred), queues the checks first
    qtbot.addWidget(window)
    window.show()  # the overview queues its read behind the checks
    wait_idle(qtbot, window.ctx.runner)
    qtbot.waitUntil(lambda: not window.isVisible())
    assert window.damaged
    close_workspace(window)
    assert len(questions) == 1 and "完整性检查" in questions[0] and "要现在用" in questions[0]
    assert [b.path for b in window.ctx.ws.list_backups()] == [good.path]  # no backup of the damaged file
    assert not list(folder.glob("damaged-*"))  # declined: nothing moved


def test_the_good_backup_is_restored_when_the_user_agrees(qtbot, workspace, messages, monkeypatch):
    make_application()
    folder, good = damaged_workspace(workspace)
    monkeypatch.setattr("desktop_app.gui.prompts.confirm", lambda *_a: True)
    window = open_main_window(folder)
    qtbot.addWidget(window)
    window.show()
    wait_idle(qtbot, window.ctx.runner)
    qtbot.waitUntil(lambda: not window.isVisible())
    close_workspace(window)
    assert any("已用" in m and "恢复" in m for m in messages)
    assert list(folder.glob("damaged-*/ledger.db"))
    reopened = open_main_window(folder)
    qtbot.addWidget(reopened)
    wait_idle(qtbot, reopened.ctx.runner)
    assert reopened.damaged is None
    conn = reopened.ctx.ws.raw_reader()
    assert [r[0] for r in conn.execute("SELECT summary FROM ledger_entry")] == ["备份里有的"]
    conn.close()
    reopened.close()
    close_workspace(reopened)


def test_damage_met_by_the_first_reads_is_offered_the_same_restore(qtbot, workspace, messages, monkeypatch):
    """The office row is read on the GUI thread before the deferred quick_check runs."""
    make_application()
    ledger.add_entry(workspace, make_entry(workspace, summary="备份里有的"), post=True)
    workspace.create_backup("manual")
    folder = workspace.root
    workspace.close(backup=False)
    scribble(folder, table="office")
    asked: list[str] = []
    monkeypatch.setattr("desktop_app.gui.prompts.confirm", lambda _p, _t, message: asked.append(message) or True)
    window = open_main_window(folder)
    qtbot.addWidget(window)
    wait_idle(qtbot, window.ctx.runner)
    assert len(asked) == 1 and "完整性检查" in asked[0]
    assert window.damaged is None and list(folder.glob("damaged-*/ledger.db"))
    window.close()
    close_workspace(window)


def test_a_database_damaged_in_its_first_page_gets_the_restore_offer_not_a_crash(qtbot, workspace, messages,
                                                                                  monkeypatch):
    """SQLite cannot even read the version of a file whose first page is scribbled over: the window's start
    offers the good backup like any damage (it used to stop with a raw “file is not a database”)."""
    make_application()
    folder, good = damaged_workspace(workspace)
    raw = bytearray((folder / "ledger.db").read_bytes())
    raw[16:100] = b"\x5a" * 84  # still “SQLite format 3”, the rest of the header garbage
    (folder / "ledger.db").write_bytes(bytes(raw))
    asked: list[str] = []
    monkeypatch.setattr("desktop_app.gui.prompts.confirm", lambda _p, _t, message: asked.append(message) or False)
    assert open_main_window(folder) is None  # declined
    assert len(asked) == 1 and "已停止打开，没有写入任何内容" in asked[0] and good.path.name in asked[0]
    assert (folder / "ledger.db").read_bytes() == bytes(raw) and not list(folder.glob("damaged-*"))
