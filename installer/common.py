"""Names every installer part shares."""

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
APP = "charity-ledger"  # the program, the package and the per-user data folder
NAME = "社区慈善台账"
PORTABLE_MARKER = "portable.txt"  # desktop_app.core.storage.paths.PORTABLE_MARKER
ICONS = ROOT / "resources" / "icons"


def app_version() -> str:
    """desktop_app.__version__, read without importing the app (the build runs before its dependencies exist)."""
    text = (ROOT / "desktop_app" / "__init__.py").read_text(encoding="utf-8")
    return re.search(r'__version__\s*=\s*"([^"]+)"', text).group(1)
