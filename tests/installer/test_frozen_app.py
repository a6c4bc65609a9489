"""The built Linux packages, installed and used as an office would: the .deb unpacked into a scratch root
and the portable .tar.xz unpacked into a folder, the frozen program run from each.

Slow (a full PyInstaller build, several minutes), so it runs only when asked:
    python dev.py test --build                      # builds, then runs these tests
    CHARITY_LEDGER_BUILD_TEST=1 pytest tests/installer
    CHARITY_LEDGER_BUILD_TEST=reuse pytest …        # test what build/installers already holds
`.ci/run` never sets it. Needs dpkg-deb and binutils (objdump), as installer/build.py does.
"""

import os
import re
import shutil
import sqlite3
import subprocess
import sys
import tarfile
from pathlib import Path

import pytest
from openpyxl import load_workbook
from PIL import Image, ImageCms
from pypdf import PdfReader

ROOT = Path(__file__).resolve().parents[2]
OUT = ROOT / "build" / "installers"
MODE = os.environ.get("CHARITY_LEDGER_BUILD_TEST", "")
PROJECT = "四川省慈善事业高质量发展试点工作"  # the demo workspace's project (seed 004)
SIZE_LIMIT = 90_000_000
SURVEY = ROOT.parent / "shared" / "survey-samples" / "wjx_2025_按文本_206rows.xlsx"  # a real 问卷星 export

pytestmark = [
    pytest.mark.skipif(not MODE, reason="builds the installers: run with `python dev.py test --build`"),
    pytest.mark.skipif(not sys.platform.startswith("linux"), reason="the .deb and .tar.xz are built on Linux"),
]


def version() -> str:
    sys.path.insert(0, str(ROOT / "installer"))
    from common import app_version

    return app_version()


@pytest.fixture(scope="module")
def packages() -> dict[str, Path]:
    """The .deb and .tar.xz of this checkout, built by installer/build.py (unless MODE is `reuse`)."""
    if MODE != "reuse":
        done = subprocess.run([sys.executable, str(ROOT / "installer" / "build.py")], cwd=ROOT,
                              capture_output=True, text=True)
        assert done.returncode == 0, done.stdout[-4000:] + done.stderr[-4000:]
    found = {"deb": OUT / f"charity-ledger_{version()}_amd64.deb",
             "tar": OUT / f"charity-ledger-{version()}-linux-x86_64.tar.xz"}
    for path in found.values():
        assert path.is_file(), f"{path} was not built"
    return found


@pytest.fixture(scope="module")
def deb_root(packages, tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("deb-root")
    subprocess.run(["dpkg-deb", "-x", str(packages["deb"]), str(root)], check=True)
    return root


def run(program: Path, *args: str, home: Path, **env) -> subprocess.CompletedProcess:
    """The frozen program, as a user with their own (scratch) home and no screen."""
    environment = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "HOME": str(home), "LANG": "C.UTF-8",
                   "QT_QPA_PLATFORM": "offscreen", **env}
    home.mkdir(parents=True, exist_ok=True)
    return subprocess.run([str(program), *args], capture_output=True, text=True, env=environment, timeout=300)


def embedded_fonts(pdf: Path) -> dict[str, bool]:
    """Each font the PDF's pages use, and whether its glyphs are inside the file."""
    fonts: dict[str, bool] = {}
    for page in PdfReader(pdf).pages:
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            descriptor = font.get("/FontDescriptor")
            if descriptor is None and "/DescendantFonts" in font:
                descriptor = font["/DescendantFonts"][0].get_object().get("/FontDescriptor")
            descriptor = descriptor.get_object() if descriptor is not None else {}
            fonts[str(font["/BaseFont"])] = any(k in descriptor for k in ("/FontFile", "/FontFile2", "/FontFile3"))
    return fonts


def test_each_package_is_within_the_size_limit(packages):
    for path in packages.values():
        assert path.stat().st_size <= SIZE_LIMIT, f"{path.name}: {path.stat().st_size / 1e6:.1f} MB"
    assert "最高 glibc 符号版本：GLIBC_2." in (OUT / "build-report.txt").read_text(encoding="utf-8")


