"""The one-file backup that leaves the PC: the database, every attachment and every archived notice in one
ZIP file (`社区慈善台账备份-<单位>-<YYYYMMDD-HHMM>.zip`) on a USB stick or another folder.

Inside the ZIP (ZIP64, so size is no limit but the disk's):

- `ledger.db` — a page copy of the live database (SQLite's backup API, stamped with its time like the
  backups in `backups/`), deflated;
- `attachments/ab/<sha256>` — the content-addressed vouchers and photos, stored as they are (images and PDFs
  are compressed already);
- `notices/<number>.pdf` — the archived, published notices;
- `manifest.json` — format and version, the app's version, the office (id and name), the time, and every
  member's path, size and SHA-256.

The file is written beside its final name as a temporary `*.partial` (`files.atomic_write`), flushed to
disk, read back and verified — every member against the manifest, the database's `integrity_check` — and
only then renamed into place: a full USB stick, a pulled stick or a failed check leaves nothing behind.
The same verification runs before a restore (`verify`), so a truncated, altered or foreign file changes
nothing.
"""

import hashlib
import json
import os
import re
import sqlite3
import zipfile
import zlib
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from desktop_app import __version__
from desktop_app.core.errors import UserError
from desktop_app.core.storage import backup as backups
from desktop_app.core.storage import db, files

FORMAT = "charity-ledger-backup"
FORMAT_VERSION = 1
MANIFEST = "manifest.json"
DB_MEMBER = "ledger.db"
ATTACHMENTS = "attachments"
NOTICES = "notices"
NAME_PREFIX = "社区慈善台账备份"
SUFFIX = ".zip"
_SHA = re.compile(r"[0-9a-f]{64}")
_UNSAFE_NAME = re.compile(r'[\\/:*?"<>|\x00-\x1f]+')
MAX_MANIFEST_BYTES = 64 << 20  # about 100 bytes a member: far beyond any workspace, far below a memory bomb
_METHODS = (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED)  # all this format writes

Progress = Callable[[int, int], None]


@dataclass(frozen=True)
class Member:
    path: str  # inside the ZIP, with "/"
    size: int
    sha256: str


@dataclass(frozen=True)
class Manifest:
    office_id: str
    office_name: str
    created_at: datetime
    app_version: str
    members: tuple[Member, ...]

    @property
    def attachments(self) -> list[Member]:
        return [m for m in self.members if m.path.startswith(ATTACHMENTS + "/")]

    @property
    def notices(self) -> list[Member]:
        return [m for m in self.members if m.path.startswith(NOTICES + "/")]


@dataclass(frozen=True)
class FileBackup:
    """A one-file backup written and verified."""
    path: Path
    size: int
    members: int  # database + attachments + notices (the manifest not counted)
    attachments: int
    notices: int
    created_at: datetime

    @property
    def size_text(self) -> str:
        return files.size_text(self.size)


def is_file_backup(path: Path | str) -> bool:
    """Whether a path names a one-file backup (by its suffix: what a user picks or types)."""
    return Path(path).suffix.lower() == SUFFIX


def backup_name(office_name: str, when: datetime) -> str:
    office = _UNSAFE_NAME.sub("_", office_name).strip(" .") or "本单位"
    return f"{NAME_PREFIX}-{office}-{when.astimezone():%Y%m%d-%H%M}{SUFFIX}"


