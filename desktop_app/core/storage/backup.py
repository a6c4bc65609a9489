"""Verified, rotated backups with SQLite's online backup API.

A backup is a single-file snapshot `backups/ledger-<UTC time>-<reason>.db`, checked with
`integrity_check` before it counts. Rotation keeps the newest 10 plus the newest of every month.
Before a restore, a backup is checked here too: whole, not from a newer version, and this office's.

Attachments (vouchers, photos) are content-addressed and never change, so backups keep them incrementally:
each backup copies into `backups/attachments/ab/<sha256>` the attachments not copied before (each copy checked
against its hash), and a restore of a database backup puts back any attachment missing from the workspace.
Rotation never removes these copies (an older backup may still need them); they take as much room as the
attachments themselves. They sit on the same disk as the workspace: the one-file backup (`backup_file`) is
what leaves the PC.

A backup also carries its own time inside it (the `backup_stamp` table written into the copy; for backups
older than the stamp, the newest `changed_at` of its change journal). A backup whose name or inside time
is ahead of this PC's clock (taken while the clock was set ahead, or renamed) is *suspicious*: it is listed
as such, never suppresses a new automatic backup, never counts as the newest good backup, and rotation
neither counts it among the newest nor deletes it (the user decides).
"""

import hashlib
import os
import re
import sqlite3
import stat
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

from desktop_app.core.errors import UserError
from desktop_app.core.storage import db, files
from desktop_app.core.storage.db import readonly_uri

KEEP_LATEST = 10
ATTACHMENT_COPIES = "attachments"  # in backups/: one copy of every attachment, content-addressed like the store
_SHA = re.compile(r"[0-9a-f]{64}")
CLOCK_SLACK = timedelta(minutes=10)  # a backup this far ahead of the clock is from the future
STAMP_TABLE = "backup_stamp"  # written into each backup copy; dropped again when a backup is restored
FUTURE_MARK = "（时间在将来，可疑）"
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
    inside_at: datetime | None = None  # the time the backup itself holds (see `inside_time`)
    future: bool = False  # its name or inside time is ahead of the clock: suspicious

    @property
    def reason_label(self) -> str:
        return REASONS.get(self.reason, self.reason)

    @property
    def future_mark(self) -> str:
        """The Chinese marker lists append to a suspicious backup ("" for an ordinary one)."""
        return FUTURE_MARK if self.future else ""


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


def _parse_time(text: str) -> datetime | None:
    try:
        parsed = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except (TypeError, ValueError):
        return None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


def inside_time(path: Path) -> datetime | None:
    """The time a backup holds inside it: the stamp written when it was taken, else (a backup from before
    stamps) the newest change its journal records; None for a file that tells neither (or cannot be read)."""
    try:
        wal = path.with_name(path.name + "-wal")
        conn = sqlite3.connect(readonly_uri(path, immutable=not wal.exists()), uri=True)
    except sqlite3.Error:
        return None
    try:
        tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        row = None
        if STAMP_TABLE in tables:
            row = conn.execute(f"SELECT max(taken_at) FROM {STAMP_TABLE}").fetchone()
        if (row is None or row[0] is None) and "change_journal" in tables:
            row = conn.execute("SELECT changed_at FROM change_journal ORDER BY seq DESC LIMIT 1").fetchone()
        return _parse_time(row[0]) if row and row[0] else None
    except sqlite3.Error:
        return None
    finally:
        conn.close()


def is_future(taken_at: datetime, inside_at: datetime | None, now: datetime | None = None) -> bool:
    """A backup is from the future when its name or its inside time is ahead of the clock."""
    limit = (now or datetime.now(UTC)) + CLOCK_SLACK
    return taken_at > limit or (inside_at is not None and inside_at > limit)


