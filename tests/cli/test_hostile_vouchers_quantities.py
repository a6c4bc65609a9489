"""A hostile tester's findings on the command line: vouchers that are no vouchers (a program renamed .jpg, a
link to a system file, a 3 GB file) and goods quantities in exponent notation (`--quantity 1e3`). Each gets
a Chinese message on stderr, exit 1, and changes nothing — no row, no file."""

import os
import time
from pathlib import Path

import pytest

from tests.cli.helpers import FUND, add, image, ok
from tests.cli.test_hostile_inputs import EXPENSE, refused

RENAMED = "的内容不是图片或 PDF（可能是改了扩展名的其他文件），请选择发票、收据的扫描件或照片。"


@pytest.fixture
def funded(ws, capsys):
    add(ws, capsys, "--post", amount="100000")
    return ws


def test_a_program_renamed_jpg_is_refused(funded, capsys, tmp_path):
    exe = tmp_path / "发票.jpg"
    exe.write_bytes(b"MZ\x90\x00\x03\x00\x00\x00" + os.urandom(4000))
    err = refused(funded, capsys, *EXPENSE, "--attach", exe, "--post")
    assert err.strip() == "错误：文件“发票.jpg”" + RENAMED


@pytest.mark.skipif(not hasattr(os, "symlink") or os.name == "nt", reason="symbolic links")
def test_a_link_to_a_system_file_is_refused_and_one_to_a_scan_is_followed(funded, capsys, tmp_path):
    target = Path("/etc/shadow") if Path("/etc/shadow").exists() else Path("/etc/passwd")
    if not target.exists():
        pytest.skip("no system file to link to")
    link = tmp_path / "发票.jpg"
    link.symlink_to(target)
    err = refused(funded, capsys, *EXPENSE, "--attach", link, "--post")
    assert "发票.jpg" in err and ("内容不是图片或 PDF" in err or "没有权限" in err) and "root" not in err
    scan = image(tmp_path / "扫描件.jpg", "white")
    shortcut = tmp_path / "快捷方式.jpg"
    shortcut.symlink_to(scan)
    assert "已记账" in ok(funded, capsys, *EXPENSE, "--attach", shortcut, "--post")
    [stored] = [p for p in (funded / "attachments").rglob("*") if p.is_file()]
    assert stored.read_bytes() == scan.read_bytes()


def test_a_3_gb_voucher_is_refused_before_it_is_copied(funded, capsys, tmp_path):
    huge = tmp_path / "发票.jpg"
    with open(huge, "wb") as handle:
        handle.write(b"\xff\xd8\xff\xe0")
        handle.truncate(3 * 1024 ** 3)  # sparse: no room taken, but 3 GB to read
    started = time.monotonic()
    err = refused(funded, capsys, *EXPENSE, "--attach", huge, "--post")
    assert time.monotonic() - started < 5  # not the 20 s of copying it
    assert "“发票.jpg”有 3 GB，超过了单个文件 50 MB 的上限" in err and "压缩图片" in err and "重新扫描" in err


RECEIVE = ["goods", "receive", "--fund", FUND, "--date", "2024-12-20", "--item", "大米", "--unit", "袋",
           "--donor", "张三", "--quantity"]


@pytest.mark.parametrize("quantity", ["1e3", "1E3", "1E+3", "2.5e2", "１ｅ３", "1_000"])
def test_goods_quantity_in_exponent_notation_is_refused(ws, capsys, quantity):
    err = refused(ws, capsys, *RECEIVE, quantity)
    assert f"数量“{quantity}”不是数字。请只填数字，例如 200、2.5 或 1,000" in err


def test_goods_quantity_with_a_misplaced_comma_is_refused(ws, capsys):
    err = refused(ws, capsys, *RECEIVE, "2,5")  # 2.5 in some countries, 25 before: neither is guessed
    assert "数量“2,5”的千位分隔符位置不对" in err
    assert "已登记收到“大米” 1000袋" in ok(ws, capsys, *RECEIVE, "1,000")  # grouped thousands are fine


def test_amounts_and_quantities_refuse_exponents_alike(ws, capsys):
    err = refused(ws, capsys, "entry", "add", "--fund", FUND, "--date", "2024-03-01", "--type", "donation",
                  "--amount", "1e5", "--category", "个人捐赠", "--summary", "x")
    assert "“1e5”不是金额" in err
    assert "“1e5”不是数字" in refused(ws, capsys, *RECEIVE, "1e5")
