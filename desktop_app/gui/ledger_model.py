"""The lazy ledger table: SQL windows of 200 rows fetched as the view scrolls, never every id.

`rowCount` is one `count(*)`; rows come in pages through `ledger_query.fetch` on read-only connections
of the model's own. `refresh()` reads the first page at once (the top of the list is what a user
sees first). Other pages are read by a background loader while the cells show “…”, so dragging the
scroll bar to the middle of a million entries never blocks the GUI thread; the newest request is
served first and requests the user has scrolled past are dropped. Pages are cached (least recently
used dropped) and forgotten on refresh. `row_at()` reads synchronously (for code that needs a row now).
"""

import logging
import sqlite3
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
)
from PySide6.QtGui import QColor

from desktop_app.core.models import ENTRY_TYPES
from desktop_app.core.money import format_yuan
from desktop_app.core.queries import ledger as ledger_query
from desktop_app.core.queries.ledger import LedgerFilter, LedgerRow
from desktop_app.core.vouchers import fund_voucher
from desktop_app.gui.page_loader import PageCache, PageLoader

PAGE_SIZE = 200
MAX_PAGES = 50
log = logging.getLogger(__name__)
COLUMNS = ("凭证号", "日期", "基金", "类型", "摘要", "类别", "收入", "支出", "对方", "状态", "附件", "单位")
SORT_KEYS = {0: "voucher", 1: "date", 2: "fund", 3: "type", 4: "summary", 5: "category", 6: "amount",
             7: "amount", 9: "status"}
INCOME, EXPENSE, ATTACHMENTS, STATUS = 6, 7, 10, 9
OFFICE = 11  # the owning office: shown in a county's workspace only
ROW_ROLE = Qt.ItemDataRole.UserRole + 1

RED = QColor("#c0392b")
DRAFT = QColor("#b9770e")
MUTED = QColor("#7f8c8d")

Index = QModelIndex | QPersistentModelIndex


def status_text(row: LedgerRow) -> str:
    if row.status == "draft":
        return "草稿"
    return "已冲销" if row.reversed_by else "已记账"


def _fetch_page(conn, query, offset: int, limit: int) -> list[LedgerRow]:
    filt, sort, descending = query
    return ledger_query.fetch(conn, filt, sort=sort, descending=descending, offset=offset, limit=limit)