def list_backups(folder: Path) -> list[BackupInfo]:
    """Newest first by the time in the name (suspicious, future-dated ones therefore first, marked `future`).
    Only regular files count: a folder, a device or a dangling link named like a backup is no backup (and
    must not stop every new backup from being taken)."""
    found = []
    now = datetime.now(UTC)
    if folder.is_dir():
        for path in folder.glob("ledger-*.db"):
            parsed = _parse_name(path)
            if not parsed:
                continue
            try:
                info = path.stat()
            except OSError:  # gone meanwhile, a dangling link, unreadable
                continue
            if not stat.S_ISREG(info.st_mode):
                continue
            inside = inside_time(path)
            found.append(BackupInfo(path, parsed[0], parsed[1], info.st_size, inside,
                                    is_future(parsed[0], inside, now)))
    return sorted(found, key=lambda b: b.taken_at, reverse=True)


def newest_ordinary(backups: list[BackupInfo]) -> BackupInfo | None:
    """The newest backup that is not from the future."""
    return next((b for b in backups if not b.future), None)


def create_backup(source: sqlite3.Connection, folder: Path, reason: str, progress=None,
                  spare: Path | None = None) -> BackupInfo:
    """Copy the live database page by page, verify the copy, then rotate old backups (sparing `spare`:
    the backup a restore is about to put in place)."""
    folder.mkdir(parents=True, exist_ok=True)
    taken = datetime.now(UTC)
    final = folder / f"ledger-{taken.strftime('%Y%m%dT%H%M%S%fZ')}-{reason}.db"
    partial = final.with_suffix(".partial")
    snapshot(source, partial, taken, progress)
    if not integrity_ok(partial):
        partial.unlink(missing_ok=True)
        raise UserError("备份写完后校验失败，已丢弃这份备份。请检查磁盘空间或换一个磁盘后重试。")
    os.replace(partial, final)
    rotate(folder, spare)
    return BackupInfo(final, taken, reason, final.stat().st_size, taken, False)


def snapshot(source: sqlite3.Connection, partial: Path, taken: datetime, progress=None) -> None:
    """Page-copy the live database `source` into the file `partial` (self-contained, no WAL) and stamp the
    copy with its time. A cancelled or failed copy leaves nothing behind."""
    target = sqlite3.connect(partial)
    try:
        def _step(_status, remaining, total):
            if progress:
                progress(total - remaining, total)  # may raise Cancelled

        source.backup(target, pages=256, progress=_step)
        target.execute("PRAGMA journal_mode=DELETE")  # a backup is one self-contained file
        stamp = taken.strftime("%Y-%m-%dT%H:%M:%S.%fZ")
        with target:  # the backup's own time, inside it: a renamed file cannot hide it
            target.execute(f"CREATE TABLE IF NOT EXISTS {STAMP_TABLE} (taken_at TEXT NOT NULL)")
            target.execute(f"DELETE FROM {STAMP_TABLE}")
            target.execute(f"INSERT INTO {STAMP_TABLE} (taken_at) VALUES (?)", (stamp,))
    except BaseException:
        target.close()
        for side in ("", "-journal"):
            Path(str(partial) + side).unlink(missing_ok=True)
        raise
    target.close()


def rotate(folder: Path, spare: Path | None = None) -> list[Path]:
    """Keep the newest KEEP_LATEST and the newest backup of each month (and `spare`); remove the rest.
    Backups from the future (`is_future`: a name or an inside time ahead of the clock, e.g. renamed to 2099)
    take no place among the newest and no month's place, and are never removed here: the user decides.
    Removing is best effort: a backup that cannot be removed now (read-only, in use) stays until a later
    rotation; the backup just taken is not failed for it."""
    backups = [b for b in list_backups(folder) if not b.future]
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
            try:
                b.path.unlink(missing_ok=True)
            except OSError:
                continue
            removed.append(b.path)
    return removed


def newest_good_backup(folder: Path) -> BackupInfo | None:
    """The newest whole backup that is not from the future."""
    for b in list_backups(folder):
        if not b.future and integrity_ok(b.path):
            return b
    return None


# ---------------------------------------------------------------- the attachments, kept incrementally


