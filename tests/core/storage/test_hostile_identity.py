"""Identity, ownership and the journal tried the way a hostile user (or a careless future service) would:
restores of old-version, foreign, owner-less and half-finished backups, upgrades of old workspaces, records
moved under another office's records, and writes that try to slip past the journal."""

import getpass
import json
import os
import re
import shutil
import sqlite3
from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import delete, insert, update
from sqlmodel import select

from desktop_app.core.errors import UserError
from desktop_app.core.models import (
    Category,
    ChangeJournal,
    CommitteeMember,
    Fund,
    LedgerEntry,
    LocalIdentity,
    Office,
    Project,
    Setting,
    WorkspaceEpoch,
)
from desktop_app.core.services import ledger, office, projects
from desktop_app.core.storage import db, identity, journal
from desktop_app.core.storage.identity import local_identity
from desktop_app.core.storage.journal import NotOwner, record_payload
from desktop_app.core.storage.workspace import Workspace
from tests.helpers import FUND_NAME, make_entry, table_rows

FIXTURE_V1 = Path(__file__).parents[2] / "fixtures" / "workspace_v1.db"
REFUSED = "由其他单位（万源市慈善会）登记，只有登记它的单位可以修改。请联系该单位修改，改好后通过数据同步传来。"
FOREIGN_BACKUP = "这份备份属于另一个单位（青花镇社工站），不是本工作区（八台镇社工站）的备份，未做任何恢复。请选择本工作区 backups 文件夹里的备份。"
UTC_TIME = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$")  # what models.utc_now writes


# ---------------------------------------------------------------- helpers

def files_of(folder: Path) -> dict[str, bytes]:
    """Every file's bytes (the empty OS lock file aside): equal means nothing was written."""
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*"))
            if p.is_file() and p.name != "workspace.lock"}


def unchanged_state(ws) -> tuple[dict, dict]:
    """An open workspace's rows and its files (the WAL and its index change with every read)."""
    files = {k: v for k, v in files_of(ws.root).items() if not k.startswith("ledger.db-")}
    return files, all_rows(ws.db_path)


def all_rows(path: Path) -> dict:
    return table_rows(path)


def journal_rows(ws) -> list[ChangeJournal]:
    with ws.reading() as s:
        return list(s.exec(select(ChangeJournal).order_by(ChangeJournal.seq)))


def identity_of(ws) -> LocalIdentity:
    with ws.reading() as s:
        return local_identity(s)


def epoch_of(ws, epoch_id: str) -> WorkspaceEpoch:
    with ws.reading() as s:
        return s.get(WorkspaceEpoch, epoch_id)


def summaries(ws) -> list[str]:
    with ws.reading() as s:
        return sorted(e.summary for e in s.exec(select(LedgerEntry)))


def scribble(folder: Path, table: str = "ledger_entry") -> None:
    """Damage one table's b-tree page, as a failing USB stick would."""
    db_file = folder / "ledger.db"
    conn = sqlite3.connect(db_file)
    page_size = conn.execute("PRAGMA page_size").fetchone()[0]
    root = conn.execute("SELECT rootpage FROM sqlite_master WHERE name=?", (table,)).fetchone()[0]
    conn.close()
    raw = bytearray(db_file.read_bytes())
    raw[(root - 1) * page_size:(root - 1) * page_size + 64] = b"\x5a" * 64
    db_file.write_bytes(bytes(raw))


def upgraded_v1(tmp_path) -> tuple[Workspace, Path]:
    """A workspace written by the first version, opened (so upgraded) by this one; with the schema-1 backup
    taken before the upgrade: an old-version backup of this very office."""
    folder = tmp_path / "old"
    folder.mkdir()
    shutil.copy(FIXTURE_V1, folder / "ledger.db")
    ws = Workspace.open(folder, auto_backup=False)
    [before_upgrade] = ws.list_backups()
    with ws.reading() as s:
        ws.fund = s.exec(select(Fund)).first()
    return ws, before_upgrade.path


def other_office_backup(tmp_path) -> Path:
    other = Workspace.open(tmp_path / "other", create=True, auto_backup=False)
    office.init_office(other, name="青花镇社工站", division_code="511781103000", association="万源市慈善会")
    taken = other.create_backup("manual")
    other.close(backup=False)
    return taken.path


