"""`files.os_error_text`: the OS's reason a file could not be read or written, in Chinese — never its English
text ("Read-only file system", "File or stream is not seekable.") inside a Chinese message."""

import errno
import io
import re
from pathlib import Path

import pytest

from desktop_app.core.errors import UserError
from desktop_app.core.storage import files

ENGLISH = re.compile(r"[A-Za-z]{3,}")  # an English word (errno names like EIO are allowed: support looks them up)


@pytest.mark.parametrize(("exc", "words"), [
    (OSError(errno.EROFS, "Read-only file system"), "只读"),
    (OSError(errno.ENOSPC, "No space left on device"), "磁盘已满"),
    (PermissionError(errno.EACCES, "Permission denied"), "没有权限"),
    (PermissionError(errno.EPERM, "Operation not permitted"), "没有权限"),
    (FileNotFoundError(errno.ENOENT, "No such file or directory"), "找不到"),
    (IsADirectoryError(errno.EISDIR, "Is a directory"), "是一个文件夹"),
    (OSError(errno.ESPIPE, "Illegal seek"), "不是普通文件"),
    (io.UnsupportedOperation("File or stream is not seekable."), "不是普通文件"),
    (OSError(errno.ENAMETOOLONG, "File name too long"), "太长"),
    (OSError(errno.EBUSY, "Device or resource busy"), "占用"),
    (OSError(errno.EIO, "Input/output error"), "读写磁盘出错"),
    (OSError(errno.ENOTDIR, "Not a directory"), "不是文件夹"),
    (PermissionError(errno.EACCES, "The process cannot access the file"), "没有权限"),
])
def test_common_errors_read_in_chinese(exc, words):
    text = files.os_error_text(exc)
    assert words in text and not ENGLISH.search(text), text


def test_a_file_in_use_on_windows_says_so():
    in_use = PermissionError(errno.EACCES, "The process cannot access the file because it is being used")
    in_use.winerror = 32
    assert "正被其他程序占用" in files.os_error_text(in_use)


def test_an_unknown_error_gives_its_code_not_english():
    assert files.os_error_text(OSError(errno.EL2HLT if hasattr(errno, "EL2HLT") else 9999, "Level 2 halted")) in (
        "操作系统报告错误（代码 EL2HLT）", "操作系统报告错误（代码 9999）")
    assert files.os_error_text(OSError("something odd")) == "操作系统报告错误"


def test_a_voucher_that_cannot_be_read_is_told_in_chinese(tmp_path, monkeypatch):
    scan = tmp_path / "发票.jpg"
    scan.write_bytes(b"\xff\xd8\xff\xe0 scan")
    real_stat = Path.stat

    def failing(self, *args, **kwargs):
        if self == scan:
            raise OSError(errno.EIO, "Input/output error", str(self))
        return real_stat(self, *args, **kwargs)

    monkeypatch.setattr(Path, "stat", failing)
    with pytest.raises(UserError) as err:
        files.check_source_file(scan)
    assert "读写磁盘出错" in err.value.message and "Input/output" not in err.value.message
