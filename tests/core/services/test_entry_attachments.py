"""A draft's attachments are listed and can be removed (one journalled transaction); a posted entry's cannot."""

from datetime import date

import pytest
from sqlmodel import select

from desktop_app.core.errors import UserError
from desktop_app.core.models import ChangeJournal
from desktop_app.core.queries.entry_detail import entry_attachments, entry_detail
from desktop_app.core.services import ledger
from tests.helpers import make_entry, table_rows


def test_a_drafts_attachment_is_listed_and_removed_in_one_journalled_transaction(workspace, voucher_file, tmp_path):
    second = tmp_path / "收据.png"
    second.write_bytes(b"\x89PNG\r\n\x1a\n another receipt")
    draft = ledger.add_draft(workspace, make_entry(workspace, "expense", attachments=[voucher_file, second]))
    with workspace.reading() as s:
        files = entry_attachments(s, draft.id)
    assert [(f.name, f.size) for f in files] == [("发票.jpg", voucher_file.stat().st_size),
                                                ("收据.png", second.stat().st_size)]
    assert all(f.added_at for f in files)

    assert ledger.remove_draft_attachment(workspace, draft.id, files[0].link_id) == "发票.jpg"
    with workspace.reading() as s:
        assert [f.name for f in entry_attachments(s, draft.id)] == ["收据.png"]
        journal = s.exec(select(ChangeJournal).where(ChangeJournal.operation == "entry.remove_attachment")).all()
    assert [(j.table_name, j.record_id, j.op) for j in journal] == [("entry_attachment", files[0].link_id, "delete")]
    assert workspace.attachment_path(files[0].sha256).is_file()  # the stored file stays

    with pytest.raises(UserError, match="已经不在这条草稿上"):
        ledger.remove_draft_attachment(workspace, draft.id, files[0].link_id)


def test_a_posted_entrys_attachment_cannot_be_removed(workspace, voucher_file):
    ledger.add_entry(workspace, make_entry(workspace, "allocation", amount="500"), post=True)
    entry = ledger.add_entry(workspace, make_entry(workspace, "expense", amount="100", day=date(2024, 3, 2),
                                                   attachments=[voucher_file]), post=True)
    with workspace.reading() as s:
        [attached] = entry_attachments(s, entry.id)
    before = table_rows(workspace.db_path)
    with pytest.raises(UserError, match="已记账.*不能移除"):
        ledger.remove_draft_attachment(workspace, entry.id, attached.link_id)
    assert table_rows(workspace.db_path) == before


def test_entry_detail_links_a_reversal_both_ways(workspace):
    original = ledger.add_entry(workspace, make_entry(workspace, summary="拨入"), post=True)
    reversal = ledger.reverse_entry(workspace, original.id, "金额录错", on_date=date(2024, 3, 5))
    with workspace.reading() as s:
        first, second = entry_detail(s, original.id), entry_detail(s, reversal.id)
    assert (first.voucher, first.reversed_by.voucher, first.reversed_by.id) == ("2024-0001", "2024-0002", reversal.id)
    assert (second.reverses.id, second.reverses.voucher, second.reversed_by) == (original.id, "2024-0001", None)
    assert first.fund_name and first.attachments == [] and first.activities == []
