"""The ledger rules: drafts, posting, vouchers, reversals, closed months, restricted money, batches."""

from datetime import date
from decimal import Decimal

import pytest
from sqlmodel import select

from desktop_app.core.errors import NeedsOverride, UserError
from desktop_app.core.models import ChangeJournal, LedgerEntry
from desktop_app.core.queries import projects as project_queries
from desktop_app.core.services import ledger, settings
from tests.helpers import make_entry


def snapshot(ws):
    with ws.reading() as s:
        entries = [(e.id, e.status, e.amount_fen, e.voucher_seq, e.deleted, e.version)
                   for e in s.exec(select(LedgerEntry).order_by(LedgerEntry.created_at))]
        journal = len(s.exec(select(ChangeJournal.seq)).all())
    return entries, journal


def test_posting_assigns_gapless_vouchers_per_fund_and_year(workspace):
    ids = [ledger.add_draft(workspace, make_entry(workspace, day=date(2024, 3, d))).id for d in (1, 2, 3)]
    nxt = ledger.add_draft(workspace, make_entry(workspace, day=date(2025, 1, 2))).id
    for entry_id in (ids[2], ids[0], nxt, ids[1]):
        ledger.post_entry(workspace, entry_id)
    with workspace.reading() as s:
        vouchers = sorted((e.voucher_year, e.voucher_seq) for e in s.exec(select(LedgerEntry)))
    assert vouchers == [(2024, 1), (2024, 2), (2024, 3), (2025, 1)]


def test_drafts_are_editable_posted_entries_are_not(workspace):
    draft = ledger.add_draft(workspace, make_entry(workspace, amount="100"))
    ledger.update_draft(workspace, draft.id, make_entry(workspace, amount="120"))
    ledger.post_entry(workspace, draft.id)
    before = snapshot(workspace)
    with pytest.raises(UserError, match="已记账，不能修改或删除"):
        ledger.update_draft(workspace, draft.id, make_entry(workspace, amount="999"))
    with pytest.raises(UserError, match="已记账，不能修改或删除"):
        ledger.delete_draft(workspace, draft.id)
    assert snapshot(workspace) == before


def test_delete_draft_leaves_a_tombstone_and_can_be_restored(workspace):
    draft = ledger.add_draft(workspace, make_entry(workspace))
    ledger.delete_draft(workspace, draft.id)
    with workspace.reading() as s:
        row = s.get(LedgerEntry, draft.id)
        assert row.deleted and row.version == 2
        ops = [j.op for j in s.exec(select(ChangeJournal).where(ChangeJournal.record_id == draft.id))]
    assert ops == ["insert", "delete"]
    ledger.restore_draft(workspace, draft.id)
    with workspace.reading() as s:
        assert not s.get(LedgerEntry, draft.id).deleted


def test_expense_needs_an_attachment_unless_relaxed(workspace, voucher_file):
    ledger.add_entry(workspace, make_entry(workspace, amount="1000"), post=True)
    draft = ledger.add_draft(workspace, make_entry(workspace, "expense", "100"))
    before = snapshot(workspace)
    with pytest.raises(UserError, match="需要附上凭证"):
        ledger.post_entry(workspace, draft.id)
    assert snapshot(workspace) == before
    settings.set_setting(workspace, "require_expense_attachment", False)
    assert ledger.post_entry(workspace, draft.id).voucher_seq == 2
    with_file = ledger.add_entry(workspace, make_entry(workspace, "expense", "50", attachments=[voucher_file]), post=True)
    assert with_file.status == "posted"


def test_missing_or_unreadable_attachment_changes_nothing(workspace, tmp_path):
    before = snapshot(workspace)
    with pytest.raises(UserError, match="找不到附件"):
        ledger.add_draft(workspace, make_entry(workspace, "expense", attachments=[tmp_path / "nope.jpg"]))
    folder = tmp_path / "a-folder.jpg"
    folder.mkdir()
    with pytest.raises(UserError, match="是文件夹，不是文件"):
        ledger.add_draft(workspace, make_entry(workspace, "expense", attachments=[folder]))
    assert snapshot(workspace) == before


def test_same_attachment_content_is_stored_once(workspace, voucher_file, tmp_path):
    copy = tmp_path / "copy.jpg"
    copy.write_bytes(voucher_file.read_bytes())
    ledger.add_draft(workspace, make_entry(workspace, "expense", attachments=[voucher_file]))
    ledger.add_draft(workspace, make_entry(workspace, "expense", attachments=[copy]))
    stored = [p for p in workspace.attachments_dir.rglob("*") if p.is_file()]
    assert len(stored) == 1


