"""`backup create --out` writes the one-file backup; `backup restore` takes it (or a database backup) and
brings back, on another folder's workspace, every voucher and photo with its right hash."""

import json
import shutil
import sqlite3

from desktop_app.core.services.verify import verify_workspace
from desktop_app.core.storage import files
from desktop_app.core.storage.workspace import Workspace
from tests.cli.helpers import data_state, ok, run
from tests.cli.test_notices import export_2024


def attachment_hashes(folder) -> set[str]:
    conn = sqlite3.connect(f"file:{folder / 'ledger.db'}?mode=ro", uri=True)
    try:
        return {r[0] for r in conn.execute("SELECT sha256 FROM attachment WHERE deleted = 0")}
    finally:
        conn.close()


def test_a_one_file_backup_restores_on_another_folder_with_every_file(demo, tmp_path, capsys):
    stick = tmp_path / "U盘"
    stick.mkdir()
    code, out = run(demo, "backup", "create", "--out", stick, capsys=capsys)
    assert code == 0, out.err
    made = next(stick.glob("社区慈善台账备份-*.zip"))
    assert f"已备份到：{made}" in out.out and "MB" in out.out and "附件" in out.out
    assert "安全弹出" in out.out

    # another PC: the same office's workspace in another folder, without its files
    other = tmp_path / "另一台电脑" / "工作区"
    shutil.copytree(demo, other, ignore=shutil.ignore_patterns("attachments", "backups", "notices", "workspace.lock"))
    hashes = attachment_hashes(demo)
    assert hashes and not (other / "attachments").exists()

    code, out = run(other, "backup", "restore", made, capsys=capsys)
    assert code == 0, out.err
    assert f"已恢复备份 {made.name}" in out.out
    for sha in hashes:
        path = other / "attachments" / sha[:2] / sha
        assert path.is_file() and files.sha256_of(path) == sha
    with Workspace.open(other, auto_backup=False) as ws:
        report = verify_workspace(ws)
    assert report.ok, [p.describe() for p in report.problems]
    code, out = run(other, "verify", capsys=capsys)
    assert code == 0, out.err


def test_create_json_and_restore_by_name_in_backups(demo, capsys):
    code, out = run(demo, "backup", "create", "--out", demo / "backups", "--json", capsys=capsys)
    assert code == 0, out.err
    made = json.loads(out.out)
    assert made["members"] == made["attachments"] + made["notices"] + 1 and made["size"] > 0
    name = made["path"].rsplit("/", 1)[-1]
    code, out = run(demo, "backup", "restore", name, capsys=capsys)
    assert code == 0, out.err


def test_a_database_backup_still_restores(demo, capsys):
    code, out = run(demo, "backup", "create", capsys=capsys)
    assert code == 0, out.err
    name = out.out.strip().rsplit("/", 1)[-1]
    code, out = run(demo, "backup", "restore", name, capsys=capsys)
    assert code == 0, out.err


def test_a_bad_target_or_file_fails_in_chinese_and_changes_nothing(demo, tmp_path, capsys):
    before = data_state(demo)
    code, out = run(demo, "backup", "create", "--out", tmp_path / "没有这个文件夹", capsys=capsys)
    assert code != 0 and "找不到文件夹" in out.err
    broken = tmp_path / "坏的.zip"
    broken.write_bytes(b"PK\x03\x04 not really a zip")
    code, out = run(demo, "backup", "restore", broken, capsys=capsys)
    assert code != 0 and "不完整或已损坏" in out.err and "请" in out.err
    assert data_state(demo) == before


def test_a_published_notice_travels_in_the_one_file_backup(fast, tmp_path, capsys):
    exported = export_2024(fast, capsys, tmp_path)
    ok(fast, capsys, "notice", "publish", exported["id"], "--date", "2025-01-06")
    [archived] = (fast / "notices").glob("*.pdf")
    code, out = run(fast, "backup", "create", "--out", tmp_path, "--json", capsys=capsys)
    assert code == 0, out.err
    made = json.loads(out.out)
    assert made["notices"] == 1

    other = tmp_path / "另一台电脑"
    shutil.copytree(fast, other, ignore=shutil.ignore_patterns("attachments", "backups", "notices", "workspace.lock"))
    code, out = run(other, "backup", "restore", made["path"], capsys=capsys)
    assert code == 0, out.err
    assert (other / "notices" / archived.name).read_bytes() == archived.read_bytes()
    code, out = run(other, "verify", capsys=capsys)
    assert code == 0, out.err
