"""Posting is irreversible: it is asked for first (until the user ticks “不再提示”), from the entry dialog's
保存并记账 and from the ledger page's 记账 alike."""

from PySide6.QtWidgets import QWidget

from desktop_app.gui import prompts, screen_fit

SKIP_KEY = "questions/skip_posting_confirmation"  # set by “不再提示”


def confirm_posting(parent: QWidget | None, what: str = "") -> bool:
    """True when the posting may go ahead: asked, or the user said not to ask again."""
    store = screen_fit.settings()
    if store.value(SKIP_KEY, False, type=bool):
        return True
    post, quiet = prompts.ask_posting(parent, what)
    if quiet:
        store.setValue(SKIP_KEY, True)
    return post