def test_the_deb_declares_what_it_needs_and_installs_under_opt_with_a_chinese_menu_entry(packages, deb_root):
    fields = subprocess.run(["dpkg-deb", "-f", str(packages["deb"]), "Package", "Version", "Architecture", "Depends"],
                            capture_output=True, text=True, check=True).stdout
    assert f"Version: {version()}" in fields and "Architecture: amd64" in fields
    for library in ("libxcb-cursor0", "libxkbcommon-x11-0", "libfontconfig1", "libegl1"):
        assert library in fields
    report = (OUT / "build-report.txt").read_text(encoding="utf-8")
    needed = re.search(r"最高 glibc 符号版本：GLIBC_([\d.]+)", report)[1]
    assert f"libc6 (>= {needed})" in fields  # an older system refuses it, saying so
    program = deb_root / "opt" / "charity-ledger" / "charity-ledger"
    assert os.access(program, os.X_OK)
    assert os.readlink(deb_root / "usr" / "bin" / "charity-ledger") == "/opt/charity-ledger/charity-ledger"
    entry = (deb_root / "usr/share/applications/charity-ledger.desktop").read_text(encoding="utf-8")
    assert "Name=社区慈善台账" in entry and "Exec=/opt/charity-ledger/charity-ledger" in entry
    assert "Icon=charity-ledger" in entry
    for size in (16, 32, 48, 128, 256):
        assert (deb_root / f"usr/share/icons/hicolor/{size}x{size}/apps/charity-ledger.png").is_file()
    assert (deb_root / "usr/share/icons/hicolor/scalable/apps/charity-ledger.svg").is_file()


def test_the_bundle_holds_only_what_the_app_uses(deb_root):
    internal = deb_root / "opt" / "charity-ledger" / "_internal"
    translations = {p.name for p in internal.rglob("translations/*.qm")}
    assert translations == {"qt_zh_CN.qm", "qtbase_zh_CN.qm"}
    names = [p.as_posix() for p in internal.rglob("*")]
    for pruned in ("virtualkeyboard", "WebEngine", "/qml/", "Qt6Quick", "Qt6Qml"):
        assert not [n for n in names if pruned in n], pruned
    # the build machine's own X11/glib/CUPS libraries stay out: the office PC's own ones match its glibc
    for system_library in ("libX11.so", "libglib-2.0.so", "libcups.so", "libstdc++.so", "libgcc_s.so"):
        assert not list(internal.glob(f"{system_library}*")), system_library
    share = internal / "share" / "charity-ledger"
    for resource in ("fonts/UMingCN.ttf", "fonts/DroidSansFallbackFull.ttf", "fonts/HanaMinB.ttf",
                     "user-guide/index.md", "icons/charity-ledger-256.png"):
        assert (share / resource).is_file(), resource
    assert list(internal.rglob("migrations/0001_*.sql"))


def test_the_installed_program_makes_a_demo_exports_a_notice_with_embedded_fonts_and_verifies(deb_root, tmp_path):
    program = deb_root / "opt" / "charity-ledger" / "charity-ledger"
    home = tmp_path / "home"
    shown = run(program, "--version", home=home)
    assert shown.returncode == 0 and shown.stdout.strip() == f"charity-ledger {version()}"

    workspace = tmp_path / "新的 台账"
    made = run(program, "--workspace", str(workspace), "demo", home=home)
    assert made.returncode == 0, made.stderr
    assert (workspace / "ledger.db").is_file()

    pdf = tmp_path / "公示.pdf"
    exported = run(program, "--workspace", str(workspace), "notice", "export", "--project", PROJECT, "--out", str(pdf),
                   home=home)
    assert exported.returncode == 0, exported.stderr
    assert "已导出经费使用情况公示" in exported.stdout
    fonts = embedded_fonts(pdf)
    assert any("UMingCN" in name for name in fonts) and all(fonts.values()), fonts
    assert "经费使用情况公示" in PdfReader(pdf).pages[0].extract_text()

    verified = run(program, "--workspace", str(workspace), "verify", home=home)
    assert verified.returncode == 0, verified.stderr
    assert "数据完好" in verified.stdout


