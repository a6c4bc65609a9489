"""A survey export read as a table of text: workbooks (.xlsx, old .xls, .ods) with python-calamine, CSVs in
UTF-8 (with or without BOM), UTF-16 (Excel's "Unicode 文本", tab-separated) or GBK.

Every cell becomes stripped text first (the same number arrives as 1, 1.0 or '1'), so the importers reason
about one kind of value. A file that cannot be read is refused here, in words that say what to do."""

import csv
import io
import zipfile
import zlib
from datetime import date, datetime, time
from pathlib import Path

import python_calamine

from desktop_app.core.errors import UserError

WORKBOOK_SUFFIXES = (".xlsx", ".xlsm", ".xls", ".ods")
CSV_SUFFIXES = (".csv", ".txt")
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # an old .xls, or an encrypted .xlsx wrapped in one
ENCRYPTED_MARK = "EncryptionInfo".encode("utf-16-le")
# a 10,000-response export unpacks to a few tens of MB; calamine holds a whole sheet in memory and running
# out of it aborts the program without an exception, so a workbook that unpacks to more is refused first
MAX_UNPACKED = 200 * 1024 * 1024
MAX_CSV = 100 * 1024 * 1024
ZIP_MAGIC = b"PK\x03\x04"
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
    if head.startswith(ZIP_MAGIC):
        _check_unpacked(path)
    try:
        with path.open("rb") as f:  # by content, not by name: an .xls renamed .xlsx is still read
            book = python_calamine.CalamineWorkbook.from_filelike(f)
        if not book.sheet_names:
            raise UserError(f"“{path.name}”里没有工作表。{EXPORT_ADVICE}")
        raw: list = []
        for name in book.sheet_names:  # the first sheet that holds anything: a blank sheet put in front is skipped
            raw = book.get_sheet_by_name(name).to_python(skip_empty_area=False)
            if any(v not in ("", None) for row in raw for v in row):
                break
    except python_calamine.PasswordError as exc:
        raise _encrypted(path) from exc
    except UserError:
        raise
    except Exception as exc:  # noqa: BLE001 — calamine's errors (zip, xml, format) all mean "not readable"
        raise _unreadable(path, exc) from exc
    # most cells of a 问卷星 export are text already: those skip cell_text's checks
    return [[v.strip() if type(v) is str else cell_text(v) for v in row] for row in raw]


def _check_unpacked(path: Path) -> None:
    """Refuse a workbook that unpacks to more than MAX_UNPACKED. Each part is read through once: the sizes
    are the file's own word, and zipfile stops at the stated size and then fails the part's CRC if it lied."""
    try:
        with zipfile.ZipFile(path) as z:
            parts = z.infolist()
            if sum(p.file_size for p in parts) <= MAX_UNPACKED:
                for part in parts:
                    with z.open(part) as f:
                        while f.read(1 << 20):
                            pass
                return
    except (zipfile.BadZipFile, zlib.error, NotImplementedError, EOFError, ValueError) as exc:
        raise _unreadable(path, exc) from exc
    raise UserError(f"“{path.name}”解压后超过 {MAX_UNPACKED // 1024 // 1024} MB，远大于问卷网站导出的答卷数据"
                    f"（可能已损坏，或是特意构造的文件），没有导入。{EXPORT_ADVICE}")


def _unreadable(path: Path, exc: Exception) -> UserError:
    return UserError(f"“{path.name}”读不出来：文件不完整（可能没下载完或复制时中断），或者不是 Excel 文件。"
                     f"{EXPORT_ADVICE}", technical=f"{path}: {type(exc).__name__}: {exc}")


def _encrypted(path: Path) -> UserError:
    return UserError(f"“{path.name}”设置了打开密码，程序读不了。请在 Excel 里用密码打开，"
                     "在“文件 › 信息 › 保护工作簿”里删除密码并保存，再导入。")


def _read_csv(path: Path) -> list[list[str]]:
    if path.stat().st_size > MAX_CSV:
        raise UserError(f"“{path.name}”超过 {MAX_CSV // 1024 // 1024} MB，远大于问卷网站导出的答卷数据，没有导入。"
                        f"{EXPORT_ADVICE}")
    data = path.read_bytes()
    # a UTF-16 file (Excel's "Unicode 文本") starts with its BOM; GB18030 reads every GBK file (问卷网, older 腾讯问卷)
    encodings = ("utf-16",) if data[:2] in (b"\xff\xfe", b"\xfe\xff") else ("utf-8-sig", "gb18030")
    for encoding in encodings:
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
    first = text.split("\n", 1)[0]
    delimiter = "\t" if "\t" in first and "," not in first else ","
    try:
        rows = [[cell.strip() for cell in row] for row in csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)]
    except csv.Error as exc:
        raise UserError(f"“{path.name}”的表格格式有错，读不下去。{EXPORT_ADVICE}", technical=str(exc)) from exc
    _refuse_shifted(path, rows)
    return rows


def _refuse_shifted(path: Path, rows: list[list[str]]) -> None:
    """A row with text beyond the header's last column has its cells shifted (a comma in an answer left
    unquoted): every answer after it would land under the wrong question."""
    header = rows[0] if rows else []
    width = len(header)
    while width and not header[width - 1]:
        width -= 1
    shifted = [n for n, row in enumerate(rows[1:], start=2) if any(row[width:])]
    if shifted:
        lines = "、".join(map(str, shifted[:5])) + (f" 等 {len(shifted)} 行" if len(shifted) > 5 else " 行")
        raise UserError(f"“{path.name}”第 {lines}比表头多出内容，各列会错位（可能是某个回答里的逗号没有加引号）。"
                        f"没有导入任何答卷。{EXPORT_ADVICE}")


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