class LedgerModel(QAbstractTableModel):
    def __init__(self, connect: Callable[[], sqlite3.Connection], *, short_fund: Callable[[str], str] = str,
                 office_name: Callable[[str], str] = str, background: bool = True, parent=None):
        super().__init__(parent)
        self._connect = connect
        self._short_fund = short_fund
        self.office_name = office_name
        self._conn: sqlite3.Connection | None = None
        self._filter = LedgerFilter()
        self._sort, self._descending = "date", True
        self._count = 0
        self._pages = PageCache(PAGE_SIZE, MAX_PAGES)
        self._generation = 0
        self._active = False  # nothing is read before the first refresh()
        self.error: str | None = None  # why the last refresh could not read the ledger
        self._in_flight: set[int] = set()
        self._loader: PageLoader | None = None
        if background:
            self._loader = PageLoader(connect, _fetch_page, lambda conn: conn.close(), PAGE_SIZE, self)
            self._loader.loaded.connect(self._page_loaded)

    # ---------------------------------------------------------------- state

    @property
    def filter(self) -> LedgerFilter:
        return self._filter

    def set_filter(self, value: LedgerFilter) -> None:
        if value != self._filter:
            self._filter = value
            self.refresh()

    def refresh(self) -> None:
        """Re-count and forget every cached page (after any change to the ledger)."""
        self.beginResetModel()
        self._active = True
        self._generation += 1
        self._pages.clear()
        self._in_flight.clear()
        try:
            self._count = ledger_query.count(self._connection(), self._filter)
            if self._count:
                self._store(0, self._fetch(0))
            self.error = None
        except sqlite3.Error as exc:  # a damaged file: show nothing rather than crash
            log.error("读取台账失败：%s", exc)
            self._count, self.error = 0, f"读取台账失败（{exc}）"
        self.endResetModel()

    def reconnect(self) -> None:
        """After a restore replaced the database file."""
        self.close()
        self.refresh()

    def close(self) -> None:
        if self._loader is not None:
            self._loader.close()
        if self._conn is not None:
            self._conn.close()
            self._conn = None

    def _connection(self) -> sqlite3.Connection:
        if self._conn is None:
            self._conn = self._connect()
        return self._conn

    def _fetch(self, number: int) -> list[LedgerRow]:
        return ledger_query.fetch(self._connection(), self._filter, sort=self._sort, descending=self._descending,
                                  offset=number * PAGE_SIZE, limit=PAGE_SIZE)

    def _store(self, number: int, page: list[LedgerRow]) -> None:
        self._pages.put(number, page)
        self._in_flight.discard(number)

    def _cached(self, row: int) -> LedgerRow | None:
        return self._pages.get(row)

    def row_at(self, row: int) -> LedgerRow | None:
        """The row, read now if its page is not cached."""
        if not 0 <= row < self._count:
            return None
        if row // PAGE_SIZE not in self._pages:
            self._store(row // PAGE_SIZE, self._fetch(row // PAGE_SIZE))
        return self._cached(row)

    def _row_for_view(self, row: int) -> LedgerRow | None:
        """The row if cached; otherwise ask the loader for its page (None until it arrives)."""
        if not 0 <= row < self._count:
            return None
        found = self._cached(row)
        if found is not None or self._loader is None:
            return found if found is not None else self.row_at(row)
        number = row // PAGE_SIZE
        if number not in self._in_flight:
            self._in_flight.add(number)
            dropped = self._loader.request(self._generation, number, (self._filter, self._sort, self._descending))
            self._in_flight.difference_update(dropped)
        return None

    def _page_loaded(self, generation: int, number: int, rows: list[LedgerRow]) -> None:
        if generation != self._generation:
            return  # the filter or sort changed meanwhile
        self._store(number, rows)
        first = number * PAGE_SIZE
        last = min(self._count, first + PAGE_SIZE) - 1
        if last >= first:
            self.dataChanged.emit(self.index(first, 0), self.index(last, len(COLUMNS) - 1))

    @property
    def loading(self) -> bool:
        return bool(self._in_flight)

    def find_loaded(self, entry_id: str) -> int | None:
        """The row of an entry among the pages already fetched (for keeping the selection)."""
        return self._pages.find(lambda row: row.id == entry_id)

    # ---------------------------------------------------------------- Qt model

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else self._count

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation != Qt.Orientation.Horizontal:
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return COLUMNS[section]
        if role == Qt.ItemDataRole.TextAlignmentRole and section in (INCOME, EXPENSE):
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        row = self._row_for_view(index.row())
        if row is None:
            return "…" if role == Qt.ItemDataRole.DisplayRole and index.column() == 4 else None
        col = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return self._display(row, col)
        if role == Qt.ItemDataRole.ToolTipRole:
            if col == STATUS and row.reversed_by:
                return "这笔已被红字冲销"
            if col == 2:
                return row.fund_name
            if col == 0 and row.voucher:  # numbers run per fund: the tip names whose 2024-0014 this is
                return fund_voucher(row.fund_name, row.voucher)
            return self._display(row, col) or None
        if role == Qt.ItemDataRole.TextAlignmentRole:
            if col in (INCOME, EXPENSE):
                return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            if col == ATTACHMENTS:
                return int(Qt.AlignmentFlag.AlignCenter)
            return int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.ForegroundRole:
            if row.entry_type == "reversal" or row.amount_fen < 0:
                return RED
            if col == STATUS:
                return DRAFT if row.status == "draft" else MUTED if row.reversed_by else None
            if col == ATTACHMENTS and row.entry_type == "expense" and not row.attachments:
                return DRAFT
            return None
        if role == ROW_ROLE:
            return row
        return None

    def _display(self, row: LedgerRow, col: int) -> str:
        if col == 0:
            return row.voucher or "—"
        if col == 1:
            return row.entry_date
        if col == 2:
            return self._short_fund(row.fund_name)
        if col == 3:
            return ENTRY_TYPES.get(row.entry_type, row.entry_type)
        if col == 4:
            return row.summary
        if col == 5:
            return row.category
        if col == INCOME:
            return format_yuan(row.amount_fen) if row.flow == "in" else ""
        if col == EXPENSE:
            return format_yuan(row.amount_fen) if row.flow == "out" else ""
        if col == 8:
            return row.counterparty_name
        if col == STATUS:
            return status_text(row)
        if col == ATTACHMENTS:
            if row.attachments:
                return str(row.attachments)
            return "缺" if row.entry_type == "expense" else ""
        if col == OFFICE:
            return self.office_name(row.office_id)
        return ""

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        key = SORT_KEYS.get(column)
        if key is None:
            return
        self._sort, self._descending = key, order == Qt.SortOrder.DescendingOrder
        if self._active:
            self.refresh()
