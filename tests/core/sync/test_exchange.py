"""Two townships and their county exchange packages and receipts through the services."""

import pytest
from sqlmodel import select

from desktop_app.core.errors import UserError
from desktop_app.core.models import Fund, LedgerEntry, ReviewNote, SyncReceived
from desktop_app.core.queries import projects as project_queries
from desktop_app.core.services import county_sync, ledger, sync
from desktop_app.core.sync import keys
from tests.county_helpers import county, township
from tests.helpers import make_entry, table_rows


@pytest.fixture
def three(tmp_path):
    a = township(tmp_path / "a", "八台镇社工站", "511781107000", "八台镇尚善社区基金", ("5000", "1200.50"))
    b = township(tmp_path / "b", "青花镇社工站", "511781108000", "立信社区爱青花基金", ("3000", "99.99"))
    c = county(tmp_path / "c")
    out = tmp_path / "out"
    out.mkdir()
    yield a, b, c, out
    for ws in (a, b, c):
        ws.close(backup=False)


def enrol(c, path):
    with pytest.raises(UserError, match="公钥指纹") as shown:
        county_sync.enrol(c, path, None)
    fingerprint = next(line for line in str(shown.value).splitlines() if line[:4].isdigit())
    return county_sync.enrol(c, path, fingerprint)


def balances(ws, office_id=None):
    with ws.reading() as s:
        funds = s.exec(select(Fund)).all()
        return {f.id: project_queries.fund_balance(s, f.id) for f in funds if office_id in (None, f.office_id)}


def test_packages_and_receipts_round_trip(three):
    a, b, c, out = three
    pa, pb = sync.export_package(a, out), sync.export_package(b, out)
    assert (pa.number, pb.number) == (1, 1) and pa.files == 1  # the expense's voucher scan
    assert enrol(c, pa.path).status == "enrolled" and enrol(c, pb.path).status == "enrolled"
    results = county_sync.import_packages(c, [out])
    assert [(r.status, r.number) for r in results] == [("applied", 1), ("applied", 1)], [r.reason for r in results]
    for ws in (a, b):
        office_id = ws.local_office().id
        assert balances(c, office_id) == balances(ws)
    # the voucher scan arrived, content-addressed
    with c.reading() as s:
        entry = s.exec(select(LedgerEntry).where(LedgerEntry.entry_type == "expense")).first()
    assert entry is not None
    again = county_sync.import_packages(c, [out])
    assert {r.status for r in again} == {"unchanged"}
    # the next package carries only what changed
    ledger.post_entry(a, ledger.add_draft(a, make_entry(a, amount="10")).id)
    second = sync.export_package(a, out)
    assert second.number == 2 and 1 <= second.records <= 4
    county_sync.add_review_note(c, "八台镇社工站", "凭证不清晰，请补扫", table="ledger_entry", record_id=entry.id)
    [applied] = [r for r in county_sync.import_packages(c, [second.path])]
    assert (applied.status, applied.new) == ("applied", 1)
    assert balances(c, a.local_office().id) == balances(a)
    receipt = county_sync.write_receipt(c, "八台镇社工站", out)
    got = sync.import_receipt(a, receipt)
    assert got.packages == [(1, "applied"), (2, "applied")] and got.new_notes == 1 and got.heads == 1
    with a.reading() as s:
        assert [n.text for n in s.exec(select(ReviewNote))] == ["凭证不清晰，请补扫"]
    with pytest.raises(UserError, match="不是本单位的"):
        sync.import_receipt(b, receipt)


def test_a_gap_holds_the_package_until_the_missing_one_comes(three):
    a, _b, c, out = three
    first = sync.export_package(a, out)
    ledger.post_entry(a, ledger.add_draft(a, make_entry(a, amount="10")).id)
    second = sync.export_package(a, out)
    enrol(c, first.path)
    [held] = county_sync.import_packages(c, [second.path])
    assert held.status == "held" and "缺第 1 号包" in held.reason
    results = county_sync.import_packages(c, [first.path])
    assert [(r.number, r.status) for r in results] == [(1, "applied"), (2, "applied")]
    assert balances(c, a.local_office().id) == balances(a)
    with c.reading() as s:
        assert sorted(r.status for r in s.exec(select(SyncReceived))) == ["applied", "applied"]


def test_a_dry_run_changes_nothing(three):
    a, _b, c, out = three
    pkg = sync.export_package(a, out)
    enrol(c, pkg.path)
    before = table_rows(c.db_path)
    [result] = county_sync.import_packages(c, [pkg.path], dry_run=True)
    assert result.status == "applied" and result.new > 5
    assert table_rows(c.db_path) == before
    assert not (c.root / "sync" / "received").exists() or not any((c.root / "sync" / "received").rglob("*.zip"))


def test_fingerprints_read_alike_typed_with_spaces_dashes_or_full_width(three):
    a, *_ = three
    info = sync.office_key(a)
    assert keys.same_fingerprint(info.fingerprint.replace(" ", "-"), a_key(a))
    full_width = info.fingerprint.translate(str.maketrans("0123456789", "０１２３４５６７８９"))
    assert keys.same_fingerprint(full_width, a_key(a))
    assert not keys.same_fingerprint(info.fingerprint[:-1] + "x", a_key(a))


def a_key(ws):
    with ws.reading() as s:
        return keys.current_key(s, ws.local_office().id).public_key


