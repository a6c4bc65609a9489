"""Excel exports: the ledger (streamed, constant memory at 100,000+ rows) and the reports.

Every sheet has the same office look, built by `_Sheet`: a merged title row, a subtitle with the export
time and "金额单位：元", a frozen header row with an autofilter, amounts as numbers in `#,##0.00`
(converted from integer fen with Decimal), a totals row with the totals in capital numerals under it,
column widths that fit Chinese text, and A4 printing fitted to the page width with the header repeated.

Files are written to a temporary file in the target folder and moved into place at the end, so a
cancelled or failed export never leaves a partial file behind.
"""

import errno
import os
import tempfile
import unicodedata
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal
from itertools import chain, islice
from pathlib import Path

from openpyxl import Workbook
from openpyxl.cell import Cell, WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.properties import PageSetupProperties
from openpyxl.worksheet.worksheet import Worksheet
from sqlalchemy import text
from sqlmodel import Session, select

from desktop_app.core.errors import UserError
from desktop_app.core.models import (
    ENTRY_TYPES,
    EXPENSE_CLASSES,
    UNVALUED,
    Activity,
    Fund,
    GoodsMovement,
    Project,
    Site,
)
from desktop_app.core.money import capital_yuan, from_fen
from desktop_app.core.privacy import mask_name, public_counterparty
from desktop_app.core.quantities import hours_text, quantity_of
from desktop_app.core.queries import goods as goods_queries
from desktop_app.core.queries import ledger as ledger_query
from desktop_app.core.queries import reports
from desktop_app.core.queries.activities import (
    ALL_ACTIVITIES,
    ActivityFilter,
    ActivityRow,
    activity_stats,
    list_activities,
)
from desktop_app.core.queries.categories import list_categories
from desktop_app.core.queries.ledger import LedgerFilter, LedgerRow
from desktop_app.core.queries.projects import list_funds

Progress = Callable[[int, int], None]

MONEY_FORMAT = "#,##0.00"
DATE_FORMAT = "yyyy-mm-dd"
PERCENT_FORMAT = "0.0%"
PROGRESS_EVERY = 1000
STATUS_LABELS = {"draft": "草稿", "posted": "已记账"}
REPORT_KINDS = {
    "balances": "基金余额表",
    "categories": "收支分类统计表",
    "months": "月度收支表",
    "budget": "项目预算执行表",
    "donors": "捐赠人名单",
}

# ---------------------------------------------------------------------------------------------- layout

_HEADER_ROW = 3  # 1 title, 2 subtitle, 3 header, data from 4
_WIDTH_SAMPLE = 500  # rows looked at to size the columns (a streamed sheet cannot be measured at the end)
_THIN = Side(style="thin", color="FF808080")
_BORDER = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
_TOTAL_BORDER = Border(left=_THIN, right=_THIN, top=Side(style="medium", color="FF404040"), bottom=_THIN)
_HEADER_FILL = PatternFill("solid", fgColor="FFD9E1F2")
_TOTAL_FILL = PatternFill("solid", fgColor="FFF2F2F2")
_RED = "FFC00000"


@dataclass(frozen=True)
class _Col:
    title: str
    kind: str = "text"  # text | money | date | count | percent | number (hours, quantities: as typed)
    max_width: int = 30


def text_width(text: str) -> int:
    """Display width in Excel column units: CJK and full-width characters count 2, others 1."""
    return max((sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in line)
                for line in str(text).split("\n")), default=0)


def _shown(value, kind: str) -> str:
    """Roughly what Excel shows for a value (used only to size columns)."""
    if value is None:
        return ""
    if kind == "money" and isinstance(value, Decimal | int):
        return f"{value:,.2f}"
    if kind == "date":
        return value if isinstance(value, str) else "2024-01-01"  # a range is written as text
    if kind == "percent":
        return "100.0%"
    return str(value)


