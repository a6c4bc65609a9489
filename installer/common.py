"""Names every installer part shares."""

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
APP = "charity-ledger"  # the program, the package and the per-user data folder
NAME = "社区慈善台账"
PORTABLE_MARKER = "portable.txt"  # desktop_app.core.storage.paths.PORTABLE_MARKER
ICONS = ROOT / "resources" / "icons"
# The system libraries Python's own modules link to (ssl, sqlite3, ctypes, lzma, bz2, zlib, pyexpat, decimal,
# uuid, crypt): bundled from the machine Python was built on; all other system libraries are the office PC's.
PYTHON_SYSTEM_LIBS = ("libssl.", "libcrypto.", "libsqlite3.", "libffi.", "liblzma.", "libbz2.", "libz.", "libexpat.",
                      "libmpdec.", "libuuid.", "libcrypt.")


def is_python_runtime(relative: str) -> bool:
    """A bundle file (path below _internal/) that comes with Python itself rather than with a wheel."""
    name = relative.rsplit("/", 1)[-1]
    return name.startswith(("libpython",) + PYTHON_SYSTEM_LIBS) or "/lib-dynload/" in f"/{relative}"


def app_version() -> str:
    """desktop_app.__version__, read without importing the app (the build runs before its dependencies exist)."""
    text = (ROOT / "desktop_app" / "__init__.py").read_text(encoding="utf-8")
    return re.search(r'__version__\s*=\s*"([^"]+)"', text).group(1)