def _stored(folder: Path):
    """The content-addressed files under `folder` (ab/<sha256>), nothing else (no partials, no strays)."""
    if folder.is_dir():
        for path in folder.glob("*/*"):
            if _SHA.fullmatch(path.name) and path.parent.name == path.name[:2] and path.is_file():
                yield path


def _copy_checked(source: Path, target: Path) -> bool:
    """Copy whole or not at all, hashing what is copied: False (nothing kept) when the content does not
    match its name (a damaged file is never copied over a good one)."""
    target.parent.mkdir(parents=True, exist_ok=True)
    digest = hashlib.sha256()
    with files.atomic_write(target, files.partial_path(target, suffix=".partial")) as partial:
        with open(source, "rb") as reader, open(partial, "wb") as writer:
            for chunk in iter(lambda: reader.read(files.CHUNK), b""):
                digest.update(chunk)
                writer.write(chunk)
        if digest.hexdigest() != target.name:
            raise _Mismatch
    return True


class _Mismatch(Exception):
    pass


def _copy_missing(source_dir: Path, target_dir: Path) -> int:
    copied = 0
    for source in _stored(source_dir):
        target = target_dir / source.name[:2] / source.name
        if target.exists():
            continue
        try:
            _copy_checked(source, target)
        except _Mismatch:
            continue
        copied += 1
    return copied


def keep_attachments(attachments_dir: Path, folder: Path) -> int:
    """Copy into backups/attachments/ each attachment not kept there yet; returns how many were copied."""
    try:
        return _copy_missing(attachments_dir, folder / ATTACHMENT_COPIES)
    except OSError as exc:
        if files.is_disk_full(exc):
            raise files.DiskFull("台账数据已经备份，但磁盘已满，凭证和照片的备份副本没有复制完（写了一半的文件已删去）。"
                                 "请腾出空间后再点“立即备份”，什么都没有丢失。") from exc
        raise UserError(f"台账数据已经备份，但凭证和照片的备份副本没有复制完：{files.os_error_text(exc)}。"
                        "请检查备份文件夹后再点“立即备份”。") from exc


def bring_back_attachments(folder: Path, attachments_dir: Path) -> int:
    """After a restore: put back from backups/attachments/ every attachment missing from the workspace."""
    return _copy_missing(folder / ATTACHMENT_COPIES, attachments_dir)


# ---------------------------------------------------------------- checking a backup before a restore


def usable_backup(folder: Path, backup_file: Path | str) -> Path:
    """A backup given by path or by file name in backups/, checked whole and not from a newer app."""
    source = Path(backup_file)
    if not source.is_file():
        source = folder / Path(str(backup_file)).name
    if not source.is_file():
        raise UserError(f"找不到备份“{Path(str(backup_file)).name}”。请在“设置 › 备份”的列表里（命令行用 backup list）"
                        "查看可用的备份。", technical=files.where(backup_file))
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
    except sqlite3.DatabaseError:  # tables of our names with other columns: some other program's file, or forged
        owner, ledger = None, False
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


# ---------------------------------------------------------------- what interrupted work left behind

PARTIAL_PATTERNS = ("*.partial", "*.partial-journal", "*.partial-wal", "*.partial-shm")


def remove_partials(backups_dir: Path, attachments_dir: Path) -> list[Path]:
    """Remove the `*.partial` files a killed `backup create` (backups/) or an interrupted attachment copy
    (attachments/**) left behind, with their SQLite side files. Only for a workspace that passed its checks
    and is locked by this process: nothing else can be writing them."""
    removed = []
    candidates = [p for pattern in PARTIAL_PATTERNS for p in backups_dir.glob(pattern)] if backups_dir.is_dir() else []
    for store in (attachments_dir, backups_dir / ATTACHMENT_COPIES):
        if store.is_dir():
            candidates += [p for pattern in PARTIAL_PATTERNS for p in store.rglob(pattern)]
    for path in candidates:
        if path.is_file() and not path.is_symlink():
            try:
                path.unlink()
            except OSError:
                continue  # best effort: a file that cannot go now goes on a later open
            removed.append(path)
    return removed