def target_path(out: Path | str, office_name: str, when: datetime) -> Path:
    """Where the backup goes: `out` itself when it names a .zip file in an existing folder, else a new file
    named by `backup_name` in the folder `out` (a second backup in the same minute gets “-2”)."""
    out = Path(out).expanduser()
    if out.is_dir():
        target = out / backup_name(office_name, when)
        n = 2
        while target.exists():
            target = out / f"{Path(backup_name(office_name, when)).stem}-{n}{SUFFIX}"
            n += 1
        return target
    if out.suffix.lower() == SUFFIX:
        if not out.parent.is_dir():
            raise UserError(f"找不到文件夹“{files.shown_name(out.parent)}”（U 盘可能没有插好）。"
                            "请先插好 U 盘或选择一个已有的文件夹，再备份。", technical=files.where(out.parent))
        if out.exists():
            raise UserError(f"“{out.name}”已经存在，没有覆盖它。请换一个文件名，或只指定文件夹（程序会自动起名）。",
                            technical=files.where(out))
        return out
    if out.exists():
        raise UserError(f"“{files.shown_name(out)}”是一个已有的文件，不是文件夹。请指定一个文件夹，或一个以 .zip 结尾的文件名。",
                        technical=files.where(out))
    raise UserError(f"找不到文件夹“{files.shown_name(out)}”（U 盘可能没有插好）。请先插好 U 盘或选择一个已有的文件夹，再备份。",
                    technical=files.where(out))


# ---------------------------------------------------------------------------------------------- writing


def workspace_files(attachments_dir: Path, notices_dir: Path) -> list[tuple[str, Path]]:
    """(member path, file) of every attachment (content-addressed: ab/<sha256>) and every archived notice."""
    found = []
    if attachments_dir.is_dir():
        for path in sorted(attachments_dir.glob("*/*")):
            if path.is_file() and _SHA.fullmatch(path.name) and path.parent.name == path.name[:2]:
                found.append((f"{ATTACHMENTS}/{path.name[:2]}/{path.name}", path))
    if notices_dir.is_dir():
        for path in sorted(notices_dir.glob("*.pdf")):
            if path.is_file() and not path.name.startswith("."):
                found.append((f"{NOTICES}/{path.name}", path))
    return found


def create(source: sqlite3.Connection, *, out: Path | str, office: tuple[str, str], attachments_dir: Path,
           notices_dir: Path, scratch: Path, progress: Progress | None = None) -> FileBackup:
    """Write the one-file backup of the database `source` (a live connection) and the workspace's files to
    `out` (a folder or a .zip path), verify it and return what was written. `scratch`: a folder of the
    workspace for the database snapshot (its `*.partial` files are cleared on the next open if killed)."""
    created = datetime.now(UTC)
    target = target_path(out, office[1], created)
    entries = workspace_files(attachments_dir, notices_dir)
    total = len(entries) + 2  # the database, the files, the check
    scratch.mkdir(parents=True, exist_ok=True)
    snapshot = None
    try:
        try:
            snapshot = files.partial_path(scratch / "ledger-export.db")
            backups.snapshot(source, snapshot, created)
            with files.atomic_write(target, files.partial_path(target, suffix=".partial")) as partial:
                members = _write_zip(partial, snapshot, entries, office, created, progress, total)
                files.fsync_file(partial)
                verify(partial, scratch, expect_office=office[0], progress=progress, done=total - 1, total=total)
        finally:
            remove_database(snapshot)
    except UserError:
        raise
    except OSError as exc:
        raise _write_error(exc, target) from exc
    except sqlite3.Error as exc:
        if files.is_disk_full(exc):
            raise files.DiskFull(_FULL) from exc
        raise
    if progress:
        progress(total, total)
    attachments = sum(1 for m in members if m.path.startswith(ATTACHMENTS + "/"))
    return FileBackup(target, target.stat().st_size, len(members), attachments,
                      len(members) - attachments - 1, created)


_FULL = ("磁盘已满（或 U 盘空间不足），备份文件没有写成，写了一半的文件已删去。"
         "请腾出空间或换一个空间更大的 U 盘后重试，台账数据没有任何改动。")


def _write_error(exc: OSError, target: Path) -> UserError:
    if files.is_disk_full(exc):
        return files.DiskFull(_FULL)
    return UserError(f"无法把备份写到文件夹“{files.shown_name(target.parent)}”：{files.os_error_text(exc)}。"
                     "写了一半的文件已删去，台账数据没有任何改动。请换一个文件夹或 U 盘后重试。",
                     technical=files.where(target))


