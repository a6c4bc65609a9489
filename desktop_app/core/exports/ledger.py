"""收支台账: the ledger rows matching a filter, streamed oldest first into one sheet (constant memory at
100,000+ rows), with the posted totals, the balance, the drafts on a line of their own and the totals in
capital numerals."""

from datetime import date
from itertools import chain, islice

from openpyxl import Workbook

from desktop_app.core.errors import UserError
from desktop_app.core.exports.scope import in_brackets, period_text
from desktop_app.core.exports.sheet import (
    PROGRESS_EVERY,
    WIDTH_SAMPLE,
    Column,
    Progress,
    Sheet,
    export_subtitle,
    write_workbook,
    yuan,
)
from desktop_app.core.models import ENTRY_TYPES
from desktop_app.core.money import from_fen
from desktop_app.core.queries import ledger as ledger_query
from desktop_app.core.queries.ledger import LedgerFilter, LedgerRow

STATUS_LABELS = {"draft": "草稿", "posted": "已记账"}

LEDGER_COLUMNS = (
    Column("凭证号", max_width=16), Column("日期", "date"), Column("基金", max_width=24), Column("类型", max_width=10),
    Column("摘要", max_width=40), Column("业务类别", max_width=14), Column("支出性质", max_width=14),
    Column("限定用途", max_width=16), Column("对方", max_width=20), Column("收入", "money", 18),
    Column("支出", "money", 18), Column("状态", max_width=8), Column("附件数", "count", 8),
)

ALL_ENTRIES = LedgerFilter()  # frozen, so safe as a default


def _ledger_values(row: LedgerRow) -> list:
    return [row.voucher, date.fromisoformat(row.entry_date), row.fund_name,
            ENTRY_TYPES.get(row.entry_type, row.entry_type), row.summary, row.category, row.expense_class,
            row.restriction, row.counterparty_name, from_fen(row.amount_fen) if row.flow == "in" else None,
            from_fen(row.amount_fen) if row.flow == "out" else None, STATUS_LABELS.get(row.status, row.status),
            row.attachments]


def _describe_filter(conn, f: LedgerFilter) -> str:
    parts = []
    if f.fund_id:
        found = conn.execute("SELECT name FROM fund WHERE id = ? AND deleted = 0", (f.fund_id,)).fetchone()
        if found is None:
            raise UserError("找不到所选的社区基金，它可能已被删除。请重新选择基金后再导出。")
        parts.append(found[0])
    parts.append(period_text(f.date_from, f.date_to))
    if f.entry_type:
        parts.append("只含" + ENTRY_TYPES.get(f.entry_type, f.entry_type))
    if f.category:
        parts.append(f"业务类别：{f.category}")
    if f.status:
        parts.append("只含" + STATUS_LABELS.get(f.status, f.status))
    if (f.text or "").strip():
        parts.append(f"含“{f.text.strip()}”")
    return in_brackets(parts)


def export_ledger(ws, out_path, ledger_filter: LedgerFilter = ALL_ENTRIES, progress: Progress | None = None,
                  ) -> int:
    """Export the ledger rows matching the filter, oldest first; returns the number of entries written.

    Rows are streamed from the database into a write-only workbook (constant memory). `progress(done,
    total)` is called about every 1,000 rows; if it raises (e.g. `Cancelled`), no file is left behind.
    Totals count posted entries only; drafts in the export are totalled on a line of their own.
    """
    office = ws.local_office()
    conn = ws.raw_reader()
    try:
        conn.execute("BEGIN")  # one snapshot: the count and the rows agree even while someone posts
        total = ledger_query.count(conn, ledger_filter)
        title = f"{office.name} 收支台账{_describe_filter(conn, ledger_filter)}"

        def build(wb: Workbook) -> int:
            rows = ledger_query.iterate(conn, ledger_filter, sort="date", descending=False)
            head = list(islice(rows, WIDTH_SAMPLE))
            labels = [["合计（已记账）", None, None, None, "未记账，不计入合计和结余"]]
            sheet = Sheet(wb, "收支台账", LEDGER_COLUMNS, title, export_subtitle(f"共 {total} 笔"),
                          chain((_ledger_values(r) for r in head), labels), landscape=True)
            posted_in = posted_out = draft_in = draft_out = drafts = done = 0
            if progress:
                progress(0, total)
            for row in chain(head, rows):
                values = _ledger_values(row)
                sheet.row(values, red=(3, 9, 10) if row.amount_fen < 0 else ())
                if row.status == "posted":
                    posted_in += row.income_fen
                    posted_out += row.expense_fen
                else:
                    drafts += 1
                    draft_in += row.income_fen
                    draft_out += row.expense_fen
                done += 1
                if progress and done % PROGRESS_EVERY == 0:
                    progress(done, max(total, done))
            blank = [None] * len(LEDGER_COLUMNS)
            label = "合计（已记账）" if drafts else "合计"
            sheet.total_row([label, None, None, None, "收入合计 / 支出合计", *blank[5:9],
                             yuan(posted_in), yuan(posted_out), None, None])
            sheet.total_row(["结余", None, None, None, "收入合计 − 支出合计", *blank[5:9],
                             yuan(posted_in - posted_out), None, None, None])
            if drafts:
                sheet.total_row([f"草稿 {drafts} 笔", None, None, None, "未记账，不计入合计和结余", *blank[5:9],
                                 yuan(draft_in), yuan(draft_out), None, None], variant="subtotal")
            sheet.capital_row([("收入合计", posted_in), ("支出合计", posted_out), ("结余", posted_in - posted_out)])
            sheet.finish()
            if progress:
                progress(done, max(total, done))
            return done

        return write_workbook(out_path, build)
    finally:
        conn.close()
