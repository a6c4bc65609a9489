"""The office-style Excel sheet shared by every export, and saving a workbook whole or not at all.

Every sheet has the same office look, built by `Sheet`: a merged title row, a subtitle with the export
time and "金额单位：元", a frozen header row with an autofilter, amounts as numbers in `#,##0.00`
(converted from integer fen with Decimal), a totals row with the totals in capital numerals under it,
column widths that fit Chinese text, and A4 printing fitted to the page width with the header repeated.

`write_workbook` builds a write-only workbook (constant memory at 100,000+ rows) into a temporary file in
the target folder and moves it into place at the end, so a cancelled or failed export never leaves a
partial file behind. It knows nothing of ledgers or activities: each export module says what goes in.
"""

import errno
import os
import unicodedata
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

from openpyxl import Workbook
from openpyxl.cell import Cell, WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.properties import PageSetupProperties
from openpyxl.worksheet.worksheet import Worksheet

from desktop_app.core.errors import UserError
from desktop_app.core.money import capital_yuan, from_fen
from desktop_app.core.storage.files import fsync_file, os_error_text, partial_path, shown_name, where

Progress = Callable[[int, int], None]  # progress(done, total); raising from it cancels the export

MONEY_FORMAT = "#,##0.00"
DATE_FORMAT = "yyyy-mm-dd"
PERCENT_FORMAT = "0.0%"
PROGRESS_EVERY = 1000  # rows between two progress calls
WIDTH_SAMPLE = 500  # rows looked at to size the columns (a streamed sheet cannot be measured at the end)

_HEADER_ROW = 3  # 1 title, 2 subtitle, 3 header, data from 4
_THIN = Side(style="thin", color="FF808080")
_BORDER = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
_TOTAL_BORDER = Border(left=_THIN, right=_THIN, top=Side(style="medium", color="FF404040"), bottom=_THIN)
_HEADER_FILL = PatternFill("solid", fgColor="FFD9E1F2")
_TOTAL_FILL = PatternFill("solid", fgColor="FFF2F2F2")
_RED = "FFC00000"


@dataclass(frozen=True)
class Column:
    """One column of a sheet: its header, how its values are shown, and the widest it may grow."""

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


# ---------------------------------------------------------------------------------------------- the sheet


class Sheet:
    """One write-only sheet in the office look. Use: create, `row()`/`total_row()`/`note_row()`, `finish()`.

    Column widths come from the header and `sample` (rows of values), so pass the first rows in; the
    title, subtitle and header are written at once, since a write-only sheet is written top to bottom.
    """

    def __init__(self, wb: Workbook, name: str, columns: Sequence[Column], title: str, subtitle: str,
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


# ---------------------------------------------------------------------------------------------- values


def yuan(fen: int | None) -> Decimal | None:
    """Integer fen as exact Decimal yuan for a money cell; None stays an empty cell."""
    return None if fen is None else from_fen(fen)


def share(part: int, whole: int) -> Decimal | None:
    """A share for a percent cell (a ratio, not money): exact Decimal, four places."""
    if not whole:
        return None
    return (Decimal(part) / Decimal(whole)).quantize(Decimal("0.0001"), rounding=ROUND_HALF_UP)


def export_subtitle(*parts: str) -> str:
    """The subtitle row: the export time, then `parts` (empty ones skipped), then the money unit."""
    return "　　".join([f"导出时间：{datetime.now():%Y-%m-%d %H:%M}", *[p for p in parts if p], "金额单位：元"])


# ---------------------------------------------------------------------------------------------- files


def _check_target(out_path) -> Path:
    """Refuse early what will fail late: a wrong suffix, a missing folder, a file held open by Excel/WPS."""
    out = Path(out_path).expanduser()
    if out.suffix.lower() != ".xlsx":
        raise UserError(f"导出文件“{out.name}”应以 .xlsx 结尾（Excel 工作簿），例如“{out.stem or '台账'}.xlsx”。请修改文件名后重试。")
    if not out.parent.is_dir():
        raise UserError(f"保存位置“{shown_name(out.parent)}”不存在。请先创建这个文件夹，或另选保存位置。",
                        technical=where(out))
    if out.is_dir():
        raise UserError(f"“{out.name}”是一个文件夹。请在文件夹里另起一个以 .xlsx 结尾的文件名。", technical=where(out))
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
        return UserError(f"保存位置“{shown_name(out.parent)}”不存在或已被移走。请先创建这个文件夹，或另选保存位置后重试。",
                         technical=where(out))
    if isinstance(exc, PermissionError):
        if replacing:
            return _busy(out)
        return UserError(f"没有权限在文件夹“{shown_name(out.parent)}”中保存文件（只读的 U 盘或受保护的文件夹）。"
                         "请换一个保存位置，例如“文档”或桌面。", technical=where(out))
    if exc.errno == errno.ENOSPC:
        return UserError("磁盘空间不足，文件没有保存。请清理磁盘或换一个保存位置后重试。")
    return UserError(f"无法保存“{out.name}”：{os_error_text(exc)}。请检查保存位置后重试。")


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


def write_workbook(out_path, build: Callable[[Workbook], int]) -> int:
    """Build a write-only workbook, save it beside the target, fsync, then move it into place.

    Anything raised by `build` (including a cancel from a progress callback) leaves no file behind.
    """
    out = _check_target(out_path)
    try:
        partial = partial_path(out, prefix="~", suffix=".xlsx.part")
    except OSError as exc:
        raise _io_error(exc, out) from exc
    wb = Workbook(write_only=True)
    wb.properties.creator = "社区慈善台账"
    try:
        rows = build(wb)
        try:
            wb.save(partial)
            fsync_file(partial)
        except OSError as exc:
            raise _io_error(exc, out) from exc
        try:  # not files.atomic_write: a refused rename has its own message (the file is open in Excel)
            os.replace(partial, out)
        except OSError as exc:
            raise _io_error(exc, out, replacing=True) from exc
    except BaseException:
        _discard_streams(wb)
        partial.unlink(missing_ok=True)
        raise
    return rows
