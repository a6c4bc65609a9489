"""The one-file backup (database + attachments + archived notices in one ZIP): written whole or not at all,
verified after writing, and refused before a restore when forged, truncated or another office's."""

import errno
import hashlib
import json
import sqlite3
import struct
import zipfile
from pathlib import Path

import pytest

from desktop_app.core.errors import Cancelled, UserError
from desktop_app.core.services import ledger, office
from desktop_app.core.storage import backup as backups
from desktop_app.core.storage import backup_file, db, files
from desktop_app.core.storage.new_from_backup import create_from_backup
from desktop_app.core.storage.workspace import Workspace
from tests.cli.helpers import data_state
from tests.helpers import make_entry


@pytest.fixture
def stocked(workspace, voucher_file, tmp_path):
    """The workspace with a posted expense carrying a voucher, a photo-like second file and an archived notice."""
    photo = tmp_path / "照片.png"
    photo.write_bytes(b"\x89PNG\r\n\x1a\n a photo")
    ledger.add_entry(workspace, make_entry(workspace, attachments=[voucher_file, photo]), post=True)
    notices = workspace.root / "notices"
    notices.mkdir()
    (notices / "2025-001.pdf").write_bytes(b"%PDF-1.4 the archived notice")
    return workspace


def zip_names(path: Path) -> list[str]:
    with zipfile.ZipFile(path) as archive:
        return archive.namelist()


def leftovers(*folders: Path) -> list[Path]:
    return [p for f in folders for p in f.rglob("*") if "partial" in p.name]


def test_one_file_holds_database_attachments_and_notices_and_is_verified(stocked, tmp_path):
    out = tmp_path / "U盘"
    out.mkdir()
    made = stocked.create_file_backup(out)
    assert made.path.parent == out
    assert made.path.name.startswith("社区慈善台账备份-八台镇社工站-") and made.path.suffix == ".zip"
    assert (made.members, made.attachments, made.notices) == (4, 2, 1)
    assert made.size == made.path.stat().st_size and made.size_text
    names = zip_names(made.path)
    assert "ledger.db" in names and "manifest.json" in names and "notices/2025-001.pdf" in names
    with zipfile.ZipFile(made.path) as archive:
        manifest = json.loads(archive.read("manifest.json"))
    assert manifest["format"] == "charity-ledger-backup" and manifest["office"]["name"] == "八台镇社工站"
    for member in manifest["members"]:
        if member["path"].startswith("attachments/"):
            source = stocked.root / member["path"]
            assert files.sha256_of(source) == member["sha256"] == source.name
    checked, _ = backup_file.verify(made.path, tmp_path / "scratch")
    assert len(checked.members) == 4
    assert leftovers(out, stocked.backups_dir) == []


def test_a_zip_path_is_used_as_given_and_never_overwritten(stocked, tmp_path):
    target = tmp_path / "我的备份.zip"
    assert stocked.create_file_backup(target).path == target
    with pytest.raises(UserError, match="已经存在"):
        stocked.create_file_backup(target)
    with pytest.raises(UserError, match="找不到文件夹"):
        stocked.create_file_backup(tmp_path / "没插的U盘")


def test_two_backups_in_one_minute_get_two_names(stocked, tmp_path):
    first = stocked.create_file_backup(tmp_path)
    second = stocked.create_file_backup(tmp_path)
    assert first.path != second.path and first.path.is_file() and second.path.is_file()


def test_a_full_stick_leaves_nothing_behind(stocked, tmp_path, monkeypatch):
    out = tmp_path / "U盘"
    out.mkdir()
    real_add = backup_file._add

    def full(archive, name, *args):
        if name.startswith("attachments/"):
            raise OSError(errno.ENOSPC, "No space left on device")
        return real_add(archive, name, *args)

    monkeypatch.setattr(backup_file, "_add", full)
    with pytest.raises(files.DiskFull, match="磁盘已满"):
        stocked.create_file_backup(out)
    assert list(out.iterdir()) == [] and leftovers(stocked.backups_dir) == []