def old_other_office_backup(tmp_path) -> Path:
    """A schema-1 backup (the local office flagged in the office table) of another office."""
    path = tmp_path / "ledger-20240301T080000000000Z-manual.db"
    shutil.copy(FIXTURE_V1, path)
    conn = sqlite3.connect(path)
    conn.execute("UPDATE office SET name = '青花镇社工站'")
    conn.commit()
    conn.close()
    return path


def county_office() -> Office:
    county = Office(name="万源市慈善会", level="县级慈善会", division_code="511781000000", code_year=2024,
                    association_name="万源市慈善会")
    county.office_id = county.id
    return county


@pytest.fixture
def county(workspace):
    """The county association's office, fund and project, as the sync importer would hold them."""
    county = county_office()
    fund = Fund(name="万源市慈善会统筹基金", association_name="万源市慈善会", office_id=county.id)
    project = Project(name="县级统筹项目", start_date=date(2024, 1, 1), end_date=date(2024, 12, 31),
                      budget_fen=100, office_id=county.id)
    member = CommitteeMember(fund_id=fund.id, name="王主任", role="主任", office_id=county.id)
    with workspace.sync_import_transaction() as s:
        s.add(county)
        s.add(project)
        s.add(fund)
        s.flush()
        s.add(member)
    return dict(office=county, fund=fund, project=project, member=member)


# ---------------------------------------------------------------- restoring

def test_an_old_version_backup_restores_into_a_new_epoch_chained_to_the_timeline_left_behind(tmp_path):
    ws, old_backup = upgraded_v1(tmp_path)
    try:
        upgraded = identity_of(ws)
        ledger.add_entry(ws, make_entry(ws, summary="升级后录入"))
        left_behind = journal_rows(ws)[-1].seq
        ws.restore_backup(old_backup)
        restored = identity_of(ws)
        epoch = epoch_of(ws, restored.epoch_id)
        assert restored.office_id == upgraded.office_id and restored.level == upgraded.level
        assert (epoch.reason, epoch.restored_from, epoch.abandoned_seq) == ("restore", old_backup.name, left_behind)
        assert epoch.previous_epoch_id == upgraded.epoch_id  # the timeline the county saw, not a new one
        assert "升级后录入" not in summaries(ws)
        last = journal_rows(ws)[-1]
        assert (last.table_name, last.record_id, last.epoch_id, last.operation) == (
            "workspace_epoch", epoch.id, epoch.id, "workspace.restore")
    finally:
        ws.close(backup=False)


def test_restores_in_a_row_chain_their_epochs_and_the_safety_backup_restores_too(workspace):
    """Each restore's epoch follows the one it left behind (whose record the restored data never held)."""
    first = identity_of(workspace).epoch_id
    backup = workspace.create_backup("manual")
    ledger.add_entry(workspace, make_entry(workspace, summary="第一次恢复前"))
    workspace.restore_backup(backup.path)
    second = epoch_of(workspace, identity_of(workspace).epoch_id)
    ledger.add_entry(workspace, make_entry(workspace, summary="第二次恢复前"))
    left_behind = journal_rows(workspace)[-1].seq
    safety = workspace.restore_backup(backup.path)
    third = epoch_of(workspace, identity_of(workspace).epoch_id)
    workspace.restore_backup(safety.path)  # undo the restore with the backup it made
    fourth = epoch_of(workspace, identity_of(workspace).epoch_id)
    assert second.previous_epoch_id == first
    assert (third.previous_epoch_id, third.abandoned_seq) == (second.id, left_behind)
    assert (fourth.previous_epoch_id, fourth.restored_from) == (third.id, safety.path.name)
    assert summaries(workspace) == ["第二次恢复前"]
    assert epoch_of(workspace, second.id) == second  # the safety backup held the second epoch's timeline
    assert len({first, second.id, third.id, fourth.id}) == 4


@pytest.mark.parametrize("make", [other_office_backup, old_other_office_backup], ids=["schema 8", "schema 1"])
def test_another_offices_backup_is_refused_and_nothing_changes(workspace, tmp_path, make):
    foreign = make(tmp_path)
    before = unchanged_state(workspace)
    with pytest.raises(UserError) as refused:
        workspace.restore_backup(foreign)
    assert str(refused.value) == FOREIGN_BACKUP
    assert unchanged_state(workspace) == before


