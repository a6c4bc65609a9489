"""Verified, rotated backups with SQLite's online backup API.

A backup is a single-file snapshot `backups/ledger-<UTC time>-<reason>.db`, checked with
`integrity_check` before it counts. Rotation keeps the newest 10 plus the newest of every month.
Before a restore, a backup is checked here too: whole, not from a newer version, and this office's.
"""

import os
import sqlite3
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from desktop_app.core.errors import UserError
from desktop_app.core.storage import db
from desktop_app.core.storage.db import readonly_uri

KEEP_LATEST = 10
REASONS = {
    "manual": "手动备份",
    "open": "打开时自动备份",
    "close": "关闭时自动备份",
    "migration": "升级数据结构前",
    "restore": "恢复前的当前状态",
    "import": "导入前",
}


@dataclass(frozen=True)
class BackupInfo:
    path: Path
    taken_at: datetime
    reason: str
    size: int

    @property
    def reason_label(self) -> str:
        return REASONS.get(self.reason, self.reason)


def integrity_ok(path: Path, *, quick: bool = False) -> bool:
    """True when the file is an SQLite database passing integrity_check (or quick_check)."""
    try:
        with open(path, "rb") as handle:
            if handle.read(16) != b"SQLite format 3\x00":
                return False
        # Without a -wal file (clean shutdown) open as immutable so a check creates no -shm/-wal files.
        wal = path.with_name(path.name + "-wal")
        conn = sqlite3.connect(readonly_uri(path, immutable=not wal.exists()), uri=True)
        try:
            pragma = "quick_check" if quick else "integrity_check"
            rows = conn.execute(f"PRAGMA {pragma}").fetchall()
        finally:
            conn.close()
        return rows == [("ok",)]
    except (OSError, sqlite3.DatabaseError):
        return False


def _parse_name(path: Path) -> tuple[datetime, str] | None:
    stem = path.stem  # ledger-20241124T102700123456Z-reason
    parts = stem.split("-", 2)
    if len(parts) != 3 or parts[0] != "ledger":
        return None
    try:
        taken = datetime.strptime(parts[1], "%Y%m%dT%H%M%S%fZ").replace(tzinfo=UTC)
    except ValueError:
        return None
    return taken, parts[2]


def list_backups(folder: Path) -> list[BackupInfo]:
    """Newest first."""
    found = []
    if folder.is_dir():
        for path in folder.glob("ledger-*.db"):
            parsed = _parse_name(path)
            if parsed:
                found.append(BackupInfo(path, parsed[0], parsed[1], path.stat().st_size))
    return sorted(found, key=lambda b: b.taken_at, reverse=True)


def create_backup(source: sqlite3.Connection, folder: Path, reason: str, progress=None,
                  spare: Path | None = None) -> BackupInfo:
    """Copy the live database page by page, verify the copy, then rotate old backups (sparing `spare`:
    the backup a restore is about to put in place)."""
    folder.mkdir(parents=True, exist_ok=True)
    taken = datetime.now(UTC)
    final = folder / f"ledger-{taken.strftime('%Y%m%dT%H%M%S%fZ')}-{reason}.db"
    partial = final.with_suffix(".partial")
    target = sqlite3.connect(partial)
    try:
        def _step(_status, remaining, total):
            if progress:
                progress(total - remaining, total)  # may raise Cancelled

        source.backup(target, pages=256, progress=_step)
        target.execute("PRAGMA journal_mode=DELETE")  # a backup is one self-contained file
    except BaseException:
        target.close()
        partial.unlink(missing_ok=True)  # a cancelled or failed backup leaves nothing behind
        raise
    target.close()
    if not integrity_ok(partial):
        partial.unlink(missing_ok=True)
        raise UserError("备份写完后校验失败，已丢弃这份备份。请检查磁盘空间或换一个磁盘后重试。")
    os.replace(partial, final)
    rotate(folder, spare)
    return BackupInfo(final, taken, reason, final.stat().st_size)


