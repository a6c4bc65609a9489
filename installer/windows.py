"""The Windows packages of a built bundle: the NSIS setup program and a portable zip for a USB stick.
PyInstaller does not cross-compile, so the bundle itself is built on Windows (.github/workflows/windows-installer.yml);
on Linux only the NSIS script is compiled, against a stand-in bundle, to prove it is valid."""

import shutil
import subprocess
import zipfile
from pathlib import Path

from common import APP, PORTABLE_MARKER

NSI = Path(__file__).resolve().parent / "windows" / f"{APP}.nsi"

PORTABLE_NOTE = """社区慈善台账（便携版）\r
\r
本文件夹里有 portable.txt 时，程序把台账存放在本文件夹的“台账数据”子文件夹里，设置存放在 settings.ini 里，\r
不在电脑上留下任何东西：整个文件夹可以放在U盘上带走，在哪台电脑上都能打开。\r
\r
打开程序：双击 charity-ledger-gui.exe（可以右键“发送到 › 桌面快捷方式”）。\r
换新版本：把新版本解压到另一个文件夹，再把旧文件夹里的“台账数据”整个复制过去（第一次打开时程序会先备份，再升级台账的数据格式）。\r
注意：不要把U盘上的台账同时在两台电脑上打开；用完请先关闭程序，再“安全删除”U盘。\r
"""


def setup_name(version: str) -> str:
    return f"社区慈善台账-安装程序-{version}.exe"


def compile_nsis(dist: Path, icon: Path, version: str, out: Path) -> Path:
    """makensis over installer/windows/charity-ledger.nsi; warnings are errors (-WX)."""
    out.parent.mkdir(parents=True, exist_ok=True)
    subprocess.run(["makensis", "-V2", "-WX", f"-DVERSION={version}", f"-DDIST={dist}", f"-DICON={icon}",
                    f"-DOUTFILE={out}", str(NSI)], check=True)
    return out


def stand_in_bundle(folder: Path) -> Path:
    """What a Windows bundle holds, as empty files: enough for makensis to check the script on Linux."""
    shutil.rmtree(folder, ignore_errors=True)
    (folder / "_internal").mkdir(parents=True)
    for name in (f"{APP}.exe", f"{APP}-gui.exe", "_internal/base_library.zip"):
        (folder / name).write_bytes(b"MZ stand-in for the makensis check")
    return folder


def build_zip(bundle: Path, version: str, out_dir: Path) -> Path:
    """charity-ledger-<version>-windows-x64-portable.zip: the bundle in one folder, marked portable."""
    top = f"{APP}-{version}"
    out = out_dir / f"{APP}-{version}-windows-x64-portable.zip"
    partial = out.with_name(out.name + ".part")
    with zipfile.ZipFile(partial, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        for path in sorted(bundle.rglob("*")):
            if path.is_file():
                archive.write(path, f"{top}/{path.relative_to(bundle).as_posix()}")
        archive.writestr(f"{top}/{PORTABLE_MARKER}", PORTABLE_NOTE.encode("utf-8"))
    partial.replace(out)
    return out
