"""Opening, locking, migrating, backing up and restoring workspaces; each bad workspace refused with a
Chinese message and nothing written."""

import shutil
import sqlite3
import subprocess
import sys
import textwrap
import time
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import inspect as sa_inspect
from sqlmodel import SQLModel, select

from desktop_app.core.errors import UserError, WorkspaceDamaged, WorkspaceError, WorkspaceLocked
from desktop_app.core.models import LedgerEntry
from desktop_app.core.queries import ledger as ledger_query
from desktop_app.core.services import ledger
from desktop_app.core.storage import backup as backups
from desktop_app.core.storage import chain, db
from desktop_app.core.storage.workspace import Workspace
from tests.helpers import make_entry

FIXTURES = Path(__file__).parents[2] / "fixtures"
ROOT = Path(__file__).parents[3]


def files_of(folder: Path) -> dict[str, bytes]:
    """Every file's bytes, except the (empty) OS lock file that opening may leave behind."""
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*"))
            if p.is_file() and p.name != "workspace.lock"}


def test_pragmas_on_every_connection(workspace):
    with workspace.engine.connect() as conn:
        values = [conn.exec_driver_sql(f"PRAGMA {p}").scalar() for p in
                  ("journal_mode", "synchronous", "foreign_keys", "busy_timeout")]
    assert values == ["wal", 2, 1, 5000]


def test_migrated_schema_matches_the_models(workspace):
    inspector = sa_inspect(workspace.engine)
    for table in SQLModel.metadata.sorted_tables:
        columns = {c["name"] for c in inspector.get_columns(table.name)}
        assert columns == {c.name for c in table.columns}, table.name


def test_missing_workspace_is_explained(tmp_path):
    with pytest.raises(WorkspaceError, match="请先运行 init"):
        Workspace.open(tmp_path / "none")
    assert not (tmp_path / "none").exists()


def test_not_sqlite_is_refused_untouched(tmp_path):
    folder = tmp_path / "ws"
    folder.mkdir()
    (folder / "ledger.db").write_text("这不是数据库" * 100, encoding="utf-8")
    before = files_of(folder)
    with pytest.raises(WorkspaceError, match="不是台账数据库文件"):
        Workspace.open(folder)
    assert files_of(folder) == before


def test_damaged_database_offers_the_last_good_backup_and_writes_nothing(workspace, tmp_path):
    ledger.add_entry(workspace, make_entry(workspace), post=True)
    good = workspace.create_backup("manual")
    folder = workspace.root
    workspace.close(backup=False)
    conn = sqlite3.connect(folder / "ledger.db")
    page_size = conn.execute("PRAGMA page_size").fetchone()[0]
    root = conn.execute("SELECT rootpage FROM sqlite_master WHERE name='ledger_entry'").fetchone()[0]
    conn.close()
    raw = bytearray((folder / "ledger.db").read_bytes())
    start = (root - 1) * page_size
    raw[start:start + 64] = b"\x5a" * 64  # scribble over the ledger table's b-tree page header
    (folder / "ledger.db").write_bytes(bytes(raw))
    before = files_of(folder)
    with pytest.raises(WorkspaceDamaged) as err:
        Workspace.open(folder)
    assert "完整性检查" in err.value.message and good.path.name in err.value.message
    assert err.value.good_backup.path == good.path
    assert files_of(folder) == before
    # the window opens first and runs the check as its worker's first job: same verdict, same silence
    deferred = Workspace.open(folder, defer_checks=True)
    with pytest.raises(WorkspaceDamaged):
        deferred.run_deferred_checks()
    deferred.close(backup=False)
    assert {k: v for k, v in files_of(folder).items() if not k.startswith("ledger.db-")} == before


def test_a_database_damaged_past_its_header_is_damage_even_before_the_deferred_check(workspace):
    """The window opens with the quick_check deferred: a file SQLite cannot read at all (its first page
    scribbled over) is refused as damage — the restore offer — never a raw SQLite error; nothing written."""
    workspace.create_backup("manual")
    folder = workspace.root
    workspace.close(backup=False)
    raw = bytearray((folder / "ledger.db").read_bytes())
    raw[16:100] = b"\x5a" * 84  # the header's page size and counters: the file stays "SQLite format 3"
    (folder / "ledger.db").write_bytes(bytes(raw))
    before = files_of(folder)
    for deferred in (True, False):
        with pytest.raises(WorkspaceDamaged) as err:
            Workspace.open(folder, defer_checks=deferred)
        assert "已停止打开，没有写入任何内容" in err.value.message and err.value.good_backup is not None
    assert files_of(folder) == before
    assert not (folder / "workspace.lock.info").exists()  # the lock was let go


