"""Where workspaces live, and whether a folder is on a network share. Kept free of heavy imports: the
window's start-up reads it first."""

import os
import sys
from pathlib import Path, PurePath, PureWindowsPath

from platformdirs import user_data_dir

DB_NAME = "ledger.db"

# File systems reached over the network (Linux /proc/mounts type names; FUSE ones as "fuse.<name>").
NETWORK_FS_TYPES = frozenset({
    "nfs", "nfs4", "cifs", "smb", "smb2", "smb3", "smbfs", "sshfs", "fuse.sshfs", "afs", "ncpfs", "9p",
    "fuse.smbnetfs", "fuse.gvfsd-fuse", "davfs", "fuse.davfs2", "glusterfs", "fuse.glusterfs", "ceph", "fuse.rclone",
})

MOUNTS = "/proc/mounts"  # Linux: the mounted file systems (tests point this at a fake file)

NETWORK_SHARE_WARNING = (
    "工作区“{root}”在网络共享文件夹上（{kind}）。台账数据库使用的 SQLite 的 WAL 模式在网络共享上不可靠，"
    "可能损坏数据。请把工作区放在本机或U盘上：先关闭程序，把整个工作区文件夹复制到本机（例如 D:\\慈善台账）"
    "或U盘上，再从“文件 › 打开工作区…”打开复制后的文件夹。"
)


# The program folder of the portable zip / tar.xz holds this file: its workspaces live beside the program.
PORTABLE_MARKER = "portable.txt"
PORTABLE_WORKSPACE = "台账数据"
PORTABLE_DEMO = "演示数据"


def portable_dir() -> Path | None:
    """The program folder of a portable copy (unpacked from the zip or tar.xz, e.g. onto a USB stick), whose
    workspace and settings stay beside the program; None for an installed copy or a checkout."""
    if not getattr(sys, "frozen", False):
        return None
    folder = Path(sys.executable).resolve().parent
    # any entry of that name counts (a folder, a broken link): a damaged marker must not send the USB stick's
    # workspace to the computer's own data folder unnoticed
    return folder if os.path.lexists(folder / PORTABLE_MARKER) else None


def default_workspace_dir() -> Path:
    """The per-user data folder (%LOCALAPPDATA%\\charity-ledger, ~/.local/share/charity-ledger), which an
    uninstall or an upgrade never touches; a portable copy's own folder beside the program."""
    portable = portable_dir()
    if portable is not None:
        return portable / PORTABLE_WORKSPACE
    return Path(user_data_dir("charity-ledger", appauthor=False)) / "workspace"


def demo_workspace_dir() -> Path:
    portable = portable_dir()
    if portable is not None:
        return portable / PORTABLE_DEMO
    return Path(user_data_dir("charity-ledger", appauthor=False)) / "demo"


def is_workspace(folder: Path | str) -> bool:
    """A folder holding a ledger database (what 打开工作区 accepts)."""
    return (Path(folder) / DB_NAME).is_file()


def is_demo_workspace(folder: Path | str) -> bool:
    """The demo workspace (`--demo`, 打开演示数据): shown marked 演示 in the window."""
    try:
        return Path(folder).resolve() == demo_workspace_dir().resolve()
    except OSError:
        return False


def _unescape_mount(text: str) -> str:
    r"""/proc/mounts writes a space as \040, a tab as \011, a backslash as \134."""
    out, i = [], 0
    while i < len(text):
        if text[i] == "\\" and text[i + 1:i + 4].isdigit():
            out.append(chr(int(text[i + 1:i + 4], 8)))
            i += 4
        else:
            out.append(text[i])
            i += 1
    return "".join(out)


def _mount_type(path: str, mounts_text: str) -> str | None:
    """The file system type of the mount holding `path` (the longest mount point that contains it)."""
    best, best_type = "", None
    for line in mounts_text.splitlines():
        fields = line.split()
        if len(fields) < 3:
            continue
        point, fs_type = _unescape_mount(fields[1]), fields[2]
        inside = path == point or path.startswith(point.rstrip("/") + "/")
        if inside and len(point) >= len(best):
            best, best_type = point, fs_type
    return best_type


def _windows_remote_drive(path: str) -> bool:  # pragma: no cover - Windows only
    """A mapped network drive (Z: → \\\\server\\share)."""
    try:
        import ctypes

        drive = PureWindowsPath(path).drive
        return bool(drive) and ctypes.windll.kernel32.GetDriveTypeW(drive + "\\") == 4  # DRIVE_REMOTE
    except (OSError, AttributeError, ValueError):
        return False


def network_share(folder: Path | str, *, platform: str | None = None, mounts: Path | str | None = None
                  ) -> str | None:
    """How `folder` is reached over the network ("网络路径 \\\\server\\share", "nfs", "cifs" …), or None when it is
    local (or this cannot be told). Windows: a UNC path or a mapped network drive; Linux: the type of the mount
    holding it in `mounts`."""
    platform = platform or sys.platform
    text = str(folder)
    if platform.startswith("win"):
        win = PureWindowsPath(text)
        if text.upper().startswith("\\\\?\\UNC\\"):
            return "网络路径"
        if win.drive.startswith("\\\\") and not win.drive.startswith(("\\\\?\\", "\\\\.\\")):
            return f"网络路径 {win.drive}"
        if _windows_remote_drive(text):
            return f"网络驱动器 {win.drive}"
        return None
    try:
        mounts_text = Path(mounts or MOUNTS).read_text(encoding="utf-8", errors="replace")
    except OSError:
        return None
    try:
        resolved = os.path.realpath(text)
    except (OSError, ValueError):
        resolved = str(PurePath(text))
    fs_type = _mount_type(resolved, mounts_text)
    if fs_type is None:
        return None
    if fs_type in NETWORK_FS_TYPES or fs_type.split(".")[-1] in NETWORK_FS_TYPES:
        return fs_type
    return None


def network_share_warning(folder: Path | str, **kwargs) -> str | None:
    """The Chinese warning for a workspace on a network share, or None when it is local."""
    kind = network_share(folder, **kwargs)
    return NETWORK_SHARE_WARNING.format(root=folder, kind=kind) if kind else None
