"""A workspace on a network share is told apart from a local one (SQLite's WAL is not safe there)."""

from desktop_app.core.storage.paths import network_share, network_share_warning

MOUNTS = """\
sysfs /sys sysfs rw,nosuid 0 0
/dev/sda2 / ext4 rw,relatime 0 0
/dev/sdb1 /media/u\\040pan vfat rw 0 0
//server/share /mnt/office cifs rw,vers=3.0 0 0
nas:/export /mnt/nas nfs4 rw 0 0
user@host:/data /home/me/remote fuse.sshfs rw 0 0
/dev/sda3 /mnt/nas/local-inside ext4 rw 0 0
"""


def mounts(tmp_path):
    path = tmp_path / "mounts"
    path.write_text(MOUNTS)
    return path


def test_linux_network_mounts_are_found_by_the_longest_mount_point(tmp_path):
    m = mounts(tmp_path)
    assert network_share("/mnt/office/慈善台账", platform="linux", mounts=m) == "cifs"
    assert network_share("/mnt/nas/ws", platform="linux", mounts=m) == "nfs4"
    assert network_share("/home/me/remote/ws", platform="linux", mounts=m) == "fuse.sshfs"
    assert network_share("/mnt/nas/local-inside/ws", platform="linux", mounts=m) is None  # a local disk mounted inside
    assert network_share("/home/me/慈善台账", platform="linux", mounts=m) is None
    assert network_share("/media/u pan/台账", platform="linux", mounts=m) is None  # \040 is a space
    assert network_share("/mnt/officer/ws", platform="linux", mounts=m) is None  # not under /mnt/office


def test_windows_unc_paths_are_network_shares(tmp_path):
    assert network_share(r"\\server\share\慈善台账", platform="win32") == r"网络路径 \\server\share"
    assert network_share("//server/share/ws", platform="win32") == r"网络路径 \\server\share"
    assert network_share(r"\\?\UNC\server\share\ws", platform="win32") == "网络路径"
    assert network_share(r"D:\慈善台账", platform="win32-test") is None


def test_the_warning_says_what_to_do(tmp_path):
    text = network_share_warning("/mnt/office/ws", platform="linux", mounts=mounts(tmp_path))
    assert "网络共享文件夹" in text and "WAL" in text and "可能损坏数据" in text and "请把工作区放在本机或U盘上" in text
    assert network_share_warning("/home/me/ws", platform="linux", mounts=mounts(tmp_path)) is None
    assert network_share_warning("/x", platform="linux", mounts=tmp_path / "missing") is None