def _write_zip(partial: Path, snapshot: Path, entries: list[tuple[str, Path]], office: tuple[str, str],
               created: datetime, progress: Progress | None, total: int) -> list[Member]:
    stamp = created.astimezone().timetuple()[:6]
    members = []
    with zipfile.ZipFile(partial, "w", allowZip64=True) as archive:
        members.append(_add(archive, DB_MEMBER, snapshot, stamp, zipfile.ZIP_DEFLATED))
        if progress:
            progress(1, total)
        for done, (name, path) in enumerate(entries, start=2):
            members.append(_add(archive, name, path, stamp, zipfile.ZIP_STORED))
            if progress:
                progress(done, total)
        manifest = {
            "format": FORMAT, "format_version": FORMAT_VERSION, "app_version": __version__,
            "office": {"id": office[0], "name": office[1]},
            "created_at": created.strftime("%Y-%m-%dT%H:%M:%S.%fZ"),
            "members": [{"path": m.path, "size": m.size, "sha256": m.sha256} for m in members],
        }
        info = zipfile.ZipInfo(MANIFEST, stamp)
        info.compress_type = zipfile.ZIP_DEFLATED
        archive.writestr(info, json.dumps(manifest, ensure_ascii=False, indent=1))
    return members


def _add(archive: zipfile.ZipFile, name: str, path: Path, stamp, compression: int) -> Member:
    """Copy one file in, hashing the very bytes written (a file changed meanwhile cannot disagree)."""
    info = zipfile.ZipInfo(name, stamp)
    info.compress_type = compression
    digest, size = hashlib.sha256(), 0
    with open(path, "rb") as source, archive.open(info, "w", force_zip64=True) as sink:
        for chunk in iter(lambda: source.read(files.CHUNK), b""):
            digest.update(chunk)
            sink.write(chunk)
            size += len(chunk)
    return Member(name, size, digest.hexdigest())


# ---------------------------------------------------------------------------------------------- reading


def _damaged(path: Path, why: str, member: Member | None = None) -> UserError:
    technical = files.where(path) + (f"\n备份里的文件：{member.path}（SHA-256 {member.sha256}）" if member else "")
    return UserError(f"备份文件“{path.name}”{why}，没有用它做任何事。请换一份备份文件（或在原来的电脑上重新备份到 U 盘）后再试。",
                     technical=technical)


def _member_words(m: Member) -> str:
    """A member in plain words: attachments are named by their hash, which tells a user nothing."""
    if m.path == DB_MEMBER:
        return "台账数据"
    if m.path.startswith(f"{NOTICES}/"):
        return f"公示存档“{m.path.removeprefix(f'{NOTICES}/')}”"
    return "一个凭证或照片文件"


def _check_entries(archive: zipfile.ZipFile, path: Path) -> None:
    """Before any member is read: a file re-packed by an archiver (a password, a compression this format
    never writes) cannot be read by zipfile, and is refused in words rather than by a traceback."""
    for info in archive.infolist():
        if info.flag_bits & 0x1:
            raise _damaged(path, "设了密码，本程序打不开（可能用压缩软件重新打包过）")
        if info.compress_type not in _METHODS:
            raise _damaged(path, "用了本程序不支持的压缩方式（可能用压缩软件重新打包过）")