def rotate(folder: Path, spare: Path | None = None) -> list[Path]:
    """Keep the newest KEEP_LATEST and the newest backup of each month (and `spare`); remove the rest."""
    backups = list_backups(folder)
    keep = {b.path for b in backups[:KEEP_LATEST]}
    if spare is not None:
        keep.update(b.path for b in backups if b.path.resolve() == Path(spare).resolve())
    seen_months: set[str] = set()
    for b in backups:  # newest first, so the first of a month is its newest
        month = b.taken_at.strftime("%Y-%m")
        if month not in seen_months:
            seen_months.add(month)
            keep.add(b.path)
    removed = []
    for b in backups:
        if b.path not in keep:
            b.path.unlink(missing_ok=True)
            removed.append(b.path)
    return removed


def newest_good_backup(folder: Path) -> BackupInfo | None:
    for b in list_backups(folder):
        if integrity_ok(b.path):
            return b
    return None


# ---------------------------------------------------------------- checking a backup before a restore


def usable_backup(folder: Path, backup_file: Path | str) -> Path:
    """A backup given by path or by file name in backups/, checked whole and not from a newer app."""
    source = Path(backup_file)
    if not source.is_file():
        source = folder / Path(str(backup_file)).name
    if not source.is_file():
        raise UserError(f"找不到备份“{backup_file}”。请用 backup list 查看可用的备份。")
    if not integrity_ok(source):
        raise UserError(f"备份“{source.name}”已损坏或不是台账备份，未做任何恢复。请选择另一份备份。")
    conn = db.connect_raw(source, readonly=True)
    try:
        version = db.schema_version(conn)
    finally:
        conn.close()
    if version > db.LATEST_VERSION:
        raise UserError("这份备份来自更新版本的程序，本程序无法恢复它。请升级程序后再恢复。")
    return source


def backup_owner(source: Path) -> tuple[str, str]:
    """(office id, name) of the office a backup belongs to. A file that names none (an uninitialised
    workspace, some other SQLite file) is refused: restoring it would leave this workspace nobody's."""
    conn = db.connect_raw(source, readonly=True)
    try:
        owner = db.backup_owner(conn)
        ledger = owner is not None or conn.execute(
            "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'office'").fetchone() is not None
    finally:
        conn.close()
    if not ledger:
        raise UserError(f"备份“{source.name}”已损坏或不是台账备份，未做任何恢复。请选择另一份备份。")
    if owner is None:
        raise UserError(f"备份“{source.name}”里没有登记单位（备份时工作区还没有初始化），不是本工作区的备份，"
                        "未做任何恢复。请选择本工作区 backups 文件夹里的备份。")
    return owner


def refuse_other_office(owner: tuple[str, str], mine: tuple[str, str]) -> None:
    if owner[0] != mine[0]:
        raise UserError(f"这份备份属于另一个单位（{owner[1]}），不是本工作区（{mine[1]}）的备份，未做任何恢复。"
                        "请选择本工作区 backups 文件夹里的备份。")


def damaged_identity(db_path: Path, folder: Path) -> tuple[tuple[str, str] | None, str]:
    """Best effort for a database that failed its checks: ((office id, name), epoch id) as the damaged
    file still tells them; else the office its newest good backup names, epoch unknown ("")."""
    owner, epoch = None, ""
    wal = db_path.with_name(db_path.name + "-wal")
    try:  # immutable when it can be: reading a damaged file must not write beside it
        conn = sqlite3.connect(db.readonly_uri(db_path, immutable=not wal.exists()), uri=True)
    except sqlite3.Error:
        conn = None
    if conn is not None:
        try:
            owner = db.backup_owner(conn)
            epoch = conn.execute("SELECT epoch_id FROM local_identity WHERE id = 1").fetchone()[0]
        except (sqlite3.Error, TypeError):
            pass
        finally:
            conn.close()
    if owner is None:
        good = newest_good_backup(folder)
        if good is not None:
            conn = db.connect_raw(good.path, readonly=True)
            try:
                owner = db.backup_owner(conn)
            finally:
                conn.close()
    return owner, epoch
