"""The Windows setup script installer/windows/charity-ledger.nsi: it compiles (when makensis is here: the
Debian package `nsis`; .ci/run does not install it, so there it is skipped), and its uninstaller can never
delete a workspace."""

import re
import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SCRIPT = ROOT / "installer" / "windows" / "charity-ledger.nsi"
ICO = ROOT / "resources" / "icons" / "charity-ledger.ico"


def fake_dist(folder: Path) -> Path:
    """A stand-in for the PyInstaller one-folder output: the two exes and an _internal folder."""
    dist = folder / "dist" / "charity-ledger"
    (dist / "_internal" / "PySide6").mkdir(parents=True)
    (dist / "charity-ledger.exe").write_bytes(b"MZ console" + bytes(range(256)) * 64)
    (dist / "charity-ledger-gui.exe").write_bytes(b"MZ windowed" + bytes(range(256)) * 64)
    (dist / "_internal" / "x.txt").write_text("stand-in for the bundled libraries\n", encoding="utf-8")
    (dist / "_internal" / "PySide6" / "y.txt").write_text("a nested folder\n", encoding="utf-8")
    return dist


def makensis(*args: str) -> subprocess.CompletedProcess:
    exe = shutil.which("makensis")
    if exe is None:
        pytest.skip("makensis is not installed (Debian package nsis)")
    return subprocess.run([exe, *args], capture_output=True, text=True, timeout=300)


def test_the_script_compiles_without_warnings(tmp_path):
    dist = fake_dist(tmp_path)
    setup = tmp_path / "out" / "社区慈善台账-安装程序-0.1.0.exe"
    setup.parent.mkdir()
    done = makensis("-V2", "-WX", "-DVERSION=0.1.0", f"-DDIST={dist}", f"-DICON={ICO}", f"-DOUTFILE={setup}",
                    str(SCRIPT))
    assert done.returncode == 0, done.stdout + done.stderr
    assert setup.is_file()
    assert setup.stat().st_size > 100_000  # the NSIS stub, the MUI pages, the icon, the uninstaller
    assert setup.read_bytes()[:2] == b"MZ"


def test_a_missing_define_is_a_clear_error(tmp_path):
    done = makensis("-V2", f"-DDIST={fake_dist(tmp_path)}", f"-DICON={ICO}", f"-DOUTFILE={tmp_path / 'x.exe'}",
                    str(SCRIPT))
    assert done.returncode != 0
    assert "VERSION is not defined" in done.stdout + done.stderr


def script_lines() -> list[str]:
    """The script's instructions: comments and blank lines dropped, continuation lines joined."""
    text = SCRIPT.read_text(encoding="utf-8")
    text = re.sub(r"\\\n\s*", " ", text)
    lines = []
    for line in text.splitlines():
        line = line.strip()
        if line and not line.startswith((";", "#")):
            lines.append(line)
    return lines


def removals() -> list[str]:
    return [line for line in script_lines() if re.match(r"(Delete|RMDir)\b", line, re.IGNORECASE)]


def test_only_the_program_folder_is_removed_recursively():
    recursive = [line for line in removals() if re.search(r"/r\b", line, re.IGNORECASE)]
    assert recursive  # the upgrade and the uninstaller do remove the old libraries
    assert all(line == 'RMDir /r "$INSTDIR\\_internal"' for line in recursive), recursive


def test_nothing_in_the_data_folders_is_ever_deleted():
    for line in removals():
        lowered = line.lower()
        assert "$appdata" not in lowered, line
        assert "$localappdata" not in lowered, line
        assert "$documents" not in lowered, line
        assert "$profile" not in lowered, line
        assert "$datafolder" not in lowered, line
        assert "charity-ledger\\" not in lowered.replace("$instdir\\charity-ledger", ""), line
        assert "*" not in line, line  # no wildcard deletes


def test_every_deleted_path_is_one_the_installer_made():
    allowed_prefixes = ("$INSTDIR\\", '"$INSTDIR\\', '"$INSTDIR"', '"${START_MENU_FOLDER}', '"${DESKTOP_LINK}"')
    for line in removals():
        target = re.sub(r"^(Delete|RMDir)\s+(/r\s+|/REBOOTOK\s+)*", "", line, flags=re.IGNORECASE)
        assert target.startswith(allowed_prefixes), line


def test_the_uninstaller_says_the_data_stays():
    text = SCRIPT.read_text(encoding="utf-8")
    assert "台账数据不会被删除" in text
    assert "ReadEnvStr $DataFolder LOCALAPPDATA" in text
    assert 'StrCpy $DataFolder "$DataFolder\\${APP_ID}"' in text
    assert '!define APP_ID "charity-ledger"' in text  # platformdirs user_data_dir("charity-ledger", appauthor=False)