def test_every_bundled_library_loads_in_the_installed_program(deb_root, tmp_path):
    """One command for each library the frozen program must carry (PyInstaller only sees what is imported by
    name; a library missed shows up only when its command runs): photos with a colour profile (Pillow,
    ImageCms), Excel (openpyxl, lxml), survey exports (calamine), a notice PDF checked page by page (pdfium,
    pypdf), a signed sync package (cryptography) and a one-file backup."""
    program = deb_root / "opt" / "charity-ledger" / "charity-ledger"
    home = tmp_path / "home"
    workspace = tmp_path / "ws"
    assert run(program, "--workspace", str(workspace), "demo", home=home).returncode == 0

    def ok(*args: str) -> str:
        done = run(program, "--workspace", str(workspace), *args, home=home)
        assert done.returncode == 0, f"{args}: {done.stderr[-3000:]}"
        return done.stdout

    photo = tmp_path / "活动照片.jpg"
    Image.new("RGB", (1600, 1200), (200, 120, 40)).save(
        photo, "JPEG", icc_profile=ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes())
    ok("activity", "add", "--project", PROJECT, "--type", "慈善服务", "--title", "冬衣发放", "--date", "2024-12-01",
       "--photo", str(photo))
    ok("export", "ledger", "--out", str(tmp_path / "台账.xlsx"))
    assert load_workbook(tmp_path / "台账.xlsx", read_only=True).sheetnames
    ok("survey", "import", str(SURVEY), "--project", PROJECT)
    pdf = tmp_path / "公示.pdf"
    ok("notice", "export", "--project", PROJECT, "--out", str(pdf))
    ok("notice", "publish", str(pdf))
    assert "每一页都与公示一致" in ok("notice", "verify", str(pdf))  # the pages rendered and compared
    ok("backup", "create")
    workspace = tmp_path / "八台镇"  # a township: the demo is the county association, which exports no packages
    ok("init", "--office", "八台镇社工站", "--division-code", "511781107000", "--association", "万源市慈善会")
    (tmp_path / "U盘").mkdir()
    ok("sync", "export", "--out", str(tmp_path / "U盘"))
    assert list((tmp_path / "U盘").iterdir())


def test_the_installed_program_opens_its_window(deb_root, tmp_path):
    program = deb_root / "opt" / "charity-ledger" / "charity-ledger"
    home = tmp_path / "home"
    workspace = tmp_path / "ws"
    assert run(program, "--workspace", str(workspace), "demo", home=home).returncode == 0
    shot = tmp_path / "main-window.png"
    # QT_IM_MODULE=fcitx as UOS sets it: the program must still start (it falls back to ibus)
    opened = run(program, "--workspace", str(workspace), "--screenshot", str(shot), home=home, QT_IM_MODULE="fcitx")
    assert opened.returncode == 0, opened.stderr
    assert "找不到" not in opened.stderr  # fonts, icons
    with Image.open(shot) as image:
        assert image.width >= 640 and image.height >= 480
        assert len(image.convert("RGB").getcolors(maxcolors=1 << 20) or []) > 200  # a drawn window, not a blank
    shutil.copyfile(shot, OUT / "frozen-main-window.png")  # for a person to look at


def test_upgrading_keeps_an_old_workspace_and_migrates_it_after_a_backup(deb_root, tmp_path):
    program = deb_root / "opt" / "charity-ledger" / "charity-ledger"
    workspace = tmp_path / "old"
    workspace.mkdir()
    shutil.copyfile(ROOT / "tests" / "fixtures" / "workspace_v1.db", workspace / "ledger.db")
    listed = run(program, "--workspace", str(workspace), "entry", "list", "--search", "一日捐", home=tmp_path / "home")
    assert listed.returncode == 0, listed.stderr
    assert "慈善一日捐" in listed.stdout
    backups = list((workspace / "backups").glob("*.zip")) or list((workspace / "backups").glob("*"))
    assert backups, "no backup was taken before the migration"
    with sqlite3.connect(workspace / "ledger.db") as conn:
        assert conn.execute("PRAGMA user_version").fetchone()[0] > 1


def test_the_portable_tarball_keeps_its_workspace_beside_the_program(packages, tmp_path):
    stick = tmp_path / "U盘"
    with tarfile.open(packages["tar"]) as tar:
        tar.extractall(stick, filter="tar")
    (top,) = stick.iterdir()
    assert (top / "portable.txt").is_file()
    home = tmp_path / "home"
    made = run(top / "charity-ledger", "demo", home=home)
    assert made.returncode == 0, made.stderr
    assert (top / "台账数据" / "ledger.db").is_file()
    assert not (home / ".local" / "share" / "charity-ledger").exists()  # nothing left on the PC
