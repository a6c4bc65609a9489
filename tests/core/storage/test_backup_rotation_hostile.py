"""Rotation (`storage/backup.rotate`) against a hostile backups folder: backups dated in the future (renamed
to 2099, or with a future time inside) never count among the newest 10 nor as a month's backup and are never
deleted; real backups are kept exactly as if they were not there. Things named like backups that are none (a
dangling link, a folder) and a backup that cannot be deleted never make a new backup fail."""

import os
import shutil
import sqlite3
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from desktop_app.core.storage import backup as backups

NAME_TIME = "%Y%m%dT%H%M%S%fZ"


@pytest.fixture
def live(tmp_path):
    conn = sqlite3.connect(tmp_path / "live.db")
    conn.execute("CREATE TABLE t (x)")
    conn.commit()
    yield conn
    conn.close()


def named(source: Path, when: datetime, reason: str = "open", *, inside: str | None = None) -> Path:
    """A copy of a real backup under a name dated `when`; `inside` rewrites the time the backup holds."""
    path = source.with_name(f"ledger-{when.strftime(NAME_TIME)}-{reason}.db")
    shutil.copyfile(source, path)
    if inside is not None:
        conn = sqlite3.connect(path)
        with conn:
            conn.execute(f"UPDATE {backups.STAMP_TABLE} SET taken_at = ?", (inside,))
        conn.close()
    return path


def expected_kept(ordinary: list[Path]) -> set[Path]:
    """What rotation must keep of the ordinary backups: the newest 10 and the newest of each month."""
    by_time = sorted(ordinary, key=lambda p: p.name.split("-")[1], reverse=True)
    keep, months = set(by_time[:backups.KEEP_LATEST]), set()
    for path in by_time:
        month = path.name.split("-")[1][:6]
        if month not in months:
            months.add(month)
            keep.add(path)
    return keep


def test_future_backups_neither_push_out_real_ones_nor_are_deleted(live, tmp_path):
    folder = tmp_path / "backups"
    seed = backups.create_backup(live, folder, "manual").path
    now = datetime.now(UTC)
    ordinary = [named(seed, now - timedelta(days=4 * k, hours=1)) for k in range(1, 25)]  # ~3 months back
    ordinary.append(seed)
    future = [
        named(seed, datetime(2099, 1, 1, 8, tzinfo=UTC)),  # renamed to 2099
        named(seed, datetime(2099, 2, 1, 8, tzinfo=UTC), "manual"),
        named(seed, now + timedelta(days=30)),  # taken while the clock was a month ahead
        named(seed, now - timedelta(minutes=30), "manual", inside="2099-01-01T08:00:00.000000Z"),  # inside only
    ]
    listed = backups.list_backups(folder)
    assert {b.path for b in listed if b.future} == set(future)
    assert backups.newest_ordinary(listed).path == seed

    removed = backups.rotate(folder)

    left = {b.path for b in backups.list_backups(folder)}
    assert left == expected_kept(ordinary) | set(future)
    assert set(removed) == set(ordinary) - expected_kept(ordinary)
    assert all(p.exists() for p in future)
    # the next backup keeps the newest 10 real ones: the future ones still take none of their places
    made = backups.create_backup(live, folder, "manual")
    real = [b.path for b in backups.list_backups(folder) if not b.future]
    assert real[0] == made.path and len(real[:backups.KEEP_LATEST]) == backups.KEEP_LATEST
    assert set(real) == expected_kept([*expected_kept(ordinary), made.path])
    assert all(p.exists() for p in future)


def test_only_future_backups_and_no_real_one(live, tmp_path):
    """A folder holding only backups from the future: each new backup is kept, and so are they."""
    folder = tmp_path / "backups"
    seed = backups.create_backup(live, folder, "manual").path
    future = [named(seed, datetime(2099, 1, d, 8, tzinfo=UTC)) for d in range(1, 16)]
    seed.unlink()
    made = [backups.create_backup(live, folder, "manual").path for _ in range(3)]
    assert {b.path for b in backups.list_backups(folder)} == set(future) | set(made)
    assert backups.newest_ordinary(backups.list_backups(folder)).path == made[-1]


@pytest.mark.skipif(not hasattr(os, "symlink") or os.name == "nt", reason="symbolic links")
def test_a_dangling_link_named_like_a_backup_does_not_stop_backups(live, tmp_path):
    folder = tmp_path / "backups"
    backups.create_backup(live, folder, "manual")
    (folder / "ledger-20990101T080000000000Z-open.db").symlink_to(tmp_path / "gone.db")
    made = backups.create_backup(live, folder, "manual")  # raised FileNotFoundError from the listing before
    assert [b.path for b in backups.list_backups(folder)][0] == made.path


def test_a_folder_named_like_a_backup_is_no_backup(live, tmp_path):
    folder = tmp_path / "backups"
    first = backups.create_backup(live, folder, "manual")
    odd = folder / f"ledger-{(first.taken_at - timedelta(days=400)).strftime(NAME_TIME)}-manual.db"
    odd.mkdir()
    (odd / "a file the user keeps.txt").write_text("不要删", encoding="utf-8")
    for _ in range(backups.KEEP_LATEST + 2):
        backups.create_backup(live, folder, "manual")
    assert odd.is_dir() and (odd / "a file the user keeps.txt").exists()
    assert odd not in {b.path for b in backups.list_backups(folder)}


def test_a_backup_that_cannot_be_deleted_does_not_fail_the_new_one(live, tmp_path, monkeypatch):
    folder = tmp_path / "backups"
    made = [backups.create_backup(live, folder, "manual").path for _ in range(backups.KEEP_LATEST)]
    stuck = made[0]  # the oldest: the next backup rotates it out
    real_unlink = Path.unlink

    def unlink(self, missing_ok=False):
        if self == stuck:
            raise PermissionError(13, "Permission denied", str(self))
        return real_unlink(self, missing_ok=missing_ok)

    monkeypatch.setattr(Path, "unlink", unlink)
    newest = backups.create_backup(live, folder, "manual")
    assert newest.path.exists() and stuck.exists()
    monkeypatch.setattr(Path, "unlink", real_unlink)
    assert stuck in backups.rotate(folder) and not stuck.exists()  # removed at a later rotation