def test_a_township_that_restored_an_old_backup_is_recognised_and_the_rewind_reported(three):
    a, _b, c, out = three
    first = sync.export_package(a, out)
    enrol(c, first.path)
    county_sync.import_packages(c, [first.path])
    backup = a.create_backup("manual")
    ledger.post_entry(a, ledger.add_draft(a, make_entry(a, amount="10", summary="恢复前记的")).id)
    second = sync.export_package(a, out)
    assert [r.status for r in county_sync.import_packages(c, [second.path])] == ["applied"]
    a.restore_backup(backup.path)
    ledger.post_entry(a, ledger.add_draft(a, make_entry(a, amount="20", summary="恢复后重记的")).id)
    again = sync.export_package(a, out)
    assert again.number == 2  # the outbox went back with the data
    before = balances(c, a.local_office().id)
    [result] = county_sync.import_packages(c, [again.path])
    assert result.status == "held", result.reason
    assert "从备份" in result.rewind and "第 2 号" in result.rewind and "没有导入" in result.reason
    assert balances(c, a.local_office().id) == before  # two histories are never applied under the same numbers
    with c.reading() as s:
        summaries = [e.summary for e in s.exec(select(LedgerEntry).where(LedgerEntry.office_id == a.local_office().id))]
    assert "恢复前记的" in summaries and "恢复后重记的" not in summaries
    # a later package of the restored history waits with it
    ledger.post_entry(a, ledger.add_draft(a, make_entry(a, amount="30")).id)
    [later] = county_sync.import_packages(c, [sync.export_package(a, out).path])
    assert later.status == "held" and "一并暂存" in later.reason


def test_the_county_accepts_a_restored_townships_full_package_as_its_new_baseline(three):
    a, _b, c, out = three
    first = sync.export_package(a, out)
    enrol(c, first.path)
    county_sync.import_packages(c, [first.path])
    backup = a.create_backup("manual")
    ledger.post_entry(a, ledger.add_draft(a, make_entry(a, amount="10", summary="恢复前记的")).id)
    county_sync.import_packages(c, [sync.export_package(a, out).path])
    a.restore_backup(backup.path)
    ledger.post_entry(a, ledger.add_draft(a, make_entry(a, amount="20", summary="恢复后重记的")).id)
    held = sync.export_package(a, out)
    assert county_sync.import_packages(c, [held.path])[0].status == "held"
    # accepting needs a full package …
    [refused] = county_sync.import_packages(c, [held.path], accept_rewind=True)
    assert refused.status == "unchanged" or "全量包" in refused.reason
    full = sync.export_package(a, out, full=True)
    before = table_rows(c.db_path)
    [dry] = county_sync.import_packages(c, [full.path], accept_rewind=True, dry_run=True)
    assert dry.status == "applied" and table_rows(c.db_path) == before
    [result] = county_sync.import_packages(c, [full.path], accept_rewind=True)
    assert result.status == "applied", result.reason
    assert "搁置了乡镇已没有的" in result.rewind
    assert balances(c, a.local_office().id) == balances(a)  # the county now holds the restored books
    with c.reading() as s:
        live = [e.summary for e in s.exec(select(LedgerEntry).where(
            LedgerEntry.office_id == a.local_office().id, LedgerEntry.deleted == False))]  # noqa: E712
    assert "恢复后重记的" in live and "恢复前记的" not in live
    assert c.root.joinpath("ledger.db").exists()
    from desktop_app.core.services.verify import verify_workspace
    assert verify_workspace(c).ok
    # and the township goes on as usual
    ledger.post_entry(a, ledger.add_draft(a, make_entry(a, amount="30")).id)
    [later] = county_sync.import_packages(c, [sync.export_package(a, out).path])
    assert later.status == "applied", later.reason
    assert balances(c, a.local_office().id) == balances(a)


def test_the_signer_of_a_file_is_read_before_enrolling_and_nothing_changes(three):
    a, _b, c, out = three
    pkg = sync.export_package(a, out)
    key_file = sync.export_key_file(a, out)
    before = table_rows(c.db_path)
    signer = county_sync.read_signer(pkg.path)
    assert (signer.office, signer.kind, signer.number) == ("八台镇社工站", "同步包", 1)
    assert signer.fingerprint == sync.office_key(a).fingerprint and signer.association == "万源市慈善会"
    assert county_sync.read_signer(key_file).kind == "单位公钥文件"
    assert table_rows(c.db_path) == before
    with pytest.raises(UserError, match="不完整或已损坏"):
        broken = out / "broken.zip"
        broken.write_bytes(pkg.path.read_bytes()[:300])
        county_sync.read_signer(broken)


def test_the_county_lists_what_it_received_from_an_office_and_the_notes_it_wrote(three):
    from desktop_app.core.queries.sync import received_packages, written_notes

    a, _b, c, out = three
    first = sync.export_package(a, out)
    ledger.post_entry(a, ledger.add_draft(a, make_entry(a, amount="10")).id)
    sync.export_package(a, out)
    ledger.post_entry(a, ledger.add_draft(a, make_entry(a, amount="11")).id)
    third = sync.export_package(a, out)
    enrol(c, first.path)
    county_sync.import_packages(c, [first.path, third.path])
    county_sync.add_review_note(c, "八台镇社工站", "凭证不清晰，请补扫")
    with c.reading() as s:
        got = received_packages(s, a.local_office().id)
        notes = written_notes(s, a.local_office().id)
    assert [(p.number, p.status, p.waiting_for) for p in got] == [(3, "held", 2), (1, "applied", 0)]
    assert got[1].new > 5 and got[1].conflicts == []
    assert [n.text for n in notes] == ["凭证不清晰，请补扫"]