def read_manifest(archive: zipfile.ZipFile, path: Path) -> Manifest:
    _check_entries(archive, path)
    try:
        info = archive.getinfo(MANIFEST)
    except KeyError:
        raise _damaged(path, "不是社区慈善台账的备份文件（里面没有备份清单）") from None
    if info.file_size > MAX_MANIFEST_BYTES:  # read whole into memory: a bomb would exhaust it
        raise _damaged(path, "的备份清单大得不正常（可能被改动过）")
    try:
        raw = json.loads(archive.read(info).decode("utf-8"))
    except (ValueError, UnicodeDecodeError, RecursionError):  # RecursionError: arrays nested ten thousand deep
        raise _damaged(path, "的备份清单已损坏") from None
    if not isinstance(raw, dict) or raw.get("format") != FORMAT:
        raise _damaged(path, "不是社区慈善台账的备份文件")
    version = raw.get("format_version")
    if not isinstance(version, int) or version > FORMAT_VERSION:
        raise UserError(f"备份文件“{path.name}”来自更新版本的程序（{raw.get('app_version', '未知版本')}），"
                        "本程序无法恢复它。请先把程序升级到同一版本或更新的版本，再恢复。")
    try:
        office = raw["office"]
        members = tuple(Member(str(m["path"]), int(m["size"]), str(m["sha256"])) for m in raw["members"])
        manifest = Manifest(str(office["id"]), str(office["name"]),
                            datetime.fromisoformat(raw["created_at"].replace("Z", "+00:00")),
                            str(raw.get("app_version", "")), members)
    except (KeyError, TypeError, ValueError, AttributeError, OverflowError):  # Overflow: "size": Infinity
        raise _damaged(path, "的备份清单已损坏") from None
    for m in members:
        if not _safe_member(m):
            raise _damaged(path, f"里有不该有的文件“{m.path}”（可能被改动过）")
    if [m.path for m in members].count(DB_MEMBER) != 1 or len({m.path for m in members}) != len(members):
        raise _damaged(path, "的备份清单已损坏")
    return manifest


def _safe_member(m: Member) -> bool:
    """Only the names this format writes: nothing can be extracted outside its folder."""
    parts = m.path.split("/")
    if m.path == DB_MEMBER:
        return True
    if len(parts) == 3 and parts[0] == ATTACHMENTS:
        return _SHA.fullmatch(parts[2]) is not None and parts[1] == parts[2][:2] and parts[2] == m.sha256
    if len(parts) == 2 and parts[0] == NOTICES:
        name = parts[1]
        return (name.endswith(".pdf") and not name.startswith(".") and "\\" not in name and ":" not in name
                and name not in ("", ".pdf"))
    return False


def verify(path: Path | str, scratch: Path, *, expect_office: str | None = None, keep_database: bool = False,
           progress: Progress | None = None, done: int = 0, total: int = 0) -> tuple[Manifest, Path | None]:
    """Check a one-file backup whole: a ZIP with this format's manifest, exactly the members it lists, each
    of the size and SHA-256 it lists, a database that passes `integrity_check`, is not from a newer version
    and belongs to the office the manifest names (and to `expect_office`, when given). Raises a UserError
    saying what is wrong. With `keep_database`, the database is left extracted in `scratch` and its path
    returned (the caller removes it); else it is removed and None returned."""
    path = Path(path)
    try:
        archive = zipfile.ZipFile(path)
    except FileNotFoundError:
        raise UserError(f"找不到备份文件“{path.name}”。请检查文件是否存在、U 盘是否插好。",
                        technical=files.where(path)) from None
    except (zipfile.BadZipFile, EOFError, ValueError):
        raise _damaged(path, "不完整或已损坏（可能没有复制完，或 U 盘被提前拔出）") from None
    except OSError as exc:
        raise UserError(f"无法读取备份文件“{path.name}”：{files.os_error_text(exc)}。请检查 U 盘后重试。") from None
    extracted = None
    try:
        with archive:
            manifest = read_manifest(archive, path)
            if expect_office is not None and manifest.office_id != expect_office:
                raise _damaged(path, "的清单与写入的单位不符")
            names = {i.filename for i in archive.infolist()} - {MANIFEST}
            listed = {m.path for m in manifest.members}
            if names != listed or len(archive.infolist()) != len(listed) + 1:
                raise _damaged(path, "的内容与备份清单对不上（可能被改动过，或没有复制完）")
            for m in manifest.members:  # before unpacking anything: a zip bomb declares its size here
                if archive.getinfo(m.path).file_size != m.size:
                    raise _damaged(path, f"里的{_member_words(m)}与备份清单不符（已被改动或损坏）", m)
            scratch.mkdir(parents=True, exist_ok=True)
            extracted = files.partial_path(scratch / "ledger-restore.db")
            for i, m in enumerate(manifest.members, start=1):
                _check_member(archive, m, path, extracted if m.path == DB_MEMBER else None)
                if progress and total:  # within a backup being written: its last step
                    progress(done, total)
                elif progress:  # before a restore: one step a member
                    progress(i, len(manifest.members))
            if not backups.integrity_ok(extracted):
                raise _damaged(path, "里的台账数据库未通过完整性检查")
            try:
                conn = db.connect_raw(extracted, readonly=True)
                try:
                    version, owner = db.schema_version(conn), db.backup_owner(conn)
                finally:
                    conn.close()
            except sqlite3.Error:  # tables named like this app's, but not its (a forged database)
                raise _damaged(path, "里的数据库不是本程序的数据（可能被改动过）") from None
            if version > db.LATEST_VERSION:
                raise UserError(f"备份文件“{path.name}”来自更新版本的程序，本程序无法恢复它。请先升级程序再恢复。")
            if owner is None or owner[0] != manifest.office_id:
                raise _damaged(path, "里的数据库与备份清单写的单位不符（可能被改动过）")
    except (zipfile.BadZipFile, EOFError, zlib.error):
        remove_database(extracted)
        raise _damaged(path, "不完整或已损坏（可能没有复制完，或 U 盘被提前拔出）") from None
    except OSError as exc:
        remove_database(extracted)
        if files.is_disk_full(exc):
            raise files.DiskFull() from exc
        raise UserError(f"无法读取备份文件“{path.name}”：{files.os_error_text(exc)}。请检查 U 盘后重试。") from None
    except BaseException:
        remove_database(extracted)
        raise
    if keep_database:
        return manifest, extracted
    remove_database(extracted)
    return manifest, None


