"""A survey export read as a table of text: workbooks (.xlsx, old .xls, .ods) with python-calamine, CSVs in
UTF-8 (with or without BOM) or GBK.

Every cell becomes stripped text first (the same number arrives as 1, 1.0 or '1'), so the importers reason
about one kind of value. A file that cannot be read is refused here, in words that say what to do."""

import csv
import io
from datetime import date, datetime, time
from pathlib import Path

import python_calamine

from desktop_app.core.errors import UserError

WORKBOOK_SUFFIXES = (".xlsx", ".xlsm", ".xls", ".ods")
CSV_SUFFIXES = (".csv", ".txt")
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # an old .xls, or an encrypted .xlsx wrapped in one
ENCRYPTED_MARK = "EncryptionInfo".encode("utf-16-le")
EXPORT_ADVICE = "请在问卷星或腾讯问卷里重新下载答卷数据（Excel 或 CSV），不要在 Excel 里另存或加密后再导入。"


def read_table(path: Path) -> list[list[str]]:
    """The first sheet of `path` as rows of text cells, trailing empty columns and rows removed."""
    suffix = path.suffix.lower()
    try:
        head = path.open("rb").read(8)
    except OSError as exc:
        raise UserError(f"打不开文件“{path.name}”：它可能已被移走，或正被别的程序占用。请关掉 Excel 等程序后重试。",
                        technical=f"{path}: {exc}") from exc
    if not head:
        raise UserError(f"文件“{path.name}”是空的（0 字节）。{EXPORT_ADVICE}")
    if suffix in CSV_SUFFIXES:
        rows = _read_csv(path)
    elif suffix in WORKBOOK_SUFFIXES or head == OLE_MAGIC:
        rows = _read_workbook(path, head)
    else:
        raise UserError(f"“{path.name}”不是问卷数据文件。请选择问卷星或腾讯问卷导出的 .xlsx、.xls 或 .csv 文件。")
    return _trimmed(rows)


def _read_workbook(path: Path, head: bytes) -> list[list[str]]:
    if head == OLE_MAGIC and ENCRYPTED_MARK in path.read_bytes()[:1_000_000]:
        raise _encrypted(path)
    try:
        book = python_calamine.CalamineWorkbook.from_path(str(path))
        if not book.sheet_names:
            raise UserError(f"“{path.name}”里没有工作表。{EXPORT_ADVICE}")
        raw = book.get_sheet_by_index(0).to_python(skip_empty_area=False)
    except python_calamine.PasswordError as exc:
        raise _encrypted(path) from exc
    except UserError:
        raise
    except Exception as exc:  # noqa: BLE001 — calamine's errors (zip, xml, format) all mean "not readable"
        raise UserError(f"“{path.name}”读不出来：文件不完整（可能没下载完或复制时中断），或者不是 Excel 文件。"
                        f"{EXPORT_ADVICE}", technical=f"{path}: {type(exc).__name__}: {exc}") from exc
    # most cells of a 问卷星 export are text already: those skip cell_text's checks
    return [[v.strip() if type(v) is str else cell_text(v) for v in row] for row in raw]


def _encrypted(path: Path) -> UserError:
    return UserError(f"“{path.name}”设置了打开密码，程序读不了。请在 Excel 里用密码打开，"
                     "在“文件 › 信息 › 保护工作簿”里删除密码并保存，再导入。")


def _read_csv(path: Path) -> list[list[str]]:
    data = path.read_bytes()
    for encoding in ("utf-8-sig", "gb18030"):  # GB18030 reads every GBK file (问卷网, older 腾讯问卷)
        try:
            text = data.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:
        raise UserError(f"“{path.name}”的文字编码认不出来（不是 UTF-8，也不是 GBK）。请在问卷网站重新导出 CSV，"
                        "或用 Excel 打开后另存为“CSV UTF-8（逗号分隔）”再导入。")
    if "\x00" in text:
        raise UserError(f"“{path.name}”不是文字表格（里面有二进制内容）。{EXPORT_ADVICE}")
    try:
        return [[cell.strip() for cell in row] for row in csv.reader(io.StringIO(text, newline=""))]
    except csv.Error as exc:
        raise UserError(f"“{path.name}”的表格格式有错，读不下去。{EXPORT_ADVICE}", technical=str(exc)) from exc


def cell_text(value) -> str:
    """A workbook cell as the text a person sees: 1.0 → "1", a date → 2025/7/13 18:41:00."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    if isinstance(value, datetime):
        return f"{value.year}/{value.month}/{value.day} {value:%H:%M:%S}"
    if isinstance(value, date):
        return f"{value.year}/{value.month}/{value.day}"
    if isinstance(value, time):
        return f"{value:%H:%M:%S}"
    return str(value).strip()


def _trimmed(rows: list[list[str]]) -> list[list[str]]:
    """Without empty rows at the end and columns that are empty everywhere at the right (腾讯问卷's CSVs end
    every line with a comma, which a naive reader takes for one more column)."""
    while rows and not any(rows[-1]):
        rows.pop()
    width = max((len(r) for r in rows), default=0)
    while width and all(len(r) < width or not r[width - 1] for r in rows):
        width -= 1
    return [(r + [""] * width)[:width] for r in rows]
