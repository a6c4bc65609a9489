"""Files written whole or not at all, their SHA-256, the checks on a file a user hands in, and a full disk
told apart from other failures.

A file appears under its name only when it is complete and on disk: it is written beside the target under
a temporary name, flushed (fsync), then renamed over the target (os.replace is atomic on Windows and Linux).
A power cut or a killed process leaves the old file or the new one, never half of one.
"""

import errno
import hashlib
import os
import shutil
import sqlite3
import stat
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from desktop_app.core.errors import UserError

CHUNK = 1 << 20

DISK_FULL = ("磁盘已满（或 U 盘空间不足），这次操作没有完成。"
             "请腾出空间后重试（删掉不用的文件，或把工作区复制到空间更大的磁盘），什么都没有改动。")


class DiskFull(UserError):
    """The disk filled up part-way; the work was rolled back and its temporary files removed."""

    def __init__(self, message: str = DISK_FULL):
        super().__init__(message)


def is_disk_full(exc: BaseException | None) -> bool:
    """Whether `exc` (or what it wraps: SQLAlchemy's `.orig`, a cause or context) is a full disk: ENOSPC or
    EDQUOT from the OS, SQLITE_FULL ("database or disk is full") from SQLite."""
    seen = set()
    while exc is not None and id(exc) not in seen:
        seen.add(id(exc))
        if isinstance(exc, DiskFull):
            return True
        if isinstance(exc, OSError) and exc.errno in (errno.ENOSPC, getattr(errno, "EDQUOT", errno.ENOSPC)):
            return True
        if isinstance(exc, sqlite3.Error) and (getattr(exc, "sqlite_errorcode", None) == sqlite3.SQLITE_FULL
                                                or "database or disk is full" in str(exc)):
            return True
        exc = getattr(exc, "orig", None) or exc.__cause__ or exc.__context__
    return False


def check_source_file(path: Path | str, what: str = "附件", *, allow_empty: bool = False) -> Path:
    """A file the user hands in (a voucher scan, a photo): there, a regular file, readable and — unless
    `allow_empty` — not empty. Each refusal says what the path really is (a folder, a pipe …), never only
    “找不到”. Looks with stat before opening: opening a named pipe would wait for ever."""
    p = Path(path)
    try:
        info = p.stat()
    except FileNotFoundError:
        raise UserError(f"找不到{what}“{p}”。请检查文件是否存在、路径是否写对。") from None
    except OSError as exc:
        raise UserError(f"无法读取{what}“{p}”：{exc.strerror}。请确认路径和读取权限。") from None
    if stat.S_ISDIR(info.st_mode):
        raise UserError(f"{what}“{p}”是文件夹，不是文件。请选择文件夹里的扫描件或照片文件。")
    if not stat.S_ISREG(info.st_mode):
        raise UserError(f"{what}“{p}”不是普通文件（可能是管道、设备或快捷方式指向的特殊文件）。"
                        "请选择扫描件或照片文件本身。")
    if info.st_size == 0 and not allow_empty:
        raise UserError(f"{what}“{p.name}”是空文件（0 字节），里面没有内容，不能作为凭证。"
                        "请重新扫描或拍照，确认文件能打开后再添加。")
    try:
        with open(p, "rb") as handle:
            handle.read(1)
    except OSError as exc:
        raise UserError(f"无法读取{what}“{p.name}”：{exc.strerror}。请确认文件没有被占用并有读取权限。") from None
    return p


def sha256_of(path: Path | str) -> str:
    """The SHA-256 of a file, read in 1 MiB chunks (photos and scans can be large)."""
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for chunk in iter(lambda: handle.read(CHUNK), b""):
            digest.update(chunk)
    return digest.hexdigest()


def fsync_file(path: Path | str) -> None:
    """Put a written file's content on disk before it is renamed into place."""
    with open(path, "rb+") as handle:
        os.fsync(handle.fileno())


def partial_path(target: Path, *, prefix: str = ".", suffix: str = ".partial") -> Path:
    """A fresh, unique temporary file beside `target` (same folder, so the final rename cannot cross disks)."""
    handle, name = tempfile.mkstemp(prefix=f"{prefix}{target.stem}.", suffix=suffix, dir=target.parent)
    os.close(handle)
    return Path(name)


@contextmanager
def atomic_write(target: Path, partial: Path | None = None) -> Iterator[Path]:
    """Yield a temporary path beside `target` to write; when the block ends normally the file is fsynced
    and moved onto `target`, otherwise it is removed. Either way no temporary file is left behind."""
    partial = partial or partial_path(target)
    try:
        yield partial
        fsync_file(partial)
        os.replace(partial, target)
    finally:
        partial.unlink(missing_ok=True)


def copy_atomically(source: Path, target: Path, partial: Path | None = None) -> None:
    """Copy `source` to `target` byte for byte, whole or not at all."""
    with atomic_write(target, partial) as temporary:
        shutil.copyfile(source, temporary)
