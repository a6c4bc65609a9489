"""The Linux packages of a built bundle: a .deb for UOS 20 / Kylin V10 (and any Debian-based system) and a
portable .tar.xz that runs where it is unpacked, its workspace beside the program."""

import io
import os
import re
import shutil
import subprocess
import tarfile
import time
from pathlib import Path

from common import APP, NAME, PORTABLE_MARKER

OPT = f"opt/{APP}"

# Qt's xcb platform plugin and its fonts need these system libraries; UOS and Kylin desktops have them all,
# a minimal Debian does not. The names hold from Debian 10 (UOS 20's base) on.
DEPENDS = ["libxkbcommon-x11-0", "libxcb-cursor0", "libxcb-icccm4", "libxcb-keysyms1", "libxcb-image0",
           "libxcb-render-util0", "libxcb-shape0", "libxcb-randr0", "libxcb-xkb1", "libegl1", "libgl1",
           "libfontconfig1", "libdbus-1-3", "libglib2.0-0"]

DESKTOP_ENTRY = f"""[Desktop Entry]
Type=Application
Version=1.0
Name={NAME}
Name[zh_CN]={NAME}
GenericName=社区基金台账与公示
GenericName[zh_CN]=社区基金台账与公示
Comment=社区基金收支、活动、需求调查、公示与数据同步（离线使用）
Comment[zh_CN]=社区基金收支、活动、需求调查、公示与数据同步（离线使用）
Keywords=慈善;台账;社区基金;公示;记账;
Exec=/{OPT}/{APP}
Icon={APP}
Terminal=false
Categories=Office;Finance;
StartupWMClass={APP}
"""

CONTROL = """Package: {app}
Version: {version}
Architecture: amd64
Maintainer: 社区慈善台账项目组 <noreply@charity-ledger.invalid>
Installed-Size: {installed_kb}
Depends: {depends}
Section: misc
Priority: optional
Description: 社区慈善台账 — 社区基金的离线台账、活动、需求调查、公示与数据同步
 乡镇社工站和村（社区）工作人员用的离线程序：社区基金收支台账、活动记录、
 需求调查、打印张贴的经费使用情况公示、报送县慈善会的数据包。
 Offline ledger, activities, needs surveys, disclosure notices and sync packages
 for community charity funds. Workspaces live in each user's data folder
 (~/.local/share/charity-ledger); removing the package never deletes them.
"""

# After install and removal: the menu and the icon theme learn of the new entry (the tools may be absent).
POSTINST = """#!/bin/sh
set -e
command -v update-desktop-database >/dev/null 2>&1 && update-desktop-database -q /usr/share/applications || true
command -v gtk-update-icon-cache >/dev/null 2>&1 && gtk-update-icon-cache -q -t /usr/share/icons/hicolor || true
exit 0
"""

PORTABLE_NOTE = """社区慈善台账（便携版）

本文件夹里有 portable.txt 时，程序把台账存放在本文件夹的“台账数据”子文件夹里，
设置存放在 settings.ini 里，不在电脑上留下任何东西：整个文件夹可以放在U盘上带走。

打开程序：双击 charity-ledger，或在终端里运行 ./charity-ledger
换新版本：把新版本解压到另一个文件夹，再把旧文件夹里的“台账数据”整个复制过去
（第一次打开时程序会先备份，再升级台账的数据格式）。
删除 portable.txt，程序就改用本机用户的数据文件夹 ~/.local/share/charity-ledger。

打不开、终端里说缺少 xcb 或 libxcb-cursor 时：UOS、麒麟桌面版都带有这些系统库；精简安装的系统请先安装
libxcb-cursor0、libxkbcommon-x11-0 等（或改用 .deb 安装包，它会声明需要的系统库）。
"""


def icon_files(icons: Path) -> list[tuple[Path, str]]:
    """(file, destination) pairs for the hicolor icon theme: every charity-ledger-<size>.png and the SVG."""
    pairs = []
    for png in sorted(icons.glob(f"{APP}-*.png")):
        match = re.fullmatch(rf"{APP}-(\d+)\.png", png.name)
        if match:
            size = match.group(1)
            pairs.append((png, f"usr/share/icons/hicolor/{size}x{size}/apps/{APP}.png"))
    svg = icons / f"{APP}.svg"
    if svg.is_file():
        pairs.append((svg, f"usr/share/icons/hicolor/scalable/apps/{APP}.svg"))
    return pairs


