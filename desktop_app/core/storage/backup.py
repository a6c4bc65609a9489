"""Verified, rotated backups with SQLite's online backup API.

A backup is a single-file snapshot `backups/ledger-<UTC time>-<reason>.db`, checked with
`integrity_check` before it counts. Rotation keeps the newest 10 plus the newest of every month.
"""

import os
import sqlite3
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from desktop_app.core.errors import UserError
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
