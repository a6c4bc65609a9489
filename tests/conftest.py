"""Shared fixtures. Qt runs offscreen (set before any QApplication exists)."""

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from pathlib import Path  # noqa: E402

import pytest  # noqa: E402

from desktop_app.core.services import office, projects  # noqa: E402
from desktop_app.core.storage.workspace import Workspace  # noqa: E402
from tests.helpers import FUND_NAME  # noqa: E402


@pytest.fixture
def workspace(tmp_path):
    """An initialised workspace with one fund; closed after the test."""
    ws = Workspace.open(tmp_path / "ws", create=True, auto_backup=False)
    office.init_office(ws, name="八台镇社工站", division_code="511781107000", association="万源市慈善会")
    ws.fund, _ = projects.add_fund(ws, projects.FundInput(name=FUND_NAME))
    yield ws
    ws.close(backup=False)


@pytest.fixture
def voucher_file(tmp_path) -> Path:
    path = tmp_path / "发票.jpg"
    path.write_bytes(b"\xff\xd8\xff\xe0 scanned invoice")
    return path
