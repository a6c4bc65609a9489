"""The checks on a voucher file a user hands in (`storage/files.check_source_file`), as a hostile tester tried
them: a link to a system file, a program renamed .jpg, a 3 GB file of zeros. Each is refused with a Chinese
message before anything is copied, and nothing changes; real scans, photos, PDFs and OFD e-invoices (and a
link to one of them) are still accepted."""

import io
import os
import time
import zipfile
from pathlib import Path

import pytest
from PIL import Image

from desktop_app.core.errors import UserError
from desktop_app.core.services import ledger
from desktop_app.core.storage import files
from tests.helpers import make_entry, table_rows

RENAMED = "的内容不是图片或 PDF（可能是改了扩展名的其他文件），请选择发票、收据的扫描件或照片。"
needs_symlinks = pytest.mark.skipif(not hasattr(os, "symlink") or os.name == "nt",
                                    reason="symbolic links need extra rights on Windows")


def jpeg(path: Path, color="white") -> Path:
    Image.new("RGB", (40, 30), color).save(path, format="JPEG")
    return path


def stored(ws) -> list[Path]:
    return [p for p in ws.attachments_dir.rglob("*") if p.is_file()] if ws.attachments_dir.exists() else []


def refused(ws, path: Path, *, expected: str) -> str:
    """Adding an expense draft with `path` attached is refused with `expected` in its message; no row, no file."""
    before, files_before = table_rows(ws.db_path), stored(ws)
    with pytest.raises(UserError) as err:
        ledger.add_draft(ws, make_entry(ws, "expense", attachments=[path]))
    assert expected in err.value.message
    assert table_rows(ws.db_path) == before and stored(ws) == files_before
    # the same check guards the copy into the attachment store itself
    with pytest.raises(UserError), ws.transaction("test") as s:
        ws.store_attachment(s, path)
    assert table_rows(ws.db_path) == before and stored(ws) == files_before
    return err.value.message


def accepted(ws, path: Path) -> None:
    entry = ledger.add_draft(ws, make_entry(ws, "expense", attachments=[path]))
    assert entry.id and len(stored(ws)) >= 1


# ---------------------------------------------------------------------------- a program renamed .jpg


