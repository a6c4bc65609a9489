"""A backup's own time, read from inside it: one from the future (a PC clock once set ahead, or a renamed file)
is marked suspicious, never suppresses a new automatic backup, never counts as the newest good backup and never
pushes ordinary backups out of the rotation. And what interrupted backups and attachment copies left behind
(`*.partial`) is gone after the next open that passes its checks, and only that."""

import shutil
import sqlite3
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from desktop_app.cli.main import main
from desktop_app.core.errors import WorkspaceDamaged
from desktop_app.core.services import ledger
from desktop_app.core.storage import backup as backups
from desktop_app.core.storage.workspace import Workspace
from tests.core.storage.test_hostile_identity import scribble
from tests.core.storage.test_workspace import files_of
from tests.helpers import make_entry

FUTURE_NAME = "ledger-20990101T080000000000Z-open.db"


def future_copy(backup: backups.BackupInfo) -> Path:
    """A real backup under a name dated 2099, as a PC whose clock was once set ahead leaves it."""
    future = backup.path.with_name(FUTURE_NAME)
    shutil.copyfile(backup.path, future)
    return future


def test_a_future_dated_backup_does_not_suppress_the_backup_on_open(workspace):
    real = workspace.create_backup("manual")
    folder = workspace.root
    workspace.close(backup=False)
    future = future_copy(real)
    real.path.unlink()  # only the future-dated one is left: it looks like "a backup taken just now"

    ws = Workspace.open(folder)  # the daily automatic backup
    try:
        found = ws.list_backups()
        taken = [b for b in found if b.path.name != FUTURE_NAME]
        assert [b.reason for b in taken] == ["open"] and datetime.now(UTC) - taken[0].taken_at < timedelta(minutes=5)
        assert ws.last_backup().path == taken[0].path  # the newest is the real one, not the 2099 one
        assert [b.path.name for b in found if b.future] == [FUTURE_NAME]
    finally:
        ws.close(backup=False)
    assert future.exists()  # suspicious, not deleted: the user decides


def test_newest_good_backup_skips_one_from_the_future(workspace):
    real = workspace.create_backup("manual")
    future_copy(real)
    assert backups.newest_good_backup(workspace.backups_dir).path == real.path
    message = workspace.damaged_error().message
    assert real.path.name in message and FUTURE_NAME not in message


def test_a_damaged_workspace_offers_the_real_backup_not_the_future_one(workspace):
    ledger.add_entry(workspace, make_entry(workspace), post=True)
    real = workspace.create_backup("manual")
    folder = workspace.root
    workspace.close(backup=False)
    future_copy(real)
    scribble(folder)
    with pytest.raises(WorkspaceDamaged) as err:
        Workspace.open(folder)
    assert err.value.good_backup.path == real.path
    assert real.path.name in err.value.message and FUTURE_NAME not in err.value.message


def test_rotation_keeps_ten_ordinary_backups_beside_a_future_one(workspace):
    made = [workspace.create_backup("manual") for _ in range(10)]
    future = future_copy(made[0])
    made.append(workspace.create_backup("manual"))
    kept = workspace.list_backups()
    assert [b.path for b in kept if b.path != future] == [b.path for b in reversed(made)][:10]
    assert future.exists() and kept[0].path == future and kept[0].future


