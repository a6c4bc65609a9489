"""收入合计/支出合计/净额 of a filter (one SQL SUM, Decimal), and a posted entry copied as a new draft's fields."""

import sqlite3
from datetime import date
from decimal import Decimal

import pytest

from desktop_app.core.errors import UserError
from desktop_app.core.queries import ledger as ledger_query
from desktop_app.core.queries.ledger import LedgerFilter, LedgerTotals
from desktop_app.core.services import ledger
from tests.helpers import make_entry


def totals(ws, **f) -> LedgerTotals:
    conn = ws.raw_reader()
    try:
        return ledger_query.totals(conn, LedgerFilter(**f))
    finally:
        conn.close()


def test_totals_sum_integer_fen_and_net_reversals_to_zero(workspace):
    ws = workspace
    kept = ledger.add_entry(ws, make_entry(ws, amount="0.10"), post=True)
    ledger.add_entry(ws, make_entry(ws, amount="0.20"), post=True)
    wrong = ledger.add_entry(ws, make_entry(ws, amount="999.99", day=date(2024, 4, 1)), post=True)
    ledger.reverse_entry(ws, wrong.id, "重复录入")
    ledger.add_draft(ws, make_entry(ws, "expense", amount="0.05"))

    everything = totals(ws)
    assert everything == LedgerTotals(Decimal("0.30"), Decimal("0.05"))  # 0.1 + 0.2 exactly, never float
    assert everything.net == Decimal("0.25") and isinstance(everything.net, Decimal)
    assert totals(ws, status="posted") == LedgerTotals(Decimal("0.30"), Decimal("0.00"))
    assert totals(ws, date_from=date(2024, 4, 1)).income == Decimal("0.00")  # the entry and its reversal
    assert totals(ws, entry_type="reversal").income == Decimal("-999.99")
    assert totals(ws, text=kept.summary[:2]).income == Decimal("0.30")


def test_totals_read_the_covering_index_without_a_filter(workspace):
    conn = sqlite3.connect(workspace.db_path)
    where, params = ledger_query.where_clause(LedgerFilter())
    plan = conn.execute(f"EXPLAIN QUERY PLAN SELECT sum(e.amount_fen) FROM ledger_entry e{where}", params).fetchall()
    conn.close()
    assert "COVERING INDEX" in " ".join(str(row) for row in plan)


def test_a_copy_is_the_original_dated_today_without_voucher_or_attachments(workspace):
    ws = workspace
    original = ledger.add_entry(ws, make_entry(ws, "donation", amount="500", category="个人捐赠",
                                               counterparty_name="张明华", counterparty_kind="个人"), post=True)
    copy = ledger.load_copy(ws, original.id, today=date(2024, 5, 6))
    assert (copy.entry_date, copy.amount, copy.category, copy.counterparty_name, copy.attachments) == (
        date(2024, 5, 6), Decimal("500.00"), "个人捐赠", "张明华", [])
    reversal = ledger.reverse_entry(ws, original.id, "录错")
    with pytest.raises(UserError, match="红字冲销凭证，不能复制"):
        ledger.load_copy(ws, reversal.id)