def test_a_program_renamed_jpg_is_refused(workspace, tmp_path):
    exe = tmp_path / "发票.jpg"
    exe.write_bytes(b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff" + os.urandom(2000))
    message = refused(workspace, exe, expected="文件“发票.jpg”" + RENAMED)
    assert message == "文件“发票.jpg”" + RENAMED


@pytest.mark.parametrize(("name", "data"), [
    ("收据.png", b"#!/bin/sh\nrm -rf ~\n"),
    ("扫描.pdf", b"MZ\x90\x00 %PDF-1.4 a program with a PDF header inside"),
    ("收据.jpeg", b"PK\x03\x04" + b"\x00" * 60),  # a zip, no OFD inside
    ("发票", b"\x7fELF\x02\x01\x01" + b"\x00" * 60),  # no suffix at all
], ids=["script", "program-with-a-pdf-header", "zip", "program-without-suffix"])
def test_other_content_that_is_no_voucher_is_refused(workspace, tmp_path, name, data):
    path = tmp_path / name
    path.write_bytes(data)
    refused(workspace, path, expected=f"文件“{name}”" + RENAMED)


def test_content_must_agree_with_the_suffix(workspace, tmp_path):
    pdf_as_jpg = tmp_path / "发票.jpg"
    pdf_as_jpg.write_bytes(b"%PDF-1.4\n1 0 obj << >> endobj\n%%EOF\n")
    message = refused(workspace, pdf_as_jpg, expected="扩展名是 .jpg，内容却是一份 PDF 文档")
    assert "改成 .pdf" in message
    jpg_as_pdf = jpeg(tmp_path / "收据.pdf")
    assert "改成 .jpg" in refused(workspace, jpg_as_pdf, expected="内容却是一张图片")


def test_documents_and_windows_shortcuts_are_named(workspace, tmp_path):
    word = tmp_path / "合同.docx"
    word.write_bytes(b"PK\x03\x04" + b"\x00" * 60)
    refused(workspace, word, expected="是文档或表格，不是图片或 PDF，不能作为凭证。请把它另存为（或打印成）PDF")
    shortcut = tmp_path / "发票.jpg.lnk"
    shortcut.write_bytes(b"L\x00\x00\x00\x01\x14\x02\x00" + b"\x00" * 60)
    refused(workspace, shortcut, expected="是 Windows 快捷方式，不是文件本身")


def ofd(path: Path) -> Path:
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("OFD.xml", '<?xml version="1.0" encoding="UTF-8"?><ofd:OFD/>')
        archive.writestr("Doc_0/Document.xml", "<ofd:Document/>")
    return path


def test_scans_photos_pdfs_and_e_invoices_are_accepted(workspace, tmp_path):
    png = io.BytesIO()
    Image.new("RGB", (8, 8), "white").save(png, format="PNG")
    samples = {
        "扫描.jpg": jpeg(tmp_path / "a.jpg").read_bytes(),
        "截图.png": png.getvalue(),
        "发票.pdf": b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj << >> endobj\n%%EOF\n",
        "扫描仪.pdf": b"\r\n\x00%PDF-1.4\n%%EOF\n",  # a few bytes before the header: readers allow it
        "手机.heic": b"\x00\x00\x00\x18ftypheic\x00\x00\x00\x00mif1heic" + os.urandom(64),
        "扫描.tif": b"II*\x00" + os.urandom(64),
        "照片.webp": b"RIFF\x10\x00\x00\x00WEBPVP8 " + os.urandom(32),
        "照片.png": jpeg(tmp_path / "b.jpg", "red").read_bytes(),  # a JPEG named .png is still a picture
    }
    for name, data in samples.items():
        path = tmp_path / name
        path.write_bytes(data)
        accepted(workspace, path)
    accepted(workspace, ofd(tmp_path / "电子发票.ofd"))
    assert len(stored(workspace)) == len(samples) + 1
    not_ofd = tmp_path / "假发票.ofd"
    not_ofd.write_bytes(b"PK\x03\x04" + b"\x00" * 60)
    refused(workspace, not_ofd, expected="的内容不是 OFD 电子发票")


# ---------------------------------------------------------------------------- links and special files


@needs_symlinks
def test_a_link_to_a_system_file_is_refused(workspace, tmp_path):
    secret = tmp_path / "shadow"
    secret.write_text("root:$6$salt$hash:19000:0:99999:7:::\n", encoding="utf-8")
    link = tmp_path / "发票.jpg"
    link.symlink_to(secret)
    refused(workspace, link, expected="文件“发票.jpg”" + RENAMED)
    if Path("/etc/shadow").exists():  # the tester's case itself (as root it is readable)
        shadow = tmp_path / "收据.jpg"
        shadow.symlink_to("/etc/shadow")
        with pytest.raises(UserError) as err:
            ledger.add_draft(workspace, make_entry(workspace, "expense", attachments=[shadow]))
        assert "收据.jpg" in err.value.message and "root:" not in err.value.message
        assert stored(workspace) == []


@needs_symlinks
def test_a_link_to_a_device_is_never_read(workspace, tmp_path):
    for target in ("/dev/zero", "/dev/urandom", "/dev/null"):
        if Path(target).exists():
            link = tmp_path / f"{Path(target).name}.jpg"
            link.symlink_to(target)
            refused(workspace, link, expected="不是普通文件（可能是管道、设备或快捷方式指向的特殊文件）")


@needs_symlinks
def test_a_link_whose_size_says_nothing_is_still_checked(workspace, tmp_path):
    """/proc files say 0 bytes and hold more: the store (which allows empty files) reads and checks them."""
    environ = Path("/proc/self/environ")
    if not environ.exists():
        pytest.skip("no /proc")
    link = tmp_path / "照片.jpg"
    link.symlink_to(environ)
    with pytest.raises(UserError, match="内容不是图片或 PDF"), workspace.transaction("test") as s:
        workspace.store_attachment(s, link)
    assert stored(workspace) == []


@needs_symlinks
def test_a_dangling_link_is_named(workspace, tmp_path):
    link = tmp_path / "发票.jpg"
    link.symlink_to(tmp_path / "已删除.jpg")
    refused(workspace, link, expected="是快捷方式（符号链接），它指向的文件已经不在了")


@needs_symlinks
def test_a_link_to_a_real_scan_is_followed(workspace, tmp_path):
    scan = jpeg(tmp_path / "扫描件.jpg")
    link = tmp_path / "桌面快捷方式.jpg"
    link.symlink_to(scan)
    accepted(workspace, link)
    [copy] = stored(workspace)
    assert copy.read_bytes() == scan.read_bytes() and not copy.is_symlink()


# ---------------------------------------------------------------------------- size


def test_a_huge_file_is_refused_before_anything_is_read(workspace, tmp_path):
    huge = tmp_path / "发票.jpg"
    with open(huge, "wb") as handle:  # 3 GB of zeros, sparse: takes no room, and reads as zeros
        handle.write(b"\xff\xd8\xff\xe0")
        handle.truncate(3 * 1024 ** 3)
    started = time.monotonic()
    message = refused(workspace, huge, expected="附件“发票.jpg”有 3 GB，超过了单个文件 50 MB 的上限")
    assert time.monotonic() - started < 2
    assert "压缩图片" in message and "重新扫描" in message


def test_the_limit_itself_is_allowed(workspace, tmp_path, monkeypatch):
    monkeypatch.setattr(files, "MAX_ATTACHMENT_BYTES", 4096)
    monkeypatch.setattr(files.check_source_file, "__kwdefaults__",
                        {**files.check_source_file.__kwdefaults__, "max_bytes": 4096})
    scan = tmp_path / "扫描.jpg"
    scan.write_bytes(b"\xff\xd8\xff\xe0" + b"\x00" * 4092)
    accepted(workspace, scan)
    scan.write_bytes(scan.read_bytes() + b"\x00")
    refused(workspace, scan, expected="有 4 KB，超过了单个文件 4 KB 的上限")


def test_size_text():
    assert [files.size_text(n) for n in (0, 512, 1536, 50 * 1024 ** 2, 3 * 1024 ** 3, int(2.5 * 1024 ** 3))] == [
        "0 字节", "512 字节", "1.5 KB", "50 MB", "3 GB", "2.5 GB"]
