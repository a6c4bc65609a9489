"""换电脑: `backup restore FILE.zip` on a folder that is not a workspace yet makes the workspace from the one-file
backup — database, every attachment, every archived notice — and it passes `verify`."""

import shutil
import zipfile

from desktop_app.core.services.verify import verify_workspace
from desktop_app.core.storage import files
from desktop_app.core.storage.workspace import Workspace
from tests.cli.helpers import ok, run
from tests.cli.test_backup_file import attachment_hashes
from tests.cli.test_notices import export_2024


def one_file_backup(folder, stick, capsys):
    stick.mkdir(exist_ok=True)
    code, out = run(folder, "backup", "create", "--out", stick, capsys=capsys)
    assert code == 0, out.err
    return next(stick.glob("社区慈善台账备份-*.zip"))


def test_a_backup_restores_into_an_empty_folder_on_another_pc(fast, tmp_path, capsys):
    exported = export_2024(fast, capsys, tmp_path)
    ok(fast, capsys, "notice", "publish", exported["id"], "--date", "2025-01-06")  # an archived notice file too
    notices = sorted(p.relative_to(fast).as_posix() for p in (fast / "notices").rglob("*") if p.is_file())
    assert notices
    made = one_file_backup(fast, tmp_path / "U盘", capsys)
    with zipfile.ZipFile(made) as archive:
        assert {n for n in archive.namelist() if n.startswith("notices/")} == set(notices)

    new = tmp_path / "新电脑" / "慈善台账"  # not there yet
    code, out = run(new, "backup", "restore", made, capsys=capsys)
    assert code == 0, out.err
    assert "新建工作区" in out.out and "核验完好" in out.out and "打开工作区" in out.out
    hashes = attachment_hashes(fast)
    assert hashes and attachment_hashes(new) == hashes
    for sha in hashes:
        path = new / "attachments" / sha[:2] / sha
        assert path.is_file() and files.sha256_of(path) == sha
    for name in notices:
        assert (new / name).read_bytes() == (fast / name).read_bytes()
    with Workspace.open(new, auto_backup=False) as ws:
        report = verify_workspace(ws)
        assert ws.local_office().name == "万源市慈善会"
    assert report.ok, [p.describe() for p in report.problems]
    code, out = run(new, "verify", capsys=capsys)
    assert code == 0, out.err


def test_an_empty_existing_folder_is_accepted_and_a_full_one_refused(demo, tmp_path, capsys):
    made = one_file_backup(demo, tmp_path / "U盘", capsys)
    empty = tmp_path / "空文件夹"
    empty.mkdir()
    (empty / "desktop.ini").write_text("")
    code, out = run(empty, "backup", "restore", made, capsys=capsys)
    assert code == 0, out.err

    full = tmp_path / "有东西"
    full.mkdir()
    (full / "别的文件.txt").write_text("留着")
    code, out = run(full, "backup", "restore", made, capsys=capsys)
    assert code == 1 and "新的（或空的）文件夹" in out.err
    assert sorted(p.name for p in full.iterdir()) == ["别的文件.txt"]


def test_a_damaged_backup_leaves_no_folder_behind(demo, tmp_path, capsys):
    made = one_file_backup(demo, tmp_path / "U盘", capsys)
    broken = tmp_path / "坏的.zip"
    shutil.copy(made, broken)
    broken.write_bytes(broken.read_bytes()[:-2000])
    new = tmp_path / "新文件夹"
    code, out = run(new, "backup", "restore", broken, capsys=capsys)
    assert code == 1 and "备份" in out.err
    assert not new.exists()
    code, out = run(new, "backup", "restore", capsys=capsys)
    assert code == 1 and "还不是工作区" in out.err and not new.exists()


def test_the_cli_warns_once_about_a_workspace_on_a_network_share(ws, tmp_path, capsys, monkeypatch):
    fake = tmp_path / "mounts"
    fake.write_text(f"/dev/sda1 / ext4 rw 0 0\n//nas/共享 {str(ws).replace(' ', chr(92) + '040')} cifs rw 0 0\n")
    monkeypatch.setattr("desktop_app.core.storage.paths.MOUNTS", str(fake))
    code, out = run(ws, "fund", "list", capsys=capsys)
    assert code == 0, out.err
    assert out.err.count("网络共享文件夹") == 1 and "WAL" in out.err and "请把工作区放在本机或U盘上" in out.err
    assert "网络共享" not in out.out  # the listing itself stays clean for scripts

    fake.write_text("/dev/sda1 / ext4 rw 0 0\n")
    code, out = run(ws, "fund", "list", capsys=capsys)
    assert code == 0 and "网络共享" not in out.err
