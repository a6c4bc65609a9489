"""`record_state.payload_sql` builds in SQLite exactly the text the change journal writes for a record, so
`verify` compares a million rows with their journal without parsing JSON in Python; a real change is told
from a mere difference of form value by value."""

import sqlite3
from datetime import date

from desktop_app.core.models import Fund, LedgerEntry
from desktop_app.core.services import ledger
from desktop_app.core.storage import record_state
from tests.helpers import make_entry


def test_every_row_of_every_table_is_built_as_the_journal_wrote_it(workspace):
    ledger.add_entry(workspace, make_entry(workspace, "donation", "200", summary="含“引号”\\与 \"双引号\" 和生僻字 𠮷",
                                           category="个人捐赠", day=date(2024, 3, 9)), post=True)
    conn = sqlite3.connect(workspace.db_path)
    compared = 0
    for name, table in record_state.record_tables().items():
        rows = conn.execute(f"SELECT j.payload, {record_state.payload_sql(table, 't')} FROM {name} t JOIN change_journal j "
                            f"ON j.seq = {record_state.latest_journal_sql('t')}").fetchall()
        for journalled, built in rows:
            assert built == journalled, name
            compared += 1
    conn.close()
    assert compared >= 4  # office, project, fund, entry at least


def test_a_changed_value_is_a_difference_and_a_form_is_not():
    entry = LedgerEntry.__table__
    assert record_state.differences(entry, {"anonymous": True, "amount_fen": 100}, {"anonymous": 1, "amount_fen": 100}) == []
    assert record_state.differences(entry, {"amount_fen": 100}, {"amount_fen": 1000, "summary": "新列"}) == [
        ("amount_fen", 100, 1000)]  # a column the payload did not hold is not compared
    assert record_state.differences(Fund.__table__, {"name": "甲"}, {"name": "乙"}) == [("name", "甲", "乙")]
