"""Small builders shared by the tests."""

import sqlite3
from datetime import date
from decimal import Decimal

from desktop_app.core.services import ledger

FUND_NAME = "万源市慈善会八台镇尚善社区基金"


def make_entry(ws, entry_type="allocation", amount="1000", day=date(2024, 3, 1), **extra) -> ledger.EntryInput:
    category = extra.pop("category", "项目拨款" if entry_type != "expense" else "活动开展")
    return ledger.EntryInput(fund_id=ws.fund.id, entry_date=day, entry_type=entry_type, amount=Decimal(amount),
                             summary=extra.pop("summary", "测试分录"), category=category, **extra)


def table_rows(db_path) -> dict:
    """Every table's rows of a database, the journal included: equal means nothing changed."""
    conn = sqlite3.connect(db_path)
    try:
        tables = [r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table' "
                                              "AND name NOT LIKE 'sqlite_%' AND name NOT LIKE 'ledger_search%'")]
        return {t: sorted(map(repr, conn.execute(f'SELECT * FROM "{t}"'))) for t in tables}
    finally:
        conn.close()
