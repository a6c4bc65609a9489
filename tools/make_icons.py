"""Render the application icon `resources/icons/charity-ledger.svg` to the PNG sizes each platform needs and
to the Windows `.ico`.

    .venv/bin/python tools/make_icons.py

Writes, next to the SVG:
  - `charity-ledger-{16,24,32,48,64,128,256,512}.png`: the window icon (desktop_app/gui/application.py
    builds a QIcon from them), the .desktop entry's icon on Linux (hicolor sizes);
  - `charity-ledger.ico` with 16–256 px (Explorer, the taskbar, the NSIS installer and Add/Remove Programs).

Rendering is Qt's own (QtSvg onto a QImage, offscreen), so the icon looks the same as the SVG the app would
draw; Pillow (already a dependency) only packs the .ico, which is reopened to check it holds every size.
Run it after editing the SVG and commit the outputs: the build and the app use the PNG/ICO files, not this.
"""

import os
import sys
from io import BytesIO
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PIL import Image  # noqa: E402
from PySide6.QtCore import QBuffer, QIODevice, Qt  # noqa: E402
from PySide6.QtGui import QGuiApplication, QImage, QPainter  # noqa: E402
from PySide6.QtSvg import QSvgRenderer  # noqa: E402

ICON_DIR = Path(__file__).resolve().parents[1] / "resources" / "icons"
SVG = ICON_DIR / "charity-ledger.svg"
PNG_SIZES = (16, 24, 32, 48, 64, 128, 256, 512)
ICO_SIZES = (16, 24, 32, 48, 64, 128, 256)  # 256 is the largest size an .ico holds


def png_path(size: int, folder: Path = ICON_DIR) -> Path:
    return folder / f"charity-ledger-{size}.png"


def render(renderer: QSvgRenderer, size: int) -> QImage:
    image = QImage(size, size, QImage.Format.Format_ARGB32_Premultiplied)
    image.fill(Qt.GlobalColor.transparent)
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform)
    renderer.render(painter)
    painter.end()
    return image.convertToFormat(QImage.Format.Format_ARGB32)


def to_pillow(image: QImage) -> Image.Image:
    buffer = QBuffer()
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    image.save(buffer, "PNG")
    return Image.open(BytesIO(bytes(buffer.data()))).convert("RGBA")


def ico_sizes(path: Path) -> set[int]:
    """The square sizes an .ico file holds (reopened with Pillow)."""
    with Image.open(path) as ico:
        return {width for width, height in ico.info.get("sizes", set()) if width == height}


def make_icons(svg: Path = SVG, folder: Path = ICON_DIR) -> list[Path]:
    _app = QGuiApplication.instance() or QGuiApplication(sys.argv[:1])
    renderer = QSvgRenderer(str(svg))
    if not renderer.isValid():
        raise SystemExit(f"cannot read {svg}")
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    images = {}
    for size in PNG_SIZES:
        image = render(renderer, size)
        if not image.save(str(png_path(size, folder)), "PNG"):
            raise SystemExit(f"cannot write {png_path(size, folder)}")
        images[size] = to_pillow(image)
        written.append(png_path(size, folder))
    ico = folder / "charity-ledger.ico"
    # Pillow packs the largest image given, resampled to each size, unless the exact sizes are appended.
    largest = images[max(ICO_SIZES)]
    largest.save(ico, format="ICO", sizes=[(s, s) for s in ICO_SIZES],
                 append_images=[images[s] for s in ICO_SIZES if s != max(ICO_SIZES)])
    missing = set(ICO_SIZES) - ico_sizes(ico)
    if missing:
        raise SystemExit(f"{ico} lacks the sizes {sorted(missing)}")
    written.append(ico)
    return written


def main() -> None:
    for path in make_icons():
        print(f"{path.relative_to(ICON_DIR.parents[1])}  {path.stat().st_size:,} B")


if __name__ == "__main__":
    main()