def test_a_backup_carries_its_own_time_inside_it(workspace):
    real = workspace.create_backup("manual")
    assert backups.inside_time(real.path) == real.taken_at
    # a file renamed to an ordinary date still tells its time from inside: from the future, suspicious
    renamed = real.path.with_name(f"ledger-{datetime.now(UTC):%Y%m%dT%H%M%S%f}Z-manual.db")
    shutil.copyfile(real.path, renamed)
    conn = sqlite3.connect(renamed)
    with conn:
        conn.execute(f"UPDATE {backups.STAMP_TABLE} SET taken_at = '2099-01-01T08:00:00.000000Z'")
    conn.close()
    # a backup from before the stamp: its newest journalled change is its time
    old_style = real.path.with_name("ledger-20240101T080000000000Z-manual.db")
    shutil.copyfile(real.path, old_style)
    conn = sqlite3.connect(old_style)
    with conn:
        conn.execute(f"DROP TABLE {backups.STAMP_TABLE}")
    newest_change = conn.execute("SELECT changed_at FROM change_journal ORDER BY seq DESC LIMIT 1").fetchone()[0]
    conn.close()
    assert backups.inside_time(old_style) == datetime.fromisoformat(newest_change.replace("Z", "+00:00"))
    flags = {b.path.name: b.future for b in workspace.list_backups()}
    assert flags == {real.path.name: False, renamed.name: True, old_style.name: False}
    # the stamp is the backup's, not the data's: a restored workspace does not carry it
    workspace.restore_backup(real.path)
    conn = sqlite3.connect(workspace.db_path)
    tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    conn.close()
    assert backups.STAMP_TABLE not in tables


def test_backup_list_marks_the_future_backup(workspace, capsys):
    real = workspace.create_backup("manual")
    folder = workspace.root
    workspace.close(backup=False)
    future_copy(real)
    assert main(["--workspace", str(folder), "backup", "list"]) == 0
    lines = capsys.readouterr().out.splitlines()
    [marked] = [line for line in lines if "可疑" in line]
    assert marked.startswith(FUTURE_NAME) and "时间在将来" in marked
    assert any(line.startswith(real.path.name) for line in lines)
    # a damaged workspace lists its backups too, with the same mark
    scribble(folder)
    assert main(["--workspace", str(folder), "backup", "list"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert [line.split()[0] for line in lines if "可疑" in line] == [FUTURE_NAME]


def leftovers(ws: Workspace, voucher_file: Path) -> list[Path]:
    """What a killed `backup create` and an interrupted attachment copy leave behind."""
    real = ws.create_backup("manual")
    with ws.transaction("test.attach") as s:
        stored = ws.store_attachment(s, voucher_file)
    partial = real.path.with_suffix(".partial")
    shutil.copyfile(real.path, partial)  # full size, as a backup killed near its end
    journal = partial.with_name(partial.name + "-journal")
    journal.write_bytes(b"\x00" * 512)
    copy = ws.attachment_path(stored.sha256).with_suffix(".partial")
    copy.write_bytes(voucher_file.read_bytes()[:5])
    nested = ws.attachments_dir / "ff" / ("f" * 64 + ".partial")
    nested.parent.mkdir(parents=True, exist_ok=True)
    nested.write_bytes(b"half")
    return [partial, journal, copy, nested]


def test_partial_files_are_removed_on_the_next_open_and_nothing_else(workspace, voucher_file):
    left = leftovers(workspace, voucher_file)
    folder = workspace.root
    workspace.close(backup=False)
    before = files_of(folder)

    damaged = dict(before)
    scribble(folder)  # a damaged workspace: nothing is removed, nothing written
    damaged["ledger.db"] = (folder / "ledger.db").read_bytes()
    with pytest.raises(WorkspaceDamaged):
        Workspace.open(folder)
    assert files_of(folder) == damaged and all(p.exists() for p in left)
    (folder / "ledger.db").write_bytes(before["ledger.db"])

    ws = Workspace.open(folder, auto_backup=False)
    ws.close(backup=False)
    assert not any(p.exists() for p in left)
    names = {str(p.relative_to(folder)) for p in left}
    after = {k: v for k, v in files_of(folder).items() if not k.startswith("ledger.db-")}
    assert after == {k: v for k, v in before.items() if k not in names}


def test_partial_files_wait_for_the_deferred_checks(workspace, voucher_file):
    left = leftovers(workspace, voucher_file)
    folder = workspace.root
    workspace.close(backup=False)
    ws = Workspace.open(folder, auto_backup=False, defer_checks=True)
    try:
        assert all(p.exists() for p in left)  # quick_check has not run yet
        ws.run_deferred_checks()
        assert not any(p.exists() for p in left)
    finally:
        ws.close(backup=False)
