"""The packaging steps of installer/build.py over a stand-in bundle (fast; the real bundle is tested by
test_frozen_app.py when asked): what each package holds, who owns it, and that a portable copy is marked."""

import shutil
import stat
import subprocess
import sys
import tarfile
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "installer"))

import linux  # noqa: E402
import report  # noqa: E402
import windows  # noqa: E402
from common import ICONS, app_version  # noqa: E402


@pytest.fixture
def bundle(tmp_path) -> Path:
    """What PyInstaller's one-folder output looks like, in miniature."""
    folder = tmp_path / "dist" / "charity-ledger"
    (folder / "_internal" / "share" / "charity-ledger" / "fonts").mkdir(parents=True)
    program = folder / "charity-ledger"
    program.write_bytes(b"\x7fELF stand-in")
    program.chmod(0o775)
    (folder / "_internal" / "share" / "charity-ledger" / "fonts" / "UMingCN.ttf").write_bytes(b"font" * 1000)
    (folder / "_internal" / "libpython3.11.so.1.0").write_bytes(b"\x7fELF lib")
    return folder


def test_the_version_is_the_app_version():
    from desktop_app import __version__

    assert app_version() == __version__


@pytest.mark.skipif(shutil.which("dpkg-deb") is None, reason="dpkg-deb is not installed")
def test_the_deb_puts_the_program_under_opt_with_a_menu_entry_owned_by_root(bundle, tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    deb = linux.build_deb(bundle, ICONS, "0.1.0", out, tmp_path / "work", glibc="2.28")
    assert deb.name == "charity-ledger_0.1.0_amd64.deb"
    listing = subprocess.run(["dpkg-deb", "-c", str(deb)], capture_output=True, text=True, check=True).stdout
    for line in listing.splitlines():
        mode, owner = line.split()[:2]
        assert owner == "root/root", line
        assert mode[0] == "l" or mode[8] != "w", line  # nothing world-writable (symlinks are always lrwxrwxrwx)
    assert "./opt/charity-ledger/charity-ledger" in listing
    assert "./usr/bin/charity-ledger -> /opt/charity-ledger/charity-ledger" in listing
    assert "./usr/share/icons/hicolor/48x48/apps/charity-ledger.png" in listing
    control = subprocess.run(["dpkg-deb", "-f", str(deb)], capture_output=True, text=True, check=True).stdout
    assert "Package: charity-ledger" in control
    # an older system refuses the package, saying why, instead of installing a program that cannot start
    assert "Depends: libc6 (>= 2.28), libxkbcommon-x11-0" in control
    root = tmp_path / "root"
    subprocess.run(["dpkg-deb", "-x", str(deb), str(root)], check=True)
    assert stat.S_IMODE((root / "opt/charity-ledger/charity-ledger").stat().st_mode) == 0o755
    entry = (root / "usr/share/applications/charity-ledger.desktop").read_text(encoding="utf-8")
    assert "Name[zh_CN]=社区慈善台账" in entry and "Terminal=false" in entry
    assert not (tmp_path / "work" / "deb-root").exists()  # the staging folder is cleaned up


def test_the_tarball_is_one_folder_marked_portable(bundle, tmp_path):
    tarball = linux.build_tarball(bundle, "0.1.0", tmp_path)
    with tarfile.open(tarball) as tar:
        members = {m.name: m for m in tar.getmembers()}
        top = "charity-ledger-0.1.0-linux-x86_64"
        assert all(name == top or name.startswith(top + "/") for name in members)
        assert members[f"{top}/charity-ledger"].mode & 0o111  # still executable
        assert all(m.uid == 0 and m.gid == 0 for m in members.values())
        note = tar.extractfile(f"{top}/portable.txt").read().decode("utf-8")
        assert members[f"{top}/portable.txt"].mtime > 1_700_000_000  # dated when built, not 1970
    assert "台账数据" in note
    assert not list(tmp_path.glob("*.part"))


def test_the_windows_zip_is_one_folder_marked_portable(bundle, tmp_path):
    archive = windows.build_zip(bundle, "0.1.0", tmp_path)
    assert archive.name == "charity-ledger-0.1.0-windows-x64-portable.zip"
    with zipfile.ZipFile(archive) as z:
        names = z.namelist()
        assert "charity-ledger-0.1.0/portable.txt" in names
        assert "charity-ledger-0.1.0/_internal/share/charity-ledger/fonts/UMingCN.ttf" in names
        assert "charity-ledger-gui.exe" in z.read("charity-ledger-0.1.0/portable.txt").decode("utf-8")


def test_the_size_report_names_the_parts(bundle):
    parts = {line.part: line.size for line in report.size_by_part(bundle)}
    assert parts["字体（界面与公示用的中文字体）"] == 4000
    assert "Python 运行时" in parts


def test_glibc_versions_are_read_from_objdump_output():
    out = b"""Version References:
  required from libc.so.6:
    0x06969194 0x00 04 GLIBC_2.14
    0x0d696914 0x00 03 GLIBC_2.4
    0x069691b4 0x00 02 GLIBC_2.28
  required from libm.so.6:
    0x09691a75 0x00 05 GLIBC_2.2.5
"""
    versions = report.glibc_versions(out)
    assert max(versions) == (2, 28)
    assert (2, 2, 5) in versions and (2, 4) < (2, 14)


def test_python_runtime_files_are_told_apart_from_the_wheels():
    from common import is_python_runtime

    for runtime in ("libpython3.11.so.1.0", "libssl.so.3", "libexpat.so.1", "python3.11/lib-dynload/_ctypes.so"):
        assert is_python_runtime(runtime), runtime
    for wheel in ("PySide6/Qt/lib/libQt6Core.so.6", "cryptography/hazmat/bindings/_rust.abi3.so",
                  "pillow.libs/liblzma-de26b416.so.5.8.4", "libQt6Gui.so.6"):
        assert not is_python_runtime(wheel), wheel