def test_reversal_cancels_and_cannot_be_repeated(workspace, voucher_file):
    ledger.add_entry(workspace, make_entry(workspace, amount="2000"), post=True)
    wrong = ledger.add_entry(workspace, make_entry(workspace, "expense", "1580", attachments=[voucher_file]), post=True)
    reversal = ledger.reverse_entry(workspace, wrong.id, "金额录错", on_date=date(2024, 3, 5))
    assert reversal.amount_fen == -158000 and reversal.status == "posted" and reversal.voucher_seq == 3
    with workspace.reading() as s:
        assert project_queries.fund_balance(s, workspace.fund.id).balance_fen == 200000
    before = snapshot(workspace)
    with pytest.raises(UserError, match="已经被凭证 2024-0003 冲销过了"):
        ledger.reverse_entry(workspace, wrong.id, "再冲一次")
    with pytest.raises(UserError, match="不能再冲销"):
        ledger.reverse_entry(workspace, reversal.id, "冲销冲销")
    with pytest.raises(UserError, match="冲销原因"):
        ledger.reverse_entry(workspace, wrong.id, "  ")
    assert snapshot(workspace) == before


def test_closed_month_refuses_posting_but_allows_reversal_later(workspace):
    entry = ledger.add_entry(workspace, make_entry(workspace, day=date(2024, 3, 10)), post=True)
    late = ledger.add_draft(workspace, make_entry(workspace, day=date(2024, 3, 20)))
    with pytest.raises(UserError, match="还有 1 条草稿"):
        ledger.close_month(workspace, workspace.fund.id, "2024-03")
    ledger.update_draft(workspace, late.id, make_entry(workspace, day=date(2024, 4, 1)))
    ledger.close_month(workspace, workspace.fund.id, "2024-03")
    ledger.update_draft(workspace, late.id, make_entry(workspace, day=date(2024, 3, 31)))
    before = snapshot(workspace)
    with pytest.raises(UserError, match="已结账"):
        ledger.post_entry(workspace, late.id)
    with pytest.raises(UserError, match="已结账"):
        ledger.reverse_entry(workspace, entry.id, "错", on_date=date(2024, 3, 30))
    assert snapshot(workspace) == before
    assert ledger.reverse_entry(workspace, entry.id, "错", on_date=date(2024, 4, 2)).status == "posted"


def test_restricted_money_is_spent_only_on_its_purpose(workspace, voucher_file):
    ledger.add_entry(workspace, make_entry(workspace, "donation", "500", category="企业捐赠",
                                           restriction="慈善阵地建设"), post=True)
    ledger.add_entry(workspace, make_entry(workspace, "allocation", "100"), post=True)
    before = snapshot(workspace)
    with pytest.raises(NeedsOverride, match="限定性资金.*慈善阵地建设"):
        ledger.add_entry(workspace, make_entry(workspace, "expense", "300", attachments=[voucher_file]), post=True)
    assert snapshot(workspace) == before
    ok = ledger.add_entry(workspace, make_entry(workspace, "expense", "300", restriction="慈善阵地建设",
                                                attachments=[voucher_file]), post=True)
    assert ok.status == "posted"
    with workspace.reading() as s:
        balance = project_queries.fund_balance(s, workspace.fund.id)
    assert balance.restricted_fen == {"慈善阵地建设": 20000} and balance.unrestricted_fen == 10000


def test_going_below_zero_needs_a_recorded_override(workspace, voucher_file):
    data = make_entry(workspace, "expense", "10", attachments=[voucher_file])
    with pytest.raises(NeedsOverride, match="变成负数"):
        ledger.add_entry(workspace, data, post=True)
    entry = ledger.add_entry(workspace, data, post=True, override_reason="拨款已到账，入账在途")
    assert entry.override_reason == "拨款已到账，入账在途"


def test_batch_must_agree_with_the_paper_list_unless_confirmed(workspace):
    lines = [make_entry(workspace, "donation", a, category="慈善一日捐", counterparty_name=n)
             for n, a in [("李大友", "200"), ("王秀兰", "100"), ("陈光明", "500")]]
    before = snapshot(workspace)
    with pytest.raises(NeedsOverride, match="录入 3 笔、合计 ¥800.00.*4 笔、¥900.00"):
        ledger.post_batch(workspace, "一日捐", lines, 4, Decimal("900"))
    assert snapshot(workspace) == before
    posted = ledger.post_batch(workspace, "一日捐", lines, 4, Decimal("900"), confirm_mismatch=True)
    assert [e.voucher_seq for e in posted] == [1, 2, 3]
    assert len(ledger.post_batch(workspace, "一日捐", lines, 3, Decimal("800"))) == 3


def test_batch_is_all_or_nothing(workspace):
    lines = [make_entry(workspace, "donation", "100", category="慈善一日捐"),
             make_entry(workspace, "donation", "100", category="没有这个类别")]
    before = snapshot(workspace)
    with pytest.raises(UserError, match="不在收入类别表里"):
        ledger.post_batch(workspace, "一日捐", lines, 2, Decimal("200"))
    assert snapshot(workspace) == before


