"""What every page shares: refresh from a change notice, lazily when the page is hidden."""

from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import (
    QWidget,
)

from desktop_app.core.changes import Changes
from desktop_app.gui.context import AppContext


class Page(QWidget):
    title = ""
    watches: tuple[str, ...] = ()  # Changes flags this page shows

    def __init__(self, ctx: AppContext, parent: QWidget | None = None):
        super().__init__(parent)
        self.ctx = ctx
        self._stale = True
        ctx.runner.changed.connect(self.on_changed)

    def on_changed(self, changes: Changes) -> None:
        if changes.touches(*self.watches):
            self._stale = True
            if self.isVisible():
                self.reload()

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if self._stale:
            self.reload()

    def reload(self) -> None:
        self._stale = False
        self.refresh()

    def refresh(self) -> None:
        """Read what the page shows (through the runner) and fill the widgets."""


