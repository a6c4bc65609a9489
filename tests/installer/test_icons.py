"""The icon files tools/make_icons.py writes: every PNG size, the .ico holding each Windows size, all of
them carried by a wheel install."""

import tomllib
from pathlib import Path

from PIL import Image

from desktop_app.core.resources import ICON_DIR, ICON_SIZES, icon_png

ROOT = Path(__file__).resolve().parents[2]
ICO_SIZES = (16, 24, 32, 48, 64, 128, 256)


def test_each_png_size_is_there_and_square():
    for size in ICON_SIZES:
        with Image.open(icon_png(size)) as image:
            assert image.format == "PNG"
            assert image.size == (size, size)
            assert image.mode == "RGBA"


def test_the_ico_holds_every_windows_size():
    with Image.open(ICON_DIR / "charity-ledger.ico") as ico:
        assert ico.format == "ICO"
        assert set(ICO_SIZES) <= {w for w, h in ico.info["sizes"] if w == h}
        ico.size = (16, 16)  # the frame drawn at 16 px, not the 256 px one scaled down
        ico.load()
        with Image.open(icon_png(16)) as png:
            assert ico.convert("RGBA").tobytes() == png.convert("RGBA").tobytes()


def test_a_wheel_install_carries_every_icon_file():
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    listed = set(config["tool"]["setuptools"]["data-files"]["share/charity-ledger/icons"])
    on_disk = {path.relative_to(ROOT).as_posix() for path in ICON_DIR.iterdir() if path.is_file()}
    assert listed == on_disk
