"""文件 › 最近打开: the workspaces opened lately, newest first, kept in the user's settings."""

import json
from pathlib import Path

from desktop_app.gui import screen_fit

KEY = "workspaces/recent"
MAX_RECENT = 8


def _settings():
    return screen_fit.settings()  # the app's QSettings (tests point it at a scratch file)


def recent_workspaces() -> list[Path]:
    """Newest first, at most MAX_RECENT (missing ones included: the menu shows them disabled)."""
    raw = _settings().value(KEY, "[]")
    try:
        names = json.loads(raw) if isinstance(raw, str) else []
    except ValueError:
        names = []
    return [Path(n) for n in names if isinstance(n, str) and n][:MAX_RECENT]


def _store(folders: list[Path]) -> None:
    settings = _settings()
    settings.setValue(KEY, json.dumps([str(f) for f in folders[:MAX_RECENT]], ensure_ascii=False))
    settings.sync()


def remember(folder: Path) -> None:
    """`folder` was opened: first in the list, once."""
    folder = Path(folder)
    _store([folder] + [f for f in recent_workspaces() if f != folder])


def forget(folder: Path | None = None) -> None:
    """Take `folder` off the list (None: clear the list)."""
    _store([] if folder is None else [f for f in recent_workspaces() if f != Path(folder)])
