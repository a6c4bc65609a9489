"""The workspace: one folder holding the database, content-addressed attachments and backups.

Opening checks, in order: the folder is writable, no other process holds it (an OS lock, released
by the OS when its process dies, so a crash never leaves a stale lock), the file is SQLite, it passes
`quick_check`, and it is not from a newer version of the app. Older schemas are backed up, then
migrated. Nothing is written to a workspace that fails these checks. Once they pass, what interrupted work
left behind (a killed restore's staging file, a killed backup's or attachment copy's `*.partial`) is removed.

A workspace that cannot be written (a write-protected USB stick) opens, when the caller allows it
(`read_only_ok`: the command line's lists, reports and exports), *read-only*: nothing is written beside it —
no lock, no backup, no -shm file — and every write is refused with a message saying why. A transaction that
fails removes the attachment files it copied in; a full disk is reported as `files.DiskFull`.
"""

import json
import os
import socket
import sqlite3
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

import filelock
from sqlalchemy import func
from sqlmodel import Session, select

from desktop_app.core.errors import UserError, WorkspaceDamaged, WorkspaceError, WorkspaceLocked
from desktop_app.core.models import Attachment, ChangeJournal, LocalIdentity, Office, WorkspaceEpoch, utc_now
from desktop_app.core.storage import backup as backups
from desktop_app.core.storage import backup_file as backup_file_module
from desktop_app.core.storage import db, files, journal
from desktop_app.core.storage import identity as workspace_identity
from desktop_app.core.storage.open_check import DeferredCheck
from desktop_app.core.storage.paths import DB_NAME, default_workspace_dir, demo_workspace_dir  # noqa: F401 (re-exported)

AUTO_BACKUP_AGE = timedelta(days=1)