def test_a_backup_without_an_office_is_refused_and_nothing_changes(workspace, tmp_path):
    """An uninitialised workspace's database, or any SQLite file, would wipe this office's books."""
    empty = Workspace.open(tmp_path / "empty", create=True, auto_backup=False)
    blank = empty.create_backup("manual").path
    empty.close(backup=False)
    stranger = tmp_path / "微信聊天记录.db"
    conn = sqlite3.connect(stranger)
    conn.execute("CREATE TABLE message (id INTEGER, text TEXT)")
    conn.commit()
    conn.close()
    ledger.add_entry(workspace, make_entry(workspace, summary="本镇的账"))
    before = unchanged_state(workspace)
    with pytest.raises(UserError) as refused:
        workspace.restore_backup(blank)
    assert str(refused.value) == (f"备份“{blank.name}”里没有登记单位（备份时工作区还没有初始化），不是本工作区的备份，"
                                  "未做任何恢复。请选择本工作区 backups 文件夹里的备份。")
    with pytest.raises(UserError) as refused:
        workspace.restore_backup(stranger)
    assert str(refused.value) == "备份“微信聊天记录.db”已损坏或不是台账备份，未做任何恢复。请选择另一份备份。"
    assert unchanged_state(workspace) == before
    assert workspace.has_office() and summaries(workspace) == ["本镇的账"]


def test_restoring_the_oldest_kept_backup_keeps_that_backup(workspace):
    """The safety backup a restore takes first must not rotate away the backup being restored."""
    taken = [workspace.create_backup("manual") for _ in range(10)]
    oldest = taken[0].path
    assert [b.path for b in workspace.list_backups()][-1] == oldest
    ledger.add_entry(workspace, make_entry(workspace, summary="备份之后"))
    workspace.restore_backup(oldest.name)
    assert summaries(workspace) == []
    assert oldest.exists()


def test_a_backup_with_another_page_size_restores(workspace, tmp_path):
    """Written by another SQLite (or VACUUMed by a helpful colleague): a page copy into the live database in
    WAL mode refuses a different page size with an English error."""
    backup = workspace.create_backup("manual").path
    odd = tmp_path / "ledger-20240101T000000000000Z-manual.db"
    shutil.copy(backup, odd)
    conn = sqlite3.connect(odd)
    conn.execute("PRAGMA page_size=1024")
    conn.execute("VACUUM")
    conn.close()
    ledger.add_entry(workspace, make_entry(workspace, summary="备份之后"))
    workspace.restore_backup(odd)
    assert summaries(workspace) == [] and workspace.has_office()
    assert epoch_of(workspace, identity_of(workspace).epoch_id).restored_from == odd.name


class Killed(BaseException):
    """The process dying at this point (a power cut, the task manager)."""


def kill_in_start_epoch(monkeypatch):
    def killed(*_args, **_kwargs):
        raise Killed()
    monkeypatch.setattr(Workspace, "_start_epoch", killed)


def test_a_restore_killed_before_its_epoch_leaves_the_workspace_as_it_was(workspace, monkeypatch):
    backup = workspace.create_backup("manual")
    ledger.add_entry(workspace, make_entry(workspace, summary="恢复前录入"))
    before_rows, before_identity = all_rows(workspace.db_path), identity_of(workspace)
    with monkeypatch.context() as patched:
        kill_in_start_epoch(patched)
        with pytest.raises(Killed):
            workspace.restore_backup(backup.path)
    assert all_rows(workspace.db_path) == before_rows  # no rewind without its epoch
    assert identity_of(workspace) == before_identity
    folder = workspace.root
    workspace.close(backup=False)
    assert not list(folder.glob("*.restoring*"))  # nothing half-built left behind
    with Workspace.open(folder, auto_backup=False) as again:  # openable, and the restore can be retried
        assert summaries(again) == ["恢复前录入"]
        again.restore_backup(backup.path)
        assert summaries(again) == [] and epoch_of(again, identity_of(again).epoch_id).reason == "restore"


def test_an_old_backup_whose_restore_is_killed_leaves_the_upgraded_workspace_as_it_was(tmp_path, monkeypatch):
    ws, old_backup = upgraded_v1(tmp_path)
    try:
        before = all_rows(ws.db_path)
        with monkeypatch.context() as patched:
            kill_in_start_epoch(patched)
            with pytest.raises(Killed):
                ws.restore_backup(old_backup)
        assert all_rows(ws.db_path) == before
        reader = ws.raw_reader()
        assert db.schema_version(reader) == db.LATEST_VERSION
        reader.close()
    finally:
        ws.close(backup=False)


