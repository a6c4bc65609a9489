"""Filtered, sorted windows over the ledger in plain SQL — what the lazy table model, `entry list` and
the exports share. Fast on a million entries: indexed sorts, FTS5 trigram text search, LIMIT windows.
"""

import re
import sqlite3
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import NamedTuple

from desktop_app.core.money import from_fen


@dataclass(frozen=True)
class LedgerFilter:
    fund_id: str | None = None
    date_from: date | None = None
    date_to: date | None = None
    entry_type: str | None = None
    category: str | None = None
    text: str = ""
    status: str | None = None  # draft | posted
    office_id: str | None = None  # one office's entries (a county's office filter); None = every office


class LedgerRow(NamedTuple):
    id: str
    fund_name: str
    voucher: str
    entry_date: str
    entry_type: str
    flow: str
    amount_fen: int
    summary: str
    category: str
    expense_class: str
    restriction: str
    counterparty_name: str
    status: str
    attachments: int
    reversed_by: str | None
    fund_id: str
    office_id: str = ""

    @property
    def income_fen(self) -> int:
        return self.amount_fen if self.flow == "in" else 0

    @property
    def expense_fen(self) -> int:
        return self.amount_fen if self.flow == "out" else 0


_SELECT = """
SELECT e.id, f.name,
       CASE WHEN e.voucher_seq IS NULL THEN '' ELSE e.voucher_year || '-' || printf('%04d', e.voucher_seq) END,
       e.entry_date, e.entry_type, e.flow, e.amount_fen, e.summary, e.category, e.expense_class,
       e.restriction, e.counterparty_name, e.status,
       (SELECT count(*) FROM entry_attachment ea WHERE ea.entry_id = e.id AND ea.deleted = 0),
       (SELECT r.id FROM ledger_entry r WHERE r.reverses_id = e.id AND +r.deleted = 0 LIMIT 1),
       e.fund_id, e.office_id
FROM ledger_entry e JOIN fund f ON f.id = e.fund_id
"""
# `+r.deleted` keeps the reversal look-up on ix_ledger_reverses: without it SQLite (no ANALYZE statistics)
# picks ix_ledger_live (deleted, status) and scans every live entry for each row — quadratic.

# Sort keys offered by the ledger page; each is backed by an index (see migration 0002).
SORTS = {
    "date": "e.entry_date {d}, e.voucher_year {d}, e.voucher_seq {d}",
    "voucher": "e.voucher_year {d}, e.voucher_seq {d}",
    "amount": "e.amount_fen {d}",
    "fund": "e.fund_id {d}, e.entry_date {d}",  # groups by fund (an index), not alphabetical
    "type": "e.entry_type {d}, e.entry_date {d}",
    "category": "e.category {d}, e.entry_date {d}",
    "summary": "e.summary {d}",
    "status": "e.status {d}, e.entry_date {d}",
}
_VOUCHER = re.compile(r"^(\d{4})-(\d{1,6})$")


def where_clause(f: LedgerFilter, *, counting: bool = False) -> tuple[str, list]:
    # Counting everything reads the small covering index ix_ledger_live. Any other query must not use it
    # (`+e.deleted`): SQLite would pick it over the sort, fund, date and FTS indexes and scan every row.
    unfiltered = f == LedgerFilter()
    clauses, params = ["e.deleted = 0" if counting and unfiltered else "+e.deleted = 0"], []
    if f.fund_id:
        clauses.append("e.fund_id = ?")
        params.append(f.fund_id)
    if f.office_id:
        clauses.append("e.office_id = ?")
        params.append(f.office_id)
    if f.date_from:
        clauses.append("e.entry_date >= ?")
        params.append(f.date_from.isoformat())
    if f.date_to:
        clauses.append("e.entry_date <= ?")
        params.append(f.date_to.isoformat())
    if f.entry_type:
        clauses.append("e.entry_type = ?")
        params.append(f.entry_type)
    if f.category:
        clauses.append("e.category = ?")
        params.append(f.category)
    if f.status:
        clauses.append("e.status = ?")
        params.append(f.status)
    text = (f.text or "").strip()
    if text:
        voucher = _VOUCHER.match(text)
        if voucher:
            clauses.append("e.voucher_year = ? AND e.voucher_seq = ?")
            params += [int(voucher.group(1)), int(voucher.group(2))]
        elif len(text) >= 3:
            # trigram index: any substring of 3+ characters
            clauses.append("e.rowid IN (SELECT rowid FROM ledger_search WHERE ledger_search MATCH ?)")
            params.append('"' + text.replace('"', '""') + '"')
        else:
            # 1–2 characters are below the trigram size: scan (still fine for a township's ledger)
            like = "%" + text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
            clauses.append("(e.summary LIKE ? ESCAPE '\\' OR e.counterparty_name LIKE ? ESCAPE '\\' "
                           "OR e.category LIKE ? ESCAPE '\\')")
            params += [like, like, like]
    return " WHERE " + " AND ".join(clauses), params


def order_clause(sort: str, descending: bool) -> str:
    template = SORTS.get(sort, SORTS["date"])
    return " ORDER BY " + template.format(d="DESC" if descending else "ASC")


def count(conn: sqlite3.Connection, f: LedgerFilter) -> int:
    where, params = where_clause(f, counting=True)
    return conn.execute(f"SELECT count(*) FROM ledger_entry e{where}", params).fetchone()[0]


@dataclass(frozen=True)
class LedgerTotals:
    """The money of the entries a filter selects, in yuan (Decimal from integer fen): a reversal counts in
    its flow with its negative amount, as the books hold it, so a reversed pair nets to zero."""

    income: Decimal
    expense: Decimal

    @property
    def net(self) -> Decimal:
        return self.income - self.expense


def totals(conn: sqlite3.Connection, f: LedgerFilter) -> LedgerTotals:
    """收入合计 and 支出合计 of what `f` selects: one SQL SUM (unfiltered or by fund it reads only the covering
    index ix_ledger_balance)."""
    where, params = where_clause(f)
    income, expense = conn.execute(
        "SELECT coalesce(sum(CASE WHEN e.flow = 'in' THEN e.amount_fen END), 0), "
        f"coalesce(sum(CASE WHEN e.flow = 'out' THEN e.amount_fen END), 0) FROM ledger_entry e{where}",
        params).fetchone()
    return LedgerTotals(from_fen(income), from_fen(expense))


def fetch(conn: sqlite3.Connection, f: LedgerFilter, *, sort: str = "date", descending: bool = True,
          offset: int = 0, limit: int = 200) -> list[LedgerRow]:
    where, params = where_clause(f)
    sql = _SELECT + where + order_clause(sort, descending) + " LIMIT ? OFFSET ?"
    return [LedgerRow(*row) for row in conn.execute(sql, [*params, limit, offset])]


def iterate(conn: sqlite3.Connection, f: LedgerFilter, *, sort: str = "date", descending: bool = False,
            ) -> Iterator[LedgerRow]:
    """Every matching row, streamed (for exports): one cursor, constant memory."""
    where, params = where_clause(f)
    cursor = conn.execute(_SELECT + where + order_clause(sort, descending), params)
    for row in cursor:
        yield LedgerRow(*row)
