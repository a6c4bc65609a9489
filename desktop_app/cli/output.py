"""How the commands print: JSON (amounts already strings), aligned tables where a Chinese character takes two
columns, streams that never fail on a character the console cannot encode, and OS errors in Chinese."""

import json
import sys
import unicodedata


def os_error_text(exc: OSError) -> str:
    from desktop_app.core.storage import files  # one wording for OS errors, CLI and core alike

    return files.os_error_text(exc)


def safe_streams() -> None:
    """Output redirected on a Chinese Windows PC is encoded as GBK, which has no “¥”: never let an
    unencodable character fail a command after its work was committed."""
    for stream in (sys.stdout, sys.stderr):
        if hasattr(stream, "reconfigure"):
            stream.reconfigure(errors="replace")


def print_json(data) -> None:
    print(json.dumps(data, ensure_ascii=False, indent=2, default=str))


def display_width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def clip(text: str, width: int) -> str:
    """One line of at most `width` display columns, “…” where cut."""
    text = " ".join((text or "").split())
    if display_width(text) <= width:
        return text
    while display_width(text) > width - 1:
        text = text[:-1]
    return text + "…"


def print_table(headers: list[str], rows: list[list], *, right: set[int] = frozenset()) -> None:
    """An aligned plain-text table (Chinese characters count two columns); `right` lists right-aligned columns."""
    cells = [[("" if v is None else str(v)) for v in row] for row in rows]
    widths = [max(display_width(v) for v in column) for column in zip(headers, *cells, strict=True)]
    for row in [headers, *cells]:
        padded = []
        for i, (value, width) in enumerate(zip(row, widths, strict=True)):
            room = " " * (width - display_width(value))
            padded.append(room + value if i in right else value + room)
        print("  ".join(padded).rstrip())