def test_a_damaged_workspace_restore_killed_part_way_leaves_the_damaged_file_in_place(workspace, monkeypatch):
    good = workspace.create_backup("manual")
    folder = workspace.root
    workspace.close(backup=False)
    scribble(folder)
    before = files_of(folder)
    with monkeypatch.context() as patched:
        kill_in_start_epoch(patched)
        with pytest.raises(Killed):
            Workspace.restore_damaged(folder, good.path)
    assert files_of(folder) == before  # still there to retry with, nothing moved or half-copied
    aside = Workspace.restore_damaged(folder, good.path)
    assert (aside / "ledger.db").read_bytes() == before["ledger.db"]
    with Workspace.open(folder, auto_backup=False) as ws:
        assert ws.has_office() and epoch_of(ws, identity_of(ws).epoch_id).reason == "restore"


def test_what_a_killed_restore_left_behind_is_cleared_when_the_workspace_opens(workspace):
    folder = workspace.root
    workspace.close(backup=False)
    for name in ("ledger.db.restoring", "ledger.db.restoring-journal"):
        (folder / name).write_bytes(b"SQLite format 3\x00 half a restore")
    with Workspace.open(folder, auto_backup=False) as again:
        assert again.has_office()
        assert not list(folder.glob("*.restoring*"))


@pytest.mark.parametrize("make", [other_office_backup, old_other_office_backup], ids=["schema 8", "schema 1"])
def test_a_damaged_workspace_refuses_another_offices_backup(workspace, tmp_path, make):
    workspace.create_backup("manual")
    folder = workspace.root
    workspace.close(backup=False)
    scribble(folder)
    foreign = make(tmp_path)
    before = files_of(folder)
    with pytest.raises(UserError) as refused:
        Workspace.restore_damaged(folder, foreign)
    assert str(refused.value) == FOREIGN_BACKUP
    assert files_of(folder) == before


def test_a_damaged_workspace_refuses_another_offices_backup_even_when_its_office_is_unreadable(workspace, tmp_path):
    """The office table itself damaged: this office is the one its own good backups name."""
    workspace.create_backup("manual")
    folder = workspace.root
    workspace.close(backup=False)
    scribble(folder, table="office")
    foreign = other_office_backup(tmp_path)
    before = files_of(folder)
    with pytest.raises(UserError) as refused:
        Workspace.restore_damaged(folder, foreign)
    assert str(refused.value) == FOREIGN_BACKUP
    assert files_of(folder) == before


def test_a_damaged_workspace_restored_from_an_old_version_backup(tmp_path):
    ws, old_backup = upgraded_v1(tmp_path)
    damaged = identity_of(ws)
    folder = ws.root
    ws.close(backup=False)
    scribble(folder)
    Workspace.restore_damaged(folder, old_backup)
    with Workspace.open(folder, auto_backup=False) as again:
        restored = identity_of(again)
        epoch = epoch_of(again, restored.epoch_id)
        assert restored.office_id == damaged.office_id
        assert (epoch.reason, epoch.restored_from, epoch.previous_epoch_id) == (
            "restore", old_backup.name, damaged.epoch_id)
        assert again.local_office().name == "八台镇社工站"


# ---------------------------------------------------------------- upgrading

def test_upgrading_journals_every_record_once_as_the_table_holds_it(tmp_path):
    """After the upgrade every record's last journal row is the record as it is: the offices' rows no
    longer carry the is_local flag that left the table, and every office and category is journalled once."""
    ws, _ = upgraded_v1(tmp_path)
    try:
        rows = journal_rows(ws)
        last, count = {}, {}
        for row in rows:
            last[(row.table_name, row.record_id)] = row
            count[(row.table_name, row.record_id)] = count.get((row.table_name, row.record_id), 0) + 1
        with ws.reading() as s:
            for table, model in journal._MODELS_BY_TABLE.items():
                for record in s.exec(select(model)):
                    row = last[(table, record.id)]
                    assert json.loads(row.payload) == json.loads(json.dumps(record_payload(record), default=str)), table
                    assert row.version == record.version
                    if table in ("office", "category", "workspace_epoch"):
                        assert count[(table, record.id)] == 1, table
            epoch = s.get(WorkspaceEpoch, local_identity(s).epoch_id)
            categories = list(s.exec(select(Category)))
        for stamp in (epoch.created_at, epoch.updated_at, epoch.started_at):
            assert UTC_TIME.match(stamp), stamp
        for category in categories:  # including those migration 0006 wrote
            assert UTC_TIME.match(category.created_at) and UTC_TIME.match(category.updated_at), category.name
    finally:
        ws.close(backup=False)


