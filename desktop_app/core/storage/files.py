"""Files written whole or not at all, their SHA-256, the checks on a file a user hands in (a voucher: size,
kind, content), a full disk told apart from other failures, and why the OS refused a file, in Chinese.

A file appears under its name only when it is complete and on disk: it is written beside the target under
a temporary name, flushed (fsync), then renamed over the target (os.replace is atomic on Windows and Linux).
A power cut or a killed process leaves the old file or the new one, never half of one.
"""

import errno
import hashlib
import io
import os
import shutil
import sqlite3
import stat
import tempfile
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from desktop_app.core.errors import UserError

CHUNK = 1 << 20

DISK_FULL = ("磁盘已满（或 U 盘空间不足），这次操作没有完成。"
             "请腾出空间后重试（删掉不用的文件，或把工作区复制到空间更大的磁盘），什么都没有改动。")


class DiskFull(UserError):
    """The disk filled up part-way; the work was rolled back and its temporary files removed."""

    def __init__(self, message: str = DISK_FULL):
        super().__init__(message)


def is_disk_full(exc: BaseException | None) -> bool:
    """Whether `exc` (or what it wraps: SQLAlchemy's `.orig`, a cause or context) is a full disk: ENOSPC or
    EDQUOT from the OS, SQLITE_FULL ("database or disk is full") from SQLite."""
    seen = set()
    while exc is not None and id(exc) not in seen:
        seen.add(id(exc))
        if isinstance(exc, DiskFull):
            return True
        if isinstance(exc, OSError) and exc.errno in (errno.ENOSPC, getattr(errno, "EDQUOT", errno.ENOSPC)):
            return True
        if isinstance(exc, sqlite3.Error) and (getattr(exc, "sqlite_errorcode", None) == sqlite3.SQLITE_FULL
                                                or "database or disk is full" in str(exc)):
            return True
        exc = getattr(exc, "orig", None) or exc.__cause__ or exc.__context__
    return False


def os_error_text(exc: BaseException) -> str:
    """Why the OS refused to read or write a file, in Chinese: the short reason a message puts after
    “无法读取……：”. Never the OS's English text ("Read-only file system", "File or stream is not seekable.");
    an errno not listed here is named by its code (EIO, …) so that support can still look it up."""
    code = getattr(exc, "errno", None)
    if getattr(exc, "winerror", None) in _WINDOWS_IN_USE:
        return _IN_USE
    if code in _OS_REASONS:
        return _OS_REASONS[code]
    if isinstance(exc, io.UnsupportedOperation):  # no errno: a pipe or device where a file was expected
        return _NOT_SEEKABLE
    if isinstance(exc, PermissionError):
        return _OS_REASONS[errno.EACCES]
    if isinstance(exc, FileNotFoundError):
        return _OS_REASONS[errno.ENOENT]
    if isinstance(exc, IsADirectoryError):
        return _OS_REASONS[errno.EISDIR]
    if isinstance(code, int):
        return f"操作系统报告错误（代码 {errno.errorcode.get(code, code)}）"
    return "操作系统报告错误"


