"""What every page and dialog needs, passed explicitly (no global state)."""

from dataclasses import dataclass

from PySide6.QtGui import QUndoStack

from desktop_app.core.workspace import Workspace
from desktop_app.gui.ops import OpRunner


@dataclass
class AppContext:
    ws: Workspace
    runner: OpRunner
    undo: QUndoStack
