"""What the installed program relies on: `--screenshot FILE` (the installer test's proof that the window
opens) and a portable copy's settings file beside the program."""

import os
import subprocess
import sys

from PIL import Image
from PySide6.QtCore import QSettings

from desktop_app.cli.main import main
from desktop_app.core.services import office
from desktop_app.core.storage import paths
from desktop_app.core.storage.workspace import Workspace
from desktop_app.gui import screen_fit


def test_screenshot_opens_the_window_saves_a_picture_of_it_and_ends(qapp, tmp_path, monkeypatch):
    folder = tmp_path / "ws"
    ws = Workspace.open(folder, create=True, auto_backup=False)
    office.init_office(ws, name="八台镇社工站", division_code="511781107000", association="万源市慈善会")
    ws.close(backup=False)
    monkeypatch.setattr("desktop_app.gui.startup.SNAPSHOT_DELAY_MS", 300)
    shot = tmp_path / "窗口.png"
    assert main(["--workspace", str(folder), "--screenshot", str(shot)]) == 0
    with Image.open(shot) as image:
        assert image.width >= 640 and image.height >= 400
        assert len(image.convert("RGB").getcolors(maxcolors=1 << 20) or []) > 50  # drawn, not blank


def test_a_screenshot_that_cannot_be_saved_says_so_and_fails(qapp, tmp_path, monkeypatch, capsys):
    folder = tmp_path / "ws"
    ws = Workspace.open(folder, create=True, auto_backup=False)
    office.init_office(ws, name="八台镇社工站", division_code="511781107000", association="万源市慈善会")
    ws.close(backup=False)
    monkeypatch.setattr("desktop_app.gui.startup.SNAPSHOT_DELAY_MS", 300)
    assert main(["--workspace", str(folder), "--screenshot", str(tmp_path / "没有这个文件夹" / "x.png")]) == 1
    assert "截图无法保存" in capsys.readouterr().err


def test_a_screenshot_of_a_workspace_without_its_office_stops_at_the_setup_dialog(qapp, tmp_path, monkeypatch,
                                                                                    capsys):
    folder = tmp_path / "ws"
    Workspace.open(folder, create=True, auto_backup=False).close(backup=False)  # no 新建单位 yet
    monkeypatch.setattr("desktop_app.gui.startup.SNAPSHOT_DELAY_MS", 300)
    shot = tmp_path / "窗口.png"
    assert main(["--workspace", str(folder), "--screenshot", str(shot)]) == 1
    err = capsys.readouterr().err
    assert "没有打开主窗口" in err and "对话框" in err
    assert shot.stat().st_size > 0  # the dialog's picture: what stood in the way
    ws = Workspace.open(folder, auto_backup=False)
    try:
        assert not ws.has_office()  # nothing was answered for the user
    finally:
        ws.close(backup=False)


def test_a_screenshot_of_an_empty_folder_stops_at_the_first_run_choices(qapp, tmp_path, monkeypatch, capsys):
    folder = tmp_path / "空文件夹"
    folder.mkdir()
    monkeypatch.setattr("desktop_app.gui.startup.SNAPSHOT_DELAY_MS", 300)
    assert main(["--workspace", str(folder), "--screenshot", str(tmp_path / "窗口.png")]) == 1
    assert "没有打开主窗口" in capsys.readouterr().err
    assert list(folder.iterdir()) == []  # no workspace made behind the user's back


def test_with_no_desktop_the_program_says_so_in_chinese_instead_of_qts_abort(tmp_path):
    env = {k: v for k, v in os.environ.items() if k not in ("QT_QPA_PLATFORM", "DISPLAY", "WAYLAND_DISPLAY")}
    done = subprocess.run([sys.executable, "-m", "desktop_app", "--workspace", str(tmp_path / "ws")], env=env,
                          capture_output=True, text=True, encoding="utf-8", timeout=60)
    assert done.returncode == 1
    assert "找不到图形桌面" in done.stderr and "Aborted" not in done.stderr
    assert not (tmp_path / "ws").exists()


def test_a_portable_copy_keeps_its_settings_beside_the_program(tmp_path, monkeypatch):
    monkeypatch.undo()  # the autouse scratch settings: this test checks where the real ones go
    program = tmp_path / "charity-ledger"
    program.write_bytes(b"")
    (tmp_path / paths.PORTABLE_MARKER).write_text("便携版", encoding="utf-8")
    monkeypatch.setattr(sys, "frozen", True, raising=False)
    monkeypatch.setattr(sys, "executable", str(program))
    settings = screen_fit.settings()
    assert settings.format() == QSettings.Format.IniFormat
    assert settings.fileName() == str(tmp_path.resolve() / "settings.ini")