_IN_USE = "文件正被其他程序占用（例如在 Excel、WPS 或看图软件里开着），请关闭它后重试"
_NOT_SEEKABLE = "这不是普通文件（是管道、设备或特殊文件），不能当作文件读写"
_WINDOWS_IN_USE = {32, 33}  # ERROR_SHARING_VIOLATION, ERROR_LOCK_VIOLATION
_OS_REASONS = {code: text for name, text in (
    ("EROFS", "磁盘或 U 盘是只读的（可能打开了写保护开关），不能写入"),
    ("ENOSPC", "磁盘已满（或 U 盘空间不足）"),
    ("EDQUOT", "磁盘空间配额已用完"),
    ("EFBIG", "文件太大，这个磁盘放不下（FAT32 格式的 U 盘单个文件最大 4 GB）"),
    ("EACCES", "没有权限（文件或文件夹受保护、是只读的，或正被其他程序占用）"),
    ("EPERM", "没有权限（系统不允许这样操作）"),
    ("ENOENT", "找不到这个文件或文件夹"),
    ("ENOTDIR", "路径中有一段不是文件夹"),
    ("EISDIR", "这是一个文件夹，不是文件"),
    ("ESPIPE", _NOT_SEEKABLE),
    ("ENXIO", "设备不存在（U 盘可能已被拔出）"),
    ("ENODEV", "设备不存在（U 盘可能已被拔出）"),
    ("ENOMEDIUM", "驱动器里没有磁盘（U 盘可能已被拔出）"),
    ("ENAMETOOLONG", "文件名或路径太长，请改短文件名或换一个层级浅的文件夹"),
    ("EBUSY", "文件或设备正被占用"),
    ("ETXTBSY", "文件正被其他程序使用"),
    ("EEXIST", "已经有同名的文件或文件夹"),
    ("ENOTEMPTY", "文件夹不是空的"),
    ("EIO", "读写磁盘出错（磁盘或 U 盘可能损坏，或已被拔出）"),
    ("EINVAL", "文件名或路径不合规（可能含有 : * ? \" < > | 等不允许的字符）"),
    ("ELOOP", "快捷方式（符号链接）互相指向，形成了循环"),
    ("EXDEV", "不能跨磁盘移动"),
    ("EMFILE", "同时打开的文件太多，请关闭一些程序后重试"),
    ("ENFILE", "同时打开的文件太多，请关闭一些程序后重试"),
    ("ETIMEDOUT", "网络磁盘或共享文件夹没有响应"),
    ("ESTALE", "网络磁盘或共享文件夹已断开"),
) if (code := getattr(errno, name, None)) is not None}


# ---------------------------------------------------------------------------- a file the user hands in

# Scans and phone photos of invoices and receipts are a few MB; a 30-page colour PDF scan rarely passes 30 MB.
# Above this a file is refused before anything is read or copied (a 3 GB file would take minutes to copy
# onto a USB stick, and fill it).
MAX_ATTACHMENT_BYTES = 50 * 1024 * 1024
HEAD_BYTES = 1024  # a PDF's "%PDF-" may follow some junk within its first 1024 bytes

IMAGE_SUFFIXES = frozenset({".jpg", ".jpeg", ".jpe", ".jfif", ".png", ".gif", ".bmp", ".dib", ".tif", ".tiff",
                            ".webp", ".heic", ".heif", ".hif", ".avif"})
_SUFFIX_FAMILY = {**dict.fromkeys(IMAGE_SUFFIXES, "image"), ".pdf": "pdf", ".ofd": "ofd"}
_FAMILY_TEXT = {"image": "一张图片", "pdf": "一份 PDF 文档", "ofd": "一张 OFD 电子发票"}
_FAMILY_SUFFIX = {"image": ".jpg", "pdf": ".pdf", "ofd": ".ofd"}
_DOCUMENT_SUFFIXES = frozenset({".doc", ".docx", ".xls", ".xlsx", ".wps", ".et", ".ppt", ".pptx", ".dps",
                                ".odt", ".ods", ".rtf", ".txt", ".csv", ".xml"})
_HEIF_BRANDS = frozenset({b"heic", b"heix", b"heim", b"heis", b"hevc", b"hevx", b"hevm", b"hevs", b"mif1",
                          b"msf1", b"mif2", b"miaf", b"avif", b"avis"})
_LNK_MAGIC = b"L\x00\x00\x00\x01\x14\x02\x00"  # a Windows shortcut (.lnk)
_PROGRAM_MAGIC = (b"MZ", b"\x7fELF", b"\xca\xfe\xba\xbe", b"\xcf\xfa\xed\xfe", b"#!")  # programs, scripts


def shown_name(path: Path | str) -> str:
    """How a message names a file or folder in plain words: its own name (“社区慈善台账备份-….zip”, “慈善台账”);
    a drive's root (E:\\, /media/u盘) has none and is shown whole. The full path goes to `where` (详细信息)."""
    p = Path(path)
    return p.name or str(p)


def where(path: Path | str) -> str:
    """The full path of a file or folder, for 详细信息 (`UserError.technical`, a message box's details)."""
    return f"完整位置：{Path(path).absolute()}"