# ---------------------------------------------------------------- ownership

def test_every_record_table_has_its_chinese_noun():
    assert set(journal._MODELS_BY_TABLE) <= set(journal.RECORD_NOUNS)


def test_a_refusal_names_a_committee_member_as_one(workspace, county):
    before = all_rows(workspace.db_path)
    with pytest.raises(NotOwner) as refused:
        with workspace.transaction("test.member") as s:
            s.get(CommitteeMember, county["member"].id).role = "委员"
    assert str(refused.value) == f"基金管委会成员“王主任”{REFUSED}"
    assert all_rows(workspace.db_path) == before


def test_a_record_cannot_be_moved_under_another_offices_record(workspace, county):
    """Moving this office's draft into the county's fund changes the county's fund as much as adding one."""
    draft = ledger.add_entry(workspace, make_entry(workspace, summary="本镇草稿"))
    before = all_rows(workspace.db_path)
    with pytest.raises(NotOwner) as refused:
        ledger.update_draft(workspace, draft.id, replace(make_entry(workspace, summary="本镇草稿"),
                                                        fund_id=county["fund"].id))
    assert str(refused.value) == f"社区基金“万源市慈善会统筹基金”{REFUSED}"
    with pytest.raises(NotOwner) as refused:
        projects.update_fund(workspace, workspace.fund.id, projects.FundInput(name=FUND_NAME,
                                                                              project_id=county["project"].id))
    assert str(refused.value) == f"项目“县级统筹项目”{REFUSED}"
    assert all_rows(workspace.db_path) == before


def test_a_record_cannot_be_left_without_an_owner(workspace, county):
    """An empty owner would let any office change the record, and hide it from this office's lists."""
    mine = workspace.local_office().id
    with workspace.transaction("test.blank_owner") as s:
        s.get(Fund, workspace.fund.id).office_id = ""
    with workspace.reading() as s:
        assert s.get(Fund, workspace.fund.id).office_id == mine
    last = journal_rows(workspace)[-1]
    assert (last.record_id, last.office_id, json.loads(last.payload)["office_id"]) == (workspace.fund.id, mine, mine)
    before = all_rows(workspace.db_path)
    with pytest.raises(NotOwner):
        with workspace.transaction("test.blank_county") as s:
            s.get(Fund, county["fund"].id).office_id = ""
    assert all_rows(workspace.db_path) == before


def test_the_identity_changes_only_through_its_own_door(workspace, county):
    """A transaction that made this workspace the county's would be a second door past ownership."""
    before = all_rows(workspace.db_path)
    for change in (lambda i: setattr(i, "office_id", county["office"].id), lambda i: setattr(i, "epoch_id", "")):
        with pytest.raises(RuntimeError, match="local_identity"):
            with workspace.transaction("test.become_the_county") as s:
                change(s.get(LocalIdentity, 1))
    with pytest.raises(RuntimeError, match="local_identity"):
        with workspace.sync_import_transaction() as s:
            s.execute(update(LocalIdentity).values(office_id=county["office"].id))
    assert all_rows(workspace.db_path) == before
    office.update_office(workspace, name="八台镇社工站", division_code="511781107000", association="万源市慈善会",
                         code_year=2024)  # its level follows the office's division code, as before
    assert identity_of(workspace).office_id == workspace.local_office().id


def test_bulk_import_into_another_offices_fund_is_refused_and_nothing_changes(workspace, county):
    county_fund = replace(make_entry(workspace), fund_id=county["fund"].id)
    backups_before = workspace.list_backups()
    before = all_rows(workspace.db_path)
    with pytest.raises(NotOwner) as refused:
        ledger.import_drafts(workspace, [make_entry(workspace, amount="1"), county_fund])
    assert str(refused.value) == f"社区基金“万源市慈善会统筹基金”{REFUSED}"
    assert all_rows(workspace.db_path) == before
    assert len(workspace.list_backups()) == len(backups_before) + 1  # only the backup taken before every import


def test_a_settings_row_of_another_office_with_the_same_key(workspace, county):
    from desktop_app.core.queries.settings import local_setting, office_setting
    from desktop_app.core.services import settings

    with workspace.sync_import_transaction() as s:
        s.add(Setting(key="notice.days", value="30", office_id=county["office"].id))
    with workspace.reading() as s:
        default = local_setting(s, "notice.days")
    assert default != 30
    settings.set_setting(workspace, "notice.days", 12)
    with workspace.reading() as s:
        assert (local_setting(s, "notice.days"), office_setting(s, county["office"].id, "notice.days")) == (12, 30)


