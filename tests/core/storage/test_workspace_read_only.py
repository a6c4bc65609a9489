"""A workspace that cannot be written (a write-protected USB stick) opens read-only when the caller allows it:
reads work, nothing at all is written beside it (no lock, no -shm, no backup), and every write is refused
with a Chinese message that says what to do. Without `read_only_ok` it is refused as before."""

import errno
import os
import shutil
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from sqlmodel import select

from desktop_app.core.errors import WorkspaceError
from desktop_app.core.models import Fund
from desktop_app.core.queries import ledger as ledger_query
from desktop_app.core.services import ledger, office, projects
from desktop_app.core.storage import db
from desktop_app.core.storage.workspace import Workspace
from tests.helpers import FUND_NAME, make_entry

FIXTURES = Path(__file__).parents[2] / "fixtures"


def files_of(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.fixture
def closed(tmp_path) -> Path:
    """A closed workspace with one posted entry."""
    ws = Workspace.open(tmp_path / "ws", create=True, auto_backup=False)
    office.init_office(ws, name="八台镇社工站", division_code="511781107000", association="万源市慈善会")
    ws.fund, _ = projects.add_fund(ws, projects.FundInput(name=FUND_NAME))
    ledger.add_entry(ws, make_entry(ws, amount="1000", day=date(2024, 3, 1)), post=True)
    ws.close(backup=True)
    return ws.root


@pytest.fixture
def protected(closed, monkeypatch) -> Path:
    """The write test fails as on a write-protected stick (root ignores permissions, so this is simulated;
    every file is compared afterwards, so a write that got through would show)."""
    original = Path.write_bytes

    def refuse(self, data):
        if self.name == ".write-test":
            raise OSError(errno.EROFS, "Read-only file system", str(self))
        return original(self, data)

    monkeypatch.setattr(Path, "write_bytes", refuse)
    return closed


def _reads_and_refused_writes(folder: Path) -> None:
    before = files_of(folder)
    ws = Workspace.open(folder, read_only_ok=True)
    try:
        assert ws.read_only
        assert ws.local_office().name == "八台镇社工站"
        conn = ws.raw_reader()
        try:
            [row] = list(ledger_query.iterate(conn, ledger_query.LedgerFilter(), sort="date", descending=False))
        finally:
            conn.close()
        assert row.amount_fen == 100000
        with ws.reading() as s:
            fund_id = s.exec(select(Fund.id)).one()
        for write in (lambda: ledger.add_draft(ws, ledger.EntryInput(fund_id, date(2024, 3, 2), "allocation",
                                                                     Decimal("10"), "拨款")),
                      lambda: projects.add_fund(ws, projects.FundInput(name="另一个社区基金")),
                      lambda: ws.create_backup("manual")):
            with pytest.raises(WorkspaceError, match="只读.*什么都没有改动.*写保护"):
                write()
    finally:
        ws.close()  # with its usual backup: skipped
    assert files_of(folder) == before


def test_read_only_workspace_reads_and_refuses_writes(protected):
    _reads_and_refused_writes(protected)


def test_read_only_is_opt_in(protected):
    before = files_of(protected)
    with pytest.raises(WorkspaceError, match="不可写"):
        Workspace.open(protected)  # the window keeps its message
    assert files_of(protected) == before


@pytest.mark.skipif(not hasattr(os, "geteuid") or os.geteuid() == 0, reason="root ignores file permissions")
def test_write_protected_workspace_reads_and_refuses_writes(closed):
    paths = [closed, *closed.rglob("*")]
    for p in paths:
        p.chmod(p.stat().st_mode & ~0o222)
    try:
        _reads_and_refused_writes(closed)
    finally:
        for p in paths:
            p.chmod(p.stat().st_mode | 0o200)


def test_read_only_workspace_of_an_older_version_says_to_open_it_writable_once(tmp_path, monkeypatch):
    folder = tmp_path / "old"
    folder.mkdir()
    shutil.copy(FIXTURES / "workspace_v1.db", folder / "ledger.db")
    before = files_of(folder)
    original = Path.write_bytes

    def refuse(self, data):
        if self.name == ".write-test":
            raise OSError(errno.EROFS, "Read-only file system", str(self))
        return original(self, data)

    monkeypatch.setattr(Path, "write_bytes", refuse)
    with pytest.raises(WorkspaceError, match="升级数据结构.*只读.*可写的位置"):
        Workspace.open(folder, read_only_ok=True)
    assert files_of(folder) == before
    assert db.LATEST_VERSION > 1