def test_another_programs_ledger_db_is_never_written_to(tmp_path):
    folder = tmp_path / "别的软件"
    folder.mkdir()
    conn = sqlite3.connect(folder / "ledger.db")
    conn.execute("CREATE TABLE accounts (name TEXT)")
    conn.execute("INSERT INTO accounts VALUES ('现金')")
    conn.commit()
    conn.close()
    before = files_of(folder)
    for create in (False, True):
        with pytest.raises(WorkspaceError) as err:
            Workspace.open(folder, create=create, defer_checks=True)
        assert "不是社区慈善台账的数据库" in err.value.message and "没有改动它" in err.value.message
    assert files_of(folder) == before


def test_a_path_sqlite_cannot_open_is_explained(tmp_path):
    deep = tmp_path.joinpath(*["八台镇社工站二〇二四年度社区慈善试点项目资料"] * 9)  # past SQLite's 512-byte path limit
    with pytest.raises(WorkspaceError) as err:
        Workspace.open(deep, create=True)
    assert "路径太长" in err.value.message and "什么都没有改动" in err.value.message
    assert not (deep / "workspace.lock.info").exists()


def test_newer_version_is_refused(tmp_path):
    folder = tmp_path / "ws"
    folder.mkdir()
    shutil.copyfile(FIXTURES / "workspace_v1.db", folder / "ledger.db")
    conn = sqlite3.connect(folder / "ledger.db")
    conn.execute(f"PRAGMA user_version={db.LATEST_VERSION + 1}")
    conn.commit()
    conn.close()
    before = files_of(folder)
    with pytest.raises(WorkspaceError, match="更新版本"):
        Workspace.open(folder)
    assert files_of(folder) == before


def test_not_writable_is_explained(tmp_path, monkeypatch):
    folder = tmp_path / "ws"
    folder.mkdir()
    original = Path.write_bytes

    def refuse(self, data):
        if self.name == ".write-test":
            raise PermissionError(13, "Permission denied")
        return original(self, data)

    monkeypatch.setattr(Path, "write_bytes", refuse)
    with pytest.raises(WorkspaceError, match="不可写"):
        Workspace.open(folder, create=True)
    assert list(folder.iterdir()) == []


def test_migration_from_a_stored_v1_workspace_backs_up_first(tmp_path):
    folder = tmp_path / "old"
    folder.mkdir()
    shutil.copyfile(FIXTURES / "workspace_v1.db", folder / "ledger.db")
    ws = Workspace.open(folder, auto_backup=False)
    try:
        taken = ws.list_backups()
        assert [b.reason for b in taken] == ["migration"]
        conn = sqlite3.connect(taken[0].path)
        assert db.schema_version(conn) == 1
        conn.close()
        with ws.reading() as s:
            assert chain.verify_chains(s).ok
        reader = ws.raw_reader()
        assert db.schema_version(reader) == db.LATEST_VERSION
        hits = ledger_query.fetch(reader, ledger_query.LedgerFilter(text="一日捐"))
        assert [r.summary for r in hits] == ["慈善一日捐"]
        reader.close()
    finally:
        ws.close(backup=False)


def test_lock_refuses_a_second_process_and_recovers_when_it_dies(workspace):
    folder = workspace.root
    workspace.close(backup=False)
    holder = subprocess.Popen(
        [sys.executable, "-c", textwrap.dedent(f"""
            import sys, time
            from desktop_app.core.storage.workspace import Workspace
            ws = Workspace.open({str(folder)!r}, auto_backup=False)
            print("ready", flush=True)
            time.sleep(60)
        """)], stdout=subprocess.PIPE, text=True, cwd=ROOT)
    try:
        assert holder.stdout.readline().strip() == "ready"
        with pytest.raises(WorkspaceLocked, match="正在被另一个窗口或程序使用.*进程"):
            Workspace.open(folder)
    finally:
        holder.kill()  # dies without cleaning up: the OS lock goes with it
        holder.wait()
    ws = Workspace.open(folder, auto_backup=False)
    ws.close(backup=False)


def test_backup_is_verified_and_rotated(tmp_path):
    folder = tmp_path / "backups"
    source = sqlite3.connect(FIXTURES / "workspace_v1.db")
    made = [backups.create_backup(source, folder, "manual") for _ in range(12)]
    source.close()
    kept = backups.list_backups(folder)
    assert len(kept) == 10 and kept[0].path == made[-1].path
    assert all(backups.integrity_ok(b.path) for b in kept)
    old = folder / "ledger-20230105T080000000000Z-close.db"  # an old month keeps its newest backup
    shutil.copyfile(kept[0].path, old)
    backups.rotate(folder)
    assert old.exists()