class Workspace:
    """An open workspace. Use `Workspace.open(...)` and close it (or use it as a context manager)."""

    def __init__(self, root: Path):
        self.root = root
        self.db_path = root / DB_NAME
        self.attachments_dir = root / "attachments"
        self.backups_dir = root / "backups"
        self._lock: filelock.BaseFileLock | None = None
        self.engine = None
        self.read_engine = None
        self._identity: tuple[str, str] | None = None  # (office id, epoch id), read once
        self.operator = workspace_identity.operator_name()
        self._auto_backup = True
        self.read_only = False  # opened read-only: the folder cannot be written (see `open`)
        self.open_check = DeferredCheck(self._deferred_check)  # quick_check deferred by `open(defer_checks=True)`

    # ---------------------------------------------------------------- open / close

    @classmethod
    def open(cls, root: Path | str, *, create: bool = False, auto_backup: bool = True,
             defer_checks: bool = False, read_only_ok: bool = False) -> "Workspace":
        """Open (or with `create`, make) a workspace.

        `defer_checks` lets the window appear first: the GUI runs `run_deferred_checks()` on a thread of its
        own while the pages read; every write waits for its verdict (`storage.open_check`).
        `read_only_ok`: a workspace whose folder cannot be written opens read-only instead of being refused.
        """
        ws = cls(Path(root).expanduser().resolve())
        ws._check_folder(create, read_only_ok)
        if ws.read_only:
            ws._check_read_only_database()
            ws._connect()
            return ws
        ws._acquire_lock()
        try:
            ws._check_database(create, quick_check=not defer_checks)
            ws.open_check.pending = defer_checks
            ws._connect()
            _remove_staging(ws.root)  # what a restore killed part-way left behind
            ws._auto_backup = auto_backup
            if not defer_checks:
                backups.remove_partials(ws.backups_dir, ws.attachments_dir)  # only once the checks passed
                ws._backup_on_open()
        except BaseException as exc:
            ws._release()
            if isinstance(exc, sqlite3.OperationalError):  # SQLite cannot open the file: a path too long, no rights
                raise ws._refused(CANNOT_OPEN.format(name=ws.name)) from exc
            if isinstance(exc, sqlite3.DatabaseError):  # damaged past its header (met before a deferred quick_check)
                raise ws.damaged_error() from None
            raise
        return ws

    def run_deferred_checks(self) -> None:  # from any thread, once; raises WorkspaceDamaged
        self.open_check.run()

    def _deferred_check(self) -> WorkspaceDamaged | None:
        """quick_check; once it passed, what a killed `backup create` or attachment copy left is removed."""
        if not backups.integrity_ok(self.db_path, quick=True):
            return self.damaged_error()
        if not self.read_only:
            backups.remove_partials(self.backups_dir, self.attachments_dir)
        return None

    def backup_if_due(self, progress=None) -> None:
        """The backup on open: when the newest backup is older than a day (or there is none). A backup from
        the future (a clock once set ahead) does not count: it never suppresses this one."""
        self._backup_on_open(progress)

    def _backup_on_open(self, progress=None) -> None:
        if self._auto_backup and self.has_office():
            last = self.last_backup()
            if last is None or datetime.now(UTC) - last.taken_at > AUTO_BACKUP_AGE:
                self.create_backup("open", progress)

    def damaged_error(self, problem: str = "台账数据库未通过完整性检查") -> WorkspaceDamaged:
        good = backups.newest_good_backup(self.backups_dir)
        hint = (
            f"最近一份完好的备份是 {good.taken_at.astimezone():%Y-%m-%d %H:%M}（{good.path.name}），"
            "程序会提示用它恢复（命令行：backup restore）。"
            if good
            else "没有找到完好的备份，请联系技术支持，不要再写入这个文件。"
        )
        return WorkspaceDamaged(f"{problem}，已停止打开，没有写入任何内容。{hint}", good_backup=good)

    name = property(lambda self: files.shown_name(self.root))  # the folder in plain words; full path: `_refused`

    def _refused(self, message: str, kind: type[WorkspaceError] = WorkspaceError) -> WorkspaceError:
        return kind(message, technical=files.where(self.root))

    def check_writable(self) -> None:
        """Before any write: refused on a read-only workspace; waits for the deferred check, refused if it failed."""
        if self.read_only:
            raise self.read_only_error()
        self.open_check.before_write()

    def read_only_error(self) -> WorkspaceError:
        return self._refused(
            f"工作区“{self.name}”是只读的（U 盘打开了写保护，或没有写权限），只能查看、出报表和导出到别的文件夹，"
            "不能修改，这次什么都没有改动。要修改，请关掉 U 盘的写保护开关，或把整个工作区文件夹复制到可写的位置后再打开。")

    def _check_folder(self, create: bool, read_only_ok: bool = False) -> None:
        if self.root.exists() and not self.root.is_dir():
            raise self._refused(f"“{self.name}”是一个文件，不是工作区文件夹。请指定一个文件夹。")
        if not self.root.exists():
            if not create:
                raise self._refused(f"找不到工作区“{self.name}”。请先运行 init 创建工作区，或用 --workspace 指定已有的工作区。")
            try:
                self.root.mkdir(parents=True)
            except OSError as exc:
                raise self._refused(f"无法创建工作区文件夹“{self.name}”：{files.os_error_text(exc)}。"
                                    "请换一个有写权限的位置。") from exc
        if not (self.db_path.exists() or create):
            raise self._refused(f"“{self.name}”里没有台账数据库。请先运行 init 创建工作区。")
        probe = self.root / ".write-test"
        try:
            probe.write_bytes(b"")
            probe.unlink()
        except OSError:
            if read_only_ok and not create and self.db_path.is_file():
                self.read_only = True
                return
            raise self._refused(
                f"工作区“{self.name}”不可写（只读的 U 盘或没有权限）。请把它复制到可写的位置，或检查 U 盘的写保护开关。") from None

    def _acquire_lock(self) -> None:
        lock = filelock.FileLock(self.root / "workspace.lock", timeout=0, is_singleton=False)
        try:
            lock.acquire()
        except filelock.Timeout:
            holder = self._read_lock_info()
            raise self._refused(f"工作区“{self.name}”正在被另一个窗口或程序使用{holder}。"
                                "请先关闭那个窗口；如果那台电脑已关机，锁会随进程结束自动解除，然后重试。", WorkspaceLocked) from None
        self._lock = lock
        info = {"pid": os.getpid(), "host": socket.gethostname(), "since": datetime.now().isoformat(" ", "seconds")}
        (self.root / "workspace.lock.info").write_text(json.dumps(info, ensure_ascii=False), encoding="utf-8")

    def _read_lock_info(self) -> str:
        try:
            info = json.loads((self.root / "workspace.lock.info").read_text(encoding="utf-8"))
            return f"（电脑 {info['host']}，进程 {info['pid']}，自 {info['since']} 起）"
        except (OSError, ValueError, KeyError):
            return ""

    def _check_database(self, create: bool, *, quick_check: bool = True) -> None:
        if sqlite3.sqlite_version_info < (3, 34, 0):  # FTS5 trigram search (migration 2)
            raise WorkspaceError(f"本电脑的 SQLite 版本过旧（{sqlite3.sqlite_version}，需要 3.34 或更新）。"
                                 "请使用安装包自带的程序，或升级 Python 后重试。")
        if self.db_path.exists() and self.db_path.stat().st_size == 0 and self.list_backups():
            # an emptied file beside real backups is damage (a failed copy, a crash), not a new workspace
            raise self.damaged_error(f"台账数据库“{self.db_path.name}”是空文件")
        if self.db_path.exists() and self.db_path.stat().st_size > 0:
            with open(self.db_path, "rb") as handle:
                if handle.read(16) != db.SQLITE_HEADER:
                    raise self.damaged_error(f"“{self.db_path.name}”不是台账数据库文件（可能被别的文件覆盖了）")
            if quick_check and not backups.integrity_ok(self.db_path, quick=True):
                raise self.damaged_error()
            version = db.stored_version(self.db_path)
            if version is None:  # never written to: our tables would end up in another program's file
                raise self._refused(f"“{self.name}”里的 {DB_NAME} 不是社区慈善台账的数据库（是别的程序的数据文件），"
                                    "没有打开，也没有改动它。请选择社区慈善台账的工作区文件夹，或换一个空文件夹新建单位。")
            if version > db.LATEST_VERSION:
                raise newer_version_error(version)
            if version < db.LATEST_VERSION and version > 0:
                if not quick_check and not backups.integrity_ok(self.db_path, quick=True):
                    raise self.damaged_error()  # never migrate a damaged file
                conn = db.connect_raw(self.db_path)
                try:
                    backups.create_backup(conn, self.backups_dir, "migration")
                    db.migrate(conn)
                finally:
                    conn.close()
                return
        conn = db.connect_raw(self.db_path)
        try:
            db.migrate(conn)
        finally:
            conn.close()

    def _check_read_only_database(self) -> None:
        """The checks of `_check_database` for a workspace that cannot be written: nothing to migrate."""
        with open(self.db_path, "rb") as handle:
            if handle.read(16) != db.SQLITE_HEADER:
                raise self.damaged_error(f"“{self.db_path.name}”不是台账数据库文件（可能被别的文件覆盖了）")
        if not backups.integrity_ok(self.db_path, quick=True):
            raise self.damaged_error()
        conn = db.connect_read_only_media(self.db_path)
        try:
            version = db.schema_version(conn)
        finally:
            conn.close()
        if version > db.LATEST_VERSION:
            raise newer_version_error(version)
        if version < db.LATEST_VERSION:
            raise self._refused(
                f"工作区“{self.name}”由旧版本的程序写入，需要先升级数据结构才能打开，而它是只读的（U 盘写保护或没有写权限）。"
                "请关掉写保护，或把工作区复制到可写的位置，打开一次后再用。")

    def _connect(self) -> None:
        self.engine = db.make_engine(self.db_path, immediate=True, read_only_media=self.read_only)
        self.read_engine = db.make_engine(self.db_path, immediate=False, read_only_media=self.read_only)

    def close(self, *, backup: bool = True) -> None:
        if self.engine is None:
            return
        try:
            if backup and not self.read_only and self.open_check.damage is None and self.has_office():
                self.create_backup("close")  # never a backup of a file the check found damaged
        finally:
            self._dispose()
            self._release()

    def _release(self) -> None:
        if self._lock is not None:
            (self.root / "workspace.lock.info").unlink(missing_ok=True)
            self._lock.release()
            self._lock = None

    def __enter__(self) -> "Workspace":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    # ---------------------------------------------------------------- sessions

    @contextmanager
    def transaction(self, op: str, *, identity: LocalIdentity | None = None) -> Iterator[Session]:
        """One unit of work named `op` (e.g. "entry.post"): everything inside commits together or not at all,
        and every change is journalled with `op`, the operator and this office.

        `identity` is given only by the transactions that set this workspace's identity (init, a restore's
        new epoch): their journal rows already carry it, and it is stored with them.

        A transaction that fails removes the attachment files it copied in (nothing is left that no record
        names); a full disk is raised as `files.DiskFull`."""
        self.check_writable()
        with Session(self.engine, expire_on_commit=False) as session:
            if identity is None:
                stamp = self._stamp(session, op)
            else:
                stamp = journal.Stamp(identity.office_id, op, self.operator, identity.epoch_id, identity=True)
            journal.install(session, stamp)
            try:
                yield session
                if identity is not None:
                    session.flush()  # the office first: the identity row refers to it
                    session.merge(identity)
                session.commit()
            except BaseException as exc:
                _roll_back(session)
                if files.is_disk_full(exc) and not isinstance(exc, files.DiskFull):
                    raise files.DiskFull() from exc
                raise
            if identity is not None:
                self._identity = None

    @contextmanager
    def sync_import_transaction(self, op: str = "sync.import") -> Iterator[Session]:
        """The one door past ownership: only the sync importer uses it, to write other offices' records as
        their packages carry them (their own office, times and versions). Journalled like any transaction."""
        self.check_writable()
        with Session(self.engine, expire_on_commit=False) as session:
            journal.install(session, replace(self._stamp(session, op), importing=True))
            try:
                yield session
                session.commit()
            except BaseException as exc:
                _roll_back(session)
                if files.is_disk_full(exc) and not isinstance(exc, files.DiskFull):
                    raise files.DiskFull() from exc
                raise

    def _stamp(self, session: Session, op: str) -> journal.Stamp:
        if self._identity is None:
            found = workspace_identity.local_identity(session)
            if found is None:
                return journal.Stamp("", op, self.operator)  # before init: nothing is owned yet
            self._identity = (found.office_id, found.epoch_id)
        office_id, epoch_id = self._identity
        return journal.Stamp(office_id, op, self.operator, epoch_id)

    def refuse_foreign(self, session: Session, record) -> None:
        """Raise the journal's refusal now when another office owns `record` (for commands that would
        otherwise find out only when they write, after long work)."""
        journal.refuse_foreign_record(session, record, self._stamp(session, "check"))

    @contextmanager
    def reading(self) -> Iterator[Session]:
        with Session(self.read_engine, expire_on_commit=False) as session:
            yield session

    def raw_reader(self) -> sqlite3.Connection:
        """A separate read-only sqlite3 connection (for lazy table models on the GUI thread)."""
        if self.read_only:
            return db.connect_read_only_media(self.db_path)
        return db.connect_raw(self.db_path, readonly=True)

    def has_office(self) -> bool:
        with self.reading() as s:
            return workspace_identity.local_identity(s) is not None

    def local_office(self) -> Office:
        with self.reading() as s:
            office = workspace_identity.local_office(s)
        if office is None:
            raise WorkspaceError("工作区还没有初始化。请先运行 init 填写本单位信息。")
        return office

    # ---------------------------------------------------------------- attachments

    def store_attachment(self, session: Session, source: Path | str) -> Attachment:
        """Copy a file into the content-addressed store (attachments/ab/<sha256>) and record it.
        The same content stored twice is kept once. A file copied in here is removed again when the
        transaction fails (see `transaction`)."""
        source = files.check_source_file(source, allow_empty=True)
        try:
            sha = files.sha256_of(source)
        except OSError as exc:
            raise UserError(f"无法读取附件“{source.name}”：{files.os_error_text(exc)}。请确认文件没有被占用并有读取权限。") from exc
        target = self.attachment_path(sha)
        if not target.exists():
            target.parent.mkdir(parents=True, exist_ok=True)
            files.copy_atomically(source, target, target.with_suffix(".partial"))
            session.info.setdefault(NEW_FILES, []).append(target)
        existing = session.exec(select(Attachment).where(Attachment.sha256 == sha)).first()
        if existing:
            return existing
        attachment = Attachment(sha256=sha, original_name=source.name, size=source.stat().st_size)
        session.add(attachment)
        return attachment

    def attachment_path(self, sha256: str) -> Path:
        return self.attachments_dir / sha256[:2] / sha256

    # ---------------------------------------------------------------- backups

    def create_backup(self, reason: str = "manual", progress=None, *, spare: Path | None = None) -> backups.BackupInfo:
        """A verified backup; the rotation that follows spares `spare` (the backup a restore puts in place).
        A full disk leaves no partial file and is raised as `files.DiskFull`."""
        self.check_writable()
        conn = db.connect_raw(self.db_path)
        try:
            made = backups.create_backup(conn, self.backups_dir, reason, progress, spare)
        except Exception as exc:
            if files.is_disk_full(exc) and not isinstance(exc, files.DiskFull):
                raise files.DiskFull("磁盘已满（或 U 盘空间不足），备份没有做成，写了一半的备份文件已删去。"
                                     "请腾出空间后重试（删掉不用的文件，或换一个空间更大的磁盘），什么都没有改动。") from exc
            raise
        finally:
            conn.close()
        backups.keep_attachments(self.attachments_dir, self.backups_dir)  # incremental: only the new ones
        return made

    def list_backups(self) -> list[backups.BackupInfo]:
        return backups.list_backups(self.backups_dir)

    def last_backup(self) -> backups.BackupInfo | None:
        """The newest backup that is not from the future (see `backup.list_backups`)."""
        return backups.newest_ordinary(self.list_backups())

    def _check_same_office(self, source: Path) -> None:
        """A backup of another office's workspace would silently replace this office's books."""
        owner = backups.backup_owner(source)
        mine = self.local_office()
        backups.refuse_other_office(owner, (mine.id, mine.name))

    def _dispose(self) -> None:
        if self.engine is not None:
            self.engine.dispose()
            self.read_engine.dispose()
            self.engine = self.read_engine = None

    def _stage_restore(self, source: Path, previous_epoch_id: str, abandoned_seq: int,
                       page_size: int | None = None, restored_from: str | None = None) -> Path:
        """Build the restored database beside the live one — the backup's pages, its schema brought up, its
        new epoch journalled — so that only a complete one replaces the live database, in one step: a restore
        that fails or is killed part-way leaves the workspace as it was (at worst a stale file to clear).
        `page_size`: the live database's, which a page copy into it (in WAL mode) must match."""
        staging = self.root / RESTORING
        _remove_staging(self.root)
        stage = Workspace(self.root)
        stage.db_path, stage.operator = staging, self.operator
        try:
            db.copy_database(source, sqlite3.connect(staging))
            conn = db.connect_raw(staging)
            try:
                with conn:  # the backup's own time belongs to the backup, not to the live data
                    conn.execute(f"DROP TABLE IF EXISTS {backups.STAMP_TABLE}")
                db.migrate(conn)
            finally:
                conn.close()
            stage._connect()
            stage._start_epoch("restore", restored_from or source.name, abandoned_seq, previous_epoch_id)
            stage._dispose()
            conn = sqlite3.connect(staging)
            try:
                conn.execute("PRAGMA journal_mode=DELETE")  # one self-contained file, like a backup
                if page_size and conn.execute("PRAGMA page_size").fetchone()[0] != page_size:
                    conn.execute(f"PRAGMA page_size={int(page_size)}")
                    conn.execute("VACUUM")
            finally:
                conn.close()
        except BaseException:
            stage._dispose()
            _remove_staging(self.root)
            raise
        return staging

    def restore_backup(self, backup_file: Path | str, progress=None) -> backups.BackupInfo:
        """Replace the live data by a backup, after backing up the current state. The restored workspace
        starts a new epoch: its journal's sequence numbers rewind, and the epoch record says so, naming the
        epoch whose timeline it left behind. `backup_file`: a database backup (`backups/ledger-*.db`) or a
        one-file backup (`*.zip`, see `backup_file`), by path or by name in backups/."""
        if backup_file_module.is_file_backup(backup_file):
            return self._restore_file_backup(Path(backup_file), progress)
        source = backups.usable_backup(self.backups_dir, backup_file)
        self._check_same_office(source)
        safety = self.create_backup("restore", spare=source)
        self._restore_database(source, source.name)
        backups.bring_back_attachments(self.backups_dir, self.attachments_dir)
        return safety

    def _restore_database(self, source: Path, restored_from: str) -> None:
        with self.reading() as s:
            left_behind = workspace_identity.local_identity(s).epoch_id
        with self.engine.connect() as conn:
            page_size = conn.exec_driver_sql("PRAGMA page_size").scalar()
        staging = self._stage_restore(source, left_behind, self._last_journal_seq(), page_size, restored_from)
        self._dispose()
        try:
            db.copy_database(staging, db.connect_raw(self.db_path))  # one step: whole or not at all
        finally:
            _remove_staging(self.root)
            self._identity = None
            self._connect()

    def _restore_file_backup(self, path: Path, progress=None) -> backups.BackupInfo:
        """A one-file backup: verified whole first (a forged, truncated or foreign file changes nothing), the
        current state backed up, the missing attachments and notices put in place (content-addressed: a file
        already there with the same hash is kept), then the database restored like a database backup.
        A notice archived here under the same number but with other content (a notice published after the
        backup was taken) is moved aside as `<number>.unrecorded-<time>.pdf`, never overwritten."""
        if self.read_only:
            raise self.read_only_error()
        if not path.is_file() and (self.backups_dir / path.name).is_file():
            path = self.backups_dir / path.name
        mine = self.local_office()
        manifest, extracted = backup_file_module.verify(path, self.backups_dir, keep_database=True, progress=progress)
        placed: list[Path] = []  # filled in place by place_files, so that a failure can remove them
        try:
            backups.refuse_other_office((manifest.office_id, manifest.office_name), (mine.id, mine.name))
            safety = self.create_backup("restore")
            try:
                _placed, differing = backup_file_module.place_files(path, manifest, self.root, placed)
                self._restore_database(extracted, path.name)
            except BaseException as exc:
                backup_file_module.remove_files(placed)  # nothing a failed restore copied in stays behind
                said = backup_file_module.restore_error(exc)
                if said is exc:
                    raise
                raise said from exc
            backup_file_module.replace_differing(path, differing, self.root)
        finally:
            backup_file_module.remove_database(extracted)
        return safety

    def create_file_backup(self, out: Path | str, progress=None) -> backup_file_module.FileBackup:
        """The one-file backup (database, attachments, archived notices) to a folder or a .zip path: written,
        verified, renamed into place. A full disk or a read-only stick leaves nothing behind."""
        office = self.local_office()
        conn = db.connect_read_only_media(self.db_path) if self.read_only else db.connect_raw(self.db_path)
        scratch = Path(tempfile.gettempdir()) if self.read_only else self.backups_dir
        try:
            return backup_file_module.create(conn, out=out, office=(office.id, office.name),
                                             attachments_dir=self.attachments_dir,
                                             notices_dir=self.root / backup_file_module.NOTICES, scratch=scratch,
                                             progress=progress)
        finally:
            conn.close()

    def _last_journal_seq(self) -> int:
        with self.reading() as s:
            return s.exec(select(func.max(ChangeJournal.seq))).one() or 0

    def _start_epoch(self, reason: str, restored_from: str = "", abandoned_seq: int = 0,
                     previous_epoch_id: str = "") -> None:
        """A new epoch of this workspace's history, journalled (so the county sees it) and made current.
        It follows `previous_epoch_id` (the timeline left behind), else the epoch the data was in."""
        with self.reading() as s:
            current = workspace_identity.local_identity(s)
        if current is None:
            return
        epoch = WorkspaceEpoch(office_id=current.office_id, reason=reason, started_at=utc_now(),
                               previous_epoch_id=previous_epoch_id or current.epoch_id, restored_from=restored_from,
                               abandoned_seq=abandoned_seq, resumed_seq=self._last_journal_seq())
        identity = LocalIdentity(office_id=current.office_id, level=current.level, epoch_id=epoch.id)
        with self.transaction(f"workspace.{reason}", identity=identity) as s:
            s.add(epoch)

    @classmethod
    def restore_damaged(cls, root: Path | str, backup_file: Path | str) -> Path:
        """Put a good backup in place of a database that fails its integrity check, without opening it.

        The damaged files are moved aside (never deleted: someone may still recover entries from them)
        into `damaged-<UTC time>/`; that folder is returned. A backup of another office is refused when the
        damaged file (or, failing that, the newest good backup) still says which office this is.
        """
        ws = cls(Path(root).expanduser().resolve())
        ws._check_folder(create=False)
        source = backups.usable_backup(ws.backups_dir, backup_file)
        ws._acquire_lock()
        try:
            owner = backups.backup_owner(source)
            mine, damaged_epoch = backups.damaged_identity(ws.db_path, ws.backups_dir)
            if mine is not None:
                backups.refuse_other_office(owner, mine)
            staging = ws._stage_restore(source, damaged_epoch, 0)  # the damaged file's last seq is unknown
            aside = ws.root / f"damaged-{datetime.now(UTC):%Y%m%dT%H%M%SZ}"
            aside.mkdir()
            for suffix in ("-wal", "-shm", ""):  # the WAL first: it must never sit beside another database
                damaged = ws.root / (DB_NAME + suffix)
                if damaged.exists():
                    os.replace(damaged, aside / damaged.name)
            os.replace(staging, ws.db_path)
        finally:
            _remove_staging(ws.root)
            ws._release()
        return aside