def _check_member(archive: zipfile.ZipFile, m: Member, path: Path, extract_to: Path | None) -> None:
    digest, size = hashlib.sha256(), 0
    sink = open(extract_to, "wb") if extract_to is not None else None
    try:
        with archive.open(m.path) as stream:
            for chunk in iter(lambda: stream.read(files.CHUNK), b""):
                digest.update(chunk)
                size += len(chunk)
                if sink is not None:
                    sink.write(chunk)
    finally:
        if sink is not None:
            sink.close()
    if size != m.size or digest.hexdigest() != m.sha256:
        raise _damaged(path, f"里的{_member_words(m)}与备份清单不符（已被改动或损坏）", m)


def extract_member(archive: zipfile.ZipFile, m: Member, target: Path,
                   make_room: Callable[[], None] | None = None) -> None:
    """Put one verified member in place, whole or not at all, checking its hash again as it is written.
    `make_room`: called once the member is written and checked, just before it replaces `target`."""
    target.parent.mkdir(parents=True, exist_ok=True)
    with files.atomic_write(target, files.partial_path(target, suffix=".partial")) as partial:
        digest = hashlib.sha256()
        with archive.open(m.path) as stream, open(partial, "wb") as sink:
            for chunk in iter(lambda: stream.read(files.CHUNK), b""):
                digest.update(chunk)
                sink.write(chunk)
        if digest.hexdigest() != m.sha256:
            raise UserError(f"恢复时读到的{_member_words(m)}与备份清单不符（U 盘可能有坏块），已停下。请把备份文件复制到电脑上再恢复。",
                            technical=f"备份里的文件：{m.path}（SHA-256 {m.sha256}）")
        if make_room is not None:
            make_room()