def test_every_record_is_sync_ready(workspace):
    entry = ledger.add_draft(workspace, make_entry(workspace))
    with workspace.reading() as s:
        row = s.get(LedgerEntry, entry.id)
        journal = s.exec(select(ChangeJournal).where(ChangeJournal.record_id == entry.id)).one()
    assert len(row.id) == 36 and row.office_id == workspace.local_office().id
    assert row.created_at.endswith("Z") and row.version == 1
    assert journal.op == "insert" and '"amount_fen": 100000' in journal.payload


def test_import_drafts_checks_every_row_and_is_all_or_nothing(workspace):
    good = [make_entry(workspace, "donation", str(10 + i), category="慈善一日捐") for i in range(50)]
    assert ledger.import_drafts(workspace, good) == 50
    before = snapshot(workspace)
    bad = good[:3] + [make_entry(workspace, "donation", "5", category="不存在")]
    with pytest.raises(UserError, match="不在收入类别表里"):
        ledger.import_drafts(workspace, bad)
    assert snapshot(workspace) == before
    entries, journal = before
    assert len(entries) == 50 and journal >= 50
    first = entries[0][0]
    assert ledger.post_entry(workspace, first).voucher_seq == 1


def test_edit_and_post_is_one_transaction(workspace):
    ledger.add_entry(workspace, make_entry(workspace, day=date(2024, 3, 1)), post=True)
    ledger.close_month(workspace, workspace.fund.id, "2024-03")
    draft = ledger.add_draft(workspace, make_entry(workspace, amount="10", day=date(2024, 4, 1)))
    before = snapshot(workspace)
    with pytest.raises(UserError, match="已结账"):
        ledger.update_draft(workspace, draft.id, make_entry(workspace, amount="99", day=date(2024, 3, 9)), post=True)
    assert snapshot(workspace) == before  # the edit was not kept either
    posted = ledger.update_draft(workspace, draft.id, make_entry(workspace, amount="12", day=date(2024, 4, 2)),
                                 post=True)
    assert posted.status == "posted" and posted.amount_fen == 1200


def test_closing_a_month_closes_the_earlier_ones_and_never_the_future(workspace):
    ledger.add_entry(workspace, make_entry(workspace, day=date(2024, 5, 3)), post=True)
    ledger.close_month(workspace, workspace.fund.id, "2024-05")
    earlier = ledger.add_draft(workspace, make_entry(workspace, day=date(2024, 2, 1)))
    before = snapshot(workspace)
    with pytest.raises(UserError, match="已结账（本基金已结账至 2024-05）"):
        ledger.post_entry(workspace, earlier.id)
    with pytest.raises(UserError, match="已经结账了"):
        ledger.close_month(workspace, workspace.fund.id, "2024-04")
    with pytest.raises(UserError, match="还没有结束"):
        ledger.close_month(workspace, workspace.fund.id, date.today().strftime("%Y-%m"))
    assert snapshot(workspace) == before


@pytest.mark.parametrize("typed", ["0001-01-01", "9999-12-31", "1989-12-31"])
def test_dates_outside_any_plausible_year_are_refused(typed):
    from desktop_app.core.validation import parse_date

    with pytest.raises(UserError, match="年份不像真实日期"):
        parse_date(typed)


@pytest.mark.parametrize("field, value, message", [
    ("summary", "很长" * 101, "摘要太长"), ("counterparty_name", "名" * 101, "对方名称太长"),
    ("summary", "第一行\n第二行", "控制字符"),
])
def test_overlong_or_multiline_text_is_refused(workspace, field, value, message):
    before = snapshot(workspace)
    with pytest.raises(UserError, match=message):
        ledger.add_draft(workspace, make_entry(workspace, **{field: value}))
    assert snapshot(workspace) == before


def test_a_transaction_journals_each_record_once_in_its_committed_state(workspace):
    import json

    entry = ledger.add_entry(workspace, make_entry(workspace), post=True)
    with workspace.reading() as s:
        rows = s.exec(select(ChangeJournal).where(ChangeJournal.record_id == entry.id)).all()
        stored = s.get(LedgerEntry, entry.id)
    assert [(r.op, r.version) for r in rows] == [("insert", 1)] and stored.version == 1
    payload = json.loads(rows[0].payload)
    assert payload["status"] == "posted" and payload["chain_seq"] == 1 and payload["voucher_seq"] == 1
    ledger.add_entry(workspace, make_entry(workspace), post=True)
    with workspace.reading() as s:  # the fund moved twice (two chain links), in two transactions
        fund_rows = s.exec(select(ChangeJournal).where(ChangeJournal.record_id == workspace.fund.id)).all()
    assert [(r.op, r.version) for r in fund_rows] == [("insert", 1), ("update", 2), ("update", 3)]
