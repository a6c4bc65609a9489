"""Where the bundled resources (fonts, icons, templates) live: `resources/` beside the package in a
checkout or editable install; `<prefix>/share/charity-ledger/` when installed from a wheel."""

import sys
from pathlib import Path

_CHECKOUT = Path(__file__).resolve().parents[3] / "resources"
_INSTALLED = Path(sys.prefix) / "share" / "charity-ledger"
RESOURCES = _CHECKOUT if _CHECKOUT.is_dir() else _INSTALLED
CJK_FONT = RESOURCES / "fonts" / "DroidSansFallbackFull.ttf"
