"""Where workspaces live. Kept free of heavy imports: the window's start-up reads it first."""

from pathlib import Path

from platformdirs import user_data_dir

DB_NAME = "ledger.db"


def default_workspace_dir() -> Path:
    return Path(user_data_dir("charity-ledger", appauthor=False)) / "workspace"


def demo_workspace_dir() -> Path:
    return Path(user_data_dir("charity-ledger", appauthor=False)) / "demo"
