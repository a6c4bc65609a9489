"""Errors a user may see. Every message is Simplified Chinese and says what to do next."""


class UserError(Exception):
    """A problem with what the user asked for; nothing was changed. `details` are listed under the message;
    `technical` (full paths, hashes) is not part of it: the GUI shows it under 详细信息, the CLI after it."""

    def __init__(self, message: str, *, details: list[str] | None = None, technical: str = ""):
        super().__init__(message)
        self.message = message
        self.details = details or []
        self.technical = technical

    def __str__(self) -> str:
        if not self.details:
            return self.message
        return self.message + "\n" + "\n".join(f"  · {d}" for d in self.details)


class NeedsOverride(UserError):
    """A rule that may be passed only with an explicit, recorded reason (e.g. spending below zero)."""


class WorkspaceError(UserError):
    """The workspace cannot be opened or used as it is."""


class WorkspaceLocked(WorkspaceError):
    pass


class WorkspaceDamaged(WorkspaceError):
    """Integrity check failed; carries the newest backup that passed its own check, if any."""

    def __init__(self, message: str, *, good_backup=None):
        super().__init__(message)
        self.good_backup = good_backup


class Cancelled(Exception):
    """Long work stopped because the user pressed 取消."""