def test_a_read_only_stick_is_named_in_chinese(stocked, tmp_path, monkeypatch):
    out = tmp_path / "U盘"
    out.mkdir()

    real_partial = files.partial_path

    def read_only(target, **kwargs):
        if target.parent == out:
            raise OSError(errno.EROFS, "Read-only file system")
        return real_partial(target, **kwargs)

    monkeypatch.setattr(files, "partial_path", read_only)
    with pytest.raises(UserError, match="只读") as refused:
        stocked.create_file_backup(out)
    assert "Read-only" not in str(refused.value)
    assert list(out.iterdir()) == []


def test_a_failed_check_after_writing_keeps_nothing(stocked, tmp_path, monkeypatch):
    monkeypatch.setattr(backup_file.backups, "integrity_ok", lambda *a, **k: False)
    with pytest.raises(UserError, match="完整性检查"):
        stocked.create_file_backup(tmp_path)
    assert not list(tmp_path.glob("*.zip")) and leftovers(tmp_path) == []


# ------------------------------------------------------------------------------------------ restoring


def test_restore_puts_missing_files_back_and_keeps_the_same_ones(stocked, tmp_path):
    made = stocked.create_file_backup(tmp_path)
    attachments = sorted(p for p in stocked.attachments_dir.rglob("*") if p.is_file())
    kept = attachments[0]
    kept_inode = kept.stat().st_ino
    attachments[1].unlink()
    (stocked.root / "notices" / "2025-001.pdf").unlink()
    safety = stocked.restore_backup(made.path)
    assert safety.reason == "restore"
    for path in attachments:
        assert files.sha256_of(path) == path.name
    assert kept.stat().st_ino == kept_inode  # content-addressed: the file already there is kept
    assert (stocked.root / "notices" / "2025-001.pdf").read_bytes() == b"%PDF-1.4 the archived notice"
    assert leftovers(stocked.root) == []


def test_a_notice_published_since_is_moved_aside_not_overwritten(stocked, tmp_path):
    made = stocked.create_file_backup(tmp_path)
    notice = stocked.root / "notices" / "2025-001.pdf"
    notice.write_bytes(b"%PDF-1.4 published after the backup")
    stocked.restore_backup(made.path)
    assert notice.read_bytes() == b"%PDF-1.4 the archived notice"
    aside = list(notice.parent.glob("2025-001.unrecorded-*.pdf"))
    assert [p.read_bytes() for p in aside] == [b"%PDF-1.4 published after the backup"]


def test_restore_by_name_in_backups(stocked, tmp_path):
    stocked.backups_dir.mkdir(exist_ok=True)
    made = stocked.create_file_backup(stocked.backups_dir)
    stocked.restore_backup(made.path.name)


def _rewrite(source: Path, target: Path, change) -> None:
    """Copy a one-file backup member by member, letting `change(name, data)` alter (or drop: None) each."""
    with zipfile.ZipFile(source) as old, zipfile.ZipFile(target, "w") as new:
        for info in old.infolist():
            data = change(info.filename, old.read(info.filename))
            if data is not None:
                new.writestr(info.filename, data)


def _refused(ws: Workspace, path: Path, match: str) -> None:
    before = data_state(ws.root)
    files_before = sorted(p.relative_to(ws.root) for p in ws.root.rglob("*") if "backups" not in p.parts)
    with pytest.raises(UserError, match=match) as refused:
        ws.restore_backup(path)
    assert "请" in str(refused.value)
    assert data_state(ws.root) == before
    assert sorted(p.relative_to(ws.root) for p in ws.root.rglob("*") if "backups" not in p.parts) == files_before
    assert not [b for b in ws.list_backups() if b.reason == "restore"]


def test_a_forged_attachment_is_refused_and_nothing_changes(stocked, tmp_path):
    made = stocked.create_file_backup(tmp_path)
    forged = tmp_path / "forged.zip"
    _rewrite(made.path, forged, lambda name, data: b"\xff\xd8\xff forged" if name.startswith("attachments/") else data)
    _refused(stocked, forged, "与备份清单不符")


def test_an_extra_or_missing_member_is_refused(stocked, tmp_path):
    made = stocked.create_file_backup(tmp_path)
    dropped = tmp_path / "dropped.zip"
    _rewrite(made.path, dropped, lambda name, data: None if name.startswith("notices/") else data)
    _refused(stocked, dropped, "对不上")


