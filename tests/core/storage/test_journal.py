"""Who did what: every journal row names its operation, operator, office and epoch; every record that exists
is journalled; a restore from backup starts a new epoch that says where the sequence numbers rewound."""

import json
import shutil
import sqlite3
from pathlib import Path

from sqlmodel import select

from desktop_app.core.models import Category, ChangeJournal, LocalIdentity, Office, WorkspaceEpoch
from desktop_app.core.services import ledger
from desktop_app.core.storage import db
from desktop_app.core.storage.identity import local_identity, operator_name
from desktop_app.core.storage.journal import record_payload
from desktop_app.core.storage.workspace import Workspace
from tests.helpers import make_entry

FIXTURE_V1 = Path(__file__).parents[2] / "fixtures" / "workspace_v1.db"


def journal(ws) -> list[ChangeJournal]:
    with ws.reading() as s:
        return list(s.exec(select(ChangeJournal).order_by(ChangeJournal.seq)))


def test_each_row_names_the_operation_the_operator_the_office_and_the_epoch(workspace):
    entry = ledger.add_entry(workspace, make_entry(workspace))
    ledger.post_entry(workspace, entry.id)
    with workspace.reading() as s:
        identity = local_identity(s)
    rows = [r for r in journal(workspace) if r.record_id == entry.id]
    assert [(r.op, r.operation) for r in rows] == [("insert", "entry.add"), ("update", "entry.post")]
    assert {(r.operator, r.office_id, r.epoch_id) for r in rows} == {
        (operator_name(), identity.office_id, identity.epoch_id)}
    assert operator_name()


def test_init_names_the_office_its_level_and_a_first_epoch(workspace):
    with workspace.reading() as s:
        identity = local_identity(s)
        epoch = s.get(WorkspaceEpoch, identity.epoch_id)
        office = s.get(Office, identity.office_id)
    assert (identity.level, office.name, epoch.reason) == ("乡镇/街道", "八台镇社工站", "init")
    first = journal(workspace)[0]
    assert first.operation == "office.init" and first.epoch_id == epoch.id


def test_the_identity_is_local_never_journalled(workspace):
    assert "local_identity" not in {r.table_name for r in journal(workspace)}
    assert not hasattr(Office, "is_local")


def test_bulk_imports_are_stamped_and_journalled_like_single_adds(workspace):
    count = ledger.import_drafts(workspace, [make_entry(workspace, amount=str(n + 1)) for n in range(3)])
    assert count == 3
    office_id = workspace.local_office().id
    rows = [r for r in journal(workspace) if r.table_name == "ledger_entry"]
    with workspace.reading() as s:
        entries = {e.id: e for e in s.exec(select(ledger.LedgerEntry))}
        assert len(rows) == 3 and {r.operation for r in rows} == {"entry.import_drafts"}
        for row in rows:
            entry = entries[row.record_id]
            assert entry.office_id == office_id and entry.version == 1
            assert json.loads(row.payload) == json.loads(json.dumps(record_payload(entry), default=str))


def test_a_restore_starts_a_new_epoch_that_says_where_the_sequence_rewound(workspace):
    backup = workspace.create_backup("manual")
    with workspace.reading() as s:
        before = local_identity(s).epoch_id
    ledger.add_entry(workspace, make_entry(workspace))
    ledger.add_entry(workspace, make_entry(workspace))
    last_before_restore = journal(workspace)[-1].seq
    workspace.restore_backup(backup.path)
    with workspace.reading() as s:
        identity = local_identity(s)
        epoch = s.get(WorkspaceEpoch, identity.epoch_id)
    assert identity.epoch_id != before
    assert (epoch.reason, epoch.previous_epoch_id, epoch.restored_from) == ("restore", before, backup.path.name)
    assert epoch.abandoned_seq == last_before_restore
    assert epoch.resumed_seq < last_before_restore  # the rewind the county will see
    last = journal(workspace)[-1]
    assert (last.table_name, last.record_id, last.operation, last.epoch_id) == (
        "workspace_epoch", epoch.id, "workspace.restore", epoch.id)
    ledger.add_entry(workspace, make_entry(workspace))
    assert journal(workspace)[-1].epoch_id == epoch.id


def test_upgrading_moves_the_identity_and_journals_every_category(tmp_path):
    folder = tmp_path / "old"
    folder.mkdir()
    shutil.copy(FIXTURE_V1, folder / "ledger.db")
    conn = sqlite3.connect(folder / "ledger.db")
    local = conn.execute("SELECT id, level FROM office WHERE is_local = 1").fetchone()
    conn.close()
    with Workspace.open(folder, auto_backup=False) as ws:
        with ws.reading() as s:
            identity = s.get(LocalIdentity, 1)
            categories = list(s.exec(select(Category)))
            epoch = s.get(WorkspaceEpoch, identity.epoch_id)
        rows = journal(ws)
        assert (identity.office_id, identity.level) == local
        assert epoch.reason == "upgrade" and epoch.resumed_seq > 0
        journalled = {r.record_id: r for r in rows if r.table_name == "category"}
        assert {c.id for c in categories} <= set(journalled)
        for category in categories:  # the migration writes payloads exactly as the listener does
            assert json.loads(journalled[category.id].payload) == record_payload(category)
        conn = db.connect_raw(ws.db_path, readonly=True)
        assert "is_local" not in {c[1] for c in conn.execute("PRAGMA table_info(office)")}
        conn.close()
