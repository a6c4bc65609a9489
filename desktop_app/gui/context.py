"""What every page and dialog needs, passed explicitly (no global state)."""

from dataclasses import dataclass
from pathlib import Path

from PySide6.QtGui import QUndoStack

from desktop_app.core.storage.workspace import Workspace
from desktop_app.gui.ops import OpRunner


@dataclass
class AppContext:
    ws: Workspace
    runner: OpRunner
    undo: QUndoStack
    export_dir: Path | None = None  # the folder of the last Excel export, suggested for the next one