def test_a_member_outside_its_folder_is_refused(stocked, tmp_path):
    made = stocked.create_file_backup(tmp_path)
    evil = tmp_path / "evil.zip"

    def change(name, data):
        if name == "manifest.json":
            manifest = json.loads(data)
            manifest["members"].append({"path": "../../evil.pdf", "size": 1, "sha256": "0" * 64})
            return json.dumps(manifest)
        return data

    _rewrite(made.path, evil, change)
    _refused(stocked, evil, "不该有的文件")


def test_a_truncated_file_is_refused(stocked, tmp_path):
    made = stocked.create_file_backup(tmp_path)
    cut = tmp_path / "cut.zip"
    cut.write_bytes(made.path.read_bytes()[: made.size // 2])
    _refused(stocked, cut, "不完整或已损坏")


def test_something_that_is_no_backup_is_refused(stocked, tmp_path):
    other = tmp_path / "照片.zip"
    with zipfile.ZipFile(other, "w") as archive:
        archive.writestr("a.jpg", b"photo")
    _refused(stocked, other, "不是社区慈善台账的备份文件")


def test_another_offices_backup_is_refused(stocked, tmp_path):
    other = Workspace.open(tmp_path / "other", create=True, auto_backup=False)
    try:
        office.init_office(other, name="青花镇社工站", division_code="511781106000", association="万源市慈善会")
        made = other.create_file_backup(tmp_path)
    finally:
        other.close(backup=False)
    _refused(stocked, made.path, "另一个单位（青花镇社工站）")


def test_a_newer_format_asks_for_an_upgrade(stocked, tmp_path):
    made = stocked.create_file_backup(tmp_path)
    newer = tmp_path / "newer.zip"

    def change(name, data):
        if name == "manifest.json":
            return json.dumps(json.loads(data) | {"format_version": 99, "app_version": "9.0"})
        return data

    _rewrite(made.path, newer, change)
    _refused(stocked, newer, "升级")


# ------------------------------------------------------------------- automatic backups keep the attachments


def test_every_backup_keeps_new_attachments_once(stocked):
    stocked.create_backup("open")
    kept = sorted((stocked.backups_dir / "attachments").rglob("*"))
    kept = [p for p in kept if p.is_file()]
    assert len(kept) == 2 and all(files.sha256_of(p) == p.name for p in kept)
    inodes = {p: p.stat().st_ino for p in kept}
    assert backups.keep_attachments(stocked.attachments_dir, stocked.backups_dir) == 0  # incremental
    stocked.create_backup("close")
    assert {p: p.stat().st_ino for p in kept} == inodes


def test_a_damaged_attachment_is_not_kept_over_nothing(stocked):
    damaged = next(p for p in stocked.attachments_dir.rglob("*") if p.is_file())
    damaged.write_bytes(b"changed by an image editor")
    stocked.create_backup("manual")
    assert not (stocked.backups_dir / "attachments" / damaged.parent.name / damaged.name).exists()


def test_restoring_a_database_backup_brings_back_lost_attachments(stocked):
    made = stocked.create_backup("manual")
    lost = next(p for p in stocked.attachments_dir.rglob("*") if p.is_file())
    lost.unlink()
    stocked.restore_backup(made.path)
    assert files.sha256_of(lost) == lost.name


def test_a_failed_restore_removes_what_it_copied_in(stocked, tmp_path, monkeypatch):
    made = stocked.create_file_backup(tmp_path)
    for p in list(stocked.attachments_dir.rglob("*")):
        if p.is_file():
            p.unlink()
    calls = []
    real = backup_file.extract_member

    def full_after_one(archive, member, target):
        calls.append(member)
        if len(calls) > 1:
            raise OSError(errno.ENOSPC, "No space left on device")
        real(archive, member, target)

    monkeypatch.setattr(backup_file, "extract_member", full_after_one)
    before = data_state(stocked.root)
    with pytest.raises(files.DiskFull):
        stocked.restore_backup(made.path)
    assert data_state(stocked.root) == before
    assert not [p for p in stocked.attachments_dir.rglob("*") if p.is_file()]
    assert leftovers(stocked.root) == []


def test_a_cancelled_backup_leaves_nothing(stocked, tmp_path):
    def cancel(done, total):
        if done >= 2:
            raise Cancelled

    with pytest.raises(Cancelled):
        stocked.create_file_backup(tmp_path, progress=cancel)
    assert not list(tmp_path.glob("*.zip")) and leftovers(tmp_path, stocked.backups_dir) == []


def test_restore_reports_progress_a_member_at_a_time(stocked, tmp_path):
    made = stocked.create_file_backup(tmp_path)
    seen = []
    stocked.restore_backup(made.path, progress=lambda done, total: seen.append((done, total)))
    assert seen[-1] == (4, 4)


# ------------------------------------------- forged or re-packed by hand: refused in words, never a traceback


def _with_manifest(made: Path, target: Path, edit) -> None:
    def change(name, data):
        return edit(data) if name == "manifest.json" else data

    _rewrite(made, target, change)


def _with_database(made: Path, target: Path, database: bytes) -> None:
    """The backup with another database in it, the manifest's size and hash made to agree with it."""
    def change(name, data):
        if name == "ledger.db":
            return database
        if name == "manifest.json":
            manifest = json.loads(data)
            for m in manifest["members"]:
                if m["path"] == "ledger.db":
                    m.update(size=len(database), sha256=hashlib.sha256(database).hexdigest())
            return json.dumps(manifest)
        return data

    _rewrite(made, target, change)


def _database(tmp_path: Path, sql: str) -> bytes:
    path = tmp_path / "forged.db"
    conn = sqlite3.connect(path)
    conn.executescript(sql)
    conn.close()
    data = path.read_bytes()
    path.unlink()
    return data


def _patch_headers(source: Path, target: Path, offsets: tuple[int, int], change) -> None:
    """Rewrite a 2-byte field of every local (offset [0]) and central (offset [1]) header."""
    data = bytearray(source.read_bytes())
    for signature, offset in ((b"PK\x03\x04", offsets[0]), (b"PK\x01\x02", offsets[1])):
        at = data.find(signature)
        while at >= 0:
            value = struct.unpack_from("<H", data, at + offset)[0]
            struct.pack_into("<H", data, at + offset, change(value))
            at = data.find(signature, at + 4)
    target.write_bytes(bytes(data))


def test_a_backup_re_packed_with_a_password_is_refused(stocked, tmp_path):
    made = stocked.create_file_backup(tmp_path)
    locked = tmp_path / "加密.zip"
    _patch_headers(made.path, locked, (6, 8), lambda flags: flags | 0x1)  # the "encrypted" flag
    _refused(stocked, locked, "设了密码")


def test_a_backup_re_packed_with_another_compression_is_refused(stocked, tmp_path):
    made = stocked.create_file_backup(tmp_path)
    repacked = tmp_path / "重新压缩.zip"
    _patch_headers(made.path, repacked, (8, 10), lambda method: 9 if method == 8 else method)  # Deflate64
    _refused(stocked, repacked, "不支持的压缩方式")


@pytest.mark.parametrize("manifest", ['{"format": "charity-ledger-backup", "format_version": 1, "office": {"id": "x", '
                                      '"name": "x"}, "created_at": "2025-01-01T00:00:00Z", "members": [{"path": '
                                      '"ledger.db", "size": Infinity, "sha256": "0"}]}',
                                      "[" * 100_000 + "]" * 100_000], ids=["infinite size", "nested deep"])
def test_a_manifest_json_cannot_hold_crashes_nothing(stocked, tmp_path, manifest):
    made = stocked.create_file_backup(tmp_path)
    forged = tmp_path / "清单.zip"
    _with_manifest(made.path, forged, lambda data: manifest)
    _refused(stocked, forged, "备份清单已损坏")


def test_an_oversized_manifest_is_refused_unread(stocked, tmp_path, monkeypatch):
    made = stocked.create_file_backup(tmp_path)
    padded = tmp_path / "清单很大.zip"
    _with_manifest(made.path, padded, lambda data: data + b" " * 4096)  # still valid JSON
    monkeypatch.setattr(backup_file, "MAX_MANIFEST_BYTES", 4096)
    monkeypatch.setattr(zipfile.ZipFile, "read", lambda *a: pytest.fail("the manifest was read"))
    _refused(stocked, padded, "清单大得不正常")


def test_a_member_larger_than_its_manifest_says_is_refused_before_unpacking(stocked, tmp_path, monkeypatch):
    """A zip bomb: a few KB in the file, a huge member when unpacked (into the workspace's disk)."""
    made = stocked.create_file_backup(tmp_path)
    bomb = tmp_path / "炸弹.zip"
    with zipfile.ZipFile(made.path) as old, zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as new:
        for info in old.infolist():
            data = old.read(info.filename)
            new.writestr(info.filename, data + bytes(8 << 20) if info.filename == "ledger.db" else data)
    assert bomb.stat().st_size < made.size + (1 << 20)
    monkeypatch.setattr(backup_file, "_check_member", lambda *a: pytest.fail("a member was unpacked"))
    _refused(stocked, bomb, "台账数据与备份清单不符")


def test_a_database_of_another_schema_is_refused_before_the_current_state_is_backed_up(stocked, tmp_path):
    made = stocked.create_file_backup(tmp_path)
    forged = tmp_path / "别的数据库.zip"
    _with_database(made.path, forged, _database(tmp_path, "CREATE TABLE local_identity (x);"))
    _refused(stocked, forged, "不是本程序的数据")


def test_a_hollow_database_of_this_office_is_refused_and_nothing_changes(stocked, tmp_path):
    """Tables that name the office (so the checks before the restore pass) but nothing else of the ledger."""
    made = stocked.create_file_backup(tmp_path)
    office_id = stocked.local_office().id
    hollow = _database(tmp_path, f"""
        CREATE TABLE office (id TEXT, name TEXT, is_local INTEGER);
        INSERT INTO office VALUES ('{office_id}', '八台镇社工站', 1);
        CREATE TABLE local_identity (id INTEGER, office_id TEXT, epoch_id TEXT);
        INSERT INTO local_identity VALUES (1, '{office_id}', 'e');
        PRAGMA user_version = {db.LATEST_VERSION};""")
    forged = tmp_path / "空壳.zip"
    _with_database(made.path, forged, hollow)
    before = data_state(stocked.root)
    files_before = sorted(p.relative_to(stocked.root) for p in stocked.root.rglob("*") if "backups" not in p.parts)
    with pytest.raises(UserError, match="结构不对") as refused:
        stocked.restore_backup(forged)
    assert "请" in str(refused.value) and "没有改动" in str(refused.value)
    assert data_state(stocked.root) == before
    assert sorted(p.relative_to(stocked.root) for p in stocked.root.rglob("*") if "backups" not in p.parts) == files_before

    new = tmp_path / "新电脑 的 台账"
    with pytest.raises(UserError, match="结构不对"):
        create_from_backup(new, forged)
    assert not new.exists()


def test_a_notice_that_cannot_be_put_back_is_kept_where_it_was(stocked, tmp_path, monkeypatch):
    """After the database is restored, a notice published since is set aside for the backup's one: a full disk
    then must neither lose the notice nor claim that nothing was restored."""
    made = stocked.create_file_backup(tmp_path)
    notice = stocked.root / "notices" / "2025-001.pdf"
    notice.write_bytes(b"%PDF-1.4 published after the backup")
    real = backup_file.extract_member

    def full(archive, member, target, **kwargs):
        if member.path.startswith("notices/"):
            raise OSError(errno.ENOSPC, "No space left on device")
        return real(archive, member, target, **kwargs)

    monkeypatch.setattr(backup_file, "extract_member", full)
    with pytest.raises(UserError, match="已经从备份恢复") as told:
        stocked.restore_backup(made.path)
    assert "请" in str(told.value) and "磁盘已满" in str(told.value)
    assert notice.read_bytes() == b"%PDF-1.4 published after the backup"
    assert sorted(p.name for p in notice.parent.iterdir()) == ["2025-001.pdf"]
    monkeypatch.setattr(backup_file, "extract_member", real)
    stocked.restore_backup(made.path)  # once there is room, restoring again finishes the job
    assert notice.read_bytes() == b"%PDF-1.4 the archived notice"
    assert [p.read_bytes() for p in notice.parent.glob("2025-001.unrecorded-*.pdf")] == [
        b"%PDF-1.4 published after the backup"]