CANNOT_OPEN = ("无法打开工作区“{name}”里的台账数据库文件：文件夹的位置可能太深、路径太长，或没有读写权限。这次什么都没有改动。"
               "请把工作区文件夹放到层级浅、名字短的位置（例如 D:\\慈善台账）后再打开。")


def newer_version_error(version: int) -> WorkspaceError:
    return WorkspaceError(f"这个工作区由更新版本的社区慈善台账写入（数据结构版本 {version}，本程序支持到 {db.LATEST_VERSION}）。"
                          "请升级本程序后再打开，以免数据损坏。")


RESTORING = DB_NAME + ".restoring"  # where a restore builds the database that will replace the live one
NEW_FILES = "new_files"  # session.info key: the attachment files a transaction copied in


def _roll_back(session: Session) -> None:
    """Undo a failed transaction: its database changes and the attachment files it copied in."""
    try:
        session.rollback()
    finally:
        for path in session.info.pop(NEW_FILES, []):
            try:
                path.unlink(missing_ok=True)
            except OSError:
                pass  # best effort: an unreferenced file in the content store harms nothing


def _remove_staging(root: Path) -> None:
    for suffix in ("", "-journal", "-wal", "-shm"):
        (root / (RESTORING + suffix)).unlink(missing_ok=True)
