"""The lazy ledger model over thousands of entries: counts, windows, filters, sorting."""

from datetime import UTC, date, datetime, timedelta

import pytest
from PySide6.QtCore import Qt

from desktop_app.core.models import new_id
from desktop_app.core.queries.ledger import LedgerFilter
from desktop_app.core.storage import db
from desktop_app.gui.ledger_model import PAGE_SIZE, LedgerModel
from tests.gui.conftest import wait_idle

COUNT = 3000


def generate(ws, count=COUNT):
    """Drafts written straight into the table (fast; the FTS triggers index them as usual)."""
    office_id = ws.local_office().id
    now = datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")
    rows = []
    for i in range(count):
        special = i % 100 == 0
        rows.append((new_id(), office_id, now, now, ws.fund.id, (date(2024, 1, 1) + timedelta(days=i % 365)).isoformat(),
                     "donation", "in", 100 + i, "发放助学金" if special else f"第 {i} 笔捐赠", "个人捐赠",
                     "捐赠人" + str(i)))
    conn = db.connect_raw(ws.db_path)
    try:
        conn.execute("BEGIN")
        conn.executemany(
            "INSERT INTO ledger_entry (id, office_id, created_at, updated_at, version, deleted, fund_id, entry_date, "
            "entry_type, flow, amount_fen, summary, category, expense_class, restriction, counterparty_name, "
            "counterparty_kind, anonymous, publish_consent, counterparty_contact, payment_method, receipt_code, "
            "receipt_no, status, reversal_reason, override_reason) "
            "VALUES (?, ?, ?, ?, 1, 0, ?, ?, ?, ?, ?, ?, ?, '', '', ?, '个人', 0, 0, '', '', '', '', 'draft', '', '')",
            rows)
        conn.execute("COMMIT")
    finally:
        conn.close()


@pytest.fixture
def model(qapp, workspace):
    generate(workspace)
    m = LedgerModel(workspace.raw_reader, background=False)
    m.refresh()
    yield m
    m.close()


def test_counts_without_loading_rows_and_fetches_windows_on_demand(model):
    assert model.rowCount() == COUNT and model.columnCount() == 12  # 单位 last, shown in county mode only
    assert list(model._pages) == [0]  # refresh read the first window only
    last = model.index(COUNT - 1, 4).data()
    first = model.index(0, 4).data()
    assert first and last
    assert len(model._pages) == 2  # and now the last one
    assert model.index(0, 6).data().startswith("¥") and model.index(0, 7).data() == ""
    assert model.index(0, 6).data(Qt.ItemDataRole.TextAlignmentRole) & Qt.AlignmentFlag.AlignRight
    assert model.index(0, 9).data() == "草稿"
    ids = {model.row_at(r).id for r in range(0, COUNT)}
    assert len(ids) == COUNT  # windows do not overlap or skip
    assert len(model._pages) <= COUNT // PAGE_SIZE + 1


def test_text_filter_uses_the_search_index_and_short_text(model):
    model.set_filter(LedgerFilter(text="发放助学金"))
    assert model.rowCount() == COUNT // 100
    assert {model.index(r, 4).data() for r in range(model.rowCount())} == {"发放助学金"}
    model.set_filter(LedgerFilter(text="助学"))  # two characters: below the trigram size
    assert model.rowCount() == COUNT // 100
    model.set_filter(LedgerFilter(text="捐赠人2999"))
    assert model.rowCount() == 1 and model.index(0, 8).data() == "捐赠人2999"
    model.set_filter(LedgerFilter())
    assert model.rowCount() == COUNT


def test_sorting_by_amount(model):
    model.sort(6, Qt.SortOrder.AscendingOrder)
    assert model.index(0, 6).data() == "¥1.00"
    model.sort(6, Qt.SortOrder.DescendingOrder)
    assert model.index(0, 6).data() == f"¥{(100 + COUNT - 1) / 100:,.2f}"
    model.sort(8, Qt.SortOrder.AscendingOrder)  # 对方 has no index: ignored
    assert model.index(0, 6).data() == f"¥{(100 + COUNT - 1) / 100:,.2f}"


def test_search_box_filters_after_a_pause(qtbot, workspace, ledger_page):
    generate(workspace, 500)
    ledger_page.reload()
    assert ledger_page.model.rowCount() == 500
    ledger_page.search.setText("发放助学金")
    assert ledger_page.model.rowCount() == 500  # debounced: nothing yet
    qtbot.waitUntil(lambda: ledger_page.model.rowCount() == 5, timeout=2000)
    assert ledger_page.count_label.text() == "共 5 条"
    wait_idle(qtbot, ledger_page.ctx.runner)


def test_far_pages_load_in_the_background(qtbot, ctx, workspace):
    generate(workspace)
    model = LedgerModel(workspace.raw_reader)
    model.refresh()
    try:
        assert model.index(0, 4).data() not in (None, "…")  # the first page is read at once
        far = model.index(COUNT - 1, 4)
        assert far.data() == "…" and model.loading
        with qtbot.waitSignal(model.dataChanged, timeout=5000):
            pass
        assert far.data() not in (None, "…") and not model.loading
        model.sort(6, Qt.SortOrder.AscendingOrder)  # a late page of the old order is ignored
        assert model.index(0, 6).data() == "¥1.00"
    finally:
        model.close()