# ---------------------------------------------------------------- the journal cannot be slipped past

def fund_journal(ws) -> list[ChangeJournal]:
    return [r for r in journal_rows(ws) if r.record_id == ws.fund.id]


def test_a_change_that_sets_the_version_itself_is_journalled_and_moves_it_once(workspace):
    with workspace.transaction("test.version") as s:
        fund = s.get(Fund, workspace.fund.id)
        fund.purpose, fund.version = "改过版本号", 7
    rows = fund_journal(workspace)
    with workspace.reading() as s:
        fund = s.get(Fund, workspace.fund.id)
    assert (fund.purpose, fund.version) == ("改过版本号", 2)
    assert [(r.version, r.operation) for r in rows] == [(1, "fund.add"), (2, "test.version")]
    assert json.loads(rows[-1].payload)["purpose"] == "改过版本号"


def test_the_import_door_journals_an_update_that_carries_its_own_version(workspace):
    with workspace.sync_import_transaction() as s:
        fund = s.get(Fund, workspace.fund.id)
        fund.purpose, fund.version, fund.updated_at = "同步来的", 5, "2024-06-01T00:00:00.000000Z"
    last = fund_journal(workspace)[-1]
    assert (last.version, last.operation, last.changed_at) == (5, "sync.import", "2024-06-01T00:00:00.000000Z")
    assert json.loads(last.payload)["purpose"] == "同步来的"


def test_a_rolled_back_savepoint_does_not_lose_the_change_made_after_it(workspace):
    with workspace.transaction("test.savepoint") as s:
        fund = s.get(Fund, workspace.fund.id)
        savepoint = s.begin_nested()
        fund.purpose = "撤销的"
        s.flush()
        savepoint.rollback()
        fund.purpose = "留下的"
    rows = fund_journal(workspace)
    with workspace.reading() as s:
        assert s.get(Fund, workspace.fund.id).version == 2
    assert [(r.version, json.loads(r.payload)["purpose"]) for r in rows] == [(1, ""), (2, "留下的")]


def test_a_one_row_bulk_insert_is_stamped_and_journalled(workspace):
    row = dict(id="单行导入", key="notice.days", value="9")
    with workspace.transaction("test.one_row") as s:
        s.execute(insert(Setting), row)
    with workspace.reading() as s:
        stored = s.get(Setting, "单行导入")
    assert stored.office_id == workspace.local_office().id
    assert [r.operation for r in journal_rows(workspace) if r.record_id == "单行导入"] == ["test.one_row"]


def test_statements_that_would_change_records_past_the_journal_are_refused(workspace, county):
    before = all_rows(workspace.db_path)
    statements = [
        insert(Setting).values(id="x", office_id="", created_at="", updated_at="", version=1, deleted=False,
                               key="notice.days", value="1"),
        update(Fund).where(Fund.id == county["fund"].id).values(name="改县里的基金"),
        update(Fund).values(purpose="全部改掉"),
        delete(LedgerEntry),
    ]
    for statement in statements:
        with pytest.raises(RuntimeError, match="journal"):
            with workspace.transaction("test.past_the_journal") as s:
                s.execute(statement)
    assert all_rows(workspace.db_path) == before


# ---------------------------------------------------------------- who did it

def test_the_operator_is_named_without_login_variables_or_a_password_entry(monkeypatch):
    for name in ("LOGNAME", "USER", "LNAME", "USERNAME"):
        monkeypatch.delenv(name, raising=False)
    pwd = pytest.importorskip("pwd")

    def no_entry(_uid):
        raise KeyError("uid not found")

    monkeypatch.setattr(pwd, "getpwuid", no_entry)
    monkeypatch.setattr(os, "getlogin", lambda: (_ for _ in ()).throw(OSError(6, "No such device")))
    assert identity.operator_name()
    monkeypatch.setattr(os, "getlogin", lambda: "张会计")
    assert identity.operator_name() == "张会计"


def test_the_operator_on_a_system_without_a_password_database(monkeypatch):
    """Windows: getpass finds no pwd module when the environment names nobody."""
    def no_pwd():
        raise ImportError("No module named 'pwd'")

    monkeypatch.setattr(getpass, "getuser", no_pwd)
    monkeypatch.delenv("USERNAME", raising=False)
    monkeypatch.setattr(os, "getlogin", lambda: "李出纳")
    assert identity.operator_name() == "李出纳"