def _lines(text: str, width: float) -> int:
    """How many lines a wrapped text needs in a column of this width."""
    room = max(1, int(width) - 1)
    return sum(max(1, -(-text_width(line) // room)) for line in text.split("\n"))


def _clean(text: str) -> str:
    return ILLEGAL_CHARACTERS_RE.sub("", text)


class _Sheet:
    """One write-only sheet in the office look. Use: create, `row()`/`total_row()`/`note_row()`, `finish()`.

    Column widths come from the header and `sample` (rows of values), so pass the first rows in; the
    title, subtitle and header are written at once, since a write-only sheet is written top to bottom.
    """

    def __init__(self, wb: Workbook, name: str, columns: Sequence[_Col], title: str, subtitle: str,
                 sample: Iterable[Sequence] = (), *, landscape: bool | None = None):
        self.ws = wb.create_sheet(name)
        self.columns = list(columns)
        self.last = get_column_letter(len(self.columns))
        self._styles: dict[tuple[str, str], object] = {}
        self._next_row = 1
        self._last_data_row = _HEADER_ROW
        self.widths = self._widths(sample)
        for index, width in enumerate(self.widths, 1):
            self.ws.column_dimensions[get_column_letter(index)].width = width
        self._print_setup(landscape if landscape is not None else sum(self.widths) > 100)
        self.ws.freeze_panes = f"A{_HEADER_ROW + 1}"  # views are written with the first row: set before it
        self._banner(title, Font(bold=True, size=16), Alignment(horizontal="center", vertical="center",
                                                                wrap_text=True), size=16, min_height=30)
        self._banner(subtitle, Font(size=10, color="FF595959"), Alignment(horizontal="left", vertical="center",
                                                                          wrap_text=True), size=10, min_height=18)
        header = [self._cell(col.title, "header") for col in self.columns]
        self.ws.row_dimensions[_HEADER_ROW].height = 22
        self._append(header)

    # -- sizes and printing

    def _widths(self, sample: Iterable[Sequence]) -> list[float]:
        widths = [text_width(col.title) for col in self.columns]
        for values in sample:
            for i, (col, value) in enumerate(zip(self.columns, values, strict=False)):
                widths[i] = max(widths[i], text_width(_shown(value, col.kind)))
        # money: room for totals up to 999,999,999.99 in bold, which are not in the sample (else "####")
        minimum = {"money": 15, "date": 11, "percent": 8, "count": 6, "number": 8}
        return [float(min(max(w + 2, minimum.get(col.kind, 6)), col.max_width))
                for w, col in zip(widths, self.columns, strict=True)]

    def _print_setup(self, landscape: bool) -> None:
        ws = self.ws
        ws.page_setup.paperSize = Worksheet.PAPERSIZE_A4
        ws.page_setup.orientation = Worksheet.ORIENTATION_LANDSCAPE if landscape else Worksheet.ORIENTATION_PORTRAIT
        ws.page_setup.fitToWidth = 1
        ws.page_setup.fitToHeight = 0  # as many pages down as needed
        ws.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=True)
        ws.print_options.horizontalCentered = True
        ws.page_margins.left = ws.page_margins.right = 0.4
        ws.page_margins.top = ws.page_margins.bottom = 0.6
        ws.print_title_rows = f"{_HEADER_ROW}:{_HEADER_ROW}"
        ws.oddFooter.center.text = "第 &P 页，共 &N 页"
        ws.oddFooter.center.size = 9

    # -- styles: one StyleArray per (kind, variant), copied into each cell (fast in write-only mode)

    def _style(self, kind: str, variant: str):
        key = (kind, variant)
        if key not in self._styles:
            cell = WriteOnlyCell(self.ws)
            cell.border = _TOTAL_BORDER if variant == "total" else _BORDER
            horizontal = {"money": "right", "percent": "right", "number": "right", "date": "center",
                          "count": "center"}.get(kind)
            cell.alignment = Alignment(horizontal=horizontal, vertical="center", wrap_text=kind == "text")
            if kind == "header":
                cell.font = Font(bold=True)
                cell.fill = _HEADER_FILL
                cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
            elif variant in ("total", "subtotal"):
                cell.font = Font(bold=True)
                cell.fill = _TOTAL_FILL
            elif variant == "red":
                cell.font = Font(color=_RED)
            cell.number_format = {"money": MONEY_FORMAT, "date": DATE_FORMAT, "percent": PERCENT_FORMAT,
                                  "count": "0"}.get(kind, "General")
            self._styles[key] = cell._style
        return self._styles[key]

    def _cell(self, value, kind: str, variant: str = "") -> Cell:
        if isinstance(value, str):
            value = _clean(value)
        cell = Cell(self.ws, row=1, column=1, value=value, style_array=self._style(kind, variant))
        if cell.data_type == "f":  # text typed by a user, never a formula
            cell.data_type = "s"
        return cell

    def _append(self, cells: list) -> int:
        self.ws.append(cells)
        row = self._next_row
        self._next_row += 1
        return row

    def _height_for(self, text: str, size: int, min_height: float) -> float:
        lines = _lines(text, (sum(self.widths) - 1) * 11 / size)
        return max(min_height, lines * size * 1.45 + 4)

    def _fit_height(self, values: Sequence) -> None:
        """Give a row the height its wrapped text needs (Excel does not grow rows written by a program)."""
        lines = 1
        for col, width, value in zip(self.columns, self.widths, values, strict=True):
            if col.kind == "text" and isinstance(value, str) and (len(value) * 2 > width - 1 or "\n" in value):
                lines = max(lines, _lines(value, width))
        if lines > 1:
            self.ws.row_dimensions[self._next_row].height = 15 * lines + 2

    def _banner(self, text: str, font: Font, alignment: Alignment, *, size: int = 11, min_height: float = 18,
                border: bool = False) -> None:
        """A line of text merged across all columns (title, subtitle, notes)."""
        row = self._next_row
        cell = WriteOnlyCell(self.ws, _clean(text))
        cell.font, cell.alignment = font, alignment
        cells: list = [cell]
        if border:
            cell.border = _BORDER
            for _ in self.columns[1:]:
                other = WriteOnlyCell(self.ws)
                other.border = _BORDER
                cells.append(other)
        self.ws.row_dimensions[row].height = self._height_for(text, size, min_height)
        self._append(cells)
        if len(self.columns) > 1:
            self.ws.merged_cells.add(f"A{row}:{self.last}{row}")

    # -- content

    def row(self, values: Sequence, *, red: Iterable[int] = ()) -> None:
        """A data row; `red` lists the column indexes to show in red (negative money, over budget)."""
        red = set(red)
        self._fit_height(values)
        self._append([self._cell(v, col.kind, "red" if i in red else "")
                      for i, (col, v) in enumerate(zip(self.columns, values, strict=True))])
        self._last_data_row = self._next_row - 1

    def total_row(self, values: Sequence, *, variant: str = "total") -> None:
        self._fit_height(values)
        self._append([self._cell(v, col.kind, variant) for col, v in zip(self.columns, values, strict=True)])

    def note_row(self, text: str, *, bold: bool = False) -> None:
        self._banner(text, Font(bold=bold, size=11), Alignment(horizontal="left", vertical="center",
                                                               wrap_text=True), border=bold)

    def capital_row(self, parts: Sequence[tuple[str, int]]) -> None:
        """The totals in capital numerals (大写), e.g. 大写：收入合计 人民币壹仟元整；支出合计 …"""
        self.note_row("大写：" + "；".join(f"{label} {capital_yuan(fen, prefix='人民币')}" for label, fen in parts),
                      bold=True)

    def finish(self) -> None:
        """Autofilter over the header and the data rows (not the totals)."""
        self.ws.auto_filter.ref = f"A{_HEADER_ROW}:{self.last}{self._last_data_row}"


def _money(fen: int | None) -> Decimal | None:
    return None if fen is None else from_fen(fen)


def _ratio(part: int, whole: int) -> Decimal | None:
    """A share for a percent cell (a ratio, not money): exact Decimal, four places."""
    if not whole:
        return None
    return (Decimal(part) / Decimal(whole)).quantize(Decimal("0.0001"), rounding=ROUND_HALF_UP)


def _subtitle(*parts: str) -> str:
    return "　　".join([f"导出时间：{datetime.now():%Y-%m-%d %H:%M}", *[p for p in parts if p], "金额单位：元"])


# ---------------------------------------------------------------------------------------------- files


def _check_target(out_path) -> Path:
    """Refuse early what will fail late: a wrong suffix, a missing folder, a file held open by Excel/WPS."""
    out = Path(out_path).expanduser()
    if out.suffix.lower() != ".xlsx":
        raise UserError(f"导出文件“{out.name}”应以 .xlsx 结尾（Excel 工作簿），例如“{out.stem or '台账'}.xlsx”。请修改文件名后重试。")
    if not out.parent.is_dir():
        raise UserError(f"保存位置“{out.parent}”不存在。请先创建这个文件夹，或另选保存位置。")
    if out.is_dir():
        raise UserError(f"“{out}”是一个文件夹。请在文件夹里另起一个以 .xlsx 结尾的文件名。")
    if out.exists():
        try:
            with open(out, "r+b"):
                pass
        except PermissionError:
            raise _busy(out) from None
        except OSError as exc:
            raise _io_error(exc, out) from exc
    return out


def _busy(out: Path) -> UserError:
    return UserError(f"文件“{out.name}”被占用或是只读的，无法写入。如果它正在 Excel 或 WPS 中打开，"
                     "请关闭后重试；也可以换一个文件名保存。")


def _io_error(exc: OSError, out: Path, *, replacing: bool = False) -> UserError:
    if isinstance(exc, FileNotFoundError):
        return UserError(f"保存位置“{out.parent}”不存在或已被移走。请先创建这个文件夹，或另选保存位置后重试。")
    if isinstance(exc, PermissionError):
        if replacing:
            return _busy(out)
        return UserError(f"没有权限在“{out.parent}”中保存文件（只读的 U 盘或受保护的文件夹）。"
                         "请换一个保存位置，例如“文档”或桌面。")
    if exc.errno == errno.ENOSPC:
        return UserError("磁盘空间不足，文件没有保存。请清理磁盘或换一个保存位置后重试。")
    return UserError(f"无法保存“{out.name}”：{exc.strerror or exc}。请检查保存位置后重试。")


def _discard_streams(wb: Workbook) -> None:
    """Remove the temporary files a write-only workbook streams its sheets into (after a failure)."""
    for sheet in wb.worksheets:
        writer = getattr(sheet, "_writer", None)
        if writer is None:
            continue
        rows, sheet._rows = getattr(sheet, "_rows", None), None
        for step in ((rows.close,) if rows is not None else ()) + (writer.close,):
            try:
                step()
            except Exception:  # noqa: BLE001, S110 — best-effort cleanup on a failure path
                pass
        try:
            writer.cleanup()
        except (OSError, ValueError):
            pass


def _write_atomically(out_path, build: Callable[[Workbook], int]) -> int:
    """Build a write-only workbook, save it beside the target, fsync, then move it into place.

    Anything raised by `build` (including a cancel from a progress callback) leaves no file behind.
    """
    out = _check_target(out_path)
    try:
        fd, tmp_name = tempfile.mkstemp(prefix=f"~{out.stem}.", suffix=".xlsx.part", dir=out.parent)
    except OSError as exc:
        raise _io_error(exc, out) from exc
    os.close(fd)
    tmp = Path(tmp_name)
    wb = Workbook(write_only=True)
    wb.properties.creator = "社区慈善台账"
    try:
        rows = build(wb)
        try:
            wb.save(tmp)
            with open(tmp, "rb+") as handle:
                os.fsync(handle.fileno())
        except OSError as exc:
            raise _io_error(exc, out) from exc
        try:
            os.replace(tmp, out)
        except OSError as exc:
            raise _io_error(exc, out, replacing=True) from exc
    except BaseException:
        _discard_streams(wb)
        tmp.unlink(missing_ok=True)
        raise
    return rows


# ---------------------------------------------------------------------------------------------- ledger

LEDGER_COLUMNS = (
    _Col("凭证号", max_width=16), _Col("日期", "date"), _Col("基金", max_width=24), _Col("类型", max_width=10),
    _Col("摘要", max_width=40), _Col("业务类别", max_width=14), _Col("支出性质", max_width=14),
    _Col("限定用途", max_width=16), _Col("对方", max_width=20), _Col("收入", "money", 18),
    _Col("支出", "money", 18), _Col("状态", max_width=8), _Col("附件数", "count", 8),
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
    parts.append(_period(f.date_from, f.date_to))
    if f.entry_type:
        parts.append("只含" + ENTRY_TYPES.get(f.entry_type, f.entry_type))
    if f.category:
        parts.append(f"业务类别：{f.category}")
    if f.status:
        parts.append("只含" + STATUS_LABELS.get(f.status, f.status))
    if (f.text or "").strip():
        parts.append(f"含“{f.text.strip()}”")
    return _in_brackets(parts)


def _period(date_from: date | None, date_to: date | None) -> str:
    if date_from and date_to:
        return f"{date_from:%Y-%m-%d} 至 {date_to:%Y-%m-%d}"
    if date_from:
        return f"{date_from:%Y-%m-%d} 起"
    if date_to:
        return f"截至 {date_to:%Y-%m-%d}"
    return ""


def _in_brackets(parts: Iterable[str]) -> str:
    words = "，".join(p for p in parts if p)
    return f"（{words}）" if words else ""


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
            head = list(islice(rows, _WIDTH_SAMPLE))
            labels = [["合计（已记账）", None, None, None, "未记账，不计入合计和结余"]]
            sheet = _Sheet(wb, "收支台账", LEDGER_COLUMNS, title, _subtitle(f"共 {total} 笔"),
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
                             _money(posted_in), _money(posted_out), None, None])
            sheet.total_row(["结余", None, None, None, "收入合计 − 支出合计", *blank[5:9],
                             _money(posted_in - posted_out), None, None, None])
            if drafts:
                sheet.total_row([f"草稿 {drafts} 笔", None, None, None, "未记账，不计入合计和结余", *blank[5:9],
                                 _money(draft_in), _money(draft_out), None, None], variant="subtotal")
            sheet.capital_row([("收入合计", posted_in), ("支出合计", posted_out), ("结余", posted_in - posted_out)])
            sheet.finish()
            if progress:
                progress(done, max(total, done))
            return done

        return _write_atomically(out_path, build)
    finally:
        conn.close()


# ---------------------------------------------------------------------------------------------- reports


def _scope(session: Session, fund_id: str | None, project_id: str | None) -> tuple[list[str | None], str]:
    """The funds a report covers (None = every fund) and words for the title."""
    project = None
    if project_id:
        project = session.get(Project, project_id)
        if project is None or project.deleted:
            raise UserError("找不到所选的项目，它可能已被删除。请重新选择项目后再导出。")
    if fund_id:
        fund = session.get(Fund, fund_id)
        if fund is None or fund.deleted:
            raise UserError("找不到所选的社区基金，它可能已被删除。请重新选择基金后再导出。")
        if project is not None and fund.project_id != project.id:
            raise UserError(f"社区基金“{fund.name}”不属于项目“{project.name}”。请只选基金或只选项目，或选择该项目下的基金。")
        return [fund.id], fund.name
    if project is not None:
        funds = [f.id for f in list_funds(session) if f.project_id == project.id]
        return funds, project.name
    return [None], ""


def _title(office_name: str, kind: str, scope: str, extra: str = "") -> str:
    return f"{office_name} {REPORT_KINDS[kind]}" + _in_brackets((scope, extra))


def _balances(wb: Workbook, session: Session, title: str, fund_ids: list[str | None]) -> int:
    rows = reports.fund_summaries(session)
    if fund_ids != [None]:
        rows = [r for r in rows if r.fund_id in fund_ids]
    cols = (_Col("基金", max_width=36), _Col("所属项目", max_width=30), _Col("收入", "money", 18),
            _Col("支出", "money", 18), _Col("余额", "money", 18), _Col("其中限定性", "money", 18),
            _Col("非限定性", "money", 18), _Col("物资捐赠(估值)", "money", 18))
    values = [[r.name, r.project_name, _money(r.income_fen), _money(r.expense_fen), _money(r.balance_fen),
               _money(r.restricted_fen), _money(r.unrestricted_fen), _money(r.goods_donated_fen)] for r in rows]
    sheet = _Sheet(wb, "基金余额", cols, title, _subtitle("只统计已记账分录"), values)
    for r, v in zip(rows, values, strict=True):
        sheet.row(v, red=[i for i, fen in ((4, r.balance_fen), (5, r.restricted_fen), (6, r.unrestricted_fen))
                          if fen < 0])
    sums = [sum(getattr(r, name) for r in rows) for name in
            ("income_fen", "expense_fen", "balance_fen", "restricted_fen", "unrestricted_fen", "goods_donated_fen")]
    sheet.total_row(["合计", None, *[_money(s) for s in sums]])
    sheet.capital_row([("余额合计", sums[2])])
    drafts = sum(r.drafts for r in rows)
    if drafts:
        sheet.note_row(f"注：另有 {drafts} 条草稿尚未记账，未计入本表。")
    if sums[5]:
        sheet.note_row("注：物资捐赠按估值列示，不计入收入和余额；未估值的物资只记在物资台账中。")
    sheet.finish()
    return len(rows)


def _categories(wb: Workbook, session: Session, title: str, fund_ids: list[str | None]) -> int:
    merged: dict[tuple[str, str, str], list[int]] = {}
    for fund_id in fund_ids:
        for r in reports.by_category(session, fund_id):
            acc = merged.setdefault((r.flow, r.category, r.expense_class), [0, 0])
            acc[0] += r.amount_fen
            acc[1] += r.count
    rows = sorted(merged.items(), key=lambda item: (item[0][0], -item[1][0]))
    income = sum(v[0] for k, v in rows if k[0] == "in")
    expense = sum(v[0] for k, v in rows if k[0] == "out")
    cols = (_Col("收支", max_width=16), _Col("业务类别", max_width=20), _Col("支出性质", max_width=14),
            _Col("笔数", "count", 8), _Col("金额", "money", 18), _Col("占比", "percent", 10))
    values = [["收入" if flow == "in" else "支出", category, expense_class, count, _money(amount),
               _ratio(amount, income if flow == "in" else expense)]
              for (flow, category, expense_class), (amount, count) in rows]
    labels = [["按支出性质", "收入合计 − 支出合计", "慈善活动支出"]]
    sheet = _Sheet(wb, "收支分类", cols, title, _subtitle("只统计已记账分录", "占比：占收入合计或支出合计的比例"),
                   values + labels)
    for flow, label, whole in (("in", "收入小计", income), ("out", "支出小计", expense)):
        part = [v for v, (key, _) in zip(values, rows, strict=True) if key[0] == flow]
        for v in part:
            sheet.row(v, red=[4] if v[4] < 0 else [])
        sheet.total_row([label, None, None, sum(v[3] for v in part), _money(whole), _ratio(whole, whole)],
                        variant="subtotal")
    classes = {c: [0, 0] for c in EXPENSE_CLASSES}
    for (flow, _, expense_class), (amount, count) in rows:
        if flow == "out":
            acc = classes[expense_class if expense_class in classes else "其他"]
            acc[0] += amount
            acc[1] += count
    for expense_class, (amount, count) in classes.items():
        sheet.total_row(["按支出性质", None, expense_class, count, _money(amount), _ratio(amount, expense)],
                        variant="subtotal")
    sheet.total_row(["收支结余", "收入合计 − 支出合计", None, None, _money(income - expense), None])
    sheet.capital_row([("收入合计", income), ("支出合计", expense)])
    sheet.finish()
    return len(rows)


def _months(wb: Workbook, session: Session, title: str, fund_ids: list[str | None]) -> int:
    merged: dict[str, list[int]] = {}
    for fund_id in fund_ids:
        for r in reports.by_month(session, fund_id):
            acc = merged.setdefault(r.month, [0, 0])
            acc[0] += r.income_fen
            acc[1] += r.expense_fen
    cols = (_Col("月份", max_width=10), _Col("收入", "money", 18), _Col("支出", "money", 18),
            _Col("结余", "money", 18), _Col("累计结余", "money", 18))
    values, running = [], 0
    for month, (income, expense) in sorted(merged.items()):
        running += income - expense
        values.append([month, _money(income), _money(expense), _money(income - expense), _money(running)])
    sheet = _Sheet(wb, "月度收支", cols, title, _subtitle("只统计已记账分录"), values)
    for v in values:
        sheet.row(v, red=[i for i in (3, 4) if v[i] < 0])
    income = sum(v[0] for v in merged.values())
    expense = sum(v[1] for v in merged.values())
    sheet.total_row(["合计", _money(income), _money(expense), _money(income - expense), None])
    sheet.capital_row([("收入合计", income), ("支出合计", expense), ("结余", income - expense)])
    sheet.finish()
    return len(values)


def _budget(wb: Workbook, session: Session, office_name: str, project_id: str | None) -> int:
    if not project_id:
        raise UserError("预算执行表是按项目统计的，请先选择一个项目再导出（命令行请加上 --project 项目名称）。")
    project = session.get(Project, project_id)
    if project is None or project.deleted:
        raise UserError("找不到所选的项目，它可能已被删除。请重新选择项目后再导出。")
    rows = reports.budget_vs_actual(session, project.id)
    lines, total = rows[:-1], rows[-1]
    cols = (_Col("预算类别", max_width=20), _Col("预算", "money", 18), _Col("实际", "money", 18),
            _Col("差额", "money", 18), _Col("使用率", "percent", 10))

    def values(r: reports.BudgetRow, label: str | None = None) -> list:
        return [label or r.category, _money(r.budget_fen), _money(r.actual_fen), _money(r.difference_fen),
                _ratio(r.actual_fen, r.budget_fen)]

    period = f"项目周期 {project.start_date:%Y-%m-%d} 至 {project.end_date:%Y-%m-%d}"
    sheet = _Sheet(wb, "预算执行", cols, _title(office_name, "budget", project.name),
                   _subtitle(period, "实际：已记账的支出"),
                   [values(r) for r in lines] + [values(total, "合计（项目总预算）")])
    for r in lines:
        sheet.row(values(r), red=[3, 4] if r.difference_fen < 0 else [])
    sheet.total_row(values(total, "合计（项目总预算）"))
    sheet.capital_row([("预算合计", total.budget_fen), ("实际支出", total.actual_fen)])
    if total.difference_fen < 0:
        sheet.note_row(f"注：实际支出超出项目总预算 {from_fen(-total.difference_fen):,.2f} 元。")
    sheet.finish()
    return len(lines)


def _donors(wb: Workbook, session: Session, title: str, fund_ids: list[str | None], public: bool) -> int:
    merged: dict[tuple[str, str, bool], list[int]] = {}
    for fund_id in fund_ids:
        for r in reports.donor_list(session, fund_id, public=public):
            acc = merged.setdefault((r.name, r.kind, r.masked), [0, 0, 0])
            acc[0] += r.count
            acc[1] += r.total_fen
            acc[2] += r.goods_fen
    rows = sorted(((k, v) for k, v in merged.items() if v[1]), key=lambda item: -item[1][1])
    cols = (_Col("捐赠人", max_width=30), _Col("类型", max_width=12), _Col("笔数", "count", 8),
            _Col("金额", "money", 18), _Col("其中物资捐赠(估值)", "money", 18))
    values = [[name, kind, count, _money(total), _money(goods)] for (name, kind, _), (count, total, goods) in rows]
    sheet = _Sheet(wb, "捐赠人名单", cols, title, _subtitle("已记账的捐赠（已扣除冲销）及已估值的物资捐赠"), values)
    for v in values:
        sheet.row(v)
    total = sum(v[1] for _, v in rows)
    sheet.total_row(["合计", None, sum(v[0] for _, v in rows), _money(total), _money(sum(v[2] for _, v in rows))])
    sheet.capital_row([("捐赠合计", total)])
    if public:
        sheet.note_row("注：公示版。匿名或未同意公开姓名的捐赠人显示为“爱心人士”，联系方式不公开。")
    else:
        sheet.note_row("注：内部版，含未同意公开的捐赠人姓名，仅供内部核对，请勿张贴或外传。")
    sheet.finish()
    return len(values)


def export_report(ws, kind: str, out_path, *, fund_id: str | None = None, project_id: str | None = None,
                  public: bool = True) -> int:
    """Export one report as a formatted sheet; returns the number of data rows (totals not counted).

    kind: balances | categories | months | budget (needs project_id) | donors (public=True masks names
    without consent as 爱心人士). fund_id / project_id narrow the report to one fund or a project's funds.
    """
    if kind not in REPORT_KINDS:
        listing = "、".join(f"{k}（{v}）" for k, v in REPORT_KINDS.items())
        raise UserError(f"不认识的报表“{kind}”。可导出的报表有：{listing}。")
    if kind == "budget" and not project_id:
        raise UserError("预算执行表是按项目统计的，请先选择一个项目再导出（命令行请加上 --project 项目名称）。")
    office = ws.local_office()
    with ws.reading() as session:
        def build(wb: Workbook) -> int:
            if kind == "budget":
                return _budget(wb, session, office.name, project_id)
            fund_ids, scope = _scope(session, fund_id, project_id)
            if kind == "donors":
                title = _title(office.name, kind, scope, "公示" if public else "内部")
                return _donors(wb, session, title, fund_ids, public)
            title = _title(office.name, kind, scope)
            return {"balances": _balances, "categories": _categories, "months": _months}[kind](
                wb, session, title, fund_ids)

        return _write_atomically(out_path, build)


# ---------------------------------------------------------------------------------------------- activities

ACTIVITY_COLUMNS = (
    _Col("序号", "count", 6), _Col("日期", "date", 24), _Col("类型", max_width=16), _Col("活动名称", max_width=30),
    _Col("试点村(社区)", max_width=20), _Col("地点", max_width=24), _Col("组织单位", max_width=24),
    _Col("合作单位", max_width=24), _Col("参与人数", "count", 10), _Col("受益群体(人次)", max_width=30),
    _Col("志愿者人数", "count", 10), _Col("志愿服务时长(小时)", "number", 12), _Col("照片数", "count", 8),
    _Col("活动费用(元)", "money", 18), _Col("列入公示", max_width=10), _Col("活动简介", max_width=50),
)
NAMED_COLUMNS = (
    _Col("序号", "count", 6), _Col("日期", "date", 24), _Col("活动名称", max_width=30), _Col("受益群体", max_width=16),
    _Col("人数", "count", 8), _Col("同意公开者（姓名已遮蔽）", max_width=40),
)
NAMED_NOTE = ("注：为保护个人信息，本表不含任何受益人的真实姓名、电话和困难情况：只按活动和群体统计登记的人数，"
              "并只列出同意公开者的遮蔽姓名（如“张*明”）。完整名单只保存在本单位的台账中。")


def _hours(minutes: int) -> Decimal:
    return (Decimal(minutes) / 60).quantize(Decimal("0.01"))


def _activity_date(row: ActivityRow):
    """A one-day activity as a date cell; a longer one as the text “2024-12-27 至 2024-12-28”."""
    return row.start_date if row.start_date == row.end_date else row.dates


def _describe_activities(session: Session, f: ActivityFilter) -> str:
    parts = []
    if f.project_id:
        project = session.get(Project, f.project_id)
        if project is None or project.deleted:
            raise UserError("找不到所选的项目，它可能已被删除。请重新选择项目后再导出。")
        parts.append(project.name)
    if f.site_id:
        site = session.get(Site, f.site_id)
        if site is None or site.deleted:
            raise UserError("找不到所选的试点村（社区），它可能已被删除。请重新选择后再导出。")
        parts.append(site.name)
    elif f.site_id == "":
        parts.append("项目整体")
    if f.activity_type:
        parts.append(f.activity_type)
    parts.append(_period(f.date_from, f.date_to))
    if f.text.strip():
        parts.append(f"含“{f.text.strip()}”")
    if f.public_only:
        parts.append("只含列入公示的活动")
    return _in_brackets(parts)


def _category_order(session: Session, kind: str, names: Iterable[str]) -> list[str]:
    """`names` in the order of the category list (设置 › 业务类别), unknown names last."""
    known = [c.name for c in list_categories(session, kind, include_inactive=True)]
    return sorted(set(names), key=lambda n: (known.index(n) if n in known else len(known), n))


def _group_text(counts: dict[str, int]) -> str:
    return "、".join(f"{group}{count}" for group, count in counts.items())


def _beneficiary_counts(session: Session, f: ActivityFilter) -> dict[str, dict[str, int]]:
    """activity id → {group: people}, the groups in category order."""
    where, params = f.where()
    found: dict[str, dict[str, int]] = {}
    for activity_id, group, count in session.execute(text(
            "SELECT b.activity_id, b.group_name, b.count FROM beneficiary_count b JOIN activity a ON a.id = b.activity_id "
            f"WHERE b.deleted = 0 AND {where}"), params):
        found.setdefault(activity_id, {})[group] = int(count)
    order = _category_order(session, "beneficiary_group", {g for counts in found.values() for g in counts})
    return {a: {g: counts[g] for g in order if g in counts} for a, counts in found.items()}


def _named_groups(session: Session, f: ActivityFilter) -> list[list]:
    """Rows for the named-beneficiary sheet: per activity and group, how many people were recorded and the
    masked names of those who agreed to publication. Only name, group and consent are read: phones and
    sensitive facts never leave the database."""
    where, params = f.where()
    groups: dict[tuple, list] = {}
    for activity_id, start, end, title, group, name, consent in session.execute(text(
            "SELECT a.id, a.start_date, a.end_date, a.title, n.group_name, n.name, n.publish_consent "
            "FROM named_beneficiary n JOIN activity a ON a.id = n.activity_id "
            f"WHERE n.deleted = 0 AND {where} ORDER BY a.start_date, a.created_at, n.created_at"), params):
        day = date.fromisoformat(start) if start == end else f"{start} 至 {end}"
        acc = groups.setdefault((activity_id, group or "（未分组）"), [day, title, 0, []])
        acc[2] += 1
        if consent:
            acc[3].append(mask_name(name))
    return [[i, day, title, group, count, "、".join(names)]
            for i, ((_, group), (day, title, count, names)) in enumerate(groups.items(), 1)]


def export_activities(ws, out_path, f: ActivityFilter = ALL_ACTIVITIES, progress: Progress | None = None) -> int:
    """活动登记表: the activities matching `f`, oldest first, with a totals row; a second sheet counts the
    named beneficiaries per activity and group, names always masked (see NAMED_NOTE). Returns the number
    of activities written. `progress(done, total)` as for `export_ledger`; raising from it leaves no file."""
    office = ws.local_office()
    with ws.reading() as session:
        title = f"{office.name} 活动登记表{_describe_activities(session, f)}"
        rows = list(reversed(list_activities(session, f)))
        counts = _beneficiary_counts(session, f)
        named = _named_groups(session, f)
        groups = {g: sum(c.get(g, 0) for c in counts.values())
                  for g in _category_order(session, "beneficiary_group", {g for c in counts.values() for g in c})}

        def build(wb: Workbook) -> int:
            values = [[i, _activity_date(r), r.activity_type, r.title, r.site_name or "项目整体", r.place, r.organisers,
                       r.partners, r.participants, _group_text(counts.get(r.id, {})), r.volunteers,
                       _hours(r.volunteer_minutes), r.photos, _money(r.cost_fen), "是" if r.public else "", r.summary]
                      for i, r in enumerate(rows, 1)]
            public = sum(r.public for r in rows)
            cost = sum(r.cost_fen for r in rows)
            totals = ["合计", f"{len(rows)} 项活动", None, None, None, None, None, None,
                      sum(r.participants for r in rows), _group_text(groups), sum(r.volunteers for r in rows),
                      _hours(sum(r.volunteer_minutes for r in rows)), sum(r.photos for r in rows), _money(cost),
                      f"{public} 项" if public else None, None]
            sheet = _Sheet(wb, "活动登记表", ACTIVITY_COLUMNS, title, _subtitle(f"共 {len(rows)} 项活动"),
                           values[:_WIDTH_SAMPLE] + [totals], landscape=True)
            if progress:
                progress(0, len(rows))
            for done, v in enumerate(values, 1):
                sheet.row(v)
                if progress and done % PROGRESS_EVERY == 0:
                    progress(done, len(rows))
            sheet.total_row(totals)
            sheet.capital_row([("活动费用合计", cost)])
            sheet.note_row("注：活动费用为活动所关联的已记账支出之和；受益群体按人次统计。")
            sheet.finish()

            names = _Sheet(wb, "受益人（已遮蔽）", NAMED_COLUMNS, f"{title} 受益人登记情况",
                           _subtitle("姓名已遮蔽"), named)
            for v in named:
                names.row(v)
            if not named:
                names.note_row("本次导出的活动没有登记受益人姓名。")
            names.total_row(["合计", None, None, None, sum(v[4] for v in named), None])
            names.note_row(NAMED_NOTE)
            names.finish()
            if progress:
                progress(len(rows), len(rows))
            return len(rows)

        return _write_atomically(out_path, build)


# ---------------------------------------------------------------------------------------------- goods

STOCK_COLUMNS = (
    _Col("基金", max_width=30), _Col("物资", max_width=24), _Col("单位", max_width=8), _Col("收入数量", "number", 14),
    _Col("发出数量", "number", 14), _Col("结存", "number", 14), _Col("估值", "money", 18),
)
MOVEMENT_COLUMNS = (
    _Col("日期", "date"), _Col("收/发", max_width=6), _Col("物资", max_width=24), _Col("数量", "number", 14),
    _Col("单位", max_width=8), _Col("来源", max_width=8), _Col("捐赠方", max_width=30), _Col("估值依据", max_width=14),
    _Col("价值(元)", "money", 18), _Col("发放活动", max_width=30), _Col("受益群体", max_width=16),
    _Col("受益人数", "count", 10), _Col("备注", max_width=30),
)


def _movement_values(m: GoodsMovement, activity_titles: dict[str, str]) -> list:
    received = m.direction == "in"
    donor = public_counterparty(m.donor_name, m.anonymous, m.publish_consent) if received and m.source == "捐赠" else (
        m.donor_name if received else "")
    return [m.movement_date, "收" if received else "发", m.item, quantity_of(m.quantity_milli), m.unit,
            m.source if received else "", donor, m.valuation,
            _money(m.value_fen) if m.valuation != UNVALUED else None,
            activity_titles.get(m.activity_id or "", ""), m.beneficiary_group, None if received else m.recipients,
            m.note]


def export_goods(ws, out_path, fund_id: str | None = None) -> int:
    """物资台账: a stock sheet (per fund, item and unit) and every receipt and issue, oldest first. Donors
    appear by name only with their consent, else as 爱心人士 (the file leaves the office). Returns the
    number of movements written."""
    office = ws.local_office()
    with ws.reading() as session:
        fund_ids, scope = _scope(session, fund_id, None)
        stock_rows = goods_queries.stock(session, fund_id)
        movements = goods_queries.list_movements(session, fund_id)
        activity_titles = {a.id: a.title for a in session.exec(select(Activity).where(
            Activity.id.in_({m.activity_id for m in movements if m.activity_id})))}
        fund_names = {f.id: f.name for f in list_funds(session)}

        def build(wb: Workbook) -> int:
            stock_values = [[r.fund_name, r.item, r.unit, quantity_of(r.received_milli), quantity_of(r.issued_milli),
                             quantity_of(r.stock_milli), _money(r.value_fen) if r.valued else UNVALUED]
                            for r in stock_rows]
            title = f"{office.name} 物资台账" + _in_brackets([scope])
            sheet = _Sheet(wb, "库存", STOCK_COLUMNS, title, _subtitle(f"共 {len(stock_rows)} 种物资", "估值：结存物资的价值"),
                           stock_values)
            for v in stock_values:
                sheet.row(v)
            valued = sum(r.value_fen for r in stock_rows if r.valued)
            sheet.total_row(["合计", f"{len(stock_rows)} 种", None, None, None, None, _money(valued)])
            sheet.note_row("注：各物资计量单位不同，数量不作合计；估值合计只含已估值的物资，“未估值”的物资不计入。")
            sheet.finish()

            columns = MOVEMENT_COLUMNS if fund_ids != [None] else (
                MOVEMENT_COLUMNS[:1] + (_Col("基金", max_width=30),) + MOVEMENT_COLUMNS[1:])
            values = [_movement_values(m, activity_titles) for m in movements]
            if fund_ids == [None]:
                values = [[v[0], fund_names.get(m.fund_id, ""), *v[1:]] for v, m in zip(values, movements, strict=True)]
            blank = [None] * (len(columns) - 7)
            totals = []
            for label, direction in (("收入价值合计", "in"), ("发出价值合计", "out")):
                part = [m for m in movements if m.direction == direction]
                recipients = sum(m.recipients for m in part) if direction == "out" else None
                totals.append([label, f"{len(part)} 条", *blank, _money(sum(m.value_fen for m in part)), None, None,
                               recipients, None])
            moves = _Sheet(wb, "收发明细", columns, f"{title} 收发明细", _subtitle(f"共 {len(movements)} 条收发记录"),
                           values[:_WIDTH_SAMPLE] + totals, landscape=True)
            for v in values:
                moves.row(v)
            for v in totals:
                moves.total_row(v, variant="subtotal")
            moves.note_row("注：捐赠方只在其同意公开时显示名称，匿名或未同意公开的显示为“爱心人士”；"
                           "发出物资的价值按收入的平均价计算，收入中有未估值物资时不估值。")
            moves.finish()
            return len(movements)

        return _write_atomically(out_path, build)


# ---------------------------------------------------------------------------------------------- activity statistics


def export_activity_stats(ws, out_path, f: ActivityFilter = ALL_ACTIVITIES) -> int:
    """活动统计: one sheet each by activity type (activities, volunteer hours, spending), by month
    (activities, participants), by site and by beneficiary group, each with totals. Returns the number of
    activities counted."""
    office = ws.local_office()
    with ws.reading() as session:
        scope = _describe_activities(session, f)
        stats = activity_stats(session, f)
        types = _category_order(session, "activity_type", [
            c.name for c in list_categories(session, "activity_type")] + list(stats.by_type))
        groups = _category_order(session, "beneficiary_group", stats.beneficiaries)

    def build(wb: Workbook) -> int:
        summary = _subtitle(f"共 {stats.activities} 项活动，参与 {stats.participants} 人次，志愿者 {stats.volunteers} 人次，"
                            f"志愿服务 {hours_text(stats.volunteer_minutes)} 小时")

        def title(what: str) -> str:
            return f"{office.name} 活动统计（{what}）" + scope

        cols = (_Col("活动类型", max_width=20), _Col("活动次数", "count", 10), _Col("占比", "percent", 10),
                _Col("志愿服务时长(小时)", "number", 12), _Col("活动费用(元)", "money", 18),
                _Col("费用占比", "percent", 10))
        values = [[t, stats.by_type.get(t, 0), _ratio(stats.by_type.get(t, 0), stats.activities),
                   _hours(stats.hours_by_type.get(t, 0)), _money(stats.cost_by_type.get(t, 0)),
                   _ratio(stats.cost_by_type.get(t, 0), stats.cost_fen)] for t in types]
        _stats_sheet(wb, "按类型", cols, title("按活动类型"), summary, values,
                     ["合计", stats.activities, _ratio(stats.activities, stats.activities),
                      _hours(stats.volunteer_minutes), _money(stats.cost_fen), _ratio(stats.cost_fen, stats.cost_fen)])

        cols = (_Col("月份", max_width=10), _Col("活动次数", "count", 10), _Col("参与人次", "count", 10))
        values = [[month, count, stats.participants_by_month.get(month, 0)] for month, count in sorted(stats.by_month.items())]
        _stats_sheet(wb, "按月份", cols, title("按月份"), summary, values,
                     ["合计", stats.activities, stats.participants], note="注：跨月的活动计入开始的月份。")

        cols = (_Col("试点村(社区)", max_width=30), _Col("活动次数", "count", 10), _Col("占比", "percent", 10))
        values = [[site, count, _ratio(count, stats.activities)]
                  for site, count in sorted(stats.by_site.items(), key=lambda item: (-item[1], item[0]))]
        _stats_sheet(wb, "按试点", cols, title("按试点村(社区)"), summary, values,
                     ["合计", stats.activities, _ratio(stats.activities, stats.activities)])

        people = sum(stats.beneficiaries.values())
        cols = (_Col("受益群体", max_width=20), _Col("受益人次", "count", 10), _Col("占比", "percent", 10))
        values = [[g, stats.beneficiaries[g], _ratio(stats.beneficiaries[g], people)] for g in groups]
        _stats_sheet(wb, "按受益群体", cols, title("按受益群体"), summary, values,
                     ["合计", people, _ratio(people, people)], note="注：按人次统计，同一人参加多次活动计多次。")
        return stats.activities

    return _write_atomically(out_path, build)


def _stats_sheet(wb: Workbook, name: str, cols: Sequence[_Col], title: str, subtitle: str, values: list[list],
                 totals: list, *, note: str = "") -> None:
    sheet = _Sheet(wb, name, cols, title, subtitle, values + [totals])
    for v in values:
        sheet.row(v)
    sheet.total_row(totals)
    if note:
        sheet.note_row(note)
    sheet.finish()