def test_restore_backs_up_the_current_state_first(workspace):
    first = ledger.add_entry(workspace, make_entry(workspace, summary="备份前"), post=True)
    snapshot = workspace.create_backup("manual")
    ledger.add_entry(workspace, make_entry(workspace, summary="备份后"), post=True)
    safety = workspace.restore_backup(snapshot.path)
    with workspace.reading() as s:
        assert [e.summary for e in s.exec(select(LedgerEntry))] == ["备份前"]
    assert safety.reason == "restore"
    workspace.restore_backup(safety.path)
    with workspace.reading() as s:
        assert sorted(e.summary for e in s.exec(select(LedgerEntry))) == ["备份前", "备份后"]
        assert s.get(LedgerEntry, first.id).voucher_seq == 1


def test_restore_refuses_a_damaged_backup(workspace, tmp_path):
    bad = tmp_path / "ledger-20240101T000000000000Z-manual.db"
    bad.write_bytes(b"SQLite format 3\x00" + b"\x00" * 5000)
    with pytest.raises(UserError, match="已损坏"):
        workspace.restore_backup(bad)


def test_a_process_killed_mid_write_leaves_a_consistent_workspace(workspace):
    ledger.add_entry(workspace, make_entry(workspace, amount="1000000"), post=True)
    folder, fund_id = workspace.root, workspace.fund.id
    workspace.close(backup=False)
    writer = subprocess.Popen([sys.executable, "-c", textwrap.dedent(f"""
        from datetime import date
        from decimal import Decimal
        from desktop_app.core.services import ledger
        from desktop_app.core.storage.workspace import Workspace
        ws = Workspace.open({str(folder)!r}, auto_backup=False)
        print("ready", flush=True)
        while True:
            ledger.add_entry(ws, ledger.EntryInput(fund_id={fund_id!r}, entry_date=date(2024, 5, 1),
                             entry_type="donation", amount=Decimal("1.5"), summary="循环写入",
                             category="个人捐赠"), post=True)
    """)], stdout=subprocess.PIPE, text=True, cwd=ROOT)
    assert writer.stdout.readline().strip() == "ready"
    time.sleep(1.5)
    writer.kill()
    writer.wait()
    ws = Workspace.open(folder, auto_backup=False)
    try:
        assert backups.integrity_ok(ws.db_path)
        with ws.reading() as s:
            report = chain.verify_chains(s)
            assert report.ok and report.entries > 2
            seqs = sorted(e.voucher_seq for e in s.exec(select(LedgerEntry)))
            assert seqs == list(range(1, len(seqs) + 1))
            journal_inserts = s.exec(select(LedgerEntry.id)).all()
        conn = ws.raw_reader()
        logged = conn.execute("SELECT count(DISTINCT record_id) FROM change_journal "
                              "WHERE table_name='ledger_entry'").fetchone()[0]
        conn.close()
        assert logged == len(journal_inserts)
        # and the workspace keeps working
        ledger.add_entry(ws, make_entry(ws_with_fund(ws, fund_id), day=date(2024, 6, 1)), post=True)
    finally:
        ws.close(backup=False)


def ws_with_fund(ws, fund_id):
    class _Fund:
        id = fund_id
    ws.fund = _Fund
    return ws


def test_a_cancelled_backup_leaves_nothing_behind(workspace):
    from desktop_app.core.errors import Cancelled

    for i in range(300):  # enough pages for the copy to report progress more than once
        ledger.add_draft(workspace, make_entry(workspace, summary="草稿" * 40 + str(i)))

    def cancel(done, total):
        raise Cancelled()

    with pytest.raises(Cancelled):
        workspace.create_backup("manual", progress=cancel)
    assert list(workspace.backups_dir.glob("*")) == []


def test_restore_refuses_another_offices_backup(workspace, tmp_path):
    other = Workspace.open(tmp_path / "other", create=True, auto_backup=False)
    from desktop_app.core.services import office

    office.init_office(other, name="青花镇社工站", division_code="511781103000", association="万源市慈善会")
    foreign = other.create_backup("manual")
    other.close(backup=False)
    with pytest.raises(UserError, match="属于另一个单位（青花镇社工站）"):
        workspace.restore_backup(foreign.path)
    assert workspace.local_office().name == "八台镇社工站"
