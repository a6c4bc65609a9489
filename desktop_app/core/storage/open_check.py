"""The open check a window defers (`Workspace.open(defer_checks=True)`).

quick_check reads the whole file — about three seconds on a million entries — so the GUI runs it on a thread
of its own while its pages read. Every write waits for its verdict (and runs it, when nobody has started it
yet) and is refused once it has failed: nothing is ever written to a damaged file. No Qt here: plain threads.
"""

import threading
from collections.abc import Callable

from desktop_app.core.errors import WorkspaceDamaged


class DeferredCheck:
    """`check()` returns the damage it found, or None when the file passed; it runs at most once."""

    def __init__(self, check: Callable[[], WorkspaceDamaged | None]):
        self._check = check
        self._lock = threading.Lock()  # held while the check runs: a second caller waits for its verdict
        self.pending = False  # deferred and not run yet
        self.damage: WorkspaceDamaged | None = None

    def run(self) -> None:
        """Run the check if it is pending (from any thread); raise WorkspaceDamaged when it failed."""
        with self._lock:
            if self.pending:
                self.damage = self._check()
                self.pending = False
            if self.damage is not None:
                raise WorkspaceDamaged(self.damage.message, good_backup=self.damage.good_backup)

    def before_write(self) -> None:
        """Wait for the verdict (run the check here when nobody has started it); refused once it failed."""
        if self.pending or self.damage is not None:
            self.run()