def place_files(path: Path, manifest: Manifest, root: Path, placed: list[Path] | None = None
                ) -> tuple[list[Path], list[Member]]:
    """Before a restore replaces the database: copy under `root` the backup's attachments and notices that are
    missing (content-addressed: a file already there with the same hash is kept). Returns the files placed
    (also appended to `placed` as they come, for the caller to remove after a failure) and the members
    whose file there has other content (see `replace_differing`)."""
    placed = [] if placed is None else placed
    differing = []
    with zipfile.ZipFile(path) as archive:
        for m in manifest.attachments + manifest.notices:
            target = root / m.path
            if target.is_file():
                if files.sha256_of(target) != m.sha256:
                    differing.append(m)
                continue
            extract_member(archive, m, target)
            placed.append(target)
    return placed, differing


def replace_differing(path: Path, members: list[Member], root: Path) -> None:
    """After the database was restored: a notice archived under the same number with other content (one
    published after the backup was taken) is moved aside as `<number>.unrecorded-<time>.pdf`, never
    overwritten; an attachment whose content no longer matches its hash (damaged) is replaced. The file
    there is moved only once the backup's one is written whole beside it: a failure (a full disk) leaves it
    in place, and says that the database was restored all the same."""
    if not members:
        return
    stamp = f"{datetime.now(UTC):%Y%m%dT%H%M%S}"
    try:
        with zipfile.ZipFile(path) as archive:
            for m in members:
                target = root / m.path
                aside = target.with_name(f"{target.stem}.unrecorded-{stamp}.pdf")
                notice = m.path.startswith(NOTICES + "/")
                extract_member(archive, m, target, make_room=(lambda t=target, a=aside: os.replace(t, a)) if notice else None)
    except (OSError, UserError, zipfile.BadZipFile, zlib.error) as exc:
        why = files.os_error_text(exc) if isinstance(exc, OSError) else "备份文件读取出错"
        raise UserError(f"台账数据已经从备份恢复，但有公示存档或凭证文件没能从备份文件放回工作区：{why}。工作区里原有的文件都还在，"
                        f"请{'腾出磁盘空间' if files.is_disk_full(exc) else '检查磁盘和 U 盘'}后再恢复一次这份备份文件。",
                        technical=files.where(path)) from exc


def remove_files(paths: list[Path]) -> None:
    for path in paths:
        path.unlink(missing_ok=True)


# SQLite's answers to a database whose tables are not what this app made (a forged or foreign backup that still
# names the office): an SQL error, corrupt, schema, constraint (a trigger), mismatch, format, range, not a database
_FOREIGN_DATABASE = {sqlite3.SQLITE_ERROR, sqlite3.SQLITE_CORRUPT, sqlite3.SQLITE_SCHEMA, sqlite3.SQLITE_CONSTRAINT,
                     sqlite3.SQLITE_MISMATCH, sqlite3.SQLITE_FORMAT, sqlite3.SQLITE_RANGE, sqlite3.SQLITE_NOTADB}


def restore_error(exc: BaseException) -> BaseException:
    """What a restore that failed part-way raises: an OS error in Chinese, a backup's database that is not
    this app's (when it is brought up to date and given its new epoch) in Chinese; anything else as it was."""
    if isinstance(exc, UserError):
        return exc
    if files.is_disk_full(exc):
        return files.DiskFull()
    if isinstance(exc, OSError):
        return UserError(f"恢复没有完成：{files.os_error_text(exc)}。台账数据没有改动，请检查磁盘后重试。")
    cause = getattr(exc, "orig", None) or exc  # SQLAlchemy wraps the sqlite3 error
    if isinstance(cause, sqlite3.Error) and (getattr(cause, "sqlite_errorcode", 0) & 0xFF) in _FOREIGN_DATABASE:
        return UserError("备份文件里的台账数据库结构不对（可能被改动过，或不是本程序做的备份），没有用它恢复，台账数据没有改动。"
                         "请换一份备份文件（或在原来的电脑上重新备份到 U 盘）后再试。")
    return exc


def remove_database(path: Path | None) -> None:
    """Remove an extracted or snapshot database file and its SQLite side files (None: nothing)."""
    if path is not None:
        for side in ("", "-journal", "-wal", "-shm"):
            Path(str(path) + side).unlink(missing_ok=True)