def strip_python_runtime(bundle: Path) -> None:
    """Debug sections out of the build machine's Python (libpython and its lib-dynload modules: about 25 MB of
    a pyenv build). Only those: wheel libraries come stripped, and some were patched by auditwheel."""
    runtime = [*bundle.glob("_internal/libpython3*.so*"), *bundle.glob("_internal/python3*/lib-dynload/*.so")]
    if runtime and shutil.which("strip"):
        subprocess.run(["strip", "--strip-debug", *map(str, runtime)], check=True)


def folder_size(folder: Path) -> int:
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file() and not p.is_symlink())


def build_deb(bundle: Path, icons: Path, version: str, out_dir: Path, work: Path, glibc: str = "") -> Path:
    """charity-ledger_<version>_amd64.deb: the bundle under /opt/charity-ledger, `charity-ledger` on the PATH,
    a menu entry with the Chinese name and icon. Files are owned by root whoever builds it. `glibc`, the newest
    glibc symbol version the bundle needs, becomes `libc6 (>= …)`: an older system refuses the package with a
    clear reason instead of installing a program that cannot start."""
    root = work / "deb-root"
    shutil.rmtree(root, ignore_errors=True)
    shutil.copytree(bundle, root / OPT, symlinks=True)
    (root / "usr/bin").mkdir(parents=True)
    os.symlink(f"/{OPT}/{APP}", root / "usr/bin" / APP)
    (root / "usr/share/applications").mkdir(parents=True)
    (root / f"usr/share/applications/{APP}.desktop").write_text(DESKTOP_ENTRY, encoding="utf-8")
    for source, dest in icon_files(icons):
        (root / dest).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(source, root / dest)
    debian = root / "DEBIAN"
    debian.mkdir()
    (debian / "control").write_text(CONTROL.format(
        app=APP, version=version, installed_kb=folder_size(root) // 1024, depends=", ".join(deb_depends(glibc))), encoding="utf-8")
    for script in ("postinst", "postrm"):
        (debian / script).write_text(POSTINST, encoding="utf-8")
        (debian / script).chmod(0o755)
    for path in [root, *root.rglob("*")]:  # dpkg wants 0755 folders and no group/other write bits
        if path.is_dir() and not path.is_symlink():
            path.chmod(0o755)
        elif path.is_file() and not path.is_symlink():
            path.chmod(0o755 if os.access(path, os.X_OK) else 0o644)
    out = out_dir / f"{APP}_{version}_amd64.deb"
    subprocess.run(["dpkg-deb", "--root-owner-group", "-Zxz", "-z9", "--build", str(root), str(out)], check=True,
                   stdout=subprocess.DEVNULL)
    shutil.rmtree(root)
    return out


def deb_depends(glibc: str = "") -> list[str]:
    return ([f"libc6 (>= {glibc})"] if glibc else []) + DEPENDS


def build_tarball(bundle: Path, version: str, out_dir: Path) -> Path:
    """charity-ledger-<version>-linux-x86_64.tar.xz: the bundle in one folder, marked portable."""
    top = f"{APP}-{version}-linux-x86_64"
    out = out_dir / f"{top}.tar.xz"

    def owned_by_root(info: tarfile.TarInfo) -> tarfile.TarInfo:
        info.uid = info.gid = 0
        info.uname = info.gname = "root"
        return info

    partial = out.with_name(out.name + ".part")  # a killed build leaves no half archive under the real name
    with tarfile.open(partial, "w:xz", preset=9) as tar:
        tar.add(bundle, arcname=top, filter=owned_by_root)
        data = PORTABLE_NOTE.encode("utf-8")
        info = owned_by_root(tarfile.TarInfo(f"{top}/{PORTABLE_MARKER}"))
        info.size, info.mode, info.mtime = len(data), 0o644, int(time.time())
        tar.addfile(info, io.BytesIO(data))
    partial.replace(out)
    return out