def check_source_file(path: Path | str, what: str = "附件", *, allow_empty: bool = False,
                      max_bytes: int | None = MAX_ATTACHMENT_BYTES, voucher: bool = True) -> Path:
    """A file the user hands in (a voucher scan, a photo): there, a regular file, readable, not larger than
    `max_bytes`, not empty (unless `allow_empty`) and — when `voucher` — an image, a PDF or an OFD e-invoice
    whose content agrees with its suffix (an .exe renamed .jpg is refused). Each refusal says what the path
    really is (a folder, a pipe …), never only “找不到”.

    A symbolic link (a shortcut a user drags in) is followed: what counts is the file it points to, which
    must be a regular file like any other — never a device, a pipe or a folder. Looks with stat before
    opening (opening a named pipe would wait for ever) and again on the opened file (it may have been
    swapped meanwhile); nothing is read beyond the first kilobyte."""
    p = Path(path)
    try:
        info = p.stat()
    except FileNotFoundError:
        if p.is_symlink():
            raise UserError(f"{what}“{p.name}”是快捷方式（符号链接），它指向的文件已经不在了。"
                            "请直接选择扫描件或照片文件本身。", technical=where(p)) from None
        raise UserError(f"找不到{what}“{p.name}”。请检查文件是否存在、路径是否写对。", technical=where(p)) from None
    except OSError as exc:
        raise UserError(f"无法读取{what}“{p.name}”：{os_error_text(exc)}。请确认路径和读取权限。",
                        technical=where(p)) from None
    _check_kind(p, info, what)
    try:
        handle = os.open(p, os.O_RDONLY | getattr(os, "O_BINARY", 0) | getattr(os, "O_NONBLOCK", 0)
                         | getattr(os, "O_NOCTTY", 0))
    except OSError as exc:
        raise UserError(f"无法读取{what}“{p.name}”：{os_error_text(exc)}。请确认文件没有被占用并有读取权限。") from None
    try:
        info = os.fstat(handle)
        _check_kind(p, info, what)  # again on what was opened: the path may have been swapped since the stat
        _check_size(p, info.st_size, what, allow_empty, max_bytes)
        head = os.read(handle, HEAD_BYTES)
    except OSError as exc:
        raise UserError(f"无法读取{what}“{p.name}”：{os_error_text(exc)}。请确认文件没有被占用并有读取权限。") from None
    finally:
        os.close(handle)
    if not head and not allow_empty:  # a file whose size says more than it holds (/proc, a cloud placeholder)
        _check_size(p, 0, what, allow_empty, max_bytes)
    if voucher and head:
        check_voucher_content(p, head)
    return p


def _check_kind(p: Path, info: os.stat_result, what: str) -> None:
    if stat.S_ISDIR(info.st_mode):
        raise UserError(f"{what}“{p.name}”是文件夹，不是文件。请选择文件夹里的扫描件或照片文件。", technical=where(p))
    if not stat.S_ISREG(info.st_mode):
        raise UserError(f"{what}“{p.name}”不是普通文件（可能是管道、设备或快捷方式指向的特殊文件）。"
                        "请选择扫描件或照片文件本身。", technical=where(p))


def _check_size(p: Path, size: int, what: str, allow_empty: bool, max_bytes: int | None) -> None:
    if size == 0 and not allow_empty:
        raise UserError(f"{what}“{p.name}”是空文件（0 字节），里面没有内容，不能作为凭证。"
                        "请重新扫描或拍照，确认文件能打开后再添加。")
    if max_bytes is not None and size > max_bytes:
        raise UserError(f"{what}“{p.name}”有 {size_text(size)}，超过了单个文件 {size_text(max_bytes)} 的上限"
                        "（发票、收据的扫描件和手机照片一般只有几 MB），没有添加。请先压缩图片，或用较低的分辨率"
                        "（例如 200 dpi）重新扫描、把多页的文件拆开，然后再添加。")


def size_text(size: int) -> str:
    """3221225472 → "3.0 GB", 52428800 → "50 MB", 1536 → "1.5 KB"."""
    for unit, factor in (("GB", 1 << 30), ("MB", 1 << 20), ("KB", 1 << 10)):
        if size >= factor:
            return f"{size / factor:.1f}".removesuffix(".0") + f" {unit}"
    return f"{size} 字节"


