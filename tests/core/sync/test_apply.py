"""Records written at the county through the import door: new, unchanged, updated, conflicts, foreign."""

import pytest
from sqlmodel import select

from desktop_app.core.models import ChangeJournal, Fund, LedgerEntry
from desktop_app.core.services import projects
from desktop_app.core.storage.journal import NotOwner
from desktop_app.core.sync.apply import ForeignRecord, apply_records
from desktop_app.core.sync.collect import all_records, changed_records, last_seq
from tests.county_helpers import county, township
from tests.helpers import table_rows


def grouped(pairs):
    out: dict[str, list[dict]] = {}
    for table, payload in pairs:
        out.setdefault(table, []).append(payload)
    return out


def records_of(ws, after=None):
    conn = ws.raw_reader()
    try:
        office_id = ws.local_office().id
        pairs = all_records(conn, office_id) if after is None else changed_records(conn, office_id, after)
        return grouped(list(pairs)), last_seq(conn)
    finally:
        conn.close()


def apply(cws, office_id, records):
    with cws.sync_import_transaction() as s:
        return apply_records(s, office_id, records)


def test_a_townships_records_arrive_once_and_then_change_nothing(tmp_path):
    tws, cws = township(tmp_path / "t"), county(tmp_path / "c")
    records, _ = records_of(tws)
    first = apply(cws, tws.local_office().id, records)
    assert first.new == sum(len(v) for v in records.values()) and not first.conflicts
    before = table_rows(cws.db_path)
    again = apply(cws, tws.local_office().id, records)
    assert (again.new, again.updated, again.unchanged) == (0, 0, first.new)
    after = table_rows(cws.db_path)
    assert {t: r for t, r in after.items() if t != "change_journal"} == \
           {t: r for t, r in before.items() if t != "change_journal"}
    with cws.reading() as s:
        entries = s.exec(select(LedgerEntry)).all()
        assert {e.office_id for e in entries} == {tws.local_office().id}
    with tws.reading() as s:
        own = s.exec(select(LedgerEntry)).all()
    assert sorted((e.id, e.version) for e in entries) == sorted((e.id, e.version) for e in own)  # kept as numbered


def test_a_later_version_updates_and_the_same_version_changed_is_a_conflict(tmp_path):
    tws, cws = township(tmp_path / "t"), county(tmp_path / "c")
    records, seq = records_of(tws)
    apply(cws, tws.local_office().id, records)
    projects.update_fund(tws, tws.fund.id, projects.FundInput(name="八台镇尚善社区基金（更名）"))
    changes, _ = records_of(tws, after=seq)
    assert apply(cws, tws.local_office().id, changes).updated == 1
    with cws.reading() as s:
        assert s.get(Fund, tws.fund.id).name == "八台镇尚善社区基金（更名）"
    forged = {"fund": [changes["fund"][0] | {"name": "改过的名字"}]}
    summary = apply(cws, tws.local_office().id, forged)
    assert [c.fields for c in summary.conflicts] == [("name",)]
    with cws.reading() as s:
        assert s.get(Fund, tws.fund.id).name == "八台镇尚善社区基金（更名）"


def test_a_record_of_another_office_is_refused_whole(tmp_path):
    tws, cws = township(tmp_path / "t"), county(tmp_path / "c")
    records, _ = records_of(tws)
    before = table_rows(cws.db_path)
    with pytest.raises(ForeignRecord, match="不属于发出这个包的单位"):
        apply(cws, "another-office", records)
    assert table_rows(cws.db_path) == before


def test_the_county_cannot_change_a_townships_record(tmp_path):
    tws, cws = township(tmp_path / "t"), county(tmp_path / "c")
    records, _ = records_of(tws)
    apply(cws, tws.local_office().id, records)
    with pytest.raises(NotOwner, match="只有登记它的单位可以修改"):
        projects.update_fund(cws, tws.fund.id, projects.FundInput(name="县里改的"))
    with cws.reading() as s:
        assert s.exec(select(ChangeJournal).where(ChangeJournal.operation == "fund.update")).all() == []
