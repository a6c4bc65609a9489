"""Where the bundled resources (fonts, icons, templates) live: `resources/` beside the package in a
checkout or editable install; `<prefix>/share/charity-ledger/` when installed from a wheel.

A values-layer module (paths only, nothing read), so that the lowest layer — the text check of
`validation`, which refuses what the bundled fonts cannot print — can find the fonts too.
"""

import sys
from pathlib import Path

_CHECKOUT = Path(__file__).resolve().parents[2] / "resources"
_INSTALLED = Path(sys.prefix) / "share" / "charity-ledger"
RESOURCES = _CHECKOUT if _CHECKOUT.is_dir() else _INSTALLED
FONT_DIR = RESOURCES / "fonts"
CJK_FONT = FONT_DIR / "DroidSansFallbackFull.ttf"  # the screen's CJK fallback (and the heading face of documents)
RARE_FONT = FONT_DIR / "HanaMinB.ttf"  # CJK Extensions B–F: rare name characters, on screen and in documents
ICON_DIR = RESOURCES / "icons"  # the application icon: the SVG, its PNG sizes and the Windows .ico (tools/make_icons.py)
ICON_SIZES = (16, 24, 32, 48, 64, 128, 256, 512)


def icon_png(size: int) -> Path:
    """The application icon rendered at `size` px (one of ICON_SIZES)."""
    return ICON_DIR / f"charity-ledger-{size}.png"