def voucher_family(path: Path, head: bytes) -> str | None:
    """What the first bytes of a voucher file are: "image", "pdf" or "ofd"; None for anything else."""
    if head.startswith((b"\xff\xd8\xff", b"\x89PNG\r\n\x1a\n", b"GIF87a", b"GIF89a", b"II*\x00", b"MM\x00*",
                        b"II+\x00", b"MM\x00+")):
        return "image"
    if head.startswith(b"BM") and len(head) >= 14 and head[6:10] == b"\x00\x00\x00\x00":  # BMP: reserved words 0
        return "image"
    if head.startswith(b"RIFF") and head[8:12] == b"WEBP":
        return "image"
    if head[4:8] == b"ftyp" and ({head[8:12]} | {head[i:i + 4] for i in range(16, min(len(head), 64), 4)}) & _HEIF_BRANDS:
        return "image"  # HEIC/HEIF/AVIF: iPhone photos are kept as they are
    if head.startswith(b"%PDF-"):
        return "pdf"
    if path.suffix.lower() == ".pdf" and b"%PDF-" in head and not head.startswith(_PROGRAM_MAGIC):
        return "pdf"  # some scanners write a few bytes before the header; readers allow it in the first 1024
    if head.startswith(b"PK\x03\x04") and _is_ofd(path):
        return "ofd"
    return None


def _is_ofd(path: Path) -> bool:
    """An OFD e-invoice is a zip whose root holds OFD.xml (GB/T 33190)."""
    try:
        with zipfile.ZipFile(path) as archive:
            return any(name.lower() == "ofd.xml" for name in archive.namelist())
    except (zipfile.BadZipFile, OSError, ValueError, EOFError):
        return False


def check_voucher_content(p: Path, head: bytes) -> None:
    """Refuse a file whose content is not an image, a PDF or an OFD e-invoice, or whose content disagrees
    with its suffix (a PDF named .jpg would not open from the ledger later)."""
    name, suffix = p.name, p.suffix.lower()
    family = voucher_family(p, head)
    if family is None:
        if head.startswith(_LNK_MAGIC) or suffix == ".lnk":
            raise UserError(f"文件“{name}”是 Windows 快捷方式，不是文件本身。请选择快捷方式指向的扫描件或照片文件。")
        if suffix in _DOCUMENT_SUFFIXES:
            raise UserError(f"文件“{name}”是文档或表格，不是图片或 PDF，不能作为凭证。"
                            "请把它另存为（或打印成）PDF，或者打印后扫描，再添加。")
        if suffix == ".ofd":
            raise UserError(f"文件“{name}”的内容不是 OFD 电子发票（可能已损坏，或是改了扩展名的其他文件），"
                            "请重新下载电子发票，或选择发票、收据的扫描件或照片。")
        raise UserError(f"文件“{name}”的内容不是图片或 PDF（可能是改了扩展名的其他文件），请选择发票、收据的扫描件或照片。")
    expected = _SUFFIX_FAMILY.get(suffix)
    if expected is not None and expected != family:
        raise UserError(f"文件“{name}”的扩展名是 {p.suffix}，内容却是{_FAMILY_TEXT[family]}，两者对不上，"
                        f"以后从台账里打不开它。请把扩展名改成 {_FAMILY_SUFFIX[family]} 后再添加。")


def sha256_of(path: Path | str) -> str:
    """The SHA-256 of a file, read in 1 MiB chunks (photos and scans can be large)."""
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for chunk in iter(lambda: handle.read(CHUNK), b""):
            digest.update(chunk)
    return digest.hexdigest()


def fsync_file(path: Path | str) -> None:
    """Put a written file's content on disk before it is renamed into place."""
    with open(path, "rb+") as handle:
        os.fsync(handle.fileno())


def partial_path(target: Path, *, prefix: str = ".", suffix: str = ".partial") -> Path:
    """A fresh, unique temporary file beside `target` (same folder, so the final rename cannot cross disks)."""
    handle, name = tempfile.mkstemp(prefix=f"{prefix}{target.stem}.", suffix=suffix, dir=target.parent)
    os.close(handle)
    return Path(name)


@contextmanager
def atomic_write(target: Path, partial: Path | None = None) -> Iterator[Path]:
    """Yield a temporary path beside `target` to write; when the block ends normally the file is fsynced
    and moved onto `target`, otherwise it is removed. Either way no temporary file is left behind."""
    partial = partial or partial_path(target)
    try:
        yield partial
        fsync_file(partial)
        os.replace(partial, target)
    finally:
        partial.unlink(missing_ok=True)


def copy_atomically(source: Path, target: Path, partial: Path | None = None) -> None:
    """Copy `source` to `target` byte for byte, whole or not at all."""
    with atomic_write(target, partial) as temporary:
        shutil.copyfile(source, temporary)
